"""Figures: what a number measures — counts, money, shares, durations, votes — and the numbers
that measure nothing (dates, ages, years, labels, phone numbers, references, restatements).

The sentences are written for the tests, in the manner of news reports.
"""
import dataclasses
from datetime import date

import pytest

from graph.find.dialogue import read_facts
from graph.read.ingest import Article, nlp_text, parse_article


@pytest.fixture
def figures(nlp, kb):
    def run(*sentences: str, knowledge=None):
        text = "Security talks\n\n" + "\n\n".join(sentences) + "\n"
        segments, credits = parse_article(text)
        article = Article("t", text, segments, credits, published=date(2024, 6, 14))
        facts = read_facts(article, nlp(nlp_text(article)), knowledge or kb)
        return [(f.value if f.value is not None else (f.low, f.high), f.unit) for f in facts.figures]

    return run


@pytest.mark.parametrize("sentence, value, unit", [
    ("The ministers met for four days of talks at the foreign ministry in Bogota.", 4.0, "day"),
    ("Guatemala pledged to spend the money over the next three years on border posts.", 3.0, "year"),
    ("The governor spoke for more than 40 minutes before taking questions.", 40.0, "minute"),
    ("Homicides in the state reached a 15-year high last month, officials said.", 15.0, "year"),
    ("The deportation flights were halted for one month while the two sides talked.", 1.0, "month"),
])
def test_durations_are_figures(figures, sentence, value, unit):
    assert (value, unit) in figures(sentence)


@pytest.mark.parametrize("sentence", [
    "Two years ago, the cartel ran most of the trade through the port, police said.",
    "The 58-year-old commander was detained at the airport by federal agents.",
    "The commander, who is 61 years old, was detained at the airport by federal agents.",
    "The delegations will meet again in three weeks to review the plan, she said.",
    "One day the border will be open to trade again, the mayor told the crowd.",
    "Three days later, the police released the driver without charge.",
])
def test_ages_and_points_in_time_are_not_durations(figures, sentence):
    assert figures(sentence) == []


def test_money_after_a_currency_sign(figures):
    got = figures("Honduras committed to spending $2.3 billion on port scanners, the ministry said.",
                  "Drugs worth more than $480 million cross the river every year, according to the navy.")
    assert got == [(2.3e9, "USD"), (4.8e8, "USD")]


def test_a_fraction_is_a_share_in_percent(figures):
    assert figures("Three-quarters of those arrests were made in the capital.") == [(75.0, "percent")]


def test_a_vote_tally_is_two_counts_of_votes_not_a_range(figures):
    assert figures("The Senate voted 71 to 24 to approve the extradition treaty on Thursday.") == [
        (71.0, "vote"), (24.0, "vote")]


@pytest.mark.parametrize("sentence", [
    "For help, call the federal hotline at 1-800-555-0143 before Friday.",
    "Agents have carried out Title 42 expulsions at the crossing since March.",
    "The report's page 12 tables were withdrawn by the statistics office.",
    "Between 2015 and 2019 the agency doubled its budget, the auditor said.",
    "The talks opened at 9:30 a.m. on March 4 in the old customs house.",
])
def test_numbers_that_measure_nothing(figures, sentence):
    assert figures(sentence) == []


def test_a_reference_is_not_a_count_but_a_reported_set_is(figures):
    assert figures("The two governments signed the accord in Quito.") == []
    assert figures("The plea covered the seven counts pending against him in the Texas court.") == [
        (7.0, "count")]


def test_an_apposition_to_named_places_describes_them(figures):
    assert figures("The gunmen fled toward Durango and Zacatecas, two states with a long mountain border.") == []


def test_a_part_of_a_count_takes_its_unit(figures):
    assert figures("Nine soldiers were wounded, four of them seriously.") == [(9.0, "person"), (4.0, "person")]


def test_people_killed_are_deaths(figures):
    assert figures("Storms and landslides killed 31 people in the south last week.") == [(31.0, "death")]


def test_a_count_joined_to_its_plural_head(figures):
    assert figures("He admitted three money laundering and arms trafficking charges in court.") == [
        (3.0, "count")]


def test_a_restated_figure_is_one_figure_but_coincident_counts_are_two(figures):
    got = figures("Guatemala has sent 4,000 soldiers to its southern border.",
                  "The 4,000 troops will stay for six months, the defense minister said.",
                  "Prosecutors charged 15 of their executives.",
                  "Police also arrested 15 leaders of the gang in a separate raid.",
                  "Five children died in the fire, and five other children were hurt.")
    assert got.count((4000.0, "person")) == 1
    assert got.count((15.0, "person")) == 2
    assert (5.0, "death") in got and (5.0, "person") in got


def test_unit_words_are_cue_lists_a_knowledge_can_extend(figures, kb):
    sentence = "Marines seized 40 launchers near the coast, the navy said."
    assert figures(sentence) == [(40.0, "launcher")]
    mine = dataclasses.replace(kb, cues={**kb.cues, "figure_unit_weapon": kb.cue("figure_unit_weapon") | {"launchers"}})
    assert figures(sentence, knowledge=mine) == [(40.0, "weapon")]
