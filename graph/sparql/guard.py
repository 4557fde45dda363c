"""What a query may reach: this dataset's graphs only, unless the user allows more.

SPARQL has two ways out of the store it runs on: ``SERVICE <iri> { … }`` (the engine sends
the pattern to another endpoint: Oxigraph and rdflib both do) and ``FROM <iri>`` / ``FROM
NAMED <iri>`` (rdflib *fetches* the IRI, ``file:///`` included, and reads it as RDF). An
endpoint or a saved-query file from someone else must reach neither — a request to any
host, a local file read, a SERVICE that never answers holding a thread — so both are
refused unless ``allow_service`` is given (``--allow-service``).

The check reads the query's tokens, not its text: strings, IRIs and comments are set
aside first, so ``"SERVICE"`` in a literal, ``?service`` or ``ex:SERVICE`` are not the
keyword, and ``\\u0053ERVICE`` (SPARQL's escapes, which an engine may decode anywhere)
is. A ``FROM`` must name a graph of this dataset by its full IRI (every graph a build
writes is under :data:`LOCAL_GRAPHS`); a prefixed name is expanded from the query's own
``PREFIX`` lines first. Anything the check cannot read as allowed is refused: it never
guesses in favour of a request.
"""
from __future__ import annotations

import re

__all__ = ["QueryRefused", "LOCAL_GRAPHS", "refuse_outbound", "refuse_graph_iri"]

# every graph a build writes is named under this base (graph.rdf.emit): the only graphs a FROM
# may name
LOCAL_GRAPHS = "https://w3id.org/dialogue-graph/"


class QueryRefused(Exception):
    """A query that would reach outside the dataset; the message says what, in one line."""


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# what hides a keyword from the parser: a string, an IRI, a comment; and a backslash escape in a
# prefixed name (``ex:a\\'b``), whose quote opens no string
_HIDING = re.compile(r'''
      (?P<esc>\\.)
    | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
''', re.X | re.S)
# a keyword is not part of a variable (?x $x), a prefixed or blank-node name (ex:x _:x), a
# language tag (@x) or a longer word (after a dot it is the keyword: ``ex:a.SERVICE``, one name,
# is refused rather than ``?o .SERVICE`` let through)
_NOT_BEFORE = r"(?<![\w?$:@\\-])"
_SERVICE = re.compile(_NOT_BEFORE + r"SERVICE(?![\w:-])", re.I)
_FROM = re.compile(_NOT_BEFORE + r"FROM\s+(?:NAMED\s+)?(\S*)", re.I)
_PREFIX = re.compile(_NOT_BEFORE + r"PREFIX\s+([^\s:]*):\s*<(\d+)>", re.I)
_IRI_REF = re.compile(r"<(\d+)>")


def _unescape(text: str) -> str:
    """SPARQL's codepoint escapes decoded, as both engines do before they read a query."""
    def one(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _ESCAPE.sub(one, text)


def _code(text: str) -> tuple[str, list[str]]:
    """The query with its strings and comments blanked and each IRI replaced by ``<n>``, and the
    IRIs by ``n``: what is left is keywords, names, variables and punctuation."""
    iris: list[str] = []

    def one(m: re.Match) -> str:
        if m.lastgroup == "iri":
            iris.append(m.group()[1:-1])
            return f" <{len(iris) - 1}> "
        return "_" if m.lastgroup == "esc" else " "

    return _HIDING.sub(one, _unescape(text)), iris


def refuse_graph_iri(iri: str, what: str = "FROM") -> None:
    """Refuse a graph IRI that is not one of this dataset's (also the protocol's
    ``default-graph-uri`` and ``named-graph-uri``)."""
    if not iri.startswith(LOCAL_GRAPHS):
        raise QueryRefused(f"{what} <{iri}>: a query may only name this dataset's graphs "
                           f"({LOCAL_GRAPHS}…); --allow-service lifts this")


def refuse_outbound(text: str, allow_service: bool = False) -> None:
    """Raise :class:`QueryRefused` when ``text`` has a SERVICE, or a FROM that is not one of
    this dataset's graphs; do nothing when ``allow_service``."""
    if allow_service:
        return
    code, iris = _code(text)
    if _SERVICE.search(code):
        raise QueryRefused("SERVICE: a query here sends nothing to other hosts; --allow-service lifts this")
    prefixes = {m.group(1): iris[int(m.group(2))] for m in _PREFIX.finditer(code)}
    for m in _FROM.finditer(code):
        target = m.group(1)
        ref = _IRI_REF.fullmatch(target)
        if ref:
            iri = iris[int(ref.group(1))]
        elif ":" in target and target.partition(":")[0] in prefixes:
            prefix, _, local = target.partition(":")
            iri = prefixes[prefix] + local
        else:  # a name the check cannot expand: refused, never guessed
            iri = target
        refuse_graph_iri(iri)
