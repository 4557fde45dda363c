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


# --- shapes of furniture every site has, in several sites' wording (issue 17) -------------------

@pytest.mark.parametrize("line", [
    # share widgets made mostly of share vocabulary, with a site's own button labels between
    "Share  Close share panel  Email  Facebook  X  LinkedIn  Copy link  Link copied!  Print",
    "Click to share on WhatsApp (Opens in new window) Click to share on Telegram",
    "Mastodon  Bluesky  Email  Copy URL  Embed",
    # reading times, copyright and standards lines
    "Read Time: 3 Minutes",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "Read about our ethics policy and how we handle corrections",
    "Learn more about our editorial standards",
    # tags
    "Suggested Topics: Border · Trade · Security",
    # newsletter, account and cookie notices in other wordings
    "Enter your email to get our free daily newsletter",
    "Newsletter: Sign up for Border Watch, our weekly briefing",
    "Thank you for subscribing!",
    "Already a subscriber? Log in",
    "Create a free account to keep reading",
    "We and our partners use cookies to store and access information on your device.",
])
def test_furniture_shapes_of_other_sites(line):
    assert kind_of(line) == "furniture"


@pytest.mark.parametrize("line, name", [("Photo by Lena Ortiz/Prensa Norte Images", "Lena Ortiz"),
                                        ("Credit...Marco Ruiz/Prensa Norte Images", "Marco Ruiz"),
                                        ("Photograph by Tim Lee for The Harbor Times", "Tim Lee")])
def test_credits_in_other_shapes_name_the_photographer_only(line, name):
    text = f"{STORY}\n\n{line}\n\n{AFTER}\n"
    segs, credits = parse_article(text)
    assert [s.kind for s in segs] == ["headline", "credit", "body"]
    assert [(c.name, c.role) for c in credits] == [(name, "other")]


def test_a_byline_for_an_outlet_names_the_journalist():
    text = f"Headline of the story here\n\nBy Ann Lee for The Harbor Times\n\n{STORY}\n"
    _, credits = parse_article(text)
    assert [(c.name, c.role) for c in credits] == [("Ann Lee", "journalist")]


def test_a_wire_caption_with_its_credit_in_brackets_names_the_photographer():
    line = "Soldiers patrol a highway outside Reynosa on Friday. (AP Photo/Ramon Ibarra)"
    text = f"{STORY}\n\n{line}\n\n{AFTER}\n"
    segs, credits = parse_article(text)
    assert [(text[s.start:s.end], s.kind) for s in segs][1:3] == [
        ("Soldiers patrol a highway outside Reynosa on Friday.", "furniture"), ("(AP Photo/Ramon Ibarra)", "credit")]
    assert [(c.name, c.role) for c in credits] == [("Ramon Ibarra", "other")]


@pytest.mark.parametrize("story_line", [
    "He shared the video on Facebook, X and Telegram.",
    "Close aides to the minister shared the plan by email, WhatsApp and Signal.",
])
def test_a_widget_is_furniture_a_sentence_naming_platforms_is_story(story_line):
    widget = "Share  Close share panel  Email  Facebook  X  WhatsApp  Copy link  Link copied!"
    text = "\n\n".join([STORY, widget, story_line, AFTER]) + "\n"
    segs, _ = parse_article(text)
    assert [s.kind for s in segs] == ["headline", "furniture", "body", "body"]


LINKS = ["Port workers in Veracruz end a three-day strike", "How drought is changing farming in Sonora",
         "City council approves a new bus route downtown"]


@pytest.mark.parametrize("marker", ["Most Read", "MORE ON THIS STORY", "You may also like",
                                    "Trending on KXYZ:", "Recommended for you", "Read next", "Top stories"])
def test_a_marker_line_makes_the_headlines_after_it_links(marker):
    """A block of links to other stories, headed by a marker line of its own, in the middle of the
    story: its headlines are furniture, the story after it is story again."""
    text = "\n\n".join([STORY, marker, *LINKS, AFTER]) + "\n"
    segs, _ = parse_article(text)
    kinds = {text[s.start:s.end]: s.kind for s in segs}
    assert [kinds[x] for x in (marker, *LINKS)] == ["furniture"] * 4
    assert kinds[AFTER] == "body"


def test_headlines_listed_after_the_story_are_links():
    text = "\n\n".join([STORY, AFTER, *LINKS]) + "\n"
    segs, _ = parse_article(text)
    assert [s.kind for s in segs] == ["headline", "body"] + ["furniture"] * 3


def test_a_run_of_headlines_between_paragraphs_is_links_a_subheading_is_story():
    sub = "What the two governments agreed on security"
    third = "Both sides will report on progress at a meeting in Washington in the spring."
    text = "\n\n".join([STORY, AFTER, *LINKS[:2], third, sub, third.replace("spring", "autumn")]) + "\n"
    segs, _ = parse_article(text)
    assert [s.kind for s in segs] == ["headline", "body", "furniture", "furniture", "body", "body", "body"]


@pytest.mark.parametrize("intro, kind", [("The agreement sets out three tasks for the new working group:", "body"),
                                         ("Key points", "heading")])
def test_a_list_the_story_introduces_stays_story_links_after_the_story_do_not(intro, kind):
    items = ["Joint inspections of cargo at the busiest ports of entry",
             "A shared register of seized firearms and their origin", "Quarterly reports to both cabinets"]
    text = "\n\n".join([STORY, AFTER, intro, *items, AFTER.replace("year", "decade"), *LINKS]) + "\n"
    segs, _ = parse_article(text)
    assert [s.kind for s in segs][1:] == ["body", kind] + ["body"] * 4 + ["furniture"] * 3


@pytest.mark.parametrize("heading", ["Latest news on the talks in Monterrey", "Trending lower: cartel revenue from fuel theft"])
def test_a_marker_followed_by_a_paragraph_takes_no_story_with_it(heading):
    """A subheading that opens like a marker is followed by a paragraph: the block it might open
    ends there, while a real marker's block is all links."""
    last = "Officials declined to give the date, the ministry said."
    text = "\n\n".join([STORY, heading, AFTER, "Most read", *LINKS, last]) + "\n"
    segs, _ = parse_article(text)
    kinds = {text[s.start:s.end]: s.kind for s in segs}
    assert [kinds[x] for x in (AFTER, *LINKS, last)] == ["body", "furniture", "furniture", "furniture", "body"]
