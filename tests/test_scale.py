"""Beyond one process: worker processes and a Dask cluster give the same bytes as one process;
the benchmark's corpus generator is deterministic and varied."""
import pytest

from graph.bench import scale_corpus
from graph.pipeline import build

from .conftest import SEEDS

OUTPUTS = ("graph.trig", "graph.ttl", "graph.jsonld", "graph.html")


@pytest.fixture(scope="module")
def single(tmp_path_factory, nlp, kb):
    out = tmp_path_factory.mktemp("single")
    build(SEEDS, out, nlp=nlp, kb=kb, cache=False, jsonld=True)
    return out


def test_two_worker_processes_give_identical_output(single, tmp_path):
    build(SEEDS, tmp_path, workers=2, cache=False, jsonld=True)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (single / name).read_bytes(), name


def test_dask_local_cluster_gives_identical_output(single, tmp_path):
    pytest.importorskip("dask.distributed")
    build(SEEDS, tmp_path, executor="dask", workers=2, cache=False, jsonld=True)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (single / name).read_bytes(), name


def test_scale_corpus_is_deterministic_and_varied(tmp_path):
    a = scale_corpus(SEEDS, 12, tmp_path / "a")
    b = scale_corpus(SEEDS, 12, tmp_path / "b")
    texts_a = [p.read_text() for p in sorted(a.glob("*.txt"))]
    assert texts_a == [p.read_text() for p in sorted(b.glob("*.txt"))]
    assert len(set(texts_a)) == 12
    assert (a / "catalog.csv").read_text() == (b / "catalog.csv").read_text()



@pytest.fixture(scope="module")
def own_knowledge(tmp_path_factory, nlp, single):
    """A curated knowledge without "secretary" as a title, and a one-process build with it."""
    import yaml

    from graph.knowledge import ONTOLOGY_DIR, load_knowledge

    data = yaml.safe_load((ONTOLOGY_DIR / "knowledge.yaml").read_text(encoding="utf-8"))
    data["title_heads"] = [t for t in data["title_heads"] if t != "secretary"]
    path = tmp_path_factory.mktemp("kb") / "knowledge.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    kb = load_knowledge(str(path))
    out = tmp_path_factory.mktemp("own")
    build(SEEDS, out, kb=kb, cache=False, draw=False, store=False)
    trig = (out / "graph.trig").read_bytes()
    assert trig != (single / "graph.trig").read_bytes()  # the knowledge changes what is read
    return kb, trig


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_workers_read_with_the_knowledge_the_build_was_given(own_knowledge, executor, tmp_path):
    """Worker processes, forked or on a Dask cluster, read articles with the build's own curated
    knowledge, not the project's file."""
    if executor == "dask":
        pytest.importorskip("dask.distributed")
    kb, trig = own_knowledge
    build(SEEDS, tmp_path, kb=kb, workers=2, executor=executor, cache=False, draw=False, store=False)
    assert (tmp_path / "graph.trig").read_bytes() == trig


def test_cached_extractions_are_not_reused_with_other_knowledge(own_knowledge, nlp, tmp_path):
    """An output folder's cache filled with the project's knowledge gives nothing to a build with
    its own: every article is read again, as a clean build with that knowledge reads it."""
    kb, trig = own_knowledge
    build(SEEDS, tmp_path, nlp=nlp, draw=False, store=False)
    again = build(SEEDS, tmp_path, kb=kb, draw=False, store=False)
    assert again.cached == 0
    assert (tmp_path / "graph.trig").read_bytes() == trig
    assert build(SEEDS, tmp_path, kb=kb, draw=False, store=False).cached == again.articles


def test_scale_corpus_reuses_a_pool_of_people_across_events(tmp_path):
    """News-like: every PER_EVENT articles tell one event (one publication day), and the people
    recast from the pool recur across events, so people grow slower than articles."""
    import csv

    from graph.bench import _POOL, PER_EVENT

    corpus = scale_corpus(SEEDS, 6 * PER_EVENT, tmp_path / "c")
    rows = list(csv.DictReader((corpus / "catalog.csv").open(encoding="utf-8")))
    days = [r["published"] for r in rows]
    assert all(len(set(days[e * PER_EVENT:(e + 1) * PER_EVENT])) == 1 for e in range(6))
    assert len(set(days)) == 6
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("a*.txt"))]
    events_naming = {f"{f} {l}": {i // PER_EVENT for i, t in enumerate(texts) if f"{f} {l}" in t} for f, l in _POOL}
    assert max(len(e) for e in events_naming.values()) >= 2  # someone of the pool in two events or more


def test_bench_asks_every_saved_query_with_and_without_its_parameters(single):
    """The bench's questions and listings: each saved query with each documented example and
    without any, the first 50 rows and the whole answer (rows counted, times only reported)."""
    from graph.bench import _child_questions
    from graph.sparql.queries import load_query, query_examples, run_saved, saved_queries

    got = _child_questions(single)
    assert set(got["listing_ms"]) == set(saved_queries())
    for name in saved_queries():
        assert got["listing_ms"][name]["rows"] == len(run_saved(name, single / "graph.trig")[1])
        # source: the build's listings answered (every listing has its table), or the engine
        assert set(got["listing_ms"][name]) == {"limit50", "all", "rows", "source"}
        assert got["listing_ms"][name]["source"] == "table"
        for param, value in query_examples(load_query(name)).items():
            entry = got["questions_ms"][name][f"{param}={value}"]
            assert entry["rows"] == len(run_saved(name, single / "graph.trig", params={param: value})[1])
            assert entry["source"] in ("table", "engine")


def test_bench_runs_at_a_small_size_and_writes_every_key(tmp_path):
    """The whole bench at 5 articles: the JSON keeps its keys and has the issue-21 ones (no
    figure judged: the machine's speed is reported, not asserted)."""
    import json

    from graph.bench import main

    out = tmp_path / "bench.json"
    assert main(["--sizes", "5", "--repeat", "1", "--no-rdflib", "--work", str(tmp_path / "w"), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    for key in ("ratio", "ratio_cpu", "workers2_speedup", "incremental", "queries_ms", "page_load_s",
                "raw_spacy_workers2_speedup", "questions_ms", "listing_ms"):
        assert key in result, key
    assert result["peak_rss_ratio_5000_500"] is None
    assert {"people", "meetings", "claims"} <= set(result["sizes"]["5"])
    assert {"cpus", "load_start", "load_end", "spacy", "pyoxigraph"} <= set(result["machine"])
    # each target with its figure; those only 5,000 articles can judge are not judged at 5
    judged = {t["id"]: t["met"] for t in result["targets"]}
    assert judged["memory"] is None and judged["per_article"] is None and judged["questions"] is None
    assert isinstance(judged["build"], bool) and isinstance(judged["workers2"], bool)


def test_bench_markdown_renders_the_readme_tables(tmp_path, capsys):
    """``--markdown`` turns a bench JSON into the README's tables (sizes, targets, questions,
    listings), and refuses a file that is not one in one line."""
    import json

    from graph.bench import main

    result = {"machine": {"cpu": "Test CPU", "cpus": 2, "load_start": [1.0], "load_end": [2.0]},
              "sizes": {"500": {"seconds": 50.0, "cpu_seconds": 49.0, "per_article_s": 0.1, "tokens": 1000,
                                "raw_spacy_tokens_per_s": 25.0, "pipeline_tokens_per_s": 20.0, "ratio_cpu": 0.8,
                                "peak_rss_mb": 330.0, "people": 363, "meetings": 540, "claims": 3363}},
              "ratio": 0.8, "ratio_cpu": 0.8, "ratio_measured_at": 500, "peak_rss_ratio_5000_500": None,
              "questions_at": 5000,
              # 17,000 rows in 100 ms + 850 ms meets; one millisecond more does not
              "questions_ms": {"people": {"country=Mexico": {"limit50": 100.0, "all": 950.0, "rows": 17000},
                                          "name=X": {"limit50": 20.0, "all": 951.0, "rows": 17000}}},
              "listing_ms": {"people": {"limit50": 301.0, "all": 400.0, "rows": 60}}}
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(result))
    assert main(["--markdown", str(path)]) == 0
    out = capsys.readouterr().out
    assert "| 500 | 50.0 s | 49.0 s | 100 ms | 40.0 s | 0.80 (0.80) | 330 MB | 363 | 540 | 3,363 |" in out
    assert "| `people` | `country=Mexico` | 17,000 | 100 ms | 950 ms | 17,895 | yes |" in out
    assert "| `people` | `name=X` | 17,000 | 20 ms | 951 ms | 17,876 | no |" in out
    assert "| `people` | (nothing: the listing) | 60 | 301 ms | 400 ms | 150 | no |" in out
    assert "1 of 2 meet; not: people name=X" in out and "Test CPU, 2 cores" in out
    (tmp_path / "bad.json").write_text("[1, 2]")
    assert main(["--markdown", str(tmp_path / "bad.json")]) == 2
    assert "not a bench JSON" in capsys.readouterr().err


def test_the_long_article_is_the_split_articles_joined(tmp_path):
    """The bench's long-article measurement at a small size: one article made of the same
    stories as the split corpus, no line told twice (reading would blank it), both built."""
    from graph.bench import long_article
    from graph.text import fold

    r = long_article(SEEDS, tmp_path, chars=12_000)
    one = (tmp_path / "corpus-long-one" / "long.txt").read_text(encoding="utf-8")
    lines = [fold(line) for line in one.split("\n")[1:] if line.strip()]
    assert len(lines) == len(set(lines))
    stories = [p.read_text(encoding="utf-8").split("\n", 2)[2].removesuffix("\n")  # title, blank line, story
               for p in sorted((tmp_path / "corpus-long-split").glob("*.txt"))]
    assert "\n\n".join(stories) in one
    assert r["chars"] == len(one) >= 12_000
    assert r["one"]["articles"] == 1 and r["split"]["articles"] == r["parts"] == len(stories) > 1


def test_a_long_text_is_parsed_in_pieces_into_one_doc_of_the_same_text(nlp):
    """Over LONG_TEXT characters a text is parsed in paragraph-cut pieces (memory follows the
    pieces: 1.3 GB → 0.44 GB for 400,000 characters, README Speed) joined into one Doc: the same
    text, every paragraph its own sentence, names at their offsets, in the stream's order."""
    from graph.read.nlp import LONG_TEXT, PIECE, _pieces, parse

    cities = ["Monterrey", "Tijuana", "Chicago", "Houston", "Ottawa", "Toronto", "Phoenix", "Denver"]
    paras = [f"Officials from {cities[i % 8]} met on day {i} of the talks in {cities[(i + 3) % 8]}, and the "
             f"delegation number {i} said the work on border crossings would go on for {i % 9 + 2} more weeks."
             for i in range(LONG_TEXT // 150)]
    text = "Border talks\n\n" + "\n\n".join(paras) + "\n"
    assert len(text) > LONG_TEXT and "".join(_pieces(text)) == text
    assert len(_pieces(text)) >= len(text) // PIECE
    short, long_doc, after = parse(nlp, ["Ana Ruiz met Tom Berg.", text, "The end."])
    assert (short.text, long_doc.text, after.text) == ("Ana Ruiz met Tom Berg.", text, "The end.")
    sentences = [s.text.strip() for s in long_doc.sents if s.text.strip()]
    assert sentences == ["Border talks", *paras]
    places = [e for e in long_doc.ents if e.label_ == "GPE"]
    assert len(places) >= len(paras) and all(text[e.start_char:e.end_char] == e.text for e in places)
    assert places[-1].text == cities[(len(paras) - 1 + 3) % 8]
