"""A build's outputs switch together: killed at any step of the switch, a folder holds one whole
build, the old or the new; a second build into the same folder is refused; leftovers are swept."""
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import outputs, pipeline
from graph.pipeline import BuildError, build

from .conftest import SEEDS

FILES = ("graph.trig", "graph.ttl", "graph.html", "report.json")


def _state(out: Path) -> dict:
    """What a reader of ``out`` sees: each output's bytes, and the store's article graphs."""
    seen = {name: (out / name).read_bytes() if (out / name).exists() else None for name in FILES}
    store = ox.Store.read_only(str(out / "store")) if (out / "store").is_dir() else None
    seen["store"] = None if store is None else int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0].value)
    del store
    return seen


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory, nlp, kb):
    """A folder holding a build of the seeds (old), with a build of four of them (new) written as
    a generation but not switched to; and what a reader sees of each."""
    base = tmp_path_factory.mktemp("swap")
    four = base / "four"
    four.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:4]:
        shutil.copy(path, four / path.name)
    out = base / "out"
    build(SEEDS, out, nlp=nlp, kb=kb)
    old = _state(out)
    held = {}

    def hold(folder, gen, names, retired=()):
        held.update(gen=gen, names=names, retired=retired)

    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "publish", hold)
    try:
        build(four, out, nlp=nlp, kb=kb)
    finally:
        mp.undo()
    new_out = base / "new"
    shutil.copytree(out, new_out, symlinks=True)
    outputs.publish(new_out, new_out / outputs.GENERATIONS / held["gen"].name, held["names"], held["retired"])
    new = _state(new_out)
    assert old["store"] == 5 and new["store"] == 4 and all(old[n] != new[n] for n in FILES)
    return base, out, held, old, new


def _killed_at(step: int, out: Path, gen: Path, names, retired) -> bool:
    """Switch ``out`` to ``gen`` in a child process killed (``os._exit``, no clean-up) just before its
    ``step``-th change to the file system; True if the switch finished before that step."""
    pid = os.fork()
    if pid == 0:  # the child: count each change, end at the chosen one
        calls = [0]

        def counted(fn):
            def wrapper(*args, **kwargs):
                calls[0] += 1
                if calls[0] == step:
                    os._exit(9)
                return fn(*args, **kwargs)
            return wrapper

        for name in ("replace", "rename", "symlink", "unlink", "rmdir", "remove"):
            setattr(os, name, counted(getattr(os, name)))
        shutil.rmtree = counted(shutil.rmtree)
        try:
            outputs.publish(out, gen, names, retired)
        except BaseException:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    assert code in (0, 9), f"the switch failed (exit {code})"
    return code == 0


def test_a_kill_at_any_step_of_the_switch_leaves_one_whole_build(old_and_new, tmp_path):
    base, out, held, old, new = old_and_new
    steps = 0
    for step in range(1, 100):
        work = tmp_path / f"k{step}"
        shutil.copytree(out, work, symlinks=True)
        finished = _killed_at(step, work, work / outputs.GENERATIONS / held["gen"].name, held["names"], held["retired"])
        seen = _state(work)
        assert seen in (old, new), f"killed before step {step}: a mix of two builds"
        if finished:
            assert seen == new
            break
        steps += 1
        # the next build sweeps what the killed one left, and the reader still sees a whole build
        outputs.sweep_stale(work)
        assert _state(work) in (old, new)
    assert steps >= 3, "the switch was expected to take several file-system steps"


def test_a_second_build_into_the_same_folder_is_refused_in_one_line(tmp_path, nlp, kb):
    import fcntl

    out = tmp_path / "out"
    build(SEEDS, out, nlp=nlp, kb=kb, draw=False)
    old = _state(out)
    with (out / ".lock").open("a+") as held:  # what a running build holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BuildError, match=r"another build \(process .*\) is writing here") as err:
            build(SEEDS, out, nlp=nlp, kb=kb)
        assert "\n" not in str(err.value)
    assert _state(out) == old  # untouched


def test_what_a_killed_build_left_is_swept_and_one_generation_stays(tmp_path, nlp, kb):
    out = tmp_path / "out"
    build(SEEDS, out, nlp=nlp, kb=kb, draw=False)
    (out / outputs.GENERATIONS / "g-killed").mkdir()  # a build killed while it wrote
    (out / ".current-999").symlink_to(".generations/g-killed")  # killed before its switch
    build(SEEDS, out, nlp=nlp, kb=kb, draw=False)
    assert [p.name for p in (out / outputs.GENERATIONS).iterdir()] == [os.readlink(out / ".current").split("/")[-1]]
    assert not (out / ".current-999").exists() and not (out / ".current-999").is_symlink()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "graph.trig", "graph.ttl", "listings.sqlite", "report.json", "store"]


def test_a_failed_build_keeps_the_current_generation_and_leaves_no_other(tmp_path, nlp, kb):
    out = tmp_path / "out"
    build(SEEDS, out, nlp=nlp, kb=kb, draw=False)
    before = _state(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BuildError):
        build(empty, out, nlp=nlp, kb=kb)
    assert _state(out) == before and len(list((out / outputs.GENERATIONS).iterdir())) == 1


def test_two_builds_into_one_folder_the_second_refused_the_first_whole(tmp_path, nlp, kb):
    """A real second process: while one build runs (it holds the lock and has written its process
    id there), another into the same folder is refused, and the first finishes whole."""
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "graph", "build", str(SEEDS), "--out", str(out), "--no-cache"],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ((out / ".lock").exists() and (out / ".lock").read_text().strip() == str(first.pid)):
        assert first.poll() is None and time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.05)
    with pytest.raises(BuildError, match=f"another build \\(process {first.pid}\\) is writing here"):
        build(SEEDS, out, nlp=nlp, kb=kb)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert _state(out)["store"] == 5 and len(list((out / outputs.GENERATIONS).iterdir())) == 1
