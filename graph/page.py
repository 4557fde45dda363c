"""Stage 6b — draw: the interactive graph page, fully offline.

pyvis builds the nodes, edges and options; the page itself comes from our own template
(``graph/templates/page.html``), which inlines pyvis's copy of vis-network and links
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
MAX_NODES = 1500  # beyond this the page shows the most connected nodes and says so
MAX_EVIDENCE = 12  # sentences per node in the page (all of them stay in the graph)


def _env() -> Environment:
    import pyvis

    return Environment(loader=ChoiceLoader([
        FileSystemLoader(str(Path(__file__).parent / "templates")),
        FileSystemLoader(str(Path(pyvis.__file__).parent / "templates")),
    ]), autoescape=False)


def _limit(G: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, str]:
    if len(G) <= max_nodes:
        return G, ""
    degree = dict(G.degree())
    keep = sorted(G, key=lambda n: (-degree[n], n))[:max_nodes]
    note = (f"Showing the {max_nodes:,} most connected of {len(G):,} nodes; "
            f"use the saved queries or the notebook for the rest.")
    return G.subgraph(keep).copy(), note


def page_html(G: nx.MultiDiGraph, max_nodes: int = MAX_NODES) -> str:
    """The page for a networkx projection (see :func:`graph.analytics.to_networkx`)."""
    G, note = _limit(G, max_nodes)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    degree = dict(G.degree())
    for node in sorted(G.nodes):
        d = G.nodes[node]
        color, shape = STYLE.get(d["type"], STYLE["organization"])
        net.add_node(node, label=d["label"], title=html.escape(f"{d['type']}: {d['label']}", quote=False),
                     color=color, shape=shape, size=8 + 3 * min(degree.get(node, 0), 14), kind=d["type"],
                     facts=d.get("facts", {}), evidence=d.get("evidence", [])[:MAX_EVIDENCE],
                     articles=d.get("articles", []), dates=d.get("dates", []))
    for u, v, key, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        style = {}
        if d.get("contradiction"):
            style = {"color": "#e6002e", "width": 4, "dashes": True}
        elif d["relation"] in ("asserts", "denies"):
            style = {"color": "#2ca02c" if d["relation"] == "asserts" else "#d62728"}
        net.add_edge(u, v, label="" if d["relation"] in ("reports", "serves", "belongs to") else d["relation"],
                     title=html.escape(d["relation"], quote=False), relation=d["relation"],
                     evidence=d.get("evidence", [])[:MAX_EVIDENCE], arrows="to", font={"size": 10}, **style)
    net.set_options(json.dumps({
        "layout": {"randomSeed": 7, "improvedLayout": len(G) < 300},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 250, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110}},
        "interaction": {"hover": True, "tooltipDelay": 150},
        "nodes": {"font": {"size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False},
    }))
    nodes, edges, _, _, _, options = net.get_network_data()
    kinds = [{"name": k, "color": STYLE[k][0], "count": sum(1 for n in G if G.nodes[n]["type"] == k)}
             for k in STYLE if any(G.nodes[n]["type"] == k for n in G)]
    arts = {}
    for n in G:
        for e in G.nodes[n].get("evidence", []):
            arts.setdefault(e["article"], e.get("outlet", ""))
    meta = {"kinds": kinds, "dialogue": sorted(DIALOGUE), "note": note,
            "articles": [{"id": a, "outlet": o} for a, o in sorted(arts.items())]}
    return _env().get_template("page.html").render(nodes=nodes, edges=edges, options=options, meta=meta)


def notebook_view(G: nx.MultiDiGraph, height: int = 650):
    """The page inside a notebook output (an iframe holding the whole offline page)."""
    from IPython.display import HTML

    return HTML(f'<iframe srcdoc="{html.escape(page_html(G), quote=True)}" style="width:100%;height:{height}px;'
                f'border:1px solid #ddd"></iframe>')


def write_page(source, path: Path, max_nodes: int = MAX_NODES) -> Path:
    """The page of an rdflib Dataset or an Oxigraph store (the build draws from its store)."""
    path = Path(path)
    path.write_text(page_html(to_networkx(source), max_nodes), encoding="utf-8")
    return path
