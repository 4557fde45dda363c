"""Incremental builds: cached extraction by content, output equal to a clean build."""
import shutil

from graph.pipeline import build

from .conftest import SEEDS


def test_adding_one_article_extracts_only_that_one_and_equals_a_clean_build(tmp_path, nlp, kb):
    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for p in seeds[:4]:
        shutil.copy(p, src / p.name)
    shutil.copy(SEEDS / "catalog.csv", src / "catalog.csv")
    inc = tmp_path / "inc"
    first = build(src, inc, nlp=nlp, kb=kb, draw=False)
    assert first.cached == 0
    shutil.copy(seeds[4], src / seeds[4].name)
    second = build(src, inc, nlp=nlp, kb=kb, draw=False)
    assert (second.articles, second.cached) == (5, 4)
    clean = build(src, tmp_path / "clean", nlp=nlp, kb=kb, draw=False, cache=False)
    assert clean.cached == 0
    for name in ("graph.trig", "graph.ttl"):
        assert (inc / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()


def test_a_changed_catalog_row_is_re_extracted(tmp_path, nlp, kb):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Talks end\n\nMexican Foreign Minister Juana Ortiz met U.S. officials on Monday.\n")
    build(src, tmp_path / "out", nlp=nlp, kb=kb, draw=False)
    (src / "catalog.csv").write_text("file,title,outlet,authors,published\na.txt,Talks end,AP,,2024-06-14\n")
    again = build(src, tmp_path / "out", nlp=nlp, kb=kb, draw=False)
    assert again.cached == 0  # the publication date changes what "on Monday" means
