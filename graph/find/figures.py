"""Figures: every number that measures something in the world.

Seizures, deaths, people, money, distances, counts of companies or countries and rates
("every 5 minutes") become figures with a value (or low/high for a range), a unit
(normalised; QUDT where one exists), what they measure, who reported them and the
period they cover. Dates, ages ("aged 18 to 45"), ordinals and anaphoric counts ("the
two governments") are not figures; page counters and ad prices never reach this stage
(they are furniture).
"""
from __future__ import annotations

import re
from functools import lru_cache

from number_parser import parse_number
from spacy.tokens import Doc, Span, Token

from ..knowledge import Knowledge
from ..model import Anchor, Article, Figure
from ..text import span_text
from .agents import SPEECH_VERBS, AgentFinder

# number words come back article after article, and number_parser takes half a millisecond each
_number_words = lru_cache(maxsize=8192)(parse_number)

__all__ = ["find_figures", "parse_value", "UNITS"]

# unit noun (lower case) -> (unit key, QUDT unit IRI or None)
UNITS: dict[str, tuple[str, str | None]] = {}
for words, unit, qudt in [
    ("ton tons tonne tonnes", "tonne", "http://qudt.org/vocab/unit/TONNE"),
    ("kilogram kilograms kg kilo kilos", "kilogram", "http://qudt.org/vocab/unit/KiloGM"),
    ("pound pounds lb lbs", "pound", "http://qudt.org/vocab/unit/LB"),
    ("mile miles", "mile", "http://qudt.org/vocab/unit/MI"),
    ("kilometer kilometers kilometre kilometres km", "kilometre", "http://qudt.org/vocab/unit/KiloM"),
    ("minute minutes", "minute", "http://qudt.org/vocab/unit/MIN"),
    ("hour hours", "hour", "http://qudt.org/vocab/unit/HR"),
    ("day days", "day", "http://qudt.org/vocab/unit/DAY"),
    ("percent per cent %", "percent", "http://qudt.org/vocab/unit/PERCENT"),
    ("dollar dollars $ usd", "USD", "http://qudt.org/vocab/currency/USD"),
    ("peso pesos mxn", "MXN", "http://qudt.org/vocab/currency/MXN"),
]:
    for w in words.split():
        UNITS[w] = (unit, qudt)
COUNTED = {
    "person": "people persons person individuals migrants immigrants executives leaders members officers soldiers "
              "agents officials americans mexicans citizens residents workers employees victims suspects "
              "children adults women men troops nationals asylum-seekers",
    "death": "deaths fatalities dead",
    "pill": "pills tablets",
    "country": "countries nations",
    "company": "companies firms businesses corporations",
    "weapon": "weapons guns firearms rifles",
    "laboratory": "labs laboratories",
    "organization": "organizations groups cartels gangs",
}
for unit, words in COUNTED.items():
    for w in words.split():
        UNITS.setdefault(w, (unit, None))

MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
AGE_WORDS = {"aged", "age", "ages", "ageing", "old"}
PEOPLE_VERBS = {"killed", "kidnapped", "arrested", "detained", "died", "injured", "wounded", "deported",
                "extradited", "captured", "charged", "rescued", "missing"}
DEATH_VERBS = {"killed"}


def parse_value(text: str) -> float | None:
    """'1,435.6' → 1435.6, 'eight' → 8, 'half-a-million' → 500000, '1.5 million' → 1500000."""
    t = text.lower().replace("-", " ").replace("$", "").strip()
    t = re.sub(r"\s+", " ", t)
    mult = 1.0
    for word, m in MULTIPLIERS.items():
        if t.endswith(word):
            mult = m
            t = t[: -len(word)].strip()
            break
    if t in ("half a", "half", "a half"):
        return 0.5 * mult if mult > 1 else None
    if t in ("a", "one", ""):
        return mult if mult > 1 else (1.0 if t == "one" else None)
    t = t.removesuffix(" a").strip()
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", t):
        return float(t.replace(",", "")) * mult
    n = _number_words(t)
    return float(n) * mult if n is not None else None


def _number_spans(doc: Doc, article: Article) -> list[Span]:
    """Maximal runs of number tokens ("1.5 million", "half-a-million", "70,601")."""
    spans, i = [], 0
    words = set(MULTIPLIERS) | {"half", "a"}
    while i < len(doc):
        t = doc[i]
        if (t.like_num or t.lower_ == "half") and article.kind_at(t.idx) == "body":
            j = i + 1
            while j < len(doc) and (doc[j].like_num and not doc[j - 1].is_punct and doc[j].lower_ not in ("one",)
                                    or doc[j].lower_ in words or (doc[j].text == "-" and j + 1 < len(doc)
                                                                  and doc[j + 1].lower_ in words)):
                if doc[j].lower_ == "a" and not (j + 1 < len(doc) and doc[j + 1].lower_ in MULTIPLIERS
                                                  or doc[j + 1].text == "-"):
                    break
                j += 1
            while j > i + 1 and doc[j - 1].lower_ in ("a", "-"):
                j -= 1
            spans.append(doc[i:j])
            i = j
        else:
            i += 1
    return spans


def _unit_noun(span: Span) -> Token | None:
    """The noun the number counts: its head ("eight companies"), or the object of "of" ("12 of
    their executives"), or the noun after a hyphen ("20-mile")."""
    last = span[-1]
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.text == "-" and span.end + 1 < len(doc):
        return doc[span.end + 1]
    if nxt is not None and nxt.text in ("%",):
        return nxt
    if nxt is not None and nxt.lower_ == "of" and span.end + 1 < len(doc):
        pobj = [c for c in nxt.children if c.dep_ == "pobj"]
        if pobj:
            return pobj[0]
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "compound", "amod") and head.pos_ in ("NOUN", "PROPN") and head.i > last.i:
        return head
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.i - last.i == 1:
        return nxt
    return None


def _unit_of(noun: Token | None, span: Span, kb: Knowledge) -> tuple[str | None, str | None]:
    if noun is None:
        verb = span[-1].head
        if span[-1].dep_ in ("nsubj", "nsubjpass") and verb.lower_ in PEOPLE_VERBS:
            return "person", None
        if span[-1].dep_ in ("dobj", "attr", "npadvmod") and verb.lower_ in DEATH_VERBS:
            return "death", None
        return None, None
    w = noun.lower_
    if w in UNITS:
        return UNITS[w]
    if kb.demonym.get(w):
        return "person", None  # "50,000 Venezuelans"
    return (w[:-1] if w.endswith("s") and not w.endswith("ss") else w), None


NOT_MEASURES = {"factor", "factors", "way", "ways", "thing", "things", "time", "times", "step", "steps",
                "aspect", "aspects", "reason", "reasons", "point", "points", "part", "parts", "side", "sides",
                "option", "options", "priority", "priorities", "goal", "goals", "pillar", "pillars", "issue",
                "issues", "question", "questions", "area", "areas"}
_NP_DEPS = {"amod", "compound", "prep", "pobj", "nmod", "poss", "det", "nummod", "quantmod", "advmod", "case"}


def _np_tokens(noun: Token) -> list[Token]:
    """The noun with its modifiers and prepositional phrases, without clauses."""
    out, stack = [noun], [noun]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in _NP_DEPS:
                out.append(c)
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


def _about(span: Span, noun: Token | None) -> str:
    doc = span.doc
    if noun is None:
        verb = span[-1].head
        return f"{verb.text} ({span.text})" if verb.pos_ == "VERB" else span.sent.text[:80]
    # "tons of X" → X; "companies in China" → "companies in China"
    of = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
    if noun.lower_ in UNITS and UNITS[noun.lower_][1] and of:
        pobj = [c for c in of[0].children if c.dep_ == "pobj"]
        if pobj:
            toks = sorted(pobj[0].subtree, key=lambda t: t.i)
            return doc[toks[0].i:toks[-1].i + 1].text
    if noun.i == span.end + 1 and doc[span.end].text == "-":
        noun = noun.head  # "a 20-mile stretch of wall": the stretch is what is measured
    toks = [t for t in _np_tokens(noun) if not (span.start <= t.i < span.end) and t.dep_ != "det"]
    while toks and (toks[-1].is_punct or toks[-1].pos_ in ("CCONJ", "ADP", "DET")):
        toks.pop()
    text = doc[toks[0].i:toks[-1].i + 1].text if toks else noun.text
    if noun.head.pos_ == "VERB" and noun.dep_ in ("dobj", "nsubjpass", "pobj"):
        text = f"{text} {noun.head.text}"
    return text[:160]


def _skip(span: Span) -> bool:
    doc = span.doc
    first = span[0]
    prev = doc[span.start - 1] if span.start > 0 else None
    ent = first.ent_type_
    rate = prev is not None and prev.lower_ in ("every", "per")
    if ent in ("DATE", "TIME", "ORDINAL") and not rate:
        return True
    if prev is not None and prev.lower_ in AGE_WORDS:
        return True
    if prev is not None and prev.lower_ == "to" and span.start >= 3 and doc[span.start - 3].lower_ in AGE_WORDS:
        return True
    if re.fullmatch(r"(19|20)\d\d", span.text):
        return True
    if prev is not None and prev.lower_ in ("the", "these", "those", "both") and first.is_alpha:
        return True  # "the two governments": a reference, not a count
    if first.lower_ == "one" and len(span) == 1:
        return True  # "one of", "one day": rarely a measurement
    return False


def find_figures(article: Article, doc: Doc, finder: AgentFinder, kb: Knowledge) -> tuple[Figure, ...]:
    figures: list[Figure] = []
    spans = [s for s in _number_spans(doc, article) if not _skip(s)]
    used: set[int] = set()
    for k, span in enumerate(spans):
        if span.start in used:
            continue
        value = parse_value(span.text)
        if value is None:
            continue
        low = high = None
        end_span = span
        # ranges: "between 160,000 and 185,000", "160,000 to 185,000"
        if k + 1 < len(spans):
            nxt = spans[k + 1]
            between = doc[span.end:nxt.start]
            if between.text.strip().lower() in ("and", "to", "-", "–") and nxt.start - span.end <= 1:
                prev = doc[span.start - 1] if span.start > 0 else None
                if between.text.strip().lower() != "and" or (prev is not None and prev.lower_ == "between"):
                    v2 = parse_value(nxt.text)
                    if v2 is not None:
                        low, high, value = value, v2, None
                        end_span = nxt
                        used.add(nxt.start)
        noun = _unit_noun(end_span)
        unit, qudt = _unit_of(noun, end_span, kb)
        if unit is None or (noun is not None and noun.lower_ in NOT_MEASURES):
            continue  # a bare number, or a count of abstractions ("two factors")
        sent = span.sent
        words = [t for t in sent if not t.is_space]
        speech = [t for t in words if t.lower_ in SPEECH_VERBS and t.i < span.start]
        reporter = finder.according_to(words) or (finder.speaker_for(speech[-1]) if speech else None)
        if reporter is not None and reporter.kind == "country":
            reporter = None
        period = next((e.text for e in sent.ents if e.label_ == "DATE"
                       and re.search(r"\b(19|20)\d\d\b|january|february|march|april|may|june|july|august|"
                                     r"september|october|november|december", e.text, re.I)), None)
        figures.append(Figure(value, low, high, unit, qudt, _about(end_span, noun),
                              Anchor(span.start_char, end_span.end_char, words[0].idx,
                                     words[-1].idx + len(words[-1].text)),
                              reporter, period, tuple(kb.topics_of(span_text(sent)))))
    return tuple(figures)
