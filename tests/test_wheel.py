"""The built wheel carries everything a build needs: installed from it, outside the checkout, it works.

Slower than most tests (5-10 s on a 2-core machine) because it packages and installs the
project and runs the installed command line twice, each run loading spaCy. It guards
what no in-checkout test can see: ``ontology/`` lives at the top of the repository,
beside ``graph/``, so only a package built from ``pyproject.toml`` shows whether
the data (``graph/ontology/...``), the templates and every subpackage are shipped.

What it does, offline:

1. copies the source tree to a temporary folder (setuptools builds in place and
   reuses its ``build/lib``: a stale copy there could hide a broken configuration,
   and the checkout's own ``build/`` is the graph's output folder) and builds a
   wheel from it with this environment's setuptools (no build isolation, no index);
2. makes a new virtual environment outside the checkout, without
   ``--system-site-packages`` and without pip; a ``.pth`` file appends this
   environment's site-packages to its ``sys.path``, so spaCy, rdflib and the rest
   need no download, while the wheel itself is installed into the new
   environment's own site-packages, which comes first. Directories added by a
   ``.pth`` line have their own ``.pth`` files ignored, so the editable-install
   finder of a ``pip install -e`` here is never loaded there; the test checks that
   ``graph`` is imported from the new environment all the same;
3. from an empty folder, builds the seeds with the installed ``dialogue-graph`` and
   runs the saved query ``people`` over the result.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# What is never part of a build: the checkout's own environment, history, outputs and caches.
_SKIP_TOP = {".venv", ".git", "build", "dist"}
_SKIP_ANY = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == ROOT
    return {
        n for n in names
        if n in _SKIP_ANY or n.endswith(".egg-info") or (top and n in _SKIP_TOP)
    }


def _run(cmd: list[str | Path], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)
    assert proc.returncode == 0, (
        f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout[-3000:]}\n--- stderr ---\n{proc.stderr[-3000:]}"
    )
    return proc


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH"}}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONNOUSERSITE="1", **extra)
    return env


def test_wheel_installs_and_builds_outside_the_checkout(tmp_path):
    if importlib.util.find_spec("setuptools.command.bdist_wheel") is None and importlib.util.find_spec("wheel") is None:
        pytest.fail("building a wheel without build isolation needs setuptools>=70.1 (or `wheel`) "
                    "in this environment: pip install -e '.[dev]'")

    # 1. The wheel, from a copy of the source tree.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=_ignore)
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-q", "-w", wheels, src], env=_clean_env())
    (wheel,) = wheels.glob("dialogue_graph-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"graph/ontology/{p.relative_to(ROOT / 'ontology').as_posix()}"
                for p in (ROOT / "ontology").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    expected |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "graph").rglob("*.py")
                 if "__pycache__" not in p.parts}
    expected |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "graph" / "view" / "templates").glob("*.html")}
    assert "graph/ontology/queries/people.rq" in expected and "graph/view/templates/page.html" in expected
    missing = sorted(expected - names)
    assert not missing, f"{wheel.name} lacks {len(missing)} file(s) of the checkout: {missing}"

    # 2. A new environment outside the checkout, seeing this one's packages after its own.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        env=_clean_env()).stdout.strip())
    ours = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (purelib / "_dev_site_packages.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")
    # pip itself comes from this environment through the .pth; it installs into the new one
    # (its sys.prefix). --ignore-installed: the editable install seen through the .pth is
    # not the new environment's to uninstall.
    _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q", wheel],
         env=_clean_env())

    env = _clean_env(PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    work = tmp_path / "work"
    work.mkdir()
    probe = _run([python, "-c",
                  "import sys, graph, graph.resources as r; "
                  "print(graph.__file__); print(r.ontology_dir()); "
                  "print([getattr(f, '__module__', '') for f in sys.meta_path])"],
                 cwd=work, env=env).stdout.splitlines()
    graph_file, ontology, finders = Path(probe[0]), Path(probe[1]), probe[2]
    assert graph_file.is_relative_to(purelib), f"graph imported from {graph_file}, not from the wheel in {purelib}"
    assert "__editable__" not in finders, f"an editable-install finder is active: {finders}"
    assert ontology == purelib / "graph" / "ontology" and (ontology / "knowledge.yaml").is_file(), ontology

    # 3. Build the seeds and query them from a folder that is not the checkout.
    (work / "seeds").mkdir()
    for f in [*SEEDS.glob("*.txt"), SEEDS / "catalog.csv"]:
        shutil.copy2(f, work / "seeds" / f.name)
    cli = bindir / "dialogue-graph"
    _run([cli, "build", "seeds", "--out", "build", "--no-page"], cwd=work, env=env)
    assert (work / "build" / "graph.trig").is_file()
    people = _run([cli, "query", "people", "--format", "csv"], cwd=work, env=env).stdout
    assert "Antony Blinken" in people, people
