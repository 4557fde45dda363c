"""Collecting articles: RSS/Atom feeds and single pages saved into a folder the build reads.

Each new item's page is downloaded once and saved as it came (``NAME.html``, read later by
:mod:`graph.read.html`), and a row is added to the folder's ``catalog.csv``: file, title,
outlet (the feed's title), authors, published and url. An item whose address the catalog
already holds is not fetched again, so a second run adds only what is new. For a single
page (``urls``) the row names the file and its address; the build reads title, authors,
date and site from the page itself.

Polite by design: one request at a time with a pause between them, a timeout, a
User-Agent naming the tool, pages a site's ``robots.txt`` disallows left alone. A
network error costs its item only: it is one line to ``on_message``, the others go on,
and the item is tried again on the next run. Progress goes to ``on_progress(done, total)``;
the library never draws on the terminal.
"""
from __future__ import annotations

import csv
import hashlib
import io
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit

from ..outputs import staged_file
from ..text import slug
from .html import clean_url
from .ingest import CATALOG, CATALOG_COLUMNS

__all__ = ["CATALOG", "COLUMNS", "USER_AGENT", "Item", "CollectResult", "CollectError", "collect", "feed_items"]

COLUMNS = (*CATALOG_COLUMNS, "url")
USER_AGENT = "dialogue-graph/0.1 (article collector; one request at a time)"
MAX_BYTES = 10_000_000  # a news page is well under a megabyte; anything larger is not one
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class CollectError(Exception):
    """The folder cannot take articles (not a folder, unreadable catalog); one line."""


@dataclass(frozen=True)
class Item:
    """One article to fetch: its address and what its feed says of it ("" where nothing)."""
    url: str
    title: str = ""
    outlet: str = ""
    authors: str = ""  # "; " between names, as the catalog takes them
    published: str = ""  # ISO date


@dataclass(frozen=True)
class CollectResult:
    """What a run did: the files it saved, how many items the folder already had, one line per failure."""
    added: tuple[str, ...] = ()
    known: int = 0
    failed: tuple[str, ...] = ()


class _FetchError(Exception):
    """A request that gave nothing usable; the message is the reason, without the address."""


def _fetch(url: str, timeout: float, accept: str, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """The body and content type of ``url`` (redirects followed), or :class:`_FetchError`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise _FetchError(f"HTTP {exc.code} {exc.reason}".rstrip()) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise _FetchError(f"no answer within {timeout:g} s") from None
        raise _FetchError(f"cannot connect ({getattr(reason, 'strerror', None) or reason})") from None
    except (socket.timeout, TimeoutError):
        raise _FetchError(f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as exc:  # a connection reset mid-body, a malformed address
        raise _FetchError(f"{exc.__class__.__name__}: {exc}") from None
    if len(body) > max_bytes:
        raise _FetchError(f"larger than {max_bytes:,} bytes")
    return body, kind


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def _entry_date(entry) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(*parsed[:3]).isoformat() if parsed else ""


def feed_items(body: bytes, address: str | None = None) -> tuple[list[Item], str | None]:
    """The items of an RSS or Atom feed, and a problem when it is not one (``None`` when it is);
    relative links are resolved against the feed's ``address``.

    >>> rss = (b'<rss version="2.0"><channel><title>Wire</title><item><title>Talks</title>'
    ...        b'<link>https://wire.example/talks</link><pubDate>Tue, 14 Mar 2023 10:00:00 GMT</pubDate>'
    ...        b'</item></channel></rss>')
    >>> feed_items(rss)
    ([Item(url='https://wire.example/talks', title='Talks', outlet='Wire', authors='', published='2023-03-14')], None)
    """
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": address} if address else None)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        problem = parsed.get("bozo_exception")
        return [], "not an RSS or Atom feed" + (f" ({_one_line(problem)[:120]})" if problem else "")
    outlet = _one_line(parsed.feed.get("title"))
    items = []
    for entry in parsed.entries:
        authors = [_one_line(a.get("name")) for a in entry.get("authors", []) if a.get("name")]
        if not authors and entry.get("author"):
            authors = [_one_line(entry["author"])]
        items.append(Item(url=(entry.get("link") or "").strip(), title=_one_line(entry.get("title")), outlet=outlet,
                          authors="; ".join(authors), published=_entry_date(entry)))
    return items, None


def _file_name(item: Item) -> str:
    """A stable file name: words of the title (or the address's last part) and a hash of the address,
    so two items never share a name and the same item always gets the same one."""
    path = urlsplit(item.url).path.rstrip("/").rsplit("/", 1)[-1]
    words = slug(item.title or path.rsplit(".", 1)[0] or urlsplit(item.url).netloc)[:60].strip("-") or "page"
    return f"{words}-{hashlib.sha256(item.url.encode()).hexdigest()[:8]}.html"


class _Catalog:
    """``catalog.csv`` as rows of cells: kept as read, new rows added, written whole and atomically."""

    def __init__(self, folder: Path):
        self.path = folder / CATALOG
        self.header: list[str] = list(COLUMNS)
        self.rows: list[list[str]] = []
        if self.path.exists():
            try:
                text = self.path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CollectError(f"{self.path}: cannot read ({exc})") from None
            lines = list(csv.reader(io.StringIO(text, newline="")))
            if lines:
                self.header = lines[0] + [c for c in COLUMNS if c not in lines[0]]
                self.rows = [row + [""] * (len(self.header) - len(row)) for row in lines[1:] if any(row)]
        self.added = 0

    def column(self, name: str) -> list[str]:
        i = self.header.index(name)
        return [row[i] for row in self.rows]

    def add(self, values: dict[str, str]) -> None:
        self.rows.append([values.get(c, "") for c in self.header])
        self.added += 1

    def write(self) -> None:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows([self.header, *self.rows])
        with staged_file(self.path) as tmp:
            tmp.write_text(out.getvalue(), encoding="utf-8")


class _Robots:
    """Each site's ``robots.txt``, read once through ``fetch`` (the run's polite requests): a site
    without one, or that cannot be asked, allows everything."""

    def __init__(self, fetch: Callable[[str], tuple[bytes, str]]):
        self.fetch = fetch
        self.sites: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self.sites:
            rules = None
            try:
                body, _ = self.fetch(f"{site}/robots.txt")
                rules = urllib.robotparser.RobotFileParser()
                rules.parse(body.decode("utf-8", "replace").splitlines())
            except _FetchError:
                pass
            self.sites[site] = rules
        rules = self.sites[site]
        return rules is None or rules.can_fetch(USER_AGENT, url)


def collect(into: Path, feeds: Iterable[str] = (), urls: Iterable[str] = (), timeout: float = 20.0,
            delay: float = 1.0, on_progress: Callable[[int, int], None] | None = None,
            on_message: Callable[[str], None] | None = None) -> CollectResult:
    """Download the new items of ``feeds`` and the pages ``urls`` into the folder ``into``.

    Each page is saved as ``NAME.html`` and gets a row in ``into/catalog.csv`` (created, or
    added to with its rows kept; a ``url`` column is added when it has none). Requests go
    one at a time, ``delay`` seconds apart, each waiting ``timeout`` seconds at most.
    """
    into = Path(into)
    if into.exists() and not into.is_dir():
        raise CollectError(f"{into}: not a folder")
    into.mkdir(parents=True, exist_ok=True)
    catalog = _Catalog(into)
    known = {u for u in (clean_url(v) for v in catalog.column("url")) if u}
    say = on_message or (lambda line: None)
    failed: list[str] = []
    last = [0.0]

    def polite(fetch: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str]:
        wait = last[0] + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            return fetch()
        finally:
            last[0] = time.monotonic()

    def fail(line: str) -> None:
        failed.append(line)
        say(line)

    items: list[Item] = []
    for feed in feeds:
        address = clean_url(feed)
        if address is None:
            fail(f"{feed}: not an http(s) address")
            continue
        try:
            body, _ = polite(lambda: _fetch(address, timeout, "application/rss+xml, application/atom+xml, */*"))
        except _FetchError as exc:
            fail(f"{feed}: {exc}")
            continue
        found, problem = feed_items(body, address)
        if problem:
            fail(f"{feed}: {problem}")
        items += found
    items += [Item(url=u.strip()) for u in urls]

    todo: list[Item] = []
    seen_known, queued = 0, set()
    for item in items:
        address = clean_url(item.url)
        if address is None:
            fail(f"{item.url or '(an item without an address)'}: not an http(s) address")
        elif address in known:
            seen_known += 1
        elif address not in queued:
            queued.add(address)
            todo.append(Item(address, item.title, item.outlet, item.authors, item.published))

    robots = _Robots(lambda address: polite(lambda: _fetch(address, timeout, "text/plain", 500_000)))
    added: list[str] = []
    try:
        for n, item in enumerate(todo, 1):
            try:
                if not robots.allows(item.url):
                    raise _FetchError("the site's robots.txt asks tools not to fetch it")
                body, kind = polite(lambda: _fetch(item.url, timeout, "text/html, application/xhtml+xml"))
                if kind not in _HTML_TYPES:
                    raise _FetchError(f"not an HTML page ({kind})")
            except _FetchError as exc:
                fail(f"{item.url}: {exc}")
            else:
                name = _file_name(item)
                with staged_file(into / name) as tmp:
                    tmp.write_bytes(body)  # as it came: the reader finds its encoding
                catalog.add({"file": name, "title": item.title, "outlet": item.outlet, "authors": item.authors,
                             "published": item.published, "url": item.url})
                added.append(name)
            if on_progress:
                on_progress(n, len(todo))
    finally:  # what was saved is in the catalog, even when the run is stopped
        if catalog.added:
            catalog.write()
    return CollectResult(added=tuple(added), known=seen_known, failed=tuple(failed))
