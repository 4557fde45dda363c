"""Stage 3 — extract: people with their titles and countries, organizations, countries.

Works on the spaCy ``Doc`` of an article's story lines (offsets equal the file's).
Names are found from three sources and cross-checked: the model's PERSON entities
(trimmed of titles they swallowed and extended over name tokens they missed), names
that follow a title phrase ("Secretary of Health Jorge Alcocer"), and later surname
mentions of a name already found ("Garland", whatever label the model gave it).
Titles are read before the name ("Mexican Foreign Minister X") or in an apposition
("X, assistant secretary of state for …,"); nationality words become the person's
country, not part of the title. Nothing here knows any particular article.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property

from spacy.attrs import IDX
from spacy.tokens import Doc, Span, Token

from ..knowledge import Knowledge
from ..model import (
    NEIGHBOUR,
    OWN,
    POST,
    SIDE,
    Anchor,
    Article,
    CountryMention,
    Mentions,
    OrgMention,
    PersonMention,
    TitleFact,
)
from ..text import doc_text, fold, span_text

__all__ = ["sentence_bounds", "extract"]

PARTICLES = {"de", "del", "la", "van", "von", "da", "di", "y", "bin", "al"}
CONNECTORS = {"of", "the", "for", "and", "to", "on"}
SIDE_NOUNS = r"delegation|delegations|representatives|companions|team|officials|counterparts|envoys|side"
_SIDE_WORDS = tuple(SIDE_NOUNS.split("|"))
APPOSITION_MAX = 14

# --------------------------------------------------------------------------- helpers

def sentence_bounds(sent: Span) -> tuple[int, int]:
    """A sentence's character bounds without the blanked furniture spaCy lets it run into."""
    doc, s, e = sent.doc, sent.start, sent.end
    while s < e and doc[s].is_space:  # walk in from the ends: sentences run to hundreds of tokens
        s += 1
    while e > s and doc[e - 1].is_space:
        e -= 1
    if s >= e:
        return sent.start_char, sent.start_char
    last = doc[e - 1]
    return doc[s].idx, last.idx + len(last.text)


def _sentence_initial(tok: Token) -> bool:
    return tok.i == 0 or tok.nbor(-1).is_space or tok.nbor(-1).text in {".", "!", "?", "\"", "“"}


class _Reader:
    """Reads one Doc; holds the knowledge and the per-article state."""

    def __init__(self, doc: Doc, article: Article, kb: Knowledge):
        self.doc, self.article, self.kb = doc, article, kb
        # whether each token starts with a capital (an upper-case character is a letter): the name
        # and title passes ask it of every token; its first character read from the text at its
        # offset, all offsets in one array
        text = doc_text(doc)
        self.cap = [text[i].isupper() for i in doc.to_array(IDX).tolist()] if len(doc) else []
        # a token's sentence by number: spaCy's ``tok.sent`` walks the sentence on every call,
        # and names, appositions and evidence ask it for most tokens
        self._sents = list(doc.sents)
        self._sent_of = [0] * len(doc)
        for k, sent in enumerate(self._sents):
            self._sent_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
        self._bounds: dict[int, tuple[int, int]] = {}
        # answers per token, remembered: the name passes ask them of the same tokens many times
        self._segment: list[str | None] = [None] * len(doc)
        self._name: list[bool | None] = [None] * len(doc)
        self._title: list[bool | None] = [None] * len(doc)

    @cached_property
    def lower_words(self) -> set[str]:
        """The article's words written in lower case (asked of a few one-word names, not of most articles)."""
        return {t.lower_ for t in self.doc if t.is_alpha and t.is_lower}

    # -- token classes ------------------------------------------------------------
    def segment(self, tok: Token) -> str:
        kind = self._segment[tok.i]
        if kind is None:
            kind = self._segment[tok.i] = self.article.kind_at(tok.idx)
        return kind

    def is_country_word(self, tok: Token) -> bool:
        return self.kb.country_of_marker(tok.text) is not None or tok.lower_ in {"united", "states"}

    def is_title_token(self, tok: Token) -> bool:
        known = self._title[tok.i]
        if known is None:
            low = tok.lower_.rstrip(".")
            known = self._title[tok.i] = (self.kb.is_title_word(tok.text) or low in self.kb.title_words
                                          or (self.cap[tok.i] and self.is_country_word(tok)))
        return known

    def is_name_token(self, tok: Token) -> bool:
        known = self._name[tok.i]
        if known is None:
            known = self._name[tok.i] = self._is_name_token(tok)
        return known

    def _is_name_token(self, tok: Token) -> bool:
        if tok.text in ("-", "‐") and not tok.whitespace_ and tok.i > 0 and not tok.nbor(-1).whitespace_:
            return True  # Sherwood-Randall
        if tok.lower_ in PARTICLES:
            return True
        if not self.cap[tok.i] or tok.is_punct or tok.like_num:
            return False
        if self.is_title_token(tok) or tok.text in self.kb.honorifics:
            return False
        if tok.lower_ in self.kb.topic_words:
            return False
        return True

    def text_of(self, start: int, end: int) -> str:
        """The text of tokens ``start``..``end`` (``doc[start:end].text`` without making a Span)."""
        last = self.doc[end - 1]
        return doc_text(self.doc)[self.doc[start].idx:last.idx + len(last.text)]

    def sent_bounds(self, tok: Token) -> tuple[int, int]:
        k = self._sent_of[tok.i]
        if k not in self._bounds:
            self._bounds[k] = sentence_bounds(self._sents[k])
        return self._bounds[k]

    def same_sentence(self, i: int, j: int) -> bool:
        return self._sent_of[i] == self._sent_of[j]

    # -- names --------------------------------------------------------------------
    def grow_name(self, start: int, end: int) -> tuple[int, int]:
        """Trim title words off a candidate name and extend it over adjacent name tokens."""
        doc = self.doc
        while start < end and not self.is_name_token(doc[start]):
            start += 1
        while end > start and (not self.is_name_token(doc[end - 1]) or doc[end - 1].lower_ in PARTICLES):
            end -= 1
        if start >= end:
            return start, start
        while end < len(doc) and self.is_name_token(doc[end]) and self.same_sentence(end, start):
            end += 1
        while end > start and (doc[end - 1].lower_ in PARTICLES or doc[end - 1].text == "-"):
            end -= 1
        while start > 0 and self.is_name_token(doc[start - 1]) and doc[start - 1].lower_ not in PARTICLES \
                and not doc[start - 1].is_sent_start and self.same_sentence(start - 1, start):
            start -= 1
        # a sentence-initial word only joins when the model called it part of a name
        return start, end

    def acceptable_name(self, span: Span) -> bool:
        key = fold(span.text)
        kb = self.kb
        if not key or kb.country_of_marker(span.text) or key in kb.place or key in kb.orgs:
            return False
        words = key.split()
        if any(w in kb.topic_words for w in words):
            return False
        if all(t.is_upper and len(t) > 1 for t in span if t.is_alpha) and key not in kb.officials:
            return False  # "MEXICO CITY" dateline
        if len(words) > 5:
            return False
        return True

    # -- titles -------------------------------------------------------------------
    def title_before(self, start: int) -> tuple[int, int]:
        """Token range of a title phrase ending right before token ``start`` (may be empty)."""
        doc = self.doc
        i = start
        while i > 0:
            tok = doc[i - 1]
            if tok.is_space or tok.text in {".", "!", "?"}:
                break  # the parser may split "… the Navy | Admiral X": only real stops count
            if self.is_title_token(tok) and (self.cap[tok.i] or self.kb.is_title_word(tok.text)):
                i -= 1
            elif tok.lower_ in CONNECTORS and i < start:
                i -= 1
            elif (self.cap[tok.i] and i < start and self.is_title_token(doc[i]) and tok.ent_type_ != "PERSON"
                  and tok.lower_ not in self.kb.topic_words and not _sentence_initial(tok)):
                i -= 1  # an unlisted department word: "Public *Safety* Minister"
            elif tok.text == ")" :
                j = i - 1
                while j > 0 and doc[j].text != "(" and i - j < 5:
                    j -= 1
                if doc[j].text != "(":
                    break
                i = j
            elif tok.text in ("’s", "'s") and i >= 2 and self.kb.country_of_marker(doc[i - 2].text):
                i -= 1
            elif tok.text.lower().startswith("then-") or tok.text.lower() == "then":
                i -= 1
            else:
                break
        while i < start and (doc[i].lower_ in CONNECTORS or doc[i].is_punct):
            i += 1
        return i, start

    def split_title(self, s: int, e: int) -> tuple[str | None, list[tuple[int, int]]]:
        """Split a title token range into (country id, [title ranges]) — "Mexican" becomes the country."""
        doc, kb = self.doc, self.kb
        country = None
        while s < e:
            tok = doc[s]
            two = doc[s:s + 2].text
            if kb.country_of_marker(two) and s + 1 < e:
                country = kb.country_of_marker(two)
                s += 2
            elif kb.country_of_marker(tok.text) and self.cap[tok.i]:
                country = kb.country_of_marker(tok.text)
                s += 1
            elif tok.text in ("’s", "'s") or tok.lower_ == "the":
                s += 1
            else:
                break
        if s >= e or not kb.has_title_head([t.text for t in doc[s:e]]):
            return country, []
        ranges = [(s, e)]
        last = doc[e - 1]
        if last.text in kb.military_ranks and e - s > 1 and doc[e - 2].text.lower() != "attorney" \
                and doc[e - 2].lower_ != "surgeon":
            ranges = [(s, e - 1), (e - 1, e)]
        return country, ranges

    def title_text(self, s: int, e: int) -> str:
        text = self.doc[s:e].text
        text = re.sub(r"\s*\([^)]*\)", "", text).strip()
        return text

    def apposition_after(self, end: int) -> tuple[int, int] | None:
        """"X, assistant secretary of state for …," → the appositive's token range."""
        doc = self.doc
        if end >= len(doc) or doc[end].text != ",":
            return None
        j = end + 1
        stop = j
        while stop < len(doc) and doc[stop].text not in {",", ".", ";", "–", "—", ":"} \
                and self.same_sentence(stop, end) and stop - j <= APPOSITION_MAX:
            if doc[stop].pos_ in ("VERB", "AUX") or doc[stop].lower_ in {"who", "which", "that"}:
                return None
            stop += 1
        if stop - j > APPOSITION_MAX or stop == j:
            return None
        words = [t.text for t in doc[j:stop]]
        first = j + (1 if doc[j].lower_ in {"the", "a", "an"} else 0)
        if first >= stop:
            return None
        lead = doc[first]
        if not (self.kb.is_title_word(lead.text) or self.kb.country_of_marker(lead.text)
                or lead.lower_ in self.kb.title_words):
            return None
        if not self.kb.has_title_head(words):
            return None
        if any(self.is_name_token(t) and t.lower_ not in PARTICLES for t in doc[first:stop]):
            return None  # the next item of a list of people, not an apposition
        return first, stop


def _country_side_markers(sent: Span, kb: Knowledge) -> list[tuple[int, str]]:
    """Phrases that give the side of people listed after them ("the U.S. delegation")."""
    out: list[tuple[int, str]] = []
    text = span_text(sent)
    if not any(noun in text for noun in _SIDE_WORDS):  # both patterns need one; most sentences have none
        return out
    for m in re.finditer(rf"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)(?:’s|'s)?\s+(?:receiving\s+)?(?:{SIDE_NOUNS})\b", text):
        words = m.group(1).split()
        cid = kb.country_of_marker(m.group(1)) or kb.country_of_marker(words[-1])
        if cid:
            out.append((sent.start_char + m.start(), cid))
    for m in re.finditer(rf"\b(?:{SIDE_NOUNS})\s+(?:from|of)\s+((?:the\s)?[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)", text):
        cid = kb.country_of_marker(m.group(1))
        if cid:
            out.append((sent.start_char + m.start(), cid))
    return sorted(out)


_CLAUSE_BREAK = re.compile(r",?\s+(?:while|whereas)\s+|;\s*")
_CLAUSE_WORDS = (";", "while", "whereas")  # one of them is in every _CLAUSE_BREAK


def _clause_starts(sent: Span) -> list[int]:
    text = span_text(sent)
    if not any(w in text for w in _CLAUSE_WORDS):  # most sentences: no break to look for
        return [sent.start_char]
    return [sent.start_char] + [sent.start_char + m.start() for m in _CLAUSE_BREAK.finditer(text)]


def _clause_of(offset: int, starts: list[int]) -> int:
    return max(s for s in starts if s <= offset)


_LISTING_VERBS = {"include", "includes", "included", "including", "headed", "led", "accompanied", "sent",
                  "comprised", "comprising", "represented", "were", "was", "are", "is"}


def _lists(doc: Doc, marker: int, person: int) -> bool:
    """True when the words between a side marker and a person only list people."""
    span = doc.char_span(marker, person, alignment_mode="expand")
    if span is None:
        return False
    return not any(t.pos_ == "VERB" and t.lower_ not in _LISTING_VERBS for t in span)


# --------------------------------------------------------------------------- main

def extract(article: Article, doc: Doc, kb: Knowledge) -> Mentions:
    """Every person, organization and country the article's story names, with evidence."""
    r = _Reader(doc, article, kb)
    taken: set[int] = set()  # token indices already part of a person name or title
    found: list[tuple[int, int, str | None]] = []  # (start, end, official key)

    def claim(start: int, end: int, official: str | None = None) -> None:
        if start >= end or any(i in taken for i in range(start, end)):
            return
        span = doc[start:end]
        if not r.acceptable_name(span):
            return
        taken.update(range(start, end))
        found.append((start, end, official))

    # 1. the model's and the ruler's PERSON entities, trimmed and extended
    for ent in doc.ents:
        if r.segment(ent[0]) != "body":
            continue
        if ent.label_ == "PERSON":
            s, e = r.grow_name(ent.start, ent.end)
            official = ent.ent_id_.split(":", 1)[1] if ent.ent_id_.startswith("official:") else None
            claim(s, e, official)
        elif ent.label_ in ("ORG", "GPE", "FAC", "NORP") and not ent.ent_id_:
            # "Health Jorge Alcocer", "Mexico Ken Salazar": a title glued to a name
            s = ent.start
            while s < ent.end and (r.is_title_token(doc[s]) or doc[s].lower_ in CONNECTORS
                                   or doc[s].is_punct):
                s += 1
            if any(r.is_title_token(t) for t in doc[ent.start:s]) and s < ent.end - 1:
                s2, e2 = r.grow_name(s, ent.end)
                if e2 - s2 >= 2:
                    claim(s2, e2)

    # 2. names right after a title phrase that the model missed
    for tok in doc:
        if tok.i in taken or r.segment(tok) != "body" or not r.is_name_token(tok) or tok.lower_ in PARTICLES:
            continue
        ts, te = r.title_before(tok.i)
        if ts < te and kb.has_title_head([t.text for t in doc[ts:te]]) and r.cap[te - 1]:
            s, e = r.grow_name(tok.i, tok.i + 1)
            if e - s >= 2 and s == tok.i:
                claim(s, e)

    # 3. honorifics: "Mr. Blinken"
    for tok in doc[:-1]:
        if tok.text in kb.honorifics and r.segment(tok) == "body":
            nxt = doc[tok.i + 1]
            if r.is_name_token(nxt) and nxt.i not in taken:
                s, e = r.grow_name(nxt.i, nxt.i + 1)
                claim(s, e)

    # 4. surnames of people already found, whatever the model called them (headlines too)
    surnames: dict[str, str] = {}
    for s, e, _ in found:
        toks = [t for t in doc[s:e] if t.text != "-"]
        if len(toks) >= 2:
            surnames.setdefault(fold(toks[-1].text), doc[s:e].text)
        if len(toks) >= 3:
            surnames.setdefault(fold(doc[toks[-2].i:e].text), doc[s:e].text)
    n = len(doc)
    for tok in (doc if surnames else ()):
        i = tok.i
        if i in taken or not r.cap[i] or r.segment(tok) not in ("body", "headline"):
            continue
        for width in (2, 1):  # token ranges, not Spans: this asks of every capitalised token
            if i + width > n or width == 2 and not (r.is_name_token(tok) and r.is_name_token(doc[i + 1])):
                continue
            if fold(r.text_of(i, i + width)) in surnames and not any(k in taken for k in range(i, i + width)):
                if width == 1 and i + 1 < n and r.is_name_token(doc[i + 1]) \
                        and fold(r.text_of(i, i + 2)) not in surnames and r.segment(tok) == "body":
                    break  # part of a longer, different name
                claim(i, i + width)
                break
    # curated aliases in headlines ("AMLO")
    for ent in doc.ents:
        if ent.label_ == "PERSON" and ent.ent_id_.startswith("official:") and r.segment(ent[0]) == "headline":
            claim(ent.start, ent.end, ent.ent_id_.split(":", 1)[1])

    # ---- titles and countries for each name
    found.sort()
    mentions: list[PersonMention] = []
    for s, e, official in found:
        span = doc[s:e]
        ss, se = r.sent_bounds(span[0])
        key = fold(span.text)
        off = kb.officials.get(key)
        country, rank = None, 99
        titles: list[TitleFact] = []
        ts, te = r.title_before(s)
        ranges: list[tuple[int, int]] = []
        if ts < te:
            own, ranges = r.split_title(ts, te)
            if own and ranges:
                country, rank = own, OWN
            taken.update(range(ts, te))
        app = r.apposition_after(e)
        if app:
            own, more = r.split_title(*app)
            if own and more and rank > OWN:
                country, rank = own, OWN
            ranges += more
        # "his Mexican counterpart, Alicia Bárcena": a country, not a title
        if s >= 3 and doc[s - 1].text == "," and doc[s - 2].lower_ in {"counterpart", "colleague", "peer"}:
            c = kb.country_of_marker(doc[s - 3].text)
            if c and rank > OWN:
                country, rank = c, OWN
        for a, b in ranges:
            text = r.title_text(a, b)
            if not text:
                continue
            post = kb.post_for(text)
            titles.append(TitleFact(text, doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text),
                                    post.name if post else None, post.country if post else None))
            if post and post.country and rank > POST:
                country, rank = post.country, POST
        mentions.append(PersonMention(span.text, Anchor(span.start_char, span.end_char, ss, se),
                                      segment=r.segment(span[0]), titles=tuple(titles), country=country,
                                      country_rank=rank, official_key=official or (off.key if off else None),
                                      surname_only=len([t for t in span if t.text != "-"]) == 1))

    # ---- side markers and list neighbours give countries the title did not
    by_sent: dict[int, list[int]] = {}
    for k, m in enumerate(mentions):
        by_sent.setdefault(m.sent_start, []).append(k)
    for sent in doc.sents:
        group = by_sent.get(sent.start_char)
        if not group:
            continue
        markers = _country_side_markers(sent, kb)
        starts = _clause_starts(sent)
        for idx, k in enumerate(group):
            m = mentions[k]
            clause = _clause_of(m.start, starts)
            if m.country_rank > SIDE and m.segment == "body":
                before = [(pos, c) for pos, c in markers if clause <= pos < m.start]
                if before and _lists(doc, before[-1][0], m.start):
                    m = mentions[k] = replace(m, country=before[-1][1], country_rank=SIDE)
            if m.country_rank > NEIGHBOUR and idx > 0:
                prev = mentions[group[idx - 1]]
                gap = doc_text(doc)[prev.end:m.start]
                if prev.country and _clause_of(prev.start, starts) == clause and prev.country_rank == OWN \
                        and re.fullmatch(r"[\s,]*(and\s+)?[\w\s.’'()-]*", gap) and "," not in gap.strip(", ") \
                        and len(gap) < 80:
                    mentions[k] = replace(m, country=prev.country, country_rank=NEIGHBOUR)

    # ---- credits: authors, editors, photographers
    for c in article.credits:
        line_start = article.text.rfind("\n", 0, c.start) + 1
        line_end = article.text.find("\n", c.end)
        line_end = len(article.text) if line_end < 0 else line_end
        mentions.append(PersonMention(c.name, Anchor(c.start, c.end, line_start, line_end),
                                      segment="credit" if c.role == "other" else "byline", role=c.role))

    # ---- organizations and countries
    orgs: list[OrgMention] = []
    countries: list[CountryMention] = []
    for ent in doc.ents:
        seg = r.segment(ent[0])
        if seg not in ("body", "headline"):
            continue
        ss, se = r.sent_bounds(ent[0])
        if ent.ent_id_.startswith("country:") or (ent.label_ in ("GPE", "NORP") and kb.country_of_marker(ent.text)):
            cid = ent.ent_id_.split(":", 1)[1] if ent.ent_id_.startswith("country:") else kb.country_of_marker(ent.text)
            countries.append(CountryMention(cid, ent.text, Anchor(ent.start_char, ent.end_char, ss, se)))
            continue
        if ent.label_ != "ORG" or seg != "body" or any(i in taken for i in range(ent.start, ent.end)):
            continue
        if ent.end < len(doc) and doc[ent.end].lower_ in _SUBBODY:
            ent = doc[ent.start:ent.end + 1]  # "a Senate subcommittee" is not the Senate
        org = _org_from(ent, r, kb)
        if org:
            orgs.append(OrgMention(org[0], Anchor(ent.start_char, ent.end_char, ss, se), org[1], org[2], org[3]))
    return Mentions(tuple(mentions), tuple(orgs), tuple(countries))


_GOV = re.compile(r"\b(department|ministry|secretariat|agency|office|council|army|navy|embassy|consulate|"
                  r"commission|administration|bureau|police|guard|armed forces|government)\b", re.I)
_LEG = re.compile(r"\b(senate|congress|house|parliament|subcommittee|committee|assembly)\b", re.I)
_CRIME = re.compile(r"\b(cartel|gang|mafia|clan)\b", re.I)
_NEWS = re.compile(r"\b(times|news|post|journal|report|press|tribune|herald|gazette|radio|tv|television)\b", re.I)
_PARTY = re.compile(r"\bparty\b", re.I)
_AGREEMENT = re.compile(r"\b(agreement|framework|treaty|accord|plan|initiative|act|strategy)$", re.I)
_SUBBODY = {"subcommittee", "committee", "panel", "caucus"}


def _org_from(ent: Span, r: _Reader, kb: Knowledge):
    """(name, type, country, curated key) for an ORG entity, or None when it is not a real body."""
    text = re.sub(r"^(the|The)\s+", "", ent.text).strip()
    if ent.ent_id_.startswith("org:"):
        org = kb.orgs.get(fold(ent.text))
        if org:
            return text, org.type, org.country, org.key
    key = fold(text)
    if not key or key in kb.place or kb.country_of_marker(text):
        return None
    words = key.split()
    if len(words) == 1 and (words[0] in r.lower_words or words[0] in kb.topic_words
                            or words[0] in kb.title_words or text.istitle() is False and not text.isupper()):
        return None
    if all(w in kb.title_words or w in kb.title_heads for w in words):
        return None  # "Homeland Security", "National Drug Control": a title's remains
    if _AGREEMENT.search(text):
        return None  # an agreement or framework, not a body
    # "U.S. National Security Council": the country prefix is the org's country
    country = None
    first = ent[0] if ent[0].lower_ != "the" else (ent[1] if len(ent) > 1 else ent[0])
    if kb.country_of_marker(first.text):
        country = kb.country_of_marker(first.text)
    org = kb.orgs.get(key)
    if org:
        return text, org.type, org.country, org.key
    kind = ("criminal_organization" if _CRIME.search(text) else "party" if _PARTY.search(text)
            else "legislature" if _LEG.search(text) else "government_body" if _GOV.search(text)
            else "news_outlet" if _NEWS.search(text) else "other")
    return text, kind, country, None
