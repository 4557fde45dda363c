"""Resolve: one node per real person, body and meeting across articles; claims kept; positions.

People: "Blinken", "Mr. Blinken" and "Antony Blinken" are one person; so are "AMLO" and
"Andrés Manuel López Obrador" (curated alias), "Mark T. Delaney" and "Mark Delaney"
(a middle initial), "Phillip" and "Philip Navarro" (a first name one letter off, when
the rest agrees), "Renata Ibarra Solís" and "Renata Ibarra" (Spanish surnames), and a
nickname the text ties to a name. Within an article a short form joins the one person it
fits; when it fits several it stays apart. A person's country is voted from the evidence
of all mentions, strongest kind first (own nationality word, delegation side, post, list
neighbour), with curated knowledge before the weak kinds.

Meetings told by several articles (date, place, participants) become one node; claims
become positions (topic, holder, polarity), each claim linked to its nearest rebuttal by
another side.
"""
from __future__ import annotations

import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from typing import Iterable, NamedTuple, Sequence

from .find.meetings import absorb, compatible_dates, compatible_types, meeting_label
from .find.people import split_nickname
from .knowledge import Knowledge
from .model import (
    NEIGHBOUR,
    OWN,
    AgentRef,
    Article,
    ArticleFacts,
    ClaimId,
    Meeting,
    MeetingEntity,
    MentionId,
    OrgEntity,
    PersonEntity,
    PersonMention,
    Position,
    Resolution,
)
from .text import content_words, fold, slug

__all__ = ["resolve", "speaker_country", "claim_holder", "group_key"]


@dataclass
class _PersonDraft:
    """A person while mentions are still being attached (frozen into a PersonEntity at the end)."""
    key: str
    names: Counter = field(default_factory=Counter)
    official_key: str | None = None
    country_votes: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    titled: bool = False
    roles: set = field(default_factory=set)
    serves: bool = False  # a curated official with a country (a known figure of crime serves none)
    nicks: set = field(default_factory=set)  # nicknames, never the preferred name

    @property
    def kind(self) -> str:
        if self.titled or (self.serves and "journalist" not in self.roles):
            return "official"
        if "journalist" in self.roles:
            return "journalist"
        if self.country_votes.get(OWN) or (self.roles - {"journalist", "other"}):
            return "official"
        return "person"


@dataclass
class _OrgDraft:
    key: str
    names: Counter = field(default_factory=Counter)
    type: str = "other"
    country: str | None = None


def _tokens(name: str) -> list[str]:
    return fold(split_nickname(name)[0]).split()


@lru_cache(maxsize=65_536)
def _surname_keys(name: str) -> tuple[str, ...]:
    """How a later mention may refer to ``name`` by itself: its surname, its last two names, its
    nickname."""
    toks = _tokens(name)
    keys = []
    if len(toks) >= 2:
        keys.append(toks[-1])
    if len(toks) >= 3:
        keys.append(" ".join(toks[-2:]))
    nick = split_nickname(name)[1]
    if nick and fold(nick):
        keys.append(fold(nick))
    return tuple(keys)


def _paternal_key(toks: list[str], particles: frozenset[str]) -> str | None:
    """The first of two surnames ("Ibarra" of "Renata Ibarra Solís"), which Spanish usage writes
    alone as often as the whole name."""
    if len(toks) >= 3 and len(toks[-2]) > 1 and toks[-2] not in particles:
        return toks[-2]
    return None


def _without_initials(toks) -> tuple[str, ...]:
    return tuple(t for t in toks if len(t) > 1) if any(len(t) == 1 for t in toks) else tuple(toks)


def _short_form_of(short: list[str], full: list[str], particles: frozenset[str]) -> bool:
    """Whether ``short`` is how an article shortens the name ``full`` it gave before: without a
    middle initial ("Mark Delaney" / "Mark T. Delaney"), its last names ("Ibarra Solís", "de la
    Vega"), first name and first surname ("Renata Ibarra" / "Renata Ibarra Solís"), first and
    last name, or a first name misspelt by one letter with the rest the same."""
    a, b = _without_initials(short), _without_initials(full)
    if not a or a == tuple(short) == tuple(full):
        return False
    if a == b:
        return len(short) != len(full)
    if len(a) >= len(b):
        return len(a) == len(b) and a[1:] == b[1:] and _one_letter_apart(a[0], b[0])
    if len(a) >= 2 and b[-len(a):] == a:
        return True
    return len(a) == 2 and len(b) >= 3 and a[0] == b[0] and (a[1] == b[-1] or a[1] == b[-2] and a[1] not in particles)


def _one_letter_apart(x: str, y: str) -> bool:
    """"Phillip" / "Philip": one letter more or less, same first letter, four letters at least."""
    if x == y or x[:1] != y[:1] or min(len(x), len(y)) < 4 or abs(len(x) - len(y)) != 1:
        return False
    longer, shorter = (x, y) if len(x) > len(y) else (y, x)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def _same_side(people: list) -> bool:
    """Whether every one of ``people`` holds a title and all serve one country: a first name one
    letter off is the same official only then ("Julia Ortega" the minister is not "Julian Ortega"
    the businessman)."""
    sides = [{m.country for m in p.mentions if m.country and m.titled} for p in people]
    return all(sides) and len(set.intersection(*sides)) > 0


def _preferred(names: Counter, nicks: set = frozenset()) -> str:
    """The fullest, accented form: "Alicia Bárcena" over "Alicia Barcena" and "Barcena"; a middle
    initial adds nothing ("Mark Delaney" and "Mark T. Delaney": the more frequent); a nickname only
    when there is no name."""
    def score(n: str):
        toks = _tokens(n)
        return (n not in nicks, len(_without_initials(toks)), sum(not c.isascii() for c in n),
                len(_without_initials(toks)) - len(toks), names[n], n)
    return max(names, key=score)


class _Seen(NamedTuple):
    """What resolution keeps of a person mention once its article is read: a build's mentions are
    held until every article is (an article's own records are let go after its pass)."""
    name: str
    start: int
    official_key: str | None
    titled: bool
    role: str | None
    country: str | None
    country_rank: int


def _seen(m: PersonMention) -> _Seen:
    # names recur across articles (a minister named in hundreds): one string each
    return _Seen(sys.intern(m.name), m.start, m.official_key, bool(m.titles), m.role, m.country, m.country_rank)


@dataclass
class _Local:
    """One person within one article: the mentions that name them, the forms of the name written."""
    article: str
    first: tuple  # where the article first names them (headlines after the story)
    key: str | None = None  # a curated official's key
    forms: list = field(default_factory=list)  # token lists of the names written (two words or more)
    mentions: list = field(default_factory=list)
    ambiguous: bool = False

    def keys(self, particles: frozenset[str]) -> set[str]:
        """The words a bare mention may refer to them by: surnames (either of two), nickname."""
        keys = set()
        for m in self.mentions:
            keys.update(_surname_keys(m.name))
        for toks in self.forms:
            p = _paternal_key(toks, particles)
            if p:
                keys.add(p)
        return keys

    @cached_property
    def canonical(self) -> tuple[str, ...]:
        """The fullest name written (asked once every mention is attached)."""
        return max(self.forms, key=lambda t: (len(_without_initials(t)), len(t))) if self.forms else ()


def _people_in_article(facts: ArticleFacts, kb: Knowledge, particles: frozenset[str]) -> tuple[list[_Local], list]:
    """The people of one article, each with the mentions naming them, and the bare surnames no name
    of the article explains. A short form joins the one person named before it that it fits (a
    headline, any person of the story); one that fits several stays apart."""
    def where(m: PersonMention) -> tuple:
        return m.segment == "headline", m.start

    named: list[PersonMention] = []
    bare: list[PersonMention] = []  # surnames alone (no curated alias): read once the names are known
    for m in sorted(facts.people, key=where):
        (bare if m.surname_only and not m.official_key and not kb.officials.get(fold(m.name)) else named).append(m)
    people: list[_Local] = []
    by_key: dict[str, _Local] = {}
    pending = []
    for m in named:
        base, nick = split_nickname(m.name)
        toks = fold(base).split()
        off = kb.officials.get(fold(base)) or (kb.officials.get(fold(nick)) if nick else None)
        key = m.official_key or (off.key if off else None)
        target = by_key.get(key) if key else None
        if target is None and not key and m.role is None:
            same = [p for p in people if p.key is None and toks in p.forms]
            fits = same or [p for p in people if any(_short_form_of(toks, f, particles) for f in p.forms)]
            if len(fits) == 1:
                target = fits[0]
            elif len(fits) > 1:
                target = _Local(facts.article_id, where(m), ambiguous=True)
                people.append(target)
        if target is None:
            target = _Local(facts.article_id, where(m), key)
            people.append(target)
            if key:
                by_key[key] = target
        target.mentions.append(m)
        if len(toks) >= 2:
            target.forms.append(toks)
        if key and off and not target.forms:
            target.forms.append(fold(off.name).split())
    keys = [(p, p.keys(particles)) for p in people if not p.ambiguous]
    for m in bare:
        word = fold(split_nickname(m.name)[0])
        found = [p for p, k in keys if p.first < where(m) and word in k]  # the people named before it
        if not found:
            found = [p for p, k in keys if word in k]
        if len(found) == 1:
            found[0].mentions.append(m)
        elif found:  # a surname several people of the article share: no one in particular
            people.append(_Local(facts.article_id, where(m), mentions=[m], ambiguous=True))
        else:
            pending.append(m)
    for p in people:
        p.mentions = [_seen(m) for m in p.mentions]
        p.forms = [tuple(map(sys.intern, toks)) for toks in p.forms]
    return people, [_seen(m) for m in pending]


def resolve(all_facts: Sequence[ArticleFacts], kb: Knowledge, articles: Iterable[Article] = ()) -> Resolution:
    """People, bodies, meetings and claims resolved across ``all_facts``; ``articles`` (the same
    articles, for their catalog authors) adds each author as a journalist.

    ``all_facts`` is read twice, in order (a build holds them packed and unpacks each as it is
    read: :mod:`graph.packed`): once for the people and bodies, once for the claims and meetings,
    which are told by the resolved people."""
    people: dict[str, _PersonDraft] = {}
    person_of: dict[MentionId, str] = {}
    particles = kb.cue("name_particles")
    officials = {o.key: o for o in kb.officials.values()}

    def entity(key: str) -> _PersonDraft:
        if key not in people:
            people[key] = _PersonDraft(key)
        return people[key]

    def attach(article_id: str, m: _Seen, key: str) -> None:
        ent = entity(key)
        base, nick = split_nickname(m.name)
        ent.names[base] += 1
        if nick:
            ent.names[nick] += 1
            ent.nicks.add(nick)
        person_of[MentionId(article_id, m.start)] = key
        if m.official_key:
            ent.official_key = m.official_key
        if ent.official_key in officials and officials[ent.official_key].country:
            ent.serves = True
        if m.titled:
            ent.titled = True
        if m.role:
            ent.roles.add(m.role)
        if m.country:
            ent.country_votes[m.country_rank][m.country] += 1

    # each article's people, then one node per person across articles: the same curated official,
    # the same name, a name another article gave as a form of one person's name, the same name
    # but for a middle initial, or for one letter of the first name (when one person fits)
    locals_: list[_Local] = []
    pending: list[tuple[str, _Seen]] = []
    orgs: dict[str, _OrgDraft] = {}
    org_of: dict[MentionId, str] = {}
    fillers = kb.cue("body_name_fillers")
    for facts in all_facts:
        found, bare = _people_in_article(facts, kb, particles)
        locals_ += found
        pending += [(facts.article_id, m) for m in bare]
        _attach_orgs(facts, fillers, orgs, org_of)
    parent = list(range(len(locals_)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    curated = [p.key for p in locals_]  # by root: the curated official the group is, if any

    def union(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b and not (curated[a] and curated[b] and curated[a] != curated[b]):
            parent[b] = a  # two curated officials are never one person
            curated[a] = curated[a] or curated[b]

    named = [i for i, p in enumerate(locals_) if not p.ambiguous and (p.key or p.forms)]
    by_name: dict[str, list[int]] = defaultdict(list)
    by_form: dict[str, list[int]] = defaultdict(list)
    for i in named:
        p = locals_[i]
        by_name[p.key or " ".join(p.canonical)].append(i)
        for toks in p.forms:
            by_form[" ".join(toks)].append(i)
    for group in by_name.values():
        for i in group[1:]:
            union(group[0], i)
    form_roots = {form: {root(j) for j in group} for form, group in by_form.items()}
    for i in named:  # "Renata Ibarra" here, a form of "Renata Ibarra Solís" there
        p = locals_[i]
        if p.key:
            continue
        others = {root(j) for j in form_roots.get(" ".join(p.canonical), ())}
        others.discard(root(i))
        if len(others) == 1:
            union(others.pop(), i)
    for join in (_without_initials, lambda t: tuple(t[1:])):
        buckets: dict[tuple, set[int]] = defaultdict(set)
        for i in named:
            toks = tuple(locals_[i].canonical)
            if len(toks) >= 2:
                buckets[join(toks)].add(root(i))
        for bucket in buckets.values():
            if len(bucket) < 2:
                continue
            variants = {tuple(locals_[i].canonical) for i in bucket}
            if join is _without_initials:  # "Mark Delaney" and "Mark T. Delaney"; not "George H. W." and "George W."
                if len({tuple(t for t in v if len(t) == 1) for v in variants} - {()}) > 1:
                    continue
            elif len(bucket) != 2 or not _one_letter_apart(*[v[0] for v in variants][:2]) or len(variants) != 2 \
                    or not _same_side([locals_[i] for i in bucket]):
                continue  # "Phillip Navarro" and "Philip Navarro", when no one else has the name
            first, *rest = sorted(bucket)
            for i in rest:
                union(first, i)

    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(locals_)):
        members[root(i)].append(i)
    for group in members.values():
        keys = {locals_[i].key for i in group if locals_[i].key}
        if keys:
            key = keys.pop()
        elif len(group) == 1 and locals_[group[0]].ambiguous:
            p = locals_[group[0]]
            key = f"{fold(p.mentions[0].name)} in {p.article}"  # an article's ambiguous surname
        else:
            best = max(group, key=lambda i: (len(_without_initials(locals_[i].canonical)),
                                             len(locals_[i].mentions), [-ord(c) for c in " ".join(locals_[i].canonical)]))
            key = " ".join(locals_[best].canonical) or fold(locals_[best].mentions[0].name)
        for i in group:
            for m in locals_[i].mentions:
                attach(locals_[i].article, m, key)

    # bare surnames no name in their article explains: one person corpus-wide, or their own node
    global_surnames: dict[str, set[str]] = defaultdict(set)
    for key, ent in people.items():
        for n in ent.names:
            for sk in _surname_keys(n):
                global_surnames[sk].add(key)
    for article_id, m in pending:
        cands = global_surnames.get(fold(m.name), set())
        attach(article_id, m, next(iter(cands)) if len(cands) == 1 else fold(m.name))

    # catalog authors: the journalist of that name, or a journalist of their own
    journalists = {fold(n): k for k, e in people.items() if "journalist" in e.roles for n in e.names}
    author_of: dict[tuple[str, str], str] = {}
    for article_id, authors in sorted(((a.id, a.authors) for a in articles), key=lambda a: slug(a[0])):
        for author in authors:
            key = journalists.get(fold(author), fold(author))
            if key not in people:
                ent = entity(key)
                ent.names[author] += 1
            # an author the text names too (an analyst quoted in their own piece) is a journalist as well
            people[key].roles.add("journalist")
            author_of[(article_id, author)] = key

    resolved: dict[str, PersonEntity] = {}
    for key, ent in people.items():
        off = officials.get(ent.official_key) if ent.official_key else None
        resolved[key] = PersonEntity(
            key, off.name if off else _preferred(ent.names, ent.nicks), tuple(n for n, _ in ent.names.most_common()),
            ent.kind, frozenset(ent.roles), _vote_country(ent, off.country if off else None),
            off.wikidata if off else None, ent.official_key)

    resolved_orgs: dict[str, OrgEntity] = {}
    for key, ent in orgs.items():
        aliases = kb.org_aliases.get(key)
        resolved_orgs[key] = OrgEntity(key, aliases[0] if aliases else _preferred(ent.names),
                                       tuple(n for n, _ in ent.names.most_common()), ent.type, ent.country)
    res = Resolution(resolved, resolved_orgs, person_of, org_of, author_of=author_of)
    # the claims and meetings, told by the people now resolved: what is kept of them is where
    # they are in their article's facts (emission reads them there) and what joins them across
    # articles, so none of an article's records outlives its pass
    claims: dict[str, tuple[int, ...]] = {}
    said: list[_Said] = []
    meetings = _Meetings(res)
    for facts in all_facts:
        kept = claims[facts.article_id] = _kept_claims(facts, res)
        day = _day(facts.published)
        for i in kept:
            c = facts.claims[i]
            said.append(_Said(facts.article_id, day, c.topic, c.polarity, c.start, c.end,
                              speaker_country(facts.article_id, c.speaker, res),
                              claim_holder(facts.article_id, c.speaker, res)))
        for i, m in enumerate(facts.meetings):
            meetings.add(facts.article_id, i, m)
    return replace(res, claims=claims, contradictions=_nearest_rebuttals(said),
                   positions=_positions(said), meetings=meetings.entities())


class _Said(NamedTuple):
    """A kept claim as the links across articles need it: who holds it, on what, when."""
    article: str
    day: int
    topic: str
    polarity: str
    start: int
    end: int
    country: str | None  # the speaker's country as resolved
    holder: tuple[str, str, str, str | None] | None  # claim_holder's (kind, key, label, country)


def _attach_orgs(facts: ArticleFacts, fillers: frozenset[str], orgs: dict[str, _OrgDraft],
                 org_of: dict[MentionId, str]) -> None:
    """An article's bodies added to ``orgs``: one body written two ways in one article ("the
    Foreign Ministry", "the Ministry of Foreign Affairs") is one."""
    same: dict[frozenset, str] = {}
    for o in facts.orgs:
        key = o.key or same.setdefault(frozenset(content_words(o.name)) - fillers, slug(o.name))
        ent = orgs.setdefault(key, _OrgDraft(key))
        ent.names[o.name] += 1
        ent.type = o.type
        ent.country = ent.country or o.country
        org_of[MentionId(facts.article_id, o.start)] = key


def _vote_country(ent: _PersonDraft, curated: str | None) -> str | None:
    if "journalist" in ent.roles and not ent.titled:
        return None
    order = [OWN, "curated", *sorted(r for r in ent.country_votes if r != OWN)]
    for rank in order:
        if rank == "curated":
            if curated:
                return curated
            continue
        votes = ent.country_votes.get(rank)
        if votes:
            if rank == NEIGHBOUR and len(votes) > 1:
                continue
            return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return None


# --------------------------------------------------------------------------- the dialogue

@dataclass
class _MeetingDraft:
    """A meeting while the accounts of it are gathered (frozen into a MeetingEntity at the end)."""
    merged: Meeting
    supports: list[tuple[str, int]] = field(default_factory=list)  # (article id, its account's place there)
    people: dict[str, None] = field(default_factory=dict)  # person keys in the order the accounts name them
    sides: dict[str, None] = field(default_factory=dict)  # the sides named (no person), in the accounts' order


def _same_meeting(e: _MeetingDraft, m: Meeting, persons: dict[str, None]) -> bool:
    """Whether two articles' accounts are one meeting: dated alike, of compatible types, not in two
    places, and sharing a participant (or the place and the agreement, or the place and the day)."""
    a = e.merged
    if not (a.date or a.month) or not (m.date or m.month):
        return False  # undated mentions in different articles are too weak to join
    if not compatible_dates(a, m) or not compatible_types(a, m):
        return False
    if a.place and m.place and fold(a.place) != fold(m.place):
        return False
    if persons.keys() & e.people.keys():
        return True
    same_place = a.place and m.place and fold(a.place) == fold(m.place)
    agreement = a.agreement and m.agreement and (fold(a.agreement).startswith(fold(m.agreement))
                                                 or fold(m.agreement).startswith(fold(a.agreement)))
    return bool(same_place and (agreement or (a.date and m.date)))


class _Meetings:
    """Join the meetings several articles tell (date, place, participants) into one node each,
    the accounts given in article order."""

    def __init__(self, res: Resolution) -> None:
        self.res = res
        self.drafts: list[_MeetingDraft] = []
        # only meetings of the same month can be one (compatible_dates), so each is compared with
        # that month's meetings, oldest first, not with every meeting of the archive
        self.by_month: dict[tuple[int, int], list[_MeetingDraft]] = defaultdict(list)

    def add(self, article_id: str, index: int, m: Meeting) -> None:
        """One account: ``m``, the ``index``-th meeting of its article's facts."""
        persons = dict.fromkeys(self.res.person_of[MentionId(article_id, p.mention)]
                                for p in m.participants if p.kind == "person")
        key = (m.date.year, m.date.month) if m.date else m.month
        target = next((e for e in self.by_month.get(key, []) if _same_meeting(e, m, persons)), None) if key else None
        if target is None:
            target = _MeetingDraft(m)
            self.drafts.append(target)
            if key:
                self.by_month[key].append(target)
        else:
            target.merged = absorb(target.merged, m)
        target.supports.append((article_id, index))
        target.people.update(persons)
        target.sides.update(dict.fromkeys(p.label for p in m.participants if p.kind != "person"))

    def entities(self) -> tuple[MeetingEntity, ...]:
        res = self.res
        used: Counter = Counter()
        entities = []
        for e in self.drafts:
            m = e.merged
            when = m.date.isoformat() if m.date else (f"{m.month[0]}-{m.month[1]:02d}" if m.month else "undated")
            base = f"{when}-{slug(m.place) if m.place else 'unplaced'}-{m.type}"
            used[base] += 1
            key = base if used[base] == 1 else f"{base}-{used[base]}"
            # "Blinken–Ebrard phone call, 13 Mar 2023": the people's surnames (or the sides when no
            # person is named), the type in words, the place and the date
            people = [(res.people[k].name, res.people[k].names) for k in e.people]
            entities.append(MeetingEntity(key, meeting_label(m, people, list(e.sides)), m, tuple(e.supports),
                                          frozenset(e.people)))
        return tuple(entities)


def speaker_country(article_id: str, ref: AgentRef | None, res: Resolution) -> str | None:
    """The country of the agent behind ``ref`` as resolved (a person's voted country, a body's country)."""
    if ref is None:
        return None
    if ref.kind == "person":  # else the side the article gave their post ("the head of U.S. X")
        return res.people[res.agent_key(article_id, ref)].country or ref.country
    if ref.kind == "org":
        return res.orgs[res.agent_key(article_id, ref)].country
    return ref.country


def _kept_claims(facts: ArticleFacts, res: Resolution) -> tuple[int, ...]:
    """Where an article's kept claims are in its facts: a country's claim folded into its
    officials' same claim.

    "Mexico said it was not a production hub" beside "Mexico's foreign ministry said … no
    record of fentanyl production" in one article is one position, told with the more
    specific speaker.
    """
    mine = []
    for i, c in enumerate(facts.claims):
        if c.speaker is not None and c.speaker.kind == "country":
            twin = next((o for o in facts.claims if o is not c and o.topic == c.topic and o.polarity == c.polarity
                         and o.speaker is not None and o.speaker.kind != "country"
                         and speaker_country(facts.article_id, o.speaker, res) == c.speaker.country), None)
            if twin is not None:
                continue
        mine.append(i)
    return tuple(mine)


def _nearest_rebuttals(said: list[_Said]) -> tuple[tuple[ClaimId, ClaimId], ...]:
    """Each claim linked to the nearest opposite claim of each other country on its topic.

    Claims by different countries on the same topic with opposite polarity contradict each
    other, across articles too. Nearest: in the same article first (closest in the text),
    then the closest article in time. Linking every opposite pair would grow with the
    square of the archive (thousands of denials of one accusation); the nearest rebuttal is
    the one a reader would pair, and keeps the links to a few per claim. Returns pairs of
    claim ids ``(article id, start, end)``.
    """
    # topic → (polarity, country) → claims sorted by (day, article, start): each group is held
    # against the groups of its own topic only
    by_topic: dict[str, dict[tuple, list]] = defaultdict(lambda: defaultdict(list))
    for c in said:
        if c.country:
            by_topic[c.topic][(c.polarity, c.country)].append((c.day, c.article, c.start, c.end))
    pairs: set[tuple] = set()
    for groups in by_topic.values():
        for items in groups.values():
            items.sort()
        sides = list(groups.items())
        for (polarity, k1), mine in sides:
            for (p2, k2), theirs in sides:
                if p2 == polarity or k2 == k1:
                    continue
                _link_nearest(mine, theirs, pairs)
    return tuple(sorted(pairs))


def _day(published: str | None) -> int:
    """An article's publication day as a number (0 when undated), to find the closest in time."""
    return date.fromisoformat(published).toordinal() if published else 0


def _link_nearest(mine: list, theirs: list, pairs: set) -> None:
    """Each of ``mine`` paired with the nearest of ``theirs`` (both sorted by (day, article, start)):
    in its own article the closest in the text, else the closest article in time."""
    days = [item[0] for item in theirs]
    by_article: dict[str, list] = defaultdict(list)
    for item in theirs:
        by_article[item[1]].append(item)
    for d, article, start, end in mine:
        same = by_article.get(article)
        if same:
            best = min(same, key=lambda o: (abs(o[2] - start), o[2]))
        else:
            i = bisect_left(days, d)
            best = min(theirs[max(i - 1, 0):i + 1], key=lambda o: (abs(o[0] - d), o[0], o[1], o[2]))
        one, other = (article, start, end), (best[1], best[2], best[3])
        pairs.add((one, other) if one < other else (other, one))


def group_key(label: str) -> str:
    """The key of an unnamed group ("U.S. officials"): its wording, folded, one node across articles."""
    return fold(label)


def claim_holder(article_id: str, ref: AgentRef | None, res: Resolution) -> tuple[str, str, str, str | None] | None:
    """``(kind, key, label, country)`` of the actor who holds a claim's position: a person or
    organization as resolved, an unnamed group by its wording, or a government (a country's or
    a delegation's claims are its government's)."""
    if ref is None:
        return None
    if ref.kind == "person":
        key = res.agent_key(article_id, ref)
        return "person", key, res.people[key].name, res.people[key].country or ref.country
    if ref.kind == "org":
        key = res.agent_key(article_id, ref)
        return "org", key, res.orgs[key].name, res.orgs[key].country
    if ref.kind == "group":
        return "group", group_key(ref.label), ref.label, ref.country
    if ref.country:
        return "country", ref.country, ref.label, ref.country
    return None


def _positions(said: list[_Said]) -> tuple[Position, ...]:
    """One position per (topic, holder, polarity): the claims, across articles, in which an actor
    asserts or denies the same thing, oldest first. Their number grows with the actors and
    questions of the archive, not with its articles."""
    groups: dict[tuple, list] = defaultdict(list)
    labels: dict[tuple, tuple[str, str | None]] = {}
    for c in said:
        if c.holder is None:
            continue
        kind, key, label, country = c.holder
        k = (c.topic, kind, key, c.polarity)
        groups[k].append((c.day, c.article, c.start, c.end))
        labels.setdefault(k, (label, country))
    out = []
    for (topic, kind, key, polarity), items in sorted(groups.items()):
        label, country = labels[(topic, kind, key, polarity)]
        out.append(Position(topic, polarity, kind, key, label, country,
                            tuple((a, s, e) for _, a, s, e in sorted(items))))
    return tuple(out)
