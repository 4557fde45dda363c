"""End to end: the seeds built into a temporary folder, the dataset's shape, determinism."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

from graph.pipeline import BuildError, build
from graph.vocab import DG, OA

from .conftest import ROOT, SEEDS


def test_build_writes_every_output_and_a_summary(seeds_build):
    summary, out = seeds_build
    for name in ("graph.trig", "graph.ttl", "graph.jsonld", "graph.html", "report.json"):
        assert (out / name).stat().st_size > 0
    assert summary.articles == 5
    assert summary.people >= 20 and summary.organizations >= 10
    assert summary.triples > 1000


def test_one_named_graph_per_article_with_its_metadata(seeds_dataset):
    graphs = {str(g.identifier) for g in seeds_dataset.graphs() if len(g) and "article/" in str(g.identifier)}
    assert len(graphs) == 5
    g = seeds_dataset.graph(URIRef("https://w3id.org/dialogue-graph/id/article/000-535c8822014ccfb0"))
    ids = list(g.objects(None, DG.articleId))
    assert [str(i) for i in ids] == ["000_535c8822014ccfb0"]


def test_every_mention_points_at_its_words_in_the_file(seeds_dataset):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    ids = {s: str(o) for s, _, o, _ in seeds_dataset.quads((None, DG.articleId, None, None))}
    def prop(p):
        return {s: o for s, _, o, _ in seeds_dataset.quads((None, p, None, None))}

    starts, ends, exacts, sentences = prop(OA.start), prop(OA.end), prop(OA.exact), prop(DG.sentence)
    checked = 0
    for m, art in prop(DG.inArticle).items():
        if m not in starts:
            continue  # appointments carry their evidence mention instead
        text = texts[ids[art]]
        assert text[int(starts[m]):int(ends[m])] == str(exacts[m])
        assert " ".join(str(exacts[m]).split()) in str(sentences[m])
        checked += 1
    assert checked > 100


def _build_in_subprocess(out: Path, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-m", "graph", "build", str(SEEDS), "--out", str(out), "--jsonld"],
                   check=True, env=env, cwd=ROOT, capture_output=True)


def test_same_input_gives_byte_identical_files_whatever_the_hash_seed(tmp_path, seeds_build):
    _, first = seeds_build
    second = tmp_path / "b"
    _build_in_subprocess(second, "12345")
    for name in ("graph.trig", "graph.ttl", "graph.jsonld", "graph.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_json_ld_is_written_when_asked_and_never_left_stale(tmp_path, nlp, kb, seeds_build):
    """graph.jsonld only with jsonld=True (it is 2.2x the TriG); `export` gives the same bytes
    later; a build without it removes the one an earlier build left, which no longer matches."""
    from graph.rdf.serialize import export_trig

    out = tmp_path / "out"
    (out).mkdir()
    (out / "graph.jsonld").write_text("[]\n")
    summary = build(SEEDS, out, nlp=nlp, kb=kb, draw=False)
    assert "graph.jsonld" not in summary.outputs and not (out / "graph.jsonld").exists()
    assert (out / "graph.trig").read_bytes() == (seeds_build[1] / "graph.trig").read_bytes()
    export_trig(out / "graph.trig", "jsonld", tmp_path / "exported.jsonld")
    assert (tmp_path / "exported.jsonld").read_bytes() == (seeds_build[1] / "graph.jsonld").read_bytes()


def test_a_failed_build_leaves_the_previous_graph(tmp_path, nlp, kb):
    out = tmp_path / "out"
    build(SEEDS, out, nlp=nlp, kb=kb, draw=False)
    before = (out / "graph.trig").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BuildError, match="no article"):
        build(empty, out, nlp=nlp, kb=kb)
    assert (out / "graph.trig").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".build-")]


def test_one_broken_article_does_not_sink_the_others(tmp_path, nlp, kb):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Talks end\n\nMexican Foreign Minister Juan Ruiz met officials.\n", encoding="utf-8")
    (src / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00")
    summary = build(src, tmp_path / "out", nlp=nlp, kb=kb, draw=False)
    assert summary.articles == 1
    assert len(summary.skipped) == 1 and summary.skipped[0].startswith("broken.txt:")
