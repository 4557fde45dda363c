"""Outputs replaced whole or not at all.

Every file or folder the tool writes for users (a build's graph, store and page, an
export) is written beside its target under a temporary name and put in place with
``os.replace``, which is atomic on one file system: a reader sees the old version or
the new one, and a failed or killed run leaves the old one as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["replace_path", "staged_file", "staged_dir", "sweep_stale"]

# prefixes of what a killed run can leave beside its targets (swept by the next run)
STALE_PREFIXES = (".build-", ".old-", ".store-")


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


def sweep_stale(folder: Path) -> None:
    """Remove what a killed run left in ``folder`` (its temporary files and folders)."""
    for stale in Path(folder).iterdir():
        if stale.name.startswith(STALE_PREFIXES):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
