"""Listings kept with the graph (graph.sparql.listings): every table holds exactly what its saved
query answers on the store beside it — without parameters, and with each parameter it indexes —
and a query whose text the build did not run is asked live."""
import json
import sqlite3
from pathlib import Path

from graph.sparql.listings import LISTINGS, listing_for
from graph.sparql.queries import load_query, query_examples, run_saved, saved_queries


def _tables(out):
    """Each table: (query name, its setting, table name, columns, indexed columns, its rows)."""
    db = sqlite3.connect(str(out / LISTINGS))
    try:
        return [(name, json.loads(setting), tbl, json.loads(cols), json.loads(filters),
                 [list(r) for r in db.execute(f'SELECT * FROM "{tbl}" ORDER BY k')])
                for name, setting, tbl, cols, filters in
                db.execute("SELECT name, setting, tbl, columns, filters FROM listing ORDER BY tbl")]
    finally:
        db.close()


def _same_as_the_query(out, values_per_parameter):
    """Every table, at its setting and with each indexed parameter (its documented example and
    ``values_per_parameter`` values of its column), against the engine running the query."""
    graph = out / "graph.trig"
    tables = _tables(out)
    assert {t[0] for t in tables if not t[1]} == set(saved_queries())
    assert {(t[0], json.dumps(t[1])) for t in tables} >= {("who_met_whom", '{"all": "yes"}'),
                                                          ("who_met_whom", '{"given_person1": "true"}')}
    checked = 0
    for name, setting, table, columns, filters, stored in tables:
        text = load_query(name)
        every = [r[1:] for r in stored]  # without k
        switches = {k: v for k, v in setting.items() if not k.startswith("given_")}
        given = [k[len("given_"):] for k in setting if k.startswith("given_")]
        if not given:  # a table asked for as it is: the listing, or a switch at its documented value
            assert listing_for(text, graph, switches) == table
            for limit in (None, 3, 0):
                got = run_saved(name, graph, params=switches, limit=limit)
                assert got == run_saved(name, graph, params=switches, limit=limit, listings=False), name
                assert got == (columns, every[:limit])
        for param in filters:
            if given and param not in given:
                continue
            seen = sorted({r[columns.index(param)] for r in every} - {""})
            step = max(1, len(seen) // values_per_parameter)
            values = seen[::step][:values_per_parameter] + [query_examples(text).get(param, seen[0] if seen else "x")]
            for value in values:
                params = {**switches, param: value}
                assert listing_for(text, graph, params) == table
                got = run_saved(name, graph, params=params)
                assert got == run_saved(name, graph, params=params, listings=False), (name, params)
                assert got[1] == [r for r in every if r[columns.index(param)] == value]
                assert run_saved(name, graph, params=params, limit=2)[1] == got[1][:2]
                checked += 1
    return checked


def test_every_table_answers_as_its_query_on_the_seeds(seeds_build):
    assert _same_as_the_query(seeds_build[1], 1000) > 100


def test_every_table_answers_as_its_query_on_dev(dev_build):
    assert _same_as_the_query(dev_build, 8) > 50


def test_switches_have_tables_of_their_own(seeds_build):
    """who_met_whom's all=yes is a table of its own; person1 (a ?given_person1 switch: pairs seen
    from either side) is read from the table written with that switch on, never from the listing's
    (each pair once there); both together are asked live."""
    graph = seeds_build[1] / "graph.trig"
    text = load_query("who_met_whom")
    assert listing_for(text, graph, {"all": "yes"}) == "q_who_met_whom_2"
    assert listing_for(text, graph, {"person1": "Antony Blinken"}) == "q_who_met_whom_1"
    assert listing_for(text, graph, {"person1": "Antony Blinken", "all": "yes"}) is None
    assert listing_for(text, graph, {"all": "no"}) is None
    blinken = run_saved("who_met_whom", graph, params={"person1": "Antony Blinken"})[1]
    assert blinken and all(r[0] == "Antony Blinken" for r in blinken)
    # Blinken sorts before some of his counterparts and after others: the listing alone has fewer rows
    listed = [r for r in run_saved("who_met_whom", graph)[1] if "Antony Blinken" in r[:2]]
    assert len(blinken) == len(listed) and listed != blinken


def test_an_edited_query_is_asked_live(seeds_build, tmp_path):
    graph = seeds_build[1] / "graph.trig"
    text = load_query("people")
    same = tmp_path / "mine.rq"
    same.write_text(text, encoding="utf-8")
    assert listing_for(same.read_text(encoding="utf-8"), graph) == "q_people_0"  # the same text: the same answer
    edited = tmp_path / "edited.rq"
    edited.write_text(text.replace("ORDER BY ?name ?article ?title", "ORDER BY ?article ?name ?title"),
                      encoding="utf-8")
    assert listing_for(edited.read_text(encoding="utf-8"), graph) is None
    rows = run_saved(str(edited), graph)[1]
    assert rows != run_saved("people", graph)[1] and sorted(rows) == sorted(run_saved("people", graph)[1])
    assert listing_for(text, graph, {"name": "Antony Blinken", "nosuch": "x"}) is None
    assert listing_for(text, graph, {"name": ""}) is None


def test_a_build_without_a_store_keeps_no_listings(tmp_path, nlp, kb):
    from graph.pipeline import build

    out = tmp_path / "out"
    summary = build(Path(__file__).resolve().parent.parent / "seeds", out, nlp=nlp, kb=kb, draw=False, store=False)
    assert LISTINGS not in summary.outputs and not (out / LISTINGS).exists()


def test_a_build_asked_for_no_listings_keeps_none_and_queries_still_answer(tmp_path, nlp, kb):
    """``listings=False`` (``build --no-listings``): the store is written, no listings file, and one
    an earlier build left is removed with it (never older than the graph); queries are asked live."""
    from graph.pipeline import build
    from graph.sparql.queries import run_saved

    seeds, out = Path(__file__).resolve().parent.parent / "seeds", tmp_path / "out"
    build(seeds, out, nlp=nlp, kb=kb, draw=False)
    kept = run_saved("people", out / "graph.trig")[1]
    assert (out / LISTINGS).exists() and listing_for(load_query("people"), out / "graph.trig") is not None
    summary = build(seeds, out, nlp=nlp, kb=kb, draw=False, listings=False)
    assert LISTINGS not in summary.outputs and not (out / LISTINGS).exists() and (out / "store").is_dir()
    assert listing_for(load_query("people"), out / "graph.trig") is None
    assert run_saved("people", out / "graph.trig")[1] == kept


def test_an_order_with_ties_is_the_engines_own():
    """Rows the ORDER BY cannot tell apart come in the engine's order: the listing runs such a
    query as written rather than sorting it itself; a descending count is sorted here."""
    import pyoxigraph as ox

    from graph.sparql.listings import _fill
    from graph.sparql.store import query_oxigraph

    store = ox.Store()
    ex = "http://example.org/"
    for i in range(40):
        store.add(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}name"), ox.Literal(f"n{i % 3}")))
        store.add(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}count"), ox.Literal(i % 7)))
    for text in (f"SELECT ?s ?n WHERE {{ ?s <{ex}name> ?n }} ORDER BY ?n",
                 f"SELECT ?s ?c WHERE {{ ?s <{ex}count> ?c }} ORDER BY DESC(?c) ?s",
                 f"SELECT ?s ?n WHERE {{ ?s <{ex}name> ?n }} ORDER BY DESC(?n) ?s",
                 f"SELECT ?n (COUNT(?s) AS ?k) WHERE {{ ?s <{ex}name> ?n }} GROUP BY ?n ORDER BY DESC(?k) ?n",
                 f"SELECT ?s ?c WHERE {{ ?s <{ex}name> ?n OPTIONAL {{ ?s <{ex}count> ?c FILTER(?c > 3) }} }} "
                 "ORDER BY ?c ?s",
                 f"SELECT ?s ?c WHERE {{ ?s <{ex}name> ?n OPTIONAL {{ ?s <{ex}count> ?c FILTER(?c > 3) }} }} "
                 "ORDER BY DESC(?c) DESC(?s)"):
        db = sqlite3.connect(":memory:")
        columns, count, _ = _fill(db, "t", store, text)
        rows = [list(r[1:]) for r in db.execute('SELECT * FROM "t" ORDER BY k')]
        assert (columns, rows) == query_oxigraph(store, text) and count == len(rows), text


def test_a_distinct_listing_is_made_distinct_on_disk_telling_terms_apart_as_sparql_does(tmp_path):
    """Oxigraph's DISTINCT holds every row it has seen in memory: a listing asks without it and
    SQLite keeps one row per distinct terms. Terms of the same text stay apart (2 as an integer,
    a decimal and a double; "x"@en and "x"; an IRI and a string of its characters), as the
    engine's DISTINCT keeps them; the same terms found twice (each row here is found twice) are
    one row. (Oxigraph stores "02"^^xsd:integer as 2: one term.)"""
    import pyoxigraph as ox

    from graph.sparql.listings import _fill

    store = ox.Store()
    store.load(b"""@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <http://e/1> <http://e/p> 2, "2.0"^^xsd:decimal, "02"^^xsd:integer, "2"^^xsd:double ; <http://e/q> 1, 2 .
        <http://e/2> <http://e/p> "x"@en, "x"@es, "x" ; <http://e/q> 1, 2 .
        <http://e/3> <http://e/p> <http://e/b>, "http://e/b" ; <http://e/q> 1, 2 .""", format=ox.RdfFormat.TURTLE)
    text = "SELECT DISTINCT ?s ?v WHERE { ?s <http://e/p> ?v ; <http://e/q> ?w }\nORDER BY ?s"
    asked = []

    class Asked:
        def query(self, q, **kw):
            asked.append(q)
            return store.query(q, **kw)

    db = sqlite3.connect(str(tmp_path / "l.sqlite"))
    columns, count, _ = _fill(db, "t", Asked(), text)
    engine = [[sol[c].value for c in columns] for sol in store.query(text)]
    assert count == len(engine) == 8
    assert [list(r) for r in db.execute("SELECT c0, c1 FROM t ORDER BY k")] == engine
    assert asked and "DISTINCT" not in asked[0]  # the engine was not asked to keep them in memory
