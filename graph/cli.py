"""The ``dialogue-graph`` command line: a thin typer layer over the package.

Each command parses its arguments and calls one library function; errors are one
clear line on stderr and a non-zero exit.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Build and explore a knowledge graph of the US–Mexico security dialogue from news articles.")

DEFAULT_OUT = Path("build")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.trig"


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _read_graph(path: Path, loader):
    """A built graph opened with ``loader``; a missing or damaged file ends the command with one line."""
    try:
        return loader(path)
    except FileNotFoundError as exc:
        _fail(str(exc))
    except Exception as exc:  # a corrupt or foreign file
        _fail(f"{path}: cannot read graph ({exc.__class__.__name__}: {str(exc).splitlines()[0][:200]})")


def _dataset(path: Path):
    from .sparql.queries import load_dataset

    return _read_graph(path, load_dataset)


def _store(path: Path):
    """The Oxigraph store beside a built graph: drawing and statistics read it without loading
    the whole graph into Python."""
    from .sparql.store import open_store

    return _read_graph(path, open_store)


@app.command()
def build(
    folder: Path = typer.Argument(Path("seeds"), help="Folder of *.txt articles (and an optional catalog.csv)."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help="Output folder."),
    no_page: bool = typer.Option(False, "--no-page", help="Skip writing graph.html."),
    strict: bool = typer.Option(False, "--strict", help="Fail (and write nothing) on any skipped article or warning."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Re-extract every article instead of reusing OUT/.cache."),
    max_chars: int = typer.Option(1_000_000, "--max-chars", help="Skip articles longer than this many characters."),
    workers: int = typer.Option(1, "--workers", "-w", help="Worker processes for extraction (each loads the model)."),
    executor: str = typer.Option("local", "--executor", help="local, or dask to extract on a Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster)."),
    jsonld: bool = typer.Option(False, "--jsonld", help="Also write OUT/graph.jsonld (expanded JSON-LD, 2.2x the TriG)."),
) -> None:
    """Build the graph from a folder of articles.

    Writes OUT/graph.trig (one named graph per article), OUT/graph.ttl, OUT/graph.html,
    OUT/report.json and the query store OUT/store (OUT/graph.jsonld with --jsonld; or
    `dialogue-graph export --format jsonld` later), then prints a summary. Articles that cannot be read are skipped
    with a one-line reason; the others are built (exit 0 unless nothing could be).

    Example: dialogue-graph build seeds --out build
    """
    from .pipeline import STAGES, BuildError
    from .pipeline import build as run_build

    try:
        with _BuildProgress({s.name: s.doing for s in STAGES}, sys.stderr.isatty()) as progress:
            summary = run_build(folder, out, draw=not no_page, strict=strict, cache=not no_cache,
                                max_chars=max_chars, on_message=progress.message, on_progress=progress,
                                workers=workers, executor=executor, scheduler=scheduler, jsonld=jsonld)
    except BuildError as exc:
        _fail(str(exc))
    for line in summary.lines():
        typer.echo(line)
    typer.echo(f"wrote {', '.join(sorted(summary.outputs.values()))}")


class _BuildProgress:
    """Draws a build's progress on the terminal: a bar while articles are extracted, a spinner
    naming each later stage (minutes at 5,000 articles). Silent when stderr is not a terminal."""

    def __init__(self, doing: dict[str, str], live: bool):
        self.doing, self.live = doing, live
        self.bar = self.task = self.status = None

    def __enter__(self) -> "_BuildProgress":
        return self

    def __exit__(self, *exc) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
        if self.status is not None:
            self.status.stop()
            self.status = None

    def message(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, highlight=False, markup=False)
        else:
            typer.echo(line, err=True)

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.live:
            return
        if total is not None and total > 1:  # per-article work: a bar
            if self.bar is None:
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeRemainingColumn,
                )

                self._stop()
                self.bar = Progress(TextColumn(self.doing.get(stage, stage)), BarColumn(), MofNCompleteColumn(),
                                    TimeRemainingColumn(), transient=True)
                self.bar.start()
                self.task = self.bar.add_task(stage, total=total)
            self.bar.update(self.task, completed=done)
        elif total is None and stage in self.doing:  # a stage starts: a spinner
            from rich.console import Console

            self._stop()
            self.status = Console(stderr=True).status(self.doing[stage])
            self.status.start()


def _params(values: list[str]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            _fail(f"--param takes NAME=VALUE, not {item!r}", 2)
        out[name.strip()] = value
    return out


@app.command()
def query(
    name: str = typer.Argument(..., help="A saved query name (people, meetings, …) or a .rq file."),
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph (TriG); its store/ beside it is used."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    engine: str = typer.Option("oxigraph", "--engine", "-e", help="oxigraph (the built store) or rdflib (in memory)."),
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Query this SPARQL 1.1 endpoint instead."),
    param: list[str] = typer.Option([], "--param", "-p", help="NAME=VALUE, bound as an RDF term; repeatable."),
    list_params: bool = typer.Option(False, "--list-params", help="Show the parameters the query takes."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=0,
                                        help="Only the first N rows, in the query's order (default: all)."),
) -> None:
    """Run a saved SPARQL query (or a .rq file) over the built graph or any endpoint.

    Example: dialogue-graph query people --param country=Mexico --format csv
    Example: dialogue-graph query meetings --limit 20
    """
    from .sparql.queries import (
        ParameterError,
        format_rows,
        load_query,
        query_params,
        run_saved,
    )
    from .sparql.store import EngineError

    if fmt not in ("table", "csv", "json"):
        _fail(f"unknown format {fmt!r}: use table, csv or json", 2)
    if engine not in ("oxigraph", "rdflib"):
        _fail(f"unknown engine {engine!r}: use oxigraph or rdflib", 2)
    try:
        text = load_query(name)
    except (KeyError, OSError) as exc:
        _fail(str(exc).strip("'\""), 2)
    if list_params:
        declared = query_params(text)
        for pname, (kind, doc) in declared.items():
            typer.echo(f"{pname} ({kind}): {doc}")
        if not declared:
            typer.echo("this query takes no parameters")
        return
    try:
        cols, rows = run_saved(name, graph=graph, engine=engine, endpoint=endpoint, params=_params(param),
                               limit=limit)
    except KeyError as exc:
        _fail(str(exc).strip("'\""), 2)
    except ParameterError as exc:
        _fail(str(exc), 2)
    except (FileNotFoundError, EngineError) as exc:
        _fail(str(exc))
    except Exception as exc:
        _fail(f"query {name!r} failed: {str(exc).splitlines()[0][:300] if str(exc) else exc.__class__.__name__}")
    typer.echo(format_rows(cols, rows, fmt), nl=False)
    if limit is not None and len(rows) == limit:
        typer.echo(f"the first {limit} rows (--limit); there may be more", err=True)


@app.command()
def serve(
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph; its store/ is served."),
    port: int = typer.Option(7878, "--port", help="TCP port."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint (Oxigraph).

    Queries go to http://HOST:PORT/query (GET or POST, SELECT/ASK/CONSTRUCT/DESCRIBE,
    results as SPARQL JSON/XML/CSV/TSV); updates are refused. Stop it with Ctrl-C.

    Example: dialogue-graph serve --port 7878
    """
    import signal
    import subprocess

    from .sparql.store import STORE_DIR, EngineError, serve_command

    store = graph if graph.is_dir() else graph.parent / STORE_DIR
    if not store.is_dir():
        _fail(f"{store}: no store here — run `dialogue-graph build` first")
    try:
        cmd = serve_command(store, host, port)
    except EngineError as exc:
        _fail(str(exc))
    typer.echo(f"SPARQL endpoint: http://{host}:{port}/query (read-only; Ctrl-C stops it)")
    proc = subprocess.Popen(cmd)
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        code = proc.wait()
    if code not in (0, -15, 143):
        _fail(f"the server stopped with exit code {code} (is port {port} in use?)")


@app.command()
def push(
    endpoint: str = typer.Option(..., "--endpoint", help="The store's Graph Store Protocol URL, e.g. http://host:3030/ds/data."),
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph (TriG)."),
) -> None:
    """Load the built dataset into another store (SPARQL 1.1 Graph Store Protocol), named graphs kept.

    Each article's graph replaces the graph of the same name in the store.

    Example: dialogue-graph push --endpoint http://localhost:3030/dialogue/data
    """
    from .sparql.store import EngineError
    from .sparql.store import push as run_push

    try:
        sent = run_push(_dataset(graph), endpoint)
    except EngineError as exc:
        _fail(str(exc))
    typer.echo(f"sent {sent} graphs to {endpoint}")


@app.command()
def export(
    fmt: str = typer.Option("jsonld", "--format", "-f", help="turtle, trig, nquads, jsonld (expanded) or jsonld-compact."),
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph (TriG)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: standard output)."),
) -> None:
    """Export the built dataset as Turtle, TriG, N-Quads or JSON-LD (context in ontology/context.jsonld).

    Example: dialogue-graph export --format nquads --out build/graph.nq
    """
    from .outputs import staged_file
    from .rdf.serialize import STREAMED_FORMATS, export_trig, serialize_jsonld_compact

    formats = (*STREAMED_FORMATS, "jsonld-compact")
    if fmt not in formats:
        _fail(f"unknown format {fmt!r}: use {', '.join(formats)}", 2)
    if fmt in STREAMED_FORMATS:  # straight from the TriG file, whatever its size
        if not graph.exists():
            _fail(f"{graph}: no graph here — run `dialogue-graph build` first")
        try:
            if out is None:
                export_trig(graph, fmt, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with staged_file(out) as tmp:
                    export_trig(graph, fmt, tmp)
                typer.echo(f"wrote {out}")
        except (SyntaxError, ValueError) as exc:
            _fail(f"{graph}: cannot read graph ({str(exc).splitlines()[0][:200]})")
        return
    text = serialize_jsonld_compact(_dataset(graph))
    if out is None:
        typer.echo(text, nl=False)
    else:
        with staged_file(out) as tmp:
            tmp.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


@app.command()
def validate(graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph (TriG).")) -> None:
    """Check the built graph against the SHACL shapes in ontology/shapes.ttl.

    Example: dialogue-graph validate --graph build/graph.trig
    """
    from .validate import GraphFileError, check_graph_file, validate_dataset

    if graph.exists():  # a missing graph: _dataset says so
        try:
            check_graph_file(graph)  # empty or unreadable: one line with the line and column
        except GraphFileError as exc:
            _fail(str(exc))
    conforms, report = validate_dataset(_dataset(graph))
    if not conforms:
        typer.echo(report, err=True)
        _fail(f"{graph}: does not conform to the SHACL shapes")
    typer.echo(f"{graph}: conforms")


@app.command()
def draw(
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph (TriG)."),
    out: Path = typer.Option(DEFAULT_OUT / "graph.html", "--out", "-o", help="The page to write."),
) -> None:
    """Write the interactive, offline graph page.

    Example: dialogue-graph draw --out build/graph.html
    """
    from .outputs import staged_file
    from .view.page import write_page

    store = _store(graph)
    with staged_file(out) as tmp:
        write_page(store, tmp)
    typer.echo(f"wrote {out}")


@app.command()
def stats(
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph (TriG)."),
    top: int = typer.Option(10, "--top", help="How many people and organizations to list."),
) -> None:
    """Print counts, the most central people and organizations, meetings per pair of
    countries, and the contradictions.

    Example: dialogue-graph stats --top 5
    """
    from .pipeline import summarize
    from .view.analytics import (
        ORGANIZATIONS,
        PEOPLE,
        central_nodes,
        contradictions,
        meetings_per_country_pair,
        to_networkx,
    )

    store = _store(graph)
    typer.echo(", ".join(f"{k} {v}" for k, v in summarize(store).items()))
    G = to_networkx(store, include_articles=False)
    typer.echo("most central people:")
    for label, c in central_nodes(G, PEOPLE - {"journalist"}, top):
        typer.echo(f"  {c:.3f}  {label}")
    typer.echo("most central organizations:")
    for label, c in central_nodes(G, ORGANIZATIONS, top):
        typer.echo(f"  {c:.3f}  {label}")
    typer.echo("meetings per pair of countries:")
    for (a, b), n in sorted(meetings_per_country_pair(G).items(), key=lambda kv: (-kv[1], kv[0])):
        typer.echo(f"  {n:>3}  {a} – {b}")
    rows = contradictions(G)
    typer.echo(f"contradictions: {len(rows)}")
    for r in rows:
        typer.echo(f"  [{r['topic']}] {r['speaker']} ({r['polarity']}): {r['says']}")
        typer.echo(f"      ↔ {r['other_speaker']} ({r['other_polarity']}): {r['other_says']}")


@app.command()
def evaluate(
    gold: list[Path] = typer.Argument(..., help="One or more gold files in the format of tests/data/seeds_gold.yaml."),
    graph: Optional[list[Path]] = typer.Option(
        None, "--graph", "-g",
        help=f"The built graph (TriG) to score; one for all gold files, or one per gold file in the same order "
             f"(default {DEFAULT_GRAPH})."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON (a list for several gold files)."),
    notes: bool = typer.Option(False, "--notes", help="List every miss and extra."),
) -> None:
    """Score built graphs against hand-annotated gold files: P, R and F1, one table per gold file.

    Each gold file is held against its own graph: one --graph per gold file in order, or one for all.

    Example: dialogue-graph evaluate tests/data/seeds_gold.yaml

    (after `dialogue-graph build seeds`, which writes the default graph build/graph.trig)

    Two gold files, each with its graph: dialogue-graph evaluate A.yaml B.yaml -g a/graph.trig -g b/graph.trig
    """
    import yaml

    from .evaluate import evaluate as run_eval
    from .evaluate import format_scores

    graphs = list(graph or [DEFAULT_GRAPH])
    if len(graphs) == 1:
        graphs *= len(gold)
    if len(graphs) != len(gold):
        _fail(f"{len(gold)} gold files and {len(graphs)} graphs: give one --graph for all, or one per gold file", 2)
    for path in gold:
        if not path.exists():
            _fail(f"{path}: no such gold file")
    datasets: dict[Path, object] = {}
    results = []
    for gold_path, graph_path in zip(gold, graphs):
        if graph_path not in datasets:
            datasets[graph_path] = _dataset(graph_path)
        try:
            result = run_eval(datasets[graph_path], gold_path)
        except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
            _fail(f"{gold_path}: not a gold file in the format of tests/data/seeds_gold.yaml "
                  f"({exc.__class__.__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''})")
        results.append({"gold": str(gold_path), "graph": str(graph_path), **result})
    if as_json:
        typer.echo(json.dumps(results[0] if len(results) == 1 else results, indent=2, ensure_ascii=False))
        return
    for n, result in enumerate(results):
        if n:
            typer.echo("")
        typer.echo(f"== {Path(result['gold']).name} ({result['gold']} against {result['graph']})")
        typer.echo(format_scores(result))
        if notes:
            for cat, items in result["notes"].items():
                typer.echo(f"{cat}:")
                for item in items:
                    typer.echo(f"  {item}")


def main() -> None:
    app()
