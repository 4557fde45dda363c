"""The graph page: offline, coloured by type with a legend, search over names and aliases, filters
on event dates, panels for meetings and people, focus, the "who met whom" view and the table,
safe with hostile text — checked in a real headless Chromium (Debian's, via Playwright)."""
import json
import re
import shutil

import networkx as nx
import pytest

from graph.view.analytics import to_networkx
from graph.view.page import MAX_NODES, STYLE, PageDetails, page_details, page_html

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
    meta = json.loads(re.search(r"var meta = (\{.*?\});\n", html).group(1))
    gupta = next(n for n in nodes if n["name"] == "Rahul Gupta")
    assert gupta["facts"]["country"] == "United States"
    assert any(meta["articles"][i]["outlet"] == "The Pulse News Mexico" and meta["articles"][i]["date"] == "2023-04-13"
               for i, _ in gupta["evidence"])
    contra = [e for e in edges if e["relation"] == "contradicts"]
    assert contra and all(e["dashes"] and e["width"] >= 3 for e in contra)
    sizes = {n["name"]: n["value"] for n in nodes}
    assert sizes["Rosa Icela Rodríguez"] > sizes["Xi Jinping"]  # size by importance


def test_article_text_is_escaped():
    G = nx.MultiDiGraph()
    G.add_node("a", label="<img src=x onerror=alert(1)>", type="official", facts={"quotes": "<script>alert(1)</script>"},
               evidence=[{"article": "x", "outlet": "", "date": "", "sentence": "<script>alert(2)</script>"}])
    html = page_html(G)
    assert "<script>alert" not in html and "<img src=x" not in html
    (node,) = page_data(html, "nodes")
    assert node["title"] == "official: &lt;img src=x onerror=alert(1)&gt;"
    meta = json.loads(re.search(r"var meta = (\{.*?\});\n", html).group(1))
    assert meta["sentences"][node["evidence"][0][1]] == "<script>alert(2)</script>"  # data, shown with textContent


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
    assert f"Showing {MAX_NODES} of 3,000 nodes" in html
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


def search(page, text: str) -> str:
    """Type ``text`` in the page's search box and press Find, as a reader does; the panel's text."""
    page.fill("#search", text)
    page.click("#go")
    return page.inner_text("#panel")


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
    panel = search(page, "rosa icela rodriguez")
    assert "Rosa Icela Rodríguez" in panel and "Evidence" in panel and "Anadolu Agency" in panel
    # evidence names its article by headline, not by a hash id
    assert "US, Mexico agree to step up efforts to tackle fentanyl trafficking, migration" in panel
    assert "001_6ff2fa65926bfcd6" not in panel
    # a person before the claims that name him
    assert search(page, "Gupta").splitlines()[:2] == ["Rahul Gupta", "official · United States"]
    # a real click on a node's position shows its panel
    page.click("#reset")
    pos = page.evaluate("""() => { const net = dialogueGraph.network;
        const id = dialogueGraph.nodes.get().find(n => n.name === 'Rahul Gupta').id;
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
    page.select_option("#article", label="2023-09-07 — US presses Mexico to devote sufficient resources against "
                                         "fentanyl- official — Reuters")
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
    path.write_text(page_html(to_networkx(seeds_dataset), max_nodes=25, details=page_details(seeds_dataset)),
                    encoding="utf-8")
    page, requests, errors = open_page(browser, path)
    drawn = page.evaluate("dialogueGraph.nodes.length")
    assert 15 <= drawn <= 25  # the 25 first, less any whose links were all left out
    assert f"Showing {drawn} of" in page.inner_text("#note")
    left_out = page.evaluate("meta.more.find(n => n.kind === 'official').name")
    assert search(page, left_out).splitlines()[0] == left_out
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


def test_page_is_the_same_from_the_store_and_from_the_file(seeds_build, tmp_path):
    """`draw` reads the store, the build reads graph.trig: the same page, byte for byte."""
    from graph.sparql.store import open_store
    from graph.view.page import write_page

    a = write_page(seeds_build[1] / "graph.trig", tmp_path / "a.html").read_bytes()
    b = write_page(open_store(seeds_build[1] / "graph.trig"), tmp_path / "b.html").read_bytes()
    assert a == b
    meta = json.loads(re.search(r"var meta = (\{.*?\});\n", a.decode()).group(1))
    assert "Homeland Security Advisor Elizabeth Sherwood-Randall." in " ".join(meta["sentences"])  # details read


def test_delegations_are_folded_once_per_side():
    """One delegation per article and side in the graph: one node per side on the page."""
    G = nx.MultiDiGraph()
    G.add_node("us", label="United States", type="country", facts={}, evidence=[])
    for i in range(40):
        G.add_node(f"d{i}", label="US delegation", type="delegation", facts={"country": "United States"},
                   evidence=[], articles=[f"a{i}"])
        G.add_node(f"c{i}", label=f"claim {i}", type="claim", facts={"text": f"claim {i}"}, evidence=[])
        G.add_edge(f"d{i}", "us", key="belongs to", relation="belongs to")
        G.add_edge(f"d{i}", f"c{i}", key="asserts", relation="asserts")
    nodes = page_data(page_html(G), "nodes")
    (us,) = [n for n in nodes if n["kind"] == "delegation"]
    assert us["name"] == "US delegation" and len(us["articles"]) == 40
    edges = page_data(page_html(G), "edges")
    assert sum(1 for e in edges if e["relation"] == "asserts") == 40


def test_a_large_drawing_keeps_a_balanced_mix_of_kinds():
    """At 200 articles the cap filled with meetings and claims: each kind now keeps its share."""
    G = nx.MultiDiGraph()
    for i in range(60):
        G.add_node(f"p{i}", label=f"Person {i}", type="official", facts={}, evidence=[])
    for i in range(2000):
        G.add_node(f"m{i}", label=f"Meeting {i}", type="meeting", facts={}, evidence=[])
        G.add_node(f"c{i}", label=f"Claim {i}", type="claim", facts={}, evidence=[])
        G.add_edge(f"p{i % 60}", f"m{i}", key="took part in", relation="took part in")
        G.add_edge(f"p{i % 60}", f"c{i}", key="asserts", relation="asserts")
    kinds = [n["kind"] for n in page_data(page_html(G, max_nodes=300), "nodes")]
    assert kinds.count("official") == 60  # every person fits
    assert 100 <= kinds.count("meeting") <= 140 and 100 <= kinds.count("claim") <= 140



def test_a_large_overview_names_only_its_most_connected_nodes():
    """Hundreds of meeting and people labels scaled by their links overlapped into a block at 5,000
    articles: a large drawing scales the labels of its most connected nodes only, the others stay
    small (drawn when zoomed in), and a small graph keeps every label scaled."""
    from graph.view.page import OVERVIEW_LABELS

    G = nx.MultiDiGraph()
    for i in range(80):
        G.add_node(f"p{i}", label=f"Person {i}", type="official", facts={}, evidence=[])
    for i in range(1500):
        G.add_node(f"m{i}", label=f"Meeting {i}", type="meeting", facts={}, evidence=[])
        for j in range(1 + i % 4):
            G.add_edge(f"p{(i + j * 7) % 80}", f"m{i}", key="took part in", relation="took part in")
    nodes = [n for n in page_data(page_html(G, max_nodes=300), "nodes") if n.get("label")]
    small = [n for n in nodes if n.get("scaling", {}).get("label", {}).get("max") == 12]
    assert len(nodes) > OVERVIEW_LABELS and len(nodes) - len(small) == OVERVIEW_LABELS
    # "value" is a node's links within the drawing (capped at 40): the large labels go to the most linked
    assert max(n["value"] for n in small) <= min(n["value"] for n in nodes if n not in small)
    few = G.subgraph([f"p{i}" for i in range(80)] + [f"m{i}" for i in range(40)]).copy()
    assert not any("scaling" in n for n in page_data(page_html(few), "nodes"))

@pytest.mark.browser
def test_a_meeting_lists_its_participants_by_side_each_with_the_sentence_naming_them(browser, seeds_build):
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    page.evaluate("dialogueGraph.select(dialogueGraph.nodes.get().find(n => n.name.startsWith('Rodríguez–Bárcena')).id)")
    panel = page.inner_text("#panel")
    assert "Participants (7)" in panel
    sides = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#panel .side')].map(g =>
        [g.querySelector('h4').textContent, [...g.querySelectorAll('a.go')].map(a => a.textContent).sort()]))""")
    assert sides == {"Mexico": ["Alicia Bárcena", "Andrés Manuel López Obrador", "Rosa Icela Rodríguez"],
                     "United States": ["Alejandro Mayorkas", "Antony Blinken", "Elizabeth Sherwood-Randall",
                                       "Merrick Garland"]}
    assert "Homeland Security Advisor Elizabeth Sherwood-Randall." in panel  # the sentence that names her
    assert "US, Mexico agree to step up efforts to tackle fentanyl trafficking, migration · Anadolu Agency · 2023-10-05" \
        in panel
    # the "took part in" edge of a participant carries the sentence naming them, not the meeting's first
    said = page.evaluate("""() => { const sr = dialogueGraph.nodes.get().find(n => n.name === 'Elizabeth Sherwood-Randall');
        return dialogueGraph.edges.get().filter(e => e.from === sr.id && e.relation === 'took part in')
            .map(e => e.evidence.map(x => meta.sentences[x[1]])); }""")
    assert len(said) == 2 and all(s and all("Sherwood-Randall" in x for x in s) for s in said)
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
def test_a_person_lists_titles_meetings_quotes_claims_and_figures(browser, seeds_build):
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    panel = search(page, "Ebrard")
    assert panel.splitlines()[0] == "Marcelo Ebrard"
    assert "Titles over time" in panel and "Foreign" in panel
    assert "Meetings (2)" in panel
    assert "2023-03-13 Blinken–Ebrard phone call, 13 Mar 2023" in panel
    assert "Ebrard–Rodríguez–Sandoval and 11 others meeting in Washington, 13 Apr 2023" in panel
    assert "Quotes (" in panel and "Claims (" in panel
    panel = search(page, "Rosa Icela")
    assert "Figures (" in panel and "tonne" in panel
    # a figure says who reported it and the period it measures
    page.evaluate("dialogueGraph.showNode(dialogueGraph.nodes.get().find(n => n.kind === 'figure' && n.facts.period === '2021').id)")
    assert "period\n2021" in page.inner_text("#panel")
    by = page.evaluate("""() => { const e = dialogueGraph.edges.get().find(x => x.relation === 'reported');
        dialogueGraph.showNode(e.to); return dialogueGraph.nodes.get(e.from).name; }""")
    assert f"reported by\n{by}" in page.inner_text("#panel")
    # a meeting in the list opens that meeting's panel
    search(page, "Ebrard")
    page.click("#panel a.go:has-text('phone call')")
    assert page.inner_text("#panel").splitlines()[0] == "Blinken–Ebrard phone call, 13 Mar 2023"
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
def test_search_finds_aliases_and_lists_every_match(browser, seeds_build):
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    assert search(page, "AMLO").splitlines()[0] == "Andrés Manuel López Obrador"
    search(page, "lopez obrador")  # accents and case do not matter
    assert page.inner_text("#panel").splitlines()[0] == "Andrés Manuel López Obrador"
    search(page, "washington")
    hits = page.locator("#hits li").all_inner_texts()
    assert len(hits) >= 3 and all("washington" in h.lower() for h in hits)
    assert "names match" in page.inner_text("#note")
    page.locator("#hits li").nth(1).click()
    assert page.inner_text("#panel").splitlines()[0] == hits[1].split(" ")[0] or hits[1].startswith(
        page.inner_text("#panel").splitlines()[0])
    page.click("#reset")  # the note and the list go with Reset
    assert "names match" not in page.inner_text("#note") and page.locator("#hits li").count() == 0
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
def test_the_time_filter_uses_event_dates(browser, seeds_build):
    """The 13 March call was reported on 14 March; the 13 April meeting was announced on 14 March."""
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    page.fill("#from", "2023-03-13")
    page.fill("#to", "2023-03-13")
    page.dispatch_event("#to", "change")
    shown = page.evaluate("dialogueGraph.nodes.get().filter(n => !n.hidden).map(n => n.name || n.label)")
    assert "Blinken–Ebrard phone call, 13 Mar 2023" in shown
    assert "Antony Blinken" in shown and "Marcelo Ebrard" in shown
    assert not any("13 Apr 2023" in s for s in shown) and "Jody Thomas" not in shown
    page.fill("#from", "2023-04-01")
    page.fill("#to", "2023-04-30")
    page.dispatch_event("#to", "change")
    shown = page.evaluate("dialogueGraph.nodes.get().filter(n => !n.hidden).map(n => n.name || n.label)")
    assert any("13 Apr 2023" in s for s in shown) and "Blinken–Ebrard phone call, 13 Mar 2023" not in shown
    assert "event dates" in page.inner_text("#bar")  # and the filter says so
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
def test_the_table_sorts_and_is_linked_to_the_selection(browser, seeds_build):
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    page.click("#tablebtn")
    page.select_option("#tablekind", "meetings")
    page.click("#table th:has-text('date')")
    dates = page.locator("#table tbody tr td:first-child").all_inner_texts()
    assert len(dates) == 6 and dates == sorted(dates)
    page.click("#table th:has-text('date')")
    assert page.locator("#table tbody tr td:first-child").all_inner_texts() == sorted(dates, reverse=True)
    page.locator("#table tbody tr", has_text="phone call").click()  # a row selects its node
    assert page.inner_text("#panel").splitlines()[0] == "Blinken–Ebrard phone call, 13 Mar 2023"
    assert page.evaluate("dialogueGraph.network.getSelectedNodes()[0]") == page.evaluate(
        "dialogueGraph.nodes.get().find(n => n.name === 'Blinken–Ebrard phone call, 13 Mar 2023').id")
    assert "phone call" in page.inner_text("#table tr.sel")
    page.select_option("#tablekind", "people")  # a selection elsewhere marks its row
    search(page, "Gupta")
    assert page.inner_text("#table tr.sel").startswith("Rahul Gupta")
    page.click("#table th:has-text('meetings')")
    page.click("#table th:has-text('meetings')")
    counts = [int(x) for x in page.locator("#table tbody tr td:nth-child(4)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
def test_focus_dims_all_but_the_neighbourhood_and_a_double_click_widens_it(browser, seeds_build):
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    search(page, "Antony Blinken")
    page.wait_for_function("() => !dialogueGraph.focusPending")
    lit = """name => { const n = dialogueGraph.nodes.get().find(x => x.name === name);
        const drawn = dialogueGraph.network.body.nodes[n.id].options.color.background;
        if (dialogueGraph.isDimmed(n.id) !== (drawn === '#eeeeee')) throw new Error('dimmed state and colour disagree');
        return !dialogueGraph.isDimmed(n.id); }"""
    assert page.evaluate(lit, "Antony Blinken") and page.evaluate(lit, "Blinken–Ebrard phone call, 13 Mar 2023")
    assert not page.evaluate(lit, "Alicia Bárcena") and not page.evaluate(lit, "Rahul Gupta")
    pos = page.evaluate("""() => { const net = dialogueGraph.network; net.fit();
        const id = dialogueGraph.nodes.get().find(n => n.name.startsWith('Rodríguez–Bárcena')).id;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""")
    page.mouse.dblclick(pos["x"], pos["y"])
    assert page.evaluate(lit, "Alicia Bárcena")  # a neighbour of the meeting double-clicked
    assert not page.evaluate(lit, "Rahul Gupta")
    page.click("#reset")
    assert page.evaluate(lit, "Rahul Gupta")
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
def test_who_met_whom_view_is_coloured_by_side(browser, seeds_build):
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    page.check("input[name=view][value=met]")
    page.wait_for_function("() => dialogueGraph.metStable === true", timeout=20000)
    people = page.evaluate("Object.fromEntries(dialogueGraph.metNodes.get().map(n => [n.name, [n.side, n.color]]))")
    assert people["Antony Blinken"] == ["United States", "#1f77b4"] and people["Marcelo Ebrard"] == ["Mexico", "#2ca02c"]
    assert "Xi Jinping" not in people  # in no meeting
    pair = page.evaluate("""() => { const ids = Object.fromEntries(dialogueGraph.metNodes.get().map(n => [n.name, n.id]));
        return dialogueGraph.metEdges.get().find(e => [e.from, e.to].sort().join() ===
            [ids['Antony Blinken'], ids['Marcelo Ebrard']].sort().join()); }""")
    assert pair["counterpart"] and pair["value"] == 1
    pos = page.evaluate("""() => { const net = dialogueGraph.metNetwork;
        const id = dialogueGraph.metNodes.get().find(n => n.name === 'Marcelo Ebrard').id;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('metnetwork').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""")
    page.mouse.click(pos["x"], pos["y"])
    assert page.inner_text("#panel").splitlines()[0] == "Marcelo Ebrard"
    assert "Sides" in page.inner_text("#metlegend")
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
def test_a_contradiction_shows_both_claims_and_legend_and_edge_labels_on_hover(browser, seeds_build):
    page, requests, errors = open_page(browser, seeds_build[1] / "graph.html")
    texts = page.evaluate("""() => { const e = dialogueGraph.edges.get().find(x => x.relation === 'contradicts');
        dialogueGraph.showEdge(e.id);
        return [dialogueGraph.nodes.get(e.from).facts.text, dialogueGraph.nodes.get(e.to).facts.text]; }""")
    panel = page.inner_text("#panel")
    assert texts[0] in panel and texts[1] in panel and "No sentence recorded" not in panel
    assert panel.count("Stated in") == 2
    legend = page.inner_text("#bar")
    assert all(k in legend for k in ("took part in", "contradicts", "denies", "official", "meeting"))
    assert page.evaluate("dialogueGraph.edges.get().every(e => !e.label)")  # no edge label until hovered
    assert page.evaluate("dialogueGraph.nodes.get().filter(n => n.isolated).every(n => n.hidden)")
    assert page.evaluate("dialogueGraph.nodes.get().filter(n => n.isolated).length") > 0
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
def test_article_links_are_http_only(browser, seeds_dataset, tmp_path):
    details = page_details(seeds_dataset)
    urls = {"001_6ff2fa65926bfcd6": "https://example.org/aa-story", "000_535c8822014ccfb0": "javascript:alert(1)"}
    path = tmp_path / "links.html"
    path.write_text(page_html(to_networkx(seeds_dataset), details=PageDetails(
        aliases=details.aliases, taking_part=details.taking_part, titles=details.titles, quotes=details.quotes,
        urls=urls)), encoding="utf-8")
    page, requests, errors = open_page(browser, path)
    search(page, "Alicia Bárcena")
    hrefs = page.evaluate("[...document.querySelectorAll('#panel a[href]')].map(a => a.getAttribute('href'))")
    assert "https://example.org/aa-story" in hrefs and not any(h.startswith("javascript") for h in hrefs)
    assert requests == [] and errors == []
    page.close()


def synthetic_archive(articles: int = 200) -> nx.MultiDiGraph:
    """A projection shaped like a 200-article build (a real one takes over a minute here): many
    meetings of the same people, a delegation per article and side, dozens of claims per speaker."""
    G = nx.MultiDiGraph()
    sides = ["United States", "Mexico"]
    for s in sides:
        G.add_node(s, label=s, type="country", facts={}, evidence=[])
    for i in range(40):
        G.add_node(f"p{i}", label=f"Official {i}", type="official", facts={"country": sides[i % 2]}, evidence=[])
        G.add_edge(f"p{i}", sides[i % 2], key="serves", relation="serves")
    for a in range(articles):
        day = f"2023-{1 + a % 12:02d}-{1 + a % 28:02d}"
        G.add_node(f"a{a}", label=f"a{a}", type="article", facts={"headline": f"Story {a}", "date": day},
                   evidence=[], articles=[f"a{a}"], dates=[day])
        m = f"m{a}"
        G.add_node(m, label=f"Meeting {a}", type="meeting", facts={"date": day}, evidence=[], dates=[day])
        for k in range(4):
            G.add_edge(f"p{(a + k * 7) % 40}", m, key="took part in", relation="took part in")
        for s in sides:
            d = f"d{a}{s}"
            G.add_node(d, label=f"{s} delegation", type="delegation", facts={"country": s}, evidence=[], articles=[f"a{a}"])
            G.add_edge(d, s, key="belongs to", relation="belongs to")
            G.add_edge(d, m, key="took part in", relation="took part in")
        for k in range(7):
            c = f"c{a}-{k}"
            G.add_node(c, label=f"claim {a}-{k}", type="claim", facts={"text": f"claim {a}-{k}"}, evidence=[],
                       dates=[day])
            G.add_edge(f"p{(a + k) % 8}", c, key="asserts", relation="asserts")
            G.add_edge(f"a{a}", c, key="reports", relation="reports")
    return G


@pytest.mark.browser
def test_the_overview_of_a_large_archive_reads(browser, tmp_path):
    G = synthetic_archive()
    path = tmp_path / "large.html"
    path.write_text(page_html(G), encoding="utf-8")
    page, requests, errors = open_page(browser, path)
    page.wait_for_function("() => dialogueGraph.stable === true", timeout=60000)
    kinds = page.evaluate("dialogueGraph.nodes.get().map(n => n.kind)")
    assert kinds.count("delegation") == 2  # one per side, not 400
    assert len(kinds) <= MAX_NODES and all(kinds.count(k) <= 0.5 * MAX_NODES for k in set(kinds))
    assert kinds.count("official") == 40 and kinds.count("meeting") >= 100 and kinds.count("claim") >= 100
    # each speaker's claims are one node until double-clicked
    clusters = page.evaluate("Object.keys(dialogueGraph.network.body.nodes).filter(id => dialogueGraph.network.isCluster(id))")
    assert len(clusters) == 8
    pos = page.evaluate("""id => { const net = dialogueGraph.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""", clusters[0])
    page.mouse.click(pos["x"], pos["y"])
    assert "folded" in page.inner_text("#panel")
    page.mouse.dblclick(pos["x"], pos["y"])
    assert clusters[0] not in page.evaluate("Object.keys(dialogueGraph.network.body.nodes)")  # opened
    # selecting a claim inside another cluster opens it
    page.evaluate("""id => { const c = dialogueGraph.network.body.nodes[id].options.members[0]; dialogueGraph.select(c); }""",
                  clusters[1])
    assert clusters[1] not in page.evaluate("Object.keys(dialogueGraph.network.body.nodes)")
    assert requests == [] and errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [640, 1140])
def test_the_page_fits_a_notebook_frame(browser, seeds_build, width):
    """The notebook shows the page in a 650-pixel frame: the controls wrap on a narrow one, and the
    graph and its panel take what is left instead of running below the frame."""
    page = browser.new_page(viewport={"width": width, "height": 650})
    page.goto((seeds_build[1] / "graph.html").as_uri())
    page.wait_for_function("() => window.dialogueGraph && dialogueGraph.nodes && dialogueGraph.nodes.length > 0")
    height, width_used = page.evaluate("[document.documentElement.scrollHeight, document.documentElement.scrollWidth]")
    page.close()
    assert height <= 650 and width_used <= width


def test_who_met_whom_keeps_the_pairs_who_met_most_and_each_pairs_first_meetings():
    """On a news archive the same officials meet again and again: 300 people made 38,000 pairs, each
    listing every meeting (25 MB of a 5,000-article page). The view keeps the pairs who met most, a
    pair keeps its first meetings and says how many there are."""
    from graph.view.page import MAX_LISTED, MAX_MET_PAIRS

    G = nx.MultiDiGraph()
    people = [f"p{i:02d}" for i in range(72)]  # 2,556 pairs
    for i, p in enumerate(people):
        G.add_node(p, label=f"Official {i}", type="official", facts={"country": "Mexico" if i % 2 else "Canada"},
                   evidence=[])
    for m in range(MAX_LISTED + 5):
        G.add_node(f"m{m:02d}", label=f"Meeting {m}", type="meeting", facts={}, evidence=[])
        for p in people[:-2] if m else people:  # the last two met once only: their pairs go first
            G.add_edge(p, f"m{m:02d}", key="took part in", relation="took part in")
    meta = json.loads(re.search(r"var meta = (\{.*?\});\n", page_html(G)).group(1))
    edges = meta["met"]["edges"]
    assert len(edges) == MAX_MET_PAIRS and all(e["value"] == MAX_LISTED + 5 for e in edges)
    assert all(e["meetings"] == [f"m{m:02d}" for m in range(MAX_LISTED)] for e in edges)
    assert meta["met"]["note"] == f"showing the {MAX_MET_PAIRS:,} pairs who met most of {72 * 71 // 2:,}"
    linked = {u for e in edges for u in (e["from"], e["to"])}
    assert {n["id"] for n in meta["met"]["nodes"]} == linked  # no one floats alone


def test_a_page_may_fold_the_projection_it_was_given_instead_of_a_copy():
    """write_page hands the page a projection made for it: folding its delegations in place (a copy
    of a 5,000-article projection is a few hundred megabytes) draws the same page."""
    G = synthetic_archive(60)
    before = (len(G), G.number_of_edges())
    copied = page_html(G)
    assert (len(G), G.number_of_edges()) == before  # the caller's graph untouched
    assert page_html(G, consume=True) == copied
    assert sum(1 for _, d in G.nodes(data=True) if d["type"] == "delegation") == 2


def test_a_named_graph_in_several_blocks_is_read_whole(seeds_build, seeds_dataset, tmp_path):
    """The projection reads graph.trig one named graph at a time (only that article's mentions in
    memory); a file whose graphs come in pieces, which the build never writes, is still read exactly."""
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(seeds_build[1] / "graph.trig"), format=ox.RdfFormat.TRIG))
    first = next(q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))
    mine = [q for q in quads if q.graph_name == first]
    others = [q for q in quads if q.graph_name != first]
    split = tmp_path / "split.trig"
    split.write_bytes(ox.serialize(mine[::2] + others + mine[1::2], format=ox.RdfFormat.TRIG))
    a, b = to_networkx(seeds_dataset), to_networkx(split)
    assert set(a) == set(b) and all(a.nodes[n] == b.nodes[n] for n in a)
    assert sum(len(a.nodes[n]["evidence"]) for n in a) > 100


def test_the_page_data_is_written_in_pieces_as_tojson_writes_it(monkeypatch):
    """At 5,000 articles the page's data is 20 MB of JSON: written one element at a time, it is never made
    whole (nor again for each escaped character, nor encoded whole), and the page is the same text."""
    import io

    from jinja2.utils import htmlsafe_json_dumps

    from graph.view import page

    G = synthetic_archive(60)
    whole = page_html(G)
    meta = re.search(r"var meta = (\{.*?\});\n", whole).group(1)
    monkeypatch.setattr(page, "_BATCH", 4, raising=False)  # list elements per piece (32 for a real page)
    made, dumps = [], json.dumps
    monkeypatch.setattr(json, "dumps", lambda *a, **k: made.append(dumps(*a, **k)) or made[-1])
    out = io.BytesIO()
    assert page_html(G, to=out) == "" and not out.closed  # the caller's file stays theirs
    assert out.getvalue().decode("utf-8") == whole
    assert made and max(map(len, made)) < len(meta) / 4  # the whole was one string of all of it
    monkeypatch.undo()
    assert meta == str(htmlsafe_json_dumps(json.loads(meta), sort_keys=True))


def test_the_pieces_of_the_page_data_join_to_the_text_tojson_writes():
    from jinja2.utils import htmlsafe_json_dumps

    from graph.view.page import _json_pieces

    value = {"b": [1, 2.5, None, True, {"z": "<script>&'x'</script>", "a": []}], "a": {}, "é": "ünï — “q”",
             "n": {"3": [[], [[1]]], "1": "x"}, "k": {2: "int keys", 1: "sorted as numbers"},
             "m": [{"x": {"y": {"z": [1, {"b": 1, "a": 2}]}}}], "e": "", "z": [[]]}
    for v in (value, [value, value], [], {}, "<>", 3):
        assert "".join(_json_pieces(v)) == str(htmlsafe_json_dumps(v, sort_keys=True))
    # an iterator (the nodes search brings in, made as they are written) is written as its list
    for items in ([], [value, 1, "<"]):
        made = iter(items)
        assert "".join(_json_pieces({"more": made, "z": 1})) == str(htmlsafe_json_dumps({"more": items, "z": 1},
                                                                                         sort_keys=True))


def test_edges_name_their_nodes_by_the_nodes_own_strings(seeds_build):
    """A copy of both node names for each edge was 25 MB of the drawing's peak at 5,000 articles."""
    G = to_networkx(seeds_build[1] / "graph.trig", max_evidence=12)
    own = {n: n for n in G}
    assert G.number_of_edges() > 100
    assert all(own[u] is u and own[v] is v for u, v in G.edges())
