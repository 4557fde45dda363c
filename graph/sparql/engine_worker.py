"""One Oxigraph query in a process of its own (run as a script; imports nothing of the package).

An engine bug aborts the process it runs in — Oxigraph 0.5.13 panics on some ORDER BY over mixed
literal types, and a query nested thousands of parentheses deep overflows its stack — so the
command line runs each query here: a crash ends this process, and the caller says so in one
line. It starts in about 0.1 s because it loads pyoxigraph only, not rdflib or spaCy.

stdin: a JSON object ``{"graph": path, "query": text, "substitutions": {name: N-Triples term}}``.
stdout: the results as SPARQL 1.1 Query Results JSON (a CONSTRUCT's triples as the bindings of
``subject``, ``predicate``, ``object``). A query the engine refuses (a syntax error) exits 2 with
its message on stderr.
"""
import json
import sys
from pathlib import Path

import pyoxigraph as ox


def _open(graph: Path) -> ox.Store:
    """The store beside a built graph, read-only; else the graph loaded in memory (as
    graph.sparql.store.open_store does)."""
    on_disk = graph if graph.is_dir() else graph.parent / "store"
    if on_disk.is_dir():
        return ox.Store.read_only(str(on_disk))
    store = ox.Store()
    store.bulk_load(path=str(graph), format=ox.RdfFormat.TRIG)
    return store


def _term(text: str):
    """An N-Triples term (as Oxigraph writes one) read back."""
    quad = next(iter(ox.parse(input=f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    return quad.object


def _json(term) -> dict | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = term.datatype.value
    return out


def main() -> int:
    job = json.load(sys.stdin)
    store = _open(Path(job["graph"]))
    subs = {ox.Variable(k): _term(v) for k, v in job.get("substitutions", {}).items()}
    try:
        result = store.query(job["query"], substitutions=subs) if subs else store.query(job["query"])
        if isinstance(result, ox.QueryBoolean):
            data = {"head": {}, "boolean": bool(result)}
        elif isinstance(result, ox.QueryTriples):
            cols = ["subject", "predicate", "object"]
            data = {"head": {"vars": cols}, "results": {"bindings": [
                dict(zip(cols, (_json(t.subject), _json(t.predicate), _json(t.object)))) for t in result]}}
        else:
            cols = [v.value for v in result.variables]
            data = {"head": {"vars": cols}, "results": {"bindings": [
                {c: _json(sol[c]) for c in cols if sol[c] is not None} for sol in result]}}
    except (SyntaxError, ValueError, OSError) as exc:
        print(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__, file=sys.stderr)
        return 2
    json.dump(data, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
