"""Quality on the seeds, measured by the evaluator against the hand-annotated gold file.

The thresholds are the product's promise (issues: walking skeleton; meetings, figures,
quotes and claims). A second build
without the curated list of well-known officials shows people and titles come from
the text, not from that list.
"""
import dataclasses

import pytest

from graph.evaluate import evaluate, names_match, overlap
from graph.pipeline import build
from graph.sparql.queries import load_dataset

from .conftest import GOLD, SEEDS


@pytest.fixture(scope="module")
def result(seeds_dataset):
    return evaluate(seeds_dataset, GOLD)


@pytest.mark.parametrize("category", ["people", "titles", "person_country"])
def test_people_titles_and_countries_f1_at_least_0_9(result, category):
    assert result["scores"][category]["f1"] >= 0.9, result["notes"].get(category)


@pytest.mark.parametrize("category", ["meeting_participants", "figures", "quotes"])
def test_dialogue_f1_at_least_0_85(result, category):
    assert result["scores"][category]["f1"] >= 0.85, result["notes"].get(category)


def test_claims_recall_on_the_seeds(result):
    """The seeds' gold lists only the claims on the one question it was written for (fentanyl
    production in Mexico), while claims are now read on any question of the dialogue, as the
    development set's gold annotates them: the seeds measure what is found, not what is extra
    (precision against the development set: tests/test_dev_targets.py)."""
    assert result["scores"]["claims"]["recall"] >= 0.85, result["notes"].get("claims")


def test_every_meeting_found_with_its_date_and_one_node_per_meeting(result):
    m = result["meetings"]
    assert m["found"] == m["gold"] == 5
    assert m["dates_right"] == m["dates_given"]
    assert m["one_node"] == m["multi_article"] == 2


def test_both_gold_contradictions_found(result):
    assert result["contradictions"]["found"] == result["contradictions"]["gold"] == 2


def test_no_fact_from_page_furniture(result):
    assert result["furniture_facts"] == []


def test_people_in_several_articles_are_one_node(result):
    assert result["split_people"] == []


def test_without_curated_officials_people_and_titles_still_come_from_the_text(tmp_path, nlp, kb):
    bare = dataclasses.replace(kb, officials={})
    build(SEEDS, tmp_path, nlp=nlp, kb=bare, draw=False)
    scores = evaluate(load_dataset(tmp_path / "graph.trig"), GOLD)["scores"]
    assert scores["people"]["f1"] >= 0.9
    assert scores["titles"]["f1"] >= 0.9


def test_matching_rules():
    assert names_match("Mr. Blinken", "Antony Blinken")
    assert names_match("Lopez Obrador", "Andrés Manuel López Obrador")
    assert names_match("AMLO", "Andrés Manuel López Obrador", ["AMLO"])
    assert not names_match("Blinken", "Merrick Garland")
    assert overlap("Mexican Foreign Minister", "Foreign Minister") >= 0.6
    assert overlap("Secretary of State", "Secretary of the Navy") < 0.6


def test_evaluator_counts_misses(tmp_path, nlp, kb):
    """An empty graph scores zero recall: the evaluator can fail."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "000_535c8822014ccfb0.txt").write_text("Nothing here\n\nNo people at all in this story.\n")
    build(src, tmp_path / "out", nlp=nlp, kb=kb, draw=False)
    scores = evaluate(load_dataset(tmp_path / "out" / "graph.trig"), GOLD)["scores"]
    assert scores["people"]["recall"] == 0.0
