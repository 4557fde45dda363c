"""Direct quotations and who said them.

Patterns news uses: "…," said X / "…," X said / "…," X told Y / X said "…" / X said
that "…" / "…," he said (the pronoun's antecedent) / "…," the spokesperson said (the
person or body the article gave that role) / a quote that goes on in the next sentence
or paragraph with no new attribution. Scare quotes of three words or fewer ("main ally")
are not quotations.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import AgentRef, Anchor, Article, Quote
from ..text import doc_text
from .agents import SPEECH_VERBS, AgentFinder
from .people import sentence_bounds

__all__ = ["find_quotes", "MIN_WORDS"]

MIN_WORDS = 4
QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"")


def _attribution_after(doc: Doc, finder: AgentFinder, end: int) -> AgentRef | None:
    """"…," said X / "…," X said / "…," concluded the U.S. official."""
    span = doc.char_span(end, min(len(doc_text(doc)), end + 200), alignment_mode="expand")
    if span is None:
        return None
    toks = []
    for t in span:
        if t.text in {".", "“", "\"", "\n"} or t.is_space and "\n" in t.text:
            break
        toks.append(t)
    for i, t in enumerate(toks[:7]):
        if t.lower_ in SPEECH_VERBS:
            agent = finder.subject_of(t)
            if agent:
                return agent
            rest = [x for x in toks[i + 1:] if not x.is_punct]
            # inverted order: "said Blinken", "concluded the U.S. official"
            cut = next((k for k, x in enumerate(rest) if x.pos_ in ("ADP", "SCONJ", "VERB")), len(rest))
            return finder.agent_of_phrase(rest[:cut])
    return None


def _attribution_before(doc: Doc, finder: AgentFinder, start: int) -> AgentRef | None:
    """X said "…" / X said that "…" / X, saying … that "…"."""
    tok = doc.char_span(start, start + 1, alignment_mode="expand")
    if tok is None:
        return None
    sent = tok[0].sent
    verbs = [t for t in sent if t.idx < start and t.lower_ in SPEECH_VERBS]
    if verbs:
        agent = finder.speaker_for(verbs[-1])
        if agent is not None:
            return agent
    return finder.according_to([t for t in sent if t.idx < start])


def find_quotes(article: Article, doc: Doc, finder: AgentFinder) -> tuple[Quote, ...]:
    quotes: list[Quote] = []
    last: tuple[int, AgentRef] | None = None  # (body paragraph number, speaker of its last quote)
    body = [seg for seg in article.segments if seg.kind == "body"]
    for n, seg in enumerate(body):
        line = article.text[seg.start:seg.end]
        for m in QUOTE.finditer(line):
            inner = m.group(1) or m.group(2)
            words = re.findall(r"\w+", inner)
            if len(words) < MIN_WORDS:
                continue
            qs = seg.start + m.start() + 1
            qe = seg.start + m.end() - 1
            text = inner.strip().rstrip(",").strip()
            speaker = _attribution_after(doc, finder, qe + 1) or _attribution_before(doc, finder, qs - 1)
            if speaker is None and last and n - last[0] <= 1:
                speaker = last[1]  # the quote goes on (same or next paragraph): same speaker
            span = doc.char_span(qs, qe, alignment_mode="expand")
            sents = [t.sent for t in (span[0], span[-1])] if span is not None and len(span) else []
            ss = min((sentence_bounds(s)[0] for s in sents), default=qs - 1)
            se = max((sentence_bounds(s)[1] for s in sents), default=qe + 1)
            ss, se = max(ss, seg.start), min(se, seg.end)
            quotes.append(Quote(text, Anchor(qs, qe, ss, se), speaker))
            if speaker:
                last = (n, speaker)
    return tuple(quotes)
