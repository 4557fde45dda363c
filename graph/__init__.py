"""dialogue-graph: a knowledge graph of the US–Mexico security dialogue, built from news articles.

The stages flow one way — ingest → nlp → extract → resolve → emit — and
:func:`build` runs them over a folder. Query the result with :func:`query`, draw it
with :func:`draw`.

>>> import graph
>>> summary = graph.build("seeds", "build")          # doctest: +SKIP
>>> cols, rows = graph.query("people")               # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"
__all__ = ["build", "query", "table", "draw", "load_dataset", "__version__"]


def build(folder="seeds", out="build", **kwargs):
    """Build a folder of articles into ``out``; keyword arguments (``nlp``, ``kb``, ``workers``,
    ``cache``, ...) as :func:`graph.pipeline.build` takes them."""
    from .pipeline import build as _build

    return _build(Path(folder), Path(out), **kwargs)


def load_dataset(path="build/graph.trig"):
    from .sparql.queries import load_dataset as _load

    return _load(Path(path))


def query(name: str, graph="build/graph.trig", engine: str = "oxigraph", *, limit: int | None = None, **params):
    """Run a saved query (or .rq file) over a built graph: (columns, rows).

    ``graph`` is a path (answered by the Oxigraph store beside it, or ``engine="rdflib"``)
    or an rdflib Dataset already in memory; ``limit`` keeps the first rows only; the other
    keyword arguments are the query's parameters.
    """
    from .sparql.queries import run_saved

    return run_saved(name, graph, engine=engine, params=params, limit=limit)


def table(name: str, graph="build/graph.trig", engine: str = "oxigraph", *, limit: int | None = None, **params):
    """A saved query's rows as a pandas DataFrame (pandas is needed for this one)."""
    import pandas as pd

    columns, rows = query(name, graph, engine, limit=limit, **params)
    return pd.DataFrame(rows, columns=columns)


def draw(graph="build/graph.trig", out="build/graph.html"):
    """Write the offline graph page for a built graph."""
    from .sparql.store import open_store
    from .view.page import write_page

    source = graph if not isinstance(graph, (str, Path)) else open_store(Path(graph))
    return write_page(source, Path(out))
