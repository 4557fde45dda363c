"""Meetings and other encounters: meetings, talks, phone calls, visits, hearings, summits.

A meeting is recognised from its trigger, a verb ("met with", "spoke by phone with", "visited",
"welcomed", "told a Senate subcommittee", "appeared before Judge X", "arrived in Lima")
or a noun ("talks", "a phone conversation between", "the summit", "the hearing", "a joint
press conference"); the words are the ``meeting_*`` cue lists of ``ontology/cues.yaml``. It
gets a type aligned with PLOVER/CAMEO CONSULT modes (meeting, phone call, visit, host,
multilateral; plus hearing), a status (held, planned, called off), a date resolved against
publication, a place and its participants.

Who took part is read from the dependency parse, never from the whole sentence: the trigger's
subject and object (the object of "discussed" is a topic, not a person), its "with", "between",
"before", "from", "by" and "including" phrases, conjuncts and appositions, delegation lists
("the US delegation headed by A, B and C", "accompanied by", a following "The delegation
included …"), a pronoun or a role ("the secretary") resolved to the person it stands for, and
for a meeting noun that is the occasion of its clause ("received X for talks", "said at the
hearing") the people of that clause. People mentioned only as history, as what was talked
about or inside a relative clause are left out; a platform is never a participant, and a
country or body only stands for its side when no person of it is named.

Mentions of one meeting within an article are merged; merging across articles happens in the
resolve stage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from ..knowledge import Knowledge
from ..model import AgentRef, Article, DateRef, Meeting, Mentions, PersonMention
from ..text import doc_ents, doc_tokens, fold, span_text
from .agents import AgentFinder
from .people import sentence_bounds
from .timeline import RELATIVE_DAYS as _RELATIVE_DAYS, find_dates

__all__ = ["TYPE_LABELS", "absorb", "compatible_dates", "compatible_types", "find_meetings", "meeting_label",
           "surname"]

AGREEMENT = re.compile(r"((?:[A-Z][\w-]+\s)+(?:Framework|Agreement|Accord|Treaty|Initiative|Understanding|Plan)"
                       r"(?:\s(?:Agreement|Accord))?)")
# the type (and form) in words, for labels
TYPE_LABELS = {"phone_call": "phone call", "hearing": "hearing", "visit": "visit", "host": "visit",
               "meeting": "meeting", "multilateral": "summit", "agreement": "agreement",
               "press_conference": "joint press conference"}
_SPECIFIC = ["phone_call", "hearing", "visit", "host", "multilateral", "meeting"]
# the dependency relations that keep a token in the noun phrase naming who took part (the
# other ones -- relative clauses, clausal complements, prepositions outside meeting_party_preps
# -- lead to people mentioned for another reason)
_NP_DEPS = frozenset({"compound", "amod", "det", "poss", "appos", "conj", "cc", "flat", "nmod", "nummod", "punct",
                      "case", "quantmod", "preconj", "predet", "advmod", "pobj", "pcomp", "agent", "prt"})
_CLAUSE_DEPS = frozenset({"relcl", "ccomp", "advcl", "xcomp", "parataxis", "csubj", "acl"})
# relations a date may hang from the meeting noun's clause by ("… on Friday, a pact struck
# during her talks"): a noun's occasion, not a clause of its own
_DATE_PATH = frozenset({"pobj", "prep", "dobj", "appos", "acl", "conj", "nsubj", "nsubjpass", "attr", "pcomp",
                        "npadvmod"})
# conjunctions of a clause that happens at the same time as the one it hangs from
_DURING = frozenset({"as", "while"})
# datelines: "WASHINGTON (Reuters) –", "MEXICO CITY —"; "Bogotá, Mar 12 (EFE).-"
_DATELINE = re.compile(r"\s*([A-Z][A-Z .'-]{2,40}?)\s*(?:\([^)]{1,40}\)\s*)?[-–—]")
_DATELINE_DATED = re.compile(r"\s*([A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3}),\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|"
                             r"\d{1,2}\s+[A-Z][a-z]{2,8})\.?\s*(?:\([^)]{1,40}\))?\s*\.?\s*[-–—]")
_PLURAL_PRONOUNS = frozenset({"they", "them"})
_PLACE_LABELS = ("GPE", "LOC", "FAC")


@dataclass(frozen=True)
class _Cues:
    """The meeting cue lists of the knowledge base, split into words and phrases."""
    meet: frozenset
    talk: frozenset
    call: frozenset
    visit: frozenset
    travel: frozenset
    host: frozenset
    testify: frozenset
    address: frozenset
    hear: frozenset
    hearing_objects: frozenset
    bodies: frozenset
    nouns: frozenset
    partner_nouns: frozenset
    summit_nouns: frozenset
    visit_nouns: frozenset
    hearing_nouns: frozenset
    press: frozenset  # (modifier, noun) pairs
    joint: frozenset
    call_words: frozenset
    planned_words: frozenset
    planned_phrases: tuple
    future_aux: frozenset
    governors: frozenset
    called_off: frozenset
    request: frozenset
    party_preps: frozenset
    frame_preps: frozenset
    sequence_preps: frozenset
    place_preps: frozenset
    destination_preps: frozenset
    openers: frozenset
    back_pronouns: frozenset
    first_person: frozenset
    participation: frozenset
    groups: frozenset
    list_verbs: frozenset
    list_words: frozenset
    member_roles: frozenset
    audience: frozenset
    channels: frozenset
    speech: frozenset
    company: frozenset
    joint_participles: frozenset
    same: frozenset
    pair_words: frozenset
    pair_subjects: frozenset
    court: frozenset
    plea: frozenset
    member_titles: frozenset
    defendant_hearings: frozenset
    again: frozenset

    @property
    def trigger_words(self) -> frozenset:
        return (self.meet | self.talk | self.call | self.visit | self.travel | self.host | self.testify | self.address
                | self.hear | self.court | self.nouns | self.partner_nouns | self.summit_nouns | self.visit_nouns
                | self.hearing_nouns | frozenset(n for _, n in self.press))


_CUES: dict[int, tuple[Knowledge, _Cues, frozenset]] = {}


def _cues(kb: Knowledge) -> tuple[_Cues, frozenset]:
    """The cue lists of ``kb`` (read once per knowledge base; a build reads with one)."""
    held = _CUES.get(id(kb))
    if held is not None and held[0] is kb:
        return held[1], held[2]
    c = kb.cue

    planned = c("meeting_planned_words")
    cues = _Cues(
        meet=c("meeting_verbs"), talk=c("meeting_talk_verbs"), call=c("meeting_call_verbs"),
        visit=c("meeting_visit_verbs"), travel=c("meeting_travel_verbs"), host=c("meeting_host_verbs"),
        testify=c("meeting_hearing_verbs"), address=c("meeting_address_verbs"), hear=c("meeting_hear_verbs"),
        hearing_objects=c("meeting_hearing_objects"), bodies=c("meeting_hearing_bodies"), nouns=c("meeting_nouns"),
        partner_nouns=c("meeting_partner_nouns"), summit_nouns=c("meeting_summit_nouns"),
        visit_nouns=c("meeting_visit_nouns"), hearing_nouns=c("meeting_hearing_nouns"),
        press=frozenset(tuple(p.split()[-2:]) for p in c("meeting_press_events") if " " in p),
        joint=c("meeting_joint_words"), call_words=c("meeting_call_words"),
        planned_words=frozenset(w for w in planned if " " not in w),
        planned_phrases=tuple(sorted(w for w in planned if " " in w)),
        future_aux=c("meeting_future_aux"), governors=c("meeting_planned_governors"),
        called_off=c("meeting_called_off"), request=c("meeting_request_verbs"),
        party_preps=c("meeting_party_preps"), frame_preps=c("meeting_frame_preps"),
        sequence_preps=c("meeting_sequence_preps"), place_preps=c("meeting_place_preps"),
        destination_preps=c("meeting_destination_preps"), openers=c("meeting_clause_openers"),
        back_pronouns=c("meeting_back_pronouns"), first_person=c("meeting_first_person"),
        participation=c("meeting_participation_nouns"), groups=c("meeting_group_nouns"),
        list_verbs=c("meeting_list_verbs"),
        list_words=frozenset(w.split()[0] for w in c("meeting_list_verbs")), member_roles=c("meeting_member_roles"),
        audience=c("meeting_audience_nouns"), channels=c("meeting_channels"), speech=c("speech_verbs"),
        company=c("meeting_company_verbs"), joint_participles=c("meeting_joint_participles"),
        same=c("meeting_same_words"), pair_words=c("pair_words"), pair_subjects=c("meeting_pair_subjects"),
        court=c("meeting_court_verbs"), plea=c("meeting_plea_words"), member_titles=c("meeting_body_member_titles"),
        defendant_hearings=c("meeting_defendant_hearing_nouns"), again=c("meeting_again_words"),
    )
    if len(_CUES) >= 8:  # a Dask worker is sent the knowledge with every chunk: keep the latest few
        _CUES.clear()
    _CUES[id(kb)] = (kb, cues, cues.trigger_words)
    return cues, cues.trigger_words


def compatible_dates(a: Meeting, b: Meeting) -> bool:
    if a.date and b.date:
        return a.date == b.date
    if a.date and b.month:
        return (a.date.year, a.date.month) == b.month
    if b.date and a.month:
        return (b.date.year, b.date.month) == a.month
    if a.month and b.month:
        return a.month == b.month
    return True


def compatible_types(a: Meeting, b: Meeting) -> bool:
    """A hearing is only ever the same event as a hearing, and a joint press conference only as a
    press conference; the other types can be one event told two ways ("spoke with", "discussed"
    are the call itself; "visited" and "met" one trip)."""
    if a.form != b.form:
        return False
    return a.type == b.type or "hearing" not in (a.type, b.type)


def _span(toks: list[Token]) -> tuple[int, int]:
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _subtree(tok: Token) -> list[Token]:
    return sorted(tok.subtree, key=lambda t: t.i)


def _singular(word: str) -> str:
    """A plural noun's singular, for the regular English forms ("justices", "secretaries")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _without_the(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name


def _is_verb(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX")


def _is_noun(t: Token) -> bool:
    return t.pos_ in ("NOUN", "PROPN")


class _MeetingReader:
    def __init__(self, article: Article, doc: Doc, mentions: Mentions, finder: AgentFinder, kb: Knowledge):
        self.article, self.doc, self.mentions, self.finder, self.kb = article, doc, mentions, finder, kb
        self.cues, self.trigger_words = _cues(kb)
        self._pairs: set[tuple[int, int]] = set()  # encounters of "the two sides" (sentence start, trigger)
        self.body_sents = [s for s in doc.sents if article.kind_at(s[0].idx if not s[0].is_space else s[-1].idx) == "body"]
        self._dates: dict[tuple[int, bool], list[DateRef]] = {}
        self.ents = list(doc_ents(doc))  # the named entities once (a span's .ents walks the document)
        self.ent_at = {i: e for e in self.ents for i in range(e.start, e.end)}
        # tokens of the body's people, countries and bodies (a participant is a mention the parse reaches)
        self.person_at: dict[int, PersonMention] = self._token_index((p, p) for p in finder.people)
        # the words of a title the text gives someone
        self.title_at: dict[int, PersonMention] = self._token_index((t, p) for p in finder.people for t in p.titles)
        self.country_at = self._token_index((c, c) for c in mentions.countries)
        self.org_at = self._token_index((o, o) for o in finder.orgs)

    def _token_index(self, pairs) -> dict:
        """Each token of the spans (anything with ``start`` and ``end`` offsets) mapped to its
        value, the first span's where spans overlap."""
        index: dict = {}
        for span, value in pairs:
            toks = self.doc.char_span(span.start, span.end, alignment_mode="expand")
            for i in range(toks.start, toks.end) if toks is not None else ():  # indices, not Tokens
                index.setdefault(i, value)
        return index

    # -- what a trigger is -------------------------------------------------------------
    def _window(self, t: Token, n: int = 4) -> list[str]:
        return [x.lower_ for x in self.doc[max(t.sent.start, t.i - n):t.i]]

    def _negated(self, t: Token) -> bool:
        """"did not meet", "No Spanish king had visited", "there was no meeting"."""
        if any(c.dep_ == "neg" for c in t.children):
            return True
        if _is_noun(t):
            return any(c.dep_ == "det" and c.lower_ == "no" for c in t.children) or (
                t.dep_ in ("dobj", "nsubjpass") and any(c.dep_ == "neg" for c in t.head.children))
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subj is not None and (subj.lower_ in ("nobody", "none", "neither") or any(
            c.dep_ == "det" and c.lower_ == "no" for c in subj.children))

    def _partner(self, t: Token) -> bool:
        """A "with"/"between" phrase of ``t`` naming a party (not reporters or an audience), "a call
        from X", or "with each other" after a subject naming one."""
        preps = ("with", "between", "among", "from") if _is_noun(t) else ("with", "between", "among")
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in preps or (
                    c.dep_ == "advmod" and c.lower_ in self.cues.joint):
                for obj in c.subtree:
                    if obj.dep_ != "pobj":
                        continue
                    if obj.lower_ in ("other", "another"):
                        subj = self._subject_tokens(t)
                        if subj and self._names_party(subj):
                            return True
                    elif obj.lower_ not in self.cues.audience and self._names_party(self._np(obj)):
                        return True
        return False

    def _names_party(self, toks: list[Token]) -> bool:
        c = self.cues
        return any(x.i in self.person_at or x.i in self.country_at or x.i in self.org_at
                   or (x.pos_ == "PRON" and x.lower_ in c.back_pronouns)
                   or (_is_noun(x) and (x.lower_ in c.groups or _singular(x.lower_) in c.member_roles
                                        or self.kb.is_title_word(x.text)))
                   for x in toks)

    def _official(self, toks: list[Token]) -> bool:
        """Whether a phrase names an official: a person the text gives a title, a curated official,
        a title word ("the secretary"), or a pronoun for such a person. A visit is an official's."""
        for x in toks:
            p = self.person_at.get(x.i)
            if p is None and x.pos_ == "PRON" and x.lower_ in self.cues.back_pronouns:
                p = self._antecedent_person(x.idx)
            if p is not None and self._titled_person(p):
                return True
            if p is None and _is_noun(x) and self.kb.is_title_word(x.text):
                return True
        return False

    def _titled_person(self, p: PersonMention) -> bool:
        """Whether the article gives ``p`` (under any form of the name) a title, or knowledge knows them."""
        if p.official_key or self.kb.officials.get(fold(p.name)):
            return True
        return any(self.kb.has_title_head(t.title.split()) for t in self._surname_titles(p))

    def _surname_titles(self, p: PersonMention) -> list:
        """The titles the article gives anyone under ``p``'s surname (the full name or the surname alone)."""
        last = fold(p.name).split()[-1:]
        return [t for q in self.finder.people if fold(q.name).split()[-1:] == last for t in q.titles]

    def _antecedent_person(self, before: int) -> PersonMention | None:
        """The person a pronoun or role at ``before`` points back to (:meth:`AgentFinder.antecedent`)."""
        ref = self.finder.antecedent(before)
        return None if ref is None else next((q for q in self.finder.people if q.start == ref.mention), None)

    @staticmethod
    def _heads(tok: Token) -> list[Token]:
        """A phrase's head words: the head, its conjuncts and appositions with their compounds
        ("received Secretary A and Minister B"; not "received a letter from B")."""
        out, stack = [], [tok]
        while stack:
            x = stack.pop()
            out.append(x)
            stack += [ch for ch in x.children if ch.dep_ in ("conj", "appos", "compound", "flat")]
        return out

    def _plural_subject(self, t: Token) -> bool:
        """"A and B discussed", "the two leaders spoke", "she and B agreed to speak again": the
        subject (of the verb that controls an infinitive) is both sides."""
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            if t.dep_ != "xcomp":
                return False
            toks = self._subject_tokens(t)
            subj = next((x for x in toks if x.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                return False
        people = {self.person_at[x.i].start for x in subj.subtree if x.i in self.person_at}
        people |= {-x.i - 1 for x in subj.subtree if x.pos_ == "PRON" and x.lower_ in self.cues.back_pronouns}
        if len(people) >= 2:
            return True
        return subj.tag_ in ("NNS", "NNPS") and any(
            c.lower_ in self.cues.pair_words for c in subj.children) and self._names_party([subj])

    def _linked_by_phone(self, t: Token, v: Token | None) -> bool:
        words = self.cues.call_words
        near = list(t.children) + (list(v.children) if v is not None else [])
        for x in near:
            if x.lower_ in words:
                return True
            if x.dep_ in ("prep", "agent") and any(g.lower_ in words for g in x.subtree):
                return True
            if x.dep_ in ("dobj", "pobj") and any(g.lower_ in words for g in x.children):
                return True
        return False

    def _press_event(self, t: Token) -> bool:
        return any((c.lower_, t.lower_) in self.cues.press for c in t.children if c.dep_ in ("compound", "amod", "nmod"))

    def _shared(self, t: Token, v: Token | None) -> bool:
        """A press event shared by the people named with it: "joint", "together with", "alongside"."""
        joint = self.cues.joint
        if any(x.lower_ in joint or (x.dep_ == "prep" and any(g.lower_ in joint for g in x.children))
               for x in list(t.children) + (list(v.children) if v is not None else [])):
            return True
        # "X, flanked by A and B, told a news conference": others beside the subject
        subj = self._subject_tokens(v) if v is not None and _is_verb(v) else []
        return any(x.lower_ in self.cues.joint_participles and x.dep_ in ("acl", "advcl") and any(
            ch.dep_ == "agent" and any(y.i in self.person_at for y in ch.subtree) for ch in x.children) for x in subj)

    def classify(self, t: Token) -> tuple[str, str | None] | None:
        """The type (and form) of the encounter ``t`` is the trigger of, or None."""
        c, low = self.cues, t.lower_
        if _is_verb(t):
            if self._negated(t):
                return None
            if low in c.meet:
                # "met Y", "met with Y", "the two leaders met"; not "met the deadline"
                obj = [x for x in t.children if x.dep_ == "dobj"]
                return ("meeting", None) if not obj or self._names_party(self._heads(obj[0])) else None
            if low in c.visit:
                # an official visiting a person or a place ("Blinken visited Mexico City")
                obj = [x for x in t.children if x.dep_ == "dobj"]
                if obj and self._names_party(self._heads(obj[0])) or self._official(self._subject_tokens(t)):
                    return ("visit", None)
                return None
            if low in c.testify:
                return ("hearing", None)
            if low in c.host:
                obj = [x for x in t.children if x.dep_ in ("dobj", "dative")]
                return ("host", None) if obj and self._names_party(self._heads(obj[0])) else None
            if low in c.hear:
                return ("hearing", None) if any(x.dep_ == "dobj" and x.lower_ in c.hearing_objects
                                                for x in t.children) else None
            if low in c.address:
                return ("hearing", None) if self._before_a_body(t) else None
            if low in c.talk:
                if self._partner(t) or self._plural_subject(t):
                    return ("meeting", None)
                return ("phone_call", None) if self._linked_by_phone(t, None) and self._subject_tokens(t) else None
            if low in c.call:
                # not "called him a liar", "called for talks", "called on Mexico to act", "called off"
                after = self.doc[t.i + 1] if t.i + 1 < len(self.doc) else None
                if any(x.dep_ in ("oprd", "ccomp", "attr") for x in t.children) or (
                        after is not None and after.lower_ in ("for", "on", "off", "upon", "out")):
                    return None
                obj = [x for x in t.children if x.dep_ == "dobj"]
                return ("phone_call", None) if obj and any(
                    x.i in self.person_at or x.lower_ in c.back_pronouns for x in self._np(obj[0])) else None
            if low in c.travel:
                return ("visit", None) if self._destination(t) is not None and self._official(
                    self._subject_tokens(t)) else None
            if low in c.court and t.tag_ in ("VBD", "VBN"):
                # a plea entered ("pleaded guilty", "pleaded not guilty Monday"; the parser may hang the
                # plea word on a following date), an arraignment; not "pleaded for calm", "will plead"
                if low.startswith("arraign") or any(x.lower_ in c.plea for x in self.doc[t.i + 1:t.i + 4]):
                    return ("hearing", None)
            return None
        if not _is_noun(t) or self._negated(t):
            return None
        if t.dep_ == "pobj" and t.head.lower_ == "for" and t.head.head.lower_ in c.request:
            return None  # "called for talks": wanted, not held
        if low in c.nouns:
            return ("meeting", None)
        if low in c.summit_nouns:
            return ("multilateral", None)
        if low in c.visit_nouns:
            return ("visit", None)
        if low in c.hearing_nouns:
            if low.startswith("session") and not any(x.lower_ in c.bodies for x in t.sent):
                return None
            return ("hearing", None)
        if low in c.partner_nouns:
            v, _ = self._clause(t)
            phone = self._linked_by_phone(t, v)
            if phone or self._partner(t):
                return ("phone_call" if phone or low.startswith(("call", "video", "tele")) else "meeting", None)
            return None
        if self._press_event(t):
            v, _ = self._clause(t)
            return ("meeting", "press_conference") if self._shared(t, v) else None
        return None

    def _before_a_body(self, t: Token) -> bool:
        """"told a Senate subcommittee", "appeared before Judge X", "briefed lawmakers"."""
        bodies = self.cues.bodies
        for x in t.children:
            if x.dep_ in ("dobj", "dative") or (x.dep_ == "prep" and x.lower_ == "before"):
                toks = self._np(x)
                if any(y.lower_ in bodies for y in toks):
                    return True
                if x.dep_ == "prep" and any(y.i in self.person_at for y in toks):
                    return True  # "appeared before Judge Maria Olsen"
        return False

    # -- the clause around a meeting noun ----------------------------------------------------
    def _clause(self, t: Token) -> tuple[Token | None, Token | None]:
        """For a meeting noun: the verb of the clause it is an argument or the occasion of, and the
        child of that verb it hangs from ("received X for [talks]", "held [talks]", "[the summit]
        will focus on"); (None, None) when it has none."""
        if _is_verb(t):
            return t, None
        x = t
        prev = self.doc[t.left_edge.i - 1] if t.left_edge.i > t.sent.start else None
        if t.dep_ != "pobj" and prev is not None and prev.dep_ == "prep" and prev.lower_ in self.cues.frame_preps \
                and _is_verb(prev.head) and not any(ch.dep_ == "pobj" for ch in prev.children):
            # "been in Ottawa for [talks with A and B], after which …": the parser took the
            # noun for the subject of a later verb, but the preposition before it has no object
            return prev.head, prev
        if x.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and _is_verb(x.head):
            return x.head, x
        while x.dep_ == "pobj":
            p = x.head
            if p.lower_ in ("of", "in") and p.head.lower_ in self.cues.participation and _is_verb(p.head.head):
                return p.head.head, p  # "took part in the talks", "being part of those discussions"
            if p.lower_ == "of" and _is_noun(p.head) or p.lower_ == "of" and p.head.pos_ == "NUM":
                x = p.head  # "two rounds of negotiations", "a series of meetings"
                continue
            if p.lower_ in self.cues.frame_preps and _is_verb(p.head):
                return p.head, p
            break
        return None, None

    # -- who took part ----------------------------------------------------------------------
    def _np(self, head: Token, event: bool = False) -> list[Token]:
        """The tokens of the noun phrase headed by ``head`` that can name someone taking part:
        compounds, conjuncts, appositions, possessors, the phrases of meeting_party_preps and
        delegation participles ("headed by"); not relative clauses or other prepositions."""
        c = self.cues
        out, stack = [head], [head]
        while stack:
            x = stack.pop()
            for ch in x.children:
                d = ch.dep_
                if d == "prep":
                    # a party's preposition; a group's "of"; a preposition inside someone's title
                    # ("the Ambassador to Peru Ana Ruiz" parsed with the name under "to")
                    ok = ch.lower_ in c.party_preps or (ch.lower_ == "of" and x.lower_ in c.groups) \
                        or ch.i in self.title_at
                elif d in _NP_DEPS:
                    ok = not (d == "conj" and _is_verb(ch) and not _is_verb(x))
                elif d in ("acl", "advcl"):
                    # "the delegation headed by …", "accompanied by …"; not "to discuss …" or "saying …"
                    ok = ch.tag_ in ("VBN", "VBG") and ch.lower_ not in c.speech and not any(
                        a.dep_ in ("aux", "mark") for a in ch.children)
                elif d == "relcl":
                    # an event's "where" clause: "the talks, where she will be met by …"
                    ok = event and any(a.lower_ == "where" for a in ch.children)
                elif d in ("nsubj", "nsubjpass", "dobj"):
                    ok = _is_verb(x) and x.i != head.i
                else:
                    ok = False
                if ok:
                    out.append(ch)
                    stack.append(ch)
                elif d == "prep":
                    # "Meeting in Mexico City, [A and B] welcomed …": people the parser coordinated
                    # with a place (or another object of a preposition) are not in it
                    for obj in ch.children:
                        people = [y for y in obj.children if y.dep_ in ("conj", "appos") and y.i in self.person_at]
                        if obj.dep_ == "pobj" and people and obj.i not in self.person_at:
                            for y in people:
                                out.append(y)
                                stack.append(y)
        return sorted(out, key=lambda t: t.i)

    def _subject_tokens(self, v: Token, depth: int = 0) -> list[Token]:
        """Who does ``v``: its subject phrase (the noun a "who" clause hangs from, the main clause's
        subject for "as they reviewed …"), the stretch after "when" when the parser lost the subject in
        a long list, or the subject of the verb it is coordinated with or depends on."""
        subjects: list[Token] = []
        for ch in v.children:
            if ch.dep_ in ("nsubj", "nsubjpass"):
                if ch.lower_ in self.finder.relatives and v.dep_ == "relcl":
                    subjects += self._np(v.head)
                    continue
                if ch.lower_ in _PLURAL_PRONOUNS and v.dep_ == "advcl" and depth < 3:
                    main = self._subject_tokens(v.head, depth + 1)
                    if main:
                        subjects += main
                        continue
                subjects += self._np(ch)  # a parser may split "A and B met" into two subjects
        if subjects:
            return sorted(set(subjects), key=lambda x: x.i)
        if not _is_verb(v) or depth >= 3:
            return []
        sent = v.sent
        lo = v.head.i if v.dep_ == "conj" else sent.start - 1
        opener = next((x for x in reversed(list(self.doc[max(lo + 1, sent.start):v.i]))
                       if x.lower_ in self.cues.openers), None)
        if opener is not None and v.dep_ in ("conj", "ROOT") and opener.i < v.i - 1:
            stretch = list(self.doc[opener.i + 1:v.i])
            if any(x.i in self.person_at for x in stretch):
                return stretch
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
            return self._subject_tokens(v.head, depth + 1)
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and _is_verb(v.head.head):
            return self._subject_tokens(v.head.head, depth + 1)  # "looks forward to taking part in …"
        # "…, Peru's Minister of the Interior, Laura Vidal, said": a name right
        # before a verb the parser gave no subject
        k = v.i - 1
        while k >= sent.start and self.doc[k].is_punct:
            k -= 1
        if k >= sent.start and k in self.person_at:
            p = self.person_at[k]
            return [x for x in self.doc[max(k - 6, sent.start):k + 1] if self.person_at.get(x.i) is p]
        return []

    def participant_groups(self, t: Token, v: Token | None, via: Token | None) -> list[list[Token]]:
        """The phrases naming who took part in the encounter ``t`` triggers: a verb's subject, its
        object (not the topic of a verb of talking) and party phrases; a noun's own phrase, and the
        subject, objects and party phrases of the clause it is the occasion of."""
        if _is_verb(t):
            return [self._subject_tokens(t), *self._partners(t, objects=t.lower_ not in self.cues.talk)]
        own = self._np(t, event=True)
        if v is None:
            return [own]
        if via is not None and via.dep_ in ("nsubj", "nsubjpass", "attr"):
            return [own, *self._partners(v, objects=False)]  # "[the talks] were held with …"
        # the clause's subject first (who held the talks); its objects when the noun is its occasion
        # ("received A, B and C for talks"), not when it is its object ("held talks")
        objects = via is not None and via.dep_ == "prep"
        return [self._subject_tokens(v), own, *self._partners(v, objects=objects, skip=via)]

    def _partners(self, v: Token, objects: bool, skip: Token | None = None) -> list[list[Token]]:
        """The object and party phrases of a verb ("met X", "with X", "before X", "by X", "together with X")."""
        c = self.cues
        out = []
        for ch in v.children:
            if skip is not None and ch.i == skip.i:
                continue
            if (ch.dep_ in ("dobj", "dative") and objects) or ch.dep_ == "agent" or (
                    ch.dep_ == "prep" and ch.lower_ in c.party_preps) or (ch.dep_ == "advmod" and ch.lower_ in c.joint):
                out.append(self._np(ch))
        return out

    def _person_country(self, p: PersonMention) -> str | None:
        """The side a person is on: their country, a curated official's, or their post's."""
        if p.country:
            return p.country
        off = self.kb.officials.get(fold(p.name))
        if off and off.country:
            return off.country
        return next((t.post_country for t in p.titles if t.post_country), None)

    def _person_ref(self, p: PersonMention) -> AgentRef:
        return AgentRef("person", p.name, self._person_country(p), p.start)

    def refs(self, toks: list[Token], kind: str) -> list[AgentRef]:
        """The people, sides and bodies a participant phrase names."""
        if not toks:
            return []
        c = self.cues
        out: list[AgentRef] = []
        seen: set[int] = set()
        for x in toks:
            p = self.person_at.get(x.i)
            if p is not None:
                if p.start not in seen:
                    seen.add(p.start)
                    out.append(self._person_ref(p))
                continue
            if x.pos_ == "PRON" and x.lower_ in c.back_pronouns:
                ref = self.finder.antecedent(x.idx)
                if ref is not None:
                    out.append(ref)
                continue
            if x.pos_ == "PRON" and x.lower_ in c.first_person:
                ref = self._quoted_speaker(x)  # "I expect these talks with X to go well," Y said
                if ref is not None:
                    out.append(ref)
                continue
            if x.i in self.country_at and self._side(x, kind):
                cm = self.country_at[x.i]
                if not self.kb.place.get(fold(cm.text)):
                    out.append(AgentRef("country", self.kb.countries[cm.country].name, cm.country))
                continue
            o = self.org_at.get(x.i)
            if o is not None:
                out.append(self.finder.ref_org(o))
        heads = [x for x in toks if _is_noun(x) and x.i not in self.person_at and (
            x.dep_ not in ("compound", "amod", "poss", "nmod") or x.head not in toks)]
        for h in heads:
            out += self._role_refs(h, toks)
        return out

    def _quoted_speaker(self, x: Token) -> AgentRef | None:
        """Who says the quotation ``x`` is in: the subject of the sentence's verb of saying outside it."""
        sent = x.sent
        def inside(tok: Token) -> bool:
            before = self.doc[sent.start:tok.i].text
            return before.count("“") > before.count("”") or before.count('"') % 2 == 1
        if not inside(x):
            return None
        for verb in sent:
            if verb.lower_ in self.cues.speech and _is_verb(verb) and not inside(verb):
                ref = self.finder.speaker_for(verb)
                if ref is not None and ref.kind == "person":
                    return ref
        return None

    def _side(self, x: Token, kind: str) -> bool:
        """Whether a country word stands for a side ("talks with Mexico", "Mexican officials"), not
        for a person's title ("Mexico's President X"), a place ("in Mexico") or a visit's
        destination ("visited Mexico")."""
        y = x
        for _ in range(6):
            if y.dep_ == "pobj" and y.head.lower_ in self.cues.destination_preps:
                return False
            if y.dep_ not in ("compound", "amod", "nmod", "poss", "case", "appos", "flat", "punct") or y.head.i == y.i:
                break
            y = y.head
            if y.i in self.person_at or self.kb.is_title_word(y.text):
                return False
        return not (kind in ("visit", "host") and y.dep_ == "dobj")

    def _role_refs(self, h: Token, toks: list[Token]) -> list[AgentRef]:
        """A role standing for people: "the Chilean foreign minister" (the person the article gave
        that role, else the latest official of that side), "justices" (everyone the article names
        "Justice …")."""
        c = self.cues
        low = h.lower_
        if h.tag_ in ("NNS", "NNPS") and _singular(low) in c.member_roles:
            return self._titled(_singular(low))
        if h.tag_ not in ("NN", "NNP") or not (low in c.member_roles or self.kb.is_title_word(h.text)):
            return []
        if any(x.i in self.person_at for x in h.subtree):
            return []
        if not any(ch.dep_ == "det" and ch.lower_ == "the" or ch.dep_ == "poss" for ch in h.children):
            return []
        phrase = [x for x in toks if x.i <= h.i and x.i >= h.left_edge.i]
        ref = self.finder.agent_of_phrase(phrase)
        if ref is not None:
            return [ref] if ref.kind == "person" else []
        # "Ortiz … said. The Chilean Foreign Minister had been in Ottawa …": the person
        # the text was just about, when nothing the article says of them contradicts the role
        country = next(filter(None, (self.kb.country_of_marker(x.text) for x in phrase)), None)
        p = self._antecedent_person(h.idx)
        if p is None:
            return []
        theirs = self._person_country(p)
        titled = self._surname_titles(p)
        if (country is None or theirs in (None, country)) and (not titled or any(low in fold(t.title) for t in titled)):
            return [self.finder.ref_person(p)]
        return []

    def _titled(self, role: str) -> list[AgentRef]:
        """The people the article names with ``role`` ("Justice X", or a title holding the word)."""
        out, names = [], set()
        for p in self.finder.people:
            tok = self.doc.char_span(p.start, p.end, alignment_mode="expand")
            before = self.doc[tok.start - 1].lower_ if tok is not None and tok.start > 0 else ""
            if before == role or any(role in fold(t.title).split() for t in p.titles):
                key = fold(p.name).split()[-1]
                if key not in names:
                    names.add(key)
                    out.append(self._person_ref(p))
        return out

    def clean(self, parts: list[AgentRef]) -> tuple[AgentRef, ...]:
        """No platform as a participant; a country, delegation or body only when no person of its
        side is named (a government stands for its delegation, never beside it)."""
        channels = self.cues.channels
        parts = [p for p in parts if not (p.kind in ("person", "org") and fold(p.label) in channels)]
        persons = [p for p in parts if p.kind == "person"]
        if persons:
            sides = {p.country for p in persons}
            parts = [p for p in parts if p.kind == "person" or (p.kind in ("country", "delegation")
                                                                 and p.country not in sides)]
        return _dedupe(parts)

    # -- when, where, whether --------------------------------------------------------------
    def status(self, t: Token, v: Token | None) -> str:
        c = self.cues
        clause = [x for x in (t, v) if x is not None]
        for x in clause:
            prt = next((ch.lower_ for ch in x.children if ch.dep_ == "prt"), None)
            if (x.lower_ in c.called_off or (prt and f"{x.lower_} {prt}" in c.called_off)) and (
                    x.i != t.i or _is_noun(t)):
                return "called_off"
        if any(ch.lower_ in c.called_off for ch in t.children if ch.dep_ in ("amod", "compound")):
            return "called_off"
        window = self._window(t)
        joined = " " + " ".join(window) + " "
        if any(w in c.planned_words for w in window) or any(f" {p} " in joined for p in c.planned_phrases):
            return "planned"
        for x in clause + [ch for ch in t.children if ch.dep_ == "relcl"]:
            if any(ch.dep_ == "aux" and ch.lower_ in c.future_aux for ch in x.children):
                return "planned"
        # "agreed to meet", "plans to visit", "hope to resume these negotiations"
        x, steps = (v or t), 0
        if _is_verb(t) and any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in t.children):
            # "a panel to meet monthly", "decided to visit"; "will fly to Ottawa to meet X" is as
            # planned as the trip, "flew to Ottawa to meet X" as held
            if t.head.lower_ in self.trigger_words and t.head.i != t.i and self.classify(t.head) is not None:
                return self.status(t.head, t.head)
            return "planned"
        while steps < 7 and x.head.i != x.i:
            if x.dep_ not in ("xcomp", "pcomp", "prep", "pobj", "dobj", "attr", "ccomp", "acl") and steps:
                break
            x, steps = x.head, steps + 1
            prt = next((ch.lower_ for ch in x.children if ch.dep_ in ("prt", "advmod")), "")
            if x.lower_ in c.governors or f"{x.lower_} {prt}" in c.governors:
                return "planned"
            if _is_verb(x) and x.lower_ not in ("being", "be", "is", "was", "are", "were"):
                break
        return "held"

    def _sent_dates(self, sent: Span, planned: bool) -> list[DateRef]:
        """The dates a sentence gives (not the dateline's: when the story was filed)."""
        key = (sent.start, planned)
        if key not in self._dates:
            filed = self._dateline[1] if self._dateline else -1
            self._dates[key] = [d for d in find_dates(span_text(sent), self.article.published, future=planned,
                                                      offset=sent.start_char) if d.start >= filed]
        return self._dates[key]

    def _governor(self, d: DateRef) -> Token | None:
        tok = self.doc.char_span(d.start, d.end, alignment_mode="expand")
        if tok is None:
            return None
        gov = tok.root
        while not _is_verb(gov) and gov.head.i != gov.i:
            gov = gov.head
        return gov

    def date_for(self, t: Token, v: Token | None, via: Token | None, sent: Span, status: str) -> DateRef | None:
        dates = self._sent_dates(sent, status == "planned")
        if not dates:
            return None
        scope_tok = t
        if _is_noun(t) and v is not None and (via is not None and via.dep_ in ("dobj", "nsubjpass", "nsubj")
                                              or status != "planned"):
            scope_tok = v  # "had a phone call on Monday", "received X on Friday for talks"
        sub = _subtree(scope_tok)
        lo, hi = _span(sub)
        # another encounter below this one keeps its own date ("ahead of a meeting in April", "the
        # meeting marked a year since the officials gathered on 8 October 2021")
        nested = [x for x in sub if x.i != t.i and x.lower_ in self.trigger_words
                  and (_is_noun(x) or _is_verb(x) and x.dep_ in _CLAUSE_DEPS and t.i not in {y.i for y in x.subtree})]
        spans = [_span(_subtree(x)) for x in nested]
        dates = [d for d in dates if not any(a <= d.start < b for a, b in spans)]  # "ahead of a meeting in April"
        inside = [d for d in dates if lo <= d.start and d.end <= hi]
        if inside:
            own = _span(_subtree(t))
            # the trigger's own date, else a day counted from the clause's ("on Friday described her
            # call with X the previous day"), else the clause's
            return next((d for d in inside if own[0] <= d.start and d.end <= own[1]),
                        next((d for d in inside if d.phrase.lower() in _RELATIVE_DAYS), inside[0]))
        speech = self.cues.speech
        if _is_verb(t):
            for d in dates:
                gov = self._governor(d)
                if gov is None or (gov.lower_ in speech and gov.i != t.i):
                    continue  # "…, the State Department said on Monday": when it was said
                return d
            return None
        if status != "held":
            return None
        # "… pledged on Friday to …, a pact struck during her talks with X": the date
        # of the clause the meeting is the occasion of
        path, x = set(), t
        for _ in range(8):
            # "Mexico on Thursday sent …, as a delegation held talks in Washington": a clause told as
            # happening while the main one did shares its day
            during = x.dep_ == "advcl" and any(ch.dep_ == "mark" and ch.lower_ in _DURING for ch in x.children)
            if x.head.i == x.i or (x.dep_ not in _DATE_PATH and not during) or (
                    x.dep_ == "prep" and x.lower_ in self.cues.sequence_preps):
                break
            x = x.head
            path.add(x.i)
        for d in dates:
            gov = self._governor(d)
            if gov is not None and gov.i in path:
                return d
        return None

    def _destination(self, t: Token) -> str | None:
        """The place a travel verb goes to ("arrived in Lima", "went to Peru")."""
        for ch in t.children:
            if ch.dep_ == "prep" and ch.lower_ in self.cues.destination_preps:
                for obj in ch.children:
                    if obj.dep_ == "pobj":
                        place = self._place_of(obj)
                        if place:
                            return place
        return None

    def _ents_starting(self, toks: list[Token]) -> list[Span]:
        """The named entities that start at one of ``toks``, in document order."""
        ids = {x.i for x in toks}
        return [e for e in self.ents if e.start in ids]

    def _place_of(self, tok: Token) -> str | None:
        """The place a token names: a known place or country, or a place-like entity."""
        ent = self.ent_at.get(tok.i)
        if ent is None or ent.label_ not in _PLACE_LABELS:
            return None
        text = _without_the(ent.text)
        key = fold(text)
        if key in self.kb.place or key in self.kb.country_alias or self.kb.country_of_marker(text) is None:
            return text
        return None

    def place_for(self, t: Token, v: Token | None, kind: str, sent: Span) -> tuple[str | None, bool]:
        """Where the encounter was, and whether that is a building or a body's seat (a venue): the
        place after "in"/"at" in the trigger's own phrase (a visit's destination after "to"), for a
        meeting noun also in its clause ("had been in Ottawa for talks"); a court's seat; a verb
        falls back on the sentence's place ("Meeting in Ottawa, A and B …")."""
        c = self.cues
        preps = c.place_preps | (c.destination_preps if kind in ("visit", "host") else frozenset())
        if _is_verb(t):
            scope = [x for x in t.subtree if not self._in_own_clause(x, t)]
        else:
            scope = list(t.subtree)
            if v is not None:
                scope += [y for ch in v.children if ch.dep_ == "prep" and ch.lower_ in preps for y in ch.subtree]
        found = self._first_place(scope, preps) or (self._court_seat(scope) if kind == "hearing" else None)
        if found:
            return found, False
        if t.dep_ == "relcl" and any(ch.lower_ == "where" for ch in t.children):
            found = self._place_of(t.head)  # "went to Ottawa, where she met X"
            if found:
                return found, False
        if _is_verb(t):
            found = self._first_place(list(sent), c.place_preps)
            if found:
                return found, False
        venue = self._venue(scope)
        return venue, venue is not None

    @staticmethod
    def _in_own_clause(x: Token, t: Token) -> bool:
        """Whether ``x`` sits in a clause of its own below ``t`` (a conjoined verb, a relative clause)."""
        y = x
        while y.i != t.i and y.head.i != y.i:
            if y.dep_ in ("conj", "relcl", "ccomp", "advcl") and _is_verb(y):
                return True
            y = y.head
        return False

    def _first_place(self, toks: list[Token], preps: frozenset) -> str | None:
        best = None
        for e in self._ents_starting(toks):
            if e.label_ not in _PLACE_LABELS or e.start == 0 or self.doc[e.start - 1].lower_ not in preps:
                continue
            place = self._place_of(self.doc[e.start])
            if place is None:
                continue
            if fold(place) not in self.kb.country_alias:
                return place  # a city or region before a country
            best = best or place
        return best

    def _court_seat(self, toks: list[Token]) -> str | None:
        """"before Judge X of the Boston District Court": a court sits where its name says."""
        bodies = self.cues.bodies
        for x in toks:
            if x.lower_ not in bodies:
                continue
            mods = [y for y in x.subtree if y.i < x.i and y.dep_ == "compound" and y.pos_ == "PROPN"]
            for i in range(len(mods)):
                for j in range(i + 1, len(mods) + 1):
                    name = " ".join(y.text for y in mods[i:j])
                    if self.kb.place.get(fold(name)):
                        return self.kb.place_names.get(fold(name), name)
        return None

    def _venue(self, toks: list[Token]) -> str | None:
        """"talks held at the Elysée Palace": a building or body named after "at"."""
        for e in self._ents_starting(toks):
            before = [x.lower_ for x in self.doc[max(e.start - 2, 0):e.start]]
            if e.label_ in ("ORG", "FAC") and (before[-1:] == ["at"] or before == ["at", "the"]):
                return _without_the(e.text)
        return None

    def visit_places(self, merged: list[Meeting]) -> list[Meeting]:
        """A visit that names no place ("during her second trip to the province") is where its visitor is
        said to be in the next sentences ("X answered questions at the embassy in Quito")."""
        out = []
        for m in merged:
            if m.type == "visit" and m.place is None and m.status == "held":
                visitors = {fold(p.label).split()[-1] for p in m.participants if p.kind == "person"}
                m = replace(m, place=self._where_visitor(m, visitors)) if visitors else m
            out.append(m)
        return out

    def _where_visitor(self, m: Meeting, visitors: set[str]) -> str | None:
        last = max(e for _, e in m.evidence)
        after = [s for s in self.body_sents if s.start_char >= last][:2]
        for sent in after:
            for v in sent:
                if not _is_verb(v) or v.dep_ not in ("ROOT", "conj"):
                    continue
                # the people before the verb (the parser may bury a subject in an opening phrase)
                who = {fold(self.person_at[x.i].name).split()[-1] for x in v.subtree
                       if x.i < v.i and x.i in self.person_at}
                if who & visitors:
                    scope = [x for x in v.subtree if not self._in_own_clause(x, v)]
                    place = self._first_place(scope, self.cues.place_preps)
                    if place:
                        return place
        return None

    def dateline_city(self) -> str | None:
        """The city of a dateline: "WASHINGTON (Reuters) –", "MEXICO CITY —", "Bogotá, Mar 12 (EFE).-"."""
        found = self._dateline
        return self.kb.place_names.get(fold(found[0])) if found and fold(found[0]) in self.kb.place else None

    @cached_property
    def _dateline(self) -> tuple[str, int] | None:
        """The dateline opening the story: its city as written and where it ends."""
        segs = self.article.segments
        first = next((k for k, seg in enumerate(segs) if seg.kind == "body"), None)
        if first is None:
            return None
        # the lead: the first body line that reads as a paragraph (short lines before it -- a date,
        # a share bar -- are page furniture the reader kept)
        def paragraph(seg) -> bool:
            line = self.article.text[seg.start:seg.end].strip()
            return seg.kind == "body" and len(line.split()) >= 8 and line[-1:] in '.!?"”’\''
        lead = next((k for k in range(first, min(first + 6, len(segs))) if paragraph(segs[k])), first)
        for seg in segs[max(first - 1, 0):lead + 1]:  # a dateline line, or the lead's opening
            if seg.kind not in ("body", "dateline"):
                continue
            line = self.article.text[seg.start:seg.end]
            m = _DATELINE.match(line) or _DATELINE_DATED.match(line)
            if m:
                return m.group(1), seg.start + m.end()
        return None

    # -- reading an article ------------------------------------------------------------------
    def read(self) -> tuple[Meeting, ...]:
        found: list[Meeting] = []
        last_sent: list[int] = []  # the index of each meeting's last sentence
        for n, sent in enumerate(self.body_sents):
            # a word of the cue lists first (a set look-up), then the parse around it
            triggers = []
            for t in doc_tokens(self.doc)[sent.start:sent.end]:
                if t.lower_ in self.trigger_words:
                    kind = self.classify(t)
                    if kind is not None:
                        triggers.append((t, kind))
            if not triggers:
                if found and n - last_sent[-1] <= 2:
                    members = self.list_members(sent)
                    if found[-1].type == "hearing":
                        members += self.hearing_members(sent)
                    if members:
                        last = found[-1]
                        found[-1] = replace(last, participants=self.clean(list(last.participants) + members),
                                            evidence=last.evidence + (sentence_bounds(sent),))
                        last_sent[-1] = n
                continue
            # what the sentence says of every encounter it tells
            text = span_text(sent)
            bounds = sentence_bounds(sent)
            topics = tuple(self.kb.topics_of(text))
            named = AGREEMENT.search(text)
            agreement = named.group(1).strip() if named else None
            for t, (kind, form) in triggers:
                v, via = self._clause(t)
                status = self.status(t, v)
                if kind in ("meeting", "visit", "host") and form is None and self._linked_by_phone(t, v):
                    kind = "phone_call"
                parts: list[AgentRef] = []
                groups = self.participant_groups(t, v, via)
                for toks in groups:
                    parts += self.refs(toks, kind)
                told = next((m for m in reversed(found) if m.start < bounds[0]
                             and any(p.kind == "person" for p in m.participants)), None)
                if told is not None and any(self._same_group(toks) for toks in groups):
                    # "the same cabinet officials gathered …": the people of the meeting just told (every
                    # account its sentence gave, with the delegation listed after it)
                    parts += [p for m in found if m.start == told.start for p in m.participants if p.kind == "person"]
                if kind == "meeting" and any(ch.lower_ in self.cues.again for ch in t.children):
                    # "agreed to speak again": the same kind of encounter as their last one
                    keys = {fold(p.label).split()[-1] for p in parts if p.kind == "person" and p.label.strip()}
                    last = next((m for m in reversed(found) if keys and len(keys & _people_keys(m)) >= 2), None)
                    kind = last.type if last is not None and last.type == "phone_call" else kind
                if kind == "hearing" and t.lower_ in self.cues.defendant_hearings and all(
                        p.kind != "person" or self._body_member(self._mention(p)) for p in parts):
                    parts += self._defendants(found, bounds[0])
                if not any(p.kind == "person" for p in parts) and self._pair_phrase(t, v, groups):
                    self._pairs.add((bounds[0], t.i))
                d = self.date_for(t, v, via, sent, status)
                place, venue = self.place_for(t, v, kind, sent)
                found.append(Meeting(kind, status, *bounds, t.text,
                                     d.date if d else None, d.month if d else None, d.phrase if d else None,
                                     place, self.clean(parts), topics, agreement, self._name(t), (bounds,),
                                     form=form, body=self._body(t, v) if kind == "hearing" else None,
                                     venue=venue))
                last_sent.append(n)
        return self.merge(self.sibling_dates(self.lead_dates(found)))

    def _name(self, t: Token) -> str | None:
        """A meeting's own name, when the text gives one ("the Andean Partners' Summit")."""
        if t.pos_ != "PROPN":
            return None
        left = [x for x in t.subtree if x.i <= t.i and x.dep_ in ("compound", "poss", "amod", "case", "det", "punct")
                or x.i == t.i]
        toks = sorted({x.i: x for x in left}.values(), key=lambda x: x.i)
        toks = [x for x in toks if x.i >= t.left_edge.i]
        while toks and (toks[0].dep_ in ("det", "punct") or toks[0].i in self.person_at or toks[0].is_lower):
            toks = toks[1:]
        if len(toks) < 2 or toks[-1].i != t.i or toks[-1].i - toks[0].i + 1 != len(toks):
            return None
        return self.doc[toks[0].i:t.i + 1].text

    def _body(self, t: Token, v: Token | None) -> str | None:
        """Before whom a hearing is held: "a Senate subcommittee", "Judge Sharon Lee"."""
        bodies = self.cues.bodies
        for x in list(t.children) + (list(v.children) if v is not None and v.i != t.i else []):
            if x.dep_ in ("dobj", "dative") or (x.dep_ == "prep" and x.lower_ == "before") or (
                    x.dep_ == "prep" and x.lower_ == "of" and _is_noun(t) and x.head.i == t.i):
                toks = self._np(x)
                o = next((self.org_at[y.i] for y in toks if y.i in self.org_at), None)
                if o is not None:
                    return o.name
                # a body, not a person's title ("before Judge X": the judge is a participant)
                head = next((y for y in toks if y.lower_ in bodies and y.i not in self.title_at
                             and y.head.i not in self.person_at and y.i not in self.person_at), None)
                if head is not None:
                    words = [y for y in head.subtree if y.i <= head.i and y.dep_ != "det"]
                    return " ".join(y.text for y in words)
        return None

    def _same_group(self, toks: list[Token]) -> bool:
        """"the same officials", "the same delegations": a group pointing back to the last meeting's people."""
        c = self.cues
        return any(x.lower_ in c.same and x.head.lower_ in c.groups | c.pair_subjects
                   or x.lower_ in c.same and _singular(x.head.lower_) in c.member_roles for x in toks)

    def _pair_phrase(self, t: Token, v: Token | None, groups: list[list[Token]]) -> bool:
        """Whether the encounter is told of two unnamed parties: "the two sides agreed to meet again",
        "the two governments' security teams would meet", "both delegations agreed that the next
        dialogue would take place" (the subject of the clause, or of the verb that governs it)."""
        c = self.cues
        phrases = list(groups)
        x = t
        for _ in range(6):  # the verbs above the trigger, through reported and infinitive clauses
            if x.head.i == x.i or (_is_verb(x) and x.dep_ not in ("ccomp", "xcomp", "conj")):
                break
            x = x.head
            if _is_verb(x):
                phrases.append(self._subject_tokens(x))
        return any(any(y.lower_ in c.pair_words for y in toks) and any(
            y.lower_ in c.pair_subjects or y.lower_ in c.groups for y in toks) for toks in phrases)

    def hearing_members(self, sent: Span) -> list[AgentRef]:
        """People of a sentence right after a hearing whom the text titles as a member or chair of
        the body that held it ("The committee's chairman, Sen. A, said …", "Sen. B pressed the
        commanders", "admitted the charges before Judge C")."""
        out: list[AgentRef] = []
        seen: set[int] = set()
        for x in sent:
            p = self.person_at.get(x.i)
            if p is None or p.start in seen:
                continue
            seen.add(p.start)
            if self._body_member(p):
                out.append(self._person_ref(p))
        return out

    def _mention(self, ref: AgentRef) -> PersonMention | None:
        return next((p for p in self.finder.people if p.start == ref.mention), None)

    def _body_member(self, p: PersonMention | None) -> bool:
        """Whether the text titles ``p`` as a member or chair of a hearing body ("Sen.", "Judge", "chairman")."""
        if p is None:
            return False
        last = fold(p.name).split()[-1:]
        words: set[str] = set()
        for q in self.finder.people:  # any mention under the surname ("Judge Mary Lane" … "Lane")
            if fold(q.name).split()[-1:] != last:
                continue
            words |= {w for t in q.titles for w in fold(t.title).split()}
            toks = self.doc.char_span(q.start, q.end, alignment_mode="expand")
            if toks is not None:
                words |= {y.lower_ for y in self.doc[max(toks.start - 4, toks.sent.start):toks.start]}
        return bool(words & self.cues.member_titles)

    def _defendants(self, found: list[Meeting], before: int) -> list[AgentRef]:
        """The people of the latest hearing before ``before`` who are not its judges or members: a
        sentencing that names no defendant is theirs ("Judge A scheduled sentencing for May 2")."""
        people = {p.start: p for p in self.finder.people}
        for prev in reversed(found):
            if prev.type != "hearing" or prev.start >= before:
                continue
            out = [r for r in prev.participants if r.kind == "person" and r.mention in people
                   and not self._body_member(people[r.mention])]
            if out:  # an account that names no one ("the defendant told the court") tells nothing here
                return out
        return []

    def list_members(self, sent: Span) -> list[AgentRef]:
        """People a sentence after a meeting lists as its delegation: "The delegation included A and
        B", "A is accompanied by officials including B and C", "A and B were sent as Canada's
        representatives"."""
        c = self.cues
        out: list[AgentRef] = []
        if not any(x.lower_ in c.groups or x.lower_ in c.list_words or x.lower_ in c.company for x in sent):
            return out
        for x in sent:
            low = x.lower_
            if _is_verb(x) and low in c.company and any(ch.dep_ == "prep" and ch.lower_ in ("with", "alongside")
                                                        for ch in x.children):
                # "Ebrard came with A and B": the companions of a person named (or pointed back to)
                subj = self._subject_tokens(x)
                if any(y.i in self.person_at or y.lower_ in c.back_pronouns for y in subj):
                    for ch in x.children:
                        if ch.dep_ == "prep" and ch.lower_ in ("with", "alongside"):
                            out += [r for r in self.refs(self._np(ch), "meeting") if r.kind == "person"]
                continue
            if _is_verb(x) and (low in c.list_verbs or f"{low} {next((ch.lower_ for ch in x.children if ch.dep_ == 'prt'), '')}" in c.list_verbs):
                args = [ch for ch in x.children if ch.dep_ in ("nsubj", "nsubjpass", "dobj", "agent", "attr")
                        or ch.dep_ == "prep" and ch.lower_ in c.party_preps | {"of"}]
                subj = next((ch for ch in args if ch.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is None or not (subj.lower_ in c.groups or subj.lower_ in c.back_pronouns
                                        or any(y.i in self.person_at for y in self._np(subj))):
                    continue
                for a in args:
                    out += [r for r in self.refs(self._np(a), "meeting") if r.kind == "person"]
            elif _is_noun(x) and low in c.groups and x.dep_ in ("attr", "pobj") \
                    and (x.dep_ == "attr" or x.head.lower_ in ("as", "among", "of")):
                v = x.head if x.dep_ == "attr" else x.head.head
                if not _is_verb(v):
                    continue
                for ch in v.children:
                    if ch.dep_ in ("nsubj", "nsubjpass"):
                        out += [r for r in self.refs(self._np(ch), "meeting") if r.kind == "person"]
        return out

    def lead_dates(self, found: list[Meeting]) -> list[Meeting]:
        """A held meeting near the top whose sentence gives no date takes the lead's, when the lead
        has no meeting of its own ("… an official said on Thursday." then "Robinson told a
        subcommittee …")."""
        if not self.body_sents or not self.article.published:
            return found
        k = next((k for k, s in enumerate(self.body_sents) if sum(t.is_alpha for t in s) >= 6), None)
        if k is None:
            return found
        lead = self.body_sents[k]
        if any(m.start == lead.start_char for m in found):
            return found
        dates = [d for d in find_dates(span_text(lead), self.article.published, offset=lead.start_char) if d.date]
        if len(dates) != 1:
            return found
        near = {sentence_bounds(s)[0] for s in self.body_sents[k + 1:k + 4]}
        return [replace(m, date=dates[0].date, date_phrase=dates[0].phrase)
                if m.status == "held" and m.date is None and m.month is None and m.start in near
                and any(p.kind == "person" for p in m.participants) else m
                for m in found]

    @staticmethod
    def sibling_dates(found: list[Meeting]) -> list[Meeting]:
        """Encounters told in one sentence ("met A and later held a news briefing with B")
        share the day one of them is given."""
        dated = {m.start: m for m in found if m.status == "held" and m.date}
        return [replace(m, date=dated[m.start].date, date_phrase=dated[m.start].date_phrase)
                if m.status == "held" and m.date is None and m.month is None and m.start in dated else m
                for m in found]

    def merge(self, found: list[Meeting]) -> tuple[Meeting, ...]:
        merged: list[Meeting] = []
        for m in found:
            k = next((k for k in reversed(range(len(merged))) if merged[k].status == m.status
                      and compatible_types(merged[k], m) and compatible_dates(merged[k], m)
                      and _share_people(merged[k], m)
                      and (merged[k].place is None or m.place is None or merged[k].place == m.place)), None)
            if k is None:
                merged.append(m)
            else:
                merged[k] = absorb(merged[k], m)
        merged = [replace(m, participants=self.clean(list(m.participants))) for m in merged]
        # "at the State Department": in the city the body sits in (after merging, so that two
        # buildings of one city still tell two encounters apart)
        merged = [replace(m, place=self.kb.seats[o.key], venue=False) if m.venue and (
            o := self.kb.orgs.get(fold(m.place or ""))) is not None and o.key in self.kb.seats else m for m in merged]
        merged = self.visit_places(merged)
        city = self.dateline_city()
        if city:
            # "WASHINGTON (Reuters) –": where a held hearing or meeting with no place of its own was
            merged = [replace(m, place=city) if m.place is None and m.status == "held"
                      and m.type in ("hearing", "meeting") else m for m in merged]
        # an encounter names a person, or two sides (countries, delegations, bodies), or the
        # agreement it is about
        pairs = {start for start, _ in self._pairs}
        return tuple(m for m in merged if any(p.kind == "person" for p in m.participants)
                     or len({p.country or p.label for p in m.participants}) >= 2 or m.agreement
                     or any(a in pairs for a, _ in m.evidence) and m.status != "held")


def _people_keys(m: Meeting) -> set[str]:
    return {fold(p.label).split()[-1] for p in m.participants if p.kind == "person" and p.label.strip()}


def _share_people(a: Meeting, b: Meeting) -> bool:
    """Two accounts in one article can be one event unless each names people, none in common, and
    they are not given the same day ("her call with B the previous day" and "C, who has met D several
    times" are two; a delegation met on Thursday and "the U.S. delegation included …" on Thursday one)."""
    if a.date is not None and a.date == b.date:
        return True
    pa, pb = _people_keys(a), _people_keys(b)
    return not pa or not pb or bool(pa & pb)


def _dedupe(parts) -> tuple[AgentRef, ...]:
    seen, out = set(), []
    for p in parts:
        if p.ident not in seen:
            seen.add(p.ident)
            out.append(p)
    return tuple(out)


def absorb(target: Meeting, m: Meeting) -> Meeting:
    """``target`` with meeting ``m`` folded in (two accounts of the same real meeting)."""
    return replace(
        target,
        type=min(target.type, m.type, key=lambda t: _SPECIFIC.index(t) if t in _SPECIFIC else len(_SPECIFIC)),
        date=target.date or m.date,
        month=target.month or m.month,
        date_phrase=target.date_phrase or m.date_phrase,
        place=target.place or m.place,
        venue=target.venue if target.place else m.venue,
        participants=_dedupe(target.participants + m.participants),
        topics=tuple(dict.fromkeys(target.topics + m.topics)),
        agreement=target.agreement or m.agreement,
        label=target.label or m.label,
        evidence=target.evidence + tuple(e for e in m.evidence if e not in target.evidence),
        status="held" if "held" in (target.status, m.status) else target.status,
        body=target.body or m.body,
    )


def surname(name: str, forms: tuple[str, ...] | list[str] = ()) -> str:
    """The part of a full name a reader knows a person by: the shortest form the articles wrote
    that ends the full name ("López Obrador" of "Andrés Manuel López Obrador"), else its last word,
    with the particles before it ("de la Vega")."""
    words = name.split()
    folded = [fold(w) for w in words]
    ends = [len(f) for f in (fold(form).split() for form in forms) if 0 < len(f) < len(words) and folded[-len(f):] == f]
    k = max(len(words) - min(ends, default=1), 0)
    while k > 0 and words[k - 1].islower():
        k -= 1
    return " ".join(words[k:])


def meeting_label(m: Meeting, people: list[tuple[str, tuple[str, ...]]], sides: list[str]) -> str:
    """A label a person reads: "Blinken–Ebrard phone call, 13 Mar 2023", "Planned Biden–Trudeau
    summit in Mexico City", "Robinson hearing before a Senate subcommittee in Washington, 7 Sep 2023"
    -- the participants' surnames (the sides when no person is named; the meeting's own name when
    the text gives one), the type in words, the place and the date."""
    names = [surname(n, forms) for n, forms in people]
    if m.label:
        text = m.label
    else:
        who = names or sides
        who_text = "–".join(who) if len(who) <= 4 else "–".join(who[:3]) + f" and {len(who) - 3} others"
        kind = TYPE_LABELS.get(m.form or m.type, "meeting")
        text = f"{who_text} {kind}" if who_text else kind
        if m.body and m.type == "hearing":
            text += f" before {m.body}" if m.body[:1].isupper() else f" before the {m.body}"
    if m.place:
        # "at the Kremlin", "in Ottawa", "visit to Tijuana"
        text += f" at the {m.place}" if m.venue else f" {'to' if m.type == 'visit' else 'in'} {m.place}"
    if m.date:
        text += f", {m.date.day} {m.date:%b %Y}"
    elif m.month:
        text += f", {date(m.month[0], m.month[1], 1):%b %Y}"  # as a dated meeting's month is written
    text = {"planned": "Planned ", "called_off": "Cancelled "}.get(m.status, "") + text
    return text[:1].upper() + text[1:]




def find_meetings(article: Article, doc: Doc, mentions: Mentions, finder: AgentFinder,
                  kb: Knowledge) -> tuple[Meeting, ...]:
    return _MeetingReader(article, doc, mentions, finder, kb).read()
