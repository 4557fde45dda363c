"""Page furniture never becomes a fact: share widgets, newsletter and cookie notices, credits,
reading times, copyright and standards lines, related links and ads, whatever the site.

The lines here are written for the tests, in the manner of news pages; none comes from an
article the project reads.
"""
import dataclasses
from datetime import date

import pytest

from graph.find.dialogue import read_facts
from graph.read.ingest import Article, nlp_text, parse_article

STORY = "Officials from both countries met in Monterrey on Tuesday to review security cooperation."
AFTER = "They agreed to meet again before the end of the year, a spokesperson said."


def kind_of(line: str, kb=None) -> str:
    text = f"{STORY}\n\n{line}\n\n{AFTER}\n"
    segs, _ = parse_article(text, kb=kb) if kb is not None else parse_article(text)
    got = {text[s.start:s.end]: s.kind for s in segs}
    assert got[AFTER] == "body", "a furniture line must not end the story"
    return got[line]


@pytest.mark.parametrize("line", [
    # share widgets: a line of social platforms and share words, set apart by · or |
    "Share this story: Facebook · Bluesky · Telegram",
    "Reddit · X · LinkedIn · Email",
    "Share on Facebook | Share on X | Share via Email",
    "Gift this article | Share",
    # calls to action: newsletters, subscriptions, log-in prompts
    "Sign up for our morning briefing newsletter to get the headlines from the Harbor Times",
    "Subscribe to The Valley Ledger newsletter for our best stories every Sunday.",
    "Support independent journalism. Subscribe today.",
    "To continue reading, log in or start a free trial.",
    "Download our app for the latest border news",
    # cookie notices
    "This website uses cookies. By continuing to browse you accept their use.",
    # reading and listening times
    "April 2, 2024 · 6 Min Read",
    "A 4-minute read",
    "Listen · 7 min",
    # copyright and reproduction notices
    "Copyright 2024 Northgate Media Inc. (212-555-0147)",
    "Republished with permission of the Valley Ledger.",
    # editorial standards, related links, tags
    "Our Standards: The Harbor Times Editorial Principles.",
    "Related: Seven hiking trails to try this spring",
    "Read more: How to keep your garden green in a drought",
    "See also: The city's best coffee shops",
    "More from the Harbor Times: A guide to the night markets",
    "Filed under: World",
    # ads
    "Advertisement · Scroll to continue",
    "Story continues below advertisement",
])
def test_furniture_lines_of_every_kind(line):
    assert kind_of(line) == "furniture"


@pytest.mark.parametrize("line", [
    "No comment was immediately available from the embassy, a spokesperson said on Monday.",
    "Comments by the minister drew criticism from opposition lawmakers in both chambers.",
    "Share prices of private security firms rose after the announcement on Wednesday.",
    "Support for the plan grew among lawmakers, who said the accord would help trade.",
    "Follow the money, the prosecutor told the jury at the close of the trial.",
    "He posted a photo: a burning truck on the highway outside Culiacan on Sunday.",
    "X, the platform formerly known as Twitter, removed the posts on Friday.",
])
def test_story_lines_that_look_like_furniture_stay_story(line):
    assert kind_of(line) == "body"


def test_a_comment_counter_ends_the_story_only_as_a_line_of_its_own():
    text = f"{STORY}\n\nComments (45)\n\n{AFTER}\n"
    segs, _ = parse_article(text)
    assert [s.kind for s in segs] == ["headline", "furniture", "furniture"]


def test_credits_name_the_person_never_the_agency():
    text = (f"{STORY}\n\nCourtroom sketch: REUTERS/Ana Paz\n\nPhoto: Luis Ferrer / Prensa Norte Images\n\n"
            f"Photo: Stock image / Getty Images\n\n{AFTER}\n")
    segs, credits = parse_article(text)
    assert [(c.name, c.role) for c in credits] == [("Ana Paz", "other"), ("Luis Ferrer", "other")]
    assert [s.kind for s in segs] == ["headline", "credit", "credit", "credit", "body"]
    for c in credits:
        assert text[c.start:c.end] == c.name


def test_a_caption_before_its_credit_is_furniture():
    line = "Ministers Ana Ortiz and Paul Grant shake hands in Ottawa on Thursday. Photo: Jane Kerr / Reuters"
    text = f"{STORY}\n\n{line}\n\n{AFTER}\n"
    segs, credits = parse_article(text)
    assert [(text[s.start:s.end], s.kind) for s in segs][1:3] == [
        ("Ministers Ana Ortiz and Paul Grant shake hands in Ottawa on Thursday.", "furniture"),
        ("Photo: Jane Kerr / Reuters", "credit")]
    assert [c.name for c in credits] == ["Jane Kerr"]


def test_a_meta_line_of_date_outlet_and_author_is_a_dateline():
    text = f"{STORY}\n\nHarbor Times | Tuesday, May 7, 2024\n\nMonday, May 6, 2024 · by Rita Gomez\n\n{AFTER}\n"
    segs, credits = parse_article(text)
    assert [s.kind for s in segs] == ["headline", "dateline", "dateline", "body"]
    assert [(c.name, c.role) for c in credits] == [("Rita Gomez", "journalist")]


def test_furniture_markers_are_cue_lists_a_knowledge_can_extend(kb):
    line = "Dispatches: Notes from the southern border this week"
    assert kind_of(line) == "body"
    mine = dataclasses.replace(kb, cues={**kb.cues, "furniture_labels": kb.cue("furniture_labels") | {"dispatches"}})
    assert kind_of(line, mine) == "furniture"


PAGE = """Mexico and Canada sign a pact against arms trafficking

June 12, 2024 · 5 Min Read
Share this story: Facebook · WhatsApp · Telegram

MEXICO CITY (AP) — Mexican Security Minister Laura Vidal and Canadian Public Safety Minister Tom Harlow signed a pact on Tuesday against arms trafficking.

Photo: Diego Salas / Cuartoscuro

"This is a first step," Vidal told reporters, adding that 3,000 weapons had been seized since January.

Sign up for our weekly newsletter to get the Border Report every Friday
Our Standards: The Harbor Times Trust Principles.
Copyright 2024 Northgate Media Inc. (212-555-0147)
"""


def test_no_fact_comes_from_furniture(nlp, kb):
    segments, credits = parse_article(PAGE)
    article = Article("f", PAGE, segments, credits, published=date(2024, 6, 12))
    facts = read_facts(article, nlp(nlp_text(article)), kb)
    people = {m.name for m in facts.people}
    assert {"Laura Vidal", "Tom Harlow", "Diego Salas"} <= people
    assert not people & {"Facebook", "WhatsApp", "Telegram", "Share", "Cuartoscuro"}
    assert [(f.value, f.unit) for f in facts.figures] == [(3000.0, "weapon")]  # not "5 Min Read", not the phone
    said = [q.text for q in facts.quotes] + [c.text for c in facts.claims]
    assert not any("newsletter" in t or "Standards" in t or "Copyright" in t for t in said)
