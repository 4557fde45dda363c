"""The RDF → networkx projection and the analytics the page, CLI and notebook share.

Nodes are entities (people, organizations, countries) and articles; edges say how
they relate: a person serves a country, an organization belongs to one, an article
mentions an entity. Functions take a graph and return plain data.
"""
from __future__ import annotations

import networkx as nx
from rdflib import RDF, Dataset

from .vocab import DG, SCHEMA

__all__ = ["to_networkx", "node_type", "central_nodes"]

_TYPES = [  # most specific first
    (DG.Official, "official"), (DG.Journalist, "journalist"), (DG.Person, "person"),
    (DG.GovernmentBody, "government body"), (DG.Legislature, "legislature"),
    (DG.PoliticalParty, "party"), (DG.CriminalOrganization, "criminal organization"),
    (DG.NewsOutlet, "news outlet"), (DG.Company, "company"), (DG.Organization, "organization"),
    (DG.Country, "country"), (DG.Meeting, "meeting"), (DG.Figure, "figure"), (DG.Claim, "claim"),
    (DG.Quote, "quote"), (DG.Article, "article"),
]


def node_type(types: set) -> str | None:
    for cls, name in _TYPES:
        if cls in types:
            return name
    return None


def to_networkx(ds: Dataset) -> nx.MultiDiGraph:
    """Entities and articles as nodes; ``relation`` on each edge; evidence sentences kept."""
    G = nx.MultiDiGraph()
    types: dict = {}
    for s, _, o, _ in ds.quads((None, RDF.type, None, None)):
        types.setdefault(s, set()).add(o)
    names = {s: str(o) for s, _, o, _ in ds.quads((None, SCHEMA.name, None, None))}
    # Dataset.value() reads only the default graph: article facts live in named graphs
    def values(prop) -> dict:
        return {s: o for s, _, o, _ in ds.quads((None, prop, None, None))}
    article_ids, headlines = values(DG.articleId), values(SCHEMA.headline)
    in_article, sentences = values(DG.inArticle), values(DG.sentence)
    for node, ts in types.items():
        kind = node_type(ts)
        if kind is None or kind in ("meeting", "figure", "claim", "quote") and node not in names:
            continue
        if kind in ("official", "journalist", "person", "country", "article") or "organization" in kind \
                or kind in ("government body", "legislature", "party", "news outlet", "company"):
            label = names.get(node)
            if kind == "article":
                label = str(article_ids.get(node, node))
                headline = headlines.get(node)
                G.add_node(str(node), label=label, type=kind, title=str(headline or label))
            elif label:
                G.add_node(str(node), label=label, type=kind, title=label)
    for s, p, o, _ in ds.quads((None, DG.servesCountry, None, None)):
        if str(s) in G and str(o) in G:
            G.add_edge(str(s), str(o), key="serves", relation="serves")
    for s, p, o, _ in ds.quads((None, DG.country, None, None)):
        if str(s) in G and str(o) in G:
            G.add_edge(str(s), str(o), key="belongs to", relation="belongs to")
    for m, _, target, _ in ds.quads((None, DG.refersTo, None, None)):
        art = in_article.get(m)
        if art is None or str(target) not in G or str(art) not in G:
            continue
        sentence = str(sentences.get(m, ""))
        if G.has_edge(str(art), str(target), key="mentions"):
            G.edges[str(art), str(target), "mentions"]["evidence"].append(sentence)
        else:
            G.add_edge(str(art), str(target), key="mentions", relation="mentions", evidence=[sentence])
    return G


def central_nodes(G: nx.MultiDiGraph, kinds: set[str], top: int = 10) -> list[tuple[str, float]]:
    """(label, degree centrality) of the most connected nodes of the given kinds."""
    if len(G) < 2:
        return []
    cent = nx.degree_centrality(G)
    ranked = sorted((n for n in G if G.nodes[n].get("type") in kinds), key=lambda n: (-cent[n], G.nodes[n]["label"]))
    return [(G.nodes[n]["label"], round(cent[n], 3)) for n in ranked[:top]]
