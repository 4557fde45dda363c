"""Beyond one process: worker processes and a Dask cluster give the same bytes as one process;
the benchmark's corpus generator is deterministic and varied."""
import pytest

from graph.bench import scale_corpus
from graph.pipeline import build

from .conftest import SEEDS

OUTPUTS = ("graph.trig", "graph.ttl", "graph.jsonld", "graph.html")


@pytest.fixture(scope="module")
def single(tmp_path_factory, nlp, kb):
    out = tmp_path_factory.mktemp("single")
    build(SEEDS, out, nlp=nlp, kb=kb, cache=False, jsonld=True)
    return out


def test_two_worker_processes_give_identical_output(single, tmp_path):
    build(SEEDS, tmp_path, workers=2, cache=False, jsonld=True)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (single / name).read_bytes(), name


def test_dask_local_cluster_gives_identical_output(single, tmp_path):
    pytest.importorskip("dask.distributed")
    build(SEEDS, tmp_path, executor="dask", workers=2, cache=False, jsonld=True)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (single / name).read_bytes(), name


def test_scale_corpus_is_deterministic_and_varied(tmp_path):
    a = scale_corpus(SEEDS, 12, tmp_path / "a")
    b = scale_corpus(SEEDS, 12, tmp_path / "b")
    texts_a = [p.read_text() for p in sorted(a.glob("*.txt"))]
    assert texts_a == [p.read_text() for p in sorted(b.glob("*.txt"))]
    assert len(set(texts_a)) == 12
    assert (a / "catalog.csv").read_text() == (b / "catalog.csv").read_text()
