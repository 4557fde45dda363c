"""Stage 4 — resolve: one node per real entity, within and across articles.

"Blinken", "Mr. Blinken" and "Antony Blinken" are one person; "AMLO", "Andres Manuel
Lopez Obrador" and "López Obrador" are one person. Full names are matched folded
(accents, case, possessives ignored) and through curated aliases; a bare surname joins
the full name it ends in, first within its article, then across the corpus when only
one person fits. A person's country is voted from the evidence of all mentions,
strongest kind first (own nationality word, delegation side, post, list neighbour),
with curated knowledge before the weak kinds.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from .find.meetings import TYPE_LABELS, absorb, compatible_dates
from .knowledge import Knowledge
from .model import (
    NEIGHBOUR,
    OWN,
    AgentRef,
    Article,
    ArticleFacts,
    Claim,
    ClaimId,
    Meeting,
    MeetingEntity,
    MentionId,
    OrgEntity,
    PersonEntity,
    PersonMention,
    Resolution,
)
from .text import fold, slug

__all__ = ["resolve", "speaker_country"]


@dataclass
class _PersonDraft:
    """A person while mentions are still being attached (frozen into a PersonEntity at the end)."""
    key: str
    names: Counter = field(default_factory=Counter)
    official_key: str | None = None
    country_votes: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    titled: bool = False
    roles: set = field(default_factory=set)

    @property
    def kind(self) -> str:
        if self.titled or (self.official_key and "journalist" not in self.roles):
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
    return fold(name).split()


def _surname_keys(name: str) -> list[str]:
    toks = _tokens(name)
    keys = []
    if len(toks) >= 2:
        keys.append(toks[-1])
    if len(toks) >= 3:
        keys.append(" ".join(toks[-2:]))
    return keys


def _preferred(names: Counter) -> str:
    """The fullest, accented form: "Alicia Bárcena" over "Alicia Barcena" and "Barcena"."""
    def score(n: str):
        return (len(_tokens(n)), sum(not c.isascii() for c in n), names[n], n)
    return max(names, key=score)


def resolve(all_facts: list[ArticleFacts], kb: Knowledge, articles: list[Article] = ()) -> Resolution:
    """People, bodies, meetings and claims resolved across ``all_facts``; ``articles`` (the same
    articles, for their catalog authors) adds each author as a journalist."""
    people: dict[str, _PersonDraft] = {}
    person_of: dict[MentionId, str] = {}
    pending: list[tuple[str, PersonMention]] = []

    def entity(key: str) -> _PersonDraft:
        if key not in people:
            people[key] = _PersonDraft(key)
        return people[key]

    def attach(article_id: str, m: PersonMention, key: str) -> None:
        ent = entity(key)
        ent.names[m.name] += 1
        person_of[MentionId(article_id, m.start)] = key
        if m.official_key:
            ent.official_key = m.official_key
        if m.titles:
            ent.titled = True
        if m.role:
            ent.roles.add(m.role)
        if m.country:
            ent.country_votes[m.country_rank][m.country] += 1

    def full_key(m: PersonMention) -> str:
        off = kb.officials.get(fold(m.name))
        if m.official_key or off:
            return m.official_key or off.key
        return fold(m.name)

    for facts in all_facts:
        full = [m for m in facts.people if not m.surname_only]
        by_surname: dict[str, set[str]] = defaultdict(set)
        for m in full:
            key = full_key(m)
            attach(facts.article_id, m, key)
            for sk in _surname_keys(m.name):
                by_surname[sk].add(key)
        for m in facts.people:
            if not m.surname_only:
                continue
            cands = by_surname.get(fold(m.name), set())
            off = kb.officials.get(fold(m.name))
            if len(cands) == 1:
                attach(facts.article_id, m, next(iter(cands)))
            elif off:
                attach(facts.article_id, m, off.key)
            else:
                pending.append((facts.article_id, m))

    # bare surnames no full name in their article explains: one person corpus-wide, or their own node
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
    for article in sorted(articles, key=lambda a: slug(a.id)):
        for author in article.authors:
            key = journalists.get(fold(author), fold(author))
            if key not in people:
                ent = entity(key)
                ent.names[author] += 1
                ent.roles.add("journalist")
            author_of[(article.id, author)] = key

    officials = {o.key: o for o in kb.officials.values()}
    resolved: dict[str, PersonEntity] = {}
    for key, ent in people.items():
        off = officials.get(ent.official_key) if ent.official_key else None
        resolved[key] = PersonEntity(
            key, off.name if off else _preferred(ent.names), tuple(n for n, _ in ent.names.most_common()),
            ent.kind, frozenset(ent.roles), _vote_country(ent, off.country if off else None),
            off.wikidata if off else None, ent.official_key)

    orgs: dict[str, _OrgDraft] = {}
    org_of: dict[MentionId, str] = {}
    for facts in all_facts:
        for o in facts.orgs:
            key = o.key or slug(o.name)
            ent = orgs.setdefault(key, _OrgDraft(key))
            ent.names[o.name] += 1
            ent.type = o.type
            ent.country = ent.country or o.country
            org_of[MentionId(facts.article_id, o.start)] = key
    resolved_orgs: dict[str, OrgEntity] = {}
    for key, ent in orgs.items():
        curated = kb.org_aliases.get(key)
        resolved_orgs[key] = OrgEntity(key, curated[0] if curated else _preferred(ent.names),
                                       tuple(n for n, _ in ent.names.most_common()), ent.type, ent.country)
    res = Resolution(resolved, resolved_orgs, person_of, org_of, author_of=author_of)
    claims = _kept_claims(all_facts, res)
    return replace(res, claims=claims, contradictions=_nearest_rebuttals(all_facts, claims, res),
                   meetings=_resolve_meetings(all_facts, res))


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
    supports: list[tuple[str, Meeting]] = field(default_factory=list)
    people: set[str] = field(default_factory=set)


def _same_meeting(e: MeetingEntity, m, persons: set[str]) -> bool:

    a = e.merged
    if not (a.date or a.month) or not (m.date or m.month):
        return False  # undated mentions in different articles are too weak to join
    if not compatible_dates(a, m) or "hearing" in (a.type, m.type) and a.type != m.type:
        return False
    if a.place and m.place and fold(a.place) != fold(m.place):
        return False
    if persons & e.people:
        return True
    same_place = a.place and m.place and fold(a.place) == fold(m.place)
    agreement = a.agreement and m.agreement and (fold(a.agreement).startswith(fold(m.agreement))
                                                 or fold(m.agreement).startswith(fold(a.agreement)))
    return bool(same_place and (agreement or (a.date and m.date)))


def _resolve_meetings(all_facts: list[ArticleFacts], res: Resolution) -> tuple[MeetingEntity, ...]:
    """Join the meetings several articles tell (date, place, participants) into one node each."""
    def month(m: Meeting) -> tuple[int, int] | None:
        return (m.date.year, m.date.month) if m.date else m.month

    drafts: list[_MeetingDraft] = []
    # only meetings of the same month can be one (compatible_dates), so each is compared with
    # that month's meetings, oldest first, not with every meeting of the archive
    by_month: dict[tuple[int, int], list[_MeetingDraft]] = defaultdict(list)
    for facts in all_facts:
        for m in facts.meetings:
            persons = {res.person_of[MentionId(facts.article_id, p.mention)] for p in m.participants
                       if p.kind == "person"}
            key = month(m)
            target = next((e for e in by_month.get(key, []) if _same_meeting(e, m, persons)), None) if key else None
            if target is None:
                target = _MeetingDraft(m)
                drafts.append(target)
                if key:
                    by_month[key].append(target)
            else:
                target.merged = absorb(target.merged, m)
            target.supports.append((facts.article_id, m))
            target.people |= persons
    used: Counter = Counter()
    entities = []
    for e in drafts:
        m = e.merged
        when = m.date.isoformat() if m.date else (f"{m.month[0]}-{m.month[1]:02d}" if m.month else "undated")
        base = f"{when}-{slug(m.place) if m.place else 'unplaced'}-{m.type}"
        used[base] += 1
        key = base if used[base] == 1 else f"{base}-{used[base]}"
        words = (m.label or "").split()
        name = " ".join(words[-2:]) if words else TYPE_LABELS.get(m.type, "Meeting")
        if m.place:
            name = f"{name} in {m.place}"
        elif e.people:
            name = f"{name}: " + " – ".join(sorted(res.people[k].name for k in e.people)[:3])
        entities.append(MeetingEntity(key, name[:1].upper() + name[1:], m, tuple(e.supports), frozenset(e.people)))
    return tuple(entities)


def speaker_country(article_id: str, ref: AgentRef | None, res: Resolution) -> str | None:
    """The country of the agent behind ``ref`` as resolved (a person's voted country, a body's country)."""
    if ref is None:
        return None
    if ref.kind == "person":
        return res.people[res.agent_key(article_id, ref)].country
    if ref.kind == "org":
        return res.orgs[res.agent_key(article_id, ref)].country
    return ref.country


def _kept_claims(all_facts: list[ArticleFacts], res: Resolution) -> dict[str, tuple[Claim, ...]]:
    """Each article's claims, a country's claim folded into its officials' same claim.

    "Mexico said it was not a production hub" beside "Mexico's foreign ministry said … no
    record of fentanyl production" in one article is one position, told with the more
    specific speaker.
    """
    kept: dict[str, tuple[Claim, ...]] = {}
    for facts in all_facts:
        mine = []
        for c in facts.claims:
            if c.speaker is not None and c.speaker.kind == "country":
                twin = next((o for o in facts.claims if o is not c and o.topic == c.topic and o.polarity == c.polarity
                             and o.speaker is not None and o.speaker.kind != "country"
                             and speaker_country(facts.article_id, o.speaker, res) == c.speaker.country), None)
                if twin is not None:
                    continue
            mine.append(c)
        kept[facts.article_id] = tuple(mine)
    return kept


def _nearest_rebuttals(all_facts: list[ArticleFacts], claims: dict[str, tuple[Claim, ...]],
                       res: Resolution) -> tuple[tuple[ClaimId, ClaimId], ...]:
    """Each claim linked to the nearest opposite claim of each other country on its topic.

    Claims by different countries on the same topic with opposite polarity contradict each
    other, across articles too. Nearest: in the same article first (closest in the text),
    then the closest article in time. Linking every opposite pair would grow with the
    square of the archive (thousands of denials of one accusation); the nearest rebuttal is
    the one a reader would pair, and keeps the links to a few per claim. Returns pairs of
    claim ids ``(article id, start, end)``.
    """
    from bisect import bisect_left
    from datetime import date

    def day(published: str | None) -> int:
        return date.fromisoformat(published).toordinal() if published else 0

    # (topic, polarity, country) → claims sorted by (day, article, start)
    groups: dict[tuple, list] = defaultdict(list)
    for f in all_facts:
        for c in claims.get(f.article_id, ()):
            k = speaker_country(f.article_id, c.speaker, res)
            if k:
                groups[(c.topic, c.polarity, k)].append((day(f.published), f.article_id, c.start, c.end))
    for items in groups.values():
        items.sort()
    pairs: set[tuple] = set()
    for (topic, polarity, k1), mine in groups.items():
        for (t2, p2, k2), theirs in groups.items():
            if t2 != topic or p2 == polarity or k2 == k1:
                continue
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
                    near = [o for o in theirs[max(i - 1, 0):i + 1]]
                    best = min(near, key=lambda o: (abs(o[0] - d), o[0], o[1], o[2]))
                one, other = (article, start, end), (best[1], best[2], best[3])
                pairs.add((one, other) if one < other else (other, one))
    return tuple(sorted(pairs))
