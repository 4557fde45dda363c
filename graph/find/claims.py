"""Claims: the positions actors take on the questions of the dialogue.

A claim is a proposition an actor puts forward, asserted or denied, in the ways news reports
it; its text is the proposition itself, not the sentence around it:

- reported speech: the clause a verb of saying or arguing introduces, after it or before it
  ("X said that …", "X warned …", "“…,” X said", "…, X said", "… , he said, …"); each
  "that"-clause of a verb is a claim of its own ("said A, and that B");
- verbs of stance with what they take: an infinitive ("offered to mediate …", "threatened to
  review …", "urged Y to …"), an object ("rejected calls for …", "accused Y of …", "hailed
  the ceasefire …", "defended the policy"), an object and its predicate ("described X as Y",
  "branded X a failure"), or "called for …";
- "according to X, …": the clause the attribution is attached to;
- nominal claims: "X's claim that …", "X's position is that …";
- the points of a list a speaker introduces with a colon ("He outlined the steps agreed:"
  followed by bullet lines);
- answers to a claim: a verb of stance whose object is a noun for a position ("rejected
  that view", "disputed the minister's estimate") is on the topic of the claim it answers
  (the owner's, else the latest of another speaker just before), denying or upholding it.

The claim goes to a person where one is named, else to a government ("Mexico said", "the
Scholz government praised"), a body, or an unnamed group an article speaks of as one
("Canadian officials say", "a senior official said"); pronouns and roles ("he said", "the
ambassador said") are resolved by the :class:`~graph.find.agents.AgentFinder`, "it" to the
body or government the text was about. A claim no one can be found for is not kept.

Polarity is relative to the topic: ``denies`` when the clause is negated ("Chile does *not*
export …", "*no* hidden clauses exist"), says that what it is about fails, ends or is kept out
("cooperation has *failed*", "Peru had *shut* its ports to the fleet", "dubbed the reform a
*failure*"), is opened by a connective that carries a denial over ("*much less* would they
allow …"), or a verb of denial takes it ("denied that …", "rejected calls …"); each flips the
others. Speculation is no claim ("the weather *could* change"), nor a report that people met
("the ministers discussed …": the meetings' finder's). The topic is a short normalised noun
phrase: a named question of the curated knowledge when the clause is on one (a part of it
left to a definite noun for what the text just named: "does not grow the crop" after "coca"),
else the clause's key noun phrase, lower case and singular, its head brought to the curated
synonym ("deal" → "agreement"), a one-word topic taking the longer wording of the same head
the article's other claims use.

The word lists are the ``claim_*`` cue lists of ``ontology/cues.yaml``, and the finder's
``government_nouns``.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..knowledge import Knowledge, Topic
from ..model import AgentRef, Anchor, Article, Claim
from ..text import doc_text, doc_tokens, fold
from .agents import AgentFinder
from .people import sentence_bounds

__all__ = ["find_claims", "claim_topic"]

_QUOTE_MARKS = {"“", "”", "\"", "'", "‘", "’", "``", "''"}
_BULLETS = ("-", "•", "*", "–", "—", "·")
_ASIDE_DEPS = frozenset({"advcl", "relcl", "acl", "appos", "npadvmod", "parataxis"})
_ROOT_ASIDE_DEPS = _ASIDE_DEPS | {"prep", "conj", "ccomp", "xcomp", "dobj", "attr", "oprd", "advmod", "dep"}
_EXAMPLE_PREPS = frozenset({"among", "including", "like", "such"})
_ANAPHORIC = frozenset({"such", "this", "that", "these", "those"})
_GROUP_DETS = frozenset({"a", "an", "some", "several", "many", "other"})


class _Cues:
    """The cue lists this finder reads, from the knowledge it is given."""

    NAMES = ("claim_verbs", "claim_to_verbs", "claim_object_verbs", "claim_denial_verbs", "claim_nouns",
             "claim_negations", "claim_hedges", "claim_group_nouns", "claim_list_verbs",
             "claim_generic_nouns", "claim_topic_synonyms", "claim_polarity_shifters", "claim_meeting_verbs",
             "claim_meeting_nouns", "claim_negative_continuations")

    def __init__(self, kb: Knowledge):
        for name in self.NAMES:
            setattr(self, name, kb.cue(name))
        # "deal=agreement": a word brought to the head word a topic is written with
        self.synonym = dict(w.split("=", 1) for w in self.claim_topic_synonyms if "=" in w)
        # the named topics of more than one part, each part a topic of its own: a clause naming all
        # parts but one may have left that one to a definite noun ("produce the drug")
        self.topic_parts = [(t.name, tuple(Topic(t.name, (g,)) for g in t.groups))
                            for t in kb.topics if len(t.groups) > 1]


# --------------------------------------------------------------------------- clause text

def _content_count(tokens: list[Token]) -> int:
    return sum(1 for t in tokens if t.is_alpha and not t.is_stop)


def _after_comma(tok: Token) -> bool:
    """Whether a comma (or a dash, a parenthesis) sets the phrase off: «…, which», «…," in which»."""
    i = tok.left_edge.i - 1
    while i >= 0 and tok.doc[i].text in _QUOTE_MARKS:
        i -= 1
    return i >= 0 and tok.doc[i].text in {",", ";", "—", "–", "("}


def _clause_tokens(root: Token, skip: set[int], quoted: Callable[[int], bool]) -> list[Token]:
    """The proposition ``root`` heads: its subtree without ``skip`` (split-off clauses, an
    interrupting "he said"), without the "that" introducing it and, as long as three content
    words remain, without the asides a comma sets off: ", saying …", ", which …", ", among
    them …", ", with both sides agreeing …", ", signed late Tuesday,"."""
    keep = {t.i: t for t in root.subtree if t.i not in skip}
    asides = []
    for t in root.subtree:
        dep = t.dep_
        if t.i == root.i or t.i not in keep or dep not in _ROOT_ASIDE_DEPS:
            continue
        at_root = t.head.i == root.i and t.i > root.i
        if not (at_root or dep in _ASIDE_DEPS or (dep == "prep" and t.lower_ in _EXAMPLE_PREPS)):
            continue
        if _after_comma(t) and not quoted(t.idx):  # a quotation is claimed as said
            asides.append(t)
    for t in sorted(asides, key=lambda t: -t.i):  # the last aside first
        if t.i not in keep:
            continue
        inside = {x.i for x in t.subtree}
        if _content_count([x for i, x in keep.items() if i not in inside]) >= 3:
            for i in inside:
                keep.pop(i, None)
    out = [t for _, t in sorted(keep.items()) if not (t.dep_ == "mark" and t.head.i == root.i and t.i < root.i
                                                     and t.lower_ == "that")]
    # "on Monday evening security officials had …": the date belongs to the saying
    while out and (out[0].ent_type_ in ("DATE", "TIME") or (out[0].pos_ == "ADP" and len(out) > 1
                                                           and out[1].ent_type_ in ("DATE", "TIME"))):
        out.pop(0)
    return _trimmed(out)


def _trimmed(out: list[Token]) -> list[Token]:
    """Without punctuation, quotation marks and conjunctions at either end."""
    def loose(t: Token) -> bool:
        return t.is_punct or t.is_space or t.text in _QUOTE_MARKS or t.dep_ == "cc"

    out = list(out)
    while out and loose(out[-1]):
        out.pop()
    while out and (loose(out[0]) or (out[0].dep_ == "mark" and out[0].lower_ == "that")):
        out.pop(0)  # and the "that" introducing a clause
    return out


def _text(tokens: list[Token]) -> str:
    """The words of a claim as written, an aside left out closing up ("the accord would make")."""
    parts: list[str] = []
    kept = [t for k, t in enumerate(tokens)
            if not (t.text in {",", ";"} and (k + 1 == len(tokens) or tokens[k + 1].i != t.i + 1
                                             or tokens[k + 1].text in {",", ";", "."}))]
    for k, t in enumerate(kept):
        parts.append(t.text)
        if k + 1 < len(kept):
            parts.append(t.whitespace_ if kept[k + 1].i == t.i + 1 else " ")
    return " ".join("".join(parts).split())


def _clauses(comp: Token, cues: _Cues) -> tuple[list[Token], list[Token]]:
    """A complement and the clauses coordinated with it that have their own subject or their own
    "that" ("said the figures are not final, and that the ministry has no estimate …"); and,
    apart, the verbs of saying coordinated with it, which report claims of their own ("announced
    that the talks had ended and added that …")."""
    roots, sayings = [comp], []
    for c in comp.children:
        if c.dep_ != "conj" or c.pos_ not in ("VERB", "AUX") or c.i < comp.i:
            continue
        if c.lower_ in cues.claim_verbs and any(g.dep_ == "ccomp" for g in c.children):
            sayings.append(c)
        elif any(g.dep_ in ("nsubj", "nsubjpass", "expl") or (g.dep_ == "mark" and g.lower_ == "that")
                 for g in c.children):
            more, said = _clauses(c, cues)
            roots.extend(more)
            sayings.extend(said)
    return roots, sayings


def _split_off(root: Token, roots: list[Token]) -> set[int]:
    """The tokens of the other coordinated clauses (and the "and" before them) ``root`` must leave out."""
    skip: set[int] = set()
    for other in roots:
        if other.i == root.i or other.head.i != root.i:
            continue
        skip.update(t.i for t in other.subtree)
        skip.update(c.i for c in root.children if c.dep_ in ("cc", "punct") and c.i < other.i
                    and c.i > max((t.i for t in root.subtree if t.i < other.left_edge.i and t.i not in skip
                                   and t.dep_ not in ("cc", "punct")), default=root.i))
    return skip


# --------------------------------------------------------------------------- polarity

def _negated(root: Token, cues: _Cues) -> bool:
    """Whether the clause ``root`` heads denies what it is about: negated ("not", "never", "no" on
    its subject, object or complement: "no agreement was signed", "had no record"; opened by a
    connective that carries a denial over, "much less would they allow …"), or its verb or
    predicate a polarity shifter, a word that says what it is about fails, stops or ends ("the
    programme has failed", "the ban was lifted", "is a failure"); both together assert."""
    negated = False
    for child in root.children:
        if child.dep_ == "neg" or child.lower_ in cues.claim_negations:
            negated = True
        elif child.dep_ in ("dobj", "attr", "nsubj", "nsubjpass", "expl", "pobj", "acomp") and any(
                g.dep_ == "det" and g.lower_ in cues.claim_negations for g in child.children):
            negated = True
        elif child.dep_ in ("dobj", "nsubj", "attr") and child.lower_ in cues.claim_negations:
            negated = True  # "nothing", "none"
        elif child.dep_ == "advmod" and child.i < root.i and _fronted(child, root) and " ".join(
                t.lower_ for t in child.subtree) in cues.claim_negative_continuations:
            negated = True  # "even less would they allow …": the denial before carried over
    shifted = root.lower_ in cues.claim_polarity_shifters or any(
        c.dep_ in ("attr", "oprd", "acomp") and c.lower_ in cues.claim_polarity_shifters for c in root.children)
    return negated != shifted


def _fronted(mod: Token, root: Token) -> bool:
    """Whether ``mod`` opens its clause: before the clause's subject (or with none)."""
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    return subj is None or mod.i < subj.left_edge.i


def _hedged(root: Token, cues: _Cues) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in cues.claim_hedges for c in root.children)


# --------------------------------------------------------------------------- topic

def _singular(tok: Token) -> str:
    w = tok.lower_
    if tok.tag_ in ("NNS", "NNPS") and len(w) > 3:
        if w.endswith("ies") and len(w) > 4:
            return w[:-3] + "y"
        if w.endswith(("ches", "shes", "sses", "xes")):
            return w[:-2]
        if w.endswith("s") and not w.endswith("ss"):
            return w[:-1]
    return w


def _key_phrase(tokens: list[Token], cues: _Cues) -> str:
    """The clause's key noun phrase: the first noun of its subject, object or complement (a
    common noun before a generic one, "ties" before "time", either before a name), with its
    adjective and noun modifiers, lower case and singular; the verb when it has no noun."""
    ids = {t.i for t in tokens}
    rank = {"nsubj": 0, "nsubjpass": 0, "attr": 1, "dobj": 1, "oprd": 1, "pobj": 2}

    def depth(t: Token) -> int:
        n = 0
        while t.head.i in ids and t.head.i != t.i and n < 12:
            t, n = t.head, n + 1
        return n

    def order(t: Token):
        generic = t.lower_ in cues.claim_generic_nouns or _singular(t) in cues.claim_generic_nouns or any(
            c.dep_ == "det" and c.lower_ in _ANAPHORIC for c in t.children)  # "such a step", "that way"
        return (t.pos_ != "NOUN" or bool(t.ent_type_), generic, depth(t), rank.get(t.dep_, 3), t.i)

    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN") and t.is_alpha and t.dep_ not in ("compound", "poss")]
    if not nouns:
        verb = next((t for t in tokens if t.pos_ == "VERB"), tokens[0])
        return verb.lower_
    head = min(nouns, key=order)
    if head.pos_ == "PROPN":
        first = min((t for t in head.subtree if t.i in ids), key=lambda t: t.i)
        return " ".join(t.lower_ for t in head.doc[first.i:head.i + 1] if t.is_alpha and t.pos_ != "DET")
    mods = [c for c in head.children if c.i in ids and c.i < head.i and c.dep_ in ("amod", "compound")
            and c.is_alpha and not c.ent_type_ and c.lower_ not in cues.claim_generic_nouns
            and c.tag_ not in ("JJR", "JJS")]
    words = [m.lower_ for m in mods] + [cues.synonym.get(head.lower_) or _singular(head)]
    words[-1] = cues.synonym.get(words[-1], words[-1])
    return " ".join(words)


_DEFINITE = frozenset({"the", "this", "that", "these", "those"})


def _definite_nouns(tokens: list[Token]) -> list[Token]:
    """The clause's nouns that refer back: "the"/"this" and the bare noun, no modifier before it
    ("the drug", "this measure"; not "the new law", "Mexico's law")."""
    return [t for t in tokens if t.pos_ == "NOUN" and not t.ent_type_
            and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in t.children)
            and not any(c.i < t.i and c.dep_ in ("amod", "compound", "poss", "nummod") for c in t.children)]


def _named_by_reference(tokens: list[Token], cues: _Cues) -> str | None:
    """A named question the clause names all parts of but one, that one left to a definite noun
    whose referent the text named just before (in the sentence before the clause or the one
    before it): "… the cocaine trade, saying his country does not grow the crop" is on cocaine
    growing as much as "does not grow coca". The noun must stand where the missing part
    would, as what a word of another part acts on."""
    anaphors = _definite_nouns(tokens)
    if not anaphors:
        return None
    text = " ".join(t.text for t in tokens)
    doc, first = tokens[0].doc, tokens[0]
    for name, parts in cues.topic_parts:
        missing = [p for p in parts if not p.matches(text)]
        if len(missing) != 1:
            continue
        begin = first.sent.start
        if begin > 0:
            begin = doc[begin - 1].sent.start
        if not missing[0].matches(doc_text(doc)[doc[begin].idx:first.idx]):
            continue
        named = [p for p in parts if p is not missing[0]]
        for a in anaphors:
            # the noun stands where the missing part would: what a word of another part acts on
            # ("produce the drug", "the drug is produced", "trafficking of the drug"), not its
            # doer, itself none of the topic's words
            governor = a.head.head if a.dep_ == "pobj" else a.head
            if a.dep_ in ("dobj", "nsubjpass", "pobj") and not any(p.matches(a.text) for p in parts) \
                    and any(p.matches(governor.text) for p in named):
                return name
    return None


def claim_topic(tokens: list[Token], kb: Knowledge, cues: _Cues | None = None) -> str | None:
    """A claim's topic: the first named question of the curated knowledge its clause is on (or
    would be, a definite noun read as what the text just named), else the clause's key noun
    phrase."""
    cues = cues or _Cues(kb)
    if not tokens:
        return None
    named = kb.topics_of(" ".join(t.text for t in tokens))
    if named:
        return named[0]
    return _named_by_reference(tokens, cues) or _key_phrase(tokens, cues)


# --------------------------------------------------------------------------- claims that answer claims

def _claim_object(verb: Token, cues: _Cues) -> Token | None:
    """The object of ``verb`` when it is a noun for someone's position ("rejected that view",
    "dismissed the general's estimate", "disputes Ottawa's claim that …")."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and (c.lower_ in cues.claim_nouns
                                                                   or _singular(c) in cues.claim_nouns)), None)


def _content_clause(obj: Token) -> Token | None:
    """The "that"-clause a position noun states, on the noun or (as the parser often hangs it past an
    aside) on its verb after the noun: "the assertion, made in May, that …"."""
    def stated(c: Token) -> bool:
        return c.dep_ in ("acl", "ccomp", "advcl") and c.i > obj.i and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
    return next((c for c in obj.children if stated(c)), None) or next(
        (c for c in obj.head.children if stated(c)), None)


# --------------------------------------------------------------------------- speakers

def _phrase(tok: Token) -> list[Token]:
    """A noun phrase's words, up to a comma after its head (", who …", ", 72,")."""
    out = []
    for t in sorted(tok.subtree, key=lambda t: t.i):
        if t.i > tok.i and t.text in {",", "(", "—", "–"}:
            break
        out.append(t)
    while out and (out[0].is_punct or out[0].text in _QUOTE_MARKS):
        out.pop(0)
    return out


def _subject_tokens(verb: Token) -> list[Token] | None:
    """The subject of ``verb`` or of the verb it hangs from ("… and said", "adding …", "began
    by emphasizing …"); for a passive, the "by" agent."""
    tok = verb
    for _ in range(5):
        if any(c.dep_ == "auxpass" for c in tok.children):
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            return _phrase(pobj) if pobj is not None else None
        # the subject nearest the verb ("In Geneva, the city hosting the talks, Ortiz announced")
        subj = max((c for c in tok.children if c.dep_ in ("nsubj", "csubj") and c.i < tok.i), key=lambda c: c.i,
                   default=None) or next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is not None:
            return _phrase(subj)
        if tok.dep_ == "xcomp":  # "pushed the ministry to review …": the object does it
            obj = next((c for c in tok.head.children if c.dep_ == "dobj" and c.i < tok.i), None)
            if obj is not None:
                return _phrase(obj)
        if tok.dep_ in ("conj", "advcl", "xcomp", "ccomp", "acl", "relcl", "pcomp", "prep") and tok.head.i != tok.i:
            tok = tok.head
            continue
        break
    return None


def _country_in(tokens: list[Token], finder: AgentFinder) -> str | None:
    kb = finder.kb
    for t in tokens:
        c = kb.country_of_marker(t.text)
        if c:
            return c
    for a, b in zip(tokens, tokens[1:]):
        c = kb.country_of_marker(f"{a.text} {b.text}")
        if c:
            return c
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    person = finder.person_in(start, end)
    for found in (finder.org_in(start, end), person):
        if found is not None and found.country:
            return found.country
    official = kb.officials.get(fold(person.name)) if person is not None else None
    if official is not None and official.country:
        return official.country  # "the government of President X": X's country, known to the knowledge
    for t in tokens:  # "Republican lawmakers": the party's country
        org = kb.orgs.get(fold(t.text)) or (kb.orgs.get(fold(t.text) + " party") if t.pos_ in ("ADJ", "PROPN") else None)
        if org is not None and org.country:
            return org.country
    return None


def _collective(tokens: list[Token], finder: AgentFinder, cues: _Cues) -> AgentRef | None:
    """A speaker no one person stands for: a government ("the Mexican government", "the Biden
    administration": that country), or people an article speaks of as one without naming them
    ("U.S. officials", "current and former Canadian diplomats", "Republican lawmakers", "a
    junior aide in the Scholz government"): a group, with the country its words name."""
    ids = {t.i for t in tokens}
    head = next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), None)
    if head is not None and head.pos_ == "ADJ":  # "Current and former Canadian diplomats"
        head = next((c for c in head.children if c.dep_ == "conj" and c.pos_ == "NOUN"), head)
    if head is None or head.pos_ != "NOUN":
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    person = finder.person_in(start, end)
    if person is not None and person.start <= head.idx < person.end:
        return None
    words = [t for t in tokens if not (t.dep_ == "det" and t.head.i == head.i and t.i < head.i)]
    label = doc_text(head.doc)[words[0].idx:words[-1].idx + len(words[-1].text)] if words else head.text
    if head.lower_ in finder.government_nouns and head.tag_ == "NN":
        country = _country_in(tokens, finder)
        return AgentRef("country", label, country) if country else None
    if head.lower_ not in cues.claim_group_nouns:
        return None
    dets = {c.lower_ for c in head.children if c.dep_ in ("det", "amod", "nummod")}
    if head.tag_ not in ("NNS", "NNPS") and not dets & _GROUP_DETS:
        return None  # "the official": someone the article named before
    if any(c.dep_ == "nummod" for c in head.children) or dets & {"both", "two"}:
        return None  # "the two officials": named people, not a group
    return AgentRef("group", label, _country_in(tokens, finder))


def _body_before(tok: Token, finder: AgentFinder, cues: _Cues) -> AgentRef | None:
    """What "it" stands for as a speaker: the subject of one of the two sentences before, when
    that is a government, a body or a group (not a person)."""
    sent = tok.sent
    for _ in range(2):
        if sent.start == 0:
            return None
        sent = tok.doc[sent.start - 1].sent
        for t in sent:
            if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN"):
                agent = _phrase_agent(t, finder, cues)
                if agent is not None and agent.kind != "person":
                    return agent
    return None


def _holder(verb: Token, finder: AgentFinder, cues: _Cues) -> AgentRef | None:
    """Who takes the position ``verb`` states."""
    toks = _subject_tokens(verb)
    agent = None
    if toks:
        agent = _agent(toks, finder, cues)
        if agent is None and len(toks) == 1 and toks[0].lower_ == "it":
            agent = _body_before(toks[0], finder, cues)
    if agent is None or agent.kind == "country":
        alt = finder.speaker_for(verb)
        if alt is not None and (agent is None or alt.kind != "country"):
            return alt
    if agent is None and toks is None:
        # "…, Laura Vidal, said that …" parsed without a subject: the name just before
        before = [t for t in verb.doc[max(verb.sent.start, verb.i - 3):verb.i] if not t.is_punct]
        if before:
            p = finder.person_in(before[-1].idx, before[-1].idx + len(before[-1].text))
            p = p or next((x for x in finder.people if x.start <= before[-1].idx < x.end), None)
            if p is not None:
                return finder.ref_person(p)
    return agent


def _agent(tokens: list[Token], finder: AgentFinder, cues: _Cues) -> AgentRef | None:
    """Who a phrase names as a speaker: a government or an unnamed group, else the finder's reading."""
    return _collective(tokens, finder, cues) or finder.agent_of_phrase(tokens)


def _phrase_agent(tok: Token, finder: AgentFinder, cues: _Cues) -> AgentRef | None:
    return _agent(_phrase(tok), finder, cues)


# --------------------------------------------------------------------------- the finder

class _Found:
    """The claims of one article as they are found, one per clause."""

    def __init__(self, article: Article, doc: Doc, finder: AgentFinder, kb: Knowledge, cues: _Cues):
        self.article, self.doc, self.finder, self.kb, self.cues = article, doc, finder, kb, cues
        self.text = doc_text(doc)
        self.claims: list[Claim] = []
        self.roots: set[int] = set()
        self.spans: set[tuple[int, int]] = set()
        # claims that answer an earlier claim ("rejected that view"): claim index -> (whose view,
        # or None; whether the answer denies it)
        self.answers: dict[int, tuple[AgentRef | None, bool]] = {}

    def add(self, tokens: list[Token], speaker: AgentRef | None, polarity_root: Token | None, flip: bool,
            sent: Span, root: Token | None = None, topic_tokens: list[Token] | None = None) -> None:
        tokens = _trimmed(tokens)
        if speaker is None or len(tokens) < 3 or _content_count(tokens) < 2:
            return
        if root is not None:
            if root.i in self.roots:
                return
            self.roots.add(root.i)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if (start, end) in self.spans:
            return
        answering = root if root is not None and root.pos_ in ("VERB", "AUX") else polarity_root
        answered = _claim_object(answering, self.cues) if answering is not None else None
        stated = _content_clause(answered) if answered is not None else None
        if stated is not None:  # "rejected X's claim that …": on what the claim says
            topic_tokens = [t for t in stated.subtree if t.dep_ != "mark" or t.head.i != stated.i]
        topic = claim_topic(topic_tokens or tokens, self.kb, self.cues)
        if not topic:
            return
        self.spans.add((start, end))
        negated = polarity_root is not None and _negated(polarity_root, self.cues)
        polarity = "denies" if negated != flip else "asserts"
        ss, se = sentence_bounds(sent)
        if answered is not None and stated is None:
            owner = next((c for c in answered.children if c.dep_ == "poss"), None)
            owner_ref = _phrase_agent(owner, self.finder, self.cues) if owner is not None else None
            if owner is None or owner_ref is not None:
                denies = (answering.lower_ in self.cues.claim_denial_verbs) != _negated(answering, self.cues)
                self.answers[len(self.claims)] = (owner_ref, denies)
        self.claims.append(Claim(_text(tokens), Anchor(start, end, ss, se), speaker, topic, polarity))

    def answered(self) -> list[Claim]:
        """The claims, each answer to an earlier claim ("Mexican officials reject that view", "dismissed
        the general's estimate") on that claim's topic, denying or upholding it: the claim of the
        position's owner when the answer names one, else the latest claim of another speaker in the
        answer's sentence or the two before it."""
        out = list(self.claims)
        for i, (owner, denies) in sorted(self.answers.items()):
            c = out[i]
            earlier = [o for o in self.claims if o.end <= c.start and o.speaker is not None and c.speaker is not None
                       and (o.speaker.kind, o.speaker.label) != (c.speaker.kind, c.speaker.label)]
            if owner is not None:
                earlier = [o for o in earlier if fold(o.speaker.label).split()[-1:] == fold(owner.label).split()[-1:]]
            else:
                starts = [sent.start_char for sent in self.doc.sents]
                k = bisect_right(starts, c.sent_start) - 1
                earlier = [o for o in earlier if o.sent_start >= starts[max(k - 2, 0)]]
            if earlier:
                ref = max(earlier, key=lambda o: o.start)
                polarity = ref.polarity if not denies else ("asserts" if ref.polarity == "denies" else "denies")
                out[i] = replace(c, topic=ref.topic, polarity=polarity)
        return out

    def met(self, root: Token) -> bool:
        """Whether a clause only tells that people met or talked ("the ministers discussed …", "the
        two had a phone conversation")."""
        if root.lower_ in self.cues.claim_meeting_verbs:
            return True
        return root.lower_ in ("had", "has", "have", "held", "hold", "holds") and any(
            c.dep_ == "dobj" and c.lower_ in self.cues.claim_meeting_nouns for c in root.children)

    def clause(self, root: Token, skip: set[int]) -> list[Token]:
        return _clause_tokens(root, skip, self.finder.in_quote)

    def holder(self, verb: Token) -> AgentRef | None:
        """The verb's holder, unless the sentence says whose account it tells ("In her remarks, …")."""
        told = self.finder.statement_source([t for t in verb.sent if t.i < verb.i])
        return told or _holder(verb, self.finder, self.cues)

    # -- "X said (that) …", "“…,” X said", "…, he said, …" ----------------------------
    def reported(self, verb: Token) -> None:
        comps = [c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
        skip: set[int] = set()
        if not comps and verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX"):
            comps = [verb.head]  # "The main goal, she said, is …": the clause it interrupts
            skip = {t.i for t in verb.subtree}
        if not comps:
            self.after_colon(verb)
            return
        speaker = self.holder(verb)
        flip = verb.lower_ in self.cues.claim_denial_verbs or _negated(verb, self.cues)
        for comp in comps:
            roots, sayings = _clauses(comp, self.cues)
            for root in roots:
                if _hedged(root, self.cues) or self.met(root):
                    continue  # a guess; a report that people met or talked (the meetings' finder's)
                toks = self.clause(root, skip | _split_off(root, roots + sayings) | {verb.i})
                # "said the government rejects X's claim that …": the clause denies what X claims
                rejects = root.lower_ in self.cues.claim_denial_verbs and _claim_object(root, self.cues) is not None
                self.add(toks, speaker, root, flip != rejects, verb.sent, root)

    def after_colon(self, verb: Token) -> None:
        """"…, which X confirmed days ago: the clause" — a verb of saying whose words follow a colon."""
        sent = verb.sent
        colon = next((t for t in self.doc[verb.i + 1:min(verb.i + 6, sent.end)] if t.text == ":"), None)
        if colon is None or colon.i + 3 >= sent.end:
            return
        toks = _trimmed(list(self.doc[colon.i + 1:sent.end]))
        ids = {x.i for x in toks}
        root = next((t for t in toks if (t.head.i not in ids or t.head.i == t.i) and t.pos_ in ("VERB", "AUX")), None)
        self.add(toks, self.holder(verb), root, verb.lower_ in self.cues.claim_denial_verbs, sent, root)

    # -- "offered to mediate …", "rejected calls for …", "described X as Y" -----------------
    def stance(self, verb: Token) -> None:
        low = verb.lower_
        kids = [c for c in verb.children if c.i > verb.i]
        deps = [c.dep_ for c in kids]
        preps = {c.lower_ for c in kids if c.dep_ == "prep"}
        takes_to = low in self.cues.claim_to_verbs and "xcomp" in deps
        takes_obj = low in self.cues.claim_object_verbs and (
            "dobj" in deps or "oprd" in deps or "for" in preps or "ccomp" in deps)
        if not (takes_to or takes_obj) or any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
            return
        # "branded X a failure", "described X as Y" (the parser may hang "as" inside the object)
        obj = next((c for c in kids if c.dep_ == "dobj"), None)
        predicative = "oprd" in deps or "as" in preps or deps.count("dobj") > 1 or (
            obj is not None and any(t.lower_ == "as" and t.dep_ == "prep" for t in obj.subtree))
        if low.startswith("call") and not ("for" in preps or predicative or "xcomp" in deps):
            return  # "called the meeting": no position; "called for …", "called X a failure", "called on X to …"
        if low.startswith(("describ", "brand", "label", "dub")) and not predicative:
            return
        if "ccomp" in deps and low in self.cues.claim_verbs:
            return  # "warned that …": reported speech
        # "rejected calls for …, saying they were …": the reason said with it belongs to the claim
        reasons = [c for c in kids if c.dep_ == "advcl" and c.lower_ in self.cues.claim_verbs
                   and any(g.dep_ == "ccomp" for g in c.children)]
        skip = {c.i for c in verb.children if c.i < verb.i or c.dep_ in ("neg", "aux", "nsubj")}
        skip |= {t.i for c in verb.children if c.dep_ == "conj" for t in c.subtree}
        toks = [t for t in self.clause(verb, skip | {t.i for r in reasons for t in r.subtree}) if t.i >= verb.i]
        if reasons and toks:  # the stance through the end of its reason
            toks = list(self.doc[toks[0].i:reasons[0].right_edge.i + 1])
            self.roots.update(g.i for g in reasons[0].children if g.dep_ == "ccomp")
        polarity_root = next((c for c in kids if c.dep_ in ("xcomp", "ccomp")), None)
        if obj is not None and obj.lower_ in self.cues.claim_nouns:
            # "refuted X's claims that Mexico has no …": what the claim said, denied
            polarity_root = next((c for c in obj.children if c.dep_ in ("acl", "ccomp") and any(
                m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), polarity_root)
        flip = low in self.cues.claim_denial_verbs
        if _negated(verb, self.cues):
            flip = not flip
        # "called the plan a failure", "described X as a failure": the predicate says what X is
        said_to_be = [t for t in toks if t.i > verb.i and (t.dep_ == "oprd" or (t.dep_ == "dobj" and obj is not None
                      and t.i != obj.i and t.head.i == verb.i) or (t.dep_ == "pobj" and t.head.lower_ == "as"))]
        if predicative and any(t.lower_ in self.cues.claim_polarity_shifters for t in said_to_be):
            flip = not flip
        said = {t.i for r in reasons for t in r.subtree}
        self.add(toks, self.holder(verb), polarity_root, flip, verb.sent, verb,
                 [t for t in toks if t.i > verb.i and t.i not in said])  # the topic: what the verb takes

    # -- "According to X, …" ----------------------------------------------------------
    def according(self, tok: Token) -> None:
        nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        if nxt is None or nxt.lower_ != "to":
            return
        # the source: the words after "to" up to a comma or a verb (the parser often hangs part of
        # a titled name elsewhere: "According to U.S. Senator X, …")
        source = []
        for t in self.doc[nxt.i + 1:tok.sent.end]:
            if t.text in {",", ";", ":", ".", "—", "–", "("} or t.pos_ in ("VERB", "AUX") or t.is_space:
                break
            source.append(t)
        if not source or source[0].pos_ == "PRON":
            return  # "according to which …"
        root = tok.head if tok.head.i != tok.i else tok.sent.root
        if root.pos_ not in ("VERB", "AUX"):
            root = tok.sent.root
        if root.pos_ not in ("VERB", "AUX") or root.i in self.roots:
            return
        if root.lower_ in self.cues.claim_verbs and any(c.dep_ == "nsubj" for c in root.children):
            return  # "X said, according to the newspaper, …": the paper is the source, X the speaker
        speaker = _agent(source, self.finder, self.cues)
        skip = {t.i for t in tok.subtree} | {t.i for t in nxt.subtree} | {t.i for t in source}
        roots, sayings = _clauses(root, self.cues)
        for r in roots:
            if _hedged(r, self.cues):
                continue
            toks = self.clause(r, skip | _split_off(r, roots + sayings))
            self.add(toks, speaker, r, False, tok.sent, r)

    # -- "X's claim that …", "X's position is that …" ----------------------------------
    def nominal(self, noun: Token) -> None:
        clause = _content_clause(noun) if noun.dep_ == "dobj" else next(
            (c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i
             and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        if clause is None and noun.dep_ == "nsubj" and noun.head.lower_ in ("is", "was", "remains", "remained"):
            clause = next((c for c in noun.head.children if c.dep_ in ("ccomp", "attr") and c.i > noun.head.i
                           and c.pos_ in ("VERB", "AUX")), None)
        if clause is None:
            return
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "by")), None)
            owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if owner is None:
            return
        speaker = _phrase_agent(owner, self.finder, self.cues)  # "her claim": her antecedent
        roots, sayings = _clauses(clause, self.cues)
        for root in roots:
            if not _hedged(root, self.cues):
                self.add(self.clause(root, _split_off(root, roots + sayings)), speaker, root, False, noun.sent, root)

    # -- "He outlined the steps agreed:" followed by bullet lines ----------------------
    def listed(self, sent: Span) -> None:
        last = sent.end - 1
        while last > sent.start and self.doc[last].is_space:
            last -= 1
        if self.doc[last].text != ":":
            return
        verb = sent.root
        if verb.lower_ not in self.cues.claim_list_verbs and verb.lower_ not in self.cues.claim_verbs:
            return
        speaker = _holder(verb, self.finder, self.cues)
        if speaker is None:
            return
        nxt = sent.end
        while nxt < len(self.doc):
            item = self.doc[nxt].sent
            line_start = self.text.rfind("\n", 0, item.start_char) + 1
            line = self.text[line_start:item.end_char].lstrip()
            toks = [t for t in item if not t.is_space]
            if not toks or (not line.startswith(_BULLETS) and toks[0].text not in _BULLETS):
                if toks and all(t.text in _BULLETS or t.is_punct for t in toks):
                    nxt = item.end  # a bullet the parser made a sentence of its own
                    continue
                break
            while toks and (toks[0].text in _BULLETS or toks[0].is_punct):
                toks.pop(0)
            while toks and (toks[-1].is_punct or toks[-1].text in _QUOTE_MARKS):
                toks.pop()
            if toks and self.article.kind_at(toks[0].idx) == "body":
                self.add(toks, speaker, item.root, False, item, item.root)
            nxt = item.end


def find_claims(article: Article, doc: Doc, finder: AgentFinder, kb: Knowledge) -> tuple[Claim, ...]:
    """The claims of one article's story, in text order."""
    cues = _Cues(kb)
    found = _Found(article, doc, finder, kb, cues)
    say, to_verbs, obj_verbs, nouns = cues.claim_verbs, cues.claim_to_verbs, cues.claim_object_verbs, cues.claim_nouns
    toks = doc_tokens(doc)
    for sent in doc.sents:
        words = toks[sent.start:sent.end]
        first = next((t for t in words if not t.is_space), None)
        if first is None or article.kind_at(first.idx) != "body":
            continue
        for tok in words:
            low = tok.lower_
            if low in say and tok.pos_ in ("VERB", "AUX"):
                found.reported(tok)
            if (low in to_verbs or low in obj_verbs) and tok.pos_ == "VERB":
                found.stance(tok)
            elif low == "according":
                found.according(tok)
            elif low in nouns and tok.pos_ == "NOUN":
                found.nominal(tok)
        found.listed(sent)
    return tuple(sorted(_one_wording(_outermost(found.answered()), kb), key=lambda c: (c.start, c.end)))


def _outermost(claims: list[Claim]) -> list[Claim]:
    """Without a claim inside another claim of the same speaker ("said he had written to X urging
    him to help …" holds "urging him to help …")."""
    return [c for c in claims if not any(o is not c and o.speaker == c.speaker and o.start <= c.start
                                             and c.end <= o.end and (o.end - o.start) > (c.end - c.start)
                                             for o in claims)]


def _one_wording(claims: list[Claim], kb: Knowledge) -> list[Claim]:
    """Within an article, a one-word topic is the longer topic of the same head the article's
    other claims name, when there is just one ("defended the policy" beside "criticised the
    migration policy": both "migration policy")."""
    named = {t.name for t in kb.topics}
    longer: dict[str, set[str]] = {}
    for c in claims:
        if c.topic not in named and " " in c.topic:
            longer.setdefault(c.topic.rsplit(" ", 1)[-1], set()).add(c.topic)
    return [replace(c, topic=next(iter(longer[c.topic])))
            if c.topic not in named and len(longer.get(c.topic, ())) == 1 else c for c in claims]
