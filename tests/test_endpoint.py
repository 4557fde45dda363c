"""`serve` as an attacker and an unlucky user meet it: outbound queries refused, a runaway query
stopped, an engine crash survived, a rebuilt graph served."""
import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from graph.pipeline import build

from .conftest import ROOT, SEEDS
from .test_guard import DEEP
from .test_sparql import free_port, wait_for

TIMEOUT = 2  # the endpoint's --timeout in these tests, seconds
COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def served(tmp_path_factory, nlp, kb):
    """A build of the seeds served with a short timeout: (url, out folder, the server's stderr file)."""
    out = tmp_path_factory.mktemp("served")
    build(SEEDS, out, nlp=nlp, kb=kb, draw=False)
    log = out.parent / f"{out.name}.stderr"
    port = free_port()
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--graph", str(out / "graph.trig"),
                                 "--port", str(port), "--timeout", str(TIMEOUT)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_for(url, proc)
        yield url, out, log, proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def ask(url: str, query: str, timeout: float = 60, **fields) -> tuple[int, str]:
    """(HTTP status, body) of a query POSTed as a form."""
    body = urllib.parse.urlencode({"query": query, **fields}).encode()
    req = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def count(url: str, query: str = COUNT_GRAPHS) -> int:
    status, body = ask(url, query)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("query, fields", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", {}),
    ("SELECT * FROM <file:///etc/hosts> WHERE { ?s ?p ?o }", {}),
    ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": "file:///etc/hosts"}),
])
def test_the_endpoint_refuses_outbound_queries(served, query, fields):
    url = served[0]
    status, body = ask(url, query, **fields)
    assert status == 403 and body.startswith("query refused:") and body.count("\n") == 1
    get = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query, **fields})}")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(get, timeout=30)
    assert err.value.code == 403
    sparql_query = urllib.request.Request(url, data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    if not fields:
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(sparql_query, timeout=30)
        assert err.value.code == 403


def test_a_huge_request_body_is_refused_unread(served):
    import http.client

    host, port = urllib.parse.urlsplit(served[0]).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("POST", "/query")
    conn.putheader("Content-Type", "application/sparql-query")
    conn.putheader("Content-Length", str(10 << 30))  # 10 GB announced, none sent
    conn.endheaders()
    resp = conn.getresponse()
    assert resp.status == 413 and resp.read().decode().startswith("a request body is at most")
    conn.close()


def test_a_runaway_query_is_stopped_and_the_endpoint_answers_on(served):
    url, _, log, _ = served
    started = time.monotonic()
    status, body = ask(url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    assert status == 503 and f"ran longer than {TIMEOUT} s" in body
    assert time.monotonic() - started < 30  # stopped, not finished (it runs for many minutes)
    assert count(url) == 5
    assert f"a query ran longer than {TIMEOUT} s: stopped it" in log.read_text()


def test_an_engine_crash_restarts_the_engine_and_says_so(served):
    url, _, log, proc = served
    status, body = ask(url, "SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }")
    assert status == 500 and body.startswith("the Oxigraph engine crashed on this query")
    assert proc.poll() is None and count(url) == 5
    lines = [line for line in log.read_text().splitlines() if "crashed" in line]
    assert len(lines) == 1 and lines[0].endswith("restarted the engine")


def test_after_a_rebuild_the_endpoint_serves_the_new_graph(served, tmp_path, nlp, kb):
    url, out, log, _ = served
    assert count(url) == 5
    four = tmp_path / "four"
    four.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:4]:
        shutil.copy(path, four / path.name)
    build(four, out, nlp=nlp, kb=kb, draw=False)
    assert count(url) == 4
    assert "the store was rebuilt: serving the new one" in log.read_text()
