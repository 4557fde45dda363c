"""The fact model: the records the stages hand each other, and nothing else.

The flow is one way, and each stage returns new records without touching the ones it
was given (records are frozen; their collections are tuples):

    read      Article (text, segments, credits, catalog metadata)
    find      Mentions (people, organizations, countries)      graph.find.people.extract
              Dialogue (quotes, claims, figures, meetings,     graph.find.dialogue.read_dialogue
                        date notes)
              ArticleFacts = the article's Mentions + Dialogue
    resolve   Resolution (one node per person, body, meeting;  graph.resolve.resolve
                          the claims kept; contradictions)
    emit      quads, a pure function of (facts, resolution, knowledge)   graph.rdf.emit

Every fact found in a text carries an :class:`Anchor`: its character offsets in the
article's file and the bounds of the sentence that says it. A reference from one fact
to the person or body behind it (a speaker, a participant) is an :class:`AgentRef`,
keyed by the offset of that mention in its article (:class:`MentionId` across articles).
"""
from __future__ import annotations

import dataclasses
import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from types import UnionType
from typing import Any, Literal, NamedTuple, Union, get_args, get_origin, get_type_hints

__all__ = [
    "Segment", "Credit", "Article", "Anchor", "TitleFact", "PersonMention", "OrgMention", "CountryMention",
    "Mentions", "AgentRef", "Quote", "Claim", "Figure", "Meeting", "DateRef", "Dialogue", "ArticleFacts",
    "MentionId", "ClaimId", "PersonEntity", "OrgEntity", "MeetingEntity", "Resolution", "Position",
    "OWN", "SIDE", "POST", "NEIGHBOUR", "facts_to_data", "facts_from_data", "fact_offsets",
]

# --------------------------------------------------------------------------- the article

SegmentKind = Literal["body", "headline", "byline", "credit", "dateline", "heading", "furniture"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the article's text and what it is on the page."""
    start: int
    end: int
    kind: str  # a SegmentKind


@dataclass(frozen=True, slots=True)
class Credit:
    """A person named by the page rather than the story: author, editor, photographer."""
    name: str
    start: int
    end: int
    role: str  # journalist | other


@dataclass(frozen=True)
class Article:
    """One article as read from its file and catalog row; offsets of every later fact refer to ``text``."""
    id: str
    text: str
    segments: tuple[Segment, ...]
    credits: tuple[Credit, ...] = ()
    title: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published: date | None = None
    path: str | None = None
    warnings: tuple[str, ...] = ()
    url: str | None = None  # its address: the catalog's `url`, else a saved page's canonical one
    from_page: bool = False  # its text was extracted from a saved web page (kept beside the graph)
    sources: tuple[tuple[str, str], ...] = ()  # a page's (field, "catalog" | "page"): where its metadata came from

    def __post_init__(self) -> None:  # callers may pass lists; the record keeps tuples
        for name in ("segments", "credits", "authors", "warnings"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    @cached_property  # asked by the read stage (duplicates) and by emit
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def _segment_starts(self) -> list[int] | None:
        """Segment starts for a binary search, when segments come in order without overlap (as
        the reader makes them): the finders ask for a token's segment hundreds of times per article."""
        segs = self.segments
        if all(a.end <= b.start for a, b in zip(segs, segs[1:])):
            return [seg.start for seg in segs]
        return None

    def kind_at(self, offset: int) -> str:
        """The kind of segment holding ``offset`` ("furniture" outside every segment)."""
        starts = self._segment_starts
        if starts is not None:
            i = bisect_right(starts, offset) - 1
            return self.segments[i].kind if i >= 0 and offset < self.segments[i].end else "furniture"
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg.kind
        return "furniture"


# --------------------------------------------------------------------------- what one article says

@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a fact is in its article: the words (start, end) and the sentence around them."""
    start: int
    end: int
    sent_start: int
    sent_end: int


def _through(part: str, name: str) -> property:
    """A read-only attribute that is ``name`` of the record's ``part``."""
    return property(lambda self: getattr(getattr(self, part), name), doc=f"``{part}.{name}``")


class _Anchored:
    """Records with an ``anchor`` read its offsets as their own."""
    __slots__ = ()

    start = _through("anchor", "start")
    end = _through("anchor", "end")
    sent_start = _through("anchor", "sent_start")
    sent_end = _through("anchor", "sent_end")


# Country evidence for a person, strongest first: their own nationality word, the side of a
# delegation they are listed in, the country of their post, a listed neighbour's country.
OWN, SIDE, POST, NEIGHBOUR = 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class TitleFact:
    """A title an article gives a person, as written, with the post it normalises to."""
    title: str
    start: int
    end: int
    post: str | None = None
    post_country: str | None = None


@dataclass(frozen=True, slots=True)
class PersonMention(_Anchored):
    name: str
    anchor: Anchor
    segment: str = "body"
    titles: tuple[TitleFact, ...] = ()
    country: str | None = None
    country_rank: int = 99  # OWN … NEIGHBOUR; 99 when no evidence
    role: str | None = None  # journalist | other for credits; None for people in the story
    official_key: str | None = None
    surname_only: bool = False


@dataclass(frozen=True, slots=True)
class OrgMention(_Anchored):
    name: str
    anchor: Anchor
    type: str
    country: str | None = None
    key: str | None = None  # curated organisation key


@dataclass(frozen=True, slots=True)
class CountryMention(_Anchored):
    country: str
    text: str
    anchor: Anchor


@dataclass(frozen=True, slots=True)
class Mentions:
    """Who and what one article names: the entity finder's result."""
    people: tuple[PersonMention, ...] = ()
    orgs: tuple[OrgMention, ...] = ()
    countries: tuple[CountryMention, ...] = ()


AgentKind = Literal["person", "org", "delegation", "country", "group"]


@dataclass(frozen=True, slots=True)
class AgentRef:
    """The person, body, delegation, country or unnamed group ("U.S. officials") behind a fact,
    within one article.

    A person or org is the mention at offset ``mention``; a delegation or country is
    known by its ``country`` id alone; a group (a claim's speaker only) by its wording and
    the country it speaks for, if any.
    """
    kind: str  # an AgentKind
    label: str  # as written
    country: str | None = None
    mention: int | None = None

    @property
    def ident(self) -> tuple[str, int | str | None]:
        """What makes two references in one article the same agent."""
        return (self.kind, self.mention if self.kind in ("person", "org") else self.country)


@dataclass(frozen=True, slots=True)
class Quote(_Anchored):
    text: str
    anchor: Anchor  # start/end: the quoted words without the marks
    speaker: AgentRef | None


@dataclass(frozen=True, slots=True)
class Claim(_Anchored):
    text: str
    anchor: Anchor
    speaker: AgentRef | None
    topic: str
    polarity: str  # asserts | denies


@dataclass(frozen=True, slots=True)
class Figure(_Anchored):
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qudt: str | None
    about: str
    anchor: Anchor
    reported_by: AgentRef | None = None
    period: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date phrase and what it resolves to against the publication date."""
    phrase: str
    start: int
    end: int
    date: date | None = None
    month: tuple[int, int] | None = None  # (year, month) when only the month is known
    note: str | None = None  # a weekday that does not match its date


@dataclass(frozen=True, slots=True)
class Meeting:
    """One article's account of a meeting (several mentions in it already merged)."""
    type: str
    status: str
    start: int  # the first evidence sentence
    end: int
    trigger: str
    date: date | None = None
    month: tuple[int, int] | None = None
    date_phrase: str | None = None
    place: str | None = None
    participants: tuple[AgentRef, ...] = ()
    topics: tuple[str, ...] = ()
    agreement: str | None = None
    label: str | None = None  # the meeting's own name when the text gives one ("the Andean Partners' Summit")
    evidence: tuple[tuple[int, int], ...] = ()  # sentence bounds
    form: str | None = None  # press_conference: a joint press event (never the same event as a meeting)
    body: str | None = None  # before whom a hearing was held ("a Senate subcommittee")
    venue: bool = False  # the place is a building or a body's seat ("at the White House"), not a town


@dataclass(frozen=True, slots=True)
class Dialogue:
    """What one article says of the dialogue: the dialogue finders' result."""
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    notes: tuple[DateRef, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """Everything one article yields (cached per article between builds)."""
    article_id: str
    published: str | None  # ISO date, to pair a claim with the nearest rebuttal
    mentions: Mentions = Mentions()
    dialogue: Dialogue = Dialogue()

    # the parts read straight through: facts.people is facts.mentions.people, facts.quotes is
    # facts.dialogue.quotes, and so on
    people = _through("mentions", "people")
    orgs = _through("mentions", "orgs")
    countries = _through("mentions", "countries")
    quotes = _through("dialogue", "quotes")
    claims = _through("dialogue", "claims")
    figures = _through("dialogue", "figures")
    meetings = _through("dialogue", "meetings")
    notes = _through("dialogue", "notes")


# --------------------------------------------------------------------------- across articles

class MentionId(NamedTuple):
    """A mention across the corpus: its article and its start offset there."""
    article: str
    start: int


@dataclass(frozen=True)
class PersonEntity:
    """One real person: every way the articles wrote the name, and what was resolved."""
    key: str
    name: str
    names: tuple[str, ...]  # every form the articles wrote, most frequent first
    kind: str  # official | journalist | person
    roles: frozenset[str] = frozenset()
    country: str | None = None
    wikidata: str | None = None
    official_key: str | None = None


@dataclass(frozen=True)
class OrgEntity:
    key: str
    name: str
    names: tuple[str, ...]
    type: str = "other"
    country: str | None = None


@dataclass(frozen=True)
class MeetingEntity:
    """One real meeting, with the version each supporting article tells."""
    key: str
    label: str
    merged: Meeting  # the attributes of every account combined
    supports: tuple[tuple[str, int], ...]  # (article id, its account's place in that article's ArticleFacts.meetings)
    people: frozenset[str] = frozenset()  # person keys


ClaimId = tuple[str, int, int]  # (article id, start, end)


@dataclass(frozen=True)
class Position:
    """One actor's stance on one topic across articles: the claims that state it.

    The holder is a person or organization key, a country id (a government, also for a
    delegation's claims) or an unnamed group's key (its wording, folded); ``country`` is the
    side the holder speaks for."""
    topic: str
    polarity: str  # asserts | denies
    holder_kind: str  # person | org | country | group
    holder: str
    label: str  # the group's wording, or the name as written
    country: str | None
    claims: tuple[ClaimId, ...]


@dataclass(frozen=True)
class Resolution:
    """Everything emission needs beyond the per-article facts: the resolve stage's result."""
    people: dict[str, PersonEntity]  # catalog authors included
    orgs: dict[str, OrgEntity]
    person_of: dict[MentionId, str]  # mention -> person key
    org_of: dict[MentionId, str]
    claims: dict[str, tuple[int, ...]] = field(default_factory=dict)  # kept claims by article id: their places in its ArticleFacts.claims
    meetings: tuple[MeetingEntity, ...] = ()
    contradictions: tuple[tuple[ClaimId, ClaimId], ...] = ()
    author_of: dict[tuple[str, str], str] = field(default_factory=dict)  # (article id, author) -> person key
    positions: tuple[Position, ...] = ()  # one per (topic, holder, polarity), from the kept claims

    def agent_key(self, article_id: str, ref: AgentRef) -> str:
        """The resolved key of a person or org reference (a country id for the others)."""
        if ref.kind == "person":
            return self.person_of[MentionId(article_id, ref.mention)]
        if ref.kind == "org":
            return self.org_of[MentionId(article_id, ref.mention)]
        return ref.country


# --------------------------------------------------------------------------- as data
#
# The facts of an article are cached between builds as data (JSON), never as pickles, which run
# code when loaded. A record is written as the list of its fields in order; reading it back
# checks every value against the field's declared type, so an edited or damaged entry is refused
# (ValueError), never half-read.

def _encoder(tp) -> Callable[[Any], Any]:
    """A function writing a value of type ``tp`` as JSON-ready data."""
    origin, args = get_origin(tp), get_args(tp)
    if dataclasses.is_dataclass(tp):
        hints = get_type_hints(tp)
        parts = [(f.name, _encoder(hints[f.name])) for f in dataclasses.fields(tp)]
        return lambda v: [enc(getattr(v, name)) for name, enc in parts]
    if origin in (Union, UnionType):
        inner = [_encoder(a) for a in args if a is not type(None)]
        enc = inner[0] if len(inner) == 1 else None
        if enc is None:
            raise TypeError(f"no encoding for {tp}")
        return lambda v: None if v is None else enc(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _encoder(args[0])
            return lambda v: [item(x) for x in v]
        items = [_encoder(a) for a in args]
        return lambda v: [enc(x) for enc, x in zip(items, v)]
    if tp is date:
        return date.isoformat
    if tp in (str, int, float, bool):
        return lambda v: v
    raise TypeError(f"no encoding for {tp}")


def _wrong(tp, value) -> ValueError:
    return ValueError(f"expected {getattr(tp, '__name__', tp)}, found {type(value).__name__}")


def _decoder(tp) -> Callable[[Any], Any]:
    """A function reading data written by :func:`_encoder` back into a value of type ``tp``,
    raising ValueError at the first value of the wrong type or shape."""
    origin, args = get_origin(tp), get_args(tp)
    if dataclasses.is_dataclass(tp):
        hints = get_type_hints(tp)
        parts = [_decoder(hints[f.name]) for f in dataclasses.fields(tp)]
        n = len(parts)

        def record(v):
            if type(v) is not list or len(v) != n:
                raise _wrong(tp, v)
            return tp(*[dec(x) for dec, x in zip(parts, v)])

        return record
    if origin in (Union, UnionType):
        dec = next(_decoder(a) for a in args if a is not type(None))
        return lambda v: None if v is None else dec(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])

            def many(v):
                if type(v) is not list:
                    raise _wrong(tp, v)
                return tuple([item(x) for x in v])

            return many
        items = [_decoder(a) for a in args]

        def fixed(v):
            if type(v) is not list or len(v) != len(items):
                raise _wrong(tp, v)
            return tuple([dec(x) for dec, x in zip(items, v)])

        return fixed
    if tp is date:
        def day(v):
            if type(v) is not str:
                raise _wrong(tp, v)
            return date.fromisoformat(v)

        return day
    # JSON keeps 3 and 3.0 apart: a float field holds what the finder gave it, int or float
    allowed = {str: (str,), int: (int,), float: (float, int), bool: (bool,)}[tp]

    def plain(v):
        if type(v) not in allowed:
            raise _wrong(tp, v)
        return v

    return plain


@lru_cache(maxsize=None)
def _facts_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    return _encoder(ArticleFacts), _decoder(ArticleFacts)


def facts_to_data(facts: ArticleFacts) -> list:
    """``facts`` as JSON-ready data (lists, strings, numbers, None); :func:`facts_from_data` reads it back."""
    return _facts_codec()[0](facts)


def facts_from_data(data: Any) -> ArticleFacts:
    """The facts :func:`facts_to_data` wrote; ValueError when ``data`` is not of their shape."""
    try:
        return _facts_codec()[1](data)
    except (TypeError, KeyError, IndexError) as exc:  # a value a record's own checks refuse
        raise ValueError(str(exc)) from exc


def fact_offsets(facts: ArticleFacts) -> Iterator[int]:
    """Every character offset the facts point at in their article's text."""
    for group in (facts.people, facts.orgs, facts.countries, facts.quotes, facts.claims, facts.figures):
        for fact in group:
            a = fact.anchor
            yield from (a.start, a.end, a.sent_start, a.sent_end)
    for p in facts.people:
        for t in p.titles:
            yield from (t.start, t.end)
    for m in facts.meetings:
        yield from (m.start, m.end)
        for s, e in m.evidence:
            yield from (s, e)
    for n in facts.notes:
        yield from (n.start, n.end)
    refs = [q.speaker for q in facts.quotes] + [c.speaker for c in facts.claims] + \
        [f.reported_by for f in facts.figures] + [p for m in facts.meetings for p in m.participants]
    yield from (r.mention for r in refs if r is not None and r.mention is not None)
