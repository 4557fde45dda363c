"""push into real server stores: OpenLink Virtuoso 7 (the Debian package, started in a temporary
folder) and `oxigraph serve`; every saved query then gives, through `query --endpoint`, the rows
the embedded store gives. Locally the Virtuoso tests skip when the package is absent; under CI
(CI=true) they fail instead, as the browser tests do."""
from __future__ import annotations

import base64
import http.server
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.sparql.push import RESOLVED_GRAPH, push
from graph.sparql.queries import query_examples, saved_queries
from graph.sparql.store import EngineError, serve_command

from .conftest import ROOT
from .test_sparql import free_port, wait_for

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
USER, PASSWORD = "dialogue", "s3cret-for-tests"
runner = CliRunner()


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def trig(seeds_build) -> Path:
    return seeds_build[1] / "graph.trig"


def count_statements(endpoint: str) -> int:
    """Statements in the project's graphs on the store (the store's own system graphs left out)."""
    query = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
             "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/dialogue-graph/')) }")
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode({"query": query}).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return int(json.loads(resp.read())["results"]["bindings"][0]["n"]["value"])


def cli(*args: str, password: str | None = None):
    env = {"DIALOGUE_GRAPH_PASSWORD": password} if password is not None else {}
    return runner.invoke(app, list(args), env=env)


def calls():
    """Every saved query, bare and with each parameter its header documents."""
    for name, path in saved_queries().items():
        yield name, []
        for pname, value in query_examples(path.read_text(encoding="utf-8")).items():
            yield name, ["--param", f"{pname}={value}"]


def assert_same_rows(trig: Path, endpoint: str) -> None:
    """Each saved query through `query --endpoint` gives the embedded store's rows, in its order."""
    checked = 0
    for name, params in calls():
        local = cli("query", name, "--graph", str(trig), "--format", "json", *params)
        remote = cli("query", name, "--endpoint", endpoint, "--format", "json", *params)
        assert local.exit_code == 0 and remote.exit_code == 0, (name, params, local.output, remote.output)
        assert json.loads(remote.stdout) == json.loads(local.stdout), (name, params)
        checked += bool(json.loads(local.stdout))
    assert checked >= len(saved_queries())  # most calls have rows to compare, not two empty lists


# --- Virtuoso ---------------------------------------------------------------------------------

VIRTUOSO_INI = """\
[Database]
DatabaseFile       = virtuoso.db
ErrorLogFile       = virtuoso.log
LockFile           = virtuoso.lck
TransactionFile    = virtuoso.trx
xa_persistent_file = virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort           = {sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 5
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = .
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = {http_port}
ServerRoot           = .
MaxClientConnections = 5
ServerThreads        = 5
Charset              = UTF-8

[SPARQL]
; the Debian default (10,000) cuts longer results short without a word
ResultSetMaxRows      = 1000000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A fresh Virtuoso in a temporary folder on free ports, with a user who may write through
    the Graph Store Protocol: (http base URL, process)."""
    if not (VIRTUOSO and ISQL):
        if os.environ.get("CI"):
            pytest.fail("Virtuoso is not installed (CI must install the virtuoso-opensource package)")
        pytest.skip("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port))
    proc = subprocess.Popen([VIRTUOSO, "+configfile", "virtuoso.ini", "+foreground"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for(base + "/sparql", proc, seconds=60)  # a fresh database: ~4 s
        # the README's grant: a user of its own with the write role (dba's password is the fresh
        # database's default, known to anyone; never the account to push with)
        grant = subprocess.run([ISQL, str(sql_port), "dba", "dba",
                                f"exec=DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\";"],
                               capture_output=True, text=True, timeout=60, check=False)
        assert grant.returncode == 0 and "Error" not in grant.stdout, grant.stdout + grant.stderr
        yield base, proc
    finally:
        stop(proc)


@pytest.mark.virtuoso
def test_push_into_virtuoso_with_digest_then_every_saved_query_gives_the_same_rows(virtuoso, trig):
    base, _ = virtuoso
    crud = base + "/sparql-graph-crud-auth"
    # chunks of 500: every article's graph goes in several requests (a PUT, then POSTs)
    r = cli("push", "--endpoint", crud, "--graph", str(trig), "--user", USER, "--chunk", "500", password=PASSWORD)
    assert r.exit_code == 0, r.output
    assert "sent 6 graphs" in r.stdout and RESOLVED_GRAPH in r.stdout
    total = sum(1 for _ in open_quads(trig))
    assert count_statements(base + "/sparql") == total
    # a second push replaces each graph, adding nothing
    r = cli("push", "--endpoint", crud, "--graph", str(trig), "--user", USER, password=PASSWORD)
    assert r.exit_code == 0, r.output
    assert count_statements(base + "/sparql") == total
    # Virtuoso's default graph is the union of its graphs: the saved queries answer as written
    assert_same_rows(trig, base + "/sparql")


@pytest.mark.virtuoso
def test_virtuoso_refusals_are_one_line_naming_the_graph_and_the_status(virtuoso, trig):
    base, _ = virtuoso
    crud = base + "/sparql-graph-crud-auth"
    first = "<https://w3id.org/dialogue-graph/id/article/000-"
    cases = [
        (["--endpoint", crud], None, "HTTP 401", first),  # no user
        (["--endpoint", crud, "--user", USER], "wrong", "HTTP 401", first),
        (["--endpoint", base + "/sparql-graph-crud"], None, "HTTP 403", first),  # anonymous may not write
        (["--endpoint", crud, "--user", USER, "--default-graph", "default"], PASSWORD, "HTTP 500", "the default graph"),
    ]
    for args, password, status, graph in cases:
        r = cli("push", "--graph", str(trig), *args, password=password)
        assert r.exit_code == 1, r.output
        (line,) = r.output.strip().splitlines()
        assert line.startswith(f"error: {args[1]}: {status}") and graph in line and "Traceback" not in line, line
    r = cli("push", "--graph", str(trig), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert r.exit_code == 1 and "cannot reach the store" in r.output and len(r.output.strip().splitlines()) == 1


def open_quads(trig: Path):
    import pyoxigraph as ox

    return ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)


# --- Oxigraph server ----------------------------------------------------------------------------

@pytest.fixture
def oxigraph(tmp_path):
    """A writable `oxigraph serve` on a free port; its default graph is the store's own (push to
    the resolved graph, then query with ?union-default-graph)."""
    port = free_port()
    proc = subprocess.Popen(serve_command(tmp_path / "remote", "127.0.0.1", port, writable=True),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query", proc)
        yield base
    finally:
        stop(proc)


def test_push_into_oxigraph_server_then_every_saved_query_gives_the_same_rows(oxigraph, trig):
    r = cli("push", "--endpoint", oxigraph + "/store", "--graph", str(trig.parent))  # a build folder will do
    assert r.exit_code == 0, r.output
    assert "sent 6 graphs" in r.stdout
    assert count_statements(oxigraph + "/query") == sum(1 for _ in open_quads(trig))
    assert_same_rows(trig, oxigraph + "/query?union-default-graph")


def test_push_into_the_store_default_graph_when_it_has_one(oxigraph, trig):
    r = cli("push", "--endpoint", oxigraph + "/store", "--graph", str(trig), "--default-graph", "default")
    assert r.exit_code == 0, r.output
    assert "the store's default graph" in r.stdout
    assert_same_rows(trig, oxigraph + "/query")  # no union asked: the entities are in the default graph


def test_push_streams_bounded_requests_and_reports_progress(oxigraph, trig, capsys):
    events = []
    result = push(trig, oxigraph + "/store", chunk=200, on_progress=events.append)
    out, err = capsys.readouterr()
    assert out == "" and err == ""  # the library draws nothing
    total = sum(1 for _ in open_quads(trig))
    assert result.triples == total and result.graphs == 6 and result.chunks == len(events) > 6
    sent = [0] + [e.sent for e in events]
    assert all(0 < b - a <= 200 for a, b in itertools.pairwise(sent))  # no request over the chunk size
    assert {e.total for e in events} == {total} and events[-1].sent == total
    assert events[-1].graph == RESOLVED_GRAPH  # the default graph, sent last, under its named graph
    assert count_statements(oxigraph + "/query") == total


def test_a_damaged_graph_sends_nothing(oxigraph, trig, tmp_path):
    bad = tmp_path / "graph.trig"
    text = trig.read_text(encoding="utf-8")
    bad.write_text(text[: len(text) * 3 // 4] + "\n<broken", encoding="utf-8")  # damaged near its end
    with pytest.raises(EngineError, match="cannot read graph"):
        push(bad, oxigraph + "/store")
    assert count_statements(oxigraph + "/query") == 0


def test_a_blank_node_is_never_split_between_requests(oxigraph, tmp_path):
    trig = tmp_path / "graph.trig"
    trig.write_text('<http://ex/g> { <http://ex/a> <http://ex/p> "1" . <http://ex/a> <http://ex/q> _:b . '
                    '_:b <http://ex/r> "2" . _:b <http://ex/s> "3" . <http://ex/a> <http://ex/t> "4" . }\n'
                    '<http://ex/h> { <http://ex/a> <http://ex/p> "5" . <http://ex/a> <http://ex/p> "6" . }\n')
    result = push(trig, oxigraph + "/store", chunk=1)
    # <g>: its first statement, then all from the first blank node on in one request; <h> in two
    assert (result.graphs, result.triples, result.chunks) == (2, 7, 4)
    query = "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH ?g { ?a <http://ex/q> ?b . ?b <http://ex/r> ?x ; <http://ex/s> ?y } }"
    req = urllib.request.Request(oxigraph + "/query", data=urllib.parse.urlencode({"query": query}).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    assert json.loads(urllib.request.urlopen(req, timeout=10).read())["results"]["bindings"][0]["n"]["value"] == "1"
    assert count_statements(oxigraph + "/query") == 0  # <http://ex/…> graphs are not the project's
    trig.write_text('_:g { <http://ex/a> <http://ex/p> "1" . }\n')
    with pytest.raises(EngineError, match="blank node"):
        push(trig, oxigraph + "/store")


# --- HTTP Basic (Fuseki, GraphDB) ----------------------------------------------------------------

def basic_guard(upstream: str):
    """A gate in front of the Oxigraph server that, as Fuseki and GraphDB do, answers a request
    without the right Basic credentials with 401 and a Basic challenge, and forwards the others."""
    token = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    class Gate(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def forward(self):
            if self.headers.get("Authorization") != token:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="store"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            req = urllib.request.Request(upstream + self.path, data=body, method=self.command,
                                         headers={"Content-Type": self.headers["Content-Type"]})
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    status, data = resp.status, resp.read()
            except urllib.error.HTTPError as exc:
                status, data = exc.code, exc.read()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_PUT = do_POST = forward

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_push_answers_a_basic_challenge(oxigraph, trig):
    gate = basic_guard(oxigraph)
    try:
        url = f"http://127.0.0.1:{gate.server_address[1]}/store"
        r = cli("push", "--endpoint", url, "--graph", str(trig))
        assert r.exit_code == 1 and "HTTP 401" in r.output and "asks for a user and password" in r.output
        r = cli("push", "--endpoint", url, "--graph", str(trig), "--user", USER, password=PASSWORD)
        assert r.exit_code == 0, r.output
        assert count_statements(oxigraph + "/query") == sum(1 for _ in open_quads(trig))
    finally:
        gate.shutdown()
        gate.server_close()


def test_the_password_never_comes_from_the_command_line(trig):
    r = runner.invoke(app, ["push", "--endpoint", "http://127.0.0.1:9/store", "--graph", str(trig),
                            "--user", USER, "--password", "x"])
    assert r.exit_code == 2 and "No such option" in r.output
    # no DIALOGUE_GRAPH_PASSWORD and no terminal to ask on: one line saying where it comes from
    env = {k: v for k, v in os.environ.items() if k != "DIALOGUE_GRAPH_PASSWORD"}
    proc = subprocess.run([sys.executable, "-m", "graph", "push", "--endpoint", "http://127.0.0.1:9/store",
                           "--graph", str(trig), "--user", USER],
                          cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 2 and "DIALOGUE_GRAPH_PASSWORD" in proc.stderr
