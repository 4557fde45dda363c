"""Quads to files: TriG, Turtle, N-Quads and JSON-LD, byte-identical for the same graph.

Emission (:mod:`graph.rdf.emit`) hands over one graph at a time as Oxigraph terms;
this module sorts each graph's statements and lets Oxigraph's serializers write them
in the order given, so the files are the same whatever the hash seed (rdflib's own
TriG is not). graph.trig is the build's record; the other formats are re-read from it,
streamed, so they can be written in another process and never hold the whole graph.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Dataset

from ..knowledge import ONTOLOGY_DIR
from ..vocab import DG, ID, PREFIXES, RDF_TYPE

__all__ = ["COUNTED", "STREAMED_FORMATS", "ox_quads", "write_trig", "write_derived", "export_trig",
           "serialize_jsonld_compact"]

# the classes a build counts for its summary (rdflib terms, as the summary of a Dataset reads them)
COUNTED = {"people": DG.Person, "organizations": DG.Organization, "meetings": DG.Meeting,
           "figures": DG.Figure, "quotes": DG.Quote, "claims": DG.Claim}
STREAMED_FORMATS = ("turtle", "trig", "nquads", "jsonld")
_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}

# nodes minted per article: their statements live in that article's graph only
_ARTICLE_SCOPED = tuple(str(ID[f"{kind}/"]) for kind in ("mention", "quote", "claim", "figure", "note", "appointment",
                                                           "article"))


def ox_quads(graphs: Iterable[tuple[ox.NamedNode | None, Iterable]]) -> Iterator[ox.Quad]:
    """Oxigraph quads of ``(graph name or None for the default graph, triples)``: each graph's
    statements sorted (subject, predicate, object), graphs in the order given."""
    for gid, triples in graphs:
        g = ox.DefaultGraph() if gid is None else gid
        unique = triples if isinstance(triples, (set, frozenset)) else set(triples)  # emission gives sets
        for s, p, o in sorted(unique, key=lambda t: (t[0].value, t[1].value, str(t[2]))):
            yield ox.Quad(s, p, o, g)


def _ox_write(items, fmt: ox.RdfFormat, output=None):
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    data = ox.serialize(items, output, format=fmt, prefixes=prefixes)
    return None if output is not None else data.decode("utf-8")


def _merged_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """Every graph's statements as triples, each once. Only statements about shared nodes
    (entities, meetings and their evidence) can come from several graphs, so only those are
    remembered; the per-article bulk streams through."""
    seen: set[int] = set()
    for q in quads:
        t = q.triple  # hashed in Rust: no string made per term (a third of graph.ttl's time)
        if not q.subject.value.startswith(_ARTICLE_SCOPED):
            key = hash(t)
            if key in seen:
                continue
            seen.add(key)
        yield t


def write_trig(graphs: Iterable[tuple[ox.NamedNode | None, Iterable]], folder) -> dict[str, int]:
    """graph.trig into ``folder``, streamed as the graphs come. Returns the counts of
    :data:`COUNTED` and ``triples``."""
    classes = {ox.NamedNode(str(c)): name for name, c in COUNTED.items()}
    rdf_type = ox.NamedNode(str(RDF_TYPE))
    typed: dict[str, set] = {name: set() for name in COUNTED}
    counts = {"triples": 0}

    def counted(quads):
        for q in quads:
            counts["triples"] += 1
            if q.predicate == rdf_type and q.object in classes:
                typed[classes[q.object]].add(q.subject.value)
            yield q

    with open(Path(folder) / "graph.trig", "wb") as f:
        _ox_write(counted(ox_quads(graphs)), ox.RdfFormat.TRIG, f)
    counts.update({name: len(subjects) for name, subjects in typed.items()})
    return counts


def write_derived(folder, jsonld: bool = True) -> None:
    """graph.ttl (and graph.jsonld), read back from ``folder``/graph.trig (so they can be written
    beside other work, in another process)."""
    folder = Path(folder)
    export_trig(folder / "graph.trig", "turtle", folder / "graph.ttl")
    if jsonld:
        export_trig(folder / "graph.trig", "jsonld", folder / "graph.jsonld")


def export_trig(trig, fmt: str, output) -> None:
    """A built graph.trig re-written as ``fmt`` (one of :data:`STREAMED_FORMATS`) into ``output``
    (a path or a binary file), streamed: the order stays the build's, and the graph is never
    whole in memory, whatever its size. Turtle merges the graphs, each statement once; JSON-LD
    is expanded (full IRIs: no context needed to read it) and ends with a newline, as a text
    file should."""
    quads = ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)
    if fmt == "turtle":
        _ox_write(_merged_triples(quads), ox.RdfFormat.TURTLE, output)
        return
    _ox_write(quads, _FORMATS[fmt], output)
    if fmt == "jsonld":
        if hasattr(output, "write"):
            output.write(b"\n")
        else:
            with open(output, "ab") as f:
                f.write(b"\n")


def _sorted_json(value):
    """Lists sorted by their items' canonical JSON: rdflib's JSON-LD order follows hashing."""
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def serialize_jsonld_compact(ds: Dataset) -> str:
    """JSON-LD compacted with ``ontology/context.jsonld`` (inlined, so the file reads offline),
    named graphs kept, in a stable order. rdflib does the compaction: slower than the
    streamed formats on large graphs."""
    context = json.loads((ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    data = json.loads(ds.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(data, dict):
        data["@context"] = context
    return json.dumps(_sorted_json(data), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
