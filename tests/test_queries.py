"""Saved queries: the public contract (names and columns), and the query command."""
import json

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.sparql.queries import format_rows, load_query, run_query, saved_queries

CONTRACT = {
    "people": ["person", "name", "title", "country", "article"],
    "organizations": ["org", "name", "type", "country", "article"],
    "countries": ["country", "name", "article"],
    "meetings": ["meeting", "label", "date", "status", "type", "place", "participant", "article"],
    "figures": ["figure", "value", "low", "high", "unit", "about", "reported_by", "article", "sentence"],
    "quotes": ["speaker", "text", "article"],
    "claims": ["claim", "speaker", "text", "topic", "polarity", "contradicts", "article"],
    "quality_notes": ["note", "article", "problem", "sentence"],
}


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_saved_query_has_the_contract_columns(name, seeds_dataset):
    cols, rows = run_query(seeds_dataset, load_query(name))
    assert cols == CONTRACT[name]
    for row in rows:
        assert len(row) == len(cols)


def test_every_saved_query_says_what_it_answers():
    for name, path in saved_queries().items():
        assert path.read_text().startswith(f"# {name}:"), name


def test_people_rows_one_per_person_article_title(seeds_dataset):
    cols, rows = run_query(seeds_dataset, load_query("people"))
    rec = [dict(zip(cols, r)) for r in rows]
    blinken = {(r["article"], r["title"], r["country"]) for r in rec if r["name"] == "Antony Blinken"}
    assert blinken == {(a, "Secretary of State", "United States") for a in
                       ("001_6ff2fa65926bfcd6", "003_d114ba827b22eda0", "004_cac30b46cfe2d72e")}
    assert len({r["person"] for r in rec if r["name"] == "Antony Blinken"}) == 1
    journalists = [r for r in rec if r["name"] == "Matt Spetalnick"]
    assert journalists and all(r["title"] == "" and r["country"] == "" for r in journalists)


def test_dialogue_rows_on_the_seeds(seeds_dataset):
    def rows(name):
        cols, rs = run_query(seeds_dataset, load_query(name))
        return [dict(zip(cols, r)) for r in rs]

    call = [r for r in rows("meetings") if r["date"] == "2023-03-13"]
    assert {r["participant"] for r in call} == {"Antony Blinken", "Marcelo Ebrard"}
    washington = {r["meeting"] for r in rows("meetings") if r["date"] == "2023-04-13"}
    assert len(washington) == 1  # told by two articles, one node
    ranges = [r for r in rows("figures") if r["low"]]
    assert [(float(r["low"]), float(r["high"]), r["unit"]) for r in ranges] == [(160000.0, 185000.0, "person")]
    notes = rows("quality_notes")
    assert len(notes) == 1 and "Wednesday" in notes[0]["problem"]
    denials = {r["speaker"] for r in rows("claims") if r["polarity"] == "denies" and r["contradicts"]}
    assert "Andrés Manuel López Obrador" in denials


def test_formats():
    cols, rows = ["a", "b"], [["1", "x,y"], ["2", ""]]
    assert format_rows(cols, rows, "csv") == 'a,b\n1,"x,y"\n2,\n'
    assert json.loads(format_rows(cols, rows, "json")) == [{"a": "1", "b": "x,y"}, {"a": "2", "b": ""}]
    assert "(2 rows)" in format_rows(cols, rows, "table")
    with pytest.raises(ValueError):
        format_rows(cols, rows, "xml")


runner = CliRunner()


def test_cli_query_csv(seeds_build):
    result = runner.invoke(app, ["query", "people", "--graph", str(seeds_build[1] / "graph.trig"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "person,name,title,country,article"
    assert "Rosa Icela Rodríguez" in result.output


def test_cli_query_from_a_file(seeds_build, tmp_path):
    rq = tmp_path / "n.rq"
    rq.write_text("PREFIX dg: <https://w3id.org/dialogue-graph/ontology#>\n"
                  "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a dg:articleId ?id } }")
    result = runner.invoke(app, ["query", str(rq), "--graph", str(seeds_build[1] / "graph.trig"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"n": "5"}]


def test_cli_errors_are_one_line_and_non_zero(tmp_path, seeds_build):
    r = runner.invoke(app, ["query", "nosuch", "--graph", str(seeds_build[1] / "graph.trig")])
    assert r.exit_code == 2 and "no saved query named 'nosuch'" in r.output
    r = runner.invoke(app, ["query", "people", "--graph", str(tmp_path / "none.trig")])
    assert r.exit_code == 1 and "run `dialogue-graph build` first" in r.output
    r = runner.invoke(app, ["build", str(tmp_path / "missing")])
    assert r.exit_code == 1 and "no such folder" in r.output
    r = runner.invoke(app, ["query", "people", "--graph", str(seeds_build[1] / "graph.trig"), "--format", "xml"])
    assert r.exit_code == 2 and "unknown format" in r.output


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_limit_gives_the_first_rows_in_the_query_order(seeds_build, engine):
    from graph.sparql.queries import run_saved

    trig = seeds_build[1] / "graph.trig"
    cols, every = run_saved("people", trig, engine=engine)
    assert len(every) > 5
    assert run_saved("people", trig, engine=engine, limit=5) == (cols, every[:5])
    assert run_saved("people", trig, engine=engine, limit=0) == (cols, [])
    # with a parameter too: the limit counts the rows it selects
    _, mexico = run_saved("people", trig, engine=engine, params={"country": "Mexico"})
    assert run_saved("people", trig, engine=engine, params={"country": "Mexico"}, limit=2)[1] == mexico[:2]


def test_limit_leaves_a_query_ending_in_its_own_limit_or_values_as_written(seeds_build, tmp_path):
    from graph.sparql.queries import run_saved, with_limit

    trig = seeds_build[1] / "graph.trig"
    head = "PREFIX dg: <https://w3id.org/dialogue-graph/ontology#>\nSELECT ?id WHERE { GRAPH ?g { ?a dg:articleId ?id } }"
    own = tmp_path / "own.rq"
    own.write_text(head + " ORDER BY ?id LIMIT 3 # three\n")
    assert with_limit(own.read_text(), 2) == own.read_text()
    _, rows = run_saved(str(own), trig, limit=2)
    assert len(rows) == 2
    _, rows = run_saved(str(own), trig, limit=10)
    assert len(rows) == 3
    values = tmp_path / "values.rq"
    values.write_text(head + "\nVALUES ?id { \"x\" }\n")
    assert with_limit(values.read_text(), 2) == values.read_text()
    assert run_saved(str(values), trig, limit=2)[1] == []
    assert with_limit(head, 4).endswith("\nLIMIT 4\n")
    with pytest.raises(ValueError):
        with_limit(head, -1)


def test_cli_limit_says_there_may_be_more(seeds_build):
    trig = str(seeds_build[1] / "graph.trig")
    r = runner.invoke(app, ["query", "people", "--graph", trig, "--format", "csv", "--limit", "3"])
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == 4  # the header and three rows
    assert "the first 3 rows (--limit)" in r.stderr
    r = runner.invoke(app, ["query", "people", "--graph", trig, "--limit", "-1"])
    assert r.exit_code == 2
