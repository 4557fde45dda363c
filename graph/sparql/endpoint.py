"""The read-only SPARQL endpoint: Oxigraph's server behind a small guard that outlives it.

``oxigraph serve-read-only`` speaks the whole SPARQL 1.1 Protocol (content negotiation, the
dataset parameters, its query page), but it cannot be trusted alone with an open port:

- its ``--timeout-s`` does not stop every query: a four-way cross join under COUNT kept a
  core at 100 % for minutes after a 3 s timeout and after the client left (measured, 0.5.13);
- it sends SERVICE requests to any host, and has no option to refuse them;
- an engine bug aborts the whole server (a Rust panic: ORDER BY over mixed literal types in
  0.5.13; a stack overflow on a query nested 20,000 parentheses deep);
- it keeps the store it opened: after a rebuild it answers from the deleted old one.

So ``serve`` runs the guard below on the public address and Oxigraph on a private loopback
port. The guard reads each query first and refuses SERVICE and FROM outside the dataset
(:mod:`graph.sparql.guard`), forwards the rest, and watches the engine: a query still running
after the timeout gets the engine restarted (the only way to stop it; other queries in flight
are answered 503 and may be retried), a crash gets it restarted and reported in one line, and
a rebuilt store (a new generation behind ``OUT/store``) gets it restarted on the new store
before the next query. A guard in another process, rather than serving from pyoxigraph in
this one, is what survives an abort; a long-lived engine rather than a process per query
keeps Oxigraph's protocol handling and answers in milliseconds.
"""
from __future__ import annotations

import collections
import http.client
import os
import socket
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .guard import QueryRefused, refuse_graph_iri, refuse_outbound
from .store import crash_message, serve_command

__all__ = ["Endpoint", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 30.0
_HELD = 1 << 20  # bytes of an answer held back before it is passed on (see _Handler._forward)
_MAX_BODY = 16 << 20  # a query or form larger than this is refused, not read into memory
# headers that belong to one connection, not to the message (RFC 9110, 7.6.1)
_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Engine:
    """The Oxigraph server process behind the guard, on the store ``store`` resolves to now."""

    def __init__(self, store: Path, timeout: float, log: Callable[[str], None]):
        self.store, self.timeout, self.log = Path(store), timeout, log
        self.lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.location = ""
        self.port = 0
        self.restarts = 0  # how many times it was (re)started: a request tells its own engine's end
        self.stderr: collections.deque[str] = collections.deque(maxlen=40)

    def _start(self) -> None:
        self.location = os.path.realpath(self.store)
        self.port = _free_port()
        cmd = serve_command(Path(self.location), "127.0.0.1", self.port, timeout=self.timeout)
        self.stderr.clear()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env={**os.environ, "RUST_BACKTRACE": "0"})
        self.restarts += 1
        threading.Thread(target=self._drain, args=(self.proc,), daemon=True).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                last = next((line for line in reversed(self.stderr) if line.strip()), "")
                raise RuntimeError(f"the Oxigraph server did not start (exit {self.proc.returncode}"
                                   f"{': ' + last if last else ''})")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the Oxigraph server did not start within 20 s")

    def _drain(self, proc: subprocess.Popen) -> None:
        for raw in proc.stderr:
            self.stderr.append(raw.decode("utf-8", "replace").rstrip())

    def _stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def current(self) -> tuple[int, int]:
        """(port, restarts) of a running engine on the current store: started again first if it
        died or the store was rebuilt since it started."""
        with self.lock:
            if self.proc is None:
                self._start()
            elif self.proc.poll() is not None:
                self._crashed()
            elif os.path.realpath(self.store) != self.location:
                self._stop()
                self._start()
                self.log("the store was rebuilt: serving the new one")
            return self.port, self.restarts

    def _crashed(self) -> None:
        code = self.proc.returncode
        self.proc.wait()
        time.sleep(0.05)  # the drain thread reads the engine's last words
        message = crash_message(code, "\n".join(self.stderr), "a query")
        self._start()
        self.log(f"{message}; restarted the engine")

    def after_failure(self, restarts: int) -> tuple[int, str]:
        """The HTTP status and one line for a request to engine ``restarts`` that got no answer;
        the engine is restarted if it crashed."""
        with self.lock:
            if restarts != self.restarts:
                return 503, "the engine was restarted meanwhile (a rebuilt store, or another query's timeout); retry"
            try:  # a dying process drops its connections a moment before it is gone
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            if self.proc is not None and self.proc.poll() is not None:
                code, stderr = self.proc.returncode, "\n".join(self.stderr)
                self._crashed()
                return 500, crash_message(code, stderr) + "; the endpoint restarted it"
            return 502, "the engine did not answer"

    def stop_runaway(self, restarts: int, stopped: threading.Event) -> bool:
        """Restart engine ``restarts`` (still running a query past the timeout) and set ``stopped``
        first, for the request to tell its client why; False if it is already another one."""
        with self.lock:
            if restarts != self.restarts or self.proc is None:
                return False
            stopped.set()
            self._stop()
            self._start()
            self.log(f"a query ran longer than {self.timeout:g} s: stopped it (restarted the engine)")
            return True

    def close(self) -> None:
        with self.lock:
            self._stop()


class Endpoint:
    """The guard on ``host:port`` and its engine on ``store`` (see the module's docstring)."""

    def __init__(self, store: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = DEFAULT_TIMEOUT,
                 allow_service: bool = False, log: Callable[[str], None] = lambda line: None):
        self.engine = _Engine(store, timeout, log)
        self.timeout, self.allow_service, self.log = timeout, allow_service, log
        endpoint = self

        class Handler(_Handler):
            owner = endpoint

        self.server = ThreadingHTTPServer((host, port), Handler)  # OSError when the port is taken
        self.server.daemon_threads = True

    def serve_forever(self) -> None:
        try:
            self.engine.current()
            self.server.serve_forever()
        finally:
            self.close()

    def close(self) -> None:
        self.server.server_close()
        self.engine.close()

    def check(self, method: str, path: str, headers, body: bytes) -> None:
        """Refuse a request whose query reaches outside the dataset (raises QueryRefused)."""
        if self.allow_service:
            return
        fields = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query, keep_blank_values=True)
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        texts = list(fields.get("query", [])) + list(fields.get("update", []))
        if method == "POST" and kind == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            texts += form.get("query", []) + form.get("update", [])
            for name in ("default-graph-uri", "named-graph-uri"):
                fields.setdefault(name, []).extend(form.get(name, []))
        elif method == "POST" and body:  # application/sparql-query, or anything Oxigraph may read as one
            texts.append(body.decode("utf-8", "replace"))
        for text in texts:
            refuse_outbound(text)
        for name in ("default-graph-uri", "named-graph-uri"):
            for iri in fields.get(name, []):
                refuse_graph_iri(iri, name)


class _Handler(BaseHTTPRequestHandler):
    owner: Endpoint
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # quiet: one line per event that matters only
        pass

    def _reply(self, code: int, message: str) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self) -> None:
        owner = self.owner
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > _MAX_BODY:
            self.close_connection = True
            self._reply(413 if length > 0 else 400, f"a request body is at most {_MAX_BODY >> 20} MB")
            return
        body = self.rfile.read(length) if length else b""
        try:
            owner.check(self.command, self.path, self.headers, body)
        except QueryRefused as exc:
            self._reply(403, f"query refused: {exc}")
            return
        try:
            port, restarts = owner.engine.current()
        except RuntimeError as exc:  # the store is gone or unreadable: say so, keep listening
            owner.log(str(exc))
            self._reply(503, str(exc))
            return
        timed_out = threading.Event()

        def runaway() -> None:
            owner.engine.stop_runaway(restarts, timed_out)

        def failed() -> tuple[int, str]:
            if timed_out.is_set():
                return 503, f"the query ran longer than {owner.timeout:g} s and was stopped"
            return owner.engine.after_failure(restarts)

        # Oxigraph's own timeout answers first when it can; this one stops what it cannot
        watchdog = threading.Timer(owner.timeout + 2, runaway)
        watchdog.daemon = True
        watchdog.start()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=owner.timeout + 10)
        try:
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                # the first part held back: an engine that fails before it has sent that much
                # (most answers are smaller) still gets its client a status and a reason
                first = resp.read(_HELD)
            except (OSError, http.client.HTTPException):
                self._reply(*failed())
                return
            self.send_response(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() not in _HOP and k.lower() not in ("server", "date"):  # sent by send_response
                    self.send_header(k, v)
            if len(first) < _HELD:
                self.send_header("Content-Length", str(len(first)))
                self.end_headers()
                self.wfile.write(first)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = first
            while chunk:
                try:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except OSError:  # the client left: closing the engine's connection stops its work
                    self.close_connection = True
                    return
                try:
                    chunk = resp.read(1 << 16)
                except (OSError, http.client.HTTPException):
                    # too late for a status: the client sees a cut answer; the engine is seen to
                    self.close_connection = True
                    owner.log(f"an answer was cut: {failed()[1]}")
                    return
            self.wfile.write(b"0\r\n\r\n")
        finally:
            watchdog.cancel()
            conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _forward
