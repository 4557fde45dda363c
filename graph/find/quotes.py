"""Direct quotations and who said them.

Patterns news uses, with straight or curly marks:

- the speaker after: "…," said X / "…," X said / "…," X told Y / "…," the spokesperson said /
  "…," read a statement from X / "…," according to X;
- the speaker before: X said "…" / X said that "…" / according to X, "…" / X was blunt: "…" /
  In her remarks, … "…";
- a quote split by its attribution ("…," he said. "…") or going on in the next sentence or
  paragraph with no new attribution: the same speaker; a quote running over several paragraphs
  (the mark left open at a paragraph's end) takes the speaker of its next part when it has none;
- a quote standing alone in its paragraph, named by the paragraph after it ("This was the
  answer X gave …") or introduced by the one before it ("X wrote:");
- a pronoun, role or body speaker ("he said", "the ministry said") is resolved by the
  :class:`~graph.find.agents.AgentFinder`;
- a quotation in the headline, unless it repeats one of the body: its speaker is a person of the
  story named in the headline.

Scare quotes of three words or fewer ("main ally") and names in Title Case ("Fentanyl Free
America") are not quotations.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import AgentRef, Anchor, Article, Quote, Segment
from ..text import STOPWORDS, doc_text, fold
from .agents import AgentFinder
from .people import sentence_bounds

__all__ = ["MIN_WORDS", "find_quotes"]

MIN_WORDS = 4
QUOTE = re.compile(r"“([^”\"\n]+)[”\"]|\"([^\"\n]+)\"")  # a curly opening may close straight
OPENING = re.compile(r"[“\"]")  # a mark still open at the end of its paragraph
HEADLINE_SINGLE = re.compile(r"(?<![\w’'])‘([^‘’\n]+?)’(?!\w)")  # headlines quote in single marks too
WORD = re.compile(r"\w+")
_STOP_AFTER = frozenset({".", "“", "\"", "\n"})


def _quotations(line: str) -> list[tuple[int, int, bool]]:
    """The quotations of one paragraph: (start, end of the quoted words, closed)."""
    out, last = [], 0
    for m in QUOTE.finditer(line):
        g = 1 if m.group(1) is not None else 2
        out.append((m.start(g), m.end(g), True))
        last = m.end()
    tail = OPENING.search(line, last)
    if tail:
        out.append((tail.end(), len(line.rstrip()), False))
    return out


def _words(inner: str) -> int:
    """How many words a quotation has, as written ("main U.S. ally" is three)."""
    return sum(1 for w in inner.split() if any(ch.isalnum() for ch in w))


def _is_name(inner: str) -> bool:
    """A title or name in quotation marks ("Fentanyl Free America"), not words someone said."""
    if inner.rstrip()[-1:] in ".,;:!?" or inner.isupper():
        return False
    content = [w for w in WORD.findall(inner) if w.lower() not in STOPWORDS]
    return len(content) >= 2 and all(w[0].isupper() for w in content)


def _outside(agent: AgentRef | None, qs: int, qe: int) -> AgentRef | None:
    """The agent, unless it is a name inside the quotation itself."""
    if agent is not None and agent.mention is not None and qs <= agent.mention < qe:
        return None
    return agent


def _attribution_after(doc: Doc, finder: AgentFinder, qs: int, end: int) -> AgentRef | None:
    """"…," said X / "…," X said / "…," concluded the U.S. official / "…," read a statement from
    X / "…," according to X."""
    text = doc_text(doc)
    span = doc.char_span(end, min(len(text), end + 200), alignment_mode="expand")
    if span is None:
        return None
    toks = []
    for t in span:
        if t.text in _STOP_AFTER or t.is_space and "\n" in t.text:
            break
        toks.append(t)
    words = [t for t in toks if not t.is_punct]
    if len(words) >= 2 and words[0].lower_ == "according" and words[1].lower_ == "to":
        return _outside(finder.according_to(words), qs, end)
    for i, t in enumerate(toks[:12]):
        low = t.lower_
        # a verb that attributes only right after a quotation: the first verb, at most a
        # speaker before it ("…," she continued / "…," read the statement)
        right_after = low in finder.quote_verbs and i <= 5 and not any(x.pos_ in ("VERB", "AUX") for x in toks[:i])
        if low in finder.speech_verbs or right_after:
            agent = _outside(finder.subject_of(t), qs, end)
            if agent:
                return agent
            rest = [x for x in toks[i + 1:] if not x.is_punct]
            # inverted order: "said Blinken", "concluded the U.S. official", "read a statement from X"
            cut = next((k for k, x in enumerate(rest) if x.pos_ in ("ADP", "SCONJ", "VERB")), len(rest))
            return _outside(finder.agent_of_phrase(rest[:cut]), qs, end)
    return None


def _attribution_before(doc: Doc, finder: AgentFinder, start: int) -> AgentRef | None:
    """X said "…" / X said that "…" / X, saying … that "…" / according to X, "…" / X was blunt:
    "…" / In her remarks, … "…"."""
    tok = doc.char_span(start, start + 1, alignment_mode="expand")
    if tok is None:
        return None
    sent = tok[0].sent
    before = [t for t in sent if t.idx < start]
    verbs = [t for t in before if t.lower_ in finder.speech_verbs]
    if verbs:
        agent = finder.speaker_for(verbs[-1])
        if agent is not None:
            return agent
    agent = finder.according_to(before)
    if agent is not None:
        return agent
    i = tok[0].i - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i >= 0 and doc[i].text == ":":
        # "Sheinbaum was blunt: …" — the subject of the clause the colon closes (the parser may
        # have ended the sentence at the colon)
        colon = doc[i]
        verb = next((doc[j] for j in range(i - 1, colon.sent.start - 1, -1) if doc[j].pos_ in ("VERB", "AUX")
                     and any(c.dep_ in ("nsubj", "nsubjpass") and c.i < i for c in doc[j].children)), None)
        agent = finder.subject_of(verb) if verb is not None else None
        if agent is not None:
            return agent
    return finder.statement_source(before) or _clause_subject(doc, finder, start)


def _clause_subject(doc: Doc, finder: AgentFinder, start: int) -> AgentRef | None:
    """A quotation worked into a sentence with no verb of saying: the person or body the clause
    around it is about ("Ortiz rejected what she called "…"", "Roy described the talks as "…"")."""
    span = doc.char_span(start + 1, start + 2, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span[0]
    for _ in range(12):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return None  # the quotation is itself the subject
        if tok.pos_ in ("VERB", "AUX") and tok.idx < start:
            # the nearest verb outside the quotation, when its own subject comes before it
            if not any(c.dep_ in ("nsubj", "nsubjpass") and c.idx < start for c in tok.children):
                return None
            agent = finder.subject_of(tok)
            return agent if agent is not None and agent.kind in ("person", "org") else None
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _named_after(doc: Doc, finder: AgentFinder, seg: Segment) -> AgentRef | None:
    """A quotation alone in its paragraph, named by the next one: "This was the answer X gave",
    "Those were the words of X"."""
    span = doc.char_span(seg.start, seg.end, alignment_mode="expand")
    first = next((t for t in span or () if not t.is_space and not t.is_punct), None)
    if first is None or first.lower_ not in finder.back_references:
        return None
    if not (first.dep_ in ("nsubj", "nsubjpass") or first.dep_ == "det" and first.head.dep_ in ("nsubj", "nsubjpass")):
        return None  # "That evening, …" does not point back
    sent = first.sent
    return finder.subject_person(sent.start_char, sent.end_char)


def _introduced_before(article: Article, doc: Doc, finder: AgentFinder, seg: Segment) -> AgentRef | None:
    """A quotation opening its paragraph after one that ends in a colon: "Sheinbaum wrote on X:"."""
    text = article.text[seg.start:seg.end].rstrip()
    if not text.endswith(":"):
        return None
    colon = doc.char_span(seg.start + len(text) - 1, seg.start + len(text), alignment_mode="expand")
    if colon is None or not len(colon):
        return None
    sent = colon[0].sent
    verbs = [t for t in sent if t.lower_ in finder.speech_verbs and t.idx < colon[0].idx]
    return finder.speaker_for(verbs[-1]) if verbs else finder.subject_of(sent.root)


def _anchor(article: Article, doc: Doc, seg: Segment, qs: int, qe: int) -> Anchor:
    span = doc.char_span(qs, qe, alignment_mode="expand")
    sents = [t.sent for t in (span[0], span[-1])] if span is not None and len(span) else []
    ss = min((sentence_bounds(s)[0] for s in sents), default=qs - 1)
    se = max((sentence_bounds(s)[1] for s in sents), default=qe + 1)
    return Anchor(qs, qe, max(ss, seg.start), min(se, seg.end))


def find_quotes(article: Article, doc: Doc, finder: AgentFinder) -> tuple[Quote, ...]:
    body = [seg for seg in article.segments if seg.kind == "body"]
    found: list[tuple[int, int, int, bool]] = []  # (paragraph, start, end, closed)
    for n, seg in enumerate(body):
        line = article.text[seg.start:seg.end]
        for s, e, closed in _quotations(line):
            inner = line[s:e]
            if _words(inner) >= MIN_WORDS and not _is_name(inner):
                found.append((n, seg.start + s, seg.start + e, closed))

    speakers: list[AgentRef | None] = []
    last: tuple[int, AgentRef] | None = None  # (body paragraph number, speaker of its last quote)
    for n, qs, qe, closed in found:
        seg = body[n]
        opens = not article.text[seg.start:qs - 1].strip()  # the quotation opens its paragraph
        alone = opens and closed and not article.text[qe + 1:seg.end].strip(" .,\"”")
        speaker = (_attribution_after(doc, finder, qs, qe + 1) if closed else None) \
            or _attribution_before(doc, finder, qs - 1)
        if speaker is None and alone and n + 1 < len(body):
            speaker = _named_after(doc, finder, body[n + 1])
        if speaker is None and opens and n > 0:
            speaker = _introduced_before(article, doc, finder, body[n - 1])
        if speaker is None and last and n - last[0] <= 1:
            speaker = last[1]  # the quote goes on (same or next paragraph): same speaker
        speakers.append(speaker)
        if speaker:
            last = (n, speaker)
    # a quotation left open at its paragraph's end goes on in the next one: one speaker for both
    for k in range(len(found) - 2, -1, -1):
        n, qs, _, closed = found[k]
        if speakers[k] is None and not closed and found[k + 1][0] == n + 1:
            speakers[k] = speakers[k + 1]

    quotes = [Quote(article.text[qs:qe].strip().rstrip(",").strip(), _anchor(article, doc, body[n], qs, qe), speaker)
              for (n, qs, qe, _), speaker in zip(found, speakers)]
    return tuple(quotes) + _headline_quotes(article, doc, finder, quotes)


def _headline_quotes(article: Article, doc: Doc, finder: AgentFinder, body_quotes: list[Quote]) -> tuple[Quote, ...]:
    """Quotations in the headline that do not repeat one of the body; the speaker is the person of
    the story the headline names outside the quotation (the first one)."""
    said = [fold(q.text) for q in body_quotes]
    out = []
    for seg in (s for s in article.segments if s.kind == "headline"):
        line = article.text[seg.start:seg.end]
        for m in [*QUOTE.finditer(line), *HEADLINE_SINGLE.finditer(line)]:
            g = m.lastindex  # the group of the marks that matched
            inner = m.group(g)
            folded = fold(inner)
            if _words(inner) < MIN_WORDS or _is_name(inner) or any(folded in s for s in said):
                continue
            qs, qe = seg.start + m.start(g), seg.start + m.end(g)
            outside = fold(line[:m.start()]) + " | " + fold(line[m.end():])
            speaker = _headline_speaker(finder, outside)
            out.append(Quote(inner.strip().rstrip(",").strip(), Anchor(qs, qe, seg.start, seg.end), speaker))
    return tuple(out)


def _headline_speaker(finder: AgentFinder, outside: str) -> AgentRef | None:
    """The person of the story whose surname the headline names first."""
    best: tuple[int, AgentRef] | None = None
    padded = f" {outside} "
    for p in finder.people:
        words = fold(p.name).split()
        at = padded.find(f" {words[-1]} ") if words else -1
        if at >= 0 and (best is None or at < best[0]):
            best = (at, finder.ref_person(p))
    return best[1] if best else None
