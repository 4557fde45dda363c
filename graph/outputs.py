"""Outputs replaced whole or not at all.

Every file or folder the tool writes for users (a build's graph, store and page, an
export) is written beside its target under a temporary name and put in place with
``os.replace``, which is atomic on one file system: a reader sees the old version or
the new one, and a failed or killed run leaves the old one as it was.

A build writes several outputs that belong together (graph.trig, the store answering
for it, the page drawn from it, the report): they switch together. Each build writes a
generation folder, ``OUT/.generations/g-…``, and makes it current with one rename of the
pointer ``OUT/.current``; the familiar paths (``OUT/graph.trig``, ``OUT/store``, …) are
links through the pointer, so a reader — a command, ``serve``, a user's script — sees
every output of one build, old or new, never a mix. A lock on ``OUT`` keeps a second
build out while one runs.

    OUT/graph.trig -> .current/graph.trig          (one link per output, made once)
    OUT/.current   -> .generations/g-1a2b3c        (the one rename that switches a build)
    OUT/.generations/g-1a2b3c/{graph.trig, graph.ttl, graph.html, report.json, store/}
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

try:  # POSIX; elsewhere builds into one folder are not kept apart
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = ["replace_path", "staged_file", "staged_dir", "sweep_stale", "OutputLocked", "locked", "LOCK",
           "new_generation", "publish", "current_generation", "GENERATIONS", "CURRENT"]

# prefixes of what a killed run can leave beside its targets (swept by the next run)
STALE_PREFIXES = (".build-", ".old-", ".store-", ".current-", ".link-")
GENERATIONS = ".generations"  # one folder per build, the current one and any a killed build left
CURRENT = ".current"  # the link naming the current generation
LOCK = ".lock"  # held (flock) by the build writing into the folder; holds its process id


def replace_path(new: Path, target: Path) -> None:
    """Put ``new`` (a file or a folder) at ``target``, replacing what is there.

    A file is replaced in one step. A folder cannot replace a folder in one step, so the
    old one is first renamed aside and removed once the new one is in place: at every
    moment ``target`` is a complete version, the old or the new (or, for a folder, briefly absent).
    """
    new, target = Path(new), Path(target)
    if not new.is_dir():
        os.replace(new, target)
        return
    old = target.parent / f".old-{target.name}-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_file(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write; it replaces ``target`` when the block ends
    without an error and is removed when it raises."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        replace_path(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def staged_dir(parent: Path, prefix: str = ".build-") -> Iterator[Path]:
    """A fresh temporary folder in ``parent`` (created if need be), removed when the block ends
    with whatever remains in it: the caller moves what it made into place with :func:`replace_path`."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def sweep_stale(folder: Path) -> None:
    """Remove what a killed run left in ``folder``: its temporary files and folders, and every
    generation but the current one (call it holding the folder's :func:`locked`)."""
    folder = Path(folder)
    for stale in folder.iterdir():
        if stale.name.startswith(STALE_PREFIXES):
            _remove(stale)
    gens, current = folder / GENERATIONS, current_generation(folder)
    if gens.is_dir():
        for gen in gens.iterdir():
            if current is None or gen.name != current.name:
                _remove(gen)


class OutputLocked(Exception):
    """Another process is writing into the output folder; the message says which, in one line."""


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold ``folder`` for one writer: a second one is refused at once with :class:`OutputLocked`.

    The lock is ``flock`` on ``folder/.lock``: the system lets it go when its process ends,
    however it ends, so a killed build never leaves the folder locked."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise OutputLocked(f"{folder}: another build (process {holder}) is writing here; "
                               "wait for it to finish or use another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # lets the lock go


def current_generation(folder: Path) -> Path | None:
    """The generation folder ``folder/.current`` points at, or None before the first build."""
    pointer = Path(folder) / CURRENT
    if not pointer.is_symlink():
        return None
    gen = Path(folder) / os.readlink(pointer)
    return gen if gen.is_dir() else None


def new_generation(folder: Path) -> Path:
    """A fresh, empty generation folder in ``folder`` for a build to write into."""
    gens = Path(folder) / GENERATIONS
    gens.mkdir(parents=True, exist_ok=True)
    gen = Path(tempfile.mkdtemp(prefix="g-", dir=gens))
    gen.chmod(0o755)  # readable as the folder's other outputs are (mkdtemp makes it private)
    return gen


def _link(path: Path, target: str) -> None:
    """Make ``path`` a link to ``target`` (relative), in one rename; a folder of an older layout
    at ``path`` (a build's ``store/``) is moved aside first and removed."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = path.with_name(f".link-{path.name}-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    if path.is_dir() and not path.is_symlink():
        old = path.with_name(f".old-{path.name}-{os.getpid()}")
        os.replace(path, old)
        os.replace(tmp, path)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, path)


def publish(folder: Path, gen: Path, names: Iterable[str], retired: Iterable[str] = ()) -> None:
    """Make ``gen`` (a generation holding the outputs ``names``) the current one of ``folder``.

    One rename switches every output: ``folder/.current`` is replaced by a link to ``gen``.
    The links ``folder/NAME -> .current/NAME`` exist before it (a new one dangles, so reads as
    absent, until the switch); an output the new generation lacks reads as absent after it.
    Afterwards the older generations and the links to outputs no longer written are removed, and
    so is a file of the layout before generations named in ``retired`` (an output not written
    this time, which would no longer match).
    A folder in the layout of before generations (real files) is switched file by file, once.
    """
    folder, names = Path(folder), sorted(names)
    first = current_generation(folder) is None
    if not first:
        for name in names:
            _link(folder / name, f"{CURRENT}/{name}")
    tmp = folder / f".current-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(f"{GENERATIONS}/{gen.name}", tmp)
    os.replace(tmp, folder / CURRENT)  # the switch
    if first:
        for name in names:
            _link(folder / name, f"{CURRENT}/{name}")
    for path in folder.iterdir():  # links to outputs this build did not write
        if path.is_symlink() and os.readlink(path).startswith(f"{CURRENT}/") and not path.exists():
            path.unlink()
    for name in set(retired) - set(names):
        if not (folder / name).is_symlink() and (folder / name).exists():
            _remove(folder / name)
    sweep_stale(folder)
