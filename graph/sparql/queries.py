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
import difflib
import io
import json
import re
from itertools import product
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef

from ..knowledge import ONTOLOGY_DIR
from ..text import fold
from ..vocab import PREFIXES

__all__ = ["QUERY_DIR", "ParameterError", "AmbiguousParameter", "saved_queries", "load_query", "query_summary",
           "query_params", "query_examples", "bind_params", "with_limit", "load_dataset", "run_query", "run_saved",
           "format_rows", "ENGINES"]

QUERY_DIR = ONTOLOGY_DIR / "queries"
ENGINES = ("oxigraph", "rdflib")
_EXAMPLE = re.compile(r"\be\.g\. (.+)$")
_PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)(?:\s*\((?P<kind>iri|literal|name|topic)\))?\s*:\s*(?P<doc>.+)$",
                    re.M)
_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+(\w*):\s*<([^>]*)>", re.I | re.M)
_GIVEN = "given_"  # ?given_NAME is bound to true when parameter NAME is given (a query may test it)


class ParameterError(ValueError):
    """A parameter's value cannot be the term its query declares (an IRI that is not one)."""


class AmbiguousParameter(ParameterError):
    """A parameter's value names several things (a surname several people share)."""

    def __init__(self, name: str, value: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(f"{name}={value!r} is ambiguous: it names {', '.join(candidates)} — give one of them")


def saved_queries() -> dict[str, Path]:
    """Name → path of every saved query."""
    return {p.stem: p for p in sorted(QUERY_DIR.glob("*.rq"))}


def load_query(name_or_path: str) -> str:
    """The text of a saved query by name, or of a ``.rq`` file by path."""
    path = Path(name_or_path)
    saved = saved_queries()
    if name_or_path in saved:
        return saved[name_or_path].read_text(encoding="utf-8")
    if path.suffix == ".rq" or path.parent != Path("."):  # a file was meant, not a saved query's name
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such query file")
        return path.read_text(encoding="utf-8")
    raise KeyError(f"no saved query named {name_or_path!r} (known: {', '.join(saved)})")


def query_summary(text: str) -> str:
    """What a query answers: the first sentence of its header (``# name: what it answers.``)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#") or line.startswith("# Columns") or re.match(r"#\s*param\b", line):
            break
        lines.append(line.lstrip("#").strip())
    head = " ".join(lines)
    head = re.sub(r"^\w+:\s*", "", head)
    m = re.search(r"^(.+?[.;])(\s|$)", head)
    return (m.group(1) if m else head).rstrip(".;")


def query_params(text: str) -> dict[str, tuple[str, str]]:
    """Parameters a query declares: name → (kind, description).

    Kinds: ``iri`` (an IRI, or a name the graph resolves to one), ``literal`` (the value as
    given), ``name`` (a name, alias or surname, matched accent- and case-blind) and ``topic``
    (a topic, matched accent- and case-blind, or every topic containing the words given)."""
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
        if f"?{_GIVEN}{name}" in text:
            out[_GIVEN + name] = Literal(True)
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


def _uncommented(text: str) -> str:
    """The query without its comments (an IRI's # follows no space, a comment's does)."""
    return re.sub(r"(?m)(^|\s)#.*$", r"\1", text)


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
    body = _uncommented(text).rstrip()
    if _OWN_LIMIT.search(body) or _TRAILING_VALUES.search(body):
        return text
    return f"{text.rstrip()}\nLIMIT {int(limit)}\n"


_NAMES = """PREFIX dg: <https://w3id.org/dialogue-graph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?name ?label ?person WHERE {
  { ?entity schema:name ?name . BIND(?name AS ?label) } UNION { ?entity schema:name ?name ; skos:altLabel ?label . }
  OPTIONAL { ?entity a dg:Person . BIND(true AS ?person) }
}"""
_TOPICS = """PREFIX dg: <https://w3id.org/dialogue-graph/ontology#>
SELECT DISTINCT ?topic WHERE { { ?x dg:topic ?topic . } UNION { GRAPH ?g { ?x dg:topic ?topic . } } }"""


def _curated_aliases() -> dict[str, str]:
    """Folded alias → preferred name, from the project's curated knowledge ("AMLO" → Andrés Manuel
    López Obrador): an alias no article of the graph wrote is still a way to ask for the person."""
    from ..knowledge import load_knowledge

    kb = load_knowledge()
    out = {key: o.name for key, o in kb.officials.items()}
    out.update({key: o.name for key, o in kb.orgs.items()})
    out.update({key: kb.countries[cid].name for key, cid in kb.country_alias.items() if cid in kb.countries})
    return out


class _Names:
    """The graph's names and aliases, folded, to read a parameter the way a person would write it."""

    def __init__(self, rows: list[list[str]]):
        self.rows = [(e, n, lab, bool(p)) for e, n, lab, p in rows]
        self.aliases = None

    def match(self, value: str) -> list[tuple[str, str]]:
        """(entity, preferred name) of what ``value`` names, by the first rule that finds any: the
        preferred name, an alias (the graph's, then the curated knowledge's), a person's surname
        (the end of a name or alias: "Blinken", "Sherwood-Randall")."""
        key = fold(value)
        if not key:
            return []
        for rule in (lambda e, n, lab, p: fold(n) == key, lambda e, n, lab, p: fold(lab) == key):
            hits = sorted({(e, n) for e, n, lab, p in self.rows if rule(e, n, lab, p)})
            if hits:
                return hits
        if self.aliases is None:
            self.aliases = _curated_aliases()
        curated = self.aliases.get(key)
        if curated:
            hits = sorted({(e, n) for e, n, lab, p in self.rows if n == curated})
            if hits:
                return hits
        tail = " " + key
        return sorted({(e, n) for e, n, lab, p in self.rows if p and (" " + fold(lab)).endswith(tail)})

    def suggest(self, value: str) -> list[str]:
        by_fold: dict[str, set[str]] = {}
        for _, n, lab, _ in self.rows:
            by_fold.setdefault(fold(lab), set()).add(n)
        return _suggest(value, by_fold)


def _suggest(value: str, by_fold: dict[str, set[str]], most: int = 5) -> list[str]:
    """The closest names (spelling first, then a shared word) to a value that matches none."""
    key = fold(value)
    close = difflib.get_close_matches(key, list(by_fold), n=most, cutoff=0.6)
    words = set(key.split())
    close += sorted(k for k in by_fold if words & set(k.split()) and k not in close)
    out: list[str] = []
    for k in close:
        for n in sorted(by_fold[k]):
            if n not in out:
                out.append(n)
    return out[:most]


def _match_topic(value: str, topics: list[str]) -> list[str]:
    """The topics ``value`` names: the one it spells (accents and case aside), else every topic
    holding all its words ("fentanyl" → "fentanyl production in Mexico", "fentanyl trafficking")."""
    key = fold(value)
    hits = [t for t in topics if fold(t) == key]
    if hits or not key:
        return hits
    words = set(key.split())
    return [t for t in topics if words <= set(fold(t).split())]


def _engine(graph, engine: str, endpoint: str | None, allow_service: bool = False, isolate: bool = False,
            timeout: float | None = None):
    """A function running (query text, bound terms) → (columns, rows) on the engine asked for.

    A local engine refuses SERVICE and FROM outside the dataset unless ``allow_service``
    (:mod:`graph.sparql.guard`). With ``isolate`` Oxigraph runs in a process of its own, stopped
    after ``timeout`` seconds: an engine crash is an :class:`EngineError`, not the caller's end."""
    from . import store

    if endpoint:
        return lambda text, terms: store.query_endpoint(endpoint, text, terms)
    if not isinstance(graph, (str, Path)):  # an rdflib graph or dataset in memory
        return lambda text, terms: store.query_rdflib(graph, text, terms, allow_service)
    if engine == "rdflib":
        ds = load_dataset(Path(graph))
        return lambda text, terms: store.query_rdflib(ds, text, terms, allow_service)
    if engine != "oxigraph":
        raise ValueError(f"unknown engine {engine!r} (oxigraph or rdflib)")
    if isolate:
        return lambda text, terms: store.query_isolated(Path(graph), text, terms, allow_service, timeout)
    st = store.open_store(graph)
    return lambda text, terms: store.query_oxigraph(st, text, terms, allow_service)


_SELECT_CLAUSE = re.compile(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{)", re.I | re.S)


def _projected(text: str) -> set[str] | None:
    """The variables a SELECT query returns: those of its first SELECT clause outside brackets,
    and each ``AS ?name`` (None for ``SELECT *`` or a query that is no SELECT). A scan, not a
    parse: rdflib's parser takes 30–300 ms a query, longer than most queries run."""
    body = _uncommented(text)
    m = _SELECT_CLAUSE.search(body)
    if not m or "*" in m.group(1):
        return None
    clause, depth, outside = m.group(1), 0, []
    for ch in clause:
        depth += (ch == "(") - (ch == ")")
        outside.append(ch if depth == 0 and ch not in "()" else " ")
    return set(re.findall(r"[?$](\w+)", "".join(outside))) | set(re.findall(r"\bAS\s+[?$](\w+)", clause, re.I))


def _binder(text: str):
    """(query text, terms) → what the engine is given: a parameter the query does not return (a
    switch such as ``all``, ``?given_NAME``) goes into a VALUES block opening the WHERE, the
    others as terms (Oxigraph substitutes only variables the query returns)."""
    from .store import with_values

    returned = _projected(text)

    def bind(query_text: str, terms: dict) -> tuple[str, dict]:
        if returned is None:
            return query_text, terms
        hidden = {k: v for k, v in terms.items() if k not in returned}
        shown = {k: v for k, v in terms.items() if k in returned}
        return (with_values(query_text, hidden) if hidden else query_text), shown

    return bind


def _is_iri(value: str) -> bool:
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return ":" in value


def run_saved(name_or_path: str, graph: str | Path | Dataset = Path("build/graph.trig"), engine: str = "oxigraph",
              endpoint: str | None = None, params: dict[str, str] | None = None, limit: int | None = None,
              on_note=None, allow_service: bool = False, isolate: bool = False, timeout: float | None = None,
              listings: bool = True):
    """Run a saved query (or .rq file) on the built graph (a path, or an rdflib Dataset already in
    memory, whatever ``engine`` says) or a remote endpoint; at most ``limit`` rows when given (the
    first ones in the query's order).

    A parameter is first bound as given (the fast, documented call). When the query then has no
    row, a ``name`` or ``topic`` parameter is read as a person would write it — accents and case
    aside, an alias ("AMLO"), a surname ("Blinken"), the words of a topic ("fentanyl") — and the
    query run again with what it names; an ``iri`` parameter takes a name too. ``on_note(line)``
    hears how a value was read, or, when nothing matched, the names it comes closest to. A value
    naming several people raises :class:`AmbiguousParameter` with the candidates.

    A local engine refuses SERVICE and FROM outside the dataset unless ``allow_service``; with
    ``isolate`` Oxigraph runs in a process of its own, stopped after ``timeout`` seconds.

    On the local Oxigraph engine, a query whose exact text the build ran is read from the table
    it wrote (:mod:`graph.sparql.listings`) when that table holds the answer — without
    parameters, or with parameters it indexes: the same rows, in the same order, without waiting
    for the engine to find and sort them all. ``listings=False`` always asks the engine.
    """
    text = load_query(name_or_path)
    note = on_note or (lambda line: None)
    for prefix, iri in _PREFIX_DECL.findall(text):  # http://schema.org/ for https://…: no error, no row
        if PREFIXES.get(prefix, iri) != iri:
            note(f"PREFIX {prefix}: is <{PREFIXES[prefix]}> in this graph, not <{iri}> (README: Prefixes)")
    params = dict(params or {})
    declared = query_params(text)
    bind_params(text, {k: "" for k in params if declared.get(k, ("",))[0] != "iri"})  # unknown names refused
    run, bind = _engine(graph, engine, endpoint, allow_service, isolate, timeout), _binder(text)

    def execute(query_text: str, terms: dict):
        return run(*bind(query_text, terms))

    limited = with_limit(text, limit)
    names: list[_Names] = []
    kept = listings and not endpoint and engine == "oxigraph"

    def answer(given: dict[str, str]):
        """The rows with these parameters: from the build's table of this query when it holds them
        (graph.sparql.listings: the same rows in the same order), else from the engine."""
        if kept:
            from .listings import read_listing

            found = read_listing(text, graph, given, limit)
            if found is not None:
                return found
        return execute(limited, bind_params(text, given))

    def lookup_names() -> _Names:
        if not names:
            names.append(_Names(execute(_NAMES, {})[1]))
        return names[0]

    for pname, value in list(params.items()):
        if declared[pname][0] == "iri" and not _is_iri(value):
            hits = lookup_names().match(value)
            if not hits:
                close = lookup_names().suggest(value)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise ParameterError(f"parameter {pname}: {value!r} is not an IRI, nor a name in the graph{hint}")
            if len(hits) > 1:
                raise AmbiguousParameter(pname, value, [f"{n} <{e}>" for e, n in hits])
            note(f"{pname}={value!r} read as <{hits[0][0]}> ({hits[0][1]})")
            params[pname] = hits[0][0]
    columns, rows = answer(params)
    fuzzy = [k for k in params if declared[k][0] in ("name", "topic")]
    if rows or not fuzzy:
        return columns, rows if limit is None else rows[:limit]

    choices: dict[str, list[str]] = {}
    unmatched = []
    topics: list[str] = []
    for pname in fuzzy:
        value = params[pname]
        if declared[pname][0] == "name":
            hits = sorted({n for _, n in lookup_names().match(value)})
            if len(hits) > 1:
                raise AmbiguousParameter(pname, value, hits)
        else:
            topics = topics or sorted(r[0] for r in execute(_TOPICS, {})[1])
            hits = _match_topic(value, topics)
        if not hits:
            if declared[pname][0] == "name":
                close = lookup_names().suggest(value)
            else:
                close = _suggest(value, {fold(t): {t} for t in topics})
            unmatched.append(f"{pname}={value!r}" + (f" — did you mean {', '.join(close)}?" if close else
                                                       " matches nothing in the graph"))
            hits = [value]
        elif hits != [value]:
            note(f"{pname}={value!r} read as {', '.join(repr(h) for h in hits)}")
        choices[pname] = hits
    if unmatched:
        note("no row; " + "; ".join(unmatched))
    if all(choices[k] == [params[k]] for k in choices):
        return columns, rows
    # one run per reading (a topic's words may name several topics), rows in the order of the readings
    seen, out = set(), []
    for combo in product(*choices.values()):
        for row in answer({**params, **dict(zip(choices, combo))})[1]:
            if tuple(row) not in seen:
                seen.add(tuple(row))
                out.append(row)
    return columns, out if limit is None else out[:limit]


def format_rows(columns: list[str], rows: list[list[str]], fmt: str = "table", width: int | None = None) -> str:
    """Rows as ``table`` (aligned text), ``csv`` or ``json`` (a list of objects).

    A table fits in ``width`` characters when given: the widest columns are narrowed and a cell
    that does not fit ends in "…", and the last line says so; without it every cell is whole.
    """
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
    rows = [[" ".join(v.split()) for v in r] for r in rows]  # a sentence's line breaks would break the table
    natural = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    widths = _fit(natural, width - 2 * (len(columns) - 1)) if width else natural
    cut = False

    def cell(v: str, w: int) -> str:
        nonlocal cut
        if len(v) <= w:
            return v.ljust(w)
        cut = True
        return v[:max(w - 1, 0)] + "…"

    def line(vals):
        return "  ".join(cell(v, w) for v, w in zip(vals, widths)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} rows)" + (f"; cells ending in … are cut to fit {width} columns: --wide or --format "
                                       f"csv shows them whole" if cut else ""))
    return "\n".join(out) + "\n"


def _fit(natural: list[int], room: int, narrowest: int = 6) -> list[int]:
    """Column widths summing to at most ``room``: the widest columns cut to one common width (the
    largest that fits), none below ``narrowest`` (nor its own natural width)."""
    if sum(natural) <= room:
        return natural
    lo, hi = narrowest, max(natural)
    while lo < hi:  # the largest cap whose columns fit
        mid = (lo + hi + 1) // 2
        if sum(min(w, mid) for w in natural) <= room:
            lo = mid
        else:
            hi = mid - 1
    return [min(w, lo) for w in natural]
