"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

Shapes span the default graph (entities) and the article graphs (mentions), so the
dataset is validated as one merged graph.
"""
from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph

from .knowledge import ONTOLOGY_DIR

__all__ = ["SHAPES", "GraphFileError", "check_graph_file", "validate_dataset"]

SHAPES = ONTOLOGY_DIR / "shapes.ttl"


class GraphFileError(ValueError):
    """A graph file that cannot be validated: unreadable TriG (the message gives the line and
    column) or no statement at all, which would conform to any shape."""


def check_graph_file(path: Path) -> int:
    """The number of statements in the TriG file ``path``; GraphFileError, in one line naming the
    line and column of the first error, when it does not parse or holds no statement.

    Oxigraph's parser says where an error is (rdflib's does not, and a file cut mid-token can
    make it fail with an IndexError); it streams the file without building a store.
    """
    import pyoxigraph as ox

    path = Path(path)
    count = 0
    try:
        for _ in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            count += 1
    except SyntaxError as exc:
        reason = str(exc.msg).split(": ", 1)[-1] if exc.msg else "not TriG"
        raise GraphFileError(f"{path}: not readable TriG at line {exc.lineno}, column {exc.offset}: "
                             f"{reason.splitlines()[0][:200]}") from exc
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not count:
        raise GraphFileError(f"{path}: holds no statement: nothing to validate")
    return count


def validate_dataset(ds: Dataset | Graph) -> tuple[bool, str]:
    """(conforms, report text)."""
    data = Graph()
    for quad in (ds.quads((None, None, None, None)) if isinstance(ds, Dataset) else ((*t, None) for t in ds)):
        data.add(quad[:3])
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _, text = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), str(text)
