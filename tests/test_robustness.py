"""Bad input: each case gets a clear one-line outcome, the other articles build as usual."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.pipeline import BuildError, build

from .conftest import ROOT, SEEDS

GOOD = "Talks end in Ottawa\n\nMexican Foreign Minister Juana Ortiz met Canadian Trade Minister Paul Roy on Monday.\n"


def run(tmp_path, files: dict[str, bytes | str], nlp, kb, **kw):
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    for name, content in files.items():
        path = src / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    messages: list[str] = []
    summary = build(src, tmp_path / "out", nlp=nlp, kb=kb, draw=False, on_message=messages.append, **kw)
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    return summary, report, messages


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty article"),
    ("blank.txt", b"  \n\t\n   ", "empty article"),
    ("binary.txt", bytes(range(256)) * 8, "binary file"),
    ("spanish.txt", ("El canciller mexicano se reunió con los funcionarios de los Estados Unidos en la capital "
                     "para hablar de la seguridad y de la migración en la frontera, según dijo el gobierno. ") * 3,
     "not in English"),
])
def test_unbuildable_files_are_skipped_with_their_reason(tmp_path, nlp, kb, name, content, reason):
    summary, report, messages = run(tmp_path, {"good.txt": GOOD, name: content}, nlp, kb)
    assert report["built"] == ["good"]
    assert report["skipped"][0]["file"] == name and reason in report["skipped"][0]["reason"]
    assert any(m.startswith(f"skipped: {name}: ") and "\n" not in m for m in messages)
    assert summary.people >= 2


def test_unreadable_file(tmp_path, nlp, kb):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(GOOD)
    os.symlink(tmp_path / "nowhere", src / "gone.txt")  # unreadable even for root
    _, report, _ = run(tmp_path, {}, nlp, kb)
    assert report["skipped"][0]["file"] == "gone.txt" and "cannot read" in report["skipped"][0]["reason"]


@pytest.mark.parametrize("encoding, warning", [("cp1252", "Windows-1252"), ("utf-16", "UTF-16")])
def test_other_encodings_are_read_with_a_warning(tmp_path, nlp, kb, encoding, warning):
    text = GOOD.replace("Ortiz", "Ortíz") + "“It went well,” she said — a €5 million plan.\n"
    summary, report, messages = run(tmp_path, {"a.txt": text.encode(encoding)}, nlp, kb)
    assert report["built"] == ["a"]
    assert any(warning in w for w in report["warnings"]["a"])
    assert summary.people == 2


def test_html_page_saved_as_txt(tmp_path, nlp, kb):
    page = ("<!DOCTYPE html><html><head><title>Talks</title><script>var x = 'Fake Person';</script></head>"
            "<body><nav>Home | World</nav><article><h1>Talks end in Ottawa</h1><p>Mexican Foreign Minister "
            "Juana Ortiz met Canadian Trade Minister Paul Roy on Monday.</p></article></body></html>")
    summary, report, _ = run(tmp_path, {"page.txt": page}, nlp, kb)
    assert report["built"] == ["page"] and "HTML" in report["warnings"]["page"][0]
    ttl = (tmp_path / "out" / "graph.ttl").read_text()
    assert "Juana Ortiz" in ttl and "Fake Person" not in ttl and "<p>" not in ttl


def test_too_large_article_is_skipped(tmp_path, nlp, kb):
    big = GOOD + ("The talks went on. " * 600_000)  # about 11 MB
    _, report, _ = run(tmp_path, {"good.txt": GOOD, "big.txt": big}, nlp, kb)
    assert report["skipped"][0]["file"] == "big.txt" and "too large" in report["skipped"][0]["reason"]


def test_same_article_twice_is_built_once(tmp_path, nlp, kb):
    _, report, _ = run(tmp_path, {"a.txt": GOOD, "b.txt": GOOD}, nlp, kb)
    assert report["built"] == ["a"]
    assert report["skipped"] == [{"file": "b.txt", "reason": "the same text as a.txt (built once)"}]


def test_catalog_problems_are_warnings(tmp_path, nlp, kb):
    catalog = "file,title,published\na.txt,Talks end in Ottawa,not a date\nmissing.txt,Gone,2024-01-01\n"
    _, report, _ = run(tmp_path, {"a.txt": GOOD, "catalog.csv": catalog}, nlp, kb)
    assert report["built"] == ["a"]
    assert any("not a date" in w for w in report["warnings"]["a"])
    cat = report["warnings"]["catalog.csv"]
    assert any("'outlet'" in w for w in cat) and any("missing.txt" in w for w in cat)


def test_folder_with_no_articles(tmp_path, nlp, kb):
    (tmp_path / "in").mkdir()
    with pytest.raises(BuildError, match="no article"):
        build(tmp_path / "in", tmp_path / "out", nlp=nlp, kb=kb)


def test_strict_turns_warnings_into_failure_and_writes_nothing(tmp_path, nlp, kb):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(GOOD.replace("Ortiz", "Ortíz").encode("cp1252"))
    with pytest.raises(BuildError, match="--strict"):
        build(src, tmp_path / "out", nlp=nlp, kb=kb, strict=True)
    assert not (tmp_path / "out" / "graph.trig").exists()


def test_cli_exit_codes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD)
    (src / "b.txt").write_bytes(b"")
    cmd = [sys.executable, "-m", "graph", "build", str(src), "--out", str(tmp_path / "out"), "--no-page"]
    ok = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "skipped: b.txt: empty article" in ok.stderr
    strict = subprocess.run(cmd + ["--strict"], cwd=ROOT, capture_output=True, text=True)
    assert strict.returncode == 1 and strict.stderr.strip().splitlines()[-1].startswith("error: --strict")


def test_a_killed_build_leaves_the_previous_graph(tmp_path):
    """A real SIGKILL half-way through a build: the previous outputs stay as they were."""
    out = tmp_path / "out"
    base = [sys.executable, "-m", "graph", "build", "--out", str(out), "--no-cache", "--no-page"]
    subprocess.run(base + [str(SEEDS)], cwd=ROOT, check=True, capture_output=True)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    many = tmp_path / "many"
    many.mkdir()
    for i, p in enumerate(sorted(SEEDS.glob("*.txt")) * 40):
        (many / f"{i:03d}.txt").write_text(p.read_text() + f"\nCopy {i}.\n")
    proc = subprocess.Popen(base + [str(many)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(8)  # model loaded, extraction under way
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # the lock file names the build that holds it: the killed one now, no output of a build
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".lock"}
    before.pop(".lock", None)
    assert after == before


@pytest.mark.parametrize("stage", ["turtle", "store", "page"])
def test_a_failed_late_stage_replaces_nothing(tmp_path, nlp, kb, monkeypatch, stage):
    """graph.ttl/graph.jsonld, the store and the page are made from graph.trig side by side (in
    forked processes on Linux): if any of them fails, the build fails and the previous graph
    stays whole, store included."""
    import graph.pipeline as pipeline
    import graph.sparql.store
    import graph.view.page

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD)
    out = tmp_path / "out"
    build(src, out, nlp=nlp, kb=kb)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    store_before = {p.name: p.read_bytes() for p in (out / "store").iterdir() if p.is_file()}
    (src / "b.txt").write_text(GOOD.replace("Ottawa", "Lima").replace("Monday", "Friday"))

    def broken(*args):
        raise OSError("disk full")

    target = {"turtle": (pipeline, "write_derived"), "store": (graph.sparql.store, "write_store"),
              "page": (graph.view.page, "write_page")}[stage]
    monkeypatch.setattr(*target, broken)
    with pytest.raises((BuildError, OSError)):
        build(src, out, nlp=nlp, kb=kb)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert {p.name: p.read_bytes() for p in (out / "store").iterdir() if p.is_file()} == store_before
    assert not list(out.glob(".build-*"))
