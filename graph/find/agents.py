"""Who is speaking: find the person, body, delegation or country behind a phrase.

Quotes, claims, figures and meetings all need the same answer — who said it, who
reported it, who took part — from a verb's subject ("Robinson said"), a pronoun ("he
said", the last person who was a sentence's subject), a role the article gave someone
earlier ("the spokesperson", "the National Drug Control Policy director", "the U.S.
official"), an organization ("Mexico's foreign ministry"), or a delegation ("the Mexican
delegation"). One :class:`AgentFinder` per article answers all of them.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..knowledge import Knowledge
from ..model import AgentRef, Mentions, OrgMention, PersonMention
from ..text import doc_text

__all__ = ["AgentFinder", "SPEECH_VERBS"]

SPEECH_VERBS = {
    "said", "says", "say", "saying", "told", "tells", "tell", "telling", "added", "adds", "adding",
    "stressed", "noted", "concluded", "explained", "warned", "stated", "affirmed", "insisted",
    "maintained", "argued", "declared", "wrote", "tweeted", "asserted", "acknowledged", "cautioned",
    "emphasized", "emphasised", "remarked", "contended", "claimed", "pointed", "expressing", "calling",
    "refuted", "denied", "rejected", "announced", "disclosed", "vowed", "urged", "asked", "replied",
    "responded", "reiterated", "underscored", "admitted", "suggested", "testified",
}
PRONOUNS = {"he", "she", "they", "it"}
ROLE_NOUNS = {"spokesperson", "spokesman", "spokeswoman", "official", "director", "minister", "secretary",
              "ambassador", "president", "advisor", "adviser", "chief", "envoy", "diplomat", "prosecutor",
              "general", "admiral", "senator", "governor", "leader", "head", "attorney"}
DELEGATION = re.compile(r"\bdelegation\b", re.I)


class AgentFinder:
    def __init__(self, doc: Doc, mentions: Mentions, kb: Knowledge):
        self.doc, self.mentions, self.kb = doc, mentions, kb
        self.people = sorted((p for p in mentions.people if p.segment == "body"), key=lambda p: p.start)
        self.orgs = sorted(mentions.orgs, key=lambda o: o.start)

    # -- lookups --------------------------------------------------------------------
    def person_in(self, start: int, end: int) -> PersonMention | None:
        inside = [p for p in self.people if start <= p.start and p.end <= end]
        return inside[0] if inside else None

    def org_in(self, start: int, end: int) -> OrgMention | None:
        inside = [o for o in self.orgs if start <= o.start and o.end <= end]
        return inside[0] if inside else None

    def ref_person(self, p: PersonMention) -> AgentRef:
        return AgentRef("person", p.name, p.country, p.start)

    def ref_org(self, o: OrgMention) -> AgentRef:
        return AgentRef("org", o.name, o.country, o.start)

    # -- main entry points -------------------------------------------------------------
    def agent_of_phrase(self, tokens: list[Token]) -> AgentRef | None:
        """The agent a noun phrase names (its tokens in document order)."""
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        text = doc_text(self.doc)[start:end]
        p = self.person_in(start, end)
        if p:
            return self.ref_person(p)
        words = [t.lower_ for t in tokens]
        if len(tokens) == 1 and words[0] in PRONOUNS:
            if words[0] in ("it", "they"):
                return None
            return self.antecedent(start)
        o = self.org_in(start, end)
        if o:
            return self.ref_org(o)  # also "a spokesperson from the National Security Council"
        country = next((self.kb.country_of_marker(t.text) for t in tokens if self.kb.country_of_marker(t.text)), None)
        head = next((t for t in reversed(tokens) if t.lower_ in ROLE_NOUNS), None)
        if head is not None:
            role = self.role_antecedent(head.lower_, start, country)
            if role:
                return role
        if country and DELEGATION.search(text):
            label = re.sub(r"^(the|a|an)\s+", "", text, flags=re.I).replace("’s", "").strip()
            return AgentRef("delegation", label, country)
        if country and len(tokens) <= 3 and self.kb.country_of_marker(text.replace("’s", "").replace("'s", "")):
            return AgentRef("country", self.kb.countries[country].name, country)
        return None

    def subject_of(self, verb: Token) -> AgentRef | None:
        """The agent doing ``verb``: its subject, or the subject of the verb it hangs from."""
        seen = 0
        tok = verb
        while tok is not None and seen < 4:
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                toks = sorted(subj[0].subtree, key=lambda t: t.i)
                return self.agent_of_phrase(toks)
            # "… was", "adding that …", "saying …": climb to the governing verb
            if tok.dep_ in ("conj", "advcl", "xcomp", "ccomp", "acl", "relcl") and tok.head is not tok:
                tok = tok.head
                seen += 1
                continue
            break
        return None

    def speaker_for(self, verb: Token) -> AgentRef | None:
        """The subject of a verb of saying; when that is only a country ("… claims that Mexico has
        …, saying"), the subject of an earlier verb of saying in the sentence is the better reading."""
        agent = self.subject_of(verb)
        if agent is not None and agent.kind != "country":
            return agent
        for other in reversed([t for t in verb.sent if t.i < verb.i and t.lower_ in SPEECH_VERBS]):
            alt = self.subject_of(other)
            if alt is not None and alt.kind != "country":
                return alt
        return agent

    def according_to(self, sent_tokens: list[Token]) -> AgentRef | None:
        for t in sent_tokens:
            if t.lower_ == "according" and t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ == "to":
                pobj = [c for c in self.doc[t.i + 1].children if c.dep_ == "pobj"]
                if pobj:
                    return self.agent_of_phrase(sorted(pobj[0].subtree, key=lambda x: x.i))
                nxt = self.person_in(self.doc[t.i + 1].idx, self.doc[t.i + 1].idx + 60)
                if nxt:
                    return self.ref_person(nxt)
        return None

    def antecedent(self, before: int) -> AgentRef | None:
        """The person a pronoun points back to: the latest sentence subject, else the latest person."""
        earlier = [p for p in self.people if p.end <= before]
        if not earlier:
            return None
        for p in reversed(earlier[-6:]):
            tok = self.doc.char_span(p.start, p.end, alignment_mode="expand")
            if tok is not None and any(t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj", "nsubjpass")
                                       for t in tok):
                return self.ref_person(p)
        return self.ref_person(earlier[-1])

    def role_antecedent(self, role: str, before: int, country: str | None) -> AgentRef | None:
        """"the director" → the latest person whose title has that word; "the U.S. official" → the
        latest official of that country."""
        earlier = [p for p in self.people if p.end <= before]
        for p in reversed(earlier):
            if any(role in t.title.lower() for t in p.titles) and (country is None or p.country == country):
                return self.ref_person(p)
        earlier_orgs = [o for o in self.orgs if o.end <= before]
        if role in ("spokesperson", "spokesman", "spokeswoman"):
            # "a spokesperson from the U.S. National Security Council … the spokesperson said"
            for t in reversed(list(self.doc.char_span(0, before, alignment_mode="expand") or [])):
                if t.lower_ == role:
                    o = self.org_in(t.idx, t.sent.end_char)
                    if o:
                        return self.ref_org(o)
            if earlier_orgs:
                return None
        if role in ("official", "diplomat") and country:
            for p in reversed(earlier):
                if p.country == country and p.titles:
                    return self.ref_person(p)
        return None
