"""The build's late stages: outputs made from graph.trig alone, written into the generation folder.

    derive   graph.trig → graph.ttl, graph.jsonld   (graph.rdf.serialize)
    draw     graph.trig → graph.html                (graph.view.page)
    store    graph.trig → store/                    (graph.sparql.store)
    listings store/     → listings.sqlite           (graph.sparql.listings)

Each is given the build's run, or for a large graph a :class:`graph.apart.Files` in a fresh
interpreter: both say ``tmp`` (the folder), ``jsonld`` and ``progress``, all a late stage
reads. This module imports nothing heavy (no spaCy, no rdflib), so that interpreter starts in
a fraction of a second; each stage imports its own module when it runs.
"""
from __future__ import annotations

__all__ = ["derive", "draw", "store", "listings"]


def derive(run) -> None:
    from .rdf.serialize import write_derived

    write_derived(run.tmp, run.jsonld)


def draw(run) -> None:
    from .view.page import write_page

    write_page(run.tmp / "graph.trig", run.tmp / "graph.html")


def store(run) -> None:
    from .sparql.store import STORE_DIR, write_store

    write_store(run.tmp / "graph.trig", run.tmp / STORE_DIR)


def listings(run) -> None:
    """Each saved query's answer without parameters, run once on the fresh store and kept beside
    it, so a listing's first rows need not wait for the engine to sort them all."""
    from .sparql.listings import LISTINGS, write_listings
    from .sparql.store import STORE_DIR

    write_listings(run.tmp / STORE_DIR, run.tmp / LISTINGS,
                   lambda name, done, total: run.progress("listings", done, total))
