"""A query reaches this dataset only, on every engine, and an engine crash is one line."""
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.sparql.guard import QueryRefused, refuse_outbound
from graph.sparql.queries import run_saved, saved_queries

from .conftest import ROOT

# a query nested this deep overflows Oxigraph's stack (0.5.13): a real engine crash on any data
DEEP = 20_000


@pytest.fixture(scope="module")
def trig(seeds_build):
    return seeds_build[1] / "graph.trig"


@pytest.fixture
def secret(tmp_path):
    """A local RDF file a query must not read (rdflib fetches a FROM IRI by default)."""
    path = tmp_path / "secret.ttl"
    path.write_text("<urn:x> <urn:is> \"the secret\" .\n", encoding="utf-8")
    return path


REFUSED = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",  # a codepoint escape
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:9/sparql> { } }",
    "SELECT * WHERE { ?s <urn:a\\'b> ?o } SERVICE <http://127.0.0.1:9/> { }",
    "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX f: <file:///etc/> SELECT * FROM f:hosts WHERE { ?s ?p ?o }",
    "SELECT * FROM unknown:name WHERE { ?s ?p ?o }",
]
ALLOWED = [
    "SELECT ?service WHERE { ?service ?p 'SERVICE <http://x/>' } # SERVICE <http://x/>",
    "PREFIX ex: <urn:ex:> SELECT * WHERE { ?s ex:SERVICE ?o FILTER(?s<?o) }",
    "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/dialogue-graph/id/article/000-535c8822014ccfb0> "
    "WHERE { ?s ?p ?o }",
    "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY STR(?o) LIMIT 1",
]


@pytest.mark.parametrize("text", REFUSED)
def test_service_and_foreign_from_are_refused_whatever_the_spelling(text):
    with pytest.raises(QueryRefused, match="--allow-service"):
        refuse_outbound(text)
    refuse_outbound(text, allow_service=True)


@pytest.mark.parametrize("text", ALLOWED)
def test_the_keyword_in_a_string_a_name_or_a_comment_is_no_keyword(text):
    refuse_outbound(text)


@pytest.mark.parametrize("engine, isolate", [("oxigraph", False), ("oxigraph", True), ("rdflib", False)])
def test_every_local_engine_refuses_a_foreign_from_and_service(trig, secret, tmp_path, engine, isolate):
    for text in (f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
                 "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"):
        rq = tmp_path / "q.rq"
        rq.write_text(text, encoding="utf-8")
        with pytest.raises(QueryRefused):
            run_saved(str(rq), trig, engine=engine, isolate=isolate)
    local = tmp_path / "local.rq"
    local.write_text(ALLOWED[2], encoding="utf-8")
    assert int(run_saved(str(local), trig, engine=engine, isolate=isolate)[1][0][0]) > 100


def test_rdflib_never_fetches_a_from_iri_even_when_allowed_to_name_it(trig, secret, tmp_path):
    """With --allow-service a FROM names a graph: rdflib reads it as the dataset's, not the file."""
    rq = tmp_path / "q.rq"
    rq.write_text(f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}", encoding="utf-8")
    rows = run_saved(str(rq), trig, engine="rdflib", allow_service=True)[1]
    assert ["the secret"] in rows  # what --allow-service is for: the user asked for it
    with pytest.raises(QueryRefused):
        run_saved(str(rq), trig, engine="rdflib")


def test_the_query_command_refuses_in_one_line(trig, tmp_path):
    rq = tmp_path / "service.rq"
    rq.write_text(REFUSED[0], encoding="utf-8")
    for engine in ("oxigraph", "rdflib"):
        r = CliRunner().invoke(app, ["query", str(rq), "--graph", str(trig), "--engine", engine])
        assert r.exit_code == 2 and r.output.count("\n") == 1 and "query refused: SERVICE" in r.output


@pytest.mark.parametrize("url", ["file:///etc/hosts", "ftp://127.0.0.1/x"])
def test_an_endpoint_is_http_only(url):
    r = CliRunner().invoke(app, ["query", "people", "--endpoint", url])
    assert r.exit_code == 1 and r.output.strip() == f"error: {url}: an endpoint is an http:// or https:// URL"


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_a_query_in_its_own_process_gives_the_same_rows(trig, name):
    assert run_saved(name, trig, isolate=True) == run_saved(name, trig)


def test_an_engine_crash_is_one_line_not_the_end_of_the_command(trig, tmp_path):
    rq = tmp_path / "deep.rq"
    rq.write_text("SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "graph", "query", str(rq), "--graph", str(trig)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr[-500:]
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: the Oxigraph engine crashed on this query")


def test_the_query_command_stops_a_query_at_its_timeout(trig, tmp_path):
    rq = tmp_path / "join.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", encoding="utf-8")
    r = CliRunner().invoke(app, ["query", str(rq), "--graph", str(trig), "--timeout", "1"])
    assert r.exit_code == 1 and r.output.strip() == "error: the query ran longer than 1 s and was stopped"
