"""`collect`: feeds and single pages downloaded into a folder, against a real local HTTP server."""
from __future__ import annotations

import csv
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from graph.read.collect import USER_AGENT, collect

from .conftest import DATA

PAGES = DATA / "pages"
STORY = ("<html><head><title>{title}</title></head><body><nav>Home | World | Sports</nav><article><h1>{title}</h1>"
         "<p>Mexican Foreign Minister Juana Ortiz met Canadian Trade Minister Paul Roy on Monday in Ottawa to talk "
         "about fentanyl, migration and the trade agreement that both countries signed.</p></article>"
         "<footer>Copyright 2024</footer></body></html>")


def _rss(items: list[tuple[str, str, str]]) -> str:
    entries = "".join(f"<item><title>{t}</title><link>{{base}}{p}</link><pubDate>{d}</pubDate>"
                      f"<author>desk@wire.example (Nadia Okoro)</author></item>" for t, p, d in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Wire</title>{entries}</channel></rss>'


ATOM = (  # the first link relative to the feed's address
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Coastal Atom</title>'
        '<id>urn:x</id><updated>2024-05-02T00:00:00Z</updated>'
        '<entry><title>Border talks go on</title><link href="c.html"/><id>urn:c</id>'
        '<updated>2024-05-02T08:00:00Z</updated><author><name>Tomas Ruiz</name></author></entry>'
        '<entry><title>Same story, other feed</title><link href="{base}/a.html"/><id>urn:a</id>'
        '<updated>2024-03-14T08:00:00Z</updated></entry></feed>')


class _Site:
    """A real HTTP server in a thread: a feed, pages, a 404, a page that answers too late, a
    robots.txt; it records each request and how many were in flight at once."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []
        self.in_flight = self.most_in_flight = 0
        self.extra = False  # a new item in the feed, for the second run
        lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                # the slow page's handler sleeps on after the client gave up: not counted in flight
                counted = self.path != "/slow.html"
                with lock:
                    site.requests.append((self.path, self.headers.get("User-Agent", "")))
                    site.in_flight += counted
                    site.most_in_flight = max(site.most_in_flight, site.in_flight)
                try:
                    self._answer()
                finally:
                    with lock:
                        site.in_flight -= counted

            def _answer(self):
                items = [("Mexico and Canada agree to share intelligence", "/a.html", "Thu, 14 Mar 2024 10:00:00 GMT"),
                         ("Border seizures fall", "/b.html", "Sat, 17 Jun 2023 09:00:00 GMT"),
                         ("Gone", "/missing.html", "Sun, 18 Jun 2023 09:00:00 GMT"),
                         ("Slow", "/slow.html", "Mon, 19 Jun 2023 09:00:00 GMT")]
                if site.extra:
                    items.append(("Ministers meet again", "/e.html", "Tue, 20 Jun 2023 09:00:00 GMT"))
                pages = {"/a.html": (PAGES / "ottawa-talks.html").read_bytes(),
                         "/b.html": (PAGES / "border-figures.htm").read_bytes(),
                         "/c.html": STORY.format(title="Border talks go on").encode(),
                         "/e.html": STORY.format(title="Ministers meet again").encode(),
                         "/private/d.html": STORY.format(title="Private").encode(),
                         "/single.html": STORY.format(title="A single page").encode()}
                if self.path == "/slow.html":
                    time.sleep(2)  # longer than the client's timeout
                if self.path == "/feed.xml":
                    self._send(200, "application/rss+xml", _rss(items).replace("{base}", site.base).encode())
                elif self.path == "/atom.xml":
                    self._send(200, "application/atom+xml", ATOM.replace("{base}", site.base).encode())
                elif self.path == "/robots.txt":
                    self._send(200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
                elif self.path == "/notafeed":
                    self._send(200, "text/plain", b"Hello, this is not XML at all < & >")
                elif self.path in pages:
                    self._send(200, "text/html; charset=utf-8", pages[self.path])
                else:
                    self._send(404, "text/plain", b"not found")

            def _send(self, status, kind, body):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client stopped waiting
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def fetched(self, path: str) -> int:
        return sum(p == path for p, _ in self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = _Site()
    yield s
    s.close()


def _catalog(folder):
    with (folder / "catalog.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_feeds_are_collected_once_each_and_failures_cost_one_line(tmp_path, site):
    into = tmp_path / "articles"
    lines: list[str] = []
    progress: list[tuple[int, int]] = []
    result = collect(into, feeds=[f"{site.base}/feed.xml", f"{site.base}/atom.xml", f"{site.base}/notafeed"],
                     urls=[f"{site.base}/single.html", f"{site.base}/private/d.html"], timeout=0.5, delay=0,
                     on_message=lines.append, on_progress=lambda d, t: progress.append((d, t)))
    assert len(result.added) == 4 and result.known == 0
    # one line per failure, naming the item and why; none stopped the others
    assert sorted(lines) == sorted(result.failed) and all("\n" not in line for line in lines)
    assert any(line.startswith(f"{site.base}/missing.html: HTTP 404") for line in lines)
    assert any(line.startswith(f"{site.base}/slow.html: no answer within 0.5 s") for line in lines)
    assert any(line.startswith(f"{site.base}/notafeed: not an RSS or Atom feed") for line in lines)
    assert any(line.startswith(f"{site.base}/private/d.html: the site's robots.txt") for line in lines)
    assert len(lines) == 4
    assert progress[-1] == (7, 7)  # a, b, missing, slow; c (a again from the Atom feed); single, private
    rows = {r["url"]: r for r in _catalog(into)}
    a = rows[f"{site.base}/a.html"]
    assert (a["title"], a["outlet"], a["published"]) == ("Mexico and Canada agree to share intelligence",
                                                         "Harbor Wire", "2024-03-14")
    assert "Nadia Okoro" in a["authors"]
    c = rows[f"{site.base}/c.html"]
    assert (c["outlet"], c["authors"], c["published"]) == ("Coastal Atom", "Tomas Ruiz", "2024-05-02")
    single = rows[f"{site.base}/single.html"]
    assert (single["title"], single["outlet"]) == ("", "")  # the build reads them from the page
    assert (into / a["file"]).read_bytes() == (PAGES / "ottawa-talks.html").read_bytes()
    assert sorted(p.name for p in into.glob("*.html")) == sorted(r["file"] for r in rows.values())
    # polite: the page in two feeds fetched once, one request at a time, the tool named
    assert site.fetched("/a.html") == 1 and site.fetched("/robots.txt") == 1
    assert site.most_in_flight == 1
    assert {ua for _, ua in site.requests} == {USER_AGENT}

    site.extra = True  # the feed has one new item; the failed ones are tried again
    again = collect(into, feeds=[f"{site.base}/feed.xml"], timeout=0.5, delay=0)
    assert [n.startswith("ministers-meet-again-") for n in again.added] == [True]
    assert again.known == 2 and len(again.failed) == 2
    assert site.fetched("/a.html") == 1 and site.fetched("/missing.html") == 2
    assert len(_catalog(into)) == 5


def test_an_existing_catalog_keeps_its_rows_and_gains_the_url_column(tmp_path, site):
    into = tmp_path / "articles"
    into.mkdir()
    (into / "catalog.csv").write_text("file,title,outlet,authors,published\n"
                                      'old.txt,"Talks, at last",Wire,Ann Lee,2024-01-02\n', encoding="utf-8")
    result = collect(into, urls=[f"{site.base}/single.html"], timeout=2, delay=0)
    rows = _catalog(into)
    assert len(result.added) == 1
    assert rows[0] == {"file": "old.txt", "title": "Talks, at last", "outlet": "Wire", "authors": "Ann Lee",
                       "published": "2024-01-02", "url": ""}
    assert rows[1]["url"] == f"{site.base}/single.html" and rows[1]["file"] == result.added[0]


def test_collected_folder_builds_with_catalog_and_page_metadata(tmp_path, site, nlp, kb):
    from graph.pipeline import build

    into = tmp_path / "articles"
    collect(into, feeds=[f"{site.base}/feed.xml"], urls=[f"{site.base}/single.html"], timeout=0.5, delay=0)
    build(into, tmp_path / "out", nlp=nlp, kb=kb, draw=False, store=False)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert len(report["built"]) == 3 and not report["skipped"]
    sources = {row["url"].rsplit("/", 1)[-1]: report["metadata"][row["file"].rsplit(".", 1)[0]]
               for row in _catalog(into)}
    assert sources["a.html"]["title"] == "catalog" and sources["a.html"]["url"] == "catalog"
    assert sources["single.html"]["title"] == "page" and sources["single.html"]["url"] == "catalog"


def test_cli_collect(tmp_path, site):
    from typer.testing import CliRunner

    from graph.cli import app

    into = tmp_path / "articles"
    r = CliRunner().invoke(app, ["collect", "--feed", f"{site.base}/feed.xml", "--into", str(into),
                                 "--timeout", "0.5", "--delay", "0"])
    assert r.exit_code == 0, r.output
    assert "added 2 articles" in r.output and "2 failed" in r.output
    assert f"failed: {site.base}/missing.html: HTTP 404" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["collect", "--into", str(into)])
    assert r.exit_code == 2 and "nothing to collect" in r.output
    r = CliRunner().invoke(app, ["collect", "--url", f"{site.base}/missing.html", "--into", str(tmp_path / "x"),
                                 "--delay", "0"])
    assert r.exit_code == 1 and "HTTP 404" in r.output
