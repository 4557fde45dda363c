"""Property tests: arbitrary text through ingest and extraction never breaks the graph."""
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.find.dialogue import read_facts
from graph.rdf.emit import to_dataset
from graph.read.ingest import Article, nlp_text, parse_article
from graph.resolve import resolve
from graph.validate import validate_dataset

WORDS = ["Minister", "Secretary of State", "Mexican", "U.S.", "said", "met", "“", "”", "\"", "'", "1,435.6",
         "tons", "between", "and", "Juana Ortiz", "Mr.", "(", ")", "–", "\n\n", "Leave a Reply", "10 MB",
         "9" * 30, "on Thursday", "April 13", "fentanyl", "production", "that", "not", "delegation", ".", ","]
texts = st.one_of(
    st.text(min_size=0, max_size=400),
    st.lists(st.sampled_from(WORDS) | st.text(alphabet=string.ascii_letters, min_size=1, max_size=8),
             min_size=1, max_size=80).map(" ".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_any_text_gives_a_valid_graph_with_offsets_inside_the_text(text, nlp, kb):
    segments, credits = parse_article(text)
    for seg in segments:
        assert 0 <= seg.start <= seg.end <= len(text)
    for c in credits:
        assert text[c.start:c.end] == c.name
    article = Article("p", text, segments, credits)
    masked = nlp_text(article)
    assert len(masked) == len(text)
    doc = nlp(masked)
    facts = read_facts(article, doc, kb)
    spans = [(m.start, m.end) for m in facts.people] + [(q.start, q.end) for q in facts.quotes] + \
        [(f.start, f.end) for f in facts.figures] + [(c.start, c.end) for c in facts.claims]
    for start, end in spans:
        assert 0 <= start <= end <= len(text)
    ds = to_dataset([article], [facts], resolve([facts], kb), kb)
    conforms, report = validate_dataset(ds)
    assert conforms, report


# --- issue 20: random files never sink a build -------------------------------------------------------

import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from graph.pipeline import build  # noqa: E402
from graph.text import slug  # noqa: E402

GOOD = "Talks end in Ottawa\n\nMexican Foreign Minister Juana Ortiz met Canadian Trade Minister Paul Roy on Monday.\n"


def _name_ok(name: str) -> bool:
    raw = os.fsencode(name)
    return name not in (".", "..") and 0 < len(raw) <= 200 and b"/" not in raw and b"\0" not in raw


names = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),  # any Unicode
    st.binary(min_size=1, max_size=20).map(os.fsdecode),  # bytes that are no UTF-8 at all
    st.sampled_from(["GOOD", "good ", "Good", "😀", "🎉🎉", "b: colon", "a\nb", "-", "catalog"]),
).flatmap(lambda stem: st.sampled_from([f"{stem}.txt", f"{stem}.txt", stem, f"{stem}.csv"])).filter(_name_ok)
contents = st.one_of(
    st.binary(max_size=3000),
    texts.map(lambda t: t.encode("utf-8")),
    st.tuples(texts, st.sampled_from(["utf-16", "utf-16-le", "cp1252", "utf-32"])).map(
        lambda p: p[0].encode(p[1], "replace")),
)
catalogs = st.one_of(
    st.none(),
    st.binary(max_size=500),
    st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=6), max_size=5).map(
        lambda rows: "\n".join(",".join(r) for r in [["file", "title", "outlet", "authors", "published"], *rows]
                               ).encode("utf-8", "surrogatepass")),
)


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.dictionaries(names, contents, max_size=4), catalog=catalogs)
def test_random_files_and_names_never_sink_a_build(files, catalog, nlp, kb):
    """Random bytes under random names (and a random catalog) beside one good article: the build
    ends, every message is one line, and the good article is in the graph."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        (src / "good.txt").write_text(GOOD, encoding="utf-8")
        for name, content in files.items():
            if slug(Path(name).stem) != "good" or name == "good.txt":
                (src / name).write_bytes(content)  # good.txt itself may be overwritten: then another copy
        if "good.txt" in files:
            (src / "0good.txt").write_text(GOOD, encoding="utf-8")
        if catalog is not None:
            (src / "catalog.csv").write_bytes(catalog)
        messages: list[str] = []
        summary = build(src, out, nlp=nlp, kb=kb, draw=False, store=False, cache=False,
                        on_message=messages.append)
        assert all("\n" not in m and "\r" not in m for m in messages), messages
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert summary.articles == len(report["built"]) >= 1
        trig = (out / "graph.trig").read_text(encoding="utf-8")
        assert "Juana Ortiz" in trig and "Paul Roy" in trig
