"""Claims: positions actors take on the contested questions of the dialogue.

A claim is the clause a verb of saying or arguing introduces ("Rodriguez maintained
that …", "the US delegation pointed out that …", "López Obrador's claims that …"),
quoted or reported, on a topic the curated knowledge marks as contested (for example
fentanyl production in Mexico). Polarity is read from the clause's own negation
("Mexico is *not* a producer", "had *no* record"). Hedged predictions ("could happen")
are not claims. A clause whose verb comes after it ("“…,” Gupta said") is a quote,
not a reported position.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..knowledge import Knowledge
from ..model import AgentRef, Anchor, Article, Claim
from ..text import doc_text
from .agents import AgentFinder
from .people import sentence_bounds

__all__ = ["find_claims", "CLAIM_VERBS"]

CLAIM_VERBS = {
    "said", "says", "say", "saying", "maintained", "maintains", "contended", "contends", "claimed", "claims",
    "argued", "argues", "insisted", "insists", "denied", "denies", "pointed", "stressed", "affirmed",
    "asserted", "asserts", "told", "added", "adding", "reiterated", "acknowledged", "admitted", "noted",
}
CLAIM_NOUNS = {"claim", "claims", "assertion", "assertions", "allegation", "allegations", "insistence", "position"}
HEDGES = {"could", "might", "may", "would", "should"}
NEGATIONS = {"not", "n't", "no", "never", "none", "nor", "neither", "nothing", "nowhere"}


def _clause_tokens(root: Token) -> list[Token]:
    """The complement clause without trailing ", serving …" asides or "and that …" second clauses."""
    drop: set[int] = set()
    for child in root.children:
        if child.i < root.i:
            continue
        left = root.doc[child.left_edge.i - 1] if child.left_edge.i > 0 else None
        after_comma = left is not None and left.text in {",", "and", ";", "—", "–"}
        if child.dep_ in ("advcl", "conj", "cc", "punct") and (after_comma or child.dep_ in ("cc", "conj")):
            drop.update(t.i for t in child.subtree)
        if child.dep_ == "punct" and child.text in {",", ";"}:
            drop.add(child.i)
    out = []
    for t in sorted(root.subtree, key=lambda t: t.i):
        if t.i in drop and t.i > root.i:
            break
        if t.dep_ == "mark" and t.head.i == root.i and t.i < root.i:
            continue  # the "that" introducing the clause
        out.append(t)
    # "on Monday evening security officials had …": the date belongs to the saying
    while out and (out[0].ent_type_ in ("DATE", "TIME") or (out[0].pos_ == "ADP" and len(out) > 1
                                                           and out[1].ent_type_ in ("DATE", "TIME"))):
        out.pop(0)
    while out and (out[-1].is_punct or out[-1].text in {"“", "”", "\""}):
        out.pop()
    while out and (out[0].is_punct or out[0].text in {"“", "”", "\""}):
        out.pop(0)
    return out


def _polarity(root: Token) -> str:
    for child in root.children:
        if child.dep_ == "neg" or child.lower_ in NEGATIONS:
            return "denies"
        if child.dep_ in ("dobj", "attr", "nsubj") and any(g.lower_ == "no" for g in child.children):
            return "denies"
    return "asserts"


def _hedged(root: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in HEDGES for c in root.children)


def find_claims(article: Article, doc: Doc, finder: AgentFinder, kb: Knowledge) -> tuple[Claim, ...]:
    claims: list[Claim] = []
    seen: set[int] = set()
    for tok in doc:
        low = tok.lower_
        if (low not in CLAIM_VERBS and low not in CLAIM_NOUNS) or article.kind_at(tok.idx) != "body":
            continue  # the word first: a set look-up, where the segment is a search
        speaker: AgentRef | None = None
        complements: list[Token] = []
        if low in CLAIM_VERBS and tok.pos_ in ("VERB", "AUX"):
            complements = [c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i]
            if complements:
                speaker = finder.speaker_for(tok)
        elif low in CLAIM_NOUNS and tok.pos_ == "NOUN":
            complements = [c for c in tok.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > tok.i
                           and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
            poss = [c for c in tok.children if c.dep_ == "poss"]
            if complements and poss:
                speaker = finder.agent_of_phrase(sorted(poss[0].subtree, key=lambda t: t.i))
        for root in complements:
            if root.i in seen or _hedged(root):
                continue
            toks = _clause_tokens(root)
            if len(toks) < 3:
                continue
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            text = doc_text(doc)[start:end]
            topics = kb.topics_of(text, claim_only=True)
            if not topics:
                continue
            seen.add(root.i)
            sent = tok.sent
            claims.append(Claim(text.strip("“”\" "), Anchor(start, end, *sentence_bounds(sent)), speaker,
                                topics[0], _polarity(root)))
    return tuple(claims)
