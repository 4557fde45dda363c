"""Listings kept with the graph (graph.sparql.listings): every table holds exactly what its saved
query answers on the store beside it — without parameters, and with each parameter it indexes —
and a query whose text the build did not run is asked live."""
import json
import sqlite3
from pathlib import Path

import pytest

from graph.sparql.listings import LISTINGS, listing_for
from graph.sparql.queries import load_query, query_examples, run_saved, saved_queries


def _tables(out):
    db = sqlite3.connect(str(out / LISTINGS))
    try:
        return {name: (json.loads(cols), json.loads(filters))
                for name, cols, filters in db.execute("SELECT name, columns, filters FROM listing")}
    finally:
        db.close()


def _same_as_the_query(out, values_per_parameter):
    """Every saved query, without parameters and with each indexed parameter (its documented
    example and ``values_per_parameter`` values of its column), from the table and from the engine."""
    graph = out / "graph.trig"
    tables = _tables(out)
    assert set(tables) == set(saved_queries())
    checked = 0
    for name, (columns, filters) in sorted(tables.items()):
        text = load_query(name)
        assert listing_for(text, graph) == name
        for limit in (None, 3, 0):
            assert run_saved(name, graph, limit=limit) == run_saved(name, graph, limit=limit, listings=False), name
        _, every = run_saved(name, graph)
        for param in filters:
            seen = sorted({r[columns.index(param)] for r in every} - {""})
            step = max(1, len(seen) // values_per_parameter)
            values = seen[::step][:values_per_parameter] + [query_examples(text).get(param, seen[0] if seen else "x")]
            for value in values:
                assert listing_for(text, graph, {param: value}) == name
                got = run_saved(name, graph, params={param: value})
                assert got == run_saved(name, graph, params={param: value}, listings=False), (name, param, value)
                assert got[1] == [r for r in every if r[columns.index(param)] == value]
                checked += 1
    return checked


def test_every_table_answers_as_its_query_on_the_seeds(seeds_build):
    assert _same_as_the_query(seeds_build[1], 1000) > 100


def test_every_table_answers_as_its_query_on_dev(dev_build):
    assert _same_as_the_query(dev_build, 8) > 50


def test_a_switch_parameter_is_asked_live(seeds_build):
    """who_met_whom's person1 changes which pairs count (?given_person1), not which rows are kept:
    never answered from the table."""
    graph = seeds_build[1] / "graph.trig"
    text = load_query("who_met_whom")
    assert listing_for(text, graph, {"person1": "Antony Blinken"}) is None
    assert listing_for(text, graph, {"all": "yes"}) is None
    assert run_saved("who_met_whom", graph, params={"person1": "Antony Blinken"})[1]


def test_an_edited_query_is_asked_live(seeds_build, tmp_path):
    graph = seeds_build[1] / "graph.trig"
    text = load_query("people")
    same = tmp_path / "mine.rq"
    same.write_text(text, encoding="utf-8")
    assert listing_for(same.read_text(encoding="utf-8"), graph) == "people"  # the same text: the same answer
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


def test_an_order_with_ties_is_the_engines_own():
    """Rows the ORDER BY cannot tell apart come in the engine's order: the listing runs such a
    query as written rather than sorting it itself; a descending count is sorted here."""
    import pyoxigraph as ox

    from graph.sparql.listings import _sorted_rows
    from graph.sparql.store import query_oxigraph, _ox_plain

    store = ox.Store()
    ex = "http://example.org/"
    for i in range(40):
        store.add(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}name"), ox.Literal(f"n{i % 3}")))
        store.add(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}count"), ox.Literal(i % 7)))
    for text in (f"SELECT ?s ?n WHERE {{ ?s <{ex}name> ?n }} ORDER BY ?n",
                 f"SELECT ?s ?c WHERE {{ ?s <{ex}count> ?c }} ORDER BY DESC(?c) ?s",
                 f"SELECT ?s ?n WHERE {{ ?s <{ex}name> ?n }} ORDER BY DESC(?n) ?s",
                 f"SELECT ?n (COUNT(?s) AS ?k) WHERE {{ ?s <{ex}name> ?n }} GROUP BY ?n ORDER BY DESC(?k) ?n"):
        columns, rows = _sorted_rows(store, text)
        assert (columns, [[_ox_plain(t) for t in r] for r in rows]) == query_oxigraph(store, text), text
