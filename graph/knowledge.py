"""Curated domain knowledge, read from ``ontology/knowledge.yaml``.

The file holds what an analyst brings to any article (countries, demonyms, bodies,
posts, well-known officials). Loading it into look-up tables keyed by folded text
lets the extraction stage correct the statistical model without knowing anything
about a particular article.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from .resources import ontology_dir
from .text import fold, slug

__all__ = ["Country", "Org", "Official", "Post", "Topic", "Knowledge", "load_knowledge", "ONTOLOGY_DIR"]

ONTOLOGY_DIR = ontology_dir()  # the packaged graph/ontology, or the checkout's ontology/ (see resources)


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    wikidata: str | None = None


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    type: str
    country: str | None = None


@dataclass(frozen=True)
class Official:
    key: str
    name: str
    country: str | None
    wikidata: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Post:
    name: str
    pattern: re.Pattern
    country: str | None


@dataclass(frozen=True)
class Topic:
    name: str
    groups: tuple[tuple[str, ...], ...]

    def __post_init__(self):
        # one pattern per group (any of its stems at a word start), compiled once: asked per sentence
        object.__setattr__(self, "_patterns", tuple(
            re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in group) + ")") for group in self.groups))

    def matches(self, text: str, low: str | None = None) -> bool:
        """Whether ``text`` (``low``: the same, lower-cased, when the caller has it) touches the topic."""
        low = text.lower() if low is None else low
        # a plain substring test first rejects most sentences at C speed; the pattern then
        # checks the stem starts a word
        return all(any(stem in low for stem in group) and p.search(low)
                   for group, p in zip(self.groups, self._patterns))


@dataclass
class Knowledge:
    countries: dict[str, Country] = field(default_factory=dict)
    country_alias: dict[str, str] = field(default_factory=dict)  # folded alias -> country id
    demonym: dict[str, str] = field(default_factory=dict)  # folded demonym -> country id
    government_marker: dict[str, str] = field(default_factory=dict)
    written: list[tuple[str, str, str]] = field(default_factory=list)  # (label, text as written, country id)
    place: dict[str, str | None] = field(default_factory=dict)  # folded place -> country id (None: a region)
    place_names: dict[str, str] = field(default_factory=dict)  # folded -> as written
    orgs: dict[str, Org] = field(default_factory=dict)  # folded alias -> Org
    org_aliases: dict[str, list[str]] = field(default_factory=dict)  # org key -> aliases as written
    seats: dict[str, str] = field(default_factory=dict)  # org key -> the city the body sits in
    title_heads: frozenset = frozenset()
    title_modifiers: frozenset = frozenset()
    military_ranks: frozenset = frozenset()
    honorifics: frozenset = frozenset()
    posts: list[Post] = field(default_factory=list)
    topic_words: frozenset = frozenset()
    title_words: frozenset = frozenset()
    officials: dict[str, Official] = field(default_factory=dict)  # folded alias -> Official
    topics: list[Topic] = field(default_factory=list)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)  # ontology/cues.yaml: list name -> words
    _topics_seen: dict = field(default_factory=dict, repr=False, compare=False)

    def topics_of(self, text: str) -> list[str]:
        """Names of the dialogue topics a text touches, most specific first (file order).

        Remembered per text: a sentence's figures, meetings and claims each ask about it (five
        times per sentence on average)."""
        names = self._topics_seen.get(text)
        if names is None:
            if len(self._topics_seen) > 4096:
                self._topics_seen.clear()
            low = text.lower()  # once, not once per topic
            names = self._topics_seen[text] = tuple(t.name for t in self.topics if t.matches(text, low))
        return list(names)

    def fingerprint(self) -> str:
        """A hash of what this knowledge says, the same in every process and run (sets sorted,
        patterns by their text, the topic memo left out): extractions are cached, and worker
        pipelines kept, under it, so a build with other knowledge never reuses them."""
        def plain(x):
            if is_dataclass(x):
                return {f.name: plain(getattr(x, f.name)) for f in fields(x) if f.compare}
            if isinstance(x, dict):
                return [[plain(k), plain(v)] for k, v in x.items()]
            if isinstance(x, (set, frozenset)):
                return sorted((plain(v) for v in x), key=lambda v: json.dumps(v, ensure_ascii=False))
            if isinstance(x, (list, tuple)):
                return [plain(v) for v in x]
            if isinstance(x, re.Pattern):
                return [x.pattern, x.flags]
            return x
        return hashlib.sha256(json.dumps(plain(self), ensure_ascii=False).encode()).hexdigest()[:16]

    # -- look-ups -------------------------------------------------------------
    def cue(self, name: str) -> frozenset[str]:
        """A cue list of ``ontology/cues.yaml`` (speech verbs, meeting triggers, furniture markers …),
        lower case: the knowledge's own cues.yaml, else the project's."""
        try:
            return self.cues[name]
        except KeyError:
            raise KeyError(f"no cue list {name!r} in cues.yaml (known: {', '.join(sorted(self.cues))})") from None

    def country_of_marker(self, text: str) -> str | None:
        """Country id named by a country name, demonym or government marker."""
        key = fold(text)
        return self.country_alias.get(key) or self.demonym.get(key) or self.government_marker.get(key)

    def post_for(self, title: str) -> Post | None:
        low = title.lower()
        for post in self.posts:
            if post.pattern.search(low):
                return post
        return None

    def is_title_word(self, word: str) -> bool:
        w = word.lower().rstrip(".")
        return w in self.title_heads or w in self.title_modifiers or word in self.military_ranks

    @cached_property
    def _title_head(self) -> re.Pattern:
        return re.compile(r"\b(?:" + "|".join(re.escape(h) for h in sorted(self.title_heads)) + r")\b")

    def has_title_head(self, words: list[str]) -> bool:
        return bool(self.title_heads) and self._title_head.search(" ".join(w.lower() for w in words)) is not None


def _load(path: Path) -> Knowledge:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kb = Knowledge()
    for c in data["countries"]:
        country = Country(c["id"], c["name"], c.get("wikidata"))
        kb.countries[c["id"]] = country
        for alias in [c["name"], *c.get("aliases", [])]:
            kb.country_alias[fold(alias)] = c["id"]
            kb.written.append(("GPE", alias, c["id"]))
        for dem in c.get("demonyms", []):
            kb.demonym[fold(dem)] = c["id"]
            kb.written.append(("NORP", dem, c["id"]))
        for marker in c.get("government_markers", []):
            kb.government_marker[fold(marker)] = c["id"]
    by_name = {c.name: c.id for c in kb.countries.values()}
    for country_name, names in data.get("places", {}).items():
        for name in names:
            kb.place[fold(name)] = by_name.get(country_name)
            kb.place_names[fold(name)] = name
    for o in data["organizations"]:
        org = Org(slug(o["name"]), o["name"], o["type"], o.get("country"))
        kb.org_aliases[org.key] = [o["name"], *o.get("aliases", [])]
        for alias in kb.org_aliases[org.key]:
            kb.orgs[fold(alias)] = org
    for city, bodies in (data.get("seats") or {}).items():
        for body in bodies:
            org = kb.orgs.get(fold(body))
            if org is None:
                raise ValueError(f"knowledge seats: {body!r} is not one of the organizations")
            kb.seats[org.key] = city
    kb.title_heads = frozenset(h.lower() for h in data["title_heads"])
    kb.title_modifiers = frozenset(m.lower() for m in data["title_modifiers"])
    kb.military_ranks = frozenset(data["military_ranks"])
    kb.honorifics = frozenset(data["honorifics"])
    kb.posts = [Post(p["post"], re.compile(p["pattern"], re.I), p.get("country")) for p in data["posts"]]
    kb.topic_words = frozenset(w.lower() for w in data["topic_words"])
    kb.title_words = frozenset(w.lower() for w in data.get("title_words", []))
    for o in data.get("officials", []):
        off = Official(slug(o["name"]), o["name"], o.get("country"), o.get("wikidata"), tuple(o.get("aliases", [])))
        for alias in [o["name"], *off.aliases]:
            kb.officials[fold(alias)] = off
    kb.topics = [Topic(t["name"], tuple(tuple(s.lower() for s in g) for g in t["all"]))
                 for t in data.get("topics", [])]
    # a knowledge.yaml with no cues.yaml beside it (or one that leaves a list out) reads with the
    # project's lists: the finders always find every list they read
    own, project = path.parent / "cues.yaml", ONTOLOGY_DIR / "cues.yaml"
    kb.cues = {**(load_cues(project) if own.resolve() != project.resolve() else {}), **load_cues(own)}
    return kb


def load_cues(path: Path) -> dict[str, frozenset[str]]:
    """The cue lists of a cues.yaml: ``name: {covers: what the list covers, words: [...]}``.

    A list without ``covers`` is refused: a cue list is data with a note on what it covers,
    never a phrase kept because one article used it.
    """
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cues = {}
    for name, entry in data.items():
        if not isinstance(entry, dict) or not entry.get("covers") or not isinstance(entry.get("words"), list):
            raise ValueError(f"{path}: cue list {name!r} needs 'covers' (what it covers) and 'words' (a list)")
        odd = [w for w in entry["words"] if not isinstance(w, (str, int, float)) or isinstance(w, bool)]
        if odd:  # YAML reads a bare on/off/yes/no as a boolean
            raise ValueError(f"{path}: cue list {name!r} holds {odd!r}, not words (quote them: \"on\", \"no\")")
        cues[name] = frozenset(str(w).lower() for w in entry["words"])
    return cues


@lru_cache(maxsize=4)
def load_knowledge(path: str | None = None) -> Knowledge:
    """Load (and cache) the curated knowledge; ``path`` defaults to the project's file."""
    return _load(Path(path) if path else ONTOLOGY_DIR / "knowledge.yaml")
