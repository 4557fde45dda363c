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


# --- issue 20: a graph that cannot be validated is refused in one line ------------------------------

import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from graph.cli import app  # noqa: E402


@pytest.mark.parametrize("content, message", [
    (b"", "holds no statement: nothing to validate"),
    (b"# a comment\n@prefix ex: <http://example.org/> .\n", "holds no statement: nothing to validate"),
    (b'@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n<http://example.org/g> { ex:a ex:b "ab',
     "not readable TriG at line 3, column 36: Unexpected end of file"),
    (b"@prefix ex: <http://example.org/> .\nex:a ex:b \xff\xfe .\n", "not readable TriG at line 2, column"),
])
def test_an_empty_or_unreadable_graph_is_refused_with_its_line_and_column(tmp_path, content, message):
    path = tmp_path / "graph.trig"
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["validate", "--graph", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: ") and message in lines[0], result.output


def test_a_graph_cut_anywhere_never_conforms(seeds_build, tmp_path):
    """The seeds' graph cut at a few places inside its statements: each is refused, in one line."""
    data = (seeds_build[1] / "graph.trig").read_bytes()
    for cut in (len(data) // 3, len(data) // 2 + 7, len(data) - 5):
        path = tmp_path / f"cut{cut}.trig"
        path.write_bytes(data[:cut])
        result = CliRunner().invoke(app, ["validate", "--graph", str(path)])
        assert result.exit_code == 1 and "not readable TriG at line" in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
