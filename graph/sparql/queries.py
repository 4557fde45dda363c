"""Saved SPARQL queries: find them, read their parameters, run them on any engine, format rows.

The saved queries in ``ontology/queries/*.rq`` are a public contract: their columns
are documented in each file's header and do not change name. A query declares the
parameters it takes in its header (``# param country: …``); each binds the variable
of the same name as an RDF term (see :mod:`graph.sparql.store`). Results are plain rows (lists
of strings, empty string for unbound) so the CLI, the notebook and the evaluator share
one form.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef

from ..knowledge import ONTOLOGY_DIR

__all__ = ["QUERY_DIR", "ParameterError", "saved_queries", "load_query", "query_params", "query_examples",
           "bind_params", "with_limit", "load_dataset", "run_query", "run_saved", "format_rows", "ENGINES"]

QUERY_DIR = ONTOLOGY_DIR / "queries"
ENGINES = ("oxigraph", "rdflib")
_EXAMPLE = re.compile(r"\be\.g\. (.+)$")
_PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)(?:\s*\((?P<kind>iri|literal)\))?\s*:\s*(?P<doc>.+)$", re.M)


class ParameterError(ValueError):
    """A parameter's value cannot be the term its query declares (an IRI that is not one)."""


def saved_queries() -> dict[str, Path]:
    """Name → path of every saved query."""
    return {p.stem: p for p in sorted(QUERY_DIR.glob("*.rq"))}


def load_query(name_or_path: str) -> str:
    """The text of a saved query by name, or of a ``.rq`` file by path."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        return path.read_text(encoding="utf-8")
    saved = saved_queries()
    if name_or_path in saved:
        return saved[name_or_path].read_text(encoding="utf-8")
    raise KeyError(f"no saved query named {name_or_path!r} (known: {', '.join(saved)})")


def query_params(text: str) -> dict[str, tuple[str, str]]:
    """Parameters a query declares: name → (kind, description)."""
    return {m["name"]: (m["kind"] or "literal", m["doc"].strip()) for m in _PARAM.finditer(text)}


def query_examples(text: str) -> dict[str, str]:
    """Parameter → the example value its header documents (``… e.g. Mexico``): what the
    benchmark times and the tests try, so the documented call is the measured one."""
    out = {}
    for name, (_, doc) in query_params(text).items():
        m = _EXAMPLE.search(doc)
        if m:
            out[name] = m.group(1).strip()
    return out


def bind_params(text: str, given: dict[str, str]) -> dict[str, URIRef | Literal]:
    """``{"country": "Mexico"}`` → RDF terms for the variables the query declares."""
    declared = query_params(text)
    out = {}
    for name, value in given.items():
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise KeyError(f"this query takes no parameter {name!r} (it takes: {known})")
        if declared[name][0] == "iri":
            try:
                ox.NamedNode(value)
            except ValueError as exc:
                raise ParameterError(f"parameter {name}: {value!r} is not an IRI ({exc})") from None
            out[name] = URIRef(value)
        else:
            out[name] = Literal(value)
    return out


def load_dataset(path: Path) -> Dataset:
    """Read a built ``graph.trig`` into an rdflib Dataset."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no graph here — run `dialogue-graph build` first")
    ds = Dataset()
    ds.parse(path, format="trig")
    return ds


def run_query(ds: Dataset, text: str, params: dict | None = None) -> tuple[list[str], list[list[str]]]:
    """Run a query with rdflib on an in-memory dataset; (columns, rows of strings)."""
    from .store import query_rdflib

    return query_rdflib(ds, text, params)


_OWN_LIMIT = re.compile(r"\b(?:LIMIT|OFFSET)\s+\d+\s*$", re.I)
_TRAILING_VALUES = re.compile(r"\bVALUES\b[^{}]*\{[^{}]*\}\s*$", re.I)


def with_limit(text: str, limit: int | None) -> str:
    """The query asking its engine for at most ``limit`` rows: a LIMIT clause after the last one.

    Left as written when it ends in its own LIMIT/OFFSET or a VALUES block (a LIMIT cannot follow
    either); :func:`run_saved` cuts the rows then. The engine still finds and orders every row
    before the first is returned, but no more than ``limit`` are sent, converted or printed.
    """
    if limit is None:
        return text
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    body = re.sub(r"(?m)(^|\s)#.*$", r"\1", text).rstrip()  # comments (an IRI's # follows no space)
    if _OWN_LIMIT.search(body) or _TRAILING_VALUES.search(body):
        return text
    return f"{text.rstrip()}\nLIMIT {int(limit)}\n"


def run_saved(name_or_path: str, graph: str | Path | Dataset = Path("build/graph.trig"), engine: str = "oxigraph",
              endpoint: str | None = None, params: dict[str, str] | None = None, limit: int | None = None,
              allow_service: bool = False, isolate: bool = False, timeout: float | None = None):
    """Run a saved query (or .rq file) on the built graph (a path, or an rdflib Dataset already in
    memory, whatever ``engine`` says) or a remote endpoint; at most ``limit`` rows when given (the
    first ones in the query's order).

    A local engine refuses SERVICE and FROM outside the dataset unless ``allow_service``
    (:mod:`graph.sparql.guard`). With ``isolate`` Oxigraph runs in a process of its own, stopped
    after ``timeout`` seconds: an engine crash is an :class:`EngineError`, not the caller's end."""
    from . import store

    text = load_query(name_or_path)
    terms = bind_params(text, params or {})
    text = with_limit(text, limit)
    if endpoint:
        columns, rows = store.query_endpoint(endpoint, text, terms)
    elif not isinstance(graph, (str, Path)):  # an rdflib graph or dataset in memory
        columns, rows = store.query_rdflib(graph, text, terms, allow_service)
    elif engine == "rdflib":
        columns, rows = store.query_rdflib(load_dataset(Path(graph)), text, terms, allow_service)
    elif engine != "oxigraph":
        raise ValueError(f"unknown engine {engine!r} (oxigraph or rdflib)")
    elif isolate:
        columns, rows = store.query_isolated(Path(graph), text, terms, allow_service, timeout)
    else:
        columns, rows = store.query_oxigraph(store.open_store(graph), text, terms, allow_service)
    return columns, rows if limit is None else rows[:limit]


def format_rows(columns: list[str], rows: list[list[str]], fmt: str = "table") -> str:
    """Rows as ``table`` (aligned text), ``csv`` or ``json`` (a list of objects)."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(columns, r)) for r in rows], indent=2, ensure_ascii=False) + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r} (table, csv or json)")
    widths = [min(60, max([len(c)] + [len(r[i]) for r in rows])) for i, c in enumerate(columns)]

    def line(vals):
        return "  ".join(v[:60].ljust(w) for v, w in zip(vals, widths)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} rows)")
    return "\n".join(out) + "\n"
