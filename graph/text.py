"""Small text helpers shared by every stage.

Names are compared folded (accents, case and punctuation removed) because the same
person is written "Bárcena" by one outlet and "Barcena" by another; IRIs are built
from folded slugs so that the same input always gives the same IRI.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

__all__ = ["fold", "slug", "content_words", "doc_text", "STOPWORDS"]

STOPWORDS = frozenset(
    "a an the of for and or to in on at by with from as is are was were be been "
    "that this these those it its his her their our we they he she i you".split()
)

_POSSESSIVE = re.compile(r"(’s|'s|’|')$")


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a name.

    Cached: the same names, titles and lines come back article after article.

    >>> fold("Andrés Manuel López Obrador’s")
    'andres manuel lopez obrador'
    """
    text = unicodedata.normalize("NFC", text).strip()
    text = _POSSESSIVE.sub("", text)
    if not text.isascii():
        text = unidecode(text)
    text = text.lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def slug(text: str) -> str:
    """An IRI-safe, stable identifier part: ``slug("Rosa Icela Rodríguez") == 'rosa-icela-rodriguez'``."""
    return fold(text).replace(" ", "-") or "x"


def content_words(text: str) -> set[str]:
    """Folded words of a phrase without function words, for fuzzy title/name overlap."""
    return {w for w in fold(text).split() if w not in STOPWORDS}


def doc_text(doc) -> str:
    """A parsed document's text, joined once and kept with it.

    spaCy rebuilds ``Doc.text`` from every token on each access, and the finders slice it a
    few dozen times per article (the README's Speed section has the profile).
    """
    text = doc.user_data.get("dialogue_graph.text")
    if text is None:
        text = doc.user_data["dialogue_graph.text"] = doc.text
    return text


def doc_tokens(doc) -> list:
    """A parsed document's tokens as a list, made once and kept with it: ``doc[i]`` makes a new
    Token object on every call, and the finders index the same tokens hundreds of thousands of
    times an article (the README's Speed section has the profile)."""
    toks = doc.user_data.get("dialogue_graph.tokens")
    if toks is None or len(toks) != len(doc):
        toks = doc.user_data["dialogue_graph.tokens"] = list(doc)
    return toks


def doc_ents(doc) -> tuple:
    """A parsed document's entities, made once and kept with it (``Doc.ents`` makes every Span
    again on each access, and the finders read them several times an article)."""
    ents = doc.user_data.get("dialogue_graph.ents")
    if ents is None:
        ents = doc.user_data["dialogue_graph.ents"] = doc.ents
    return ents


def forget_parts(doc) -> None:
    """Drop the tokens and entities :func:`doc_tokens` and :func:`doc_ents` kept with ``doc``: they
    point back at it, a cycle only the collector's rare full pass would free, so a build would
    hold every parsed article until then."""
    doc.user_data.pop("dialogue_graph.tokens", None)
    doc.user_data.pop("dialogue_graph.ents", None)


def span_text(span) -> str:
    """A span's text cut from :func:`doc_text` (``Span.text`` joins its tokens again each time)."""
    return doc_text(span.doc)[span.start_char:span.end_char]
