"""The command line: every command documented with an example; the other commands run."""
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from graph.cli import app

from .conftest import GOLD, ROOT

runner = CliRunner()
COMMANDS = ["build", "query", "validate", "draw", "stats", "evaluate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"Example: dialogue-graph {command}" in result.output


def test_python_dash_m_is_the_same_cli():
    out = subprocess.run([sys.executable, "-m", "graph", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    for command in COMMANDS:
        assert command in out.stdout


def test_validate_stats_draw_evaluate(seeds_build, tmp_path):
    trig = str(seeds_build[1] / "graph.trig")
    r = runner.invoke(app, ["validate", "--graph", trig])
    assert r.exit_code == 0 and "conforms" in r.output
    r = runner.invoke(app, ["stats", "--graph", trig])
    assert r.exit_code == 0 and "people who met the most counterparts" in r.output
    page = tmp_path / "p.html"
    r = runner.invoke(app, ["draw", "--graph", trig, "--out", str(page)])
    assert r.exit_code == 0 and page.stat().st_size > 100_000
    r = runner.invoke(app, ["evaluate", str(GOLD), "--graph", trig])
    assert r.exit_code == 0 and "people" in r.output and "furniture facts: 0" in r.output


def test_build_command_prints_the_summary(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Talks end\n\nMexican Foreign Minister Juan Ruiz met U.S. officials.\n", encoding="utf-8")
    r = runner.invoke(app, ["build", str(src), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert "articles 1" in r.output and "people 1" in r.output
    assert (tmp_path / "out" / "graph.html").exists()


def test_export_of_a_damaged_graph_fails_clearly_and_writes_nothing(tmp_path):
    bad = tmp_path / "graph.trig"
    bad.write_text('<a> <b> "unterminated .\n', encoding="utf-8")
    out = tmp_path / "x.nq"
    r = runner.invoke(app, ["export", "--format", "nquads", "--graph", str(bad), "--out", str(out)])
    assert r.exit_code == 1 and "cannot read graph" in r.output
    assert list(tmp_path.iterdir()) == [bad]


def test_evaluate_help_names_only_files_that_exist():
    import re

    r = runner.invoke(app, ["evaluate", "--help"], terminal_width=200)
    named = set(re.findall(r"[\w./-]+\.(?:yaml|trig)\b", r.output))
    assert "tests/data/seeds_gold.yaml" in named
    for path in named - {"build/graph.trig"}:  # the default graph, which `build seeds` writes
        assert (ROOT / path).is_file(), path


def test_stats_are_labelled_cut_to_top_and_dated(seeds_build):
    trig = str(seeds_build[1] / "graph.trig")
    r = runner.invoke(app, ["stats", "--graph", trig, "--top", "2"])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "counterparts (people of another country at the same meeting)" in out
    assert "degree centrality: the share of the other nodes linked to it" in out
    n = int(out.split("contradictions: ")[1].split()[0])
    assert n > 2
    listed = out.split("contradictions: ")[1].splitlines()[1:]
    assert sum(line.startswith("  [") for line in listed) == 2              # --top applies here too
    assert f"… and {n - 2} more" in listed[-1]
    assert "(denies; 002_85b02f5ca39883ef, 2023-04-13)" in out           # each claim's article and date
    pairs = out.split("meetings per pair of countries")[1].split("contradictions:")[0]
    assert sum(" – " in line for line in pairs.splitlines()) == 2


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_the_network_for_gephi_and_cytoscape(seeds_build, tmp_path, fmt):
    import networkx as nx

    out = tmp_path / f"graph.{fmt}"
    r = runner.invoke(app, ["export", "--format", fmt, "--graph", str(seeds_build[1] / "graph.trig"),
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    H = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
    nodes = {d["label"]: d for _, d in H.nodes(data=True)}
    blinken = nodes["Antony Blinken"]
    assert blinken["kind"] == "official" and blinken["side"] == "United States"
    assert "003_d114ba827b22eda0" in blinken["articles"].split()
    call = next(d for d in nodes.values() if d["kind"] == "meeting" and d["date"] == "2023-03-13")
    assert call["side"] == "Mexico; United States" and call["status"] == "held"
    assert {d["kind"] for d in nodes.values()} >= {"official", "meeting", "claim", "figure", "country"}
    assert "article" not in {d["kind"] for d in nodes.values()}  # articles are attributes, not nodes
    relations = {d["relation"] for *_, d in H.edges(data=True)}
    assert {"took part in", "serves", "contradicts"} <= relations


def test_centrality_counts_counterparts_not_reported_figures():
    import networkx as nx

    from graph.view.analytics import central_nodes, central_people

    G = nx.MultiDiGraph()
    for node, country in (("us", "United States"), ("mx", "Mexico"), ("us2", "United States"), ("rep", "Mexico")):
        G.add_node(node, label=node, type="official", facts={"country": country})
    G.add_node("m", label="talks", type="meeting", facts={})
    for p in ("us", "mx", "us2"):
        G.add_edge(p, "m", key="took part in", relation="took part in")
    for i in range(6):  # one sentence listing six seizure figures
        G.add_node(f"f{i}", label=str(i), type="figure", facts={})
        G.add_edge("rep", f"f{i}", key="reported", relation="reported")
    assert central_nodes(G, {"official"}, 1)[0][0] == "rep"       # degree over every edge: the reporter
    rows = central_people(G, 10)
    assert [r["person"] for r in rows] == ["mx", "us", "us2"]     # counterparts: who met the other side
    assert [r["counterparts"] for r in rows] == [2, 1, 1] and rows[0]["meetings"] == 1
