"""The RDF → networkx projection and the analytics the page, CLI and notebook share.

Nodes are the things analysts ask about — people, organizations, countries, meetings,
claims, figures and articles — each carrying its facts and its evidence (the
sentences, with article, outlet and date, of every article that supports it). Edges
say how they relate: serves, belongs to, took part in, asserts/denies, contradicts,
reported, reports. Functions take a graph and return plain data.
"""
from __future__ import annotations

import heapq
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, Dataset

from ..terms import rdflib_converter
from ..vocab import DG, ID, SCHEMA

__all__ = ["to_networkx", "node_type", "central_nodes", "person_network", "counterpart_network", "central_people",
           "who_met_whom", "communities", "community_sides", "shortest_path_with_evidence", "meetings_per_country_pair",
           "contradictions", "timeline", "exportable", "PEOPLE", "ORGANIZATIONS", "DIALOGUE"]

_TYPES = [  # most specific first
    (DG.Official, "official"), (DG.Journalist, "journalist"), (DG.Person, "person"),
    (DG.GovernmentBody, "government body"), (DG.Legislature, "legislature"),
    (DG.PoliticalParty, "party"), (DG.CriminalOrganization, "criminal organization"),
    (DG.NewsOutlet, "news outlet"), (DG.Company, "company"), (DG.Delegation, "delegation"),
    (DG.Organization, "organization"), (DG.Country, "country"), (DG.Meeting, "meeting"),
    (DG.Figure, "figure"), (DG.Claim, "claim"), (DG.Article, "article"),
]
PEOPLE = {"official", "journalist", "person"}
ORGANIZATIONS = {"government body", "legislature", "party", "criminal organization", "news outlet", "company",
                 "organization", "delegation"}
DIALOGUE = PEOPLE - {"journalist"} | {"government body", "legislature", "delegation", "country", "meeting", "claim"}


def node_type(types: set) -> str | None:
    for cls, name in _TYPES:
        if cls in types:
            return name
    return None


def _fmt_number(lit) -> str:
    if lit is None:
        return ""
    v = float(lit)
    return f"{int(v):,}" if v == int(v) else f"{v:,}"


# the statements the projection reads; mentions' other statements (offsets, exact text) are left unread
PROJECTED = [RDF.type, SCHEMA.name, DG.articleId, SCHEMA.headline, SCHEMA.datePublished, DG.outlet, DG.inArticle,
             DG.sentence, DG.refersTo, DG.holder, DG.title, DG.servesCountry, DG.country, DG.speaker, DG.polarity,
             DG.topic, SCHEMA.text, DG.meetingType, DG.status, SCHEMA.startDate, SCHEMA.location, DG.value, DG.low,
             DG.high, DG.unit, DG.about, DG.participant, DG.contradicts, DG.reportedBy, SCHEMA.url]


def _projected(source, evidence: "_Evidence") -> dict:
    """``{predicate: {subject: [objects]}}`` as rdflib terms; each article's mentions go to
    ``evidence`` as ``(target, sentence)`` pairs, one article at a time. From an rdflib Dataset
    (one pass: rdflib scans per pattern), an Oxigraph store (indexed lookups that skip the
    mentions' other statements, mentions read one named graph at a time) or a built
    ``graph.trig`` (one streamed parse: the build draws its page from the file while another
    process loads the store)."""
    by_predicate: dict = defaultdict(lambda: defaultdict(list))
    evidence.by_predicate = by_predicate
    if isinstance(source, (str, Path)):
        try:
            _read_trig(Path(source), by_predicate, evidence)
        except _SplitGraph:  # a graph in several blocks (not a file the build wrote): the whole-file reading
            by_predicate.clear()
            evidence.reset()
            _read_trig_whole(Path(source), by_predicate, evidence)
        return by_predicate
    if isinstance(source, Dataset):
        wanted = set(PROJECTED)
        for s, p, o, _ in source.quads((None, None, None, None)):
            if p in wanted:
                by_predicate[p][s].append(o)
        _dataset_mentions(by_predicate, evidence)
        return by_predicate
    term = rdflib_converter()
    rdf_type, types = ox.NamedNode(str(RDF.type)), by_predicate[RDF.type]
    for cls in _CLASSES:
        for q in source.quads_for_pattern(None, rdf_type, cls, None):
            types[term(q.subject)].append(term(q.object))
    for p in PROJECTED:
        if p in (RDF.type, DG.sentence, DG.refersTo):
            continue
        index = by_predicate[p]
        for q in source.quads_for_pattern(None, ox.NamedNode(str(p)), None, None):
            if p == DG.inArticle and _is_mention(q.subject):
                continue
            index[term(q.subject)].append(term(q.object))
    _store_mentions(source, term, evidence)
    return by_predicate


_MENTIONS = str(ID["mention/"])
_CLASSES = [ox.NamedNode(str(c)) for c, _ in _TYPES] + [ox.NamedNode(str(DG.Quote))]  # quotes: listed on speakers
_REFERS, _SENTENCE = ox.NamedNode(str(DG.refersTo)), ox.NamedNode(str(DG.sentence))


def _is_mention(node) -> bool:
    """A mention or evidence node: its dg:inArticle is evidence, not a fact the projection shows."""
    return node.value.startswith(_MENTIONS) or "/evidence/" in node.value


def _one(idx: dict, s):
    """The first of a subject's values (in string order: stable whatever the engine), or None."""
    vals = idx.get(s)
    return sorted(vals, key=str)[0] if vals else None


# terms a reading of graph.trig remembers converting (classes, properties, people come back at once;
# a claim's IRI and text seldom do): all of them were the file's every term held twice
_TERMS_KEPT = 50_000


def _value(t, term):
    """An object read from graph.trig: a literal as its lexical form (the projection only ever
    writes it as text or reads it as a number, and 300,000 rdflib Literals at 5,000 articles
    were 40 MB), anything else as an rdflib term."""
    return t.value if type(t) is ox.Literal else term(t)


class _SplitGraph(Exception):
    """A named graph met again after another one began: the streamed reading cannot count its evidence."""


class _Evidence:
    """Each node's sentences, gathered one article at a time: how many distinct ones (``count``), the
    articles naming it, and the oldest ``max_evidence`` (all when None) as ``(date, article id,
    sentence, article IRI)``. Pruned as it goes, so a node named in thousands of articles never
    holds thousands of sentences, and no article's mentions outlive its own reading."""

    def __init__(self, max_evidence: int | None):
        self.max_evidence = max_evidence
        self.by_predicate: dict = {}
        self.reset()

    def reset(self) -> None:
        self.count: Counter = Counter()
        self.kept: dict = defaultdict(list)
        self.articles: dict = {}  # node → the articles naming it, a tuple (a set of one or two was 22 MB at 5,000)
        self.pending: list = []  # articles whose own statements were not read yet (their graph read first)

    def article(self, art, pairs, final: bool = False) -> None:
        """The ``(target, sentence)`` pairs of the mentions read in article ``art`` (its named graph)."""
        ids = self.by_predicate.get(DG.articleId, {}).get(art)
        if not ids:
            if not final:
                self.pending.append((art, list(pairs)))
            return  # not an article: its mentions are no evidence
        date, aid = str(_one(self.by_predicate.get(SCHEMA.datePublished, {}), art) or ""), str(ids[0])
        cap = None if self.max_evidence is None else 2 * self.max_evidence  # pruned at twice what is kept
        for t, sentence in dict.fromkeys(pairs):  # a sentence once per article
            self.count[t] += 1
            arts = self.articles.get(t, ())
            if not arts or arts[-1] != art:  # an article's pairs come in one call
                self.articles[t] = arts + (art,)
            kept = self.kept[t]
            kept.append((date, aid, sentence, art))
            if cap is not None and len(kept) > cap:
                self.kept[t] = heapq.nsmallest(self.max_evidence, kept)

    def finish(self) -> None:
        pending, self.pending = self.pending, []
        for art, pairs in pending:
            self.article(art, pairs, final=True)


def _dataset_mentions(by_predicate: dict, evidence: _Evidence) -> None:
    in_article, sentences = by_predicate.get(DG.inArticle, {}), by_predicate.get(DG.sentence, {})
    by_article: dict = defaultdict(list)
    for m, targets in by_predicate.get(DG.refersTo, {}).items():
        art, sentence = _one(in_article, m), str(_one(sentences, m) or "")
        by_article[art].extend((t, sentence) for t in targets)
    for art, pairs in by_article.items():
        evidence.article(art, pairs)


def _store_mentions(source, term, evidence: _Evidence) -> None:
    # index lookups, not SPARQL (faster: README, Speed): a mention lives in the named graph of the
    # article it is read in, so that graph is its article; one graph at a time
    for g in sorted(source.named_graphs(), key=str):
        pairs = []
        for q in source.quads_for_pattern(None, _REFERS, None, g):
            sentence = next(source.quads_for_pattern(q.subject, _SENTENCE, None, g), None)
            pairs.append((term(q.object), sentence.object.value if sentence is not None else ""))
        if pairs:
            evidence.article(term(g), pairs)


def _projector(by_predicate: dict):
    """(term converter, a function keeping what the projection reads of one quad of graph.trig in
    ``by_predicate``): the statements of :data:`PROJECTED`, but for the types it does not draw and
    the article links of mentions (their article is the graph they are read in)."""
    term = rdflib_converter(_TERMS_KEPT)
    wanted = {ox.NamedNode(str(p)): p for p in PROJECTED}
    classes = set(_CLASSES)
    rdf_type, in_article = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(DG.inArticle))

    def project(q) -> None:
        p = q.predicate
        if p not in wanted or (p == rdf_type and q.object not in classes) \
                or (p == in_article and _is_mention(q.subject)):
            return
        # a subject's values as a tuple, not a list: most have one, and a list of one is twice the size
        # (half a million of them at 5,000 articles)
        index, s = by_predicate[wanted[p]], term(q.subject)
        index[s] = index.get(s, ()) + (_value(q.object, term),)

    return term, project


def _read_trig(path: Path, by_predicate: dict, evidence: _Evidence) -> None:
    """The projection's statements of a graph.trig, and each article's mentions handed to ``evidence``
    when its graph ends, in one streamed parse (the build writes each named graph in one block).

    One pass over the file is faster than the same lookups in the store (README, Speed); only
    the article being read has its mentions' sentences in memory.
    """
    if not path.exists():
        raise FileNotFoundError(f"{path}: no graph here — run `dialogue-graph build` first")
    term, project = _projector(by_predicate)
    current, refers, sentences, done = None, [], {}, set()

    def flush() -> None:
        if refers:
            evidence.article(term(current), [(term(o), sentences.get(m, "")) for m, o in refers])
        refers.clear()
        sentences.clear()

    for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        g = q.graph_name
        if g != current:
            flush()
            done.add(current)
            if g in done:
                raise _SplitGraph(str(g))
            current = g
        p = q.predicate
        if p == _REFERS:
            if not isinstance(g, ox.DefaultGraph):
                refers.append((q.subject, q.object))
        elif p == _SENTENCE:
            sentences[q.subject] = q.object.value
        else:
            project(q)
    flush()


def _read_trig_whole(path: Path, by_predicate: dict, evidence: _Evidence) -> None:
    """:func:`_read_trig` for a file whose named graphs come in several blocks: every mention held
    until the end."""
    term, project = _projector(by_predicate)
    refers: dict = defaultdict(list)
    sentences: dict = {}
    for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        p = q.predicate
        if p == _REFERS:
            if not isinstance(q.graph_name, ox.DefaultGraph):
                refers[q.graph_name].append((q.subject, q.object))
        elif p == _SENTENCE:
            sentences[q.subject, q.graph_name] = q.object.value
        else:
            project(q)
    for g, rows in sorted(refers.items(), key=lambda r: str(r[0])):
        evidence.article(term(g), [(term(o), sentences.get((m, g), "")) for m, o in rows])


def to_networkx(source, include_articles: bool = True, max_evidence: int | None = None) -> nx.MultiDiGraph:
    """The dataset (rdflib ``Dataset``, Oxigraph ``Store`` or a ``graph.trig`` path) as a directed multigraph with
    facts and evidence on every node and edge.

    Each node's ``evidence`` is its sentences (article, outlet, date), oldest first —
    the first ``max_evidence`` of them when given, with ``evidence_count`` saying how many
    there are: the page keeps a dozen, and a node named in thousands of articles need not
    hold thousands of sentences.
    """
    G = nx.MultiDiGraph()
    evidence = _Evidence(max_evidence)
    by_predicate = _projected(source, evidence)
    evidence.finish()

    def index(prop) -> dict:
        return by_predicate.get(prop, {})

    types = index(RDF.type)
    names, article_ids, headlines = index(SCHEMA.name), index(DG.articleId), index(SCHEMA.headline)
    published, outlets, urls = index(SCHEMA.datePublished), index(DG.outlet), index(SCHEMA.url)
    in_article = index(DG.inArticle)

    articles = {}
    for art, ids in article_ids.items():
        outlet = _one(outlets, art)
        articles[art] = {"article": str(ids[0]), "outlet": str(_one(names, outlet) or "") if outlet else "",
                         "date": str(_one(published, art) or ""), "headline": str(_one(headlines, art) or "")}
        if art in urls:  # the article's address, for the page to link (http(s) only: graph.read.html.clean_url)
            articles[art]["url"] = str(urls[art][0])

    G.graph["outlets"] = {a["article"]: a["outlet"] for a in articles.values()}
    kept, node_articles, seen = evidence.kept, evidence.articles, evidence.count
    # what the graph is made of leaves the projection as it is used, and the graph takes the room it frees:
    # at 5,000 articles the two held whole at once were the drawing's peak (380 MB of 450)
    for prop in (DG.articleId, SCHEMA.headline, SCHEMA.datePublished, DG.outlet, SCHEMA.url):
        by_predicate.pop(prop, None)
    del article_ids, headlines, published, outlets, urls

    def add(node, kind, label, facts=None):
        items = sorted(kept.pop(node, []))
        if max_evidence is not None:
            items = items[:max_evidence]
        ev = [dict(articles[art], sentence=sentence) for _, _, sentence, art in items]
        arts = node_articles.pop(node, ())
        # one string per node, the one its edges name too (a copy per edge end was 25 MB at 5,000 articles)
        G.add_node(sys.intern(str(node)), label=label, type=kind, facts=facts or {}, evidence=ev,
                   evidence_count=seen.get(node, 0), articles=sorted(articles[a]["article"] for a in arts),
                   dates=sorted({articles[a]["date"] for a in arts if articles[a]["date"]}))

    titles = defaultdict(set)
    for ap, holders in by_predicate.pop(DG.holder, {}).items():
        for t in index(DG.title).get(ap, []):
            titles[holders[0]].add(str(t))
    by_predicate.pop(DG.title, None)
    serves, country_of = index(DG.servesCountry), index(DG.country)
    speakers, polarity, topics, texts = index(DG.speaker), index(DG.polarity), index(DG.topic), index(SCHEMA.text)
    quotes_by = defaultdict(list)
    for node, ts in types.items():
        if DG.Quote in ts:
            for sp in speakers.get(node, []):
                quotes_by[sp].append(str(_one(texts, node)))

    for node, ts in types.items():
        kind = node_type(set(ts))
        if kind is None or kind == "article" and not include_articles:
            continue
        name = _one(names, node)
        if kind in PEOPLE or kind in ORGANIZATIONS or kind == "country":
            if name is None:
                continue
            facts = {"type": kind}
            if titles.get(node):
                facts["titles"] = "; ".join(sorted(titles[node]))
            c = _one(serves, node) or _one(country_of, node)
            if c is not None:
                facts["country"] = str(_one(names, c) or "")
            if quotes_by.get(node):
                facts["quotes"] = " | ".join(f"“{q}”" for q in sorted(set(quotes_by[node]))[:5])
            add(node, kind, str(name), facts)
        elif kind == "meeting":
            facts = {"type": str(_one(index(DG.meetingType), node) or ""), "status": str(_one(index(DG.status), node) or ""),
                     "date": str(_one(index(SCHEMA.startDate), node) or ""),
                     "topics": "; ".join(sorted(str(t) for t in topics.get(node, [])))}
            loc = _one(index(SCHEMA.location), node)
            if loc is not None:
                facts["place"] = str(_one(names, loc) or "")
            add(node, kind, str(name or "meeting"), facts)
        elif kind == "claim":
            text = str(_one(texts, node) or "")
            sp = _one(speakers, node)
            who = str(_one(names, sp) or "") if sp is not None else ""
            facts = {"text": text, "topic": str(_one(topics, node) or ""), "polarity": str(_one(polarity, node) or ""),
                     "speaker": who}
            add(node, kind, f"{who or 'claim'}: {text[:40]}{'…' if len(text) > 40 else ''}", facts)
        elif kind == "figure":
            value = _one(index(DG.value), node)
            low, high = _one(index(DG.low), node), _one(index(DG.high), node)
            shown = _fmt_number(value) if value is not None else f"{_fmt_number(low)}–{_fmt_number(high)}"
            unit, about = str(_one(index(DG.unit), node) or ""), str(_one(index(DG.about), node) or "")
            add(node, kind, f"{shown} {unit}".strip(), {"value": shown, "unit": unit, "about": about})
        elif kind == "article":
            a = articles.get(node, {})
            add(node, kind, a.get("article", str(node)), {"headline": a.get("headline", ""), "outlet": a.get("outlet", ""),
                                                          "date": a.get("date", ""), **({"url": a["url"]} if "url" in a else {})})
            G.nodes[str(node)]["articles"] = [a.get("article", "")]
            G.nodes[str(node)]["dates"] = [a["date"]] if a.get("date") else []
    # the nodes are made: what only they read goes (the edges read the links and a claim's polarity)
    for prop in set(by_predicate) - {DG.servesCountry, DG.country, DG.participant, DG.speaker, DG.polarity,
                                     DG.contradicts, DG.reportedBy, DG.inArticle}:
        del by_predicate[prop]
    del types, names, topics, texts, quotes_by, titles
    for left in (kept, node_articles, seen):  # what add() did not take (nodes never drawn)
        left.clear()
    evidence.reset()

    def link(u, v, relation, evidence_of=None, **attrs):
        """An edge; ``evidence_of`` names the node whose sentences tell it (the meeting, claim or figure)."""
        u, v = sys.intern(str(u)), sys.intern(str(v))
        if u in G and v in G and not G.has_edge(u, v, key=relation):
            src = G.nodes[str(evidence_of)] if evidence_of is not None and str(evidence_of) in G else {}
            G.add_edge(u, v, key=relation, relation=relation, evidence=src.get("evidence", []),
                       evidence_count=src.get("evidence_count", 0), **attrs)

    for s, cs in serves.items():
        for c in cs:
            link(s, c, "serves")
    for s, cs in country_of.items():
        if str(s) in G and G.nodes[str(s)]["type"] in ORGANIZATIONS:
            for c in cs:
                link(s, c, "belongs to")
    del serves, country_of
    for meeting, parts in by_predicate.pop(DG.participant, {}).items():
        for p in parts:
            link(p, meeting, "took part in", meeting)
    for claim, sps in speakers.items():
        if str(claim) in G and G.nodes[str(claim)]["type"] == "claim":
            for sp in sps:
                link(sp, claim, str(_one(polarity, claim) or "claims"), claim)
    del speakers, polarity
    for prop in (DG.speaker, DG.polarity, DG.servesCountry, DG.country):
        by_predicate.pop(prop, None)
    for c1, others in by_predicate.pop(DG.contradicts, {}).items():
        for c2 in others:
            if str(c1) < str(c2):
                link(c1, c2, "contradicts", contradiction=True)
    for fig, reps in by_predicate.pop(DG.reportedBy, {}).items():
        for r in reps:
            link(r, fig, "reported", fig)
    by_predicate.pop(DG.inArticle, None)
    if include_articles:
        for node in list(in_article):  # each let go once its edges are made (the largest index)
            arts = in_article.pop(node)
            if str(node) in G and G.nodes[str(node)]["type"] in ("meeting", "claim", "figure"):
                for art in arts:
                    link(art, node, "reports")
    return G


def central_nodes(G: nx.MultiDiGraph, kinds: set[str], top: int = 10) -> list[tuple[str, float]]:
    """(label, degree centrality) of the most connected nodes of the given kinds."""
    if len(G) < 2:
        return []
    cent = nx.degree_centrality(G)
    ranked = sorted((n for n in G if G.nodes[n].get("type") in kinds), key=lambda n: (-cent[n], G.nodes[n]["label"]))
    return [(G.nodes[n]["label"], round(cent[n], 3)) for n in ranked[:top]]


def side(G: nx.MultiDiGraph, node: str) -> str:
    """The country a person serves ("" when unknown): their side in the dialogue."""
    return G.nodes[node].get("facts", {}).get("country", "")


def person_network(G: nx.MultiDiGraph, counterparts: bool = False) -> nx.Graph:
    """People joined when they took part in the same meeting; ``weight`` is how often, with the meetings.

    With ``counterparts``, only people of different sides (the countries they serve, both known)
    are joined: who met whom across the table, not colleagues of one delegation.
    """
    P = nx.Graph()
    for m, d in G.nodes(data=True):
        if d.get("type") != "meeting":
            continue
        people = sorted({u for u, _, k in G.in_edges(m, keys=True) if k == "took part in"
                         and G.nodes[u]["type"] in PEOPLE})
        for u in people:
            P.add_node(u, label=G.nodes[u]["label"], side=side(G, u))
        for u, v in combinations(people, 2):
            if counterparts and not (side(G, u) and side(G, v) and side(G, u) != side(G, v)):
                continue
            if P.has_edge(u, v):
                P[u][v]["weight"] += 1
                P[u][v]["meetings"].append(m)
            else:
                P.add_edge(u, v, weight=1, meetings=[m])
    return P


def counterpart_network(G: nx.MultiDiGraph) -> nx.Graph:
    """People of different sides joined when they met (:func:`person_network` with ``counterparts``)."""
    P = person_network(G, counterparts=True)
    P.remove_nodes_from([n for n in list(P) if P.degree(n) == 0])
    return P


def central_people(G: nx.MultiDiGraph, top: int = 10) -> list[dict]:
    """The people who met the most counterparts (people of another side at the same meeting):
    ``counterparts`` how many, ``meetings`` at how many meetings, ``centrality`` the degree
    centrality in the counterpart network (counterparts over everyone else in it)."""
    P = counterpart_network(G)
    if len(P) < 2:
        return []
    cent = nx.degree_centrality(P)
    rows = [{"person": P.nodes[n]["label"], "side": P.nodes[n]["side"], "counterparts": P.degree(n),
             "meetings": len({m for _, _, d in P.edges(n, data=True) for m in d["meetings"]}),
             "centrality": round(cent[n], 3)} for n in P]
    return sorted(rows, key=lambda r: (-r["counterparts"], -r["meetings"], r["person"]))[:top]


def who_met_whom(G: nx.MultiDiGraph, everyone: bool = False) -> list[tuple[str, str, int]]:
    """(person, person, meetings together), each pair once, most frequent first: counterparts
    (people of different sides), or ``everyone`` who took part in a meeting together."""
    P = person_network(G, counterparts=not everyone)
    rows = [(P.nodes[u]["label"], P.nodes[v]["label"], d["weight"]) for u, v, d in P.edges(data=True)]
    return sorted((tuple(sorted(r[:2])) + (r[2],) for r in rows), key=lambda r: (-r[2], r[0], r[1]))


def communities(G: nx.MultiDiGraph) -> list[list[str]]:
    """Groups of people who meet together (modularity communities of the person network).

    A meeting brings both sides, so a group is a circle of meetings — the people a series of
    talks brings together, of every side present — not a delegation (:func:`community_sides`).
    """
    P = person_network(G)
    if P.number_of_edges() == 0:
        return []
    groups = nx.community.greedy_modularity_communities(P, weight="weight")
    return sorted((sorted(P.nodes[n]["label"] for n in g) for g in groups), key=lambda g: (-len(g), g))


def community_sides(G: nx.MultiDiGraph) -> list[dict[str, list[str]]]:
    """Each community of :func:`communities` as side → its people ("" for no known side)."""
    sides = {d["label"]: side(G, n) for n, d in G.nodes(data=True) if d.get("type") in PEOPLE}
    out = []
    for group in communities(G):
        by_side: dict[str, list[str]] = defaultdict(list)
        for name in group:
            by_side[sides.get(name, "")].append(name)
        out.append(dict(sorted(by_side.items())))
    return out


def _find(G: nx.MultiDiGraph, label: str) -> str:
    from ..text import fold

    key = fold(label)
    hits = [n for n, d in G.nodes(data=True) if fold(d.get("label", "")) == key]
    hits = hits or [n for n, d in G.nodes(data=True) if key in fold(d.get("label", ""))]
    if not hits:
        raise KeyError(f"no node named {label!r}")
    return sorted(hits)[0]


def shortest_path_with_evidence(G: nx.MultiDiGraph, source: str, target: str,
                                kinds: set[str] | None = None) -> list[dict]:
    """The shortest chain between two nodes (by label), each hop with its relation and evidence.

    Articles and countries are left out of the path unless ``kinds`` asks for them: "both
    were named in one article" or "both serve the same country" is not a link between two
    officials; a meeting, a claim and its contradiction are. Raises ``networkx.NetworkXNoPath``
    when the two are not linked.
    """
    kinds = kinds or (set(nx.get_node_attributes(G, "type").values()) - {"article", "country"})
    H = nx.Graph()
    for u, v, d in G.edges(data=True):
        if G.nodes[u]["type"] in kinds and G.nodes[v]["type"] in kinds:
            H.add_edge(u, v, relation=d["relation"], evidence=d.get("evidence", []), forward=(u, v))
    a, b = _find(G, source), _find(G, target)
    path = nx.shortest_path(H, a, b)
    hops = []
    for u, v in zip(path, path[1:]):
        d = H[u][v]
        hops.append({"from": G.nodes[u]["label"], "relation": d["relation"], "to": G.nodes[v]["label"],
                     "evidence": d["evidence"] or G.nodes[v]["evidence"] or G.nodes[u]["evidence"]})
    return hops


def meetings_per_country_pair(G: nx.MultiDiGraph) -> Counter:
    """How many meetings brought together people (or governments) of each pair of countries."""
    out: Counter = Counter()
    for m, d in G.nodes(data=True):
        if d.get("type") != "meeting":
            continue
        countries = set()
        for u, _, k in G.in_edges(m, keys=True):
            if k != "took part in":
                continue
            if G.nodes[u]["type"] == "country":
                countries.add(G.nodes[u]["label"])
            elif G.nodes[u]["facts"].get("country"):
                countries.add(G.nodes[u]["facts"]["country"])
        for pair in combinations(sorted(countries), 2):
            out[pair] += 1
    return out


def contradictions(G: nx.MultiDiGraph) -> list[dict]:
    """Pairs of opposing claims: who said what, on which topic, in which article and when (the
    article's publication date)."""
    rows = []
    for u, v, d in G.edges(data=True):
        if d.get("relation") == "contradicts":
            a, b = G.nodes[u]["facts"], G.nodes[v]["facts"]
            na, nb = G.nodes[u], G.nodes[v]
            rows.append({"topic": a.get("topic", ""), "speaker": a.get("speaker", ""), "says": a.get("text", ""),
                         "polarity": a.get("polarity", ""), "article": ", ".join(na.get("articles", [])),
                         "date": (na.get("dates") or [""])[0], "other_speaker": b.get("speaker", ""),
                         "other_says": b.get("text", ""), "other_polarity": b.get("polarity", ""),
                         "other_article": ", ".join(nb.get("articles", [])), "other_date": (nb.get("dates") or [""])[0]})
    return sorted(rows, key=lambda r: (r["topic"], r["speaker"], r["other_speaker"], r["says"]))


def timeline(G: nx.MultiDiGraph) -> list[dict]:
    """Dated meetings and claims (a claim dated by its article), oldest first."""
    rows = []
    for n, d in G.nodes(data=True):
        if d.get("type") == "meeting" and d["facts"].get("date"):
            rows.append({"date": d["facts"]["date"], "kind": "meeting", "label": d["label"]})
        elif d.get("type") == "claim" and d.get("dates"):
            rows.append({"date": d["dates"][0], "kind": f"claim ({d['facts'].get('polarity', '')})",
                         "label": d["label"]})
    return sorted(rows, key=lambda r: (r["date"], r["kind"], r["label"]))


def exportable(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The projection with plain attributes, as GraphML and GEXF hold them (strings and numbers):
    ``label``, ``kind`` (person, meeting, claim…), ``side`` (the country a person or body
    serves; a meeting's, the sides of its participants joined by "; "), ``date`` (a meeting's date; else the first date of the articles naming the node),
    ``dates`` and ``articles`` (space-separated), ``evidence_count``, and each fact; edges keep
    ``relation`` and ``evidence_count``. For Gephi, Cytoscape and other tools that read these."""
    H = nx.MultiDiGraph()
    for n, d in sorted(G.nodes(data=True)):
        facts = d.get("facts", {})
        if d.get("type") == "meeting":  # the sides at the table
            sides = "; ".join(sorted({side(G, u) for u, _, k in G.in_edges(n, keys=True)
                                      if k == "took part in" and side(G, u)}))
        else:
            sides = facts.get("country", "") if d.get("type") != "country" else d.get("label", "")
        attrs = {"label": d.get("label", n), "kind": d.get("type", ""), "side": sides,
                 "date": facts.get("date") or (d.get("dates") or [""])[0],
                 "dates": " ".join(d.get("dates", [])), "articles": " ".join(d.get("articles", [])),
                 "evidence_count": int(d.get("evidence_count", 0))}
        for k, v in sorted(facts.items()):
            attrs.setdefault(k.replace(" ", "_"), str(v))
        H.add_node(n, **attrs)
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3]):
        H.add_edge(u, v, key=k, relation=d.get("relation", k), evidence_count=int(d.get("evidence_count", 0)))
    return H
