"""The quality targets on the development set (``../shared/dev``: 16 annotated articles the
rules were not written from), measured with the evaluator as `dialogue-graph evaluate` does.

A target not reached yet is marked ``xfail(strict=True)`` with the figure last measured: the
test runs and fails for real, and the day the target is reached it passes and so fails as
XPASS until its mark is removed.
"""
from __future__ import annotations

import pytest
import yaml

from .conftest import DEV

# category: lowest F1 the issue asks for
F1_TARGETS = {"people": 0.92, "titles": 0.85, "person_country": 0.85, "organizations": 0.75,
              "meeting_participants": 0.80, "figures": 0.80, "quotes": 0.90, "claims": 0.60}
# category -> last measured figure, for targets not reached yet
NOT_YET: dict[str, str] = {"contradictions": "5 of 12 found"}


def _mark(name: str):
    return pytest.mark.xfail(strict=True, reason=f"target not reached yet ({NOT_YET[name]})") if name in NOT_YET else ()


@pytest.mark.parametrize("category", [pytest.param(c, marks=_mark(c)) for c in F1_TARGETS])
def test_f1_target(dev_result, category):
    assert dev_result["scores"][category]["f1"] >= F1_TARGETS[category]


def _gold_meetings() -> list[dict]:
    return yaml.safe_load((DEV / "gold.yaml").read_text(encoding="utf-8"))["meetings"]


@pytest.mark.parametrize("what, share", [pytest.param("dates", 0.80, marks=_mark("dates")),
                                         pytest.param("places", 0.70, marks=_mark("places"))])
def test_meeting_dates_and_places_of_those_in_gold(dev_result, what, share):
    key = {"dates": "date", "places": "place"}[what]
    in_gold = sum(1 for m in _gold_meetings() if m.get(key))
    assert dev_result["meetings"][f"{what}_right"] >= share * in_gold


@pytest.mark.parametrize("name", [pytest.param("contradictions", marks=_mark("contradictions"))])
def test_contradictions_found(dev_result, name):
    assert dev_result["contradictions"]["found"] >= 6


@pytest.mark.parametrize("name", [pytest.param("furniture", marks=_mark("furniture"))])
def test_no_furniture_becomes_a_fact(dev_result, name):
    assert dev_result["furniture_facts"] == []


@pytest.mark.parametrize("name", [pytest.param("split", marks=_mark("split"))])
def test_no_person_split_across_nodes(dev_result, name):
    assert dev_result["split_people"] == []
