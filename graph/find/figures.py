"""Figures: every number that measures something in the world.

Seizures, deaths, people, money, distances, durations, votes, counts of companies or
countries and rates ("every 5 minutes") become figures with a value (or low/high for a
range), a unit (normalised; QUDT where one exists), what they measure, who reported them and
the period they cover. Dates, clock times, ages ("aged 18 to 45", "a 64-year-old"),
ordinals, years, names with a number ("Title 42"), phone and case numbers and anaphoric
counts ("the two governments") are not figures; page counters and ad prices never reach this
stage (they are furniture). A figure an article restates ("3,000 police" … "three thousand
officers") is one figure.

The words these rules read are cue lists of ontology/cues.yaml (``figure_*``): the nouns of
each unit, age and relative-time words, the verbs that make a count people or deaths, the
words that make a number a reference, a label, a rate or a vote tally.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from number_parser import parse_number
from spacy.tokens import Doc, Span, Token

from ..knowledge import Knowledge
from ..model import AgentRef, Anchor, Article, Figure
from ..text import doc_ents, doc_tokens, span_text
from .agents import AgentFinder
from .people import sentence_bounds
from .timeline import MONTHS

# number words come back article after article, and number_parser takes half a millisecond each
_number_words = lru_cache(maxsize=8192)(parse_number)

__all__ = ["find_figures", "parse_value"]

# unit (the name of a cue list figure_unit_<unit>) -> (unit as the graph writes it, QUDT unit IRI);
# a unit not here has no QUDT unit (QUDT's DECADE is a logarithmic unit, not ten years)
QUDT: dict[str, tuple[str, str]] = {
    "tonne": ("tonne", "http://qudt.org/vocab/unit/TONNE"),
    "kilogram": ("kilogram", "http://qudt.org/vocab/unit/KiloGM"),
    "pound": ("pound", "http://qudt.org/vocab/unit/LB"),
    "mile": ("mile", "http://qudt.org/vocab/unit/MI"),
    "kilometre": ("kilometre", "http://qudt.org/vocab/unit/KiloM"),
    "minute": ("minute", "http://qudt.org/vocab/unit/MIN"),
    "hour": ("hour", "http://qudt.org/vocab/unit/HR"),
    "day": ("day", "http://qudt.org/vocab/unit/DAY"),
    "week": ("week", "http://qudt.org/vocab/unit/WK"),
    "month": ("month", "http://qudt.org/vocab/unit/MO"),
    "year": ("year", "http://qudt.org/vocab/unit/YR"),
    "percent": ("percent", "http://qudt.org/vocab/unit/PERCENT"),
    "usd": ("USD", "http://qudt.org/vocab/currency/USD"),
    "mxn": ("MXN", "http://qudt.org/vocab/currency/MXN"),
    "eur": ("EUR", "http://qudt.org/vocab/currency/EUR"),
    "gbp": ("GBP", "http://qudt.org/vocab/currency/GBP"),
}
DURATIONS = {"minute", "hour", "day", "week", "month", "year", "decade"}  # units a DATE/TIME entity may measure
# currency signs written before the number ("$2.4 billion", "US$ 30 million", "€5 million")
CURRENCY_SIGNS = {"$": "usd", "us$": "usd", "usd": "usd", "mx$": "mxn", "mxn": "mxn", "€": "eur", "£": "gbp"}
# "two-thirds", "three quarters": a number before one of these is a share, in percent
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
             "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}
MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_UNIT_PREFIX = "figure_unit_"


class _Cues(NamedTuple):
    units: dict[str, tuple[str, str | None]]  # noun (or two-word phrase), lower case -> (unit, QUDT IRI)
    age: frozenset[str]
    people_verbs: frozenset[str]
    death_verbs: frozenset[str]
    not_measures: frozenset[str]
    reference: frozenset[str]
    reference_nouns: frozenset[str]
    new_set: frozenset[str]
    relative_time: frozenset[str]
    rate: frozenset[str]
    labels: frozenset[str]
    tally: frozenset[str]
    duration_preps: frozenset[str]
    time_point_preps: frozenset[str]


@lru_cache(maxsize=8)
def _compile(unit_lists: tuple[tuple[str, frozenset[str]], ...], others: tuple[frozenset[str], ...]) -> _Cues:
    units: dict[str, tuple[str, str | None]] = {}
    for name, words in unit_lists:
        unit = QUDT.get(name, (name, None))
        for w in sorted(words):
            units.setdefault(w, unit)
    return _Cues(units, *others)


_OTHER_CUES = ("figure_age_words", "figure_people_verbs", "figure_death_verbs", "figure_not_measures",
               "figure_reference_words", "figure_reference_nouns", "figure_new_set_words", "figure_relative_time",
               "figure_rate_words", "figure_label_words", "figure_tally_words", "figure_duration_preps",
               "figure_time_point_preps")


def _cues(kb: Knowledge) -> _Cues:
    """The compiled figure cues of ``kb``."""
    units = tuple((name[len(_UNIT_PREFIX):], words) for name, words in kb.cues.items() if name.startswith(_UNIT_PREFIX))
    return _compile(units, tuple(kb.cue(name) for name in _OTHER_CUES))


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
    toks = doc_tokens(doc)
    words = set(MULTIPLIERS) | {"half", "a"}
    while i < len(doc):
        t = toks[i]
        if (t.like_num or t.lower_ == "half") and article.kind_at(t.idx) == "body":
            j = i + 1
            while j < len(doc) and (toks[j].like_num and not toks[j - 1].is_punct and toks[j].lower_ not in ("one",)
                                    or toks[j].lower_ in words or (toks[j].text == "-" and j + 1 < len(doc)
                                                                  and toks[j + 1].lower_ in words)):
                if toks[j].lower_ == "a" and not (j + 1 < len(doc) and toks[j + 1].lower_ in MULTIPLIERS
                                                  or toks[j + 1].text == "-"):
                    break
                j += 1
            while j > i + 1 and toks[j - 1].lower_ in ("a", "-"):
                j -= 1
            spans.append(doc[i:j])
            i = j
        else:
            i += 1
    return spans


def _in_number_chain(span: Span) -> bool:
    """Three or more numbers joined by hyphens, dots or slashes without spaces ("555-014-2368",
    "2024-03-14", "1.2.3"): a phone, case or reference number, never a measure."""
    doc = span.doc
    groups, i = 1, span.start
    while i >= 2 and doc[i - 1].text in "-./" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_ \
            and doc[i - 2].like_num:
        groups, i = groups + 1, i - 2
    i = span.end
    while i + 1 < len(doc) and doc[i].text in "-./" and not doc[i - 1].whitespace_ and not doc[i].whitespace_ \
            and doc[i + 1].like_num:
        groups, i = groups + 1, i + 2
    return groups >= 3


def _unit_noun(span: Span, c: _Cues) -> Token | None:
    """The noun the number counts: its head ("eight companies"), or the object of "of" ("12 of
    their executives"), or the noun after a hyphen ("20-mile")."""
    last = span[-1]
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.text == "-" and span.end + 1 < len(doc):
        return doc[span.end + 1]
    if nxt is not None and nxt.text in ("%",):
        return nxt
    if nxt is not None and nxt.lower_ == "per" and span.end + 1 < len(doc) and doc[span.end + 1].lower_ == "cent":
        return doc[span.end + 1]
    if nxt is not None and nxt.lower_ == "of" and span.end + 1 < len(doc):
        pobj = [t for t in nxt.children if t.dep_ == "pobj"]
        if pobj:
            return pobj[0]
    noun = None
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "compound", "amod") and head.pos_ in ("NOUN", "PROPN") and head.i > last.i:
        noun = head
    elif nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.i - last.i == 1:
        noun = nxt
    if noun is not None and noun.tag_ == "NN" and noun.lower_ not in c.units:
        # "three tax evasion and bribery charges": the count is of the plural head it is joined to
        plural = [t for t in noun.children if t.dep_ == "conj" and t.tag_ == "NNS"]
        if plural:
            return plural[0]
    return noun


def _unit_of(noun: Token | None, span: Span, c: _Cues, kb: Knowledge) -> tuple[str | None, str | None]:
    if noun is None:
        verb = span[-1].head
        if span[-1].dep_ in ("nsubj", "nsubjpass") and verb.lower_ in c.people_verbs:
            return ("death", None) if verb.lower_ in c.death_verbs else ("person", None)
        if span[-1].dep_ in ("dobj", "attr", "npadvmod") and verb.lower_ in c.death_verbs:
            return "death", None
        return None, None
    w = noun.lower_
    doc = noun.doc
    if noun.i > 0 and f"{doc[noun.i - 1].lower_} {w}" in c.units:
        return c.units[f"{doc[noun.i - 1].lower_} {w}"]  # "per cent", "asylum seekers"
    if w in c.units:
        unit = c.units[w]
    elif kb.demonym.get(w):
        unit = ("person", None)  # "50,000 Venezuelans"
    else:
        return _singular(w), None
    if unit[0] == "person" and noun.head.lower_ in c.death_verbs and noun.dep_ in ("dobj", "nsubjpass", "nsubj"):
        return "death", None  # "killed 9,000 people", "two tourists were killed", "41 miners died"
    return unit


def _singular(word: str) -> str:
    """The unit of a noun no list names: its singular ("bodies" → "body", "charges" → "charge")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _np_tokens(noun: Token) -> list[Token]:
    """The noun with its modifiers and prepositional phrases, without clauses."""
    out, stack = [noun], [noun]
    while stack:
        t = stack.pop()
        for ch in t.children:
            if ch.dep_ in _NP_DEPS:
                out.append(ch)
                stack.append(ch)
    return sorted(out, key=lambda t: t.i)


_NP_DEPS = {"amod", "compound", "prep", "pobj", "nmod", "poss", "det", "nummod", "quantmod", "advmod", "case"}


def _about(span: Span, noun: Token | None, c: _Cues) -> str:
    doc = span.doc
    if noun is None:
        verb = span[-1].head
        return f"{verb.text} ({span.text})" if verb.pos_ == "VERB" else span.sent.text[:80]
    # "tons of X" → X; "companies in China" → "companies in China"
    of = [t for t in noun.children if t.dep_ == "prep" and t.lower_ == "of"]
    if noun.lower_ in c.units and c.units[noun.lower_][1] and of:
        pobj = [t for t in of[0].children if t.dep_ == "pobj"]
        if pobj:
            # the measured thing without what is listed after it ("820 kilos of cocaine and …")
            toks = [pobj[0]]
            stack = [pobj[0]]
            while stack:
                for ch in stack.pop().children:
                    if ch.dep_ not in ("conj", "cc", "punct", "appos", "relcl", "acl"):
                        toks.append(ch)
                        stack.append(ch)
            toks.sort(key=lambda t: t.i)
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


def _prev(span: Span, k: int = 1) -> Token | None:
    return span.doc[span.start - k] if span.start >= k else None


def _skip(span: Span, c: _Cues) -> bool:
    """Numbers that are never figures, whatever they count: ordinals, ages, years, labels, identifiers."""
    doc = span.doc
    first = span[0]
    prev = _prev(span)
    if first.ent_type_ == "ORDINAL" and not (prev is not None and prev.lower_ in c.rate):
        return True
    if prev is not None and prev.lower_ in c.age:
        return True
    if prev is not None and prev.lower_ == "to" and span.start >= 3 and doc[span.start - 3].lower_ in c.age:
        return True
    if re.fullmatch(r"(19|20)\d\d", span.text):
        return True  # a year
    if prev is not None and prev.lower_ in c.labels and prev.pos_ in ("NOUN", "PROPN", "X", "PUNCT"):
        return True  # "Title 42", "page 2", "flight 370"
    if prev is not None and prev.text in ("#", "No.", "no."):
        return True
    return _in_number_chain(span)


def _after_unit(noun: Token) -> list[str]:
    """The two words after a unit noun, hyphens skipped ("64-year-old" → ["old"])."""
    doc = noun.doc
    return [t.lower_ for t in doc[noun.i + 1:noun.i + 4] if t.text != "-"][:2]


def _measures(span: Span, noun: Token | None, unit: str, c: _Cues) -> bool:
    """Whether a number with a unit measures something, given its context."""
    first = span[0]
    prev = _prev(span)
    rate = prev is not None and prev.lower_ in c.rate
    if noun is not None and noun.lower_ in c.not_measures:
        return False  # a count of abstractions ("two factors")
    if unit in DURATIONS and noun is not None:
        after = _after_unit(noun)
        lead = [t.lower_ for t in span.doc[max(span.start - 3, 0):span.start]]  # "for more than 40 minutes"
        lasting = any(w in c.duration_preps for w in lead)
        if any(w in c.age for w in after) or (after and after[0] in c.relative_time and not lasting) \
                or (prev is not None and prev.lower_ in c.time_point_preps):
            return False  # "72 years old", "a 58-year-old", "five years ago", "three days later", "in two weeks"
        if first.lower_ == "one" and len(span) == 1 and not (prev is not None and prev.lower_ in c.duration_preps):
            return False  # "one day" is an idiom; "for one week" a duration
    elif first.ent_type_ in ("DATE", "TIME") and not rate:
        return False  # a date or a clock time
    if first.lower_ == "one" and len(span) == 1 and unit not in DURATIONS:
        return False  # "one of", "one official": rarely a measurement
    if noun is not None and noun.dep_ == "appos" and noun.head.pos_ == "PROPN":
        return False  # "Aragon and Navarre, two regions that …": describes what is named
    if prev is not None and prev.lower_ in c.reference and first.is_alpha:
        # "the two governments": a reference, not a count; "the nine charges still facing her" reports one
        told = noun is not None and noun.lower_ not in c.reference_nouns and any(
            ch.dep_ in ("acl", "relcl") or (ch.dep_ == "amod" and ch.i > noun.i) for ch in noun.children)
        if not told:
            return False
    return True


def _is_tally(a: Span, b: Span, c: _Cues) -> bool:
    """"voted 241 to 187", "a 6-3 ruling": two counts of votes."""
    doc = a.doc
    near = [a[-1].head, b[-1].head, b[-1].head.head]
    if b.end < len(doc):
        near.append(doc[b.end])
    return any(t.lower_ in c.tally for t in near)


# a DATE entity that names a year or a month is the period a figure covers
_PERIOD = re.compile(rf"\b(?:19|20)\d\d\b|{'|'.join(MONTHS)}", re.I)


class _Found(NamedTuple):
    figure: Figure
    noun: Token | None
    sent_start: int


def find_figures(article: Article, doc: Doc, finder: AgentFinder, kb: Knowledge) -> tuple[Figure, ...]:
    c = _cues(kb)
    found: list[_Found] = []
    spans = [s for s in _number_spans(doc, article) if not _skip(s, c)]
    used: set[int] = set()
    # the article's dated periods, found once: a Span's .ents builds every entity of the whole
    # document, which per figure made a long article's figures quadratic in its length
    periods = [(e.start, e.end, e.text) for e in doc_ents(doc) if e.label_ == "DATE" and _PERIOD.search(e.text)]

    def add(value, low, high, unit, qudt, about, first: Span, last: Span, noun: Token | None) -> None:
        sent = first.sent
        words = [t for t in sent if not t.is_space]
        speech = [t for t in words if t.lower_ in finder.speech_verbs and t.i < first.start]
        reporter: AgentRef | None = finder.according_to(words) or (finder.speaker_for(speech[-1]) if speech else None)
        if reporter is not None and reporter.kind == "country":
            reporter = None
        period = next((text for start, end, text in periods if start >= sent.start and end <= sent.end), None)
        figure = Figure(value, low, high, unit, qudt, about,
                        Anchor(first.start_char, last.end_char, *sentence_bounds(sent)),
                        reporter, period, tuple(kb.topics_of(span_text(sent))))
        found.append(_Found(figure, noun, sent.start))

    for k, span in enumerate(spans):
        if span.start in used:
            continue
        value = parse_value(span.text)
        if value is None:
            continue
        low = high = None
        end_span = span
        # ranges: "between 160,000 and 185,000", "160,000 to 185,000"; a tally: "voted 241 to 187"
        if k + 1 < len(spans):
            nxt = spans[k + 1]
            between = doc[span.end:nxt.start].text.strip().lower()
            if between in ("and", "to", "-", "–") and nxt.start - span.end <= 1:
                prev = _prev(span)
                if between != "and" or (prev is not None and prev.lower_ == "between"):
                    v2 = parse_value(nxt.text)
                    if v2 is not None:
                        used.add(nxt.start)
                        if v2 < value:  # not a range: a tally, a score or a reference
                            if between != "and" and _is_tally(span, nxt, c):
                                verb = next((t for t in (nxt[-1].head, nxt[-1].head.head) if t.pos_ == "VERB"), None)
                                about = f"votes ({verb.text + ' ' if verb is not None else ''}{span.text} to {nxt.text})"
                                add(value, None, None, "vote", None, about, span, span, None)
                                add(v2, None, None, "vote", None, about, nxt, nxt, None)
                            continue
                        low, high, value = value, v2, None
                        end_span = nxt
        prev = _prev(span)
        sign = CURRENCY_SIGNS.get(prev.lower_) if prev is not None else None
        if sign is None and prev is not None and prev.text == "$" and span.start >= 2:
            sign = CURRENCY_SIGNS.get(f"{doc[span.start - 2].lower_}$")  # "US $5 million"
        noun = _unit_noun(end_span, c)
        if sign is not None:
            unit, qudt = QUDT[sign]
            if noun is not None and noun.i != end_span.end:
                noun = None  # "$2.4 billion over …": money, whatever follows
        else:
            unit, qudt = _unit_of(noun, end_span, c, kb)
        if unit is None:
            continue  # a bare number
        if noun is not None and noun.pos_ == "PRON":
            # "five guards were injured, three of them badly": the unit of the count it refers to
            earlier = [f for f in found if f.sent_start == span.sent.start]
            if not earlier or value is None:
                continue
            unit, qudt = earlier[-1].figure.unit, earlier[-1].figure.qudt
        if sign is None and not _measures(span, noun, unit, c):
            continue
        denominator = FRACTIONS.get(noun.lower_) if noun is not None and sign is None else None
        if denominator and value is not None and value < denominator:
            # "three-quarters of those arrests": a share
            of = [t for t in noun.children if t.dep_ == "prep" and t.lower_ == "of"]
            pobj = [t for t in of[0].children if t.dep_ == "pobj"] if of else []
            about = doc[pobj[0].left_edge.i:pobj[0].right_edge.i + 1].text if pobj else noun.text
            add(round(value / denominator * 100, 1), None, None, *QUDT["percent"], about, span, end_span, noun)
            continue
        add(value, low, high, unit, qudt, _about(end_span, noun, c), span, end_span, noun)
    return tuple(f.figure for f in _restatements_dropped(found, c))


def _restatements_dropped(found: list[_Found], c: _Cues) -> list[_Found]:
    """One figure for a number an article restates: the same value and unit in a later sentence,
    when the value is large enough not to recur by chance (100 or more) or counts the same noun,
    and nothing marks it as a new set ("four other passengers")."""
    kept: list[_Found] = []
    for f in found:
        fig = f.figure
        fresh = f.noun is not None and any(ch.lower_ in c.new_set for ch in f.noun.children)
        big = (fig.value if fig.value is not None else fig.high or 0) >= 100
        if not fresh and any(
                k.figure.value == fig.value and k.figure.low == fig.low and k.figure.high == fig.high
                and k.figure.unit == fig.unit and k.sent_start != f.sent_start
                and (big or (k.noun is not None and f.noun is not None and k.noun.lower_ == f.noun.lower_))
                for k in kept):
            continue
        kept.append(f)
    return kept
