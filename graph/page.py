"""Stage 6b — draw: the interactive graph page (pyvis), fully offline.

pyvis inlines vis-network with ``cdn_resources="in_line"`` but its template still links
Bootstrap from a CDN (and a local ``node_modules`` path): those tags are removed, so the
page opens with no network at all. Article text is untrusted: every label and tooltip is
HTML-escaped before pyvis (whose titles are raw HTML) sees it.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
from pyvis.network import Network
from rdflib import Dataset

from .analytics import to_networkx

__all__ = ["STYLE", "page_html", "write_page"]

# colour, shape per node type
STYLE = {
    "official": ("#d62728", "dot"),
    "journalist": ("#9467bd", "dot"),
    "person": ("#e377c2", "dot"),
    "government body": ("#1f77b4", "square"),
    "legislature": ("#17becf", "square"),
    "party": ("#aec7e8", "square"),
    "criminal organization": ("#000000", "triangle"),
    "news outlet": ("#8c564b", "square"),
    "company": ("#bcbd22", "square"),
    "organization": ("#7f7f7f", "square"),
    "country": ("#2ca02c", "diamond"),
    "meeting": ("#ff7f0e", "star"),
    "figure": ("#c49c94", "triangleDown"),
    "claim": ("#f7b6d2", "box"),
    "article": ("#c7c7c7", "ellipse"),
}

_EXTERNAL = re.compile(
    r"<link\b[^>]*\bhref=\"(?:https?:|//|\.\./)[^\"]*\"[^>]*/?>"
    r"|<script\b[^>]*\bsrc=\"(?:https?:|//|\.\./)[^\"]*\"[^>]*>\s*</script>",
    re.S,
)


def _legend(kinds: list[str]) -> str:
    items = "".join(
        f'<span style="margin-right:12px;white-space:nowrap"><span style="display:inline-block;width:12px;'
        f'height:12px;background:{STYLE[k][0]};margin-right:4px;vertical-align:middle"></span>{html.escape(k)}</span>'
        for k in kinds
    )
    return (f'<div id="legend" style="font:13px sans-serif;padding:6px 10px;border-bottom:1px solid #ddd">'
            f'<b>dialogue-graph</b> &nbsp; {items}</div>')


def page_html(G: nx.MultiDiGraph) -> str:
    """The page for a networkx projection (see :func:`graph.analytics.to_networkx`)."""
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", notebook=False)
    degree = dict(G.degree())
    for node in sorted(G.nodes):
        data = G.nodes[node]
        color, shape = STYLE.get(data["type"], STYLE["organization"])
        net.add_node(node, label=data["label"], title=html.escape(f"{data['type']}: {data['title']}", quote=False),
                     color=color, shape=shape, size=10 + 3 * min(degree.get(node, 0), 15),
                     group=data["type"])
    for u, v, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        evidence = data.get("evidence") or []
        title = data["relation"] + ("\n" + "\n".join(evidence[:3]) if evidence else "")
        net.add_edge(u, v, label=data["relation"] if data["relation"] != "mentions" else "",
                     title=html.escape(title, quote=False), arrows="to")
    net.set_options('{"physics": {"stabilization": {"iterations": 300}, "barnesHut": {"gravitationalConstant": -8000}},'
                    ' "interaction": {"hover": true}}')
    page = net.generate_html()
    page = _EXTERNAL.sub("", page)
    kinds = [k for k in STYLE if any(G.nodes[n]["type"] == k for n in G)]
    page = page.replace("<body>", "<body>\n" + _legend(kinds), 1)
    # physics stops once the layout is stable, so large graphs stay responsive
    page = page.replace("return network;", 'network.once("stabilizationIterationsDone", function () {'
                        ' network.setOptions({physics: false}); });\n                  return network;', 1)
    return page


def write_page(ds: Dataset, path: Path) -> Path:
    path = Path(path)
    path.write_text(page_html(to_networkx(ds)), encoding="utf-8")
    return path
