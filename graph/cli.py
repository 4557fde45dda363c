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
    folder: Path = typer.Argument(Path("seeds"), help="Folder of articles: *.txt, saved pages *.html/*.htm (and an optional catalog.csv)."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help="Output folder."),
    no_page: bool = typer.Option(False, "--no-page", help="Skip writing graph.html."),
    strict: bool = typer.Option(False, "--strict", help="Fail (and write nothing) on any skipped article or warning."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Re-extract every article instead of reusing OUT/.cache."),
    max_chars: int = typer.Option(1_000_000, "--max-chars", help="Skip articles longer than this many characters."),
    workers: int = typer.Option(1, "--workers", "-w", help="Worker processes for extraction (each loads the model)."),
    executor: str = typer.Option("local", "--executor", help="local, or dask to extract on a Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster)."),
    jsonld: bool = typer.Option(False, "--jsonld", help="Also write OUT/graph.jsonld (expanded JSON-LD, 2.2x the TriG)."),
    no_listings: bool = typer.Option(False, "--no-listings",
                                     help="Skip OUT/listings.sqlite: a faster build, every query asked of the store."),
) -> None:
    """Build the graph from a folder of articles.

    Writes OUT/graph.trig (one named graph per article), OUT/graph.ttl, OUT/graph.html,
    OUT/report.json, the query store OUT/store and each saved query's rows OUT/listings.sqlite
    (OUT/graph.jsonld with --jsonld; or
    `dialogue-graph export --format jsonld` later), then prints a summary. Articles that cannot be read are skipped
    with a one-line reason; the others are built (exit 0 unless nothing could be).

    Example: dialogue-graph build seeds --out build
    """
    from .pipeline import STAGES, BuildError
    from .pipeline import build as run_build

    try:
        with _Progress({s.name: s.doing for s in STAGES}, sys.stderr.isatty()) as progress:
            summary = run_build(folder, out, draw=not no_page, strict=strict, cache=not no_cache,
                                max_chars=max_chars, on_message=progress.message, on_progress=progress,
                                workers=workers, executor=executor, scheduler=scheduler, jsonld=jsonld,
                                listings=not no_listings)
    except BuildError as exc:
        _fail(str(exc))
    for line in summary.lines():
        typer.echo(line)
    typer.echo(f"wrote {', '.join(sorted(summary.outputs.values()))}")


@app.command()
def collect(
    feed: list[str] = typer.Option([], "--feed", help="An RSS or Atom feed's address (repeat for more)."),
    url: list[str] = typer.Option([], "--url", help="A single page's address (repeat for more)."),
    into: Path = typer.Option(..., "--into", help="The folder of articles to add to (created if need be)."),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds to wait for each answer."),
    delay: float = typer.Option(1.0, "--delay", help="Seconds between two requests (be polite to the sites)."),
) -> None:
    """Download new articles from feeds and single pages into a folder the build reads.

    Each new page is saved as INTO/NAME.html and gets a row in INTO/catalog.csv (title,
    outlet, authors, published, url); what the catalog already holds is not fetched again.
    A page that cannot be fetched is one line on stderr and is tried again next time
    (exit 0 unless every request failed).

    Example: dialogue-graph collect --feed https://example.org/world/rss.xml --into articles
    """
    from .read.collect import CollectError
    from .read.collect import collect as run_collect

    if not feed and not url:
        _fail("nothing to collect: give --feed URL or --url URL", 2)
    try:
        with _Progress({"collect": "downloading pages"}, sys.stderr.isatty()) as progress:
            result = run_collect(into, feed, url, timeout=timeout, delay=delay,
                                 on_message=lambda line: progress.message(f"failed: {line}"),
                                 on_progress=lambda done, total: progress("collect", done, total))
    except (CollectError, OSError) as exc:  # the folder, not the network: saving stopped (saved rows kept)
        _fail(str(exc))
    typer.echo(f"added {len(result.added)} articles to {into}, {result.known} already there, "
               f"{len(result.failed)} failed")
    if result.failed and not result.added and not result.known:
        raise typer.Exit(1)


class _Progress:
    """Draws long work on the terminal: a bar while items are counted through (articles
    extracted, statements pushed), a spinner naming each other stage (minutes at 5,000
    articles). Silent when stderr is not a terminal."""

    def __init__(self, doing: dict[str, str], live: bool):
        self.doing, self.live = doing, live
        self.bar = self.task = self.status = None

    def __enter__(self) -> "_Progress":
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


def _shorten(text: str, most: int) -> str:
    """``text`` in at most ``most`` characters, cut at a word with "…"."""
    if len(text) <= most:
        return text
    return text[:most - 1].rsplit(" ", 1)[0].rstrip(",;:—- ") + "…"


def _saved_query_list() -> str:
    """One line per saved query, from each file's header: what `query --help` lists."""
    import shutil

    from .sparql.queries import query_summary, saved_queries

    room = max(52, min(shutil.get_terminal_size((80, 24)).columns, 160) - 28)  # one line each, in the help's box
    lines = []
    for qname, path in saved_queries().items():
        try:
            lines.append(f"  {qname:<21} {_shorten(query_summary(path.read_text(encoding='utf-8')), room)}")
        except OSError:
            lines.append(f"  {qname:<21} (cannot be read)")
    return "\n".join(lines)


_QUERY_HELP = """Run a saved SPARQL query (or a .rq file) over the built graph or any endpoint.

A name, country, speaker or topic matches as you would write it: accents and case aside, an alias (AMLO), a surname (Blinken), the words of a topic (fentanyl). --list-params shows what a query takes; the README lists the prefixes (schema: is https://schema.org/).

A query reaches this dataset only: SERVICE and FROM <other documents> are refused unless --allow-service. Oxigraph runs the query in a process of its own, so an engine crash is a one-line error.

\b
Saved queries (ontology/queries/NAME.rq):
{queries}

\b
Example: dialogue-graph query people --param country=Mexico --format csv
Example: dialogue-graph query meetings --limit 20
Example: dialogue-graph query fact_support -p fact=Blinken --wide
"""


def _query_help() -> str:
    try:
        return _QUERY_HELP.format(queries=_saved_query_list())
    except Exception:  # the help never fails for a broken file
        return _QUERY_HELP.format(queries="  (see ontology/queries/)")


@app.command(help=_query_help())
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
    wide: bool = typer.Option(False, "--wide", "-w",
                              help="Table cells whole, however wide (by default cut with … to fit the terminal)."),
    allow_service: bool = typer.Option(False, "--allow-service",
                                       help="Let the query use SERVICE and FROM other documents (refused by default)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.1,
                                            help="Stop an Oxigraph query after this many seconds (default: no limit)."),
) -> None:
    import shutil

    from .sparql.queries import (
        ParameterError,
        format_rows,
        load_query,
        query_params,
        run_saved,
    )
    from .sparql.store import EngineError, QueryRefused

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
                               limit=limit, on_note=lambda line: typer.echo(line, err=True),
                               allow_service=allow_service, isolate=True, timeout=timeout)
    except QueryRefused as exc:
        _fail(f"query refused: {exc}", 2)
    except KeyError as exc:
        _fail(str(exc).strip("'\""), 2)
    except ParameterError as exc:
        _fail(str(exc), 2)
    except (FileNotFoundError, EngineError) as exc:
        _fail(str(exc))
    except Exception as exc:
        _fail(f"query {name!r} failed: {str(exc).splitlines()[0][:300] if str(exc) else exc.__class__.__name__}")
    width = None if wide else shutil.get_terminal_size((120, 24)).columns
    typer.echo(format_rows(cols, rows, fmt, width=width), nl=False)
    if limit is not None and len(rows) == limit:
        typer.echo(f"the first {limit} rows (--limit); there may be more", err=True)


@app.command()
def serve(
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph; its store/ is served."),
    port: int = typer.Option(7878, "--port", help="TCP port."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    timeout: float = typer.Option(30.0, "--timeout", min=1.0, help="Stop a query after this many seconds."),
    allow_service: bool = typer.Option(False, "--allow-service",
                                       help="Let queries use SERVICE and FROM other documents (refused by default)."),
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint (Oxigraph).

    Queries go to http://HOST:PORT/query (GET or POST, SELECT/ASK/CONSTRUCT/DESCRIBE,
    results as SPARQL JSON/XML/CSV/TSV); updates are refused, and so are SERVICE and FROM
    <other documents> unless --allow-service. A query is stopped after --timeout seconds;
    an engine crash restarts the engine; after a rebuild of the graph the new one is
    served. Stop it with Ctrl-C.

    Example: dialogue-graph serve --port 7878 --timeout 10
    """
    import signal

    from .sparql.endpoint import Endpoint
    from .sparql.store import EngineError, oxigraph_binary, store_location

    store = store_location(graph)
    if not store.is_dir():
        _fail(f"{store}: no store here — run `dialogue-graph build` first")
    try:
        oxigraph_binary()
        endpoint = Endpoint(store, host, port, timeout, allow_service, log=lambda line: typer.echo(line, err=True))
    except EngineError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})")

    def stop(*_) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    typer.echo(f"SPARQL endpoint: http://{host}:{port}/query (read-only; queries stopped after {timeout:g} s; "
               "Ctrl-C stops it)")
    try:
        endpoint.serve_forever()
    except KeyboardInterrupt:
        pass
    except RuntimeError as exc:  # the engine could not start
        _fail(str(exc))


@app.command()
def push(
    endpoint: str = typer.Option(..., "--endpoint", help="The store's Graph Store Protocol URL, e.g. "
                                 "http://host:8890/sparql-graph-crud-auth (Virtuoso), http://host:7878/store (Oxigraph)."),
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph (TriG, or its build folder)."),
    user: Optional[str] = typer.Option(None, "--user", "-u", help="User the store knows; the password comes from "
                                       "DIALOGUE_GRAPH_PASSWORD or a prompt (HTTP Digest or Basic, as the store asks)."),
    # the defaults are graph.sparql.push's (RESOLVED_GRAPH, CHUNK), not imported at start-up
    default_graph: Optional[str] = typer.Option(None, "--default-graph", show_default="…/id/graph/resolved",
                                                help="The named graph the resolved entities go to; `default` for the "
                                                "store's own default graph (Oxigraph, Fuseki; not Virtuoso)."),
    chunk: Optional[int] = typer.Option(None, "--chunk", min=1, show_default="20,000",
                                        help="Statements a request (memory stays flat whatever the graph's size)."),
) -> None:
    """Load the built graph into a server store (SPARQL 1.1 Graph Store Protocol), named graphs kept.

    Each article's graph replaces the graph of the same name in the store. The resolved
    entities (the build's default graph) go to a named graph, since not every store has a
    default graph to write to; the saved queries then answer on a store whose default graph
    is the union of its graphs (Virtuoso and GraphDB as installed, Oxigraph with
    ?union-default-graph on the query URL): README, Scaling out.

    Example: DIALOGUE_GRAPH_PASSWORD=secret dialogue-graph push --endpoint http://localhost:8890/sparql-graph-crud-auth --user dialogue

    Example: dialogue-graph push --endpoint http://localhost:7878/store
    """
    import os

    from .sparql.push import STORE_DEFAULT
    from .sparql.push import push as run_push
    from .sparql.store import EngineError

    password = None
    if user:  # never an option: a password on the command line is in the shell history and `ps`
        password = os.environ.get("DIALOGUE_GRAPH_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                _fail("--user needs a password: set DIALOGUE_GRAPH_PASSWORD (no terminal to ask on)", 2)
            password = typer.prompt(f"password for {user}", hide_input=True)
    given = {k: v for k, v in (("default_graph", default_graph), ("chunk", chunk)) if v is not None}
    try:
        with _Progress({"check": "checking the graph", "push": "pushing"}, sys.stderr.isatty()) as progress:
            progress("check", 0, None)  # seconds at thousands of articles, before the first request
            result = run_push(graph, endpoint, user=user, password=password,
                              on_progress=lambda p: progress("push", p.sent, p.total), **given)
    except (EngineError, FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    where = "the store's default graph" if result.default_graph == STORE_DEFAULT else f"<{result.default_graph}>"
    typer.echo(f"sent {result.graphs} graphs ({result.triples:,} statements in {result.chunks} requests) to "
               f"{endpoint}; the resolved entities are in {where}")



@app.command()
def export(
    fmt: str = typer.Option("jsonld", "--format", "-f",
                            help="turtle, trig, nquads, jsonld (expanded), jsonld-compact, graphml or gexf."),
    graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The built graph (TriG)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: standard output)."),
) -> None:
    """Export the built dataset as Turtle, TriG, N-Quads or JSON-LD (context in ontology/context.jsonld),
    or its network (people, bodies, countries, meetings, claims, figures and how they relate) as GraphML
    or GEXF for Gephi, Cytoscape or networkx.

    The network's nodes carry label, kind, side (the country served), date (a meeting's date, else the
    first article's), dates, articles and evidence_count; its edges relation and evidence_count.

    Example: dialogue-graph export --format nquads --out build/graph.nq

    Example: dialogue-graph export --format graphml --out build/graph.graphml
    """
    from .outputs import staged_file
    from .rdf.serialize import STREAMED_FORMATS, export_trig, serialize_jsonld_compact

    formats = (*STREAMED_FORMATS, "jsonld-compact", *_NETWORK_FORMATS)
    if fmt not in formats:
        _fail(f"unknown format {fmt!r}: use {', '.join(formats)}", 2)
    if fmt in _NETWORK_FORMATS:
        _export_network(graph, fmt, out)
        return
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


_NETWORK_FORMATS = ("graphml", "gexf")


def _export_network(graph: Path, fmt: str, out: Optional[Path]) -> None:
    """The networkx projection (articles as attributes, not nodes) written by networkx."""
    import networkx as nx

    from .outputs import staged_file
    from .view.analytics import exportable, to_networkx

    H = exportable(to_networkx(_store(graph), include_articles=False))
    write = nx.write_graphml if fmt == "graphml" else nx.write_gexf
    if out is None:
        write(H, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    with staged_file(out) as tmp:
        write(H, str(tmp))
    typer.echo(f"wrote {out} ({H.number_of_nodes()} nodes, {H.number_of_edges()} edges)")


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
    top: int = typer.Option(10, "--top", min=0, help="How many rows of each list (people, bodies, pairs, contradictions)."),
) -> None:
    """Print counts, the people who met the most counterparts, the most connected bodies,
    meetings per pair of countries, and the contradictions with their articles and dates.

    Counterparts are people of another side (the country they serve) at the same meeting.
    A body's degree centrality is the share of the graph's other nodes it is linked to
    (articles left out). Each list shows its first --top rows and says how many there are.

    Example: dialogue-graph stats --top 5
    """
    from .pipeline import summarize
    from .view.analytics import (
        ORGANIZATIONS,
        central_nodes,
        central_people,
        contradictions,
        counterpart_network,
        meetings_per_country_pair,
        to_networkx,
    )

    def more(shown: int, total: int) -> None:
        if total > shown:
            typer.echo(f"  … and {total - shown} more (--top {total} lists them all)")

    store = _store(graph)
    typer.echo(", ".join(f"{k} {v}" for k, v in summarize(store).items()))
    G = to_networkx(store, include_articles=False)
    people = central_people(G, top)
    typer.echo("people who met the most counterparts (people of another country at the same meeting):")
    typer.echo(f"  {'counterparts':>12}  {'meetings':>8}  person (side)")
    for r in people:
        typer.echo(f"  {r['counterparts']:>12}  {r['meetings']:>8}  {r['person']} ({r['side']})")
    more(len(people), len(counterpart_network(G)))
    orgs = central_nodes(G, ORGANIZATIONS, len(G))
    typer.echo("most connected organizations (degree centrality: the share of the other nodes linked to it):")
    for label, c in orgs[:top]:
        typer.echo(f"  {c:.3f}  {label}")
    more(min(top, len(orgs)), len(orgs))
    pairs = sorted(meetings_per_country_pair(G).items(), key=lambda kv: (-kv[1], kv[0]))
    typer.echo("meetings per pair of countries (meetings with people or governments of both):")
    for (a, b), n in pairs[:top]:
        typer.echo(f"  {n:>3}  {a} – {b}")
    more(min(top, len(pairs)), len(pairs))
    rows = contradictions(G)
    typer.echo(f"contradictions: {len(rows)}")
    for r in rows[:top]:
        typer.echo(f"  [{r['topic']}] {r['speaker']} ({r['polarity']}; {r['article']}, {r['date'] or 'undated'}): "
                   f"{r['says']}")
        typer.echo(f"      ↔ {r['other_speaker']} ({r['other_polarity']}; {r['other_article']}, "
                   f"{r['other_date'] or 'undated'}): {r['other_says']}")
    more(min(top, len(rows)), len(rows))


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

    Each gold file is held against its own graph: one --graph per gold file in order, or one for all
    (dialogue-graph evaluate GOLD1 GOLD2 -g GRAPH1 -g GRAPH2). The seeds' gold, in a checkout of the
    project, is tests/data/seeds_gold.yaml: the format to annotate your own articles in.

    Example: dialogue-graph evaluate tests/data/seeds_gold.yaml

    (from the checkout, after `dialogue-graph build seeds`, which writes the default graph build/graph.trig)
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
