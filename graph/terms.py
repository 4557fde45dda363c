"""RDF terms between the two libraries: Oxigraph (the build's writer and the store) and rdflib
(the in-memory API). Each converter passes terms of its target library through and converts
every distinct term once."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef

__all__ = ["rdflib_converter", "ox_converter"]

_OX_TERMS = (ox.NamedNode, ox.Literal, ox.BlankNode)
_XSD_STRING = str(XSD.string)


def rdflib_converter(max_cache: int | None = None):
    """Oxigraph term → rdflib term (rdflib ones pass), each distinct term converted once; with
    ``max_cache``, the memory of at most that many (a reading of a whole graph.trig would otherwise
    hold every term of the file twice, in both libraries)."""
    cache: dict = {}

    def conv(t):
        if type(t) not in _OX_TERMS:
            return t
        r = cache.get(t)
        if r is None:
            if isinstance(t, ox.NamedNode):
                r = URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                r = BNode(t.value)
            elif t.language:
                r = Literal(t.value, lang=t.language)
            elif t.datatype.value == _XSD_STRING:
                r = Literal(t.value)
            else:
                r = Literal(t.value, datatype=URIRef(t.datatype.value))
            if max_cache is not None and len(cache) >= max_cache:  # the shared terms come back at once
                cache.clear()
            cache[t] = r
        return r

    return conv


def ox_converter():
    """rdflib term → Oxigraph term, each distinct term converted once."""
    cache: dict = {}

    def conv(t):
        if type(t) in _OX_TERMS:  # Oxigraph terms already (emission makes them directly)
            return t
        r = cache.get(t)
        if r is None:
            if isinstance(t, URIRef):
                r = ox.NamedNode(str(t))
            elif isinstance(t, Literal):
                if t.language:
                    r = ox.Literal(str(t), language=t.language)
                elif t.datatype:
                    r = ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
                else:
                    r = ox.Literal(str(t))
            else:
                r = ox.BlankNode(str(t))
            if len(cache) > 200_000:  # the shared terms (classes, properties, entities) come back at once
                cache.clear()
            cache[t] = r
        return r

    return conv
