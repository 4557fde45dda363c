"""The finders run together: people and bodies first, then the dialogue (meetings, figures,
quotes, claims, date problems).

They run after the entity finder on the same Doc, because every one of these facts is
anchored to the people and bodies already found (speakers, participants, reporters).
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..knowledge import Knowledge
from ..model import Article, ArticleFacts, Dialogue, Mentions
from ..text import forget_parts
from .agents import AgentFinder
from .claims import find_claims
from .figures import find_figures
from .meetings import find_meetings
from .people import extract
from .quotes import find_quotes
from .timeline import weekday_mismatches

__all__ = ["read_dialogue", "read_facts"]


def read_dialogue(article: Article, doc: Doc, mentions: Mentions, kb: Knowledge) -> Dialogue:
    """What ``article`` says of the dialogue, given the people and bodies it names."""
    finder = AgentFinder(doc, mentions, kb)
    body = [(s.start, s.end) for s in article.segments if s.kind in ("body", "headline")]
    return Dialogue(
        quotes=find_quotes(article, doc, finder),
        claims=find_claims(article, doc, finder, kb),
        figures=find_figures(article, doc, finder, kb),
        meetings=find_meetings(article, doc, mentions, finder, kb),
        notes=tuple(d for a, b in body for d in weekday_mismatches(article.text[a:b], article.published, a) if d.note),
    )


def read_facts(article: Article, doc: Doc, kb: Knowledge) -> ArticleFacts:
    """Everything ``article`` yields: the entity finder, then the dialogue finders on its result."""
    try:
        mentions = extract(article, doc, kb)
        return ArticleFacts(article.id, article.published.isoformat() if article.published else None,
                            mentions, read_dialogue(article, doc, mentions, kb))
    finally:
        forget_parts(doc)  # the Doc is freed as soon as the build lets go of it
