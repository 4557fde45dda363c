"""SPARQL as a first-class interface: two engines, parameters, a real endpoint, exports (push: test_push)."""
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from rdflib import Dataset

from graph.sparql.queries import run_saved, saved_queries

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def trig(seeds_build):
    return seeds_build[1] / "graph.trig"


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_oxigraph_and_rdflib_give_the_same_rows(trig, name):
    assert run_saved(name, trig, engine="oxigraph") == run_saved(name, trig, engine="rdflib")


def test_the_build_writes_the_store(seeds_build):
    assert (seeds_build[1] / "store").is_dir()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_parameters_are_bound_as_terms(trig, engine):
    cols, rows = run_saved("people", trig, engine=engine, params={"country": "Canada"})
    assert {r[1] for r in rows} == {"Jody Thomas", "Kirsten Hillman"}
    for hostile in ['} ; DROP ALL', '" } ?x ?y ?z { "', 'Mexico" || true || "']:
        assert run_saved("people", trig, engine=engine, params={"country": hostile})[1] == []
    assert len(run_saved("people", trig, engine=engine)[1]) > 40  # the graph is intact


def _documented_examples():
    """(query, parameter, value) for each parameter's ``e.g.`` in a saved query's header."""
    from graph.sparql.queries import load_query, query_examples

    for name in sorted(saved_queries()):
        for param, value in query_examples(load_query(name)).items():
            yield name, param, value


@pytest.mark.parametrize("name, param, value", list(_documented_examples()))
def test_each_documented_parameter_gives_the_same_rows_on_both_engines(trig, name, param, value):
    """Oxigraph binds a parameter by VALUES and by substitution (see graph.sparql.store); rdflib by
    initBindings: the rows must not depend on it, and the documented example must find some."""
    ox_rows = run_saved(name, trig, engine="oxigraph", params={param: value})
    assert ox_rows == run_saved(name, trig, engine="rdflib", params={param: value})
    assert ox_rows[1], f"{name} --param {param}={value} finds nothing on the seeds"


def test_a_parameter_binds_in_a_query_written_without_where(trig):
    from rdflib import Literal

    from graph.sparql.store import open_store, query_oxigraph

    text = "PREFIX schema: <https://schema.org/> SELECT ?p ?name { ?p schema:name ?name }"
    cols, rows = query_oxigraph(open_store(trig), text, {"name": Literal("Antony Blinken")})
    assert rows == [["https://w3id.org/dialogue-graph/id/person/antony-blinken", "Antony Blinken"]]


def test_an_iri_parameter_must_be_an_iri(trig):
    from typer.testing import CliRunner

    from graph.cli import app
    from graph.sparql.queries import ParameterError

    with pytest.raises(ParameterError, match="is not an IRI"):
        run_saved("fact_support", trig, params={"fact": "x> } ; DROP ALL ; <y"})
    r = CliRunner().invoke(app, ["query", "fact_support", "--graph", str(trig), "--param", "fact=a b"])
    assert r.exit_code == 2 and "is not an IRI" in r.output


def test_unknown_parameter_is_refused(trig):
    with pytest.raises(KeyError, match="takes no parameter 'colour'"):
        run_saved("people", trig, params={"colour": "red"})


def test_every_saved_query_documents_its_columns_and_parameters():
    for name, path in saved_queries().items():
        text = path.read_text()
        assert text.startswith(f"# {name}: ") and "# Columns:" in text, name


@pytest.fixture(scope="module")
def endpoint(seeds_build):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--graph", str(seeds_build[1] / "graph.trig"),
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_for(url, proc)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_endpoint_answers_a_standard_client(endpoint):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    url, proc = endpoint
    client = SPARQLWrapper(url)
    client.setReturnFormat(JSON)
    client.setQuery("PREFIX schema: <https://schema.org/> PREFIX dg: <https://w3id.org/dialogue-graph/ontology#> "
                    "SELECT ?name WHERE { ?p a dg:Official ; schema:name ?name } ORDER BY ?name")
    names = [b["name"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    assert "Antony Blinken" in names
    client.setQuery("ASK { GRAPH ?g { ?s ?p ?o } }")
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5")
    client.setReturnFormat(TURTLE)
    assert len(client.queryAndConvert()) > 0


def test_endpoint_refuses_updates(endpoint):
    url, _ = endpoint
    req = urllib.request.Request(url.replace("/query", "/update"), data=b"DROP ALL", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=5)
    assert 400 <= err.value.code < 500
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    ok = urllib.request.urlopen(urllib.request.Request(url, data=body, headers={
        "Accept": "application/sparql-results+json"}), timeout=5)
    assert json.loads(ok.read())["boolean"] is True


def test_saved_queries_against_the_endpoint(endpoint, trig):
    url, _ = endpoint
    assert run_saved("meetings", endpoint=url) == run_saved("meetings", trig)
    cols, rows = run_saved("meetings", trig)
    assert run_saved("meetings", endpoint=url, limit=3) == (cols, rows[:3])
    assert run_saved("people", endpoint=url, params={"country": "Canada"}) == \
        run_saved("people", trig, params={"country": "Canada"})


@pytest.mark.parametrize("fmt, parse_as", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"),
                                           ("jsonld", "json-ld"), ("jsonld-compact", "json-ld")])
def test_exports_read_back_and_are_stable(trig, tmp_path, fmt, parse_as):
    from typer.testing import CliRunner

    from graph.cli import app

    runner = CliRunner()
    outs = []
    for i in range(2):
        out = tmp_path / f"x{i}.{fmt}"
        r = runner.invoke(app, ["export", "--format", fmt, "--graph", str(trig), "--out", str(out)])
        assert r.exit_code == 0, r.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    back = Dataset()
    back.parse(data=outs[0].decode(), format=parse_as)
    original = Dataset()
    original.parse(trig, format="trig")
    assert len(back) == len(original)


def test_an_open_store_is_reused_until_its_folder_changes(trig, tmp_path):
    """Opening RocksDB costs most of a small question: the same unchanged store folder gives the
    store already open, and a store written again in its place is opened afresh."""
    import shutil

    import pyoxigraph as ox

    from graph.sparql.store import STORE_DIR, open_store

    folder = tmp_path / STORE_DIR
    shutil.copytree(trig.parent / STORE_DIR, folder)
    first = open_store(folder)
    assert open_store(folder) is first
    assert len(first) > 1
    shutil.rmtree(folder)
    other = ox.Store(str(tmp_path / "other"))
    other.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")))
    other.flush()
    del other
    shutil.copytree(tmp_path / "other", folder)
    again = open_store(folder)
    assert again is not first and len(again) == 1
