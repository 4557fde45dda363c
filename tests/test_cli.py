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
    assert r.exit_code == 0 and "most central people:" in r.output
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
