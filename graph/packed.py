"""Records held packed in memory: a build's articles and facts between the stages that read them.

A build holds every article from reading to writing its graph, and every article's facts from
extraction to emission: people are resolved across all of them before the first graph is written.
Held as objects they made the build's memory grow with the number of articles (about 58 KB of
facts and 14 KB of text an article: over 300 MB at 5,000 articles). Held as compressed pickles
they take a tenth of that, and each record is unpacked only while a stage reads it (about half a
millisecond for an article's facts; a build reads them three times).

Pickle is safe here: the bytes are this process's own, made and read in memory (or by a worker
it forked), never read from a file; the extraction cache on disk is JSON (:mod:`graph.pipeline`).
"""
from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar, overload

__all__ = ["Packed", "pack"]

T = TypeVar("T")

# zlib level 1: most of the size gone (6.7 KB of pickled facts become 2.4 KB) for little time
_LEVEL = 1


def pack(record) -> bytes:
    """One record as the bytes a :class:`Packed` holds."""
    return zlib.compress(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), _LEVEL)


def _unpack(data: bytes):
    return pickle.loads(zlib.decompress(data))


class Packed(Sequence[T]):
    """A read-only sequence of records kept packed: indexing and iterating unpack a fresh copy of
    each record (two reads give equal records, not the same object; nothing holds them after)."""
    __slots__ = ("_items",)

    def __init__(self, records: Iterable[T] = ()) -> None:
        self._items: list[bytes] = [pack(r) for r in records]

    @classmethod
    def of_packed(cls, items: Iterable[bytes]) -> Packed[T]:
        """A sequence of records already packed by :func:`pack`."""
        new = cls()
        new._items = list(items)
        return new

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> Packed[T]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Packed.of_packed(self._items[i])
        return _unpack(self._items[i])

    def __iter__(self) -> Iterator[T]:
        for data in self._items:
            yield _unpack(data)

    def __repr__(self) -> str:
        return f"Packed({len(self)} records, {sum(map(len, self._items)):,} bytes)"
