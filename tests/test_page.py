"""The graph page: offline, coloured by type with a legend, safe with hostile text,
and checked in a real headless Chromium (Debian's, driven by Playwright)."""
import re
import shutil

import pytest

from graph.analytics import to_networkx
from graph.page import STYLE, page_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_page_has_no_external_resource(seeds_build):
    html = (seeds_build[1] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<(?:script|link|img)\b[^>]*(?:src|href)=\"(?:https?:|//|\.\./)", html)
    assert "cdn.jsdelivr" not in html and "node_modules" not in html
    assert 'id="legend"' in html
    for kind in ("official", "country", "article"):
        assert f"{kind}</span>" in html
    assert STYLE["official"][0] in html


def test_article_text_is_escaped_in_tooltips():
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("a", label="<img src=x onerror=alert(1)>", type="official", title="<script>alert(1)</script>")
    html = page_html(G)
    assert "<script>alert(1)</script>" not in html
    import json

    nodes = json.loads(re.search(r"nodes = new vis.DataSet\((\[.*?\])\);", html).group(1))
    assert nodes[0]["title"] == "official: &lt;script&gt;alert(1)&lt;/script&gt;"


def test_projection_types_and_evidence(seeds_dataset):
    G = to_networkx(seeds_dataset)
    kinds = {d["type"] for _, d in G.nodes(data=True)}
    assert {"official", "journalist", "country", "article", "government body"} <= kinds
    ev = [d for _, _, d in G.edges(data=True) if d["relation"] == "mentions"]
    assert ev and all(d["evidence"] for d in ev)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        import os

        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI must install it)")
        pytest.skip("no chromium on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.mark.browser
def test_page_opens_offline_and_draws_nodes(browser, seeds_build):
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((seeds_build[1] / "graph.html").as_uri())
    page.wait_for_function("typeof network !== 'undefined' && network.body.data.nodes.length > 0", timeout=20000)
    n = page.evaluate("network.body.data.nodes.length")
    drawn = page.evaluate("""() => { const c = document.querySelector('canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++; return ink; }""")
    assert n > 30
    assert drawn > 1000, "the canvas is blank"
    assert requests == []
    assert errors == []
    page.close()


@pytest.mark.browser
def test_hostile_article_text_does_not_run(browser, tmp_path, nlp, kb):
    from graph.pipeline import build

    src = tmp_path / "in"
    src.mkdir()
    (src / "x.txt").write_text(
        "Talks end\n\nMexican Foreign Minister Juan Ruiz said <script>window.__pwned = 1</script> "
        "and <img src=x onerror=\"window.__pwned = 2\"> on Monday.\n", encoding="utf-8")
    build(src, tmp_path / "out", nlp=nlp, kb=kb)
    page = browser.new_page()
    page.goto((tmp_path / "out" / "graph.html").as_uri())
    page.wait_for_function("typeof network !== 'undefined'", timeout=20000)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned === undefined")
    page.close()
