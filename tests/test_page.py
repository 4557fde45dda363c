"""The graph page: offline, coloured by type with a legend, search, filters and an evidence
panel, safe with hostile text — checked in a real headless Chromium (Debian's, via Playwright)."""
import json
import re
import shutil

import networkx as nx
import pytest

from graph.view.analytics import to_networkx
from graph.view.page import MAX_NODES, STYLE, page_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def page_data(html: str, name: str):
    return json.loads(re.search(rf"var {name} = new vis.DataSet\((\[.*?\])\);", html, re.S).group(1))


def test_page_has_no_external_resource(seeds_build):
    html = (seeds_build[1] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=", html)
    assert "cdn.jsdelivr" not in html and "node_modules" not in html and "tom-select" not in html
    assert "default-src 'none'" in html  # the browser itself refuses any request
    meta = json.loads(re.search(r"var meta = (\{.*?\});\n", html).group(1))
    assert {k["name"] for k in meta["kinds"]} >= {"official", "country", "meeting", "claim", "article"}
    assert all(k["color"] == STYLE[k["name"]][0] for k in meta["kinds"])


def test_nodes_carry_facts_and_evidence_and_contradictions_stand_out(seeds_build):
    html = (seeds_build[1] / "graph.html").read_text(encoding="utf-8")
    nodes, edges = page_data(html, "nodes"), page_data(html, "edges")
    gupta = next(n for n in nodes if n["label"] == "Rahul Gupta")
    assert gupta["facts"]["country"] == "United States"
    assert any(e["outlet"] == "The Pulse News Mexico" and e["date"] == "2023-04-13" for e in gupta["evidence"])
    contra = [e for e in edges if e["relation"] == "contradicts"]
    assert contra and all(e["dashes"] and e["width"] >= 3 for e in contra)
    sizes = {n["label"]: n["size"] for n in nodes}
    assert sizes["Rosa Icela Rodríguez"] > sizes["Xi Jinping"]  # size by importance


def test_article_text_is_escaped():
    G = nx.MultiDiGraph()
    G.add_node("a", label="<img src=x onerror=alert(1)>", type="official", facts={"quotes": "<script>alert(1)</script>"},
               evidence=[{"article": "x", "outlet": "", "date": "", "sentence": "<script>alert(2)</script>"}])
    html = page_html(G)
    assert "<script>alert" not in html and "<img src=x" not in html
    (node,) = page_data(html, "nodes")
    assert node["title"] == "official: &lt;img src=x onerror=alert(1)&gt;"
    assert node["evidence"][0]["sentence"] == "<script>alert(2)</script>"  # data, shown with textContent


def test_projection_has_dialogue_edges_with_evidence(seeds_dataset):
    G = to_networkx(seeds_dataset)
    kinds = {d["type"] for _, d in G.nodes(data=True)}
    assert {"official", "journalist", "country", "article", "government body", "meeting", "claim", "figure"} <= kinds
    took_part = [d for _, _, d in G.edges(data=True) if d["relation"] == "took part in"]
    assert took_part and all(d["evidence"] for d in took_part)


def test_large_graphs_are_limited_and_say_so():
    G = nx.MultiDiGraph()
    for i in range(3000):
        G.add_node(f"n{i}", label=f"Person {i}", type="official", facts={}, evidence=[])
    for i in range(1, 3000):
        G.add_edge("n0", f"n{i}", key="x", relation="x")
    html = page_html(G)
    assert len(page_data(html, "nodes")) == MAX_NODES
    assert f"Showing the {MAX_NODES} most connected of 3,000 nodes" in html
    meta = json.loads(re.search(r"var meta = (\{.*?\});\n", html).group(1))
    assert len(meta["more"]) == 3000 - MAX_NODES  # left out of the drawing, still findable


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


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.dialogueGraph && window.dialogueGraph.nodes && dialogueGraph.nodes.length > 0", timeout=20000)
    return page, requests, errors


@pytest.mark.browser
def test_page_opens_offline_draws_searches_and_shows_evidence(browser, seeds_build):
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    page.wait_for_timeout(500)
    ink = page.evaluate("""() => { const c = document.querySelector('#mynetwork canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert ink > 5000, "the canvas is blank"
    # search (accent-insensitive) selects the person and opens the panel
    page.fill("#search", "rosa icela rodriguez")
    page.click("#go")
    panel = page.inner_text("#panel")
    assert "Rosa Icela Rodríguez" in panel and "Evidence" in panel and "Anadolu Agency" in panel
    page.fill("#search", "Gupta")  # a person before the claims that name him
    page.click("#go")
    assert page.inner_text("#panel").splitlines()[:2] == ["Rahul Gupta", "official"]
    # a real click on a node's position shows its panel
    page.click("#reset")
    pos = page.evaluate("""() => { const net = dialogueGraph.network;
        const id = dialogueGraph.nodes.get().find(n => n.label === 'Rahul Gupta').id;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""")
    page.mouse.click(pos["x"], pos["y"])
    panel = page.inner_text("#panel")
    assert "Rahul Gupta" in panel and "The Pulse News Mexico" in panel
    # "dialogue only" hides articles and figures; an article filter keeps that article's nodes
    page.check("#dialogue")
    hidden = page.evaluate("dialogueGraph.nodes.get().filter(n => n.hidden).map(n => n.kind)")
    assert "article" in hidden and "figure" in hidden and "official" not in hidden
    page.click("#reset")
    page.select_option("#article", label="000_535c8822014ccfb0 — Reuters")
    shown = page.evaluate("dialogueGraph.nodes.get().filter(n => !n.hidden).map(n => n.label)")
    assert "Todd Robinson" in shown and "Jody Thomas" not in shown
    page.click("#reset")
    page.fill("#from", "2023-10-01")
    page.dispatch_event("#from", "change")
    shown = page.evaluate("dialogueGraph.nodes.get().filter(n => !n.hidden).map(n => n.label)")
    assert "Alicia Bárcena" in shown and "Jody Thomas" not in shown
    assert requests == [] and errors == []
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
    page, requests, errors = open_page(browser, tmp_path / "out" / "graph.html")
    page.evaluate("dialogueGraph.showNode(dialogueGraph.nodes.get().find(n => n.label === 'Juan Ruiz').id)")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>window.__pwned = 1</script>" in page.inner_text("#panel")  # shown as text
    assert requests == []
    page.close()


@pytest.mark.browser
def test_search_brings_in_a_node_left_out_of_a_large_drawing(browser, seeds_dataset, tmp_path):
    path = tmp_path / "small.html"
    path.write_text(page_html(to_networkx(seeds_dataset), max_nodes=25), encoding="utf-8")
    page, requests, errors = open_page(browser, path)
    drawn = page.evaluate("dialogueGraph.nodes.length")
    assert 15 <= drawn <= 25  # the 25 first, less any whose links were all left out
    assert f"Showing the {drawn} most connected" in page.inner_text("#note")
    left_out = page.evaluate("meta.more.find(n => n.kind === 'official').label")
    page.fill("#search", left_out)
    page.click("#go")
    assert page.inner_text("#panel").splitlines()[0] == left_out
    assert page.evaluate("dialogueGraph.nodes.length") == drawn + 1
    assert requests == [] and errors == []
    page.close()


@pytest.mark.parametrize("source", ["store", "trig"])
def test_projection_from_the_store_or_the_file_equals_the_one_from_rdflib(seeds_build, seeds_dataset, source):
    """The build draws its page from graph.trig, `draw` from the store, the notebook from rdflib: one projection."""
    from graph.sparql.store import open_store

    trig = seeds_build[1] / "graph.trig"
    a, b = to_networkx(seeds_dataset), to_networkx(open_store(trig) if source == "store" else trig)
    assert set(a) == set(b) and all(a.nodes[n] == b.nodes[n] for n in a)
    assert sorted((u, v, k, str(d)) for u, v, k, d in a.edges(keys=True, data=True)) == \
        sorted((u, v, k, str(d)) for u, v, k, d in b.edges(keys=True, data=True))
    assert sum(len(a.nodes[n]["evidence"]) for n in a) > 100  # the evidence is there, not only the nodes


def test_evidence_can_be_capped_and_still_counted(seeds_dataset):
    full, capped = to_networkx(seeds_dataset), to_networkx(seeds_dataset, max_evidence=1)
    busy = max(full, key=lambda n: len(full.nodes[n]["evidence"]))
    assert len(full.nodes[busy]["evidence"]) > 1
    assert capped.nodes[busy]["evidence"] == full.nodes[busy]["evidence"][:1]  # the oldest first
    assert capped.nodes[busy]["evidence_count"] == len(full.nodes[busy]["evidence"])
    assert capped.nodes[busy]["articles"] == full.nodes[busy]["articles"]
