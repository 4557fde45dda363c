"""Stage 1 — ingest: read article files and separate the story from page furniture.

Articles arrive as text saved from web pages: ads, share widgets, comment policies in
other languages, view counters and legal notices sit around the story. Each line is
classified (body, headline, byline, credit, dateline, heading, furniture) and kept as
a span of the *original* text, so every later offset points into the file as given.
No fact may come from furniture; bylines and credits only ever yield their people.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Iterator

from ..model import Article, Credit, Segment
from ..text import fold

__all__ = [
    "Segment", "Credit", "Article", "IngestError", "MAX_CHARS",
    "parse_article", "read_catalog", "read_article", "read_articles", "nlp_text", "decode", "html_to_text",
    "catalog_warnings",
]

NLP_KINDS = ("body", "headline")


class IngestError(Exception):
    """An article that cannot be read; the message names the file and the reason."""


# --- line classification ----------------------------------------------------------

_EN_FUNCTION = frozenset(
    "the a an of to in on at for and or but with from by as is are was were be been has have had "
    "that this it its he she they we his her their our not no will would can could said says who "
    "which what when than then there after before into over about".split()
)
# An alternative added to _TAIL or _FURNITURE that can match past a line's start needs its word in
# _TAIL_HINTS or _FURNITURE_HINTS below, or only lines starting with it are found.
# Markers after which a page holds no more story (comment boxes, related links, legal).
# _TAIL, _FURNITURE and _LEGAL_WORDS are matched on lower-cased lines: faster than re.I, and
# they are asked of every line of every article
_TAIL = re.compile(
    r"^\W*(leave a (reply|comment)|add a comment|post a comment|latest comments|previous and next|"
    r"related (news|articles|stories)|risk disclosure|(one|no|\d+) comments?\b|comments\s*$)"
    r"|\bhas been read \d[\d,]* times\b|\bread \d[\d,]* times\b",
)
_FURNITURE = re.compile(
    r"all rights reserved|©|\(c\)\s*\d{4}|\bnot an offer\b|\bremove ads\b|\b3rd party ad\b|"
    r"\b\d+\s*% off\b|^\W*(share|tweet|email|print|advertisement|sponsored|subscribe)( this)?\W*$|"
    r"\bprivacy policy\b|\bterms of (use|service)\b|\bcookie (policy|settings)\b|^\W*(kaynak|source)\s*:",
)
_LEGAL_WORDS = re.compile(
    r"liabilit|disclaim|investment|trading|intellectual property|prior written permission|advertis|"
    r"not necessarily|financial instruments|reproduce",
)
_LEGAL_HINTS = tuple(_LEGAL_WORDS.pattern.split("|"))  # plain words: a line with none needs no findall
# Substrings without which _TAIL and _FURNITURE cannot match past a line's start: tested first (at
# C speed), they spare most body lines a scan by patterns of many alternatives
_TAIL_HINTS = ("read ",)
_FURNITURE_HINTS = ("all rights reserved", "©", "(c)", "not an offer", "remove ads", "3rd party ad", "% off",
                    "privacy policy", "terms of ", "cookie ")


def _found(pattern: re.Pattern, hints: tuple[str, ...], low: str) -> bool:
    """``pattern.search(low)``, searched only where a hint shows it could match past the start."""
    return bool(pattern.match(low) or (any(h in low for h in hints) and pattern.search(low)))


_BYLINE = re.compile(r"^\(?\s*(?:(?:reporting|writing|editing|additional reporting|compiled)\s+)?by\s+(?P<names>.+?)\)?\s*$", re.I)
_CREDIT_ROLE = re.compile(r"\b(reporting|writing|editing|additional reporting)\s+by\s+", re.I)
_PHOTO = re.compile(r"\b(photo|image|photograph|picture)( credit)?\s*:\s*", re.I)
_DATELINE = re.compile(r"^\s*(published|updated|posted|last updated)\b.{0,40}\d", re.I)
_NON_PERSON_CREDIT = re.compile(
    r"\b(staff|news|agency|images?|photos?|reuters|getty|afp|ap|press|media|report|archive|"
    r"government|office|department|handout|courtesy|file)\b",
    re.I,
)
_NAME = re.compile(r"^[A-ZÀ-Þ][\w’'.-]+(?:\s+(?:de|del|la|van|von|da|di|y|[A-ZÀ-Þ][\w’'.-]+)){1,3}$")


# Function words of the other languages such pages carry (Spanish, Portuguese, French,
# German, Turkish): a line made of these and no English ones is not the story.
_OTHER_FUNCTION = frozenset(
    "el la los las que y en del con por para una uno es se su al lo como pero o "
    "os um uma não em com do da dos das "
    "le les des et est une dans pour pas sur "
    "der die das und ist nicht mit auf für "
    "ve veya bir ile için bu da de ya çok olarak".split()
)


_WORDS = re.compile(r"[^\W\d_]+")


def _is_foreign(line: str) -> bool:
    words = _WORDS.findall(line)
    if len(words) < 5:
        return False
    # an ASCII line lower-cases letter for letter: its words lower-cased in one call
    low = _WORDS.findall(line.lower()) if line.isascii() else [w.lower() for w in words]
    english = sum(w in _EN_FUNCTION for w in low)
    if english / len(words) >= 0.08:
        return False
    other = sum(w in _OTHER_FUNCTION for w in low)
    non_ascii = sum(not w.isascii() for w in words)
    # names and titles are not English function words either: only another language's words decide
    return other >= 2 or (other >= 1 and non_ascii > 0) or non_ascii / len(words) > 0.2


def _starts_with_symbol(line: str) -> bool:
    first = line.lstrip()[:1]
    return bool(first) and unicodedata.category(first) in ("So", "Sk", "Co", "Cs")


def _looks_like_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?\"”’)]\s*$", line.strip()))


def _credit_names(text: str, base: int, role_default: str) -> Iterator[Credit]:
    """People in a byline or credit ("Matt Spetalnick; Editing by Timothy Gardner")."""
    for m in re.finditer(r"[^;,/]+", text):
        chunk = m.group()
        role_m = _CREDIT_ROLE.search(chunk)
        offset = m.start()
        if role_m:
            offset += role_m.end()
            chunk = chunk[role_m.end():]
        parts = re.split(r"\s+and\s+", chunk)
        cursor = offset
        for part in parts:
            start = text.find(part, cursor)
            cursor = start + len(part)
            name = part.strip().strip("()").strip()
            name = re.sub(r"\s*\((editing|reporting|writing)\)$", "", name, flags=re.I)
            if _NAME.match(name) and not _NON_PERSON_CREDIT.search(name):
                s = base + text.find(name, start)
                yield Credit(name, s, s + len(name), role_default)


def parse_article(text: str, title: str | None = None) -> tuple[list[Segment], list[Credit]]:
    """Classify every line of ``text``; return its segments and the credited people.

    Offsets are into ``text`` itself.

    >>> segs, credits = parse_article("Headline here\\n\\nBy Ann Lee\\n\\nThe minister spoke.\\n\\nLeave a Reply")
    >>> [s.kind for s in segs]
    ['headline', 'byline', 'body', 'furniture']
    >>> credits[0].name
    'Ann Lee'
    """
    segments: list[Segment] = []
    credits: list[Credit] = []
    seen: set[str] = set()
    tail = False
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
        if tail or _found(_TAIL, _TAIL_HINTS, low):
            tail = True
            add("furniture")
            continue
        if key in seen and len(words) > 2:
            add("furniture")  # a repeated headline or widget
            continue
        seen.add(key)
        if (_found(_FURNITURE, _FURNITURE_HINTS, low) or _starts_with_symbol(stripped) or _is_foreign(stripped)
                or (any(w in low for w in _LEGAL_HINTS) and len(_LEGAL_WORDS.findall(low)) >= 2)):
            add("furniture")
            continue
        if _DATELINE.match(stripped):
            add("dateline")
            continue
        byline = _BYLINE.match(stripped)
        if byline and len(words) <= 14:
            add("byline")
            names_at = start + byline.start("names")
            credits.extend(_credit_names(byline.group("names"), names_at, "journalist"))
            continue
        photo = _PHOTO.search(stripped) if ":" in stripped else None  # "Photo: …" has its colon
        if photo:
            cut = start + photo.start()
            if photo.start() > 0:
                add("headline" if not headline_done else "body", start, cut)
            add("credit", cut, end)
            credit_text = stripped[photo.end():]
            credits.extend(_credit_names(credit_text.split("/")[0], start + photo.end(), "other"))
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
    return segments, credits


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

def _parse_date(value: str | None) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        import dateparser  # slow to import: only when a catalog date is not ISO

        parsed = dateparser.parse(value, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
        return parsed.date() if parsed else None


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    names = []
    for part in re.split(r";|\band\b", value):
        name = re.sub(r"\(.*?\)", "", part).strip()
        if name:
            names.append(name)
    return names


def read_catalog(folder: Path) -> dict[str, dict]:
    """Rows of ``catalog.csv`` keyed by article id (file stem); empty when absent."""
    path = Path(folder) / "catalog.csv"
    if not path.exists():
        return {}
    rows = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("file") or "").strip()
            if name:
                rows[Path(name).stem] = row
    return rows


MAX_CHARS = 1_000_000  # spaCy's own default limit; larger articles are skipped with a note


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)  # not tab, newline, CR, form feed


def decode(raw: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes → text, with a warning when the file was not UTF-8.

    BOMs say UTF-8/16/32; otherwise UTF-8 is tried, then Windows-1252 (what web pages
    saved on Windows usually are), then Latin-1. NUL bytes or control characters mean a
    binary file, which is refused.
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError(f"{name}: broken {codec} text (byte {exc.start})") from exc
            return text, ([] if codec == "utf-8-sig" else [f"{name}: read as {codec.upper()}"])
    sample = raw[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > len(sample) * 0.01:
        raise IngestError(f"{name}: binary file, not text")
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), [f"{name}: not UTF-8, read as Windows-1252"]
    except UnicodeDecodeError:
        return raw.decode("latin-1"), [f"{name}: not UTF-8, read as Latin-1"]


_HTML = re.compile(r"^\s*(<!doctype html|<html\b)|<(body|p|div|article)\b[^>]*>", re.I)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page: scripts, styles and navigation dropped, blocks on their own lines."""
    from html.parser import HTMLParser

    skip_tags = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg", "template"}
    blocks = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section",
              "blockquote", "figcaption", "title", "ul", "ol", "table"}

    class Extract(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag, attrs):
            if tag in skip_tags:
                self.skipping += 1
            elif tag in blocks:
                self.out.append("\n\n")

        def handle_endtag(self, tag):
            if tag in skip_tags:
                self.skipping = max(0, self.skipping - 1)
            elif tag in blocks:
                self.out.append("\n\n")

        def handle_data(self, data):
            if not self.skipping:
                self.out.append(data)

    parser = Extract()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _english_share(text: str) -> float:
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    return sum(w in _EN_FUNCTION for w in words) / len(words) if words else 0.0


def read_article(path: Path, row: dict | None = None, max_chars: int = MAX_CHARS) -> Article:
    """Read one article file and its catalog row into an :class:`Article`.

    Raises :class:`IngestError` (its message names the file and the reason) for what
    cannot be built; what can be built despite a problem carries a warning.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    text, warnings = decode(raw, path.name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _HTML.search(text[:5000]):
        text = html_to_text(text)
        warnings.append(f"{path.name}: an HTML page; its text was extracted (offsets refer to that text)")
    if not text.strip():
        raise IngestError(f"{path.name}: empty article")
    if len(text) > max_chars:
        raise IngestError(f"{path.name}: too large ({len(text):,} characters; the limit is {max_chars:,})")
    row = row or {}
    title = (row.get("title") or "").strip() or None
    segments, credits = parse_article(text, title)
    if len(text.split()) >= 30 and _english_share(text) < 0.05:
        raise IngestError(f"{path.name}: not in English (skipped; only English articles are read)")
    if not any(s.kind == "body" for s in segments):
        warnings.append(f"{path.name}: no story text found, only page furniture")
    if title is None:
        heads = [s for s in segments if s.kind == "headline"]
        title = text[heads[0].start:heads[0].end] if heads else None
    authors = _split_authors(row.get("authors"))
    for c in credits:
        if c.role == "journalist" and fold(c.name) not in {fold(a) for a in authors}:
            authors.append(c.name)
    published = None
    if row.get("published"):
        published = _parse_date(row.get("published"))
        if published is None:
            warnings.append(f"{path.name}: catalog date {row['published']!r} is not a date; ignored")
    return Article(
        id=path.stem, text=text, segments=segments, credits=credits, title=title,
        outlet=(row.get("outlet") or "").strip() or None, authors=authors,
        published=published, path=str(path), warnings=warnings,
    )


CATALOG_COLUMNS = ("file", "title", "outlet", "authors", "published")


def catalog_warnings(folder: Path, catalog: dict[str, dict]) -> list[str]:
    """Problems with ``catalog.csv`` itself: missing columns, rows for files that are not there."""
    path = Path(folder) / "catalog.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    out = [f"catalog.csv: no {col!r} column" for col in CATALOG_COLUMNS if col not in header]
    present = {p.stem for p in Path(folder).glob("*.txt")}
    out += [f"catalog.csv: a row for {row.get('file')!r}, which is not in the folder"
            for stem, row in sorted(catalog.items()) if stem not in present]
    return out


def read_articles(folder: Path, max_chars: int = MAX_CHARS) -> Iterator[Article | IngestError]:
    """Every ``*.txt`` article in ``folder`` in name order; unreadable ones come as errors."""
    folder = Path(folder)
    catalog = read_catalog(folder)
    for path in sorted(folder.glob("*.txt")):
        try:
            yield read_article(path, catalog.get(path.stem), max_chars)
        except IngestError as exc:
            yield exc
