"""Emission: facts and their resolution as RDF quads, one named graph per article.

A pure function of (articles, facts, resolution, knowledge); writing files is
:mod:`graph.rdf.serialize`'s job. Each article's named graph holds what that article
supports: its metadata, every mention (file offsets and sentence), the titles it gives
people, its quotes, claims, figures, notes and its account of each meeting. The default
graph holds the resolved entities (preferred name, type, country, Wikidata link) and
merged meetings. No blank nodes: every node has an IRI built from stable keys, so the
same input gives the same IRIs. :func:`emit_graphs` yields one graph at a time, so a
build writes each article's graph and lets it go (only the default graph of entities
stays in memory).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterator, Sequence

import pyoxigraph as ox
import rdflib
from rdflib import Dataset, Literal

from .. import vocab
from ..knowledge import Knowledge
from ..model import (
    AgentRef,
    Article,
    ArticleFacts,
    ClaimId,
    MeetingEntity,
    MentionId,
    Resolution,
)
from ..resolve import group_key
from ..terms import rdflib_converter
from ..text import fold, slug
from ..vocab import ID, WD, bind_prefixes


class _OxVocabulary:
    """A vocabulary whose terms are Oxigraph NamedNodes, each made once: emission writes Oxigraph
    terms straight out, and a statement whose every term is one needs no conversion before it is
    sorted and written (converting rdflib terms was a large share of writing graph.trig)."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        term = ox.NamedNode(str(getattr(self._namespace, name)))  # rdflib checks closed vocabularies
        setattr(self, name, term)
        return term

    def __str__(self) -> str:
        return str(self._namespace)


DG, OA, ORG, PROV, QUDT, SCHEMA = (_OxVocabulary(ns) for ns in (vocab.DG, vocab.OA, vocab.ORG, vocab.PROV,
                                                                 vocab.QUDT, vocab.SCHEMA))
RDF, RDFS, XSD, OWL, SKOS = (_OxVocabulary(ns) for ns in (rdflib.RDF, rdflib.RDFS, rdflib.XSD, rdflib.OWL,
                                                          rdflib.SKOS))

__all__ = ["emit_graphs", "to_dataset"]

ORG_CLASS = {
    "government_body": DG.GovernmentBody, "legislature": DG.Legislature, "party": DG.PoliticalParty,
    "criminal_organization": DG.CriminalOrganization, "company": DG.Company, "news_outlet": DG.NewsOutlet,
}
_ID, _WD = str(ID), str(WD)
_XSD_DATE, _XSD_NNI, _XSD_DECIMAL = XSD.date, XSD.nonNegativeInteger, XSD.decimal
PERSON_CLASS = {"official": DG.Official, "journalist": DG.Journalist, "person": DG.Person}


def _iri(path: str) -> ox.NamedNode:
    """A node of ours, as an Oxigraph term: a build writes these straight out, rdflib terms
    are made only for :func:`to_dataset` (making them was the emission's largest cost)."""
    return ox.NamedNode(_ID + path)


def _wd(qid: str) -> ox.NamedNode:
    return ox.NamedNode(_WD + qid)


def _article(article_id: str) -> ox.NamedNode:
    return _iri(f"article/{slug(article_id)}")


def person_iri(key: str) -> ox.NamedNode:
    return _iri(f"person/{slug(key)}")


def org_iri(key: str) -> ox.NamedNode:
    return _iri(f"org/{slug(key)}")


def country_iri(cid: str) -> ox.NamedNode:
    return _iri(f"country/{cid.lower()}")


def _claim_iri(claim: ClaimId) -> ox.NamedNode:
    """The node of a claim kept by resolution, as its article's graph names it (see ``spoken``)."""
    article_id, start, end = claim
    return _iri(f"claim/{slug(article_id)}/{start}-{end}")


_MENTION, _REFERS, _IN, _START, _END = DG.Mention, DG.refersTo, DG.inArticle, OA.start, OA.end
_EXACT, _SENTENCE, _SS, _SE, _SEGMENT, _TYPE = OA.exact, DG.sentence, DG.sentenceStart, DG.sentenceEnd, DG.segment, RDF.type
_MENTIONS = SCHEMA.mentions


@lru_cache(maxsize=65_536)
def _offset(n: int) -> ox.Literal:
    """Offsets repeat from article to article: each literal is made once."""
    return ox.Literal(str(n), datatype=_XSD_NNI)


def _mention(g: set, art: ox.NamedNode, article: Article, start: int, end: int, ss: int, se: int,
             target: ox.NamedNode, segment: str, evidence: bool = False) -> ox.NamedNode:
    """A text span of the article; ``evidence`` spans belong to one fact node each.

    An entity's mention also says, once per article, that the article mentions it
    (``schema:mentions``): "which articles name X" then reads one statement per article
    instead of joining every mention (the saved queries on a 5,000-article graph)."""
    if evidence:
        m = ox.NamedNode(f"{target.value}/evidence/{start}-{end}")
    else:
        m = _iri(f"mention/{slug(article.id)}/{start}-{end}")
        g.add((art, _MENTIONS, target))
    g.add((m, _TYPE, _MENTION))
    g.add((m, _REFERS, target))
    g.add((m, _IN, art))
    g.add((m, _START, _offset(start)))
    g.add((m, _END, _offset(end)))
    g.add((m, _EXACT, ox.Literal(article.text[start:end])))
    g.add((m, _SENTENCE, ox.Literal(" ".join(article.text[ss:se].split()))))
    g.add((m, _SS, _offset(ss)))
    g.add((m, _SE, _offset(se)))
    g.add((m, _SEGMENT, ox.Literal(segment)))
    return m


def _outlet_org(outlet: str, kb: Knowledge) -> tuple[str, str]:
    name = re.sub(r"\s*\(.*?\)\s*", "", outlet).strip()
    org = kb.orgs.get(fold(name))
    return (org.key, org.name) if org else (slug(name), name)


def emit_graphs(articles: Sequence[Article], facts: Sequence[ArticleFacts], res: Resolution,
                kb: Knowledge) -> Iterator[tuple[ox.NamedNode | None, set]]:
    """The dataset one graph at a time: each article's named graph in IRI order, then the
    default graph (``None``) of resolved entities.

    Only the default graph is held until the end, so a build streams its named graphs
    to disk and never holds the whole dataset; each article and its facts are read from their
    sequences when their graph is written (a build's are packed: :mod:`graph.packed`).
    """
    default: set = set()  # rdflib's Graph.add shape, a plain set's cost
    used_countries: set[str] = set()
    outlets: dict[str, str] = {}
    told_by_article: dict[str, list] = defaultdict(list)
    for entity in res.meetings:
        _emit_meeting(default, entity, kb, used_countries)
        for article_id, index in entity.supports:
            told_by_article[article_id].append((entity, index))

    iris = [_article(a.id) for a in articles]
    for i in sorted(range(len(iris)), key=lambda i: iris[i].value):
        article, af, art = articles[i], facts[i], iris[i]
        g: set = set()
        g.add((art, RDF.type, DG.Article))
        g.add((art, DG.articleId, ox.Literal(article.id)))
        g.add((art, DG.sha256, ox.Literal(article.sha256)))
        if article.title:
            g.add((art, SCHEMA.headline, ox.Literal(article.title)))
        if article.published:
            g.add((art, SCHEMA.datePublished, ox.Literal(article.published.isoformat(), datatype=_XSD_DATE)))
        if article.url:  # an http(s) address, made a valid IRI when read (graph.read.html.clean_url)
            g.add((art, SCHEMA.url, ox.NamedNode(article.url)))
        if article.outlet:
            key, name = _outlet_org(article.outlet, kb)
            outlets[key] = name
            g.add((art, DG.outlet, org_iri(key)))
        for author in article.authors:
            g.add((art, SCHEMA.author, person_iri(res.author_of[(article.id, author)])))

        for m in af.people:
            key = res.person_of[MentionId(article.id, m.start)]
            p = person_iri(key)
            mention = _mention(g, art, article, m.start, m.end, m.sent_start, m.sent_end, p, m.segment)
            for n, t in enumerate(m.titles):
                ap = _iri(f"appointment/{slug(article.id)}/{m.start}-{n}")
                g.add((ap, RDF.type, DG.Appointment))
                g.add((ap, DG.holder, p))
                g.add((ap, DG.title, ox.Literal(t.title)))
                g.add((ap, DG.evidence, mention))
                g.add((ap, DG.inArticle, art))
                post_country = t.post_country or res.people[key].country
                if t.post:
                    post = _iri(f"post/{(post_country or 'any').lower()}/{slug(t.post)}")
                    g.add((ap, DG.post, post))
                    default.add((post, RDF.type, DG.Post))
                    default.add((post, SCHEMA.name, ox.Literal(t.post)))
                    if post_country:
                        default.add((post, DG.country, country_iri(post_country)))
                        used_countries.add(post_country)
        for o in af.orgs:
            key = res.org_of[MentionId(article.id, o.start)]
            _mention(g, art, article, o.start, o.end, o.sent_start, o.sent_end, org_iri(key), "body")
        for c in af.countries:
            used_countries.add(c.country)
            _mention(g, art, article, c.start, c.end, c.sent_start, c.sent_end, country_iri(c.country), "body")
        _emit_dialogue(g, default, art, article, af, res, used_countries, kb)
        for entity, index in told_by_article.get(article.id, []):
            _emit_meeting_told(g, default, art, article, entity, af.meetings[index], res, used_countries)
        yield art, g

    for one, other in res.contradictions:
        c1, c2 = _claim_iri(one), _claim_iri(other)
        default.add((c1, DG.contradicts, c2))
        default.add((c2, DG.contradicts, c1))
    _emit_positions(default, res, kb, used_countries)

    for key, ent in res.people.items():
        p = person_iri(key)
        default.add((p, RDF.type, DG.Person))
        if ent.kind != "person":
            default.add((p, RDF.type, PERSON_CLASS[ent.kind]))
        if "journalist" in ent.roles:  # wrote an article (schema:author), whatever else they are
            default.add((p, RDF.type, DG.Journalist))
        default.add((p, SCHEMA.name, ox.Literal(ent.name)))
        for n in ent.names:
            if n != ent.name:
                default.add((p, SKOS.altLabel, ox.Literal(n)))
        if ent.country:
            default.add((p, DG.servesCountry, country_iri(ent.country)))
            used_countries.add(ent.country)
        if ent.wikidata:
            default.add((p, DG.wikidata, _wd(ent.wikidata)))
    all_orgs = {k: (e.name, e.type, e.country) for k, e in res.orgs.items()}
    for key, name in outlets.items():
        all_orgs.setdefault(key, (name, "news_outlet", None))
    for key, ent in res.orgs.items():
        for written in sorted(ent.names):
            if written != ent.name:
                default.add((org_iri(key), SKOS.altLabel, ox.Literal(written)))
    for key, (name, otype, country) in all_orgs.items():
        o = org_iri(key)
        default.add((o, RDF.type, DG.Organization))
        if otype in ORG_CLASS:
            default.add((o, RDF.type, ORG_CLASS[otype]))
        default.add((o, SCHEMA.name, ox.Literal(name)))
        default.add((o, DG.organizationType, ox.Literal(otype)))
        if country:
            default.add((o, DG.country, country_iri(country)))
            used_countries.add(country)
    for cid in used_countries:
        c = kb.countries[cid]
        ci = country_iri(cid)
        default.add((ci, RDF.type, DG.Country))
        default.add((ci, SCHEMA.name, ox.Literal(c.name)))
        if c.wikidata:
            default.add((ci, DG.wikidata, _wd(c.wikidata)))
    yield None, default


def to_dataset(articles: Sequence[Article], facts: Sequence[ArticleFacts], res: Resolution, kb: Knowledge) -> Dataset:
    """The whole dataset in rdflib, for the Python API and small graphs (a build streams instead)."""
    ds = Dataset()
    bind_prefixes(ds)
    conv = rdflib_converter()
    for gid, triples in emit_graphs(articles, facts, res, kb):
        g = ds.default_graph if gid is None else ds.graph(conv(gid))
        for s, p, o in triples:
            g.add((conv(s), conv(p), conv(o)))
    return ds


def _agent_iri(default: set, article_id: str, ref: AgentRef | None, res: Resolution,
               used_countries: set[str]) -> ox.NamedNode | None:
    """The node an :class:`graph.model.AgentRef` of one article stands for."""
    if ref is None:
        return None
    if ref.kind == "person":
        return person_iri(res.agent_key(article_id, ref))
    if ref.kind == "org":
        return org_iri(res.agent_key(article_id, ref))
    used_countries.add(ref.country)
    if ref.kind == "country":
        return country_iri(ref.country)
    d = _iri(f"delegation/{slug(article_id)}/{ref.country.lower()}")
    default.add((d, RDF.type, DG.Delegation))
    default.add((d, SCHEMA.name, ox.Literal(ref.label)))
    default.add((d, DG.country, country_iri(ref.country)))
    return d


def _group_iri(key: str) -> ox.NamedNode:
    return _iri(f"group/{slug(key)}")


def _holder_iri(default: set, article_id: str, ref: AgentRef | None, res: Resolution,
                used_countries: set[str]) -> ox.NamedNode | None:
    """The node a claim's speaker stands for: an unnamed group ("U.S. officials") gets a node of
    its own, one per wording; the others are the agents of :func:`_agent_iri`."""
    if ref is None or ref.kind != "group":
        return _agent_iri(default, article_id, ref, res, used_countries)
    return _group_iri(group_key(ref.label))  # the key its positions have; see _emit_positions


def _government_labels(cid: str, kb: Knowledge) -> list[str]:
    """What news calls a country's government when it takes a position: "Mexican government",
    "U.S. government" (its demonyms and short names before "government")."""
    written = [text for label, text, c in kb.written if c == cid and label == "NORP" and not text.endswith("s")]
    short = [text for label, text, c in kb.written if c == cid and label == "GPE" and text.isupper()]
    return [f"{w} government" for w in dict.fromkeys(written + short)]


def _emit_positions(default: set, res: Resolution, kb: Knowledge, used_countries: set[str]) -> None:
    """One node per position (an actor's stance on a topic, across articles) with the claims that
    state it; a government that holds one gets the names news gives it; an unnamed group its node
    (one name, the wording most of its positions use, and its country)."""
    groups: dict[str, Counter] = defaultdict(Counter)
    for p in res.positions:
        if p.holder_kind == "group":
            groups[p.holder][(p.label, p.country or "")] += 1
    for key, seen in groups.items():
        (label, country), _ = min(seen.items(), key=lambda kv: (-kv[1], kv[0]))
        node = _group_iri(key)
        default.add((node, RDF.type, DG.Group))
        default.add((node, SCHEMA.name, ox.Literal(label)))
        if country:
            default.add((node, DG.country, country_iri(country)))
            used_countries.add(country)
    governments: set[str] = set()
    for p in res.positions:
        if p.holder_kind == "person":
            holder = person_iri(p.holder)
        elif p.holder_kind == "org":
            holder = org_iri(p.holder)
        elif p.holder_kind == "group":
            holder = _group_iri(p.holder)
        else:
            holder = country_iri(p.holder)
            governments.add(p.holder)
        node = _iri(f"position/{slug(p.topic)}/{p.holder_kind}-{slug(p.holder)}/{p.polarity}")
        default.add((node, RDF.type, DG.Position))
        default.add((node, DG.topic, ox.Literal(p.topic)))
        default.add((node, DG.polarity, ox.Literal(p.polarity)))
        default.add((node, DG.heldBy, holder))
        for claim in p.claims:
            default.add((node, DG.expressedBy, _claim_iri(claim)))
    for cid in governments:  # its names once, however many positions it holds
        used_countries.add(cid)
        for label in _government_labels(cid, kb):
            default.add((country_iri(cid), SKOS.altLabel, ox.Literal(label)))


def _evidence(g: set, art: ox.NamedNode, article: Article, node: ox.NamedNode, start: int, end: int, ss: int, se: int) -> None:
    g.add((node, DG.evidence, _mention(g, art, article, start, end, ss, se, node, "body", evidence=True)))
    g.add((node, DG.inArticle, art))
    g.add((node, DG.sentence, ox.Literal(" ".join(article.text[ss:se].split()))))


def _decimal(value: float) -> Literal:
    from decimal import Decimal

    # rdflib writes the decimal's lexical form (no exponent), as earlier builds did
    return ox.Literal(str(Literal(Decimal(repr(value)).normalize() if value != int(value) else Decimal(int(value)),
                                  datatype=rdflib.XSD.decimal)), datatype=_XSD_DECIMAL)


def _emit_dialogue(g: set, default: set, art: ox.NamedNode, article: Article, af: ArticleFacts, res: Resolution,
                   used_countries: set[str], kb: Knowledge) -> None:
    aid = slug(article.id)

    def spoken(kind: str, cls: ox.NamedNode, item, agent=_agent_iri) -> ox.NamedNode:
        """A quote or claim: its text, speaker (the node ``agent`` gives) and evidence."""
        node = _iri(f"{kind}/{aid}/{item.start}-{item.end}")
        g.add((node, RDF.type, cls))
        g.add((node, SCHEMA.text, ox.Literal(item.text)))
        speaker = agent(default, article.id, item.speaker, res, used_countries)
        if speaker is not None:
            g.add((node, DG.speaker, speaker))
        _evidence(g, art, article, node, item.start, item.end, item.sent_start, item.sent_end)
        return node

    for q in af.quotes:
        spoken("quote", DG.Quote, q)
    for i in res.claims.get(article.id, ()):
        c = af.claims[i]
        node = spoken("claim", DG.Claim, c, _holder_iri)
        _government_name(default, c.speaker, kb)
        g.add((node, DG.topic, ox.Literal(c.topic)))
        g.add((node, DG.polarity, ox.Literal(c.polarity)))
    for f in af.figures:
        node = _iri(f"figure/{aid}/{f.start}-{f.end}")
        g.add((node, RDF.type, DG.Figure))
        for prop, value in ((DG.value, f.value), (DG.low, f.low), (DG.high, f.high)):
            if value is not None:
                g.add((node, prop, _decimal(value)))
        if f.unit:
            g.add((node, DG.unit, ox.Literal(f.unit)))
        if f.qudt:
            g.add((node, QUDT.unit, ox.NamedNode(f.qudt)))
        g.add((node, DG.about, ox.Literal(f.about)))
        if f.period:
            g.add((node, DG.period, ox.Literal(f.period)))
        for topic in f.topics:
            g.add((node, DG.topic, ox.Literal(topic)))
        reporter = _agent_iri(default, article.id, f.reported_by, res, used_countries)
        if reporter is not None:
            g.add((node, DG.reportedBy, reporter))
        _evidence(g, art, article, node, f.start, f.end, f.sent_start, f.sent_end)
    for n in af.notes:
        node = _iri(f"note/{aid}/{n.start}-{n.end}")
        g.add((node, RDF.type, DG.QualityNote))
        g.add((node, DG.note, ox.Literal(n.note)))
        line_start = article.text.rfind("\n", 0, n.start) + 1
        line_end = article.text.find("\n", n.end)
        _evidence(g, art, article, node, n.start, n.end, line_start, len(article.text) if line_end < 0 else line_end)


def _government_name(default: set, ref: AgentRef | None, kb: Knowledge) -> None:
    """The name an article gave a government that took a position ("the Biden administration")."""
    if ref is not None and ref.kind == "country" and ref.country in kb.countries:
        label = re.sub(r"^(the|The)\s+", "", ref.label)
        if len(label.split()) <= 4 and fold(label) != fold(kb.countries[ref.country].name):
            default.add((country_iri(ref.country), SKOS.altLabel, ox.Literal(label)))


def _emit_meeting(default: set, entity: MeetingEntity, kb: Knowledge, used_countries: set[str]) -> None:
    """A meeting's merged facts, in the default graph."""
    m = entity.merged
    node = _iri(f"meeting/{entity.key}")
    default.add((node, RDF.type, DG.Meeting))
    default.add((node, SCHEMA.name, ox.Literal(entity.label)))
    default.add((node, DG.meetingType, ox.Literal(m.type)))
    default.add((node, DG.status, ox.Literal(m.status)))
    if m.date:
        default.add((node, SCHEMA.startDate, ox.Literal(m.date.isoformat(), datatype=_XSD_DATE)))
    if m.place:
        place = _iri(f"place/{slug(m.place)}")
        default.add((node, SCHEMA.location, place))
        default.add((place, RDF.type, DG.Place))
        default.add((place, SCHEMA.name, ox.Literal(m.place)))
        cid = kb.place.get(fold(m.place))
        if cid:
            default.add((place, DG.country, country_iri(cid)))
            used_countries.add(cid)
    if m.agreement:
        agreement = _iri(f"agreement/{slug(m.agreement)}")
        default.add((node, DG.concerns, agreement))
        default.add((agreement, RDF.type, DG.Agreement))
        default.add((agreement, SCHEMA.name, ox.Literal(m.agreement)))
    for topic in m.topics:
        default.add((node, DG.topic, ox.Literal(topic)))


def _emit_meeting_told(g: set, default: set, art: ox.NamedNode, article: Article, entity: MeetingEntity, told,
                       res: Resolution, used_countries: set[str]) -> None:
    """What one article says of a meeting, in that article's graph."""
    node = _iri(f"meeting/{entity.key}")
    g.add((node, RDF.type, DG.Meeting))
    g.add((node, DG.inArticle, art))
    if told.date_phrase:
        g.add((node, DG.dateAsWritten, ox.Literal(told.date_phrase)))
    for ref in told.participants:
        p = _agent_iri(default, article.id, ref, res, used_countries)
        if p is not None:
            g.add((node, DG.participant, p))
    for ss, se in told.evidence:
        g.add((node, DG.evidence, _mention(g, art, article, ss, se, ss, se, node, "body", evidence=True)))


