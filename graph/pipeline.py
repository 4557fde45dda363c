"""The pipeline: ingest → nlp → extract → resolve → emit, then write the outputs atomically.

:func:`run_pipeline` is pure (articles in, dataset out); :func:`build` adds the file
work: it reads a folder, reports each article it cannot read without stopping the
others, and writes every output into a temporary folder first, so a failed build
never replaces a good graph.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Dataset
from spacy.language import Language

from .dialogue import read_dialogue
from .emit import serialize_trig, serialize_turtle, to_dataset
from .extract import ArticleFacts, extract
from .ingest import Article, IngestError, nlp_text, read_articles
from .knowledge import Knowledge, load_knowledge
from .resolve import resolve

__all__ = ["BuildError", "BuildSummary", "run_pipeline", "build", "summarize"]


class BuildError(Exception):
    """Nothing could be built; the message says why in one line."""


@dataclass
class BuildSummary:
    articles: int = 0
    triples: int = 0
    people: int = 0
    organizations: int = 0
    meetings: int = 0
    figures: int = 0
    quotes: int = 0
    claims: int = 0
    skipped: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"articles {self.articles}, triples {self.triples}",
            f"people {self.people}, organizations {self.organizations}",
            f"meetings {self.meetings}, figures {self.figures}, quotes {self.quotes}, claims {self.claims}",
        ] + [f"skipped: {s}" for s in self.skipped]


def run_pipeline(articles: list[Article], nlp: Language, kb: Knowledge | None = None,
                 on_article: Callable[[Article], None] | None = None) -> tuple[Dataset, list[ArticleFacts]]:
    """Articles → RDF dataset. ``nlp`` comes from :func:`graph.nlp.load_nlp` (load it once)."""
    kb = kb or load_knowledge()
    facts: list[ArticleFacts] = []
    docs = nlp.pipe((nlp_text(a) for a in articles), batch_size=16)
    for article, doc in zip(articles, docs):
        facts.append(read_dialogue(article, doc, extract(article, doc, kb), kb))
        if on_article:
            on_article(article)
    res = resolve(facts, kb)
    return to_dataset(articles, facts, res, kb), facts


def summarize(ds: Dataset) -> dict[str, int]:
    """Counts of the things users ask about first, read back from the dataset."""
    from .vocab import DG

    def count(cls) -> int:
        return len({s for s, _, _, _ in ds.quads((None, None, cls, None))})

    from rdflib import RDF

    def typed(cls) -> int:
        return len({s for s, _, _, _ in ds.quads((None, RDF.type, cls, None))})

    return {
        "triples": len(ds),
        "people": typed(DG.Person),
        "organizations": typed(DG.Organization),
        "meetings": typed(DG.Meeting),
        "figures": typed(DG.Figure),
        "quotes": typed(DG.Quote),
        "claims": typed(DG.Claim),
    }


def build(folder: Path, out: Path, nlp: Language | None = None, kb: Knowledge | None = None,
          progress: bool = False, draw: bool = True) -> BuildSummary:
    """Build ``folder``'s articles into ``out`` (graph.trig, graph.ttl, graph.html, report.json)."""
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise BuildError(f"{folder}: no such folder")
    kb = kb or load_knowledge()
    articles: list[Article] = []
    summary = BuildSummary()
    report: dict = {"built": [], "skipped": [], "warnings": {}}
    for item in read_articles(folder):
        if isinstance(item, IngestError):
            summary.skipped.append(str(item))
            report["skipped"].append(str(item))
        else:
            articles.append(item)
    if not articles:
        raise BuildError(f"{folder}: no article could be read (*.txt)")
    if nlp is None:
        from .nlp import load_nlp

        nlp = load_nlp(kb)

    bar = None
    if progress and len(articles) > 1:
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
        task = bar.add_task("extracting", total=len(articles))
    try:
        ds, _ = run_pipeline(articles, nlp, kb, on_article=(lambda a: bar.advance(task)) if bar else None)
    finally:
        if bar:
            bar.stop()
    report["built"] = [a.id for a in articles]
    counts = summarize(ds)
    summary.articles = len(articles)
    for k, v in counts.items():
        setattr(summary, k, v)

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    try:
        files = {
            "graph.trig": serialize_trig(ds),
            "graph.ttl": serialize_turtle(ds),
            "report.json": json.dumps(report, indent=2, sort_keys=True) + "\n",
        }
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if draw:
            from .page import write_page

            write_page(ds, tmp / "graph.html")
        for f in sorted(tmp.iterdir()):
            os.replace(f, out / f.name)
            summary.outputs[f.name] = str(out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary
