"""Listings kept with the graph: each saved query's whole answer, written once by the build.

A saved query asked without parameters lists every row of its kind (every person, every
sentence behind every fact), in its ORDER BY order. Oxigraph finds and sorts every row before
it hands over the first, so at 5,000 articles a listing took seconds before its first row
(``fact_support``: over a minute). The build therefore runs each saved query once on the
store it has just written and keeps the rows, converted as :func:`graph.sparql.queries.run_saved`
returns them and in the query's order, in one SQLite file of the same generation as the store,
``listings.sqlite``:

    listing(name, setting, sha256, tbl, columns, rows, filters)   one row a table (JSON in setting,
                                                                   columns, filters)
    "q_NAME_N"(k, c0, c1, …)                      its rows, k their place in the query's order

A parameter the query also returns (``people``'s ``country``, ``claims``'s ``topic``) only keeps
the rows whose column holds the value: asked for one value, the query answers the rows of its
listing with that value, in the same order. Such a column is indexed (``filters``) when every
term in it is an IRI (an ``iri`` parameter) or a plain string (the others), the terms a
parameter is bound as, so comparing the strings is comparing the terms.

A switch the query does not return is a table of its own at the value its header documents
(who_met_whom's ``all=yes``), and so is a ``?given_NAME`` switch on with NAME free: who_met_whom
asked for one person is its table of pairs seen from either side, kept to that person's rows.

``run_saved`` reads a table instead of asking the engine only when nothing could make the
answers differ: the local Oxigraph engine, a table of the same build as the store asked, the
same query text (its SHA-256, with the table format, is in the file: an edited ``.rq`` or a
user's own query is asked live), and no parameter but a table's setting and indexed columns. The saved query stays the
definition of what a table holds; tests check every table, and every documented parameter,
against the query on the seeds and dev.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Callable

__all__ = ["LISTINGS", "FORMAT", "query_hash", "write_listings", "read_listing", "listing_for"]

LISTINGS = "listings.sqlite"
FORMAT = 1  # bump when what a row holds changes (how a term becomes a string): older tables are then unused


def query_hash(text: str) -> str:
    """What a table is valid for: the query's exact text and the table format."""
    return hashlib.sha256(f"{FORMAT}\0{text}".encode("utf-8")).hexdigest()


_ORDER_BY = re.compile(r"\bORDER\s+BY\b(?P<keys>[^{}]*)$", re.I)
_ORDER_KEY = re.compile(r"\s*(?:(?P<dir>ASC|DESC)\s*\(\s*[?$](?P<var>\w+)\s*\)|[?$](?P<plain>\w+))", re.I)
_NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt")}
_STRINGS = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _order_keys(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """(the query without its final ORDER BY, [(variable, descending)]) when that clause orders by
    variables only (``?a DESC(?b)``); None for any other query (it is then run as written)."""
    from .queries import _uncommented

    body = _uncommented(text).rstrip()
    m = _ORDER_BY.search(body)
    if not m:
        return None
    keys, pos, spec = [], 0, m["keys"]
    while pos < len(spec.rstrip()):
        k = _ORDER_KEY.match(spec, pos)
        if not k:
            return None
        keys.append((k["var"] or k["plain"], (k["dir"] or "").upper() == "DESC"))
        pos = k.end()
    return (body[:m.start()] + "\n", keys) if keys else None


_IRI, _STRING, _OTHER = "iri", "string", "other"


def _cell(term) -> tuple:
    """(sort key, the text run_saved gives, kind, tag) of one term.

    The key, three values SQLite orders as SPARQL orders terms (unbound, blank nodes, IRIs, then
    literals: numbers by value, strings, then other literals by datatype and characters — dates
    in ISO form in the order of their days), as Oxigraph orders the columns the saved queries sort
    by; the text is the converted one (the same characters but for numbers). A number SQLite holds
    as a double may meet another it cannot tell apart: a tie, which sends the query to the engine.
    The tag is what, with the text, tells the term from every other ("2"^^xsd:integer from
    "2.0"^^xsd:decimal, an IRI from a string of its characters): rows are told apart by both, as
    SPARQL's DISTINCT tells them."""
    import pyoxigraph as ox

    from .store import _ox_plain

    if term is None:
        return (0, "", ""), "", None, "u"
    plain = _ox_plain(term)
    if isinstance(term, ox.NamedNode):
        return (20, "", plain), plain, _IRI, "i"
    if isinstance(term, ox.BlankNode):
        return (10, "", plain), plain, _OTHER, "b"
    datatype = term.datatype.value
    kind = _STRING if datatype == _STRINGS_PLAIN else _OTHER
    tag = "s" if datatype == _STRINGS_PLAIN else f"@{term.language}" if term.language else \
        f"^{datatype}" if term.value == plain else f"^{datatype}\0{term.value}"
    if datatype in _NUMERIC:
        try:
            number = Decimal(term.value)
            if number.is_finite():
                exact = int(number) if number == number.to_integral_value() and abs(number) < 2 ** 63 else None
                return (30, exact if exact is not None else float(number), ""), plain, kind, tag
        except ArithmeticError:  # not a number's spelling: among the other literals
            pass
    if datatype in _STRINGS:
        return (31, "", plain), plain, kind, tag
    return (32, datatype, plain), plain, kind, tag


_SELECT = re.compile(r"\bSELECT\s+(?P<distinct>DISTINCT\s+)?", re.I)


def _without_distinct(body: str) -> str | None:
    """A query whose own SELECT (not a subquery's) is DISTINCT, without that word; None for
    any other query."""
    m = _SELECT.search(body)
    if m is None or not m["distinct"] or "{" in body[:m.start()]:
        return None
    return body[:m.start()] + "SELECT " + body[m.end():]


class _Cells:
    """A query's terms as cells (:func:`_cell`), column by column, each distinct term of a column
    converted once; a column where most terms differ (sentences) is not remembered, so a listing
    holds one string a cell. ``kinds``: the kinds of term each column holds."""

    TRIAL = 2000  # rows after which a column whose terms mostly differ is no longer remembered

    def __init__(self, width: int):
        self.caches: list[dict | None] = [{} for _ in range(width)]
        self.kinds: list[set] = [set() for _ in range(width)]
        self.rows = 0

    def __call__(self, solution) -> list[tuple]:
        cells = []
        for j, term in enumerate(solution):
            cache = self.caches[j]
            cell = None if cache is None else cache.get(term)
            if cell is None:
                cell = _cell(term)
                self.kinds[j].add(cell[2])
                if cache is not None:
                    cache[term] = cell
            cells.append(cell)
        self.rows += 1
        if self.rows == self.TRIAL:
            self.caches = [None if c is None or len(c) > self.TRIAL // 2 else c for c in self.caches]
        return cells


def _fill(db: sqlite3.Connection, table: str, store, text: str) -> tuple[list[str], int, list[set]]:
    """Write the rows of ``text`` into the new table ``table``, ``k`` their place in the query's
    order; (columns, rows, the kinds of term in each column).

    The engine finds the rows unordered and SQLite sorts them by keys made here, each term read
    and converted once (Oxigraph's own sort reads a term's text again at every comparison:
    ``fact_support`` at 5,000 articles 87 s ordered, 28 s unordered and sorted here), and no row
    is held in Python. A query that is SELECT DISTINCT is asked without DISTINCT and its rows made
    distinct here, on disk, by their text and tags (:func:`_cell`): Oxigraph's DISTINCT holds every
    row it has seen in memory (``fact_support`` at 5,000 articles: 371 MB against 259 without).
    When two different rows share every key of the ORDER BY, their order is the
    engine's own, not the query's (rows alike in every column are alike in any order): the query
    is then run as written, as is one this cannot order (by an expression, or by a variable it
    does not return)."""
    order = _order_keys(text)
    if order is not None:
        plain = _without_distinct(order[0])
        result = store.query(plain or order[0])
        columns = [v.value for v in result.variables]
        if all(var in columns for var, _ in order[1]):
            spec = [columns.index(var) for var, _ in order[1]]
            cells_of = _Cells(len(columns))
            cols = [f"c{i}" for i in range(len(columns))]
            keys = [f"s{n}{part}" for n in range(len(spec)) for part in "abc"]
            tags = ["t"] if plain else []  # the row's terms told apart: what DISTINCT compares with cols
            db.execute(f"CREATE TEMP TABLE unordered ({', '.join(cols + keys + tags)})")

            def rows():
                for sol in result:
                    cells = cells_of(sol)
                    yield (*(c[1] for c in cells), *(x for i in spec for x in cells[i][0]),
                           *(["\x1f".join(c[3] for c in cells)] if plain else []))

            db.executemany(f"INSERT INTO temp.unordered VALUES ({', '.join('?' * (len(cols) + len(keys) + len(tags)))})",
                           rows())
            by = ", ".join(f"{k} DESC" if order[1][int(k[1:-1])][1] else k for k in keys)
            plain_keys, every = ", ".join(keys), ", ".join(cols + keys)
            tied = db.execute(f"SELECT 1 FROM (SELECT DISTINCT {every} FROM temp.unordered) GROUP BY {plain_keys} "
                              "HAVING COUNT(*) > 1 LIMIT 1").fetchone()
            if tied is None:
                db.execute(f'CREATE TABLE "{table}" (k INTEGER PRIMARY KEY, {", ".join(c + " TEXT" for c in cols)})')
                # distinct rows by grouping in the order asked, then by their text and tags (no two
                # different rows share the keys, so those only order rows alike): one sort on disk
                group = f" GROUP BY {plain_keys}, {', '.join(cols)}, t" if plain else ""
                last = f", {', '.join(cols)}, t" if plain else ""
                count = db.execute(f'INSERT INTO "{table}" ({", ".join(cols)}) '
                                   f'SELECT {", ".join(cols)} FROM temp.unordered{group} ORDER BY {by}{last}').rowcount
                db.execute("DROP TABLE temp.unordered")
                return columns, count, cells_of.kinds
            db.execute("DROP TABLE temp.unordered")
    result = store.query(text)
    columns = [v.value for v in result.variables]
    cells_of = _Cells(len(columns))
    cols = [f"c{i}" for i in range(len(columns))]
    db.execute(f'CREATE TABLE "{table}" (k INTEGER PRIMARY KEY, {", ".join(c + " TEXT" for c in cols)})')
    count = db.executemany(f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})',
                           ([c[1] for c in cells_of(sol)] for sol in result)).rowcount
    return columns, count, cells_of.kinds


_STRINGS_PLAIN = "http://www.w3.org/2001/XMLSchema#string"


def _variants(text: str) -> list[dict[str, str]]:
    """The parameter settings a query's tables are written for: none (the listing), each switch
    its header documents at its example (``all=yes``), and each ``?given_NAME`` switch on with
    NAME left free (who_met_whom's pairs seen from either side, NAME then kept as a column)."""
    from .queries import _GIVEN, _projected, query_examples, query_params

    projected = _projected(text) or set()
    examples = query_examples(text)
    out: list[dict[str, str]] = [{}]
    for p in query_params(text):
        if p in projected and f"?{_GIVEN}{p}" in text:
            out.append({_GIVEN + p: "true"})
        elif p not in projected and p in examples:
            out.append({p: examples[p]})
    return out


def _variant_of(text: str, params: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(the setting whose table answers ``params``, the parameters kept as column filters)."""
    from .queries import _GIVEN, _projected

    projected = _projected(text) or set()
    filters = {p: v for p, v in params.items() if p in projected}
    setting = {p: v for p, v in params.items() if p not in projected}
    setting.update({_GIVEN + p: "true" for p in filters if f"?{_GIVEN}{p}" in text})
    return setting, filters


def _key(setting: dict[str, str]) -> str:
    return json.dumps(setting, sort_keys=True, ensure_ascii=False)


def write_listings(store_dir: Path, target: Path, on_query: Callable[[str, int, int], None] | None = None) -> dict:
    """Run every saved query without parameters (and at each setting of :func:`_variants`) on the
    store at ``store_dir`` and write its rows to the SQLite file ``target`` (a new file); returns
    {name: rows of the listing}. ``on_query(name, done, total)`` hears each query as it is done."""
    import pyoxigraph as ox
    from rdflib import Literal

    from .queries import _GIVEN, load_query, query_params, saved_queries
    from .store import with_values

    store = ox.Store.read_only(str(store_dir))
    names = list(saved_queries())
    counts: dict[str, int] = {}
    db = sqlite3.connect(str(target))
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a new file, published only when the build succeeds
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA temp_store = FILE")  # the unordered rows wait on disk, not in memory
        db.execute("CREATE TABLE listing (name TEXT NOT NULL, setting TEXT NOT NULL, sha256 TEXT NOT NULL, "
                   "tbl TEXT NOT NULL, columns TEXT NOT NULL, rows INTEGER NOT NULL, filters TEXT NOT NULL, "
                   "PRIMARY KEY (sha256, setting))")
        for n, name in enumerate(names):
            text = load_query(name)
            declared = query_params(text)
            for v, setting in enumerate(_variants(text)):
                # a setting's switches are variables the query does not return: a VALUES block
                terms = {k: Literal(True) if k.startswith(_GIVEN) else Literal(val) for k, val in setting.items()}
                table = f"q_{name}_{v}"
                columns, count, kinds = _fill(db, table, store, with_values(text, terms))
                # a ?given_NAME switch changes more than which rows: NAME filters only the table
                # written with it on
                filters = [p for p, (kind, _) in declared.items()
                           if p in columns and (f"?{_GIVEN}{p}" in text) == (_GIVEN + p in setting)
                           and kinds[columns.index(p)] - {None} <= {_IRI if kind == "iri" else _STRING}]
                for p in filters:
                    db.execute(f'CREATE INDEX "i_{table}_{p}" ON "{table}" (c{columns.index(p)})')
                db.execute("INSERT INTO listing VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (name, _key(setting), query_hash(text), table, json.dumps(columns), count,
                            json.dumps(filters)))
                if not setting:
                    counts[name] = count
            if on_query is not None:
                on_query(name, n + 1, len(names))
        db.commit()
    finally:
        db.close()
        del store
    return counts


def _file(graph) -> Path | None:
    """The listings of the build whose store answers for ``graph`` (a graph file or a store
    folder): beside the store's real folder, so a table and the store are of one generation."""
    from .store import store_location

    if not isinstance(graph, (str, Path)):
        return None
    store = store_location(Path(graph))
    if not store.is_dir():
        return None
    path = store.resolve().parent / LISTINGS
    return path if path.is_file() else None


def listing_for(text: str, graph, params: dict | None = None) -> str | None:
    """The name of the table holding ``text``'s answer on ``graph``'s store with ``params``
    (a dict of parameter → string), or None: no table, another text, a parameter not indexed."""
    found = _lookup(text, graph, params or {})
    if found is None:
        return None
    db, table, _, _ = found
    db.close()
    return table


def _lookup(text: str, graph, params: dict):
    """(open database, table, columns, filters) of the table answering ``params``, or None."""
    path = _file(graph)
    if path is None or any(not isinstance(v, str) or v == "" for v in params.values()):
        return None
    setting, filters = _variant_of(text, params)
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        row = db.execute("SELECT tbl, columns, filters FROM listing WHERE sha256 = ? AND setting = ?",
                         (query_hash(text), _key(setting))).fetchone()
    except sqlite3.Error:
        return None
    if row is None or not set(filters) <= set(json.loads(row[2])):
        db.close()
        return None
    return db, row[0], json.loads(row[1]), filters


def read_listing(text: str, graph, params: dict | None = None,
                 limit: int | None = None) -> tuple[list[str], list[list[str]]] | None:
    """(columns, rows) of ``text`` on ``graph`` with ``params`` from its table, at most ``limit``
    rows (only those read); None when no table holds this answer."""
    found = _lookup(text, graph, params or {})
    if found is None:
        return None
    db, table, columns, filters = found
    try:
        keys = sorted(filters)
        where = " AND ".join(f"c{columns.index(p)} = ?" for p in keys)
        sql = (f'SELECT {", ".join(f"c{i}" for i in range(len(columns)))} FROM "{table}"'
               + (f" WHERE {where}" if where else "") + " ORDER BY k" + (" LIMIT ?" if limit is not None else ""))
        args = [filters[p] for p in keys] + ([limit] if limit is not None else [])
        rows = [list(r) for r in db.execute(sql, args)]
    except sqlite3.Error:
        return None
    finally:
        db.close()
    return columns, rows
