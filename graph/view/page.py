"""Stage 6b — draw: the interactive graph page, fully offline.

pyvis builds the nodes, edges and options; the page itself comes from our own template
(``graph/view/templates/page.html``), which inlines pyvis's copy of vis-network and links
nothing: pyvis's stock template pulls Bootstrap and tom-select from a CDN, and its
select/filter menus are known to blank the graph, so search, filters, the legend and the
evidence panel are written against the vis-network API instead. Article text is
untrusted: data reaches the page as JSON (``tojson`` escapes ``<``, ``>`` and ``&``), the
panel writes it with ``textContent``, tooltips are escaped, and a Content-Security-Policy
forbids any request.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import networkx as nx
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from pyvis.network import Network

from .analytics import DIALOGUE, to_networkx

__all__ = ["STYLE", "MAX_NODES", "page_html", "write_page", "notebook_view"]

# colour, shape per node type
STYLE = {
    "official": ("#d62728", "dot"),
    "journalist": ("#9467bd", "dot"),
    "person": ("#e377c2", "dot"),
    "government body": ("#1f77b4", "square"),
    "legislature": ("#17becf", "square"),
    "party": ("#aec7e8", "square"),
    "delegation": ("#6baed6", "square"),
    "criminal organization": ("#000000", "triangle"),
    "news outlet": ("#8c564b", "square"),
    "company": ("#bcbd22", "square"),
    "organization": ("#7f7f7f", "square"),
    "country": ("#2ca02c", "diamond"),
    "meeting": ("#ff7f0e", "star"),
    "claim": ("#f7b6d2", "box"),
    "figure": ("#c49c94", "triangleDown"),
    "article": ("#c7c7c7", "ellipse"),
}
MAX_NODES = 600  # beyond this the page draws the most connected nodes and says so; search finds the rest
MAX_EVIDENCE = 12  # sentences per node in the page (all of them stay in the graph)
FINDABLE = {"official", "journalist", "person", "government body", "legislature", "party", "delegation",
            "criminal organization", "news outlet", "company", "organization", "country", "meeting"}
MAX_FINDABLE = 20_000  # nodes left out of the drawing that search can still bring in


def _env() -> Environment:
    import pyvis

    return Environment(loader=ChoiceLoader([
        FileSystemLoader(str(Path(__file__).parent / "templates")),
        FileSystemLoader(str(Path(pyvis.__file__).parent / "templates")),
    ]), autoescape=False)


def _limit(G: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, str, list[str]]:
    """The nodes drawn by default, a note saying what was left out, and the left-out nodes search can find.

    vis-network lays out a few hundred nodes in a second or two and thousands in tens of
    seconds, so a large graph opens on its most connected people, bodies, countries,
    meetings and claims (then figures, then articles) instead of all of them.
    """
    if len(G) <= max_nodes:
        return G, "", []
    degree = dict(G.degree())
    ranked = sorted(G, key=lambda n: (_PRIORITY.get(G.nodes[n]["type"], 0), -degree[n], n))
    sub = G.subgraph(ranked[:max_nodes])
    keep = [n for n in ranked[:max_nodes] if sub.degree(n) > 0]  # a node whose links were all left out says nothing
    kept = set(keep)
    findable = [n for n in ranked if n not in kept and G.nodes[n]["type"] in FINDABLE][:MAX_FINDABLE]
    note = (f"Showing the {len(keep):,} most connected of {len(G):,} nodes; search also finds "
            f"{len(findable):,} people, bodies, countries and meetings not drawn. "
            f"Use the saved queries or the notebook for the rest.")
    return G.subgraph(keep).copy(), note, findable


# which nodes a limited drawing keeps first (by degree within a tier): the dialogue, then
# what it cites, then the sources
_PRIORITY = {"company": 1, "organization": 1, "journalist": 1, "news outlet": 1, "figure": 1, "article": 2}


def _node(G: nx.MultiDiGraph, node: str, degree: int, article_index: dict[str, int], evidence: int) -> dict:
    d = G.nodes[node]
    color, shape = STYLE.get(d["type"], STYLE["organization"])
    return {"id": node, "label": d["label"], "title": html.escape(f"{d['type']}: {d['label']}", quote=False),
            "color": color, "shape": shape, "size": 8 + 3 * min(degree, 14), "kind": d["type"],
            "facts": d.get("facts", {}), "evidence": d.get("evidence", [])[:evidence],
            "evidenceTotal": d.get("evidence_count", len(d.get("evidence", []))),
            "articles": sorted(article_index[a] for a in d.get("articles", []) if a in article_index),
            "dates": d.get("dates", [])}


def page_html(G: nx.MultiDiGraph, max_nodes: int = MAX_NODES) -> str:
    """The page for a networkx projection (see :func:`graph.view.analytics.to_networkx`)."""
    full = G
    G, note, findable = _limit(G, max_nodes)
    known = full.graph.get("outlets", {})
    outlets: dict[str, str] = {}
    for n in [*G, *findable]:
        for e in full.nodes[n].get("evidence", []):
            outlets.setdefault(e["article"], e.get("outlet", ""))
        for a in full.nodes[n].get("articles", []):
            outlets.setdefault(a, known.get(a, ""))
    article_ids = sorted(outlets)
    article_index = {a: i for i, a in enumerate(article_ids)}  # nodes carry article numbers, not names
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    degree = dict(G.degree())
    for node in sorted(G.nodes):
        attrs = _node(G, node, degree.get(node, 0), article_index, MAX_EVIDENCE)
        net.add_node(attrs.pop("id"), **attrs)
    for u, v, key, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        style = {}
        if d.get("contradiction"):
            style = {"color": "#e6002e", "width": 4, "dashes": True}
        elif d["relation"] in ("asserts", "denies"):
            style = {"color": "#2ca02c" if d["relation"] == "asserts" else "#d62728"}
        net.add_edge(u, v, label="" if d["relation"] in ("reports", "serves", "belongs to") else d["relation"],
                     title=html.escape(d["relation"], quote=False), relation=d["relation"],
                     evidence=d.get("evidence", [])[:MAX_EVIDENCE],
                     evidenceTotal=d.get("evidence_count", len(d.get("evidence", []))),
                     arrows="to", font={"size": 10}, **style)
    large = len(G) >= 300
    net.set_options(json.dumps({
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 120 if large else 250, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large},
        "nodes": {"font": {"size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False},
    }))
    nodes, edges, _, _, _, options = net.get_network_data()
    kinds = [{"name": k, "color": STYLE[k][0], "count": sum(1 for n in G if G.nodes[n]["type"] == k)}
             for k in STYLE if any(G.nodes[n]["type"] == k for n in G)]
    more = [_node(full, n, full.degree(n), article_index, 3) for n in findable]
    meta = {"kinds": kinds, "dialogue": sorted(DIALOGUE), "note": note, "more": more,
            "articles": [{"id": a, "outlet": outlets[a]} for a in article_ids]}
    return _env().get_template("page.html").render(nodes=nodes, edges=edges, options=options, meta=meta)


def notebook_view(G: nx.MultiDiGraph, height: int = 650):
    """The page inside a notebook output (an iframe holding the whole offline page)."""
    from IPython.display import HTML

    return HTML(f'<iframe srcdoc="{html.escape(page_html(G), quote=True)}" style="width:100%;height:{height}px;'
                f'border:1px solid #ddd"></iframe>')


def write_page(source, path: Path, max_nodes: int = MAX_NODES) -> Path:
    """The page of an rdflib Dataset, an Oxigraph store or a graph.trig path (the build draws from its
    graph.trig while another process loads the store)."""
    path = Path(path)
    path.write_text(page_html(to_networkx(source, max_evidence=MAX_EVIDENCE), max_nodes), encoding="utf-8")
    return path
