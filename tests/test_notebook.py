"""The notebook runs top to bottom on the seeds, imports the package, and defines no logic."""
import json

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT, SEEDS

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_notebook_only_calls_the_package():
    nb = json.loads(NOTEBOOK.read_text())
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "sys.path" not in source
    assert "def " not in source and "class " not in source and "lambda" not in source
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")  # committed clean


def test_notebook_executes_on_the_seeds(tmp_path, monkeypatch):
    monkeypatch.setenv("DIALOGUE_GRAPH_SEEDS", str(SEEDS))
    monkeypatch.setenv("DIALOGUE_GRAPH_OUT", str(tmp_path / "build"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = {i: c.get("outputs", []) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    text = "\n".join(o.get("text", "") + json.dumps(o.get("data", {})) for outs in outputs.values() for o in outs)
    assert "Rosa Icela Rodríguez" in text          # the tables
    assert "—took part in→" in text                  # the path with its hops
    assert "image/png" in text                       # the timeline
    assert "srcdoc" in text                          # the page inline
    assert not [o for outs in outputs.values() for o in outs if o.get("output_type") == "error"]
    assert (tmp_path / "build" / "graph.trig").exists()
