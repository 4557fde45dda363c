"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

Shapes span the default graph (entities) and the article graphs (mentions), so the
dataset is validated as one merged graph.
"""
from __future__ import annotations

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph

from .knowledge import ONTOLOGY_DIR

__all__ = ["SHAPES", "validate_dataset"]

SHAPES = ONTOLOGY_DIR / "shapes.ttl"


def validate_dataset(ds: Dataset | Graph) -> tuple[bool, str]:
    """(conforms, report text)."""
    data = Graph()
    for quad in (ds.quads((None, None, None, None)) if isinstance(ds, Dataset) else ((*t, None) for t in ds)):
        data.add(quad[:3])
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _, text = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), str(text)
