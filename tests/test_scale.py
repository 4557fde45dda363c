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



@pytest.fixture(scope="module")
def own_knowledge(tmp_path_factory, nlp, single):
    """A curated knowledge without "secretary" as a title, and a one-process build with it."""
    import yaml

    from graph.knowledge import ONTOLOGY_DIR, load_knowledge

    data = yaml.safe_load((ONTOLOGY_DIR / "knowledge.yaml").read_text(encoding="utf-8"))
    data["title_heads"] = [t for t in data["title_heads"] if t != "secretary"]
    path = tmp_path_factory.mktemp("kb") / "knowledge.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    kb = load_knowledge(str(path))
    out = tmp_path_factory.mktemp("own")
    build(SEEDS, out, kb=kb, cache=False, draw=False, store=False)
    trig = (out / "graph.trig").read_bytes()
    assert trig != (single / "graph.trig").read_bytes()  # the knowledge changes what is read
    return kb, trig


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_workers_read_with_the_knowledge_the_build_was_given(own_knowledge, executor, tmp_path):
    """Worker processes, forked or on a Dask cluster, read articles with the build's own curated
    knowledge, not the project's file."""
    if executor == "dask":
        pytest.importorskip("dask.distributed")
    kb, trig = own_knowledge
    build(SEEDS, tmp_path, kb=kb, workers=2, executor=executor, cache=False, draw=False, store=False)
    assert (tmp_path / "graph.trig").read_bytes() == trig


def test_cached_extractions_are_not_reused_with_other_knowledge(own_knowledge, nlp, tmp_path):
    """An output folder's cache filled with the project's knowledge gives nothing to a build with
    its own: every article is read again, as a clean build with that knowledge reads it."""
    kb, trig = own_knowledge
    build(SEEDS, tmp_path, nlp=nlp, draw=False, store=False)
    again = build(SEEDS, tmp_path, kb=kb, draw=False, store=False)
    assert again.cached == 0
    assert (tmp_path / "graph.trig").read_bytes() == trig
    assert build(SEEDS, tmp_path, kb=kb, draw=False, store=False).cached == again.articles
