"""Reading articles: files and catalogs in, the story told apart from page furniture.

Articles arrive as text saved from web pages: ads, share widgets, comment policies in
other languages, view counters and legal notices sit around the story. Each line is
classified (body, headline, byline, credit, dateline, heading, furniture) and kept as
a span of the *original* text, so every later offset points into the file as given.
No fact may come from furniture; bylines and credits only ever yield their people.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
import unicodedata
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from ..knowledge import Knowledge, load_knowledge
from ..model import Article, Credit, Segment
from ..text import fold, slug
from .html import PAGE_SUFFIXES, clean_url, fill_row, read_page

__all__ = [
    "Segment", "Credit", "Article", "IngestError", "MAX_CHARS",
    "parse_article", "read_catalog", "read_article", "read_articles", "nlp_text", "decode",
    "catalog_warnings", "opens_tail", "ARTICLE_SUFFIXES", "article_ids", "shown_name",
]

NLP_KINDS = ("body", "headline")


class IngestError(Exception):
    """An article that cannot be read; the message names the file and the reason.

    ``file`` and ``reason`` are kept apart: a file name may hold ": " itself ("b: colon.txt")."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file, self.reason = file, reason


# Characters a file name may hold that would break a one-line message or UTF-8 output: control
# characters, line and paragraph separators, direction overrides, and the undecodable bytes of a
# name that is not UTF-8 (which Python keeps as lone surrogates)
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown_name(name: str) -> str:
    """A file name as messages, report.json and article ids show it: each character that would
    break a line or UTF-8 written as an escape ("a\\x0ab.txt"); any other name unchanged.

    >>> shown_name("b: colon.txt"), shown_name("a\\nb.txt")
    ('b: colon.txt', 'a\\\\x0ab.txt')
    """
    return _UNSHOWABLE.sub(_escape, name)


# --- line classification ----------------------------------------------------------
#
# The words that mark furniture are cue lists of ontology/cues.yaml (each says what it covers):
# tail openers, furniture phrases and labels, widget words, calls to action, cookie notices,
# legal stems, credit labels, byline roles, dateline labels and the function words that tell
# English lines from others. What stays here are shapes made of numbers and punctuation.

_CUE_NAMES = (
    "furniture_tail", "furniture_phrases", "furniture_labels", "furniture_widget_words", "furniture_widget_fill",
    "furniture_call_to_action", "furniture_call_to_action_objects", "furniture_cookie_notice",
    "furniture_legal_words", "furniture_link_markers", "credit_labels", "credit_non_person", "byline_roles", "dateline_labels",
    "english_function_words", "other_language_function_words",
)


class _Cues(NamedTuple):
    """The cue lists ingest reads, compiled once per set of lists."""
    tail: re.Pattern  # matched at a line's start (lower case)
    phrases: tuple[str, ...]  # substrings of the lower-cased line
    labels: frozenset[str]
    widget: frozenset[str]
    widget_fill: frozenset[str]
    call_to_action: re.Pattern  # matched at a line's start (lower case)
    cta_words: frozenset[str]  # one-word objects of a call to action
    cta_phrases: tuple[str, ...]  # objects of several words ("log in")
    cookie: frozenset[str]
    legal: tuple[str, ...]
    link_marker: re.Pattern  # a whole line (lower case) that heads a block of related-story links
    credit: re.Pattern  # a credit label and its colon, anywhere in a line (any case)
    non_person: frozenset[str]
    byline: re.Pattern
    credit_role: re.Pattern
    dateline: re.Pattern
    english: frozenset[str]
    other: frozenset[str]


def _alternatives(words: frozenset[str]) -> str:
    """A regex alternation of phrases, longest first, each word's spaces as any run of spaces (an
    empty list matches nothing)."""
    if not words:
        return "(?!)"
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=8)
def _compile(lists: tuple[frozenset[str], ...]) -> _Cues:
    c = dict(zip(_CUE_NAMES, lists))
    cta_objects = c["furniture_call_to_action_objects"]
    roles = _alternatives(c["byline_roles"])
    return _Cues(
        tail=re.compile(rf"[\W_]*(?:{_alternatives(c['furniture_tail'])})(?!\w)"),
        phrases=tuple(sorted(c["furniture_phrases"])),
        labels=c["furniture_labels"],
        widget=c["furniture_widget_words"],
        widget_fill=c["furniture_widget_fill"],
        call_to_action=re.compile(rf"[\W_]*(?:{_alternatives(c['furniture_call_to_action'])})(?!\w)"),
        cta_words=frozenset(w for w in cta_objects if " " not in w),
        cta_phrases=tuple(sorted(w for w in cta_objects if " " in w)),
        cookie=c["furniture_cookie_notice"],
        legal=tuple(sorted(c["furniture_legal_words"])),
        # "Most read", "Related:", "Trending on KXYZ:", "More from the Harbor Times", "Recommended for
        # you": a marker, at most a short "on/from/for/in/at …" tail, an optional colon, nothing else
        link_marker=re.compile(
            rf"[\W_]*(?:{_alternatives(c['furniture_link_markers'])})"
            r"(?:\s+(?:on|from|for|in|at|by)(?:\s+[^\s.!?:;,]+){1,4})?\s*:?\s*$"),
        # "Photo: …", "Artist's sketch: …", "Image credit: …", "Credit…"; "Photo by Ana Paz/Getty Images";
        # a wire caption's tail "(AP Photo/Marco Ugarte)"
        credit=re.compile(
            rf"\b(?:{_alternatives(c['credit_labels'])})(?:\s+credits?)?\s*(?::|\.\.\.|…)\s*"
            rf"|^(?:{_alternatives(c['credit_labels'])})\s+by\s+"
            rf"|\((?:[A-Z]{{2,6}}\s+)?(?:{_alternatives(c['credit_labels'])})\s*/\s*", re.I),
        non_person=c["credit_non_person"],
        # "By Ann Lee", "(Reporting by Ana Ruiz; Editing by Bo Chan)"
        byline=re.compile(rf"^\(?\s*(?:(?:{roles})\s+)?by\s+(?P<names>.+?)\)?\s*$", re.I),
        credit_role=re.compile(rf"\b(?:{roles})\s+by\s+", re.I),
        # "Published 03/14/2023", "Updated: June 3, 2024": a label and a number within the next 40 characters
        dateline=re.compile(rf"^\s*(?:{_alternatives(c['dateline_labels'])})\b.{{0,40}}\d", re.I),
        english=c["english_function_words"],
        other=c["other_language_function_words"],
    )


def _cues(kb: Knowledge | None = None) -> _Cues:
    """The compiled cue lists of ``kb`` (the project's knowledge by default)."""
    kb = kb or load_knowledge()
    return _compile(tuple(kb.cue(name) for name in _CUE_NAMES))


# Counters after which a page holds no more story, as a short line of their own: "12 comments",
# "One comment", "No comments yet", "Comments (48)", "Comments" ("No comment was given" is story) …
_TAIL_COUNTER = re.compile(r"[\W_]*(?:(?:one|no|\d[\d,]*)\s+comments?\b|comments?\s*(?:\(\s*\d[\d,]*\s*\))?\s*$)")
# … and a view counter anywhere in a line: "This news has been read 138 times"
_READ_COUNTER = re.compile(r"\bread \d[\d,]* times\b")


def _opens_tail(low: str, n_words: int, c: _Cues) -> bool:
    """Whether a line (lower case, ``n_words`` words) opens the end of a page, after which no story comes."""
    return bool(c.tail.match(low) or (n_words <= 4 and _TAIL_COUNTER.match(low))
                or ("read " in low and _READ_COUNTER.search(low)))


def opens_tail(line: str, kb: Knowledge | None = None) -> bool:
    """Whether ``line`` opens the end of a page (comment box, related stories, view counter …).

    >>> opens_tail("Leave a Reply"), opens_tail("No comment was given by the embassy.")
    (True, False)
    """
    low = line.strip().lower()
    return _opens_tail(low, len(low.split()), _cues(kb))


# Furniture made of numbers, anywhere in a line (lower case): "(c) 2024"; "Copyright 2025 …",
# "Copyright © 2024"; "20 % off"; a reading or listening time: "6 Min Read", "5-minute read",
# "4 mins listen", "Reading time: 6 minutes"
_SHAPES = re.compile(
    r"\(c\)\s*\d{4}|\bcopyright\W{0,3}(?:\(c\)\s*)?\d{4}|\b\d+\s*% off\b"
    r"|\b\d+\s*-?\s*min(?:ute)?s?\.?\s+(?:read|listen)\b|\b(?:read|reading|listening) time\b"
)
_SHAPE_HINTS = ("(c)", "copyright", "% off", " read", " listen", " time")  # without one, _SHAPES cannot match
# Parts of a page's meta line, set apart by a middle dot, bar or bullet between spaces:
# "March 14, 2022 · Harbor City Times", "Tuesday, May 6, 2025 · by Nadia Okoro"
_SEPARATOR = re.compile(r"\s+[·|•‧∙]\s+")
# A calendar date in such a part: "Apr 11, 2022", "17 June 2023", "2023-06-17", "03/14/2023"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_CALENDAR_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b|\b\d{{4}}-\d\d-\d\d\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
)
_TOKENS = re.compile(r"[^\W_][\w'’-]*")  # the words and numbers of a line, "e-mail" and "don't" whole
_EDGE = " \t-–—•·|>*#\"'“”‘’"  # bullets, dashes and quotes around a label


def _is_furniture(stripped: str, low: str, c: _Cues) -> bool:
    """Whether a line (not a credit, byline or dateline) is page furniture."""
    if any(p in low for p in c.phrases):
        return True
    if any(h in low for h in _SHAPE_HINTS) and _SHAPES.search(low):
        return True
    colon = low.find(":")
    if 0 < colon <= 40:  # "Related: …", "Read more: …", "Filed under: …", "Editorial standards: …"
        label = low[:colon].strip(_EDGE)
        lw = label.split()
        if lw and len(lw) <= 5 and (label in c.labels or lw[0] in c.labels or " ".join(lw[:2]) in c.labels):
            return True
    if len(low) <= 160 and _is_widget(low, c):
        return True
    if c.call_to_action.match(low):  # "Sign up for our morning briefing …", "Support our reporting. Subscribe now."
        if any(t in c.cta_words for t in _TOKENS.findall(low)) or any(p in low for p in c.cta_phrases):
            return True
    if "cookie" in low and any(t in c.cookie for t in _TOKENS.findall(low)):
        return True  # "This website stores cookies; if you keep reading …"
    if sum(w in low for w in c.legal) >= 2:
        return True  # a disclaimer
    return _starts_with_symbol(stripped) or _is_foreign(stripped, c)


def _is_widget(low: str, c: _Cues) -> bool:
    """Whether a short line (lower case) is a share, listen, gift or ad widget: made only of widget
    words, fill and numbers ("Share: Facebook · X · Email", "Listen 7 min"), or made mostly of them
    and not ending as a sentence does ("Share Close extra sharing options Email Facebook Copy Link
    URL Copied! Print": a site's own button labels need not be in the lists)."""
    tokens = _TOKENS.findall(low)
    if not tokens or len(tokens) > 20:
        return False
    widget = sum(t in c.widget for t in tokens)
    known = widget + sum(t in c.widget_fill or t.isdigit() for t in tokens)
    if widget and known == len(tokens) and len(tokens) <= 12:
        return True
    # a story sentence naming platforms ("He posted it on Facebook, X and Telegram.") ends with
    # its period; a widget's labels run on without one
    return widget >= 2 and known >= 0.75 * len(tokens) and not low.rstrip().endswith(".")


def _credit_label(stripped: str, c: _Cues) -> re.Match | None:
    """The credit label of a line: at its start, after at most two words ("Artist's sketch:",
    "AP Photo:"), or after a caption's end ("… on Monday. Photo: …", "… (Photo: …"); a label
    inside a sentence ("he posted a photo: …") is none."""
    for m in c.credit.finditer(stripped):
        before = stripped[:m.start()].rstrip()
        if len(before.split()) <= 2 or before[-1] in ".!?)”\"(|–—-":
            return m
    return None


def _meta_parts(stripped: str) -> list[str] | None:
    """The parts of a meta line that gives the page's date and outlet or author, set apart by
    separators ("Harbor City Times | Apr 11, 2022"); None for any other line."""
    if not any(sep in stripped for sep in "·|•‧∙"):
        return None
    parts = _SEPARATOR.split(stripped)
    if len(parts) < 2 or any(len(p.split()) > 6 for p in parts):
        return None
    return parts if any(_CALENDAR_DATE.search(p.lower()) for p in parts) else None


_NAME = re.compile(r"^[A-ZÀ-Þ][\w’'.-]+(?:\s+(?:de|del|la|van|von|da|di|y|[A-ZÀ-Þ][\w’'.-]+)){1,3}$")


_WORDS = re.compile(r"[^\W\d_]+")


def _is_foreign(line: str, c: _Cues) -> bool:
    words = _WORDS.findall(line)
    if len(words) < 5:
        return False
    # an ASCII line lower-cases letter for letter: its words lower-cased in one call
    low = _WORDS.findall(line.lower()) if line.isascii() else [w.lower() for w in words]
    english = sum(w in c.english for w in low)
    if english / len(words) >= 0.08:
        return False
    other = sum(w in c.other for w in low)
    non_ascii = sum(not w.isascii() for w in words)
    # names and titles are not English function words either: only another language's words decide
    return other >= 2 or (other >= 1 and non_ascii > 0) or non_ascii / len(words) > 0.2


def _starts_with_symbol(line: str) -> bool:
    first = line.lstrip()[:1]
    return bool(first) and unicodedata.category(first) in ("So", "Sk", "Co", "Cs")


def _looks_like_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?\"”’)]\s*$", line.strip()))


# A line that ends as a sentence or clause does, before any closing quotes or brackets
_SENTENCE_END = re.compile(r"[.!?,;:][\"”’')\]]*\s*$")


def _headline_like(line: str) -> bool:
    """Whether a line reads as a headline, as a link to another story does: a few words (two to
    twenty), opening with a capital, a digit or a quote, not ending as a sentence ("Mexico deploys
    troops to the border", "Lawmaker says the claim is 'not true'")."""
    n = len(line.split())
    return 2 <= n <= 20 and len(line) <= 160 and (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'") \
        and not _SENTENCE_END.search(line)


def _unlinked(segments: list[Segment], text: str) -> list[Segment]:
    """The segments with the related-story links no marker announced made furniture: the
    headline-like lines after the story's last paragraph (links listed at a page's end), and runs
    of two or more in the middle of the story, right after a paragraph. A subheading is one line
    before its paragraph, a list a story introduces follows a colon or a heading, and the lines
    before the first paragraph are headline, standfirst and meta: all of these stay."""
    story = [i for i, s in enumerate(segments) if s.kind == "body" and _looks_like_sentence(text[s.start:s.end])]
    if not story:
        return segments
    out = list(segments)

    def link(i: int) -> bool:
        seg = segments[i]
        return seg.kind == "body" and _headline_like(text[seg.start:seg.end])

    for i in range(story[-1] + 1, len(segments)):
        if link(i):
            out[i] = Segment(segments[i].start, segments[i].end, "furniture")
    i = story[0] + 1
    while i < story[-1]:
        j = i
        while j < story[-1] and link(j):
            j += 1
        if j - i >= 2 and i - 1 in story and not text[segments[i - 1].start:segments[i - 1].end].rstrip().endswith(":"):
            for k in range(i, j):
                out[k] = Segment(segments[k].start, segments[k].end, "furniture")
        i = j + 1
    return out


def _credit_names(text: str, base: int, role_default: str, c: _Cues) -> Iterator[Credit]:
    """People in a byline or credit ("Matt Spetalnick; Editing by Timothy Gardner", "REUTERS/Karl
    Weiss", "Nadia Okoro | Coastal Wire Service"): every part that reads as a person's name
    and names no agency, outlet or office."""
    for m in re.finditer(r"[^;,/|·•]+", text):
        chunk = m.group()
        role_m = c.credit_role.search(chunk)
        offset = m.start()
        if role_m:
            offset += role_m.end()
            chunk = chunk[role_m.end():]
        chunk = re.split(r"\s+for\s+", chunk)[0]  # "Tim Lee for The Harbor Times": the outlet is no name
        parts = re.split(r"\s+and\s+", chunk)
        cursor = offset
        for part in parts:
            start = text.find(part, cursor)
            cursor = start + len(part)
            name = part.strip().strip("()").strip()
            name = re.sub(r"\s*\((editing|reporting|writing)\)$", "", name, flags=re.I)
            if _NAME.match(name) and not any(w in c.non_person for w in _WORDS.findall(name.lower())):
                s = base + text.find(name, start)
                yield Credit(name, s, s + len(name), role_default)


def parse_article(text: str, title: str | None = None, kb: Knowledge | None = None) -> tuple[list[Segment], list[Credit]]:
    """Classify every line of ``text``; return its segments and the credited people.

    Offsets are into ``text`` itself. The furniture markers are the cue lists of ``kb`` (the
    project's knowledge by default).

    >>> segs, credits = parse_article("Headline here\\n\\nBy Ann Lee\\n\\nThe minister spoke.\\n\\nLeave a Reply")
    >>> [s.kind for s in segs]
    ['headline', 'byline', 'body', 'furniture']
    >>> credits[0].name
    'Ann Lee'
    """
    c = _cues(kb)
    segments: list[Segment] = []
    credits: list[Credit] = []
    seen: set[str] = set()
    tail = False
    links = False  # inside a block of related-story links a marker line opened
    headline_done = False
    title_key = fold(title) if title else None
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        end = m.start() + len(line.rstrip())
        key = fold(stripped)
        words = stripped.split()

        def add(kind: str, s: int = start, e: int = end) -> None:
            segments.append(Segment(s, e, kind))

        low = stripped.lower()
        if tail or _opens_tail(low, len(words), c):
            tail = True
            add("furniture")
            continue
        if key in seen and len(words) > 2:
            add("furniture")  # a repeated headline or widget
            continue
        seen.add(key)
        if links and _headline_like(stripped):
            add("furniture")  # a link of the block
            continue
        links = False
        if len(words) <= 9 and c.link_marker.match(low):
            links = True  # "Most read", "Related:", "Trending on KXYZ:": links follow
            add("furniture")
            continue
        if _is_furniture(stripped, low, c):
            add("furniture")
            continue
        if c.dateline.match(stripped):
            add("dateline")
            continue
        byline = c.byline.match(stripped)
        if byline and len(words) <= 14:
            add("byline")
            names_at = start + byline.start("names")
            credits.extend(_credit_names(byline.group("names"), names_at, "journalist", c))
            continue
        parts = _meta_parts(stripped)
        if parts:  # "Harbor City Times | Apr 11, 2022", "Tuesday, May 6, 2025 · by Nadia Okoro"
            add("dateline")
            cursor = 0
            for part in parts:
                at = stripped.find(part, cursor)
                cursor = at + len(part)
                by = c.byline.match(part)
                if by:
                    credits.extend(_credit_names(by.group("names"), start + at + by.start("names"), "journalist", c))
            continue
        # a credit has its colon or ellipsis ("Photo: …", "Credit…"), its "by" or its slash ("(AP Photo/…)")
        credit = _credit_label(stripped, c) if any(h in low for h in (":", "/", " by ", "...", "…")) else None
        if credit:
            cut = credit.start()
            before = stripped[:cut]
            if len(before.split()) > 2:
                add("furniture", start, start + len(before.rstrip()))  # a caption before its credit
            else:
                cut = 0  # "Artist's sketch:", "AP Photo:": the words before the label are the label's
            add("credit", start + cut, end)
            credits.extend(_credit_names(stripped[credit.end():], start + credit.end(), "other", c))
            continue
        if not headline_done and (title_key is None or key == title_key or len(words) > 4):
            headline_done = True
            add("headline")
            continue
        if title_key and key == title_key:
            add("headline")
            continue
        if len(words) <= 4 and not _looks_like_sentence(stripped):
            add("heading")  # section labels such as "Latam" or "-Migration"
            continue
        add("body")
    return _unlinked(segments, text), credits


def nlp_text(article: Article) -> str:
    """The article text with everything but story lines blanked out (same length).

    Blanking instead of cutting keeps spaCy's character offsets equal to the file's.
    """
    chars = [c if c == "\n" else " " for c in article.text]
    for seg in article.segments:
        if seg.kind in NLP_KINDS:
            chars[seg.start:seg.end] = article.text[seg.start:seg.end]
    return "".join(chars)


# --- files and catalog ------------------------------------------------------------

# Two days far apart: a catalog date read against each must come out the same, or it depends on
# the day it is read ("yesterday", "Thursday", "3 days ago", "June 3" without its year)
_BASE_DAYS = (datetime(2001, 1, 1), datetime(2011, 7, 15))


def _parse_date(value: str | None) -> tuple[date | None, str | None]:
    """A catalog date: (the date, None), or (None, why it is not one). A relative date is refused:
    resolved against the build day, the graph would change with the day it is built."""
    if not value or not value.strip():
        return None, None
    try:
        return date.fromisoformat(value.strip()), None
    except ValueError:
        import dateparser  # slow to import: only when a catalog date is not ISO

        read = [dateparser.parse(value, languages=["en"],
                                 settings={"PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": base})
                for base in _BASE_DAYS]
        if read[0] is None or read[1] is None:
            return None, "is not a date"
        if read[0].date() != read[1].date():
            return None, "is relative to the day it is read (give the calendar date)"
        return read[0].date(), None


# What no person's name holds: markup, a web or mail address, code
_NOT_A_NAME = re.compile(r"[<>{}\[\]=|\\]|://|\bwww\.|@|\.(?:com|org|net|html?)\b", re.I)
_MAX_NAME = 80  # characters; the longest names run to about 50


def _split_authors(value: str | None) -> tuple[list[str], list[str]]:
    """The names of a catalog ``authors`` field, and the parts refused as no person's name."""
    if not value:
        return [], []
    names, refused = [], []
    for part in re.split(r";|\band\b", value):
        name = re.sub(r"\(.*?\)", "", part).strip()
        if not name:
            continue
        if (_NOT_A_NAME.search(name) or len(name) > _MAX_NAME or len(name.split()) > 8
                or not re.search(r"[^\W\d_]", name)):
            refused.append(name)
        else:
            names.append(name)
    return names, refused


CATALOG = "catalog.csv"
CATALOG_MAX_BYTES = 64 * 2**20  # far beyond any catalog; a bound for a file that never ends

# Control characters have no place in a title, outlet or name: line breaks and tabs become spaces,
# the others (NUL, escapes, bidirectional overrides, zero-width marks) are removed
_FIELD_SPACE = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_FIELD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a regular file"


def _read_capped(path: Path, max_bytes: int, name: str, limit: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, never more read.

    Opened without blocking and checked on the open file: a FIFO (which would wait for a writer
    forever), a device (/dev/zero never ends) or a folder is refused, as is a file larger than
    the cap, before anything is decoded. ``limit`` says what the cap stands for in the message."""
    limit = limit or f"{max_bytes:,} bytes"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise IngestError(name, f"cannot read ({exc.strerror or exc})") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(name, f"{_file_kind(info.st_mode)}, not a file (skipped)")
        if info.st_size > max_bytes:
            raise IngestError(name, f"too large ({info.st_size:,} bytes; the limit is {limit})")
        chunks, size = [], 0
        while size <= max_bytes:  # a file still growing is cut at the cap, not read to its end
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise IngestError(name, f"cannot read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    if size > max_bytes:
        raise IngestError(name, f"too large (more than {max_bytes:,} bytes; the limit is {limit})")
    return b"".join(chunks)


def _outside(path: Path, root: Path) -> str | None:
    """Why ``path`` (a name in the folder ``root``, resolved) is not read: a link to nothing or
    leading out of the folder; None for a file of the folder."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    if not target.exists():
        return "cannot read (a link to nothing)"
    if not target.is_relative_to(root):
        return "a link leading out of the folder (skipped; copy the file in to build it)"
    return None


def _clean_field(value: str | None) -> tuple[str, bool]:
    """A catalog field without control characters, and whether any was removed."""
    spaced = _FIELD_SPACE.sub(" ", value or "")
    cleaned = _FIELD_CONTROL.sub("", spaced)
    return cleaned, cleaned != spaced


def _load_catalog(folder: Path) -> tuple[dict[str, dict], list[str] | None, list[str]]:
    """``catalog.csv``'s rows by article id (file stem), its header (None when there is no
    catalog) and what was wrong with it. Nothing here raises: a catalog in any encoding or shape
    gives the rows that can be read and a warning for the rest."""
    folder = Path(folder)
    path = folder / CATALOG
    if not path.exists() and not path.is_symlink():
        return {}, None, []
    why = _outside(path, folder.resolve())
    try:
        if why:
            raise IngestError(CATALOG, why)
        text, warnings = decode(_read_capped(path, CATALOG_MAX_BYTES, CATALOG), CATALOG, tolerant=True)
    except IngestError as exc:
        return {}, [], [f"{CATALOG}: {exc.reason}; no catalog read"]
    warnings = [w.replace(f"{CATALOG}: ", f"{CATALOG}: the file is ", 1) for w in warnings]
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows: dict[str, dict] = {}
    header: list[str] = []
    dirty: list[str] = []
    try:
        header = [_clean_field(h)[0].strip() for h in next(reader, [])]
        for record in reader:
            row = {}
            for col, value in zip(header, record):
                row[col], changed = _clean_field(value)
                if changed:
                    dirty.append(f"line {reader.line_num} ({col})")
            name = (row.get("file") or "").strip()
            if name:
                rows[Path(name).stem] = row
    except csv.Error as exc:
        warnings.append(f"{CATALOG}: line {reader.line_num}: {exc}; the rows after it are not read")
    if dirty:
        more = f" and {len(dirty) - 3} more" if len(dirty) > 3 else ""
        warnings.append(f"{CATALOG}: control characters removed from {', '.join(dirty[:3])}{more}")
    return rows, header, warnings


def read_catalog(folder: Path) -> dict[str, dict]:
    """Rows of ``catalog.csv`` keyed by article id (file stem); empty when absent or unreadable
    (:func:`catalog_warnings` says why)."""
    return _load_catalog(folder)[0]


MAX_CHARS = 1_000_000  # spaCy's own default limit; larger articles are skipped with a note


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)  # not tab, newline, CR, form feed


def _utf16_without_bom(raw: bytes, name: str) -> tuple[str, list[str]] | None:
    """UTF-16 text saved without its byte order mark: mostly Latin script, so one byte of nearly
    every pair is zero (the second in little-endian, the first in big-endian); None otherwise."""
    sample = raw[:65536]
    even, odd = sample[0::2], sample[1::2]
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if len(zeros) >= 2 and zeros.count(0) > 0.3 * len(zeros) and other.count(0) < 0.05 * len(other):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if not _FIELD_CONTROL.search(text[:32768]):
                return text, [f"{name}: read as {codec.upper()} (no byte order mark)"]
    return None


def decode(raw: bytes, name: str, tolerant: bool = False) -> tuple[str, list[str]]:
    """Bytes → text, with a warning when the file was not UTF-8.

    BOMs say UTF-8/16/32; otherwise UTF-16 without its BOM is recognised, then UTF-8 is
    tried, then Windows-1252 (what web pages saved on Windows usually are), then Latin-1.
    NUL bytes or control characters (over 1 %) mean a binary file, which is refused
    (``tolerant``: NULs and up to 5 % are let through for the caller to remove, as the catalog
    does; random bytes hold about 10 %).
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError(name, f"broken {codec} text (byte {exc.start})") from exc
            return text, ([] if codec == "utf-8-sig" else [f"{name}: read as {codec.upper()}"])
    sample = raw[:65536]
    if b"\x00" in sample:
        found = _utf16_without_bom(raw, name)
        if found:
            return found
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > len(sample) * (0.05 if tolerant else 0.01) or (not tolerant and b"\x00" in sample):
        raise IngestError(name, "binary file, not text")
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), [f"{name}: not UTF-8, read as Windows-1252"]
    except UnicodeDecodeError:
        return raw.decode("latin-1"), [f"{name}: not UTF-8, read as Latin-1"]


_HTML = re.compile(r"^\s*(<!doctype html|<html\b)|<(body|p|div|article)\b[^>]*>", re.I)


def _english_share(text: str, c: _Cues) -> float:
    words = [w.lower() for w in _WORDS.findall(text)]
    return sum(w in c.english for w in words) / len(words) if words else 0.0


def read_article(path: Path, row: dict | None = None, max_chars: int = MAX_CHARS,
                 kb: Knowledge | None = None) -> Article:
    """Read one article file and its catalog row into an :class:`Article` (furniture told apart
    with the cue lists of ``kb``, the project's knowledge by default).

    Raises :class:`IngestError` (its message names the file and the reason) for what
    cannot be built; what can be built despite a problem carries a warning.
    """
    path = Path(path)
    name = shown_name(path.name)
    # at most 4 bytes a character (UTF-32) and a BOM: a larger file cannot be within max_chars
    raw = _read_capped(path, 4 * max_chars + 4, name, f"{max_chars:,} characters")
    text, warnings = decode(raw, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sources: dict[str, str] = {}
    page = path.suffix.lower() in PAGE_SUFFIXES or bool(_HTML.search(text[:5000]))
    if page:  # a saved web page: its story and metadata (graph.read.html)
        if path.suffix.lower() not in PAGE_SUFFIXES:
            warnings.append(f"{name}: an HTML page; its text was extracted (offsets refer to that text)")
        extracted = read_page(text)
        if not extracted.text.strip() and text.strip():
            raise IngestError(name, "no story found in the HTML page")
        text = extracted.text
        row, sources = fill_row(row, extracted)
    if not text.strip():
        raise IngestError(name, "empty article")
    if len(text) > max_chars:
        raise IngestError(name, f"too large ({len(text):,} characters; the limit is {max_chars:,})")
    row = row or {}
    title = (row.get("title") or "").strip() or None
    if len(text.split()) >= 30 and _english_share(text, _cues(kb)) < 0.05:  # before classifying its lines
        raise IngestError(name, "not in English (skipped; only English articles are read)")
    segments, credits = parse_article(text, title, kb)
    if not any(s.kind == "body" for s in segments):
        warnings.append(f"{name}: no story text found, only page furniture")
    if title is None:
        heads = [s for s in segments if s.kind == "headline"]
        title = text[heads[0].start:heads[0].end] if heads else None
    authors, refused = _split_authors(row.get("authors"))
    warnings += [f"{name}: catalog author {author[:60]!r} is not a person's name; ignored" for author in refused]
    for c in credits:
        if c.role == "journalist" and fold(c.name) not in {fold(a) for a in authors}:
            authors.append(c.name)
    published, why = _parse_date(row.get("published"))
    if why:
        warnings.append(f"{name}: catalog date {row['published'][:60]!r} {why}; ignored")
    url = clean_url(row.get("url"))
    if url is None and (row.get("url") or "").strip():
        warnings.append(f"{name}: catalog url {row['url'][:200]!r} is not an http(s) address; ignored")
    return Article(
        id=shown_name(path.stem), text=text, segments=segments, credits=credits, title=title,
        outlet=(row.get("outlet") or "").strip() or None, authors=authors,
        published=published, path=str(path), warnings=warnings,
        url=url, from_page=page, sources=tuple(sorted(sources.items())),
    )


CATALOG_COLUMNS = ("file", "title", "outlet", "authors", "published")  # expected; `url` is optional
ARTICLE_SUFFIXES = (".txt", *PAGE_SUFFIXES)  # text files and saved web pages


def _article_paths(folder: Path) -> list[Path]:
    """The article files of ``folder`` in name order (suffixes in any case)."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith("."))


def catalog_warnings(folder: Path) -> list[str]:
    """Problems with ``catalog.csv`` itself: unreadable, missing columns, control characters
    removed, rows for files that are not there."""
    catalog, header, out = _load_catalog(folder)
    if not header:  # no catalog, or none that could be read
        return out
    out += [f"catalog.csv: no {col!r} column" for col in CATALOG_COLUMNS if col not in header]
    present = {p.stem for p in _article_paths(folder)}
    out += [f"catalog.csv: a row for {row.get('file')!r}, which is not in the folder"
            for stem, row in sorted(catalog.items()) if stem not in present]
    return out


def article_ids(names: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """The article id of each file name, and a warning for a renamed one.

    An id is the file stem, and an article's IRI is made of its id folded (:func:`slug`):
    "Report A.txt" and "report_a.txt", or two names of emoji only, would be one article. Of the
    names that fold alike, the first in code point order keeps its stem; each other one gets the
    folded id and a hash of its own name ("report-a-1f0c3a9e"): the same ids whatever order the
    files came in and whatever else is in the folder.
    """
    groups: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        groups.setdefault(slug(Path(name).stem), []).append(name)
    taken = set(groups)
    ids: dict[str, tuple[str, str | None]] = {}
    for key, members in sorted(groups.items()):
        ids[members[0]] = (shown_name(Path(members[0]).stem), None)
        for name in members[1:]:
            digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
            size = 8
            while f"{key}-{digest[:size]}" in taken:  # another file is named so already
                size += 4
            new = f"{key}-{digest[:size]}"
            taken.add(new)
            ids[name] = (new, (f"{shown_name(name)}: its name folds to the same article id as "
                               f"{shown_name(members[0])} ({key!r}); "
                               f"built as {new!r}"))
    return ids


def read_articles(folder: Path, max_chars: int = MAX_CHARS,
                  kb: Knowledge | None = None) -> Iterator[Article | IngestError]:
    """Every article (``*.txt``, and saved pages ``*.html``, ``*.htm``) in ``folder`` in name order;
    unreadable ones come as errors.

    A link leading out of the folder is not followed: what is built is what the folder holds."""
    folder = Path(folder)
    root = folder.resolve()
    catalog = read_catalog(folder)
    paths = _article_paths(folder)
    ids = article_ids(p.name for p in paths)  # "a.txt" and "a.html" fold alike: one keeps the stem
    for path in paths:
        try:
            why = _outside(path, root)
            if why:
                raise IngestError(shown_name(path.name), why)
            article = read_article(path, catalog.get(path.stem), max_chars, kb)
        except IngestError as exc:
            yield exc
            continue
        new_id, note = ids[path.name]
        yield article if note is None else replace(article, id=new_id, warnings=(*article.warnings, note))
