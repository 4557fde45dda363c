"""Who is speaking: find the person, body, delegation or country behind a phrase.

Quotes, claims, figures and meetings all need the same answer — who said it, who
reported it, who took part — from a verb's subject ("Robinson said"), a pronoun ("he
said", the last person who was a sentence's subject), a role the article gave someone
earlier ("the spokesperson", "the National Drug Control Policy director", "the U.S.
official", and when no one has that role, the person the text was last about: "the
opposition leader added"), a body named by its kind ("the ministry said"), a statement
and its author ("a statement from X", "X's post", "in her remarks"), an organization
("Mexico's foreign ministry"), or a delegation ("the Mexican delegation"). One
:class:`AgentFinder` per article answers all of them.

A person named inside a phrase is its agent only when the phrase is about them ("Foreign
Minister Juana Ortiz", "the minister, Juana Ortiz"), not when they only qualify another
noun ("an adviser in the Ortiz cabinet", "Ortiz's lawyer"), except for a
statement, whose author they are ("a statement from Ortiz").

The word lists (verbs of saying, pronouns, role nouns, statement nouns …) are the cue lists
of ``ontology/cues.yaml``, read through the knowledge the finder is given.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Token

from ..knowledge import Knowledge
from ..model import AgentRef, Mentions, OrgMention, PersonMention
from ..text import doc_text, fold

__all__ = ["AgentFinder"]

DELEGATION = re.compile(r"\bdelegation\b", re.IGNORECASE)
QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")  # a quotation that opens and closes on one line
_PATH_DEPS = frozenset({"appos", "conj", "cc", "punct"})  # a name standing for its phrase's head
_DEFINITE = frozenset({"the", "this", "that"})
_SOURCE_PREPS = frozenset({"from", "by", "of"})
_LOOKBACK = 600  # how many tokens back an earlier use of a role or statement noun is looked for


def _base(tok: Token) -> str:
    """A noun's singular, lower case (the pipeline runs without a lemmatizer): leaders → leader,
    secretaries → secretary, spokesmen → spokesman."""
    low = tok.lower_
    if tok.tag_ not in ("NNS", "NNPS") or len(low) < 4:
        return low
    if low.endswith("ies"):
        return low[:-3] + "y"
    if low.endswith("men"):
        return low[:-3] + "man"
    return low[:-1] if low.endswith("s") and not low.endswith("ss") else low


def _subtree(tok: Token) -> list[Token]:
    return sorted(tok.subtree, key=lambda t: t.i)


class AgentFinder:
    def __init__(self, doc: Doc, mentions: Mentions, kb: Knowledge):
        self.doc, self.kb = doc, kb
        self.people = sorted((p for p in mentions.people if p.segment == "body"), key=lambda p: p.start)
        # people by start offset, for the lookups below to read the few near an offset rather than
        # scan every mention of the article (a 400,000-character article names thousands)
        self._starts = [p.start for p in self.people]
        self._longest = max((p.end - p.start for p in self.people), default=0)
        self.orgs = sorted(mentions.orgs, key=lambda o: o.start)
        self.speech_verbs = kb.cue("speech_verbs")
        self.quote_verbs = kb.cue("quote_attribution_verbs")
        self.pronouns = kb.cue("person_pronouns")
        self.possessives = kb.cue("possessive_pronouns")
        self.relatives = kb.cue("relative_pronouns")
        self.back_references = kb.cue("back_references")
        self.role_nouns = kb.cue("person_role_nouns")
        self.spokesperson_nouns = kb.cue("spokesperson_nouns")
        self.body_nouns = kb.cue("body_nouns")
        self.government_nouns = kb.cue("government_nouns")
        self.statement_nouns = kb.cue("statement_nouns")
        self.pair_words = kb.cue("pair_words")
        self.former_words = kb.cue("former_words")
        self.any_official_nouns = kb.cue("any_official_nouns")
        self._quoted: list[tuple[int, int]] | None = None
        self._sides: dict[str, str] | None = None  # surname -> the side an appositive gives it

    # -- lookups --------------------------------------------------------------------
    def _starting(self, lo: int, hi: int) -> list[PersonMention]:
        """The people whose mention starts at ``lo`` or after and before ``hi``, in text order."""
        return self.people[bisect_left(self._starts, lo):bisect_left(self._starts, hi)]

    def person_in(self, start: int, end: int) -> PersonMention | None:
        inside = [p for p in self._starting(start, end) if p.end <= end]
        return inside[0] if inside else None

    def org_in(self, start: int, end: int) -> OrgMention | None:
        inside = [o for o in self.orgs if start <= o.start and o.end <= end]
        return inside[0] if inside else None

    def ref_person(self, p: PersonMention) -> AgentRef:
        """A person as an agent, with their country, else the side the article's own words give
        their post (see :meth:`side_of`)."""
        return AgentRef("person", p.name, p.country or self.side_of(p), p.start)

    def side_of(self, p: PersonMention) -> str | None:
        """The country a person's post is of, as a phrase in apposition to any mention of their
        name says it: "X, the head of U.S. Northern Command," or "Canada's envoy, X," (a public
        role noun heading the phrase, a country or a body of one named in it) — for officials
        the curated knowledge does not list. None when no such phrase names one."""
        if self._sides is None:
            self._sides = {}
            for q in self.people:
                side = self._appositive_side(q)
                if side:
                    self._sides.setdefault(q.name.split()[-1].lower(), side)
        return self._sides.get(p.name.split()[-1].lower()) if p.name else None

    def _appositive_side(self, p: PersonMention) -> str | None:
        span = self.doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        name = list(span)
        head = max(name, key=lambda t: sum(1 for _ in t.subtree))  # the name's head token
        roles = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos" and head.head.i not in {t.i for t in name}:
            roles.append(head.head)  # "the head of X, Y,": the name in apposition to the role
        for role in roles:
            if _base(role) not in self.role_nouns:
                continue
            words = [t for t in role.subtree if t.i not in {x.i for x in name}]
            if len(words) > 12:
                continue
            for t in words:
                c = self.kb.country_of_marker(t.text)
                if c:
                    return c
            lo, hi = words[0].idx, words[-1].idx + len(words[-1].text)
            org = next((o for o in self.orgs if lo <= o.start and o.end <= hi and o.country), None)
            if org is not None:
                return org.country
        return None

    def ref_org(self, o: OrgMention) -> AgentRef:
        return AgentRef("org", o.name, o.country, o.start)

    def in_quote(self, offset: int) -> bool:
        """Whether ``offset`` lies inside a quotation (a person named there is spoken of, not speaking)."""
        if self._quoted is None:
            self._quoted = [(m.start(), m.end()) for m in QUOTED.finditer(doc_text(self.doc))]
        i = bisect_right(self._quoted, (offset, offset)) - 1
        return i >= 0 and self._quoted[i][0] < offset < self._quoted[i][1]

    # -- main entry points -------------------------------------------------------------
    def agent_of_phrase(self, tokens: list[Token]) -> AgentRef | None:
        """The agent a noun phrase names (its tokens in document order)."""
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        text = doc_text(self.doc)[start:end]
        words = [t.lower_ for t in tokens]
        if len(tokens) == 1 and (words[0] in self.pronouns or words[0] in self.possessives):
            return self.antecedent(start)
        head = self._head(tokens)
        # people in the phrase, or overlapping it when the parser split a name ("Lena | Brandt, the
        # finance minister, said")
        inside = [p for p in self._starting(start - self._longest, end) if start < p.end]
        named = next((p for p in inside if self._names(p, head, start)), None)
        if named is not None:
            # "X and Y announced", parsed with X as a modifier of Y: the first of the pair
            first = next((p for p in inside if p.end <= named.start and self._coordinated(p, named)), named)
            return self.ref_person(first)
        lemma = _base(head)
        if lemma in self.statement_nouns or head.lower_ in self.statement_nouns:
            author = self.author_of(head) or (self._earlier_author(head) if self._definite(head) else None)
            if author is not None:
                return author
        o = self.org_in(start, end)
        # a body the role is "from", "of" or "in" speaks through it ("a spokesperson from the
        # National Security Council", "an official in the Foreign Ministry"); a body that only
        # qualifies the role ("the DEA chief") comes after the person given that title
        role_first = lemma in self.role_nouns and o is not None and not self._in_pp(o, head)
        if o and not role_first:
            return self.ref_org(o)
        country = next((self.kb.country_of_marker(t.text) for t in tokens if self.kb.country_of_marker(t.text)), None)
        if lemma in self.role_nouns or lemma in self.spokesperson_nouns:
            agent = self._role_agent(head, lemma, start, country, guess=o is None)
            if agent is not None:
                return agent
        if o:
            return self.ref_org(o)
        if lemma in self.government_nouns:
            # "the Biden administration", "the Mexican government": that country's government
            owner = country or next((c for c in map(self._country_of, inside) if c), None)
            if owner and owner in self.kb.countries:
                return AgentRef("country", self.kb.countries[owner].name, owner)
        if lemma in self.body_nouns and not inside:
            o = self._latest_org(lemma, start, country)
            if o is not None:
                return self.ref_org(o)
        if lemma in self.body_nouns:
            # "Ortiz's office said": the person whose office speaks
            owner = next((p for p in inside if self._possessor_of(p, head)), None)
            if owner is not None:
                return self.ref_person(owner)
        if country and DELEGATION.search(text):
            label = re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE).replace("’s", "").strip()
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
                # two subjects are a misparse of a fronted phrase ("In Geneva, the city hosting
                # the talks, Ortiz announced"): the one next to the verb is the subject
                nearest = min(subj, key=lambda c: abs(c.i - tok.i))
                if nearest.pos_ in ("VERB", "AUX") and tok.i == verb.i:
                    break  # a clause parsed as the subject ("Hard winters are coming, X, the envoy, said")
                if nearest.lower_ in self.relatives and tok.dep_ == "relcl":
                    # "Ortiz, who said …": the noun the clause is about
                    noun = tok.head
                    return self.agent_of_phrase(self.doc[noun.left_edge.i:noun.i + 1])
                return self.agent_of_phrase(_subtree(nearest))
            # "… was", "adding that …", "saying …": climb to the governing verb
            if tok.dep_ in ("conj", "advcl", "xcomp", "ccomp", "acl", "relcl") and tok.head.i != tok.i:
                tok = tok.head
                seen += 1
                continue
            break
        return self._named_before(verb)

    def speaker_for(self, verb: Token) -> AgentRef | None:
        """The subject of a verb of saying; when that is only a country ("… claims that Mexico has
        …, saying") or no one, the subject of an earlier verb of saying in the sentence is the
        better reading ("X announced that the talks had ended and added that …")."""
        agent = self.subject_of(verb)
        if agent is not None and agent.kind != "country":
            return agent
        for other in reversed([t for t in verb.sent if t.i < verb.i and t.lower_ in self.speech_verbs]):
            alt = self.subject_of(other)
            if alt is not None and alt.kind != "country":
                return alt
        return agent

    def according_to(self, sent_tokens: list[Token]) -> AgentRef | None:
        for t in sent_tokens:
            if t.lower_ == "according" and t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ == "to":
                pobj = [c for c in self.doc[t.i + 1].children if c.dep_ == "pobj"]
                if pobj and pobj[0].lower_ in self.relatives:
                    # "a ministry bulletin, according to which …": the noun the clause is about
                    noun = self._noun_before(t)
                    return self.agent_of_phrase(self.doc[noun.left_edge.i:noun.i + 1]) if noun is not None else None
                if pobj:
                    return self.agent_of_phrase(_subtree(pobj[0]))
                nxt = self.person_in(self.doc[t.i + 1].idx, self.doc[t.i + 1].idx + 60)
                if nxt:
                    return self.ref_person(nxt)
        return None

    def antecedent(self, before: int) -> AgentRef | None:
        """The person a pronoun points back to: the latest sentence subject, else the latest person.
        People named inside quotations are spoken of, not speaking, and are passed over."""
        earlier = [p for p in self.people if p.end <= before and not self.in_quote(p.start)]
        if not earlier:
            return None
        for p in reversed(earlier[-6:]):
            if self._is_subject(p):
                return self.ref_person(p)
        return self.ref_person(earlier[-1])

    def role_antecedent(self, role: str, before: int, country: str | None) -> AgentRef | None:
        """"the director" → the latest person whose title has that word; "the U.S. official" → the
        latest official of that country; "the spokesperson" → the body a spokesperson was named for."""
        role = role.lower()
        wanted = set(role.split())
        spokes = bool(wanted & self.spokesperson_nouns)
        earlier = [p for p in self.people if p.end <= before]
        for p in reversed(earlier):
            if country is not None and p.country != country:
                continue
            for t in p.titles:
                title_words = set(re.findall(r"[a-z]+", t.title.lower()))
                if title_words & self.former_words and not wanted & self.former_words:
                    continue  # "the president" is not the former president
                if wanted <= title_words or (spokes and title_words & self.spokesperson_nouns):
                    return self.ref_person(p)
        if spokes:
            # "a spokesperson from the U.S. National Security Council … the spokesperson said"
            for t in reversed(list(self.doc.char_span(0, before, alignment_mode="expand") or [])):
                if t.lower_ in self.spokesperson_nouns:
                    o = self.org_in(t.idx, t.sent.end_char)
                    if o:
                        return self.ref_org(o)
            if any(o.end <= before for o in self.orgs):
                return None
        if role in self.any_official_nouns and country:
            for p in reversed(earlier):
                if p.country == country and p.titles:
                    return self.ref_person(p)
        return None

    # -- statements, sources and the people a text is about ---------------------------------
    def author_of(self, noun: Token, depth: int = 0) -> AgentRef | None:
        """Who a statement noun is by: its possessor ("Trump's post", "her statement"), who it is
        from or by ("a statement from the ministry"), the possessor of the noun it is "of" ("X's
        reading of the statement"), or who issued it ("the ministry issued a statement")."""
        for c in noun.children:
            if c.dep_ == "poss":
                if c.lower_ in self.possessives:
                    return self.antecedent(c.idx)
                agent = self.agent_of_phrase(_subtree(c))
                if agent is not None:
                    return agent
            elif c.dep_ == "prep" and c.lower_ in _SOURCE_PREPS:
                pobj = [x for x in c.children if x.dep_ == "pobj"]
                agent = self.agent_of_phrase(_subtree(pobj[0])) if pobj else None
                if agent is not None and agent.kind in ("person", "org"):
                    return agent
        if depth == 0 and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ in ("NOUN", "PROPN"):
            return self.author_of(noun.head.head, 1)
        if noun.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
            # "read a statement from X": the parser may hang "from X" on the verb
            for c in noun.head.children:
                if c.dep_ == "prep" and c.lower_ in ("from", "by") and c.i > noun.i:
                    pobj = [x for x in c.children if x.dep_ == "pobj"]
                    agent = self.agent_of_phrase(_subtree(pobj[0])) if pobj else None
                    if agent is not None and agent.kind in ("person", "org"):
                        return agent
        if depth == 0 and noun.dep_ == "dobj" and noun.head.pos_ == "VERB" and noun.head.lower_ not in self.quote_verbs:
            return self.subject_of(noun.head)
        return None

    def statement_source(self, tokens: list[Token]) -> AgentRef | None:
        """The author of a statement a sentence says it reports: "In her remarks, …", "In a
        letter to the press, the ministry …" (the statement's own author, not the sentence's subject)."""
        for t in tokens:
            if t.dep_ == "pobj" and t.head.lower_ in ("in", "per") and (
                    _base(t) in self.statement_nouns or t.lower_ in self.statement_nouns):
                agent = self.author_of(t)
                if agent is not None:
                    return agent
        return None

    def people_between(self, start: int, end: int) -> list[PersonMention]:
        """The people named between two offsets, outside quotations, in text order."""
        return [p for p in self._starting(start, end) if p.end <= end and not self.in_quote(p.start)]

    def subject_person(self, start: int, end: int) -> AgentRef | None:
        """The person a stretch of text is about: its first person who is a verb's subject, else its
        first person ("This was the answer Governor X gave", "Those were the words of X")."""
        inside = self.people_between(start, end)
        p = next((p for p in inside if self._is_subject(p)), inside[0] if inside else None)
        return self.ref_person(p) if p is not None else None

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _head(tokens: list[Token]) -> Token:
        """The phrase's head: its first word governed from outside the phrase."""
        ids = {t.i for t in tokens}
        return next((t for t in tokens if (t.head.i not in ids or t.head.i == t.i) and not t.is_punct), tokens[-1])

    def _names(self, p: PersonMention, head: Token, start: int) -> bool:
        """Whether person mention ``p`` is what the phrase headed by ``head`` stands for — the head
        itself, its title, or in apposition or coordination with it — rather than a word that
        qualifies another noun ("an adviser in the Ortiz cabinet", "Ortiz's lawyer")."""
        lo = min([p.start] + [t.start for t in p.titles if start <= t.start < p.start])
        if lo <= head.idx < p.end:
            return True
        span = self.doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is None:
            return True
        tok = span.root
        for _ in range(8):
            if tok.i == head.i:
                return True
            if tok.head.i == tok.i or not (head.left_edge.i <= tok.head.i <= head.right_edge.i):
                return True  # the phrase is not one subtree: no reading against it
            if tok.dep_ not in _PATH_DEPS:
                return False
            tok = tok.head
        return False

    def _is_subject(self, p: PersonMention) -> bool:
        """Whether the person is a verb's subject, or names it ("President X said", "X, the envoy,
        said") — not when only its possessor ("X's testimony contained …" is about the testimony)."""
        tok = self.doc.char_span(p.start, p.end, alignment_mode="expand")
        return tok is not None and any(t.dep_ in ("nsubj", "nsubjpass") or (
            t.head.dep_ in ("nsubj", "nsubjpass") and t.dep_ != "poss") for t in tok)

    def _between(self, p: PersonMention, q: PersonMention) -> list[str]:
        """The words between two people named one after the other, their titles and country words
        left out ("X and French Interior Minister Y" → ["and"])."""
        q_lo = min([q.start] + [t.start for t in q.titles if p.end <= t.start < q.start])
        return [w for w in doc_text(self.doc)[p.end:q_lo].replace(",", " ").split()
                if not self.kb.country_of_marker(w)]

    def _coordinated(self, p: PersonMention, q: PersonMention) -> bool:
        """Whether ``p`` and ``q`` are named together: "X and (title) Y"."""
        return self._between(p, q) in (["and"], ["&"])

    def _country_of(self, p: PersonMention) -> str | None:
        """A person's country, from this mention or an earlier one of the same name ("Ortiz")."""
        if p.country:
            return p.country
        key = fold(p.name)
        return next((q.country for q in reversed(self.people) if q.start < p.start and q.country
                     and (fold(q.name) == key or fold(q.name).endswith(" " + key))), None)

    def _possessor_of(self, p: PersonMention, head: Token) -> bool:
        span = self.doc.char_span(p.start, p.end, alignment_mode="expand")
        return span is not None and span.root.dep_ == "poss" and span.root.head.i == head.i

    def _named_before(self, verb: Token) -> AgentRef | None:
        """A verb the parser left without a subject, right after a name or a name's title set off by
        commas ("…, Tomas Berg, Oslo's envoy to Chile, said"): that person."""
        i = verb.i - 1
        while i >= verb.sent.start and (self.doc[i].text == "," or self.doc[i].is_space):
            i -= 1
        if i < verb.sent.start or self.doc[i].is_punct:
            return None
        end = self.doc[i].idx + len(self.doc[i].text)
        for p in self.people:
            if p.start >= end:
                break
            if (p.end == end or any(t.end == end for t in p.titles)) and not self.in_quote(p.start):
                return self.ref_person(p)
        return None

    @staticmethod
    def _definite(head: Token) -> bool:
        return any((c.dep_ == "det" and c.lower_ in _DEFINITE) or c.dep_ == "poss" for c in head.children)

    def _role_agent(self, head: Token, lemma: str, start: int, country: str | None,
                    guess: bool = True) -> AgentRef | None:
        """Who a role phrase stands for: "the two leaders" → the first of the latest pair named
        together; "the director" → the person given that title; "the opposition leader", when no
        one has that title → the latest person the text was about, unless the article brought in
        an unnamed holder of that role ("a senior official said … the official added")."""
        if head.tag_ in ("NNS", "NNPS"):
            return self._pair_before(start) if lemma in self.role_nouns and self._a_pair(head) else None
        compounds = [c.lower_ for c in head.children
                     if c.dep_ == "compound" and self.kb.is_title_word(c.text) or c.lower_ in self.former_words]
        role = self.role_antecedent(" ".join([*compounds, lemma]), start, country)
        if role is None and compounds:
            role = self.role_antecedent(lemma, start, country)
        if role is not None:
            return role
        if lemma in self.role_nouns and self._definite(head):
            unnamed, body = self._unnamed_before(head)
            if unnamed:
                return self.ref_org(body) if body is not None else None  # "… the official added"
            if guess:
                return self._recent_subject(start, country)
        return None

    def _in_pp(self, o: OrgMention, head: Token) -> bool:
        """Whether a body named in a phrase hangs from a preposition there ("from the ministry")."""
        span = self.doc.char_span(o.start, o.end, alignment_mode="expand")
        tok = span.root if span is not None else None
        while tok is not None and tok.i != head.i and tok.head.i != tok.i:
            if tok.dep_ in ("pobj", "pcomp"):
                return True
            tok = tok.head
        return False

    def _a_pair(self, head: Token) -> bool:
        """"the two leaders", "both presidents": a plural role phrase about two people."""
        return any(c.lower_ in self.pair_words for c in head.children if c.dep_ in ("det", "nummod", "predet"))

    def _unnamed_before(self, head: Token) -> tuple[bool, OrgMention | None]:
        """Whether the latest earlier use of this role noun brought in someone unnamed ("a senior
        official", no name beside it), and the body they were said to be from or in ("a senior
        official at the Treasury")."""
        lemma = _base(head)
        for i in range(head.i - 1, max(-1, head.i - _LOOKBACK), -1):
            t = self.doc[i]
            if t.pos_ == "NOUN" and t.tag_ not in ("NNS", "NNPS") and t.lower_ == lemma:
                indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in t.children)
                lo, hi = t.left_edge.idx, t.right_edge.idx + len(t.right_edge.text)
                if not indefinite or any(lo <= p.start and p.end <= hi for p in self.people):
                    return False, None
                o = self.org_in(lo, hi)
                return True, o if o is not None and self._in_pp(o, t) else None
        return False, None

    def _sentences_back(self, before: int, n: int) -> int:
        """The start offset of the sentence ``n`` sentences before the one holding ``before``."""
        span = self.doc.char_span(before, before + 1, alignment_mode="expand")
        if span is None or not len(span):
            return 0
        sent = span[0].sent
        for _ in range(n):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
        return sent.start_char

    def _recent_subject(self, before: int, country: str | None) -> AgentRef | None:
        """The latest person who was a sentence's subject in the last few sentences (of ``country``)."""
        lo = self._sentences_back(before, 2)
        for p in reversed(self.people_between(lo, before)):
            if (country is None or p.country == country) and self._is_subject(p):
                return self.ref_person(p)
        return None

    def _pair_before(self, before: int) -> AgentRef | None:
        """The first of the latest two people named as a pair ("X and Y", not the end of a longer
        list "W, X and Y") in the last sentences."""
        lo = self._sentences_back(before, 2)
        inside = self.people_between(lo, before)
        for k in range(len(inside) - 2, -1, -1):
            p, q = inside[k], inside[k + 1]
            if self._coordinated(p, q) and not (k > 0 and self._between(inside[k - 1], p) in ([], ["and"])):
                return self.ref_person(p)
        return None

    def _latest_org(self, word: str, before: int, country: str | None) -> OrgMention | None:
        """"the ministry" → the latest body named before with that word in its name (of ``country``)."""
        for o in reversed([o for o in self.orgs if o.end <= before]):
            if word in fold(o.name).split() and (country is None or o.country == country):
                return o
        return None

    def _earlier_author(self, head: Token) -> AgentRef | None:
        """"the statement said" → the author of the latest statement the article named."""
        for i in range(head.i - 1, max(-1, head.i - _LOOKBACK), -1):
            t = self.doc[i]
            if t.lower_ == head.lower_:
                agent = self.author_of(t)
                if agent is not None:
                    return agent
        return None

    @staticmethod
    def _noun_before(t: Token) -> Token | None:
        i = t.i - 1
        while i >= t.sent.start and (t.doc[i].is_punct or t.doc[i].is_space):
            i -= 1
        return t.doc[i] if i >= t.sent.start and t.doc[i].pos_ in ("NOUN", "PROPN") else None
