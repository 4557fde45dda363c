"""Bad input: each case gets a clear one-line outcome, the other articles build as usual."""
import json
import os
import signal
import subprocess
import sys
import time

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
    import graph.rdf.serialize
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

    target = {"turtle": (graph.rdf.serialize, "write_derived"), "store": (graph.sparql.store, "write_store"),
              "page": (graph.view.page, "write_page")}[stage]
    monkeypatch.setattr(*target, broken)
    with pytest.raises((BuildError, OSError)):
        build(src, out, nlp=nlp, kb=kb)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert {p.name: p.read_bytes() for p in (out / "store").iterdir() if p.is_file()} == store_before
    assert not list(out.glob(".build-*"))


# --- issue 20: inputs that hang or crash, quiet wrong data, two files as one article ---------------

class _Hung(Exception):
    pass


def _alarm(seconds: int):
    """Fail instead of hanging: SIGALRM interrupts a blocking open (a FIFO without a writer)."""
    def ring(*_):
        raise _Hung(f"still running after {seconds} s")

    signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)


@pytest.fixture
def alarm():
    yield _alarm
    signal.alarm(0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)


def test_a_fifo_named_like_an_article_or_the_catalog_is_skipped_not_waited_on(tmp_path, nlp, kb, alarm):
    src = tmp_path / "in"
    src.mkdir()
    os.mkfifo(src / "x.txt")
    os.mkfifo(src / "catalog.csv")
    alarm(60)
    _, report, messages = run(tmp_path, {"good.txt": GOOD}, nlp, kb, store=False)
    assert report["built"] == ["good"]
    assert report["skipped"] == [{"file": "x.txt", "reason": "a FIFO, not a file (skipped)"}]
    assert any("catalog.csv: a FIFO" in w for w in report["warnings"]["catalog.csv"])
    assert all("\n" not in m for m in messages)


def test_links_leading_out_of_the_folder_are_skipped(tmp_path, nlp, kb):
    src = tmp_path / "in"
    src.mkdir()
    (tmp_path / "secret.txt").write_text(GOOD.replace("Ottawa", "Lima"))
    os.symlink(tmp_path / "secret.txt", src / "outside.txt")
    os.symlink("/dev/null", src / "null.txt")  # (/dev/zero in a child process: test_a_device_…)
    (src / "sub").mkdir()
    (src / "sub" / "inner.txt").write_text(GOOD.replace("Ottawa", "Quito"))
    os.symlink(src / "sub" / "inner.txt", src / "inside.txt")  # a link within the folder is read
    _, report, _ = run(tmp_path, {"good.txt": GOOD}, nlp, kb, store=False)
    assert report["built"] == ["good", "inside"]
    skipped = {s["file"]: s["reason"] for s in report["skipped"]}
    assert set(skipped) == {"outside.txt", "null.txt"}
    assert all("link leading out of the folder" in r for r in skipped.values())
    assert "Lima" not in (tmp_path / "out" / "graph.trig").read_text()


def test_a_device_is_refused_before_it_is_read(tmp_path):
    """/dev/zero never ends: read whole, it filled memory. In a child process with 2 GB, so the
    old behaviour fails the test instead of the machine."""
    code = ("import sys\nfrom graph.read.ingest import read_article, IngestError\n"
            "try:\n    read_article('/dev/zero')\nexcept IngestError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         preexec_fn=lambda: __import__("resource").setrlimit(
                             __import__("resource").RLIMIT_AS, (2 << 30, 2 << 30)))
    assert out.returncode == 0, out.stderr[-300:]
    assert out.stdout.strip() == "zero: a device, not a file (skipped)"


def test_a_file_is_cut_at_its_size_cap_before_decoding(tmp_path):
    from graph.read.ingest import IngestError, read_article

    (tmp_path / "big.txt").write_bytes(b"word " * 10_000)  # 50,000 bytes
    with pytest.raises(IngestError, match=r"too large \(50,000 bytes; the limit is 1,000 characters\)"):
        read_article(tmp_path / "big.txt", max_chars=1_000)


@pytest.mark.parametrize("catalog, warning", [
    ("latin-1", None),
    ("utf-16-le", "UTF-16-LE (no byte order mark)"),
    ("binary", "binary file, not text; no catalog read"),
    ("folder", "a folder, not a file (skipped); no catalog read"),
    ("no file column", "no 'file' column"),
    ("ragged", None),
])
def test_any_catalog_gives_warnings_never_a_traceback(tmp_path, nlp, kb, catalog, warning):
    src = tmp_path / "in"
    src.mkdir()
    text = "file,title,outlet,authors,published\ngood.txt,Talks end in Ottawa,Le Diário,José Núñez,2024-06-10\n"
    path = src / "catalog.csv"
    if catalog == "latin-1":
        path.write_bytes(text.encode("latin-1"))
        warning = "read as Windows-1252"
    elif catalog == "utf-16-le":
        path.write_bytes(text.encode("utf-16-le"))
    elif catalog == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif catalog == "folder":
        path.mkdir()
    elif catalog == "no file column":
        path.write_text("name,title\ngood.txt,Talks\n")
    else:  # rows shorter and longer than the header, a stray quote
        path.write_text('file,title,outlet\ngood.txt\n"good.txt,Talks,AP,extra,"more\n')
        warning = "no 'authors' column"
    _, report, messages = run(tmp_path, {"good.txt": GOOD}, nlp, kb, store=False)
    assert report["built"] == ["good"]
    assert any(warning in w for w in report["warnings"]["catalog.csv"]), report["warnings"]
    assert all("\n" not in m for m in messages)
    if catalog in ("latin-1", "utf-16-le"):
        trig = (tmp_path / "out" / "graph.trig").read_text()
        assert "Le Diário" in trig and "José Núñez" in trig


def test_utf16_without_a_byte_order_mark_is_read(tmp_path, nlp, kb):
    summary, report, _ = run(tmp_path, {"a.txt": GOOD.encode("utf-16-le"), "b.txt": GOOD.replace(
        "Ottawa", "Lima").encode("utf-16-be")}, nlp, kb, store=False)
    assert report["built"] == ["a", "b"]
    assert report["warnings"]["a"] == ["a.txt: read as UTF-16-LE (no byte order mark)"]
    assert report["warnings"]["b"] == ["b.txt: read as UTF-16-BE (no byte order mark)"]


@pytest.mark.parametrize("when", ["yesterday", "Thursday", "3 days ago", "last week", "June 3"])
def test_relative_catalog_dates_are_refused_not_read_against_the_build_day(tmp_path, when):
    from graph.read.ingest import read_articles

    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "catalog.csv").write_text(f"file,title,outlet,authors,published\na.txt,,,,{when}\n")
    [article] = read_articles(tmp_path)
    assert article.published is None
    assert article.warnings == (f"a.txt: catalog date {when!r} is relative to the day it is read "
                                "(give the calendar date); ignored",)


def test_absolute_catalog_dates_in_words_are_still_read(tmp_path):
    from graph.read.ingest import read_articles

    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "catalog.csv").write_text('file,title,outlet,authors,published\na.txt,,,,"June 3, 2024"\n')
    [article] = read_articles(tmp_path)
    assert article.published.isoformat() == "2024-06-03" and article.warnings == ()


def test_control_characters_are_stripped_from_catalog_fields(tmp_path, nlp, kb):
    catalog = ("file,title,outlet,authors,published\n"
               "good.txt,Talks\x1b[31m end,Coastal\x00 Wire\u202e,Ann\x07 Lee,2024-06-10\n").encode()
    _, report, _ = run(tmp_path, {"good.txt": GOOD, "catalog.csv": catalog}, nlp, kb, store=False)
    trig = (tmp_path / "out" / "graph.trig").read_text()
    assert '"Coastal Wire"' in trig and '"Ann Lee"' in trig and "\\u0000" not in trig and "\x00" not in trig
    assert report["warnings"]["catalog.csv"] == ["catalog.csv: control characters removed from line 2 (title), "
                                                 "line 2 (outlet), line 2 (authors)"]


def test_catalog_authors_that_are_not_names_are_refused(tmp_path, nlp, kb):
    authors = ("<script>alert(1)</script>; Ann Lee; https://evil.example/x; "
               "<b>Bo</b>; mail@example.com; " + "Very Long Name " * 10)
    catalog = f'file,title,outlet,authors,published\ngood.txt,,,"{authors}",2024-06-10\n'
    _, report, _ = run(tmp_path, {"good.txt": GOOD, "catalog.csv": catalog}, nlp, kb, store=False)
    trig = (tmp_path / "out" / "graph.trig").read_text()
    assert "Ann Lee" in trig and "script" not in trig and "evil" not in trig and "mail@" not in trig
    refused = [w for w in report["warnings"]["good"] if "is not a person's name" in w]
    assert len(refused) == 5


def test_report_json_keeps_any_file_name(tmp_path, nlp, kb):
    _, report, messages = run(tmp_path, {"good.txt": GOOD, "b: colon.txt": b"", 'q"uote\\.txt': b""}, nlp, kb,
                              store=False)
    assert {s["file"]: s["reason"] for s in report["skipped"]} == {"b: colon.txt": "empty article",
                                                                   'q"uote\\.txt': "empty article"}
    assert "skipped: b: colon.txt: empty article" in messages


def test_names_that_fold_alike_are_two_articles_with_a_warning(tmp_path, nlp, kb):
    other = GOOD.replace("Ottawa", "Lima").replace("Monday", "Friday")
    files = {"Report A.txt": GOOD, "report_a.txt": other, "😀.txt": other.replace("Lima", "Quito"),
             "🎉🎉.txt": other.replace("Lima", "Bogotá")}
    _, report, messages = run(tmp_path, files, nlp, kb, store=False)
    assert len(report["built"]) == 4 and len({a.lower() for a in report["built"]}) == 4
    from graph.sparql.queries import load_dataset

    ds = load_dataset(tmp_path / "out" / "graph.trig")
    graphs = {str(g.identifier) for g in ds.graphs() if "/article/" in str(g.identifier)}
    assert len(graphs) == 4
    renamed = [m for m in messages if "folds to the same article id" in m]
    assert len(renamed) == 2 and all("\n" not in m for m in renamed)
    # the same ids in another build, whatever order the files were written in
    again = tmp_path / "again"
    again.mkdir()
    for name in reversed(list(files)):
        (again / name).write_text(files[name])
    second = build(again, tmp_path / "out2", nlp=nlp, kb=kb, draw=False, store=False)
    assert second.articles == 4
    assert json.loads((tmp_path / "out2" / "report.json").read_text())["built"] == report["built"]
