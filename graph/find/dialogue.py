"""Stage 3b — the dialogue itself: meetings, figures, quotes, claims and date problems.

Runs after entity extraction on the same Doc, because every one of these facts is
anchored to the people and bodies already found (speakers, participants, reporters).
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..knowledge import Knowledge
from ..read.ingest import Article
from .agents import AgentFinder
from .claims import find_claims
from .figures import find_figures
from .meetings import find_meetings
from .people import ArticleFacts
from .quotes import find_quotes
from .timeline import weekday_mismatches

__all__ = ["read_dialogue"]


def read_dialogue(article: Article, doc: Doc, facts: ArticleFacts, kb: Knowledge) -> ArticleFacts:
    finder = AgentFinder(doc, facts, kb)
    facts.quotes = find_quotes(article, doc, finder)
    facts.claims = find_claims(article, doc, finder, kb)
    facts.figures = find_figures(article, doc, finder, kb)
    facts.meetings = find_meetings(article, doc, facts, finder, kb)
    body = [(s.start, s.end) for s in article.segments if s.kind in ("body", "headline")]
    facts.notes = [d for a, b in body for d in weekday_mismatches(article.text[a:b], article.published, a)
                   if d.note]
    return facts
