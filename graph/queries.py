"""Saved SPARQL queries: find them, run them, format their rows.

The saved queries in ``ontology/queries/*.rq`` are a public contract: their columns
are documented in the README and do not change name. Results are plain rows (lists of
strings, empty string for unbound) so the CLI, the notebook and the evaluator share
one form.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Dataset, Literal, URIRef

from .knowledge import ONTOLOGY_DIR

__all__ = ["QUERY_DIR", "saved_queries", "load_query", "load_dataset", "run_query", "format_rows"]

QUERY_DIR = ONTOLOGY_DIR / "queries"


def saved_queries() -> dict[str, Path]:
    """Name → path of every saved query."""
    return {p.stem: p for p in sorted(QUERY_DIR.glob("*.rq"))}


def load_query(name_or_path: str) -> str:
    """The text of a saved query by name, or of a ``.rq`` file by path."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        return path.read_text(encoding="utf-8")
    saved = saved_queries()
    if name_or_path in saved:
        return saved[name_or_path].read_text(encoding="utf-8")
    raise KeyError(f"no saved query named {name_or_path!r} (known: {', '.join(saved)})")


def load_dataset(path: Path) -> Dataset:
    """Read a built ``graph.trig`` into an rdflib Dataset."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no graph here — run `dialogue-graph build` first")
    ds = Dataset()
    ds.parse(path, format="trig")
    return ds


def _plain(term) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def run_query(ds: Dataset, text: str) -> tuple[list[str], list[list[str]]]:
    """Run a SELECT query; return its column names and its rows as strings."""
    result = ds.query(text)
    columns = [str(v) for v in result.vars]
    rows = [[_plain(row[i]) for i in range(len(columns))] for row in result]
    return columns, rows


def format_rows(columns: list[str], rows: list[list[str]], fmt: str = "table") -> str:
    """Rows as ``table`` (aligned text), ``csv`` or ``json`` (a list of objects)."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(columns, r)) for r in rows], indent=2, ensure_ascii=False) + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r} (table, csv or json)")
    widths = [min(60, max([len(c)] + [len(r[i]) for r in rows])) for i, c in enumerate(columns)]
    def line(vals):
        return "  ".join(v[:60].ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} rows)")
    return "\n".join(out) + "\n"
