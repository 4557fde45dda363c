"""Saved web pages: the story's text and the page's own metadata, read with trafilatura.

A page saved from a browser holds menus, cookie banners, ads, related links and comments
around the story. trafilatura (a maintained main-content extractor) keeps the story, and
reads the title, authors, date, site name and canonical address the page declares in its
metadata (``<meta>``, Open Graph, JSON-LD, ``<link rel=canonical>``). The text it gives is
what every offset of the article then points into; the build keeps it beside the graph
(``texts/ID.txt``) so each offset can be checked.

Extraction is offline and deterministic: trafilatura reads only the markup given (it never
fetches), and the date is read from the page's metadata alone with a fixed latest date
(its default, today's date, would make the result depend on when the build runs).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

__all__ = ["Page", "PAGE_SUFFIXES", "METADATA_FIELDS", "read_page", "fill_row", "clean_url"]

PAGE_SUFFIXES = (".html", ".htm")

# catalog columns a page's metadata can fill, and the page field each is read from
METADATA_FIELDS = ("title", "outlet", "authors", "published", "url")

# htmldate's parameters: the page's markup only (its "extensive" search guesses from any date in
# the text), and a fixed latest date instead of today's so a page reads the same any day
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "min_date": "1990-01-01", "max_date": "2100-12-31"}


@dataclass(frozen=True)
class Page:
    """What a saved page gives: its story as text (paragraphs set apart by a blank line, the
    title first) and the metadata it declares (None where it declares nothing)."""
    text: str
    title: str | None = None
    outlet: str | None = None
    authors: str | None = None  # as the page gives them, "; " between names
    published: str | None = None  # ISO date
    url: str | None = None  # canonical address, when it is an http(s) one

    def metadata(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in METADATA_FIELDS}


def _clean(value) -> str | None:
    value = " ".join(str(value).split()) if value else ""
    return value or None


def read_page(markup: str) -> Page:
    """The story and metadata of an HTML page (text ``""`` when the page holds no story).

    >>> page = read_page('<html><head><title>Talks end | Harbor Times</title>'
    ...                  '<link rel="canonical" href="https://harbor.example/talks"></head><body>'
    ...                  '<nav>Home World</nav><article><h1>Talks end</h1><p>The ministers met on Monday '
    ...                  'in Ottawa and agreed to meet again in June to talk about the border.</p></article>'
    ...                  '</body></html>')
    >>> page.text.splitlines()[0], page.url
    ('Talks end', 'https://harbor.example/talks')
    """
    import trafilatura  # imported on first use: a folder of .txt articles never pays for it

    doc = trafilatura.bare_extraction(
        markup, with_metadata=True, include_comments=False, include_tables=False, include_images=False,
        deduplicate=False, favor_precision=True, date_extraction_params=dict(_DATE_PARAMS))
    if doc is None:
        return Page("")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = _clean(meta.get("title"))
    # one paragraph a line as trafilatura gives them, each set apart by a blank line (how
    # articles saved as text come, and what the line classifier reads best)
    lines = [" ".join(line.split()) for line in (meta.get("text") or "").splitlines()]
    lines = [line for line in lines if line]
    if title and lines and lines[0] != title:
        lines.insert(0, title)  # the headline outside the main block: the story starts with it
    text = "\n\n".join(lines) + "\n" if lines else ""
    return Page(text=text, title=title, outlet=_clean(meta.get("sitename")), authors=_clean(meta.get("author")),
                published=_clean(meta.get("date")), url=clean_url(meta.get("url")))


# what stays as it is in an address: RFC 3986's reserved characters and the percent sign
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def clean_url(value: str | None) -> str | None:
    """An http(s) address as an IRI the graph can hold (spaces and other unsafe characters
    percent-encoded), or None for anything else (``javascript:``, relative paths, mail).

    >>> clean_url(" https://example.org/a b "), clean_url("javascript:alert(1)"), clean_url("/news/1")
    ('https://example.org/a%20b', None, None)
    """
    value = (value or "").strip()
    if not value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"{}|\\^`]", parts.netloc):
        return None
    return quote(value, safe=_URL_SAFE)


def fill_row(row: dict | None, page: Page) -> tuple[dict, dict[str, str]]:
    """The catalog row with the page's metadata where the catalog is silent (the catalog wins
    where both speak), and where each field came from: ``{field: "catalog" | "page"}``.

    >>> fill_row({"title": "Ours", "outlet": ""}, Page("x", title="Theirs", outlet="Harbor Times"))
    ({'title': 'Ours', 'outlet': 'Harbor Times'}, {'title': 'catalog', 'outlet': 'page'})
    """
    row = dict(row or {})
    sources: dict[str, str] = {}
    for name, value in page.metadata().items():
        if (row.get(name) or "").strip():
            sources[name] = "catalog"
        elif value:
            row[name] = value
            sources[name] = "page"
    return row, sources
