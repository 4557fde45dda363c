"""Work in a fresh interpreter of this checkout: a large graph's late stages and its page.

A process forked from a build carries every page the build holds (the spaCy model, the
extraction's working set), and a stage run in the build itself adds its own peak to the
build's: at 5,000 articles the listings run in the build took it from 515 to 822 MB. A
fresh interpreter (``python -c``, the same code through ``PYTHONPATH``) holds only what
its work needs, for the second or so its imports take, so a graph.trig of at least
:data:`APART_BYTES` has its late stages run that way; a smaller one stays in the build
(or a forked process), where tests and small builds stay fast.

A process started here ends when the one that started it ends (Linux ``PR_SET_PDEATHSIG``:
a build stopped half-way leaves nothing running), reports progress as marked lines on its
standard output, and on failure its last standard error line is the one-line reason.
It is exec'd, never a bare fork, so it may open a RocksDB store (see :data:`graph.pipeline.STAGES`).
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

__all__ = ["APART_BYTES", "ApartError", "Apart", "Files", "is_large", "run_apart", "report", "release_memory"]

# a graph.trig at least this large (500 articles make about 30 MB) has its late stages run apart
APART_BYTES = 16 << 20

_MARK = "\x1edialogue-graph-progress "  # starts a progress line on a child's standard output
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)  # the child imports this same code


class ApartError(RuntimeError):
    """Work in a fresh interpreter failed; ``line`` is its last error line (or how it ended)."""

    def __init__(self, line: str):
        super().__init__(line)
        self.line = line


def is_large(path: Path) -> bool:
    """Whether ``path`` (a graph.trig) is large enough to have its work done apart."""
    try:
        return Path(path).stat().st_size >= APART_BYTES
    except OSError:
        return False


class Apart:
    """``target`` ("module:function") called with the JSON-able ``args`` in a fresh interpreter,
    started at once; :meth:`wait` gives its progress to ``on_progress`` and raises
    :class:`ApartError` when it failed."""

    def __init__(self, target: str, *args, on_progress: Callable[[str, int, "int | None"], None] | None = None):
        self.on_progress = on_progress
        self.stderr = tempfile.TemporaryFile()  # a file, not a pipe: a child never waits for this one to read
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH")) if p),
                   DIALOGUE_GRAPH_PARENT=str(os.getpid()))
        code = "from graph.apart import _child; _child()"
        self.proc = subprocess.Popen([sys.executable, "-c", code, target, json.dumps(list(args))], env=env,
                                     stdin=subprocess.DEVNULL, stderr=self.stderr,
                                     stdout=subprocess.PIPE if on_progress else subprocess.DEVNULL,
                                     text=True if on_progress else None)

    def wait(self) -> None:
        try:
            if self.on_progress is not None:
                for line in self.proc.stdout:
                    if line.startswith(_MARK):
                        stage, done, total = json.loads(line[len(_MARK):])
                        self.on_progress(stage, done, total)
                self.proc.stdout.close()
            code = self.proc.wait()
            if code != 0:
                self.stderr.seek(max(0, os.fstat(self.stderr.fileno()).st_size - 65536))
                lines = [x for x in self.stderr.read().decode("utf-8", "replace").splitlines() if x.strip()]
                raise ApartError(lines[-1].strip() if lines else _how(code))
        finally:
            self.stderr.close()

    def stop(self) -> None:
        """End the process if it still runs (a build failing elsewhere)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        self.stderr.close()


def run_apart(target: str, *args, on_progress: Callable[[str, int, "int | None"], None] | None = None) -> None:
    """:class:`Apart`, waited for."""
    work = Apart(target, *args, on_progress=on_progress)
    try:
        work.wait()
    except BaseException:
        work.stop()
        raise


def release_memory(collect: bool = True) -> None:
    """Collect (when ``collect``), then ask glibc to give the pages it holds free back to the system
    (``malloc_trim``; nothing elsewhere): freed memory stays mapped otherwise, and the next step's
    grows beside it rather than in it, and a process started next counts it (see the build's stages)."""
    import ctypes
    import gc

    if collect:
        gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            pass


def report(stage: str, done: int, total: int | None) -> None:
    """In a child: tell the process that started it how far ``stage`` is."""
    sys.stdout.write(f"{_MARK}{json.dumps([stage, done, total])}\n")
    sys.stdout.flush()


@dataclass(frozen=True)
class Files:
    """What a stage run apart is given (as a build's own run gives it): the generation folder it
    reads and writes in, whether JSON-LD is asked for, and where its progress goes."""
    tmp: Path
    jsonld: bool
    progress: Callable[[str, int, "int | None"], None]


def run_stages_apart(folder: str, jsonld: bool, stages: list[list[str]]) -> None:
    """In a child: the stages ``[[name, "module:function"]]`` in turn on ``folder``, each told
    :class:`Files` (the stages of :data:`graph.pipeline.STAGES` that may run apart read and
    write files only)."""
    files = Files(Path(folder), jsonld, report)
    for name, target in stages:
        report(name, 0, None)
        _resolve(target)(files)


def _resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _how(code: int) -> str:
    import signal

    try:
        return f"ended by {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
    except ValueError:
        return f"ended by signal {-code}"


def _child() -> None:
    """The child's entry: end with the parent, then the call; an error is one line on stderr."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if str(os.getppid()) != os.environ.get("DIALOGUE_GRAPH_PARENT"):  # it ended before the line above
            sys.exit(1)
    target, args = sys.argv[1], json.loads(sys.argv[2])
    try:
        _resolve(target)(*args)
    except BaseException as exc:  # noqa: BLE001 - the parent shows one line, not a traceback
        if isinstance(exc, SystemExit) and not exc.code:
            raise
        sys.stderr.write(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ") + "\n")
        sys.exit(1)
