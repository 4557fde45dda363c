"""SPARQL engines: the embedded Oxigraph store, rdflib in memory, and any remote endpoint.

A build loads its dataset into an on-disk Oxigraph store (``build/store``) that answers
``dialogue-graph query`` fast on large graphs; rdflib stays the building and in-memory
API. Both engines, and a remote SPARQL 1.1 endpoint, answer the same saved queries with
the same rows. Parameters are bound as RDF terms: through the engine's own binding API
locally (rdflib ``initBindings``, Oxigraph ``substitutions``) and, since the SPARQL
protocol has none, as a ``VALUES`` block of serialised terms for a remote endpoint — a
value with quotes or braces is only ever a value.

No engine reaches outside the dataset unless asked: a SERVICE or a FROM naming anything but
this dataset's graphs is refused (:mod:`graph.sparql.guard`; ``allow_service`` lifts it), and
rdflib never fetches a FROM IRI. :func:`query_isolated` runs an Oxigraph query in a process of
its own, so an engine crash (a Rust panic aborts its process) ends a query, not the caller.
"""
from __future__ import annotations

import functools
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from ..outputs import replace_path, staged_dir
from ..terms import ox_converter
from .guard import QueryRefused, refuse_outbound

__all__ = ["STORE_DIR", "write_store", "open_store", "query_oxigraph", "query_rdflib", "query_endpoint",
           "query_isolated", "store_location", "oxigraph_binary", "EngineError", "QueryRefused"]

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


@functools.lru_cache(maxsize=4)
def _read_only(folder: str, inode: int, mtime_ns: int) -> ox.Store:
    return ox.Store.read_only(folder)


def store_location(graph: Path) -> Path:
    """Where the Oxigraph store of a built graph is: the folder given, or ``store/`` beside the
    graph file (it may not exist)."""
    graph = Path(graph)
    return graph if graph.is_dir() else graph.parent / STORE_DIR


def open_store(graph: Path) -> ox.Store:
    """The Oxigraph store beside a built graph (read-only), or the graph loaded in memory."""
    graph = Path(graph)
    on_disk = store_location(graph)
    if on_disk.is_dir():
        # opening RocksDB takes ~40 ms, most of a small question's time (README, Speed): a store
        # already open is asked again while its folder is the same, unchanged one (a build writes
        # a new generation folder or replaces the store's, so a rebuilt graph is opened afresh)
        real = on_disk.resolve()
        st = real.stat()
        return _read_only(str(real), st.st_ino, st.st_mtime_ns)
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


def query_oxigraph(store: ox.Store, text: str, params: dict[str, URIRef | Literal] | None = None,
                   allow_service: bool = False):
    """(columns, rows) of a SELECT, or (["result"], [["true"|"false"]]) of an ASK.

    A parameter is bound twice, as the same term both times: by a VALUES block opening the
    WHERE group, which Oxigraph's join planner sees (a substitution alone it does not, and
    the plan starts from every appointment), and by Oxigraph's substitution, which also
    reaches into subqueries that VALUES cannot. The README's Speed section has the times.
    A query written without the WHERE keyword gets the substitution only.
    """
    refuse_outbound(text, allow_service)
    if params:
        text, terms = _oxigraph_bound(text, params)
        result = store.query(text, substitutions={ox.Variable(k): t for k, t in terms.items()})
    else:
        result = store.query(text)
    if isinstance(result, ox.QueryBoolean):
        return ["result"], [[str(bool(result)).lower()]]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], [[_ox_plain(t.subject), _ox_plain(t.predicate),
                                                     _ox_plain(t.object)] for t in result]
    columns = [v.value for v in result.variables]
    return columns, [[_ox_plain(sol[c]) for c in columns] for sol in result]


# rdflib reads whether to fetch a FROM IRI from a module global: set per query, one at a time
_RDFLIB_LOADING = threading.Lock()


def query_rdflib(ds: Dataset, text: str, params: dict[str, URIRef | Literal] | None = None,
                 allow_service: bool = False):
    """As :func:`query_oxigraph`, with rdflib on a dataset in memory. A FROM names a graph of the
    dataset, never a document to fetch (rdflib fetches one, ``file:///`` included, by default)."""
    import rdflib.plugins.sparql as rdflib_sparql

    refuse_outbound(text, allow_service)
    with _RDFLIB_LOADING:
        before, rdflib_sparql.SPARQL_LOAD_GRAPHS = rdflib_sparql.SPARQL_LOAD_GRAPHS, allow_service
        try:
            # rdflib evaluates lazily: the rows are read here, while fetching is off
            result = ds.query(text, initBindings=params or {})
            rows = list(result) if result.type in ("SELECT", "CONSTRUCT", "DESCRIBE") else None
        finally:
            rdflib_sparql.SPARQL_LOAD_GRAPHS = before
    if result.type == "ASK":
        return ["result"], [[str(bool(result.askAnswer)).lower()]]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return ["subject", "predicate", "object"], [[_rdflib_plain(t) for t in triple] for triple in rows]
    columns = [str(v) for v in result.vars]
    return columns, [[_rdflib_plain(row[i]) for i in range(len(columns))] for row in rows]


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


def _oxigraph_bound(text: str, params: dict[str, URIRef | Literal]) -> tuple[str, dict]:
    """The parameters as Oxigraph terms, and the query with them in a VALUES block opening its
    WHERE group (the query unchanged when it has no WHERE keyword)."""
    conv = ox_converter()
    terms = {k: conv(v) for k, v in params.items()}
    return _values_opening_where(text, terms) or text, terms


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
    """Run a query against any SPARQL 1.1 Protocol endpoint (results as SPARQL JSON); http(s) only
    (urllib would read a ``file:///`` URL as a local file)."""
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        raise EngineError(f"{url}: an endpoint is an http:// or https:// URL")
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
    return _json_rows(data)


def _json_rows(data: dict):
    """(columns, rows) of SPARQL 1.1 Query Results JSON, each term as the local engines write it."""
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


def crash_message(code: int, stderr: str, what: str = "this query") -> str:
    """One line for an engine process that died: how, and the way round a known bug."""
    hint = ("; ORDER BY over mixed literal types panics Oxigraph 0.5: sort by STR(?o) instead"
            if "total order" in stderr else "")
    return f"the Oxigraph engine crashed on {what} ({_crash_reason(code, stderr)}){hint} (README, Known issues)"


def query_isolated(graph: Path, text: str, params: dict[str, URIRef | Literal] | None = None,
                   allow_service: bool = False, timeout: float | None = None):
    """As :func:`query_oxigraph` on the store beside ``graph``, in a process of its own
    (:mod:`graph.sparql.engine_worker`): an engine crash or a query over ``timeout`` seconds
    raises :class:`EngineError` in one line instead of ending the caller."""
    refuse_outbound(text, allow_service)
    graph = Path(graph)
    if not (store_location(graph).is_dir() or graph.is_file()):
        raise FileNotFoundError(f"{graph}: no graph here — run `dialogue-graph build` first")
    subs: dict[str, str] = {}
    if params:
        text, terms = _oxigraph_bound(text, params)
        subs = {k: str(t) for k, t in terms.items()}
    job = json.dumps({"graph": str(graph.resolve()), "query": text, "substitutions": subs})
    worker = Path(__file__).with_name("engine_worker.py")
    try:
        # -I: the worker imports pyoxigraph from site-packages and nothing from the caller's path
        done = subprocess.run([sys.executable, "-I", str(worker)], input=job.encode("utf-8"), capture_output=True,
                              timeout=timeout, env={**os.environ, "RUST_BACKTRACE": "0"})
    except subprocess.TimeoutExpired:
        raise EngineError(f"the query ran longer than {timeout:g} s and was stopped") from None
    err = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode == 2:
        raise EngineError(f"the query failed: {err.splitlines()[-1] if err else 'no reason given'}")
    if done.returncode != 0:
        raise EngineError(crash_message(done.returncode, err))
    return _json_rows(json.loads(done.stdout.decode("utf-8")))


def _crash_reason(code: int, stderr: str) -> str:
    """How an engine process ended, in a few words: its signal and, for a Rust panic, the panic's
    message (the line after ``panicked at``)."""
    try:
        how = signal.Signals(-code).name if code < 0 else f"exit {code}"
    except ValueError:
        how = f"signal {-code}"
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if "panicked at" in line and i + 1 < len(lines):
            return f"{how}, panic: {lines[i + 1].strip()[:160]}"
    if "overflowed its stack" in stderr:
        return f"{how}, stack overflow: a query nested too deep"
    return how


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed with the package (PyPI ``oxigraph``)."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise EngineError("the oxigraph server is not installed: pip install oxigraph")
    return found


def serve_command(store: Path, host: str, port: int, writable: bool = False, timeout: float | None = None) -> list[str]:
    """The Oxigraph server's command line (``timeout``: its own per-query limit, in whole seconds;
    it does not stop every query, see :mod:`graph.sparql.endpoint`)."""
    cmd = [oxigraph_binary(), "serve" if writable else "serve-read-only", "--location", str(store),
           "--bind", f"{host}:{port}"]
    if timeout:
        cmd += ["--timeout-s", str(max(1, round(timeout)))]
    return cmd


