"""SHACL: the seeds' graph conforms; a graph that breaks the shapes is caught."""
from graph.sparql.queries import load_dataset
from graph.validate import validate_dataset

from .conftest import DATA


def test_seeds_graph_conforms(seeds_dataset):
    conforms, report = validate_dataset(seeds_dataset)
    assert conforms, report


def test_conforming_fixture():
    conforms, report = validate_dataset(load_dataset(DATA / "conforming.trig"))
    assert conforms, report


def test_violating_fixture_is_reported():
    conforms, report = validate_dataset(load_dataset(DATA / "violating.trig"))
    assert not conforms
    assert "refersTo" in report          # a mention that names nothing
    assert "servesCountry" in report     # a journalist given a country
    assert "lessThan" in report or "LessThan" in report  # start after end
