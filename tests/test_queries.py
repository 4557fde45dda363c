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


# --- parameters as an analyst writes them (issue 18) ---------------------------------------------

@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("query, given, column, expected", [
    ("people", {"name": "Blinken"}, "name", {"Antony Blinken"}),                   # a surname
    ("people", {"name": "Alicia Barcena"}, "name", {"Alicia Bárcena"}),            # accents aside
    ("people", {"country": "mexico"}, "country", {"Mexico"}),                     # case aside
    ("who_met_whom", {"person1": "AMLO"}, "person1", {"Andrés Manuel López Obrador"}),  # a curated alias
    ("quotes", {"speaker": "gupta"}, "speaker", {"Rahul Gupta"}),
    ("claims", {"topic": "Fentanyl Production"}, "topic", {"fentanyl production in Mexico"}),  # a topic's words
])
def test_parameters_match_as_a_person_writes_them(seeds_build, engine, query, given, column, expected):
    from graph.sparql.queries import run_saved

    notes = []
    cols, rows = run_saved(query, seeds_build[1] / "graph.trig", engine=engine, params=given, on_note=notes.append)
    assert rows, notes
    assert {dict(zip(cols, r))[column] for r in rows} == expected
    assert any("read as" in n for n in notes)  # says how it read the value


def test_a_value_matching_nothing_says_what_it_comes_closest_to(seeds_build):
    from graph.sparql.queries import run_saved

    notes = []
    _, rows = run_saved("people", seeds_build[1] / "graph.trig", params={"name": "Blnken"}, on_note=notes.append)
    assert rows == []
    assert notes and notes[-1].startswith("no row;") and "did you mean Antony Blinken" in notes[-1]


def _two_smiths():
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(data="""
@prefix dg: <https://w3id.org/dialogue-graph/ontology#> . @prefix schema: <https://schema.org/> .
@prefix id: <https://w3id.org/dialogue-graph/id/> .
id:person\\/john-smith a dg:Person ; schema:name "John Smith" .
id:person\\/jane-smith a dg:Person ; schema:name "Jane Smith" .
id:article\\/a { id:article\\/a dg:articleId "a" ; schema:mentions id:person\\/john-smith, id:person\\/jane-smith . }
""", format="trig")
    return ds


def test_an_ambiguous_surname_lists_the_candidates():
    from graph.sparql.queries import AmbiguousParameter, run_saved

    with pytest.raises(AmbiguousParameter) as err:
        run_saved("people", _two_smiths(), params={"name": "smith"})
    assert err.value.candidates == ["Jane Smith", "John Smith"]
    cols, rows = run_saved("people", _two_smiths(), params={"name": "Jane Smith"})
    assert [dict(zip(cols, r))["name"] for r in rows] == ["Jane Smith"]


def test_cli_lists_the_candidates_of_an_ambiguous_surname(tmp_path):
    trig = tmp_path / "graph.trig"
    _two_smiths().serialize(trig, format="trig")
    r = runner.invoke(app, ["query", "people", "--graph", str(trig), "--engine", "rdflib", "-p", "name=Smith"])
    assert r.exit_code == 2
    assert "name='Smith' is ambiguous: it names Jane Smith, John Smith" in r.stderr


def test_fact_support_takes_a_name_and_gives_each_sentence_once(seeds_build):
    from graph.sparql.queries import run_saved

    trig = seeds_build[1] / "graph.trig"
    cols, by_name = run_saved("fact_support", trig, params={"fact": "Blinken"})
    iri = "https://w3id.org/dialogue-graph/id/person/antony-blinken"
    assert by_name and by_name == run_saved("fact_support", trig, params={"fact": iri})[1]
    rec = [dict(zip(cols, r)) for r in by_name]
    assert {r["fact"] for r in rec} == {iri} and {r["kind"] for r in rec} == {"Official"}
    every = [(r[0], r[2], r[5]) for r in run_saved("fact_support", trig)[1]]  # fact, article, sentence
    assert len(every) == len(set(every))


def test_who_met_whom_counts_counterparts_once_a_pair(seeds_build):
    from graph.sparql.queries import run_saved

    trig = seeds_build[1] / "graph.trig"
    _, people = run_saved("people", trig)
    side = {r[1]: r[3] for r in people}
    _, pairs = run_saved("who_met_whom", trig)
    assert pairs
    assert all(side[a] and side[b] and side[a] != side[b] for a, b, *_ in pairs)   # across the table
    assert len({frozenset(p[:2]) for p in pairs}) == len(pairs)                   # each pair once
    _, every = run_saved("who_met_whom", trig, params={"all": "yes"})
    colleagues = {frozenset(p[:2]) for p in every} - {frozenset(p[:2]) for p in pairs}
    assert frozenset({"Merrick Garland", "Elizabeth Sherwood-Randall"}) in colleagues  # both U.S.
    _, blinken = run_saved("who_met_whom", trig, params={"person1": "Antony Blinken"})
    assert blinken and {p[0] for p in blinken} == {"Antony Blinken"}
    assert {p[1] for p in blinken} == {b if a == "Antony Blinken" else a for a, b, *_ in pairs
                                       if "Antony Blinken" in (a, b)}


def test_meetings_say_their_status_and_type(seeds_dataset):
    cols, rows = run_query(seeds_dataset, load_query("meetings"))
    rec = [dict(zip(cols, r)) for r in rows]
    assert {r["status"] for r in rec} >= {"held", "planned"}
    assert {r["type"] for r in rec if r["date"] == "2023-03-13"} == {"phone_call"}


def test_officials_by_country_counts_the_articles_giving_each_title(seeds_dataset):
    cols, rows = run_query(seeds_dataset, load_query("officials_by_country"))
    pc, posts = run_query(seeds_dataset, load_query("person_posts"))
    titled = {}
    for r in posts:
        r = dict(zip(pc, r))
        titled.setdefault((r["name"], r["title"]), set()).add(r["article"])
    checked = 0
    for r in (dict(zip(cols, r)) for r in rows):
        if r["title"]:
            assert int(r["articles"]) == len(titled[r["name"], r["title"]]), r
            checked += 1
    assert checked > 10


def test_a_table_never_cuts_silently():
    long = "https://w3id.org/dialogue-graph/id/claim/001-6ff2fa65926bfcd6/1229-1302-and-more-to-make-it-long"
    whole = format_rows(["claim", "n"], [[long, "1"]], "table")
    assert long in whole and "…" not in whole
    fitted = format_rows(["claim", "n"], [[long, "1"]], "table", width=40)
    assert all(len(line) <= 40 for line in fitted.splitlines()[:3])
    assert "…" in fitted and "--wide" in fitted.splitlines()[-1]


def test_cli_query_wide_and_notes_on_stderr(seeds_build):
    trig = str(seeds_build[1] / "graph.trig")
    r = runner.invoke(app, ["query", "claims", "--graph", trig, "--wide"])
    assert r.exit_code == 0
    assert "https://w3id.org/dialogue-graph/id/claim/001-6ff2fa65926bfcd6/" in r.stdout  # whole IRIs
    r = runner.invoke(app, ["query", "people", "--graph", trig, "-p", "name=Blnken"])
    assert r.exit_code == 0 and "(0 rows)" in r.stdout
    assert "did you mean Antony Blinken" in r.stderr
    r = runner.invoke(app, ["query", "people", "--graph", trig, "-p", "name=blinken", "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.count("Antony Blinken") == 3


def test_query_help_lists_every_saved_query():
    r = runner.invoke(app, ["query", "--help"], terminal_width=120)
    assert r.exit_code == 0
    for name in saved_queries():
        assert any(line.strip().startswith(name + " ") for line in r.output.splitlines()), name


def test_a_missing_query_file_is_reported_as_a_file(tmp_path, seeds_build):
    r = runner.invoke(app, ["query", str(tmp_path / "mine.rq"), "--graph", str(seeds_build[1] / "graph.trig")])
    assert r.exit_code == 2 and "mine.rq: no such query file" in r.output
    assert "no saved query named" not in r.output


def test_a_prefix_other_than_ours_is_pointed_out(seeds_build, tmp_path):
    from graph.sparql.queries import run_saved

    rq = tmp_path / "http.rq"
    rq.write_text("PREFIX schema: <http://schema.org/>\nSELECT ?n WHERE { ?x schema:name ?n }\n")
    notes = []
    assert run_saved(str(rq), seeds_build[1] / "graph.trig", on_note=notes.append)[1] == []
    assert notes == ["PREFIX schema: is <https://schema.org/> in this graph, not <http://schema.org/> "
                     "(README: Prefixes)"]


def test_the_readme_lists_the_prefixes():
    from graph.vocab import PREFIXES

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for prefix, iri in PREFIXES.items():
        assert f"| `{prefix}:` | `{iri}` |" in readme, prefix
