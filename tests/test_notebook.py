"""The notebook runs top to bottom on the seeds, imports the package, and defines no logic."""
import json
import os
import re
import tomllib

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT, SEEDS

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_notebook_only_calls_the_package():
    nb = json.loads(NOTEBOOK.read_text())
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "sys.path" not in source
    assert "def " not in source and "class " not in source and "lambda" not in source
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")  # committed clean


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run top to bottom on the seeds, once: (its cells with outputs, its build folder)."""
    out = tmp_path_factory.mktemp("nb") / "build"
    env = {"DIALOGUE_GRAPH_SEEDS": str(SEEDS), "DIALOGUE_GRAPH_OUT": str(out), "MPLBACKEND": "Agg"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb, out


def test_notebook_executes_on_the_seeds(executed):
    nb, out = executed
    outputs = {i: c.get("outputs", []) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    text = "\n".join(o.get("text", "") + json.dumps(o.get("data", {})) for outs in outputs.values() for o in outs)
    assert "Rosa Icela Rodríguez" in text          # the tables
    assert "—took part in→" in text                  # the path with its hops
    assert "image/png" in text                       # the timeline
    assert "srcdoc" in text                          # the page inline
    assert not [o for outs in outputs.values() for o in outs if o.get("output_type") == "error"]
    assert (out / "graph.trig").exists()


def _html_tables(nb) -> list[str]:
    return [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "text/html" in o.get("data", {}) and "<table" in o["data"]["text/html"]]


def test_tables_have_distinct_column_names(executed):
    tables = _html_tables(executed[0])
    assert len(tables) >= 8
    for table in tables:
        head = table.split("</thead>")[0]
        names = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
        names = [n for n in names if n]
        assert len(names) == len(set(names)), names


def test_the_meetings_table_counts_no_empty_participant(executed):
    # the planned meeting of the seeds names no one: 0 people, not 1 (the empty participant)
    nb = executed[0]
    cell = next(c for c in nb.cells if c.cell_type == "code" and 'graph.table("meetings"' in c.source)
    text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
    planned = [line for line in text.splitlines() if "planned" in line]
    assert planned and all(line.split()[-1] == "0" for line in planned), planned


def test_the_text_says_what_the_network_shows(executed):
    nb = executed[0]
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "recover the delegations" not in prose
    assert "counterparts" in prose
    # the circles it calls mixed do mix sides on the seeds: some circle holds people of two countries
    circles = next(c for c in nb.cells if c.cell_type == "code" and "community_sides" in c.source)
    lines = "".join(o.get("text", "") for o in circles.outputs).splitlines()
    assert lines and any(line.count(": ") >= 2 for line in lines)
    # centrality is over counterparts: the table's columns say so
    central = next(c for c in nb.cells if c.cell_type == "code" and "central_people" in c.source)
    html = "".join(o.get("data", {}).get("text/html", "") for o in central.outputs)
    assert "counterparts" in html and "reported" not in html


def test_plots_are_labelled():
    import matplotlib

    matplotlib.use("Agg")
    from graph.view.plots import counterparts_figure, timeline_figure

    rows = [{"date": "2023-03-13", "kind": "meeting", "label": "call"},
            {"date": "2023-04-13", "kind": "claim (denies)", "label": "X: no"}]
    ax = timeline_figure(rows).axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    ax = counterparts_figure([{"person": "A", "side": "Mexico", "counterparts": 3, "meetings": 2}]).axes[0]
    assert ax.get_title() and "counterparts" in ax.get_xlabel() and ax.get_ylabel()


def test_the_notebook_extra_installs_jupyterlab():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["notebook"]
    assert any(re.match(r"jupyterlab\b", req) for req in extra)
