"""Stage 6b — draw: the interactive graph page, fully offline.

pyvis builds the nodes, edges and options; the page itself comes from our own template
(``graph/view/templates/page.html``), which inlines pyvis's copy of vis-network and links
nothing: pyvis's stock template pulls Bootstrap and tom-select from a CDN, and its
select/filter menus are known to blank the graph, so search, filters, the legend, the
panels, the table and the "who met whom" view are written against the vis-network API
instead. Article text is untrusted: data reaches the page as JSON (``tojson`` escapes
``<``, ``>`` and ``&``), the page writes it with ``textContent``, tooltips are escaped,
links are only ``http(s)`` addresses set as attributes, and a Content-Security-Policy
forbids any request.

What the projection (:func:`graph.view.analytics.to_networkx`) does not carry — the
sentence that names each participant of a meeting, titles and quotes with the article
they come from, aliases, article addresses — is read by :func:`page_details` in one
pass over the same source.
"""
from __future__ import annotations

import html
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations, islice
from pathlib import Path

import networkx as nx
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from pyvis.network import Network

from ..apart import release_memory
from ..outputs import staged_file
from .analytics import DIALOGUE, ORGANIZATIONS, PEOPLE, to_networkx

__all__ = ["STYLE", "EDGE_STYLE", "MAX_NODES", "PageDetails", "page_details", "page_html", "write_page",
           "notebook_view"]

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
    "claim": ("#f7b6d2", "dot"),
    "figure": ("#c49c94", "triangleDown"),
    "article": ("#c7c7c7", "ellipse"),
}
# colour, dashes, width per edge relation (the legend says what each means)
EDGE_STYLE = {
    "took part in": ("#ff7f0e", False, 2),
    "asserts": ("#2ca02c", False, 1),
    "denies": ("#d62728", False, 1),
    "claims": ("#999999", False, 1),
    "contradicts": ("#e6002e", True, 4),
    "reported": ("#8c564b", False, 1),
    "serves": ("#bbbbbb", False, 1),
    "belongs to": ("#bbbbbb", False, 1),
    "reports": ("#dddddd", False, 1),
}
# sides of the dialogue in the "who met whom" view; other countries take the rest in order
SIDE_COLORS = {"United States": "#1f77b4", "Mexico": "#2ca02c", "Canada": "#d62728"}
OTHER_SIDE_COLORS = ["#9467bd", "#8c564b", "#17becf", "#bcbd22", "#e377c2", "#ff7f0e"]
NO_SIDE = "#9e9e9e"

MAX_NODES = 600  # beyond this the page draws a balanced mix of kinds and says so; search finds the rest
MAX_EVIDENCE = 12  # sentences per node in the page (all of them stay in the graph)
FINDABLE = {"official", "journalist", "person", "government body", "legislature", "party", "delegation",
            "criminal organization", "news outlet", "company", "organization", "country", "meeting"}
MAX_FINDABLE = 20_000  # nodes left out of the drawing that search can still bring in
MAX_LISTED = 30  # rows per list in a panel (meetings, quotes, claims, figures of one person); the count says the rest
MAX_TABLE = 3_000  # rows per table kind in the page (the saved queries list every row)
MAX_MET = 300  # people in the "who met whom" view, those at most meetings first
# pairs in that view, those who met most first: on a news archive where the same officials meet again and
# again, 300 people made 38,000 pairs (25 MB of the page, and a hairball no one can read)
MAX_MET_PAIRS = 2_000
LABELLED = FINDABLE  # claims, figures and articles are drawn without a label (their text is in the tooltip and panel)
# a large drawing labels this many of its most connected nodes at full size; the others' labels are
# small, so they show only when zoomed in (vis-network draws no label under its drawThreshold): a few
# hundred meeting and people labels scaled by their links overlap into a block no one can read
OVERVIEW_LABELS = 40

# a limited drawing keeps this share of its nodes for each group of kinds (by degree within a
# group; what a group does not use goes to the others in this order): without it the cap
# fills with whatever is most numerous — meetings and claims at 200 articles
_SHARES = [("people", PEOPLE, 0.30), ("meetings", {"meeting"}, 0.20),
           ("bodies", ORGANIZATIONS | {"country"}, 0.15), ("claims", {"claim"}, 0.20),
           ("figures", {"figure"}, 0.10), ("articles", {"article"}, 0.05)]


@dataclass(frozen=True)
class PageDetails:
    """What the page shows that the networkx projection does not carry, keyed by node IRI.

    ``taking_part[(meeting, participant)]`` is ``[(article id, sentence)]``: the sentences of
    that meeting's evidence in that article which name the participant (else the first one
    naming them there, else the meeting's first), oldest article first.
    """
    aliases: dict = field(default_factory=dict)  # node → [other names]
    taking_part: dict = field(default_factory=dict)  # (meeting, participant) → [(article id, sentence)]
    titles: dict = field(default_factory=dict)  # person → [(article id, title as written)]
    quotes: dict = field(default_factory=dict)  # speaker → [(article id, text)]
    urls: dict = field(default_factory=dict)  # article id → its address (a catalog `url`)
    periods: dict = field(default_factory=dict)  # figure → the period it measures ("2021", "September")


def _env() -> Environment:
    import pyvis

    return Environment(loader=ChoiceLoader([
        FileSystemLoader(str(Path(__file__).parent / "templates")),
        FileSystemLoader(str(Path(pyvis.__file__).parent / "templates")),
    ]), autoescape=False)


# --- what the page needs beyond the projection ---------------------------------------------

def _graphs(source, predicates: list[str]):
    """``(graph, [(subject, predicate, object)])`` as strings, one named graph (an article) at a time and
    then the default graph (``""``), keeping only the given predicates: from an rdflib Dataset, an
    Oxigraph store or a graph.trig path (one streamed parse; the project writes each graph in one
    block). One article's mentions are held at a time: at 5,000 articles all of them at once
    would be hundreds of megabytes beside the projection."""
    import pyoxigraph as ox

    if isinstance(source, (str, Path)):
        wanted = {ox.NamedNode(p) for p in predicates}
        current, block = None, []
        for q in ox.parse(path=str(source), format=ox.RdfFormat.TRIG):
            if q.predicate not in wanted:
                continue
            g = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            if g != current:
                if block:
                    yield current, block
                current, block = g, []
            block.append((q.subject.value, q.predicate.value, q.object.value))
        if block:
            yield current, block
    elif isinstance(source, ox.Store):
        wanted = {ox.NamedNode(p) for p in predicates}
        for g in [*sorted(source.named_graphs(), key=str), ox.DefaultGraph()]:
            block = [(q.subject.value, q.predicate.value, q.object.value)
                     for q in source.quads_for_pattern(None, None, None, g) if q.predicate in wanted]
            yield ("" if isinstance(g, ox.DefaultGraph) else g.value), block
    else:
        from rdflib import URIRef
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        for ctx in sorted(source.graphs(), key=lambda c: str(c.identifier)):
            g = "" if ctx.identifier == DATASET_DEFAULT_GRAPH_ID else str(ctx.identifier)
            yield g, [(str(s), p, str(o)) for p in predicates for s, _, o in ctx.triples((None, URIRef(p), None))]


def page_details(source) -> PageDetails:
    """Aliases, who took part in each meeting with the sentence naming them, titles and quotes with their
    article, and article addresses — read from an rdflib Dataset, an Oxigraph store or a graph.trig path."""
    from ..vocab import DG, RDF, SCHEMA, SKOS

    P = {k: str(v) for k, v in {"alt": SKOS.altLabel, "part": DG.participant, "refers": DG.refersTo,
                                "sentence": DG.sentence, "start": DG.sentenceStart, "holder": DG.holder,
                                "title": DG.title, "type": RDF.type, "speaker": DG.speaker, "text": SCHEMA.text,
                                "url": SCHEMA.url, "id": DG.articleId, "period": DG.period}.items()}
    quote_cls = str(DG.Quote)
    aliases: dict = defaultdict(set)
    taking_part: dict = defaultdict(set)
    titles: dict = defaultdict(set)
    said: dict = defaultdict(set)
    urls: dict = {}
    periods: dict = defaultdict(set)
    article_ids: dict = {}  # article IRI → id, and addresses told outside the article's own graph
    loose_urls: dict = {}
    for g, triples in _graphs(source, list(P.values())):
        parts: set = set()  # (meeting, participant) in this article
        refers: dict = defaultdict(list)  # target → [mention]
        sentence, start = {}, {}  # mention → its sentence, the sentence's offset
        holder, title, speaker, text = {}, {}, {}, {}
        quotes: set = set()
        url, article_id = {}, {}
        for s, p, o in triples:
            if p == P["alt"]:
                aliases[s].add(o)
            elif p == P["part"]:
                parts.add((s, o))
            elif p == P["refers"]:
                refers[o].append(s)
            elif p == P["sentence"]:
                sentence[s] = o
            elif p == P["start"]:
                start[s] = int(o)
            elif p == P["holder"]:
                holder[s] = o
            elif p == P["title"]:
                title[s] = o
            elif p == P["type"]:
                if o == quote_cls:
                    quotes.add(s)
            elif p == P["speaker"]:
                speaker.setdefault(s, o)
            elif p == P["text"]:
                text[s] = o
            elif p == P["url"]:
                url[s] = o
            elif p == P["id"]:
                article_id[s] = o
            elif p == P["period"]:
                periods[s].add(o)
        article_ids.update(article_id)
        if not g:  # the default graph: aliases, and addresses (what it says of meetings is told in the articles)
            loose_urls.update(url)
            continue
        aid = article_id.get(g, g.rsplit("/", 1)[-1])  # an article's named graph is its IRI
        if g in url:
            urls[aid] = url[g]

        def sentences(target: str) -> list[str]:
            ms = sorted(refers.get(target, []), key=lambda m: (start.get(m, 0), m))
            return list(dict.fromkeys(sentence[m] for m in ms if m in sentence))

        for meeting, who in parts:
            told, naming = sentences(meeting), set(sentences(who))
            both = [s for s in told if s in naming]
            chosen = both[:2] or sentences(who)[:1] or told[:1]
            taking_part[meeting, who].update((aid, s) for s in chosen)
        for ap, who in holder.items():
            if ap in title:
                titles[who].add((aid, title[ap]))
        for q, who in speaker.items():
            if q in quotes and q in text:
                said[who].add((aid, text[q]))
    return PageDetails(aliases={k: sorted(v) for k, v in aliases.items()},
                       taking_part={k: sorted(v) for k, v in taking_part.items()},
                       titles={k: sorted(v) for k, v in titles.items()},
                       quotes={k: sorted(v) for k, v in said.items()},
                       periods={k: "; ".join(sorted(v)) for k, v in sorted(periods.items())},
                       urls=dict(sorted({**{article_ids[a]: u for a, u in loose_urls.items() if a in article_ids},
                                         **urls}.items())))


# --- the overview ---------------------------------------------------------------------------

def _fold_delegations(G: nx.MultiDiGraph, in_place: bool = False) -> nx.MultiDiGraph:
    """One node per delegation name and side (a build has one delegation per article and side:
    at 200 articles, 80 identical "US delegation" nodes), its evidence and articles pooled.
    ``in_place`` folds ``G`` itself instead of a copy (a projection the page made for itself:
    a copy of 5,000 articles' projection is a few hundred megabytes)."""
    groups: dict = defaultdict(list)
    for n, d in G.nodes(data=True):
        if d.get("type") == "delegation":
            groups[d["label"], d.get("facts", {}).get("country", "")].append(n)
    mapping = {}
    for members in groups.values():
        if len(members) > 1:
            keep = min(members)
            mapping.update({m: keep for m in members if m != keep})
    if not mapping:
        return G
    folded = []
    for members in groups.values():
        if len(members) > 1:
            keep = min(members)
            ds = [G.nodes[m] for m in sorted(members)]
            evidence = sorted((e for d in ds for e in d.get("evidence", [])),
                              key=lambda e: (e.get("date", ""), e.get("article", ""), e.get("sentence", "")))
            folded.append((keep, dict(
                evidence=evidence[:MAX_EVIDENCE], evidence_count=sum(d.get("evidence_count", 0) for d in ds),
                articles=sorted({a for d in ds for a in d.get("articles", [])}),
                dates=sorted({x for d in ds for x in d.get("dates", [])}),
                facts=dict(ds[0].get("facts", {}), delegations=f"{len(members)} (one per article and side)"))))
    if in_place:
        H = G
        moved = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in mapping or v in mapping]
        H.remove_nodes_from(mapping)
    else:
        H = nx.MultiDiGraph()
        H.graph.update(G.graph)
        for n, d in G.nodes(data=True):
            if n not in mapping:
                H.add_node(n, **d)
        moved = G.edges(keys=True, data=True)
    for keep, attrs in folded:
        H.nodes[keep].update(attrs)
    for u, v, k, d in moved:
        u, v = mapping.get(u, u), mapping.get(v, v)
        if not H.has_edge(u, v, key=k):
            H.add_edge(u, v, key=k, **d)
    return H


def _limit(G: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, str, list[str]]:
    """The nodes drawn by default, a note saying what was left out, and the left-out nodes search can find.

    vis-network lays out a few hundred nodes in a second or two and thousands in tens of
    seconds, so a large graph opens on a balanced mix of its most connected people, meetings,
    bodies, claims, figures and articles (``_SHARES``) instead of all of them.
    """
    if len(G) <= max_nodes:
        return G, "", []
    degree = dict(G.degree())
    by_degree = sorted(G, key=lambda n: (-degree[n], n))
    groups = [[n for n in by_degree if G.nodes[n]["type"] in kinds] for _, kinds, _ in _SHARES]
    other = [n for n in by_degree if not any(G.nodes[n]["type"] in kinds for _, kinds, _ in _SHARES)]
    quota = [int(max_nodes * share) for _, _, share in _SHARES]
    # what a group cannot use goes to the others in proportion to their shares, so one numerous
    # kind never takes the whole drawing
    while True:
        spare = max_nodes - sum(min(q, len(g)) for q, g in zip(quota, groups))
        hungry = [i for i, (q, g) in enumerate(zip(quota, groups)) if len(g) > q]
        if spare <= 0 or not hungry:
            break
        weight = sum(_SHARES[i][2] for i in hungry)
        quota = [q + (max(1, int(spare * _SHARES[i][2] / weight)) if i in hungry else 0) for i, q in enumerate(quota)]
        quota = [min(q, len(g)) if i not in hungry else q for i, (q, g) in enumerate(zip(quota, groups))]
        if sum(min(q, len(g)) for q, g in zip(quota, groups)) >= max_nodes:
            break
    chosen = [n for q, g in zip(quota, groups) for n in g[:q]][:max_nodes]
    chosen += other[:max_nodes - len(chosen)]
    sub = G.subgraph(chosen)
    keep = sorted(n for n in chosen if sub.degree(n) > 0)  # a node whose links were all left out says nothing
    kept = set(keep)
    findable = [n for n in by_degree if n not in kept and G.nodes[n]["type"] in FINDABLE][:MAX_FINDABLE]
    note = (f"Showing {len(keep):,} of {len(G):,} nodes (the most connected of each kind); search and the table "
            f"also find {len(findable):,} people, bodies, countries and meetings not drawn.")
    return G.subgraph(keep).copy(), note, findable


# --- the page's data ------------------------------------------------------------------------

def _forget_undrawn_evidence(full: nx.MultiDiGraph, drawn: nx.MultiDiGraph) -> None:
    """Empty the sentences of the claims and figures left out of the drawing: the page shows a claim's
    or figure's sentences only on its node and its edges, so it never writes theirs (at 5,000 articles,
    47,000 of them held 30 MB while the page was made). Only for nodes all of whose articles have a
    node of their own, which tells the page the same outlet, date and headline as the evidence did."""
    articles = {d["label"] for _, d in full.nodes(data=True) if d["type"] == "article"}
    for n, d in full.nodes(data=True):
        ev = d.get("evidence")
        if ev and d["type"] in ("claim", "figure") and n not in drawn and all(e["article"] in articles for e in ev):
            ev.clear()  # the list its edges share (they draw it from the node's), so theirs go too


def _side(G: nx.MultiDiGraph, n: str) -> str:
    d = G.nodes[n]
    if d["type"] == "country":
        return d["label"]
    if d["type"] == "claim":
        sp = [u for u, _, k in G.in_edges(n, keys=True) if k in ("asserts", "denies", "claims")]
        return _side(G, sp[0]) if sp else ""
    return d.get("facts", {}).get("country", "")


class _Data:
    """The page's data for the nodes of the full graph: articles by number, event dates, profiles."""

    def __init__(self, G: nx.MultiDiGraph, details: PageDetails | None):
        self.G, self.details = G, details or PageDetails()
        info: dict = {}
        for a, outlet in G.graph.get("outlets", {}).items():
            info.setdefault(a, {"outlet": outlet})
        for n, d in G.nodes(data=True):
            for e in d.get("evidence", []):
                info.setdefault(e["article"], {}).update(
                    {k: e[k] for k in ("outlet", "date", "headline") if e.get(k)})
            if d["type"] == "article":
                f = d.get("facts", {})
                info.setdefault(d["label"], {}).update({k: f[k] for k in ("outlet", "date", "headline", "url")
                                                        if f.get(k)})
            for a in d.get("articles", []):
                info.setdefault(a, {})
        for a, u in self.details.urls.items():
            info.setdefault(a, {})["url"] = u
        self.article_ids = sorted(info)
        self.index = {a: i for i, a in enumerate(self.article_ids)}  # nodes carry article numbers, not names
        self.articles = [dict({"headline": "", "outlet": "", "date": "", "url": ""}, **info[a], id=a)
                         for a in self.article_ids]
        self._when: dict = {}
        self._parts: dict = {}  # a meeting's participants: its node and each "took part in" edge ask
        self.sentences: list[str] = []
        self.sentence_index: dict[str, int] = {}

    def article_date(self, a: str) -> str:
        i = self.index.get(a)
        return self.articles[i]["date"] if i is not None else ""

    def when(self, n: str) -> list[str]:
        """Event dates: a meeting's date (its articles' dates when it has none), the article date of a
        claim, figure or quote; for an actor, the dates of its meetings and statements."""
        if n in self._when:
            return self._when[n]
        G, d = self.G, self.G.nodes[n]
        kind = d["type"]
        if kind == "meeting":
            out = [d["facts"]["date"]] if d.get("facts", {}).get("date") else list(d.get("dates", []))
        elif kind in ("claim", "figure", "article"):
            out = list(d.get("dates", []))
        else:
            dates = {self.article_date(a) for a, _ in self.details.quotes.get(n, [])}
            for _, v, k in G.out_edges(n, keys=True):
                if k in ("took part in", "asserts", "denies", "claims", "reported"):
                    dates.update(self.when(v))
            out = sorted(x for x in dates if x)
        self._when[n] = out
        return out

    def evidence(self, evidence: list[dict]) -> list:
        return [[self.index.get(e["article"], -1), self.sentence(e["sentence"])] for e in evidence]

    def sentence(self, text: str) -> int:
        """A sentence's number in the page: one sentence names many people, a meeting and its claims,
        so each is written once (a third of the page at 200 articles)."""
        if text not in self.sentence_index:
            self.sentence_index[text] = len(self.sentences)
            self.sentences.append(text)
        return self.sentence_index[text]

    def participants(self, m: str) -> list:
        """Who took part in a meeting: ``[id, name, kind, side, [[article, sentence]…]]``."""
        if m in self._parts:
            return self._parts[m]
        G, rows = self.G, []
        for u, _, k in sorted(G.in_edges(m, keys=True)):
            if k != "took part in":
                continue
            said = [[self.index.get(a, -1), self.sentence(s)] for a, s in self.details.taking_part.get((m, u), [])]
            if not said:  # no details read (a projection handed in): the meeting's sentences that name them
                last = G.nodes[u]["label"].split()[-1].lower()
                ev = G.nodes[m].get("evidence", [])
                said = self.evidence([e for e in ev if last in e["sentence"].lower()][:2] or ev[:1])
            rows.append([u, G.nodes[u]["label"], G.nodes[u]["type"], _side(G, u), said])
        self._parts[m] = sorted(rows, key=lambda r: (r[3] == "", r[3], r[1]))
        return self._parts[m]

    def profile(self, n: str, cap: int = MAX_LISTED) -> dict:
        """An actor's titles over time, meetings, quotes, claims and figures (the first ``cap`` of each)."""
        G, det = self.G, self.details
        spans: dict = {}
        for a, t in det.titles.get(n, []):
            day = self.article_date(a)
            first, last, count = spans.get(t, (day, day, 0))
            spans[t] = (min(first, day) if first and day else first or day, max(last, day), count + 1)
        if not spans and G.nodes[n].get("facts", {}).get("titles"):
            spans = {t: ("", "", 0) for t in G.nodes[n]["facts"]["titles"].split("; ")}
        titles = sorted(([t, f, last, c] for t, (f, last, c) in spans.items()), key=lambda r: (r[1], r[2], r[0]))
        meetings, claims, figures = [], [], []
        for _, v, k in sorted(G.out_edges(n, keys=True)):
            d = G.nodes[v]
            if k == "took part in":
                meetings.append([v, d["label"], d["facts"].get("date", ""), d["facts"].get("status", "")])
            elif k in ("asserts", "denies", "claims") and d["type"] == "claim":
                claims.append([v, d["facts"].get("polarity", ""), d["facts"].get("topic", ""), d["facts"].get("text", ""),
                               self.index.get((d.get("articles") or [""])[0], -1), (d.get("dates") or [""])[0]])
            elif k == "reported" and d["type"] == "figure":
                figures.append([v, d["label"], d["facts"].get("about", ""),
                                self.index.get((d.get("articles") or [""])[0], -1), (d.get("dates") or [""])[0]])
        quotes = sorted(([self.index.get(a, -1), t, self.article_date(a)] for a, t in det.quotes.get(n, [])),
                        key=lambda r: (r[2], r[1]))
        meetings.sort(key=lambda r: (r[2] or "9999", r[1]))
        claims.sort(key=lambda r: (r[5], r[3]))
        figures.sort(key=lambda r: (r[4], r[1]))
        return {"titles": titles, "meetings": meetings[:cap], "quotes": quotes[:cap], "claims": claims[:cap],
                "figures": figures[:cap], "counts": {"meetings": len(meetings), "quotes": len(quotes),
                                                     "claims": len(claims), "figures": len(figures)}}

    def node(self, n: str, degree: int, evidence: int, isolated: bool = False) -> dict:
        G, d = self.G, self.G.nodes[n]
        kind = d["type"]
        color, shape = STYLE.get(kind, STYLE["organization"])
        out = {"id": n, "name": d["label"], "title": html.escape(f"{kind}: {d['label']}", quote=False),
               "color": color, "shape": shape, "value": 1 + min(degree, 40) if kind in LABELLED else 1,
               "kind": kind, "side": _side(G, n), "aliases": self.details.aliases.get(n, []),
               "facts": d.get("facts", {}), "evidence": self.evidence(d.get("evidence", [])[:evidence]),
               "evidenceTotal": d.get("evidence_count", len(d.get("evidence", []))),
               "articles": sorted({self.index[a] for a in d.get("articles", []) if a in self.index}),
               "when": self.when(n)}
        if kind in LABELLED:
            out["label"] = d["label"]
        if kind == "article":
            out["name"] = d.get("facts", {}).get("headline") or d["label"]
            out["title"] = html.escape(f"article: {out['name']}", quote=False)
        if isolated:
            out["isolated"] = True
        if kind == "figure":  # who reported it and the period it measures
            by = sorted(G.nodes[u]["label"] for u, _, k in G.in_edges(n, keys=True) if k == "reported")
            out["facts"] = dict(out["facts"], **{"reported by": "; ".join(by)} if by else {},
                                **{"period": self.details.periods[n]} if n in self.details.periods else {})
        if kind == "meeting":
            out["parts"] = self.participants(n)
        elif kind in PEOPLE or kind in ORGANIZATIONS or kind == "country":
            out["profile"] = self.profile(n, MAX_LISTED if evidence > 3 else 10)
        return out


def _side_colors(sides) -> dict:
    colors, spare = dict(SIDE_COLORS), iter(OTHER_SIDE_COLORS)
    for s in sorted(set(sides) - set(SIDE_COLORS) - {""}):
        colors[s] = next(spare, NO_SIDE)
    colors[""] = NO_SIDE
    return colors


def _met(G: nx.MultiDiGraph, data: _Data) -> dict:
    """The "who met whom" view: people joined when they took part in the same meeting, coloured by side;
    ``counterpart`` when the two are of different sides."""
    # the pairs of :func:`graph.view.analytics.person_network`, but only among the people shown: everyone's pairs at 5,000
    # articles were a graph of 40 MB for a view that keeps 300 people
    at = {}  # meeting → its people, when two or more
    for m, d in G.nodes(data=True):
        if d.get("type") == "meeting":
            people = sorted({u for u, _, k in G.in_edges(m, keys=True) if k == "took part in"
                             and G.nodes[u]["type"] in PEOPLE})
            if len(people) > 1:
                at[m] = people
    paired = {u for people in at.values() for u in people}  # someone who met no one has no place in "who met whom"
    meetings_of = {u: sum(1 for _, m, k in G.out_edges(u, keys=True)
                          if k == "took part in" and G.nodes[m]["type"] == "meeting") for u in paired}
    kept = set(sorted(paired, key=lambda u: (-meetings_of[u], u))[:MAX_MET])
    together: dict = defaultdict(list)
    for m, people in at.items():
        for pair in combinations([u for u in people if u in kept], 2):
            together[pair].append(m)
    sides = {u: _side(G, u) for u in kept}
    colors = _side_colors(sides.values())
    nodes = [{"id": u, "label": G.nodes[u]["label"], "name": G.nodes[u]["label"], "side": sides[u],
              "color": colors[sides[u]], "shape": "dot", "size": 8 + 2 * min(meetings_of[u], 8),
              "title": html.escape(f"{G.nodes[u]['label']} ({sides[u] or 'side unknown'}): "
                                   f"{meetings_of[u]} meeting(s)", quote=False)}
             for u in sorted(kept)]
    pairs = sorted(((u, v), sorted(ms)) for (u, v), ms in together.items())
    shown = sorted(pairs, key=lambda p: (-len(p[1]), p[0]))[:MAX_MET_PAIRS]
    edges = []
    for (u, v), ms in sorted(shown):
        counterpart = bool(sides[u] and sides[v] and sides[u] != sides[v])
        # the first meetings of a pair, and how many (value): at 5,000 articles two officials meet
        # hundreds of times
        edges.append({"id": f"{u}|{v}", "from": u, "to": v, "value": len(ms), "meetings": ms[:MAX_LISTED],
                      "counterpart": counterpart, "dashes": not counterpart,
                      "color": "#444444" if counterpart else colors[sides[u]],
                      "title": html.escape(f"{G.nodes[u]['label']} and {G.nodes[v]['label']}: {len(ms)} meeting(s)"
                                           + ("" if counterpart else " (same side)"), quote=False)})
    note = (f"showing the {len(shown):,} pairs who met most of {len(pairs):,}" if len(shown) < len(pairs) else "")
    linked = {u for pair, _ in shown for u in pair}  # someone none of whose pairs is shown would float alone
    nodes = [n for n in nodes if n["id"] in linked]
    return {"nodes": nodes, "edges": edges, "note": note,
            "sides": [{"name": s or "side unknown", "color": c} for s, c in sorted(colors.items())
                      if s in set(sides.values())]}


def _table(G: nx.MultiDiGraph, data: _Data) -> dict:
    """The table view's rows (people, meetings, claims, figures), ``[id, cell…]``, the first MAX_TABLE of each."""
    people, meetings, claims, figures = [], [], [], []
    for n in sorted(G):
        d = G.nodes[n]
        kind, f = d["type"], d.get("facts", {})
        if kind in PEOPLE:
            out = {k for _, _, k in G.out_edges(n, keys=True)}
            count = {r: sum(1 for _, _, k in G.out_edges(n, keys=True) if k == r) for r in out}
            people.append([n, d["label"], _side(G, n), f.get("titles", ""), count.get("took part in", 0),
                           count.get("asserts", 0) + count.get("denies", 0) + count.get("claims", 0),
                           len(d.get("articles", []))])
        elif kind == "meeting":
            parts = sum(1 for _, _, k in G.in_edges(n, keys=True) if k == "took part in")
            meetings.append([n, f.get("date", ""), d["label"], f.get("place", ""), f.get("status", ""),
                             f.get("type", ""), parts])
        elif kind == "claim":
            claims.append([n, (data.when(n) or [""])[0], f.get("speaker", ""), _side(G, n), f.get("polarity", ""),
                           f.get("topic", ""), f.get("text", "")])
        elif kind == "figure":
            by = sorted(G.nodes[u]["label"] for u, _, k in G.in_edges(n, keys=True) if k == "reported")
            figures.append([n, (data.when(n) or [""])[0], f.get("value", ""), f.get("unit", ""), f.get("about", ""),
                            data.details.periods.get(n, ""), "; ".join(by)])
    people.sort(key=lambda r: (-r[4], -r[6], r[1]))
    meetings.sort(key=lambda r: (r[1] or "9999", r[2]))
    claims.sort(key=lambda r: (r[1], r[2], r[6]))
    figures.sort(key=lambda r: (r[1], r[4], r[2]))

    def part(columns, rows):
        return {"columns": columns, "rows": rows[:MAX_TABLE], "total": len(rows)}

    return {"people": part(["name", "side", "titles", "meetings", "claims", "articles"], people),
            "meetings": part(["date", "meeting", "place", "status", "type", "participants"], meetings),
            "claims": part(["date", "speaker", "side", "polarity", "topic", "claim"], claims),
            "figures": part(["date", "value", "unit", "about", "period", "reported by"], figures)}


def page_html(G: nx.MultiDiGraph, max_nodes: int = MAX_NODES, details=None, consume: bool = False, to=None) -> str:
    """The page for a networkx projection (see :func:`graph.view.analytics.to_networkx`); ``details``
    (:func:`page_details` of the same source, or a function returning it, called once the drawing is
    chosen) adds each participant's sentence, titles over time, quotes with their article, aliases for
    search and article links. With ``consume`` the page may change ``G`` (it folds delegations in it
    rather than in a copy, and lets go of the sentences of claims and figures it does not draw): for a
    projection made for it. Given a file ``to`` (a path or a binary file), the page is written there,
    UTF-8, and "" returned."""
    full = _fold_delegations(G, in_place=consume)
    G, note, findable = _limit(full, max_nodes)
    if consume and note:
        _forget_undrawn_evidence(full, G)
    data = _Data(full, details() if callable(details) else details)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    degree = dict(G.degree())
    for node in sorted(G.nodes):
        attrs = data.node(node, degree.get(node, 0), MAX_EVIDENCE, isolated=degree.get(node, 0) == 0)
        net.add_node(attrs.pop("id"), **attrs)
    for u, v, key, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        rel = d["relation"]
        color, dashes, width = EDGE_STYLE.get(rel, ("#999999", False, 1))
        if rel == "took part in":
            evidence = data.participants(v)
            evidence = next((r[4] for r in evidence if r[0] == u), [])
        else:  # what a claim or figure edge says is its claim's or figure's sentences: the first few
            evidence = data.evidence(d.get("evidence", [])[:3 if rel != "contradicts" else 0])
        # no drawn label: an edge says what it is when hovered (the page adds the label then) and in the legend
        net.add_edge(u, v, title=html.escape(rel, quote=False), relation=rel, evidence=evidence,
                     evidenceTotal=len(evidence) if rel == "took part in" else d.get("evidence_count", len(evidence)),
                     arrows="to", color=color, baseColor=color, width=width, dashes=dashes,
                     font={"size": 12, "background": "#ffffff"},
                     # loose springs to countries: every official serves one, and tight ones pulled the
                     # whole dialogue into two knots at the default zoom
                     **({"length": 260} if rel in ("serves", "belongs to") else {}))
    large = len(G) >= 300
    net.set_options(json.dumps({
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 100 if large else 250, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -45, "springLength": 70, "avoidOverlap": 0.4}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large},
        # a label's size follows its node's links, and labels too small to read at the current zoom
        # are not drawn: the overview shows the names that matter, zooming in shows the rest
        "nodes": {"font": {"size": 16, "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "scaling": {"min": 6, "max": 34, "label": {"enabled": True, "min": 20, "max": 32, "maxVisible": 32,
                                                             "drawThreshold": 8}}},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.5}}},
    }))
    nodes, edges, _, _, _, options = net.get_network_data()
    if note:  # a large graph: each actor's claims and figures are folded into one node (double-click opens it)
        for n in nodes:
            if n["kind"] in ("claim", "figure"):
                by = [u for u, _, k in G.in_edges(n["id"], keys=True) if k in ("asserts", "denies", "claims", "reported")]
                if len(by) == 1:
                    n["clusterOf"] = by[0]
    for n in nodes:  # pyvis labels a node by its id when given no label: claims, figures, articles have none
        if n["kind"] not in LABELLED:
            n.pop("label", None)
    if note:  # a large drawing: the overview names its most connected nodes only
        _label_budget(nodes, degree)
    kinds = [{"name": k, "color": STYLE[k][0], "shape": STYLE[k][1], "count": sum(1 for n in G if G.nodes[n]["type"] == k),
              "off": k == "article"} for k in STYLE if any(G.nodes[n]["type"] == k for n in G)]
    relations = sorted({d["relation"] for _, _, d in G.edges(data=True)})
    edge_kinds = [{"name": r, "color": EDGE_STYLE.get(r, ("#999999",))[0], "dashes": EDGE_STYLE.get(r, ("", False))[1],
                   "width": EDGE_STYLE.get(r, ("", False, 1))[2]} for r in EDGE_STYLE if r in relations]
    # the nodes search can bring in are made as they are written (up to 20,000 of them: 14 MB at 5,000
    # articles held whole): "more" is written before "sentences" (keys in order), so the sentences they
    # number are in that list when it is written
    more = (data.node(n, full.degree(n), 3) for n in findable)
    meta = {"kinds": kinds, "edgeKinds": edge_kinds, "dialogue": sorted(DIALOGUE), "note": note, "more": more,
            "isolated": sum(1 for n in G if degree.get(n, 0) == 0), "articles": data.articles,
            "sentences": data.sentences,
            "met": _met(full, data), "table": _table(full, data)}
    # the page's data is written in pieces, never as one string: at 5,000 articles its JSON is 20 MB, and
    # the template's ``tojson`` made it whole, then again for each character it escapes, then encoded
    written = {"meta": meta, "nodes": nodes, "edges": edges}
    text = _env().get_template("page.html").render(options=options, findable=sorted(FINDABLE),
                                                   **{k: f"\x00{k}\x00" for k in written})
    pieces = (_json_pieces(written[p[1:-1]]) if p[1:-1] in written and p[0] == "\x00" else [p]
              for p in re.split("(\x00[a-z]+\x00)", text))
    if to is None:
        return "".join(x for piece in pieces for x in piece)
    own = isinstance(to, (str, Path))
    out = open(to, "w", encoding="utf-8", newline="") if own else io.TextIOWrapper(to, encoding="utf-8", newline="")
    try:
        for piece in pieces:
            out.writelines(piece)
    finally:
        if own:
            out.close()
        else:  # the caller's file stays open
            out.flush()
            out.detach()
    return ""


def _safe_json(value) -> str:
    """``value`` as jinja's ``tojson`` writes it (``htmlsafe_json_dumps``: keys sorted; ``<``, ``>``, ``&``
    and ``'`` escaped for a script element), as a plain string (a ``Markup`` each costs 20 % more)."""
    return json.dumps(value, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026").replace("'", "\\u0027")


_BATCH = 32  # list elements written in one piece (a few hundred kilobytes at most)


def _json_pieces(value, depth: int = 4):
    """:func:`_safe_json` of ``value`` in pieces whose joining is the same text: dicts (string keys) are
    opened ``depth`` levels down, key by key, and lists (an iterator is written as a list) written
    ``_BATCH`` elements at a time."""
    if depth and isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        yield "{"
        for i, k in enumerate(sorted(value)):
            yield (", " if i else "") + _safe_json(k) + ": "
            yield from _json_pieces(value[k], depth - 1)
        yield "}"
    elif isinstance(value, Iterator) or depth and isinstance(value, list):
        items, sep = iter(value), ""
        yield "["
        while batch := list(islice(items, _BATCH)):
            yield sep + _safe_json(batch)[1:-1]  # "[a, b]" less its brackets: the elements as json.dumps joins them
            sep = ", "
        yield "]"
    else:
        yield _safe_json(value)


def notebook_view(G: nx.MultiDiGraph, height: int = 650, details: PageDetails | None = None):
    """The page inside a notebook output (an iframe holding the whole offline page)."""
    from IPython.display import HTML

    return HTML(f'<iframe srcdoc="{html.escape(page_html(G, details=details), quote=True)}" style="width:100%;'
                f'height:{height}px;border:1px solid #ddd"></iframe>')


def write_page(source, path: Path, max_nodes: int = MAX_NODES) -> Path:
    """The page of an rdflib Dataset, an Oxigraph store or a graph.trig path (the build draws from its
    graph.trig while another process loads the store)."""
    path = Path(path)
    # the projection first, then the details: read in the same parse, both were in memory at once
    # (+40 MB at 5,000 articles for 4 s less)
    G = to_networkx(source, max_evidence=MAX_EVIDENCE)
    release_memory(collect=False)

    def details() -> PageDetails:  # once the page has let go of what it does not draw
        release_memory(collect=False)
        return page_details(source)

    with staged_file(path) as part:  # a failure half-way leaves the page there untouched
        page_html(G, max_nodes, details, consume=True, to=str(part))
    return path


def _label_budget(nodes: list[dict], degree: dict) -> None:
    """Keep the scaled (large) label for the ``OVERVIEW_LABELS`` most connected labelled nodes; the
    others get a fixed small label that the overview's zoom leaves undrawn and zooming in reveals."""
    labelled = sorted((n for n in nodes if n.get("label")), key=lambda n: (-degree.get(n["id"], 0), n["id"]))
    for n in labelled[OVERVIEW_LABELS:]:
        n["scaling"] = {"label": {"enabled": True, "min": 10, "max": 12, "drawThreshold": 8}}
