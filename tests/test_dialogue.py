"""Meetings, figures, quotes, claims and dates on text the pipeline has never seen."""
from datetime import date

import pytest

from graph.find.dialogue import read_facts
from graph.find.figures import parse_value
from graph.find.timeline import find_dates
from graph.read.ingest import Article, nlp_text, parse_article


@pytest.fixture
def read(nlp, kb):
    def run(text: str, published: date | None = date(2024, 6, 14), article_id: str = "t"):  # a Friday
        segments, credits = parse_article(text)
        article = Article(article_id, text, segments, credits, published=published)
        doc = nlp(nlp_text(article))
        return read_facts(article, doc, kb)

    return run


def names(refs):
    return sorted(r.label for r in refs if r.kind == "person")


# --- dates ----------------------------------------------------------------------

@pytest.mark.parametrize("phrase, expected", [
    ("on Thursday", date(2024, 6, 13)),
    ("on Friday", date(2024, 6, 14)),
    ("today", date(2024, 6, 14)),
    ("yesterday", date(2024, 6, 13)),
    ("on June 3", date(2024, 6, 3)),
    ("on Monday evening", date(2024, 6, 10)),
])
def test_relative_dates_resolve_against_publication(phrase, expected):
    (d,) = find_dates(phrase, date(2024, 6, 14))
    assert d.date == expected


def test_future_weekday_and_month_only_and_no_publication_date():
    (d,) = find_dates("will meet on Monday", date(2024, 6, 14), future=True)
    assert d.date == date(2024, 6, 17)
    (m,) = find_dates("a meeting in July", date(2024, 6, 14))
    assert m.date is None and m.month == (2024, 7)
    (n,) = find_dates("on August 10", None)
    assert n.date is None and n.phrase == "August 10"


def test_weekday_that_contradicts_its_date_is_noted(read):
    facts = read("Talks set\n\nOn Tuesday, June 13, the ministers met in Ottawa to talk about trade.\n")
    assert facts.notes and "Tuesday" in facts.notes[0].note


# --- quotes ----------------------------------------------------------------------

def test_quote_patterns(read):
    facts = read(
        "Ministers talk\n\n"
        "“We will not accept more weapons crossing the border,” said Mexican Foreign Minister Juana Ortiz.\n\n"
        "“The cooperation is strong and it will continue,” she told reporters. “Nobody wants the violence to go on.”\n\n"
        "Canadian Trade Minister Paul Roy said that “the talks went well for both of our countries.”\n\n"
        "Officials called it a “good start” for everyone.\n")
    got = [(q.speaker.label if q.speaker else None, q.text[:20]) for q in facts.quotes]
    assert ("Juana Ortiz", "We will not accept m") in got
    assert ("Juana Ortiz", "The cooperation is s") in got
    assert ("Juana Ortiz", "Nobody wants the vio") in got  # the quote goes on
    assert ("Paul Roy", "the talks went well ") in got
    assert not any("good start" in t for _, t in got)  # scare quotes are not quotations


def test_speaker_named_by_role(read):
    facts = read("Agency reacts\n\nA spokesperson for the Drug Enforcement Administration said the agency would respond.\n\n"
                 "\"We are working closely with our partners on this case,\" the spokesperson said.\n")
    assert facts.quotes[0].speaker.kind == "org"
    assert "Drug Enforcement Administration" in facts.quotes[0].speaker.label


# --- claims -------------------------------------------------------------------------

def test_claims_with_polarity_and_topic(read):
    facts = read("Dispute over drugs\n\n"
                 "Mexican Security Secretary Ana Lopez insisted that Mexico does not produce fentanyl.\n\n"
                 "U.S. Attorney General John Smith said that fentanyl is manufactured in Mexican laboratories.\n\n"
                 "Smith said the weather could be produced by fentanyl labs later.\n")
    got = {(c.speaker.label, c.polarity, c.topic) for c in facts.claims}
    assert ("Ana Lopez", "denies", "fentanyl production in Mexico") in got
    assert ("John Smith", "asserts", "fentanyl production in Mexico") in got
    assert len(facts.claims) == 2  # the hedged "could be produced" is no claim


def test_contradictions_link_opposite_claims_across_articles(read, kb):
    from graph.resolve import resolve

    a = read("Dispute\n\nMexican Security Secretary Ana Lopez insisted that Mexico does not produce fentanyl.\n")
    b = read("Reply\n\nU.S. Attorney General John Smith said that fentanyl is manufactured in Mexican laboratories.\n",
             article_id="u")
    res = resolve([a, b], kb)
    assert len(res.contradictions) == 1


# --- figures ------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("1,435.6", 1435.6), ("eight", 8), ("half-a-million", 500000), ("1.5 million", 1500000), ("70,601", 70601),
])
def test_parse_value(text, value):
    assert parse_value(text) == value


def test_figures_with_units_ranges_and_reporter(read):
    facts = read("Seizures up\n\n"
                 "According to Navy Secretary Raul Diaz, marines seized 3.2 tons of cocaine and twelve rifles in March.\n\n"
                 "Researchers estimated that between 20,000 and 30,000 people work for the cartels, aged 18 to 40.\n\n"
                 "The two governments agreed, and a migrant crosses every 10 minutes.\n")
    got = {(f.value, f.low, f.high, f.unit) for f in facts.figures}
    assert (3.2, None, None, "tonne") in got
    assert (12.0, None, None, "weapon") in got
    assert (None, 20000.0, 30000.0, "person") in got
    assert (10.0, None, None, "minute") in got
    assert not any(f.value in (18, 40, 2) for f in facts.figures)  # ages and "the two governments"
    cocaine = next(f for f in facts.figures if f.unit == "tonne")
    assert cocaine.reported_by.label == "Raul Diaz" and cocaine.about == "cocaine"


# --- meetings ------------------------------------------------------------------------

def test_meeting_with_delegation_list_date_and_place(read):
    facts = read("Ministers meet\n\n"
                 "Mexican Foreign Minister Juana Ortiz met Canadian Foreign Minister Paul Roy in Ottawa on Thursday "
                 "to discuss migration.\n\n"
                 "The Canadian delegation included Trade Minister Ann Lee and Ambassador Tom Hale.\n")
    (m,) = facts.meetings
    assert m.status == "held" and m.date == date(2024, 6, 13) and m.place == "Ottawa"
    assert names(m.participants) == ["Ann Lee", "Juana Ortiz", "Paul Roy", "Tom Hale"]
    assert "migration" in m.topics


def test_phone_call_and_planned_meeting(read):
    facts = read("Calls and plans\n\n"
                 "President Ana Ruiz and Prime Minister Li Wei had a phone call on Monday, the ministry said.\n\n"
                 "Officials are set to meet in Geneva next month to discuss the so-called Ocean Framework.\n")
    kinds = {(m.type, m.status) for m in facts.meetings}
    assert ("phone_call", "held") in kinds
    call = next(m for m in facts.meetings if m.type == "phone_call")
    assert call.date == date(2024, 6, 10)
    planned = next(m for m in facts.meetings if m.status == "planned")
    assert planned.agreement == "Ocean Framework"


def test_hearing(read):
    facts = read("Testimony\n\nWASHINGTON (AP) - Assistant Secretary of State Mary Fox told a House subcommittee "
                 "on Tuesday that cooperation was improving.\n")
    (m,) = facts.meetings
    assert m.type == "hearing" and names(m.participants) == ["Mary Fox"] and m.place == "Washington"
