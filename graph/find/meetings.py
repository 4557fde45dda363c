"""Meetings and other encounters: visits, talks, dialogues, phone calls, hearings.

A meeting is recognised from its trigger ("met with", "held a high-level security
dialogue", "had a phone conversation", "told a Senate subcommittee", "are set to meet")
and given a type aligned with PLOVER/CAMEO CONSULT modes (visit, host, phone call,
meeting, multilateral; plus hearing), a status (held, planned, called off), a date
resolved against publication, a place, participants (the people and governments the
trigger's own phrase names, plus delegation lists that follow), topics and the
agreement it concerns. Mentions of one meeting within an article are merged; merging
across articles happens in the resolve stage.
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..knowledge import Knowledge
from ..model import AgentRef, Article, DateRef, Meeting, Mentions
from ..text import fold, span_text
from .agents import SPEECH_VERBS, AgentFinder
from .people import sentence_bounds
from .timeline import find_dates

__all__ = ["find_meetings", "compatible_dates", "absorb", "TYPE_LABELS"]

VERB_TRIGGERS = {"met", "meet", "meets", "meeting", "visited", "visit", "visits", "visiting", "hosted", "host",
                 "hosts", "hosting", "welcomed", "welcomes", "discussed", "discuss", "discusses", "spoke",
                 "spoken", "talked", "testified", "told", "held", "hold", "holds", "gathered", "convened"}
NOUN_TRIGGERS = {"meeting", "meetings", "talks", "dialogue", "summit", "conversation", "call", "visit",
                 "hearing", "consultations", "session"}
HELD_NOUNS = NOUN_TRIGGERS | {"conference"}
TRIGGER_WORDS = frozenset(VERB_TRIGGERS | NOUN_TRIGGERS)  # a word outside it is never a trigger
LEGISLATIVE = re.compile(r"\b(committee|subcommittee|panel|senate|congress|house)\b", re.I)
PLANNED = re.compile(r"\b(will|set to|scheduled to|expected to|plans? to|planned|upcoming|ahead of|to be held|"
                     r"next (week|month)|further)\b", re.I)
CALLED_OFF = re.compile(r"\b(cancel+ed|postponed|called off|scrapped)\b", re.I)
AGREEMENT = re.compile(r"((?:[A-Z][\w-]+\s)+(?:Framework|Agreement|Accord|Treaty|Initiative|Understanding|Plan)"
                       r"(?:\s(?:Agreement|Accord))?)")
LIST_CUES = re.compile(r"\b(delegation|representatives|accompanied|companions|entourage|joined by)\b", re.I)
TYPE_LABELS = {"phone_call": "Phone call", "hearing": "Hearing", "visit": "Visit", "host": "Visit",
               "meeting": "Meeting", "multilateral": "Multilateral meeting", "agreement": "Agreement"}


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


def _compatible_types(a: str, b: str) -> bool:
    """A hearing is only ever the same event as a hearing; the other types can be one event told
    two ways ("spoke with", "discussed" are the call itself; the place decides elsewhere)."""
    return a == b or "hearing" not in (a, b)


def _subtree_tokens(tok: Token) -> list[Token]:
    return sorted(tok.subtree, key=lambda t: t.i)


class _MeetingReader:
    def __init__(self, article: Article, doc: Doc, mentions: Mentions, finder: AgentFinder, kb: Knowledge):
        self.article, self.doc, self.mentions, self.finder, self.kb = article, doc, mentions, finder, kb
        self.body_sents = [s for s in doc.sents if article.kind_at(s[0].idx if not s[0].is_space else s[-1].idx) == "body"]

    def is_trigger(self, t: Token) -> bool:
        low = t.lower_
        if t.pos_ in ("VERB", "AUX") and low in VERB_TRIGGERS:
            if low in ("spoke", "spoken", "talked"):
                return any(c.lower_ == "with" for c in t.children) or "phone" in t.sent.text.lower()
            if low in ("discussed", "discuss", "discusses"):
                subj = [c for c in t.children if c.dep_ == "nsubj"]
                return any(c.lower_ == "with" for c in t.children) or bool(
                    subj and len([p for p in self.finder.people if subj[0].left_edge.idx <= p.start < subj[0].right_edge.idx + len(subj[0].right_edge)]) >= 2)
            if low == "told":
                return any(LEGISLATIVE.search(" ".join(x.text for x in c.subtree)) for c in t.children
                           if c.dep_ in ("dobj", "dative", "iobj"))
            if low in ("held", "hold", "holds"):
                return any(c.dep_ == "dobj" and c.lower_ in HELD_NOUNS for c in t.children)
            if low in ("welcomed", "welcomes"):
                return any(c.dep_ == "dobj" and ("delegation" in c.lower_ or self._persons(_subtree_tokens(c)))
                           for c in t.children)
            return True
        if t.pos_ == "NOUN" and low in NOUN_TRIGGERS:
            if low == "call":
                return "phone" in t.sent.text.lower() or "call" in t.sent.text.lower() and "telephone" in t.sent.text.lower()
            if low == "session":
                return bool(LEGISLATIVE.search(t.sent.text))
            if low == "conversation":
                return True
            # a held noun is announced by its verb ("held a dialogue"): count it once, there
            return not (t.dep_ == "dobj" and t.head.lower_ in ("held", "hold", "holds", "had"))\
                or t.head.lower_ == "had"
        return False

    def _persons(self, toks: list[Token]) -> list[AgentRef]:
        if not toks:
            return []
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        return [self.finder.ref_person(p) for p in self.finder.people if start <= p.start and p.end <= end]

    def _countries(self, toks: list[Token]) -> list[AgentRef]:
        if not toks:
            return []
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        inside_people = [(p.start, p.end) for p in self.finder.people]
        out = []
        for c in self.mentions.countries:
            if start <= c.start and c.end <= end and not any(a <= c.start < b for a, b in inside_people):
                if not self.kb.place.get(c.text.lower()):
                    out.append(AgentRef("country", self.kb.countries[c.country].name, c.country))
        return out

    def participant_tokens(self, t: Token) -> list[list[Token]]:
        groups: list[list[Token]] = []
        if t.pos_ in ("VERB", "AUX"):
            opener = next((x for x in reversed(list(t.sent)) if x.i < t.i and (
                x.lower_ in ("when", "while", "after", "as", "where") or x.text == ";")), None)
            if opener is not None:
                # parsers lose long subjects ("when Ebrard and his companions – A, B, C – met"):
                # the clause from its opener to the verb names who met
                groups.append(list(self.doc[opener.i:t.i]))
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i < t.i:
                    # "Ebrard and his companions from Mexico – A, B, C – met": the whole stretch
                    groups.append(list(self.doc[c.left_edge.i:t.i]))
                elif c.dep_ in ("nsubj", "nsubjpass", "dobj", "dative", "agent", "attr"):
                    groups.append(_subtree_tokens(c))
                if c.dep_ == "prep" and c.lower_ in ("with", "by"):
                    groups.append(_subtree_tokens(c))
            if not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) and t.dep_ in ("conj", "xcomp", "advcl"):
                subj = [c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                groups += [_subtree_tokens(s) for s in subj]
        else:
            groups.append(_subtree_tokens(t))
            head = t.head
            if t.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
                groups += [_subtree_tokens(c) for c in head.children if c.dep_ in ("nsubj",)]
            if t.dep_ == "pobj" and head.lower_ in ("during", "at") and head.head.pos_ in ("VERB", "AUX"):
                groups += [_subtree_tokens(c) for c in head.head.children if c.dep_ == "nsubj"]
        return groups

    def date_for(self, t: Token, sent: Span, planned: bool) -> DateRef | None:
        dates = find_dates(span_text(sent), self.article.published, future=planned, offset=sent.start_char)
        if not dates:
            return None
        trigger = t
        if t.pos_ == "NOUN" and t.dep_ in ("dobj", "nsubjpass") and t.head.pos_ in ("VERB", "AUX"):
            t = t.head  # "had a phone call on Monday": the date hangs on the light verb
        sub = _subtree_tokens(t)
        lo, hi = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        nested = [x for x in sub if x.i not in (t.i, trigger.i) and x.pos_ == "NOUN" and x.lower_ in NOUN_TRIGGERS]
        spans = [(_subtree_tokens(x)[0].idx, _subtree_tokens(x)[-1].idx + len(_subtree_tokens(x)[-1].text))
                 for x in nested]
        dates = [d for d in dates if not any(a <= d.start < b for a, b in spans)]  # "ahead of a meeting in April"
        inside = [d for d in dates if lo <= d.start and d.end <= hi]
        if inside:
            return inside[0]
        if t.pos_ not in ("VERB", "AUX"):
            return None
        for d in dates:
            tok = self.doc.char_span(d.start, d.end, alignment_mode="expand")
            if tok is None:
                continue
            gov = tok.root
            while gov.pos_ not in ("VERB", "AUX") and gov.head is not gov and gov.head.i != gov.i:
                gov = gov.head
            if gov.lower_ in SPEECH_VERBS and gov.i != t.i:
                continue  # "…, the State Department said on Monday": when it was said
            return d
        return None

    def place_for(self, t: Token, sent: Span) -> str | None:
        sub = _subtree_tokens(t)
        candidates = [e for e in sent.ents if e.label_ in ("GPE", "LOC", "FAC")]
        lo, hi = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        for e in candidates:
            prev = self.doc[e.start - 1] if e.start > 0 else None
            in_scope = lo <= e.start_char < hi or t.pos_ in ("VERB", "AUX")
            if in_scope and prev is not None and prev.lower_ in ("in", "at") and self._is_place(e.text):
                return e.text
        # "Meeting in Mexico City, …" as the sentence's opening
        m = re.match(r"\s*(?:Meeting|Talks|Speaking)\s+in\s+([A-Z][\w.]*(?:\s[A-Z][\w.]*)*)", span_text(sent))
        if m and self._is_place(m.group(1)):
            return m.group(1)
        return None

    def dateline_city(self) -> str | None:
        body = [seg for seg in self.article.segments if seg.kind == "body"]
        if not body:
            return None
        line = self.article.text[body[0].start:body[0].end]
        m = re.match(r"\s*([A-Z][A-Z .'-]{2,40}?)\s*\([^)]{1,40}\)\s*[-–—]", line)
        if not m:
            return None
        key = fold(m.group(1))
        return self.kb.place_names.get(key) if key in self.kb.place else None

    def _is_place(self, text: str) -> bool:
        return fold(text) in self.kb.place or self.kb.country_of_marker(text) is None

    def read(self) -> list[Meeting]:
        found: list[Meeting] = []
        for sent in self.body_sents:
            text = span_text(sent)
            # the sentence, then the word, then its part of speech (a string look-up): most
            # sentences hold no trigger word at all
            low = text.lower()
            triggers = [t for t in sent if t.lower_ in TRIGGER_WORDS and self.is_trigger(t)] \
                if any(w in low for w in TRIGGER_WORDS) else []
            for t in triggers:
                window = self.doc[max(sent.start, t.i - 4):t.i + 1].text
                status = ("called_off" if CALLED_OFF.search(text) else
                          "planned" if PLANNED.search(window) or any(c.dep_ == "aux" and c.lower_ in ("will", "'ll")
                                                                     for c in t.children)
                          or (t.dep_ == "xcomp" and t.head.lower_ in ("set", "scheduled", "expected", "due"))
                          else "held")
                if t.lower_ in ("testified", "told", "hearing", "session"):
                    kind = "hearing"
                elif "phone" in text.lower() or "telephone" in text.lower():
                    kind = "phone_call"
                elif t.lower_.startswith("visit"):
                    kind = "visit"
                elif t.lower_.startswith("host") or t.lower_.startswith("welcom"):
                    kind = "host"
                else:
                    kind = "meeting"
                parts: list[AgentRef] = []
                for toks in self.participant_tokens(t):
                    parts += self._persons(toks)
                    parts += self._countries(toks)
                    org = self.finder.org_in(toks[0].idx, toks[-1].idx + len(toks[-1].text)) if toks else None
                    if org and kind == "hearing":
                        parts.append(self.finder.ref_org(org))
                d = self.date_for(t, sent, status == "planned")
                agreement = AGREEMENT.search(text)
                label = None
                if t.pos_ == "NOUN":
                    mods = [c for c in t.children if c.dep_ in ("amod", "compound") and c.i < t.i]
                    if mods:
                        label = self.doc[mods[0].left_edge.i:t.i + 1].text
                bounds = sentence_bounds(sent)
                found.append(Meeting(kind, status, *bounds, t.text,
                                     d.date if d else None, d.month if d else None, d.phrase if d else None,
                                     self.place_for(t, sent), _dedupe(parts), tuple(self.kb.topics_of(text)),
                                     agreement.group(1).strip() if agreement else None, label, (bounds,)))
            if not triggers and found and LIST_CUES.search(text):
                people = self._persons([x for x in sent])
                if people:
                    last = found[-1]
                    found[-1] = replace(last, participants=_dedupe(last.participants + tuple(people)),
                                        evidence=last.evidence + (sentence_bounds(sent),))
        return self.merge(self.lead_dates(found))

    def lead_dates(self, found: list[Meeting]) -> list[Meeting]:
        """A held meeting whose sentence gives no date takes the lead's, when the lead has no
        meeting of its own ("… an official said on Thursday." then "Robinson told a subcommittee")."""
        if not self.body_sents or not self.article.published:
            return found
        lead = next((s for s in self.body_sents if sum(t.is_alpha for t in s) >= 6), None)
        if lead is None:
            return found
        if any(m.start == lead.start_char for m in found):
            return found
        dates = [d for d in find_dates(lead.text, self.article.published, offset=lead.start_char) if d.date]
        if len(dates) != 1:
            return found
        for k, m in enumerate(found):
            if m.status == "held" and m.date is None and m.month is None:
                return found[:k] + [replace(m, date=dates[0].date, date_phrase=dates[0].phrase)] + found[k + 1:]
        return found

    def merge(self, found: list[Meeting]) -> list[Meeting]:
        merged: list[Meeting] = []
        for m in found:
            k = next((k for k in reversed(range(len(merged))) if merged[k].status == m.status
                      and _compatible_types(merged[k].type, m.type) and compatible_dates(merged[k], m)
                      and (merged[k].place is None or m.place is None or merged[k].place == m.place)), None)
            if k is None:
                merged.append(m)
            else:
                merged[k] = absorb(merged[k], m)
        city = self.dateline_city()
        if city:
            # "WASHINGTON (Reuters) –": where a held hearing or meeting with no place of its own was
            merged = [replace(m, place=city) if m.place is None and m.status == "held"
                      and m.type in ("hearing", "meeting") else m for m in merged]
        return tuple(m for m in merged if any(p.kind == "person" for p in m.participants)
                     or len({p.country for p in m.participants if p.kind == "country"}) >= 2 or m.agreement)


def _dedupe(parts) -> tuple[AgentRef, ...]:
    seen, out = set(), []
    for p in parts:
        if p.ident not in seen:
            seen.add(p.ident)
            out.append(p)
    return tuple(out)


_SPECIFIC = ["phone_call", "hearing", "visit", "host", "multilateral", "meeting"]


def absorb(target: Meeting, m: Meeting) -> Meeting:
    """``target`` with meeting ``m`` folded in (two accounts of the same real meeting)."""
    return replace(
        target,
        type=min(target.type, m.type, key=_SPECIFIC.index),
        date=target.date or m.date,
        month=target.month or m.month,
        date_phrase=target.date_phrase or m.date_phrase,
        place=target.place or m.place,
        participants=_dedupe(target.participants + m.participants),
        topics=tuple(dict.fromkeys(target.topics + m.topics)),
        agreement=target.agreement or m.agreement,
        label=target.label or m.label,
        evidence=target.evidence + tuple(e for e in m.evidence if e not in target.evidence),
        status="held" if "held" in (target.status, m.status) else target.status,
    )


def find_meetings(article: Article, doc: Doc, mentions: Mentions, finder: AgentFinder,
                  kb: Knowledge) -> tuple[Meeting, ...]:
    return _MeetingReader(article, doc, mentions, finder, kb).read()
