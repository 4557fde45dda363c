"""A large graph's late stages (graph.ttl, the page, the store and its listings) run in fresh
interpreters (graph.apart): the same files as in the build's own process, and a failure there
is one line that replaces nothing. The threshold is lowered so that the seeds count as large;
the interpreters are real ones."""
import sqlite3
import subprocess

import pytest

import graph.apart as apart
from graph.pipeline import BuildError, build

from .conftest import SEEDS


def _rows(path):
    db = sqlite3.connect(str(path))
    try:
        tables = [t for (t,) in db.execute("SELECT tbl FROM listing ORDER BY tbl")]
        return {t: list(db.execute(f'SELECT * FROM "{t}" ORDER BY k')) for t in tables} | {
            "listing": sorted(db.execute("SELECT * FROM listing"))}
    finally:
        db.close()


@pytest.fixture
def started(monkeypatch):
    """The work started in fresh interpreters: [(target, stage names)], their processes really run."""
    seen = []
    real = subprocess.Popen

    def popen(cmd, *args, **kwargs):
        stages = [s[0] for s in __import__("json").loads(cmd[-1])[2]] if cmd[-2].endswith("run_stages_apart") else []
        seen.append((cmd[-2], stages))
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(apart.subprocess, "Popen", popen)
    monkeypatch.setattr(apart, "APART_BYTES", 0)
    return seen


def test_a_large_graph_has_its_late_stages_run_apart_with_the_same_outputs(tmp_path, nlp, kb, seeds_build, started):
    out = tmp_path / "out"
    events = []
    build(SEEDS, out, nlp=nlp, kb=kb, jsonld=True, on_progress=lambda *e: events.append(e))
    assert sorted(started) == [("graph.apart:run_stages_apart", ["derive"]),
                               ("graph.apart:run_stages_apart", ["draw"]),
                               ("graph.apart:run_stages_apart", ["store", "listings"])]
    here = seeds_build[1]  # built in this process (the seeds are small)
    for name in ("graph.trig", "graph.ttl", "graph.jsonld", "graph.html", "report.json"):
        assert (out / name).read_bytes() == (here / name).read_bytes(), name
    assert _rows(out / "listings.sqlite") == _rows(here / "listings.sqlite")
    from graph.sparql.queries import run_saved

    for name in ("people", "fact_support"):  # the store itself, not its listings
        assert run_saved(name, out / "graph.trig", listings=False) == run_saved(name, here / "graph.trig",
                                                                                listings=False)
    # the listings' progress comes back from their interpreter
    assert ("listings", 0, None) in events and any(e[0] == "listings" and e[2] for e in events)


@pytest.mark.parametrize("stage,doing", [("derive", "writing graph.ttl"), ("draw", "drawing graph.html"),
                                         ("store", "loading the Oxigraph store"),
                                         ("listings", "keeping the saved queries' listings")])
def test_a_stage_failing_apart_fails_the_build_in_one_line_and_replaces_nothing(tmp_path, nlp, kb, monkeypatch,
                                                                                started, stage, doing):
    out = tmp_path / "out"
    build(SEEDS, out, nlp=nlp, kb=kb)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    store_before = {p.name: p.read_bytes() for p in (out / "store").iterdir() if p.is_file()}
    gens = sorted(p.name for p in (out / ".generations").iterdir())
    # the stage breaks in its own interpreter: Python runs sitecustomize there before anything else
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import graph.late\n"
        f"def broken(run):\n    raise OSError('disk full ({stage})')\n"
        f"graph.late.{stage} = broken\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(hook))
    with pytest.raises(BuildError) as failed:
        build(SEEDS, out, nlp=nlp, kb=kb)
    assert str(failed.value) == f"{doing} failed: OSError: disk full ({stage}); nothing replaced"
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert {p.name: p.read_bytes() for p in (out / "store").iterdir() if p.is_file()} == store_before
    assert sorted(p.name for p in (out / ".generations").iterdir()) == gens


def test_a_small_graph_stays_in_the_build(tmp_path, nlp, kb, monkeypatch):
    seen = []
    monkeypatch.setattr(apart.subprocess, "Popen", lambda *a, **k: seen.append(a))
    build(SEEDS, tmp_path / "out", nlp=nlp, kb=kb)
    assert seen == [] and (tmp_path / "out" / "listings.sqlite").is_file()
