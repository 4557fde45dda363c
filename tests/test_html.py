"""Saved web pages (.html, .htm) read with trafilatura: the story without the page around it,
the page's metadata where the catalog is silent, offsets into the kept text, the address."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest

from graph.read.html import read_page
from graph.read.ingest import read_articles

from .conftest import DATA, ROOT

PAGES = DATA / "pages"
OTTAWA = PAGES / "ottawa-talks.html"
BORDER = PAGES / "border-figures.htm"

# what the test pages put around their stories: menus, a cookie banner, share and ad widgets,
# related and most-read links, comments and their authors, the footer — and the people they name
FURNITURE = ["Accept all cookies", "cookies", "Politics", "Subscribe", "Share on", "Advertisement",
             "Related stories", "Lucia Ferraz", "Daniel Brooks", "comments", "Gerald Hoffman", "Ruth Calloway",
             "Marisol Vega", "Harold Quist", "All rights reserved", "Privacy", "Most read", "Howard Pell",
             "Irene Castle", "Leave a Reply", "Victor Lang", "newsletter", "Tags:"]
FURNITURE_PEOPLE = ["Lucia Ferraz", "Daniel Brooks", "Gerald Hoffman", "Ruth Calloway", "Marisol Vega",
                    "Harold Quist", "Howard Pell", "Irene Castle", "Victor Lang"]


def test_a_page_gives_its_story_and_metadata():
    page = read_page(OTTAWA.read_text(encoding="utf-8"))
    assert page.title == "Mexico and Canada agree to share intelligence on fentanyl"
    assert (page.outlet, page.authors, page.published) == ("Harbor City Times", "Nadia Okoro", "2024-03-14")
    assert page.url == "https://harbor-times.example/world/2024/03/14/mexico-canada-fentanyl"
    assert page.text.startswith(page.title + "\n\n")
    assert "Mexican Foreign Minister Juana Ortiz met Canadian Public Safety Minister Paul Roy" in page.text
    assert "120 kilograms of fentanyl" in page.text
    for junk in FURNITURE:
        assert junk not in page.text, junk
    border = read_page(BORDER.read_text(encoding="utf-8"))  # metadata from JSON-LD, no canonical link
    assert (border.outlet, border.authors, border.published, border.url) == ("Coastal Wire", "Tomas Ruiz",
                                                                              "2023-06-17", None)
    for junk in FURNITURE:
        assert junk not in border.text, junk


def test_pages_are_read_offline_and_the_same_in_every_process(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("a page was read with a network request")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    here = [repr(read_page(p.read_text(encoding="utf-8"))) for p in (OTTAWA, BORDER)]
    code = ("import sys; from pathlib import Path; from graph.read.html import read_page; "
            "[print(repr(read_page(Path(p).read_text(encoding='utf-8')))) for p in sys.argv[1:]]")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", code, str(OTTAWA), str(BORDER)], env=env, cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        assert out.splitlines() == here


def _pages_folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(OTTAWA, src)
    shutil.copy(BORDER, src)
    # the catalog names the border page's title and address; the page gives the rest
    (src / "catalog.csv").write_text(
        "file,title,outlet,authors,published,url\n"
        "border-figures.htm,Seizures fall again at the border,,,,https://coastal-wire.example/news/border-seizures-fall\n",
        encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def pages_build(tmp_path_factory, nlp, kb):
    from graph.pipeline import build

    tmp = tmp_path_factory.mktemp("pages")
    src = _pages_folder(tmp)
    summary = build(src, tmp / "out", nlp=nlp, kb=kb, draw=False)
    return summary, tmp / "out"


def test_catalog_wins_and_the_page_fills_the_rest(pages_build):
    summary, out = pages_build
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["built"] == ["border-figures", "ottawa-talks"]
    assert report["metadata"] == {
        "border-figures": {"title": "catalog", "url": "catalog", "outlet": "page", "authors": "page",
                           "published": "page"},
        "ottawa-talks": {"title": "page", "outlet": "page", "authors": "page", "published": "page", "url": "page"},
    }
    assert "border-figures" not in report["warnings"] and "ottawa-talks" not in report["warnings"]
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)

    def value(article: str, prop: str) -> str:
        art = ox.NamedNode(f"https://w3id.org/dialogue-graph/id/article/{article}")
        return [q.object.value for q in store.quads_for_pattern(art, ox.NamedNode(prop), None, art)][0]

    assert value("border-figures", "https://schema.org/headline") == "Seizures fall again at the border"
    assert value("border-figures", "https://schema.org/datePublished") == "2023-06-17"
    assert value("ottawa-talks", "https://schema.org/datePublished") == "2024-03-14"
    assert value("border-figures", "https://schema.org/url") == "https://coastal-wire.example/news/border-seizures-fall"
    assert value("ottawa-talks", "https://schema.org/url") == \
        "https://harbor-times.example/world/2024/03/14/mexico-canada-fentanyl"
    from graph.sparql.queries import load_dataset
    from graph.validate import validate_dataset

    conforms, text = validate_dataset(load_dataset(out / "graph.trig"))  # schema:url an http(s) IRI, once
    assert conforms, text


def test_every_offset_points_into_the_kept_text(pages_build):
    """The text read from each page is kept beside the graph; every mention's offsets and exact
    words, and every sentence's bounds, are checked against it."""
    _, out = pages_build
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (out / "texts").iterdir()}
    assert sorted(texts) == ["border-figures", "ottawa-talks"]
    rows = _mentions(out)
    assert len(rows) >= 10
    for article, start, end, exact, ss, se, sentence in rows:
        text = texts[article]
        assert text[start:end] == exact
        assert ss <= start < end <= se and " ".join(text[ss:se].split()) == sentence
    exact = {r[3] for r in rows}
    assert {"Juana Ortiz", "Paul Roy", "Alejandro Mayorkas"} <= exact


def _mentions(out):
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)
    q = """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dg: <https://w3id.org/dialogue-graph/ontology#>
        SELECT ?id ?start ?end ?exact ?ss ?se ?sentence WHERE { GRAPH ?g {
          ?m oa:start ?start ; oa:end ?end ; oa:exact ?exact ; dg:sentenceStart ?ss ; dg:sentenceEnd ?se ;
             dg:sentence ?sentence . ?g dg:articleId ?id } }"""
    return [(s["id"].value, int(s["start"].value), int(s["end"].value), s["exact"].value, int(s["ss"].value),
             int(s["se"].value), s["sentence"].value) for s in store.query(q)]


def test_page_furniture_never_becomes_facts(pages_build):
    summary, out = pages_build
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    for junk in FURNITURE_PEOPLE + ["cookie", "Accept all", "Related stories", "Leave a Reply"]:
        assert junk not in trig, junk
    assert "Juana Ortiz" in trig and "Rosa Icela Rodriguez" in trig
    assert summary.people >= 4


def test_fact_support_and_the_page_data_carry_the_address(pages_build):
    from graph.sparql.queries import run_saved
    from graph.view.analytics import to_networkx

    _, out = pages_build
    columns, rows = run_saved("fact_support", out / "graph.trig")
    assert columns[-1] == "url"
    by_article = {r[columns.index("article")]: r[-1] for r in rows}
    assert by_article == {"border-figures": "https://coastal-wire.example/news/border-seizures-fall",
                          "ottawa-talks": "https://harbor-times.example/world/2024/03/14/mexico-canada-fentanyl"}
    G = to_networkx(out / "graph.trig", max_evidence=12)
    evidence = [e for _, d in G.nodes(data=True) for e in d.get("evidence", [])]
    assert evidence and all(e["url"] == by_article[e["article"]] for e in evidence)
    from graph.view.page import page_html

    html = page_html(G)  # the page's data carries them (as JSON), for the evidence panel to link
    assert all(f'"url": "{u}"' in html for u in by_article.values())


def test_a_build_without_pages_keeps_no_texts(tmp_path, nlp, kb, pages_build):
    """A later build of text files only removes the texts an earlier build of pages kept."""
    from graph.pipeline import build

    _, first = pages_build
    out = tmp_path / "out"
    shutil.copytree(first, out, symlinks=True)  # the build folder as cp -R copies it: links kept
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Talks end in Ottawa\n\nMexican Foreign Minister Juana Ortiz met Canadian Trade "
                               "Minister Paul Roy on Monday.\n", encoding="utf-8")
    build(src, out, nlp=nlp, kb=kb, draw=False, store=False)
    assert not (out / "texts").exists()
    assert json.loads((out / "report.json").read_text())["metadata"] == {}


def test_page_problems_are_one_line_each(tmp_path, kb):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(OTTAWA, src / "talks.html")
    (src / "talks.txt").write_text("Another article with the same id.\n", encoding="utf-8")
    (src / "menu.html").write_text("<html><head><title>Gone</title></head><body><script>var a = 1;</script>"
                                   "</body></html>", encoding="utf-8")
    (src / "catalog.csv").write_text("file,title,outlet,authors,published,url\n"
                                     "talks.html,,,,,javascript:alert(1)\n", encoding="utf-8")
    items = list(read_articles(src, kb=kb))
    errors = sorted(str(i) for i in items if isinstance(i, Exception))
    assert errors == ["menu.html: no story found in the HTML page"]
    # "talks.txt" and "talks.html" make one id: the first in code point order keeps it, the other
    # is built under the id and a hash of its name, with a warning (as any two names that fold alike)
    talks, other = sorted((i for i in items if not isinstance(i, Exception)), key=lambda a: a.id)
    assert talks.id == "talks" and talks.path.endswith("talks.html")
    assert other.id.startswith("talks-") and any("same article id as talks.html" in w for w in other.warnings)
    # the catalog's address is refused, and the page's own is not taken in its place
    assert talks.url is None and any("javascript:alert(1)" in w and "not an http(s) address" in w
                                     for w in talks.warnings)
