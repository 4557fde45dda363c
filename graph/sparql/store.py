"""SPARQL engines: the embedded Oxigraph store, rdflib in memory, and any remote endpoint.

A build loads its dataset into an on-disk Oxigraph store (``build/store``) that answers
``dialogue-graph query`` fast on large graphs; rdflib stays the building and in-memory
API. Both engines, and a remote SPARQL 1.1 endpoint, answer the same saved queries with
the same rows. Parameters are bound as RDF terms: through the engine's own binding API
locally (rdflib ``initBindings``, Oxigraph ``substitutions``) and, since the SPARQL
protocol has none, as a ``VALUES`` block of serialised terms for a remote endpoint — a
value with quotes or braces is only ever a value.
"""
from __future__ import annotations

import itertools
import json
import re
import shutil
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from ..outputs import replace_path, staged_dir
from ..terms import ox_converter

__all__ = ["STORE_DIR", "write_store", "open_store", "query_oxigraph", "query_rdflib", "query_endpoint",
           "oxigraph_binary", "EngineError"]

STORE_DIR = "store"


class EngineError(Exception):
    """A query or transfer failed; the message says where and why in one line."""


LOAD_CHUNK = 50_000


def write_store(trig: Path, target: Path) -> Path:
    """Load a TriG file into a fresh Oxigraph store at ``target`` (replacing any old one whole)."""
    target = Path(target)
    with staged_dir(target.parent, ".store-") as tmp:
        store = ox.Store(str(tmp))
        # in chunks: Oxigraph's one-shot bulk_load holds the whole graph in memory; the chunk
        # size is the one measured fastest and smallest (README, Speed)
        quads = ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)
        while chunk := list(itertools.islice(quads, LOAD_CHUNK)):
            store.bulk_extend(chunk)
        store.flush()
        store.optimize()
        del store
        replace_path(tmp, target)
    return target


def open_store(graph: Path) -> ox.Store:
    """The Oxigraph store beside a built graph (read-only), or the graph loaded in memory."""
    graph = Path(graph)
    on_disk = graph if graph.is_dir() else graph.parent / STORE_DIR
    if on_disk.is_dir():
        return ox.Store.read_only(str(on_disk))
    if not graph.exists():
        raise FileNotFoundError(f"{graph}: no graph here — run `dialogue-graph build` first")
    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TRIG)
    return store


_NUMERIC = ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")


def canonical(lexical: str, datatype: str | None) -> str:
    """One spelling per number whatever the engine: "2.0" and "2" are both "2"."""
    if datatype and datatype.startswith("http://www.w3.org/2001/XMLSchema#") and datatype.rsplit("#", 1)[1] in _NUMERIC:
        try:
            from decimal import Decimal

            d = Decimal(lexical)
            return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")
        except Exception:
            return lexical
    return lexical


def _ox_plain(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return canonical(term.value, term.datatype.value if term.datatype else None)
    return term.value


def _rdflib_plain(term) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return canonical(str(term), str(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def query_oxigraph(store: ox.Store, text: str, params: dict[str, URIRef | Literal] | None = None):
    """(columns, rows) of a SELECT, or (["result"], [["true"|"false"]]) of an ASK.

    A parameter is bound twice, as the same term both times: by a VALUES block opening the
    WHERE group, which Oxigraph's join planner sees (a substitution alone it does not, and
    the plan starts from every appointment), and by Oxigraph's substitution, which also
    reaches into subqueries that VALUES cannot. The README's Speed section has the times.
    A query written without the WHERE keyword gets the substitution only.
    """
    if params:
        conv = ox_converter()
        terms = {k: conv(v) for k, v in params.items()}
        result = store.query(_values_opening_where(text, terms) or text,
                             substitutions={ox.Variable(k): t for k, t in terms.items()})
    else:
        result = store.query(text)
    if isinstance(result, ox.QueryBoolean):
        return ["result"], [[str(bool(result)).lower()]]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], [[_ox_plain(t.subject), _ox_plain(t.predicate),
                                                     _ox_plain(t.object)] for t in result]
    columns = [v.value for v in result.variables]
    return columns, [[_ox_plain(sol[c]) for c in columns] for sol in result]


def query_rdflib(ds: Dataset, text: str, params: dict[str, URIRef | Literal] | None = None):
    result = ds.query(text, initBindings=params or {})
    if result.type == "ASK":
        return ["result"], [[str(bool(result.askAnswer)).lower()]]
    if result.type == "CONSTRUCT":
        return ["subject", "predicate", "object"], [[_rdflib_plain(t) for t in triple] for triple in result]
    columns = [str(v) for v in result.vars]
    return columns, [[_rdflib_plain(row[i]) for i in range(len(columns))] for row in result]


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def _values_opening_where(text: str, terms: dict[str, ox.NamedNode | ox.Literal]) -> str | None:
    """The query with a VALUES block of the terms opening its WHERE group; None without one.

    Oxigraph writes each term in N-Triples form (a literal's quotes and braces escaped, an IRI
    checked when it was made), so a value never reads as query text."""
    m = _WHERE.search(text)
    if not m:
        return None
    names = sorted(terms)
    block = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(terms[n]) for n in names)}) }}\n"
    return text[:m.end()] + block + text[m.end():]


def with_values(text: str, params: dict[str, URIRef | Literal]) -> str:
    """The query with a VALUES block of serialised terms opening its WHERE group (a malformed
    IRI raises ValueError)."""
    if not params:
        return text
    conv = ox_converter()
    out = _values_opening_where(text, {k: conv(v) for k, v in params.items()})
    if out is None:
        raise EngineError("a query with parameters needs a WHERE { … } group")
    return out


def query_endpoint(url: str, text: str, params: dict[str, URIRef | Literal] | None = None, timeout: float = 60):
    """Run a query against any SPARQL 1.1 Protocol endpoint (results as SPARQL JSON)."""
    body = urllib.parse.urlencode({"query": with_values(text, params or {})}).encode()
    req = urllib.request.Request(url, data=body, headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()[:1]
        raise EngineError(f"{url}: HTTP {exc.code} {detail[0] if detail else exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise EngineError(f"{url}: cannot reach the endpoint ({getattr(exc, 'reason', exc)})") from exc
    if "boolean" in data:
        return ["result"], [[str(data["boolean"]).lower()]]
    columns = data["head"]["vars"]

    def plain(b):
        if b is None:
            return ""
        if b["type"] == "bnode":
            return f"_:{b['value']}"
        return canonical(b["value"], b.get("datatype"))

    return columns, [[plain(row.get(c)) for c in columns] for row in data["results"]["bindings"]]


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed with the package (PyPI ``oxigraph``)."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise EngineError("the oxigraph server is not installed: pip install oxigraph")
    return found


def serve_command(store: Path, host: str, port: int, writable: bool = False) -> list[str]:
    return [oxigraph_binary(), "serve" if writable else "serve-read-only", "--location", str(store),
            "--bind", f"{host}:{port}"]


