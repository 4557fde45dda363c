"""People, with their titles and countries; organizations; countries named (the entity finder).

Works on the spaCy ``Doc`` of an article's story lines (offsets equal the file's).
Names are found from three sources and cross-checked: the model's PERSON entities
(trimmed of titles they swallowed and extended over name tokens they missed), names
that follow a title phrase ("Secretary of Health Jorge Alcocer"), and later surname
mentions of a name already found ("Garland", whatever label the model gave it).
Names written with a nickname ('Rubén "El Flaco" Medina') or tied to one ("X, known as
Y") keep the nickname, so later mentions of it are that person. Titles are read before the
name ("Mexican Foreign Minister X", "Chile's foreign minister, X,", "actor X") or in an
apposition ("X, assistant secretary of state for …,", "X, a former governor of Ohio,");
nationality words become the person's country, not part of the title. Bodies are the model's
ORG entities, checked (not a faith, a country pair, a common word, an agreement, a person),
and a country word before a body noun ("the Canadian Embassy in Lima"). The word lists
are cue lists of ontology/cues.yaml. Nothing here knows any particular article.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import NamedTuple

import numpy
from spacy.attrs import IDX, IS_ALPHA, IS_LOWER, LOWER, ORTH
from spacy.strings import get_string_id
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
from ..text import doc_ents, doc_text, doc_tokens, fold, span_text

__all__ = ["sentence_bounds", "split_nickname", "extract"]

APPOSITION_MAX = 14
_QUOTE_OPEN = frozenset(('"', "“", "‘", "'"))
_QUOTE_CLOSE = frozenset(('"', "”", "’", "'"))
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[.'’-])*")  # letters, with the dots, dashes, apostrophes of names
_DETERMINERS = frozenset(("the", "a", "an", "his", "her", "their", "its"))
_PREPOSITIONS = frozenset(("of", "for", "from", "to", "in", "at", "on", "with"))


def _language_use(ent, kb: Knowledge) -> bool:
    """Whether a nationality word names a language: alone after "in" ("answered in Spanish"), not
    a modifier of a noun ("in Mexican territory") and not a country's own name ("in Mexico")."""
    doc = ent.doc
    key = fold(ent.text)
    if len(ent) != 1 or ent.start == 0 or doc[ent.start - 1].lower_ != "in" or key not in kb.demonym \
            or key in kb.country_alias:
        return False
    nxt = doc[ent.end] if ent.end < len(doc) else None
    return nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ")


# "(D-Ariz.)", "(R-Texas)", "(I-Vt.)", "(D-New York)": a U.S. politician's party and state
_US_PARTY_STATE = re.compile(r"\s*\((?:D|R|I)-[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?\)")
_CLOSERS = frozenset((",", ".", ";", ":", ")", "—", "–", "!", "?"))
_HYPHENS = ("-", "‐")

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
        # the tokens, made once: ``doc[i]`` makes a new Token on every call, and the passes below
        # index the same tokens hundreds of thousands of times an article
        self.toks = doc_tokens(doc)
        # whether each token starts with a capital (an upper-case character is a letter): the name
        # and title passes ask it of every token; its first character read from the text at its
        # offset, all offsets in one array
        text = doc_text(doc)
        self.cap = [text[i].isupper() for i in doc.to_array(IDX).tolist()] if len(doc) else []
        # the passes over the whole article visit only the tokens that can start what they look for
        # (a name starts with a capital or a hyphen), found from arrays, not by a Token per token
        self.capitals = [i for i, c in enumerate(self.cap) if c]
        self._orth = doc.to_array(ORTH)
        # a token's sentence by number: spaCy's ``tok.sent`` walks the sentence on every call,
        # and names, appositions and evidence ask it for most tokens
        self.sents = list(doc.sents)
        self._sent_of = [0] * len(doc)
        for k, sent in enumerate(self.sents):
            self._sent_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
        self._bounds: dict[int, tuple[int, int]] = {}
        # answers per token, remembered: the name passes ask them of the same tokens many times
        self._segment: list[str | None] = [None] * len(doc)
        self._name: list[bool | None] = [None] * len(doc)
        self._title: list[bool | None] = [None] * len(doc)
        self.particles = kb.cue("name_particles")
        self.connectors = kb.cue("title_connectors")
        self.prefixes = kb.cue("title_prefixes")
        self.role_nouns = kb.cue("role_nouns")

    def where_text(self, words) -> list[int]:
        """The indices of the tokens written as one of ``words``, in text order."""
        return numpy.flatnonzero(numpy.isin(self._orth, [get_string_id(w) for w in words])).tolist()

    @cached_property
    def lower_words(self) -> set[str]:
        """The article's words written in lower case (asked of a few one-word names, not of most articles)."""
        # read from one array of the doc, not a Token object made per token
        rows = self.doc.to_array([IS_ALPHA, IS_LOWER, LOWER]).reshape(-1, 3)
        strings = self.doc.vocab.strings
        return {strings[low] for low in numpy.unique(rows[(rows[:, 0] == 1) & (rows[:, 1] == 1), 2]).tolist()}

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
        if tok.text in _HYPHENS and not tok.whitespace_ and tok.i > 0 and not tok.nbor(-1).whitespace_:
            return True  # Sherwood-Randall
        if tok.lower_ in self.particles:
            return True
        if not self.cap[tok.i] or tok.is_punct or tok.like_num:
            return False
        if not tok.is_alpha and not _NAME_WORD.fullmatch(tok.text):
            return False  # "AP).-": a dateline's remains, not a word of a name
        if self.is_title_token(tok) or tok.text in self.kb.honorifics:
            return False
        if tok.lower_ in self.kb.topic_words:
            return False
        return True

    def initial_name_word(self, tok: Token) -> bool:
        """A sentence's first word that is a first name, not a capitalised common word: a proper
        noun outside any other entity that the article never writes in lower case ("*Renata*
        Ibarra Solís is …", not "*Under* Ibarra …")."""
        return (tok.pos_ == "PROPN" and not tok.is_stop and tok.ent_type_ in ("", "PERSON")
                and tok.lower_ not in self.lower_words)

    def is_head_word(self, tok: Token) -> bool:
        """A word that can end the post part of a title: a title head, a military rank, a role noun."""
        return (self.kb.has_title_head([tok.text]) or tok.text in self.kb.military_ranks
                or tok.lower_ in self.role_nouns)

    def has_head(self, s: int, e: int) -> bool:
        return any(self.is_head_word(t) for t in self.doc[s:e]) or self.kb.has_title_head(
            [t.text for t in self.doc[s:e]])

    def text_of(self, start: int, end: int) -> str:
        """The text of tokens ``start``..``end`` (``doc[start:end].text`` without making a Span)."""
        last = self.toks[end - 1]
        return doc_text(self.doc)[self.toks[start].idx:last.idx + len(last.text)]

    def sent_bounds(self, tok: Token) -> tuple[int, int]:
        k = self._sent_of[tok.i]
        if k not in self._bounds:
            self._bounds[k] = sentence_bounds(self.sents[k])
        return self._bounds[k]

    def same_sentence(self, i: int, j: int) -> bool:
        return self._sent_of[i] == self._sent_of[j]

    # -- names --------------------------------------------------------------------
    def grow_name(self, start: int, end: int) -> tuple[int, int]:
        """Trim title words off a candidate name and extend it over adjacent name tokens."""
        doc, toks, particles = self.doc, self.toks, self.particles
        while start < end and not self.is_name_token(toks[start]):
            start += 1
        while end > start and (not self.is_name_token(toks[end - 1]) or toks[end - 1].lower_ in particles):
            end -= 1
        if start >= end:
            return start, start
        while end < len(doc) and self.is_name_token(toks[end]) and self.same_sentence(end, start):
            end += 1
        while end > start and (toks[end - 1].lower_ in particles or toks[end - 1].text in _HYPHENS):
            end -= 1
        while start > 0 and self.is_name_token(toks[start - 1]) and toks[start - 1].lower_ not in particles \
                and self.same_sentence(start - 1, start):
            # a sentence-initial word joins when the model called it part of the name, or when it
            # is a first name by its look (a proper noun the article never writes in lower case)
            if toks[start - 1].is_sent_start and not self.initial_name_word(toks[start - 1]):
                break
            start -= 1
        return start, end

    def acceptable_name(self, span: Span, text: str | None = None) -> bool:
        """Whether ``span`` (written ``text``, its nickname left out) can be a person's name."""
        key = fold(span.text if text is None else text)
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
        toks, kb = self.toks, self.kb
        i = start
        while i > 0:
            tok = toks[i - 1]
            low = tok.lower_
            if tok.is_space or tok.text in {".", "!", "?"}:
                break  # the parser may split "… the Navy | Admiral X": only real stops count
            if self.is_title_token(tok) and (self.cap[tok.i] or kb.is_title_word(tok.text)):
                i -= 1
            elif low in self.role_nouns and not self.cap[tok.i]:
                i -= 1  # "actor Tom Reyes", "drug *lord* X"
            elif (i < start and not self.cap[tok.i] and tok.is_alpha and toks[i].lower_ not in self.connectors
                  and (low in kb.title_words or tok.pos_ == "NOUN" and tok.dep_ == "compound")):
                i -= 1  # a lower-case word of the post: "*defense* chief", "*cartel* leader"
            elif low in self.connectors and i < start:
                i -= 1
            elif (self.cap[tok.i] and i < start and self.is_title_token(toks[i]) and tok.ent_type_ != "PERSON"
                  and low not in kb.topic_words and not _sentence_initial(tok)):
                i -= 1  # an unlisted department word: "Public *Safety* Minister"
            elif tok.text == ")":
                j = i - 1
                while j > 0 and toks[j].text != "(" and i - j < 5:
                    j -= 1
                if toks[j].text != "(":
                    break
                i = j
            elif tok.text in ("’s", "'s") and i >= 2 and kb.country_of_marker(toks[i - 2].text):
                i -= 1
            elif (tok.text in _HYPHENS and i >= 2 and i < start and not tok.whitespace_
                  and not toks[i - 2].whitespace_ and toks[i - 2].lower_ in self.prefixes):
                i -= 2  # "then-Governor", "ex-army chief"
            elif low.startswith("then-") or low == "then":
                i -= 1
            else:
                break
        while i < start and (toks[i].lower_ in self.connectors or toks[i].is_punct):
            i += 1
        return i, start

    def split_title(self, s: int, e: int) -> tuple[str | None, list[tuple[int, int, str]]]:
        """Split a title token range into (country id, [(start, end, title text)]): "Mexican" becomes
        the country ("former Mexican President" → MX, "former President"). A nationality before a
        role noun alone ("Mexican actor") is no country served: only a post gives one."""
        doc, toks, kb = self.doc, self.toks, self.kb
        country = None
        mods: list[int] = []  # title modifiers before the country word ("former", "acting")
        k = s
        while k < e:
            tok = toks[k]
            two = doc[k:k + 2].text
            if kb.country_of_marker(two) and k + 1 < e:
                country = kb.country_of_marker(two)
                k += 2
            elif kb.country_of_marker(tok.text) and self.cap[tok.i]:
                country = kb.country_of_marker(tok.text)
                k += 1
            elif tok.text in ("’s", "'s") or tok.lower_ == "the":
                k += 1
            elif country is None and tok.lower_ in kb.title_modifiers and k + 1 < e:
                mods.append(k)
                k += 1
            else:
                break
        if country is None and mods:
            k = mods[0]  # no country after the modifiers: they begin the title
            mods = []
        if k >= e or not (self.has_head(k, e) or toks[k].lower_ == "one"):
            return country, []
        if not kb.has_title_head([t.text for t in toks[k:e]]) and not any(t.text in kb.military_ranks
                                                                         for t in toks[k:e]):
            country = None  # "Mexican actor": a nationality, not a government served
        prefix = "".join(toks[m].text_with_ws for m in mods)
        last = toks[e - 1]
        if last.text in kb.military_ranks and e - k > 1 and toks[e - 2].lower_ not in ("attorney", "surgeon"):
            return country, [(mods[0] if mods else k, e - 1, prefix + self.title_text(k, e - 1)),
                             (e - 1, e, last.text)]
        return country, [(mods[0] if mods else k, e, prefix + self.title_text(k, e))]

    def title_text(self, s: int, e: int) -> str:
        text = self.doc[s:e].text
        text = re.sub(r"\s*\([^)]*\)", "", text).strip()
        return text

    def inner_country(self, s: int, e: int) -> str | None:
        """The government a title names after "of"/"for": "President *of Mexico*", "spokeswoman for the
        *Canadian* Privy Council" (a country word ending the title or opening a body's name; not
        "Ambassador *to* Mexico", which serves the other side)."""
        doc, toks, kb = self.doc, self.toks, self.kb
        for j in range(s + 1, e):
            k = j - 1 - (toks[j - 1].lower_ == "the")
            if k < s or toks[k].lower_ not in ("of", "for") or not self.cap[j]:
                continue
            for width in (2, 1):
                if j + width <= e and kb.country_of_marker(doc[j:j + width].text) \
                        and (j + width == e or self.cap[j + width] and not self.is_country_word(toks[j + width])):
                    return kb.country_of_marker(doc[j:j + width].text)
        return None

    def apposition_after(self, end: int, names: set[int] = frozenset()) -> tuple[int, int] | None:
        """"X, assistant secretary of state for …," or "X, a former governor of Ohio," → the
        appositive's token range (its article left out); never one holding a name of ``names``
        (the next item of a list of people with their titles)."""
        doc, toks, kb = self.doc, self.toks, self.kb
        if end >= len(doc) or toks[end].text != ",":
            return None
        j = end + 1
        stop = j
        while stop < len(doc) and toks[stop].text not in {",", ".", ";", "–", "—", ":"} \
                and self.same_sentence(stop, end) and stop - j <= APPOSITION_MAX:
            tok = toks[stop]
            if (tok.pos_ in ("VERB", "AUX") and tok.lower_ not in kb.title_modifiers) \
                    or tok.lower_ in {"who", "which", "that"}:
                return None
            stop += 1
        if stop - j > APPOSITION_MAX or stop == j or toks[j].pos_ == "CCONJ" or any(i in names for i in range(j, stop)):
            return None
        first = j
        while first < stop and toks[first].lower_ in _DETERMINERS:
            first += 1
        # the post is named before the first preposition ("former governor | of Ohio"); after
        # it come the body or place of the post, whose names are no list of people
        k = first
        while k < stop and toks[k].lower_ not in _PREPOSITIONS:
            k += 1
        if k == first + 1 and toks[first].lower_ == "one" and k + 2 < stop and toks[k].lower_ == "of":
            # "one of the heads of the Norte Cartel": one of a post's or role's holders
            j = k + 1 + (toks[k + 1].lower_ == "the")
            plural = toks[j].lower_
            if plural.endswith("s") and (self.kb.has_title_head([plural[:-1]]) or plural[:-1] in self.role_nouns):
                return first, stop
            return None
        if k == first or not self.is_head_word(toks[k - 1]):
            return None
        if any(self.is_name_token(t) and t.lower_ not in self.particles for t in toks[first:k]):
            return None  # the next item of a list of people, not an apposition
        return first, stop


@lru_cache(maxsize=8)
def _side_patterns(nouns: frozenset[str]) -> tuple[tuple[str, ...], re.Pattern, re.Pattern]:
    """The delegation nouns (cue list ``delegation_nouns``) and the two side patterns made from them."""
    alts = "|".join(re.escape(n) for n in sorted(nouns, key=lambda n: (-len(n), n)))
    return (tuple(sorted(nouns)),
            re.compile(rf"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)(?:’s|'s)?\s+(?:receiving\s+)?(?:{alts})\b"),
            re.compile(rf"\b(?:{alts})\s+(?:from|of)\s+((?:the\s)?[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)"))


def _country_side_markers(sent: Span, kb: Knowledge) -> list[tuple[int, str]]:
    """Phrases that give the side of people listed after them ("the U.S. delegation")."""
    out: list[tuple[int, str]] = []
    text = span_text(sent)
    words, before, after = _side_patterns(kb.cue("delegation_nouns"))
    if not any(noun in text for noun in words):  # both patterns need one; most sentences have none
        return out
    for m in before.finditer(text):
        words = m.group(1).split()
        cid = kb.country_of_marker(m.group(1)) or kb.country_of_marker(words[-1])
        if cid:
            out.append((sent.start_char + m.start(), cid))
    for m in after.finditer(text):
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


def _lists(doc: Doc, marker: int, person: int, kb: Knowledge) -> bool:
    """True when the words between a side marker and a person only list people."""
    span = doc.char_span(marker, person, alignment_mode="expand")
    if span is None:
        return False
    listing = kb.cue("listing_verbs")
    return not any(t.pos_ == "VERB" and t.lower_ not in listing for t in span)


def _country_of_id(ident: str, kb: Knowledge) -> str | None:
    """The country a ruler's entity id names: a country's own ("country:MX"), a place's ("place:…",
    None for a region), none for other ids."""
    kind, _, key = ident.partition(":")
    return key if kind == "country" else kb.place.get(key) if kind == "place" else None


def _conjoined_with_person(ent: Span) -> bool:
    """Whether an entity is coordinated with a PERSON ("including Mateo Ruiz Salgado and X")."""
    root = ent.root
    if root.dep_ == "conj" and root.head.ent_type_ == "PERSON":
        return True
    return any(c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in root.children)


def _nickname_after(end: int, r: _Reader, kb: Knowledge) -> tuple[int, int] | None:
    """The nickname a cue ties to the name ending at token ``end``: "…, known as El Tigre",
    "… alias 'El Güero'", "…, nicknamed the Engineer" (cue list ``nickname_cues``)."""
    toks, n = r.toks, len(r.toks)
    k = end
    if k < n and toks[k].text == ",":
        k += 1
    cues = kb.cue("nickname_cues")
    for width in (3, 2, 1):
        if k + width <= n and " ".join(t.lower_ for t in toks[k:k + width]) in cues:
            k += width
            break
    else:
        return None
    if k < n and toks[k].text in _QUOTE_OPEN:
        k += 1
    a = k
    if k + 1 < n and toks[k].lower_ == "the" and r.is_name_token(toks[k + 1]):
        k += 1  # "the Engineer"
    while k < n and k - a < 4 and (r.is_name_token(toks[k]) or toks[k].lower_ == "the" and k == a):
        k += 1
    b = k
    while b > a and (toks[b - 1].lower_ in r.particles or toks[b - 1].lower_ == "the"):
        b -= 1
    if b == a or not r.same_sentence(end - 1, b - 1):
        return None
    return a, b


_NICKNAME = re.compile(r"\s*[\"“‘']([^\"”’']+)[\"”’']\s*")


@lru_cache(maxsize=65_536)
def split_nickname(name: str) -> tuple[str, str | None]:
    """'Rubén "El Flaco" Medina' → ("Rubén Medina", "El Flaco"): a mention's name and the nickname
    quoted in it (as the text writes it, or as :func:`extract` records one tied to a name)."""
    m = _NICKNAME.search(name)
    if not m:
        return name, None
    return " ".join(f"{name[:m.start()]} {name[m.end():]}".split()), m.group(1).strip()


def _short_forms(found: list, r: _Reader) -> tuple[set[str], set[str]]:
    """How an article refers again to the people it named: the surname, both surnames of a
    Spanish name ("Ibarra Solís"), first name and paternal surname ("Renata Ibarra"), a surname
    with its particles ("de la Vega"), a nickname, and the one-word names already accepted.
    Returns the short forms (folded) and the nicknames among them."""
    forms: set[str] = set()
    nicks: set[str] = set()
    for item in found:
        written = item.name or r.text_of(item.start, item.end)
        words = fold(item.base or written).split()
        if len(words) >= 2 and words[-1] not in r.particles:
            forms.add(words[-1])
        if len(words) >= 3:
            forms.add(" ".join(words[-2:]))
            if words[-3] in r.particles:
                forms.add(" ".join(words[-3:]))
            if words[-2] not in r.particles and len(words[-2]) > 1:
                forms.add(f"{words[0]} {words[-2]}")
        if len(words) == 1 and item.short:
            forms.add(words[0])
        nick = split_nickname(written)[1]
        if nick and fold(nick):
            forms.add(fold(nick))
            nicks.add(fold(nick))
    return forms, nicks


# --------------------------------------------------------------------------- main

class _Name(NamedTuple):
    """A name found in the text, before its titles and country are read."""
    start: int
    end: int
    official: str | None = None
    name: str | None = None  # as the mention records it, when not the span's text (a nickname tied to a name)
    base: str | None = None  # the name without its nickname
    short: bool | None = None  # a short reference (a surname, a nickname) rather than a name


def extract(article: Article, doc: Doc, kb: Knowledge) -> Mentions:
    """Every person, organization and country the article's story names, with evidence."""
    r = _Reader(doc, article, kb)
    toks = r.toks
    n = len(doc)
    taken: set[int] = set()  # token indices already part of a person name or title
    name_toks: set[int] = set()  # token indices of person names alone
    found: list[_Name] = []
    family = kb.cue("family_nouns")

    def claim(start: int, end: int, official: str | None = None, name: str | None = None,
              base: str | None = None, short: bool | None = None) -> bool:
        if start >= end or any(i in taken for i in range(start, end)):
            return False
        if end < n and toks[end].lower_ in family and (short or end - start == 1):
            return False  # "the Okafor family": a family, not one person
        span = doc[start:end]
        if not r.acceptable_name(span, base):
            return False
        taken.update(range(start, end))
        name_toks.update(range(start, end))
        found.append(_Name(start, end, official, name, base, short))
        return True

    def release(item: _Name) -> None:
        found.remove(item)
        taken.difference_update(range(item.start, item.end))
        name_toks.difference_update(range(item.start, item.end))

    # 0. names written with a nickname in quotes: Rubén "El Flaco" Medina
    for i in r.where_text(_QUOTE_OPEN):
        tok = toks[i]
        if not 0 < i < n - 3 or r.segment(tok) != "body":
            continue
        if not r.is_name_token(toks[i - 1]) or toks[i - 1].lower_ in r.particles:
            continue
        j = i + 1
        while j < n and j - i <= 4 and toks[j].text not in _QUOTE_CLOSE and (r.cap[j] or toks[j].lower_ in r.particles):
            j += 1
        if j == i + 1 or j >= n - 1 or toks[j].text not in _QUOTE_CLOSE or not r.is_name_token(toks[j + 1]) \
                or any(toks[k].is_space or toks[k].whitespace_.count("\n") for k in range(i - 1, j + 1)):
            continue  # (the parser may start a sentence at the quote: the line decides)
        s, _ = r.grow_name(i - 1, i)
        _, e = r.grow_name(j + 1, j + 2)
        nick, base = r.text_of(i + 1, j), f"{r.text_of(s, i)} {r.text_of(j + 1, e)}"
        off = kb.officials.get(fold(nick)) or kb.officials.get(fold(base))
        claim(s, e, off.key if off else None, base=base)

    # 1. the model's and the ruler's PERSON entities, trimmed and extended
    singles: list[tuple[int, int]] = []  # one-word names, kept once the longer names are known
    for ent in doc_ents(doc):
        if r.segment(ent[0]) != "body":
            continue
        if ent.label_ == "PERSON":
            s, e = r.grow_name(ent.start, ent.end)
            official = ent.ent_id_.split(":", 1)[1] if ent.ent_id_.startswith("official:") else None
            if official and (s < ent.start or e > ent.end):
                # "Carlos Medina | Ruiz": a longer name than the curated one is someone else
                longer = kb.officials.get(fold(r.text_of(s, e)))
                official = longer.key if longer else None
            if e - s == 1 and not official:
                singles.append((s, e))
            else:
                claim(s, e, official)
        elif ent.label_ in ("ORG", "GPE", "FAC", "NORP") and not ent.ent_id_ and len(ent) >= 2 \
                and all(r.is_name_token(t) for t in ent) and _conjoined_with_person(ent):
            claim(ent.start, ent.end)  # "Mateo Ruiz Salgado and *Tomás Herrera*": a name in a list of names
        elif ent.label_ in ("ORG", "GPE", "FAC", "NORP") and not ent.ent_id_:
            # "Health Jorge Alcocer", "Mexico Ken Salazar": a title glued to a name
            s = ent.start
            while s < ent.end and (r.is_title_token(toks[s]) or toks[s].lower_ in r.connectors
                                   or toks[s].is_punct):
                s += 1
            if any(r.is_title_token(t) for t in toks[ent.start:s]) and s < ent.end - 1:
                s2, e2 = r.grow_name(s, ent.end)
                if e2 - s2 >= 2:
                    claim(s2, e2)

    # 2. names right after a title phrase that the model missed
    body_heads = kb.cue("named_body_heads")
    for i in sorted(r.capitals + r.where_text(_HYPHENS)):  # every token that can be a name's (not a particle)
        tok = toks[i]
        if tok.i in taken or r.segment(tok) != "body" or not r.is_name_token(tok) or tok.lower_ in r.particles:
            continue
        ts, te = r.title_before(tok.i)
        if ts < te and kb.has_title_head([t.text for t in toks[ts:te]]) and r.cap[te - 1]:
            s, e = r.grow_name(tok.i, tok.i + 1)
            # "the head of U.S. Northern Command": a name ending in a body's noun is the body
            if e - s >= 2 and s == tok.i and toks[e - 1].lower_ not in body_heads:
                claim(s, e)

    # 3. honorifics: "Mr. Blinken"
    for i in r.where_text(kb.honorifics):
        tok = toks[i]
        if i < n - 1 and r.segment(tok) == "body":
            nxt = toks[tok.i + 1]
            if r.is_name_token(nxt) and nxt.i not in taken:
                s, e = r.grow_name(nxt.i, nxt.i + 1)
                if e - s == 1:
                    singles.append((s, e))
                else:
                    claim(s, e)

    # 4. nicknames the text ties to a name: "X, known as El Y", "X, alias Z", "X, nicknamed Z"
    for item in sorted(found):
        tie = _nickname_after(item.end, r, kb)
        if tie is None or r.segment(toks[item.start]) != "body":
            continue
        a, b = tie
        for other in [f for f in found if f is not item and a <= f.start and f.end <= b]:
            release(other)  # the model's own name for the nickname
        if not any(i in taken for i in range(a, b)):
            person = item.base or r.text_of(item.start, item.end)
            nick = r.text_of(a, b)
            off = item.official or (kb.officials[fold(nick)].key if fold(nick) in kb.officials else None)
            taken.update(range(a, b))
            name_toks.update(range(a, b))
            found.append(_Name(a, b, off, f'{person} "{nick}"', person, False))

    # curated aliases in headlines ("AMLO", "Lula")
    for ent in doc_ents(doc):
        if ent.label_ == "PERSON" and ent.ent_id_.startswith("official:") and r.segment(ent[0]) == "headline":
            claim(ent.start, ent.end, ent.ent_id_.split(":", 1)[1])

    # 5. later short forms of the names found (surname, both surnames, first name and paternal
    # surname, nickname), whatever the model called them (headlines too)
    forms, nicks = _short_forms(found, r)
    for s, e in singles:  # one-word names: the surname of a name found, or a word the article never lowers
        word = fold(r.text_of(s, e))
        if (word in forms or toks[s].lower_ not in r.lower_words) and claim(s, e, short=True):
            forms.add(word)
    for i in (r.capitals if forms else ()):
        tok = toks[i]
        if i in taken or r.segment(tok) not in ("body", "headline"):
            continue
        body = r.segment(tok) == "body"
        for width in (3, 2, 1):  # token ranges, not Spans: this asks of every capitalised token
            if i + width > n or width > 1 and not all(r.is_name_token(toks[k]) for k in range(i, i + width)):
                continue
            if fold(r.text_of(i, i + width)) in forms and not any(k in taken for k in range(i, i + width)):
                if body and i + width < n and r.is_name_token(toks[i + width]) and i + width not in taken \
                        and toks[i + width].lower_ not in r.particles:
                    break  # part of a longer, different name
                if body and width == 1 and i > 0 and r.is_name_token(toks[i - 1]) and i - 1 not in taken \
                        and toks[i - 1].lower_ not in r.particles and not toks[i].is_sent_start:
                    break  # "Tomás Ibarra" is not the "Ibarra" of another first name
                claim(i, i + width, short=True if width == 1 or fold(r.text_of(i, i + width)) in nicks
                      else None)
                break
    # ---- titles and countries for each name
    found.sort()
    mentions: list[PersonMention] = []
    for s, e, official, written, base, short in found:
        span = doc[s:e]
        ss, se = r.sent_bounds(span[0])
        off = kb.officials.get(fold(base or span.text))
        country, rank = None, 99
        titles: list[TitleFact] = []
        ranges: list[tuple[int, int, str]] = []
        if written is None:  # a nickname tied to a name takes no title: the name has them
            ts, te = r.title_before(s)
            if ts < te:
                own, ranges = r.split_title(ts, te)
                if own and ranges:
                    country, rank = own, OWN
                taken.update(range(ts, te))
            elif s >= 2 and toks[s - 1].text == "," and (e >= n or toks[e].text in _CLOSERS):
                # "Chile's foreign minister, Ana Prado, told …": the title before, set off by commas
                ps, pe = r.title_before(s - 1)
                if ps < pe:
                    own, ranges = r.split_title(ps, pe)
                    if ranges:
                        if own:
                            country, rank = own, OWN
                        taken.update(range(ps, pe))
            app = r.apposition_after(e, name_toks)
            if app:
                own, more = r.split_title(*app)
                if own and more and rank > OWN:
                    country, rank = own, OWN
                ranges += more
        # "his Mexican counterpart, Alicia Bárcena": a country, not a title
        if s >= 3 and toks[s - 1].text == "," and toks[s - 2].lower_ in {"counterpart", "colleague", "peer"}:
            c = kb.country_of_marker(toks[s - 3].text)
            if c and rank > OWN:
                country, rank = c, OWN
        # "Sen. Ana Reyes (D-Ariz.)": party and state after a name, as the U.S. press writes a member
        # of Congress or a governor, say whom the person serves
        if rank > OWN and _US_PARTY_STATE.match(doc_text(doc), span.end_char) and kb.country_of_marker("U.S."):
            country, rank = kb.country_of_marker("U.S."), OWN
        for a, b, text in ranges:
            if not text:
                continue
            post = kb.post_for(text)
            titles.append(TitleFact(text, toks[a].idx, toks[b - 1].idx + len(toks[b - 1].text),
                                    post.name if post else None, post.country if post else None))
            if post and post.country and rank > POST:
                country, rank = post.country, POST
            inner = r.inner_country(a, b)
            if inner and rank > POST:
                country, rank = inner, POST
        if titles and rank > POST and e + 2 < n and toks[e].lower_ == "of":
            # "Judge Maria Olsen of the Boston District Court": the post's place gives its country
            j = e + 1 + (toks[e + 1].lower_ == "the")
            where = _country_of_id(toks[j].ent_id_, kb)
            if where:
                country, rank = where, POST
        mentions.append(PersonMention(written or span.text, Anchor(span.start_char, span.end_char, ss, se),
                                      segment=r.segment(span[0]), titles=tuple(titles), country=country,
                                      country_rank=rank, official_key=official or (off.key if off else None),
                                      surname_only=short if short is not None
                                      else len([t for t in span if t.text not in _HYPHENS]) == 1))

    # ---- side markers and list neighbours give countries the title did not
    by_sent: dict[int, list[int]] = {}
    for k, m in enumerate(mentions):
        by_sent.setdefault(m.sent_start, []).append(k)
    for sent in r.sents:
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
                if before and _lists(doc, before[-1][0], m.start, kb):
                    m = mentions[k] = replace(m, country=before[-1][1], country_rank=SIDE)
            if m.country_rank > NEIGHBOUR and idx > 0:
                prev = mentions[group[idx - 1]]
                gap = doc_text(doc)[prev.end:m.start]
                if prev.country and _clause_of(prev.start, starts) == clause and prev.country_rank == OWN \
                        and re.fullmatch(r"[\s,]*(and\s+)?[\w\s.’'()-]*", gap) and "," not in gap.strip(", ") \
                        and len(gap) < 80:
                    mentions[k] = replace(m, country=prev.country, country_rank=NEIGHBOUR)

    # ---- credits: authors, editors, photographers
    # (their evidence is the name alone: the rest of a credit line is the page's, "Photo: … / Getty Images")
    for c in article.credits:
        mentions.append(PersonMention(c.name, Anchor(c.start, c.end, c.start, c.end),
                                      segment="credit" if c.role == "other" else "byline", role=c.role))

    # ---- organizations and countries
    orgs: list[OrgMention] = []
    countries: list[CountryMention] = []
    heads = kb.cue("named_body_heads")
    org_toks: set[int] = set()
    for ent in doc_ents(doc):
        seg = r.segment(ent[0])
        if seg not in ("body", "headline"):
            continue
        ss, se = r.sent_bounds(ent[0])
        if ent.ent_id_.startswith("country:") or (ent.label_ in ("GPE", "NORP") and kb.country_of_marker(ent.text)):
            cid = ent.ent_id_.split(":", 1)[1] if ent.ent_id_.startswith("country:") else kb.country_of_marker(ent.text)
            if _language_use(ent, kb):
                continue  # "spoke in Spanish": the language, not the country
            countries.append(CountryMention(cid, ent.text, Anchor(ent.start_char, ent.end_char, ss, se)))
            continue
        if ent.label_ != "ORG" or seg != "body" or any(i in name_toks for i in range(ent.start, ent.end)):
            continue
        in_title = any(i in taken for i in range(ent.start, ent.end))
        if ent.end < len(doc) and toks[ent.end].lower_ in _SUBBODY:
            ent = doc[ent.start:ent.end + 1]  # "a Senate subcommittee" is not the Senate
        org = _org_from(ent, r, kb)
        if org and in_title and not (_after_post(ent) and (ent[-1].lower_ in heads or org[3])):
            continue  # a title's words ("White House Director of National Drug Control Policy"), unless they
            # name the body of the post after it ("spokeswoman for the Canadian Privy Council", "(Sedena)")
        if org:
            name, kind, country, key, start = org
            orgs.append(OrgMention(name, Anchor(toks[start].idx, ent.end_char, ss, se), kind, country, key))
            org_toks.update(range(start, ent.end))
    # a country word before a body's noun: "the Canadian Embassy in Lima", "the Mexican Congress"
    for s, e, cid in _country_bodies(r, kb):
        if any(i in name_toks or i in org_toks for i in range(s, e)):
            continue
        ss, se = r.sent_bounds(toks[s])
        name = r.text_of(s, e)
        anchor = Anchor(toks[s].idx, toks[e - 1].idx + len(toks[e - 1].text), ss, se)
        curated = kb.orgs.get(fold(name))
        orgs.append(OrgMention(name, anchor, curated.type, curated.country, curated.key) if curated
                    else OrgMention(name, anchor, _kind(name), cid, None))
        org_toks.update(range(s, e))
    orgs.sort(key=lambda o: o.start)
    return Mentions(tuple(mentions), tuple(orgs), tuple(countries))


_GOV = re.compile(r"\b(department|ministry|secretariat|agency|office|council|army|navy|embassy|consulate|"
                  r"commission|administration|bureau|police|guard|armed forces|government|court|tribunal|"
                  r"prosecutor|attorney)\b", re.I)
_LEG = re.compile(r"\b(senate|congress|house|parliament|subcommittee|committee|assembly|chamber of deputies)\b",
                  re.I)
_CRIME = re.compile(r"\b(cartel|gang|mafia|clan)\b", re.I)
_NEWS = re.compile(r"\b(times|news|post|journal|report|press|tribune|herald|gazette|radio|tv|television)\b", re.I)
_PARTY = re.compile(r"\bparty\b", re.I)
_AGREEMENT = re.compile(r"\b(agreement|framework|treaty|accord|plan|initiative|act|strategy)$", re.I)
_SUBBODY = {"subcommittee", "committee", "panel", "caucus"}


def _after_post(ent: Span) -> bool:
    """Whether a body inside a title is the one the post belongs to, named after it: "… *of* the
    Navy", "spokeswoman *for* the Canadian Privy Council", "Secretary of National Defense *(*Sedena)"."""
    k = ent.start - 1
    if k >= 0 and ent.doc[k].lower_ == "the":
        k -= 1
    return k >= 0 and ent.doc[k].lower_ in ("of", "for", "(", "at")


def _kind(text: str) -> str:
    return ("criminal_organization" if _CRIME.search(text) else "party" if _PARTY.search(text)
            else "legislature" if _LEG.search(text) else "government_body" if _GOV.search(text)
            else "news_outlet" if _NEWS.search(text) else "other")


def _country_before(start: int, r: _Reader, kb: Knowledge) -> tuple[int, str] | None:
    """A country word right before token ``start`` ("*Mexican* Congress", "*Mexico's* Foreign
    Ministry"): (its first token, country id)."""
    doc, toks = r.doc, r.toks
    k = start - 1
    if k >= 0 and toks[k].text in ("’s", "'s"):
        k -= 1
    for width in (2, 1):
        j = k - width + 1
        if j >= 0 and r.cap[j] and r.cap[k] and kb.country_of_marker(doc[j:k + 1].text):
            return j, kb.country_of_marker(doc[j:k + 1].text)
    return None


def _names_agreement(ent: Span, r: _Reader) -> bool:
    """Whether the entity is the start of an agreement's or a law's name ("The Fair Harbors
    Access | and Safety Act") or the short name of one set beside it ("the CETA, the
    Comprehensive Economic and Trade Agreement")."""
    toks, n = r.toks, len(r.toks)
    j = ent.end
    if j < n and toks[j].text == ",":
        j += 1
        if j < n and toks[j].lower_ == "the":
            j += 1
    stop = min(n, j + 8)
    while j < stop:
        tok = toks[j]
        if _AGREEMENT.fullmatch(tok.text) and r.cap[j]:
            return True
        if not (r.cap[j] or tok.text in _HYPHENS or tok.lower_ in ("in", "of", "and", "on", "for")):
            return False
        j += 1
    return False


def _org_from(ent: Span, r: _Reader, kb: Knowledge):
    """(name, type, country, curated key, first token) for an ORG entity, or None when it is not a
    real body."""
    text = re.sub(r"^(the|The)\s+", "", ent.text).strip()
    marker = _country_before(ent.start, r, kb) if ent[0].lower_ != "the" else None
    if ent.ent_id_.startswith("org:"):
        org = kb.orgs.get(fold(ent.text))
        if org:
            if marker and org.country and marker[1] != org.country:
                # "the Mexican Congress" is not the U.S. Congress: that country's body of that name
                written = r.text_of(marker[0], ent.end)
                other = kb.orgs.get(fold(written)) or next(
                    (kb.orgs[fold(f"{d} {text}")] for d, c in kb.demonym.items() if c == marker[1]
                     and fold(f"{d} {text}") in kb.orgs), None)
                if other:
                    return written, other.type, other.country, other.key, marker[0]
                return written, org.type, marker[1], None, marker[0]
            return text, org.type, org.country, org.key, ent.start
    key = fold(text)
    if not key or key in kb.place or kb.country_of_marker(text):
        return None
    if not any(c.isupper() for c in text):
        return None  # "tariffs loom": no name at all
    parts = [p for p in re.split(r"[-–/]", text) if p.strip()]
    if len(parts) > 1 and all(kb.country_of_marker(p.strip()) for p in parts):
        return None  # "U.S.-Mexico": a pair of countries (their border, their relations)
    words = key.split()
    faith = kb.cue("faith_words")
    if len([w for w in words if not w.isdigit()]) == 1 and words[0] in kb.topic_words:
        return None  # "COVID-19": a disease, not a body
    if len(words) == 1 and ent.end < len(r.doc) and r.is_country_word(r.toks[ent.end]):
        return None  # "the North | American …": the first word of a longer name
    if len(words) == 1 and (words[0] in r.lower_words or words[0] in kb.topic_words or words[0] in faith
                            or words[0] in kb.title_words or text.istitle() is False and not text.isupper()):
        return None
    if len(words) == 1 and _sentence_initial(ent[0]) and words[0].endswith("s") and words[0][:-1] in r.lower_words:
        return None  # "Tunnels that are …": a common noun opening a sentence
    if all(w in kb.title_words or w in kb.title_heads for w in words) and words[-1] not in kb.cue("named_body_heads"):
        return None  # "Homeland Security", "National Drug Control": a title's remains
    if _AGREEMENT.search(text) or _names_agreement(ent, r):
        return None  # an agreement or framework, not a body
    # "U.S. National Security Council": the country prefix is the org's country
    country = None
    start = ent.start
    first = ent[0] if ent[0].lower_ != "the" else (ent[1] if len(ent) > 1 else ent[0])
    if kb.country_of_marker(first.text):
        country = kb.country_of_marker(first.text)
    elif marker:  # "Peru's Foreign Trade Ministry": the country word before it
        country, start = marker[1], marker[0]
        text = r.text_of(marker[0], ent.end)
        key = fold(text)
    org = kb.orgs.get(key)
    if org:
        return text, org.type, org.country, org.key, start
    return text, _kind(text), country, None, start


def _country_bodies(r: _Reader, kb: Knowledge) -> list[tuple[int, int, str | None]]:
    """Bodies named by a country or place word and a body noun the model did not tag (the ruler
    takes the country word first): "the U.S. Embassy", "the Chilean Prosecutor's Office", "the Mexican
    embassy in Washington", "the Boston District Court" → (first token, end token, country id)."""
    doc, toks, n = r.doc, r.toks, len(r.doc)
    heads, missions = kb.cue("named_body_heads"), kb.cue("mission_nouns")
    out = []
    for ent in doc_ents(doc):
        country = ent.ent_id_.startswith("country:")
        if not (country or ent.ent_id_.startswith("place:")) or r.segment(ent[0]) != "body":
            continue
        cid = _country_of_id(ent.ent_id_, kb)
        k = ent.end
        if k < n and toks[k].text in ("’s", "'s"):
            k += 1
        j, last = k, None
        while j < n and j - k < 5:
            tok = toks[j]
            if tok.text in ("’s", "'s") and j > k:
                j += 1
                continue  # "Attorney's Office"
            if not r.cap[j] or tok.is_punct or r.is_country_word(tok) or tok.ent_type_ not in ("", "ORG"):
                break
            if tok.lower_ in heads:
                last = j
            j += 1
        if last is None and country and k < n and toks[k].lower_ in missions:
            last = k  # "the Mexican embassy"
        if last is None or any(toks[i].ent_type_ == "ORG" for i in range(k, last + 1)):
            continue  # the model's ORG entity is read above
        end = last + 1
        if toks[last].lower_ in missions and end + 1 < n and toks[end].lower_ == "in" \
                and toks[end + 1].ent_type_ in ("GPE", "LOC"):
            end += 2  # "in Tijuana": the mission's city
            while end < n and toks[end].ent_iob_ == "I":
                end += 1
        elif r.cap[last] and end + 1 < n and toks[end].lower_ == "of":
            j = end + 1 + (toks[end + 1].lower_ == "the")
            while j < n and r.cap[j] and not toks[j].is_punct and j - end < 5:
                j += 1
            if j > end + 1 + (toks[end + 1].lower_ == "the"):
                end = j  # "the U.S. Department of Homeland Security"
        out.append((ent.start, end, cid))
    return out
