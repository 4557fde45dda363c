"""Shared fixtures: the real spaCy pipeline, loaded once, and one real build of the seeds."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.knowledge import load_knowledge
from graph.read.nlp import load_nlp

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
GOLD = DATA / "seeds_gold.yaml"
DEV = ROOT.parent / "shared" / "dev"  # the development set, never copied into the repository


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture(scope="session")
def nlp(kb):
    return load_nlp(kb)


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory, nlp, kb):
    """The seeds built once into a temporary folder, JSON-LD included: (summary, out dir)."""
    from graph.pipeline import build

    out = tmp_path_factory.mktemp("build")
    summary = build(SEEDS, out, nlp=nlp, kb=kb, jsonld=True)
    return summary, out


@pytest.fixture(scope="session")
def seeds_dataset(seeds_build):
    from graph.sparql.queries import load_dataset

    return load_dataset(seeds_build[1] / "graph.trig")


@pytest.fixture
def read_text(nlp, kb):
    """Extract facts from an article given as text: the pipeline on data it has never seen."""
    from graph.find.dialogue import read_facts
    from graph.read.ingest import Article, nlp_text, parse_article

    def run(text: str, article_id: str = "t", title: str | None = None):
        segments, credits = parse_article(text, title)
        article = Article(article_id, text, segments, credits, title=title)
        return read_facts(article, nlp(nlp_text(article)), kb)

    return run


@pytest.fixture(scope="session")
def dev_build(tmp_path_factory, nlp, kb):
    """The development set (``../shared/dev``) built once, without its page: the out dir."""
    if not (DEV / "gold.yaml").is_file() or not (DEV / "articles").is_dir():
        pytest.skip(f"no development set at {DEV} (../shared/dev beside the project): dev not checked")
    from graph.pipeline import build

    out = tmp_path_factory.mktemp("dev")
    build(DEV / "articles", out, nlp=nlp, kb=kb, draw=False)
    return out


@pytest.fixture(scope="session")
def dev_result(dev_build):
    """The development set scored against its gold."""
    from graph.evaluate import evaluate
    from graph.sparql.queries import load_dataset

    return evaluate(load_dataset(dev_build / "graph.trig"), DEV / "gold.yaml")
