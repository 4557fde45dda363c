"""Send a built graph to a server store through the SPARQL 1.1 Graph Store Protocol.

Any store that speaks the protocol takes it the same way: Oxigraph (``/store``), Virtuoso
(``/sparql-graph-crud-auth``), Fuseki (``/DATASET/data``), GraphDB
(``/repositories/REPO/rdf-graphs/service``). Each article's named graph replaces the graph of
the same name in the store; the default graph (the resolved entities) goes to the named graph
:data:`RESOLVED_GRAPH` unless told otherwise, since not every store has a default graph to
write to (Virtuoso refuses ``?default``). The saved queries then run with that graph as their
default graph: the SPARQL protocol's ``default-graph-uri`` parameter on the query URL (README,
Scaling out).

graph.trig is read twice, streamed, never held whole: once to check it parses and count its
statements (so a damaged file sends nothing and progress has a total), once to send it in
requests of at most ``chunk`` statements — the first request of a graph a PUT (replace), the
next ones POSTs (add). Memory stays flat in the number of articles but for the set of graph
names sent. The build mints no blank nodes; a graph that has some is sent in one request, since
a blank node split across two requests would become two nodes.

Writes are guarded on real stores: with a user, the password answers the store's challenge,
HTTP Digest (Virtuoso) or Basic (Fuseki, GraphDB), whichever it asks for.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from ..vocab import ID
from .store import EngineError

__all__ = ["RESOLVED_GRAPH", "STORE_DEFAULT", "CHUNK", "PushProgress", "PushResult", "push"]

# the named graph that takes the resolved entities (the build's default graph)
RESOLVED_GRAPH = str(ID["graph/resolved"])
# ``default_graph=STORE_DEFAULT``: the store's own default graph (GSP ``?default``), on stores that have one
STORE_DEFAULT = "default"
# statements a request: ~3 MB of N-Triples, small enough for any store's request limit, large
# enough that the seeds go in one request a graph
CHUNK = 20_000


@dataclass(frozen=True)
class PushProgress:
    """Where a push is: statements sent of the total, and the graph being sent."""

    graph: str
    sent: int
    total: int


@dataclass(frozen=True)
class PushResult:
    """What a push sent: graphs, statements, requests (chunks), and where the resolved entities went."""

    graphs: int
    triples: int
    chunks: int
    default_graph: str


def push(trig: Path, url: str, *, default_graph: str = RESOLVED_GRAPH, user: str | None = None,
         password: str | None = None, chunk: int = CHUNK, timeout: float = 300,
         on_progress: Callable[[PushProgress], None] | None = None) -> PushResult:
    """Send ``trig`` (a built graph.trig, or the build folder holding it) to the Graph Store
    Protocol endpoint ``url``; ``default_graph`` names the graph the resolved entities go to
    (:data:`STORE_DEFAULT` for the store's own default graph). Raises :class:`EngineError` with
    one line naming the graph and the HTTP status when the store refuses."""
    trig = Path(trig)
    if trig.is_dir():
        trig = trig / "graph.trig"
    if not trig.is_file():
        raise FileNotFoundError(f"{trig}: no graph here — run `dialogue-graph build` first")
    if chunk < 1:
        raise ValueError(f"chunk must be 1 or more, not {chunk}")
    if default_graph != STORE_DEFAULT:
        try:
            ox.NamedNode(default_graph)
        except ValueError as exc:
            raise EngineError(f"default graph {default_graph!r} is not an IRI ({exc})") from None
    total = _count(trig)
    sender = _Sender(url, user, password, timeout)
    seen: set[str] = set()
    graphs = sent = 0
    with sender:
        for name, triples in _chunks(trig, chunk):
            target = default_graph if name is None else name
            first = target not in seen
            seen.add(target)
            graphs += first
            sender.send(target, triples, replace=first)
            sent += len(triples)
            if on_progress:
                on_progress(PushProgress(target, sent, total))
    return PushResult(graphs, sent, sender.chunks, default_graph)


def _quads(trig: Path) -> Iterator[ox.Quad]:
    try:
        yield from ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)
    except SyntaxError as exc:
        raise EngineError(f"{trig}: cannot read graph ({str(exc).splitlines()[0][:200]})") from None


def _count(trig: Path) -> int:
    """Statements in the file; a file that does not parse fails here, before anything is sent."""
    return sum(1 for _ in _quads(trig))


def _chunks(trig: Path, size: int) -> Iterator[tuple[str | None, list[ox.Triple]]]:
    """(graph name or None for the default graph, up to ``size`` triples), in file order: a graph's
    statements in one run of chunks (a blank node's graph in one chunk, however long)."""
    name, triples, blank = None, [], False
    for q in _quads(trig):
        if isinstance(q.graph_name, ox.BlankNode):
            raise EngineError(f"{trig}: a graph named by a blank node ({q.graph_name}) cannot be sent: "
                              "the protocol names graphs by IRI")
        g = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        if triples and (g != name or (len(triples) >= size and not blank)):
            yield name, triples
            triples, blank = [], False
        name = g
        blank = blank or isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        triples.append(ox.Triple(q.subject, q.predicate, q.object))
    if triples:
        yield name, triples


_TAG = re.compile(r"<[^>]+>")


def _detail(resp: requests.Response) -> str:
    """The store's reason in one line: the last line of text in its answer (where Virtuoso,
    Oxigraph and Fuseki put it), tags stripped."""
    lines = [ln.strip() for ln in _TAG.sub("\n", resp.text or "").splitlines() if ln.strip()]
    return lines[-1][:200] if lines else resp.reason or ""


class _Sender:
    """One HTTP session to the store: PUTs and POSTs N-Triples, answers its auth challenge."""

    def __init__(self, url: str, user: str | None, password: str | None, timeout: float):
        self.url, self.user, self.password, self.timeout = url, user, password, timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "dialogue-graph push"
        self.chunks = 0

    def __enter__(self) -> "_Sender":
        return self

    def __exit__(self, *exc) -> None:
        self.session.close()

    def send(self, graph: str, triples: list[ox.Triple], replace: bool) -> None:
        if graph == STORE_DEFAULT:  # a bare ``default`` parameter, as the protocol writes it
            url, params, what = f"{self.url}{'&' if '?' in self.url else '?'}default", None, "the default graph"
        else:
            url, params, what = self.url, {"graph": graph}, f"graph <{graph}>"
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        resp = self._request("PUT" if replace else "POST", url, params, body)
        self.chunks += 1
        if resp.status_code >= 300:
            hint = ""
            if resp.status_code == 401:
                hint = " (wrong user or password?)" if self.user else " (the store asks for a user and password)"
            raise EngineError(f"{self.url}: HTTP {resp.status_code} {resp.reason} while sending {what}: "
                              f"{_detail(resp)}{hint}")

    def _request(self, method: str, url: str, params: dict | None, body: bytes) -> requests.Response:
        headers = {"Content-Type": "application/n-triples; charset=utf-8"}
        try:
            resp = self.session.request(method, url, params=params, data=body, headers=headers, timeout=self.timeout)
            if resp.status_code == 401 and self.user and self.session.auth is None:
                # the first refusal names the scheme the store wants; the session keeps it (Digest
                # then signs each later request from the nonce it was given, without a new 401)
                challenge = resp.headers.get("WWW-Authenticate", "").lower()
                self.session.auth = (HTTPDigestAuth if "digest" in challenge else HTTPBasicAuth)(
                    self.user, self.password or "")
                resp = self.session.request(method, url, params=params, data=body, headers=headers,
                                            timeout=self.timeout)
            return resp
        except requests.RequestException as exc:
            raise EngineError(f"{self.url}: cannot reach the store ({_reason(exc)})") from None


def _reason(exc: requests.RequestException) -> str:
    """The innermost cause of a connection failure, in one line (requests nests them three deep)."""
    inner: BaseException = exc
    while (cause := inner.__cause__ or inner.__context__) is not None:
        inner = cause
    return str(inner).splitlines()[0][:200] if str(inner) else exc.__class__.__name__
