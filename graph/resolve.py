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
from dataclasses import dataclass, field

from .extract import NEIGHBOUR, OWN, ArticleFacts, PersonMention
from .knowledge import Knowledge
from .text import fold, slug

__all__ = ["PersonEntity", "OrgEntity", "Resolution", "resolve"]


@dataclass
class PersonEntity:
    key: str
    names: Counter = field(default_factory=Counter)
    official_key: str | None = None
    country_votes: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    titled: bool = False
    roles: set = field(default_factory=set)
    name: str = ""
    country: str | None = None
    wikidata: str | None = None

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
class OrgEntity:
    key: str
    names: Counter = field(default_factory=Counter)
    type: str = "other"
    country: str | None = None
    name: str = ""


@dataclass
class Resolution:
    people: dict[str, PersonEntity]
    orgs: dict[str, OrgEntity]
    person_of: dict[tuple[str, int], str]  # (article id, mention start) -> person key
    org_of: dict[tuple[str, int], str]


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


def resolve(all_facts: list[ArticleFacts], kb: Knowledge) -> Resolution:
    people: dict[str, PersonEntity] = {}
    person_of: dict[tuple[str, int], str] = {}
    pending: list[tuple[str, PersonMention]] = []

    def entity(key: str) -> PersonEntity:
        if key not in people:
            people[key] = PersonEntity(key)
        return people[key]

    def attach(article_id: str, m: PersonMention, key: str) -> None:
        ent = entity(key)
        ent.names[m.name] += 1
        person_of[(article_id, m.start)] = key
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

    for key, ent in people.items():
        off = None
        if ent.official_key:
            off = next((o for o in kb.officials.values() if o.key == ent.official_key), None)
        ent.name = off.name if off else _preferred(ent.names)
        ent.wikidata = off.wikidata if off else None
        ent.country = _vote_country(ent, off.country if off else None)

    orgs: dict[str, OrgEntity] = {}
    org_of: dict[tuple[str, int], str] = {}
    for facts in all_facts:
        for o in facts.orgs:
            key = o.key or slug(o.name)
            ent = orgs.setdefault(key, OrgEntity(key))
            ent.names[o.name] += 1
            ent.type = o.type
            ent.country = ent.country or o.country
            org_of[(facts.article_id, o.start)] = key
    for key, ent in orgs.items():
        curated = kb.org_aliases.get(key)
        ent.name = curated[0] if curated else _preferred(ent.names)
    return Resolution(people, orgs, person_of, org_of)


def _vote_country(ent: PersonEntity, curated: str | None) -> str | None:
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
