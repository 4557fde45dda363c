"""Incremental builds: cached extraction by content, output equal to a clean build."""
import shutil

from graph.pipeline import build

from .conftest import SEEDS


def test_adding_one_article_extracts_only_that_one_and_equals_a_clean_build(tmp_path, nlp, kb):
    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for p in seeds[:4]:
        shutil.copy(p, src / p.name)
    shutil.copy(SEEDS / "catalog.csv", src / "catalog.csv")
    inc = tmp_path / "inc"
    first = build(src, inc, nlp=nlp, kb=kb, draw=False)
    assert first.cached == 0
    shutil.copy(seeds[4], src / seeds[4].name)
    second = build(src, inc, nlp=nlp, kb=kb, draw=False)
    assert (second.articles, second.cached) == (5, 4)
    clean = build(src, tmp_path / "clean", nlp=nlp, kb=kb, draw=False, cache=False)
    assert clean.cached == 0
    for name in ("graph.trig", "graph.ttl"):
        assert (inc / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()


def test_a_changed_catalog_row_is_re_extracted(tmp_path, nlp, kb):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Talks end\n\nMexican Foreign Minister Juana Ortiz met U.S. officials on Monday.\n")
    build(src, tmp_path / "out", nlp=nlp, kb=kb, draw=False)
    (src / "catalog.csv").write_text("file,title,outlet,authors,published\na.txt,Talks end,AP,,2024-06-14\n")
    again = build(src, tmp_path / "out", nlp=nlp, kb=kb, draw=False)
    assert again.cached == 0  # the publication date changes what "on Monday" means


# --- issue 20: a cache keyed by article id and content, stored as data ---------------------------

import gzip  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pickle  # noqa: E402

import pytest  # noqa: E402

GOOD = "Talks end in Ottawa\n\nMexican Foreign Minister Juana Ortiz met Canadian Trade Minister Paul Roy on Monday.\n"
OTHER = "Talks end in Lima\n\nU.S. Secretary of State Ann Blake met Peruvian Minister Rosa Vega on Friday.\n"


def _folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD)
    (src / "c.txt").write_text(OTHER)
    return src


def _build(src, out, nlp, kb, **kw):
    messages: list[str] = []
    summary = build(src, out, nlp=nlp, kb=kb, draw=False, store=False, on_message=messages.append, **kw)
    return summary, messages


def _same_as_clean(src, out, tmp_path, nlp, kb) -> None:
    build(src, tmp_path / "clean", nlp=nlp, kb=kb, draw=False, store=False, cache=False)
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()


def test_renaming_an_article_then_rebuilding(tmp_path, nlp, kb):
    src, out = _folder(tmp_path), tmp_path / "out"
    _build(src, out, nlp, kb)
    (src / "a.txt").rename(src / "b.txt")
    summary, _ = _build(src, out, nlp, kb)
    assert (summary.articles, summary.cached) == (2, 1)  # c from the cache, b read again
    _same_as_clean(src, out, tmp_path, nlp, kb)
    (src / "b.txt").rename(src / "a.txt")  # and back: its first entry serves again
    assert _build(src, out, nlp, kb)[0].cached == 2


def test_cache_entries_are_data_and_a_planted_pickle_never_runs(tmp_path, nlp, kb):
    src, out = _folder(tmp_path), tmp_path / "out"
    _build(src, out, nlp, kb)
    entries = sorted(p for p in (out / ".cache").iterdir())
    assert entries and all(p.name.endswith(".json.gz") for p in entries)
    header, facts = _entry(entries[0].read_bytes())
    assert header["format"] == 1 and header["article"] in ("a", "c") and facts[0] == header["article"]
    ran = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(ran), "w"))

    for p in entries:  # every entry replaced by a pickle that makes a file when loaded
        p.write_bytes(pickle.dumps(Payload()))
        p.with_suffix("").with_suffix(".pkl").write_bytes(pickle.dumps(Payload()))
    summary, messages = _build(src, out, nlp, kb)
    assert not ran.exists()
    assert summary.cached == 0 and len([m for m in messages if "cache entry" in m]) == 2
    _same_as_clean(src, out, tmp_path, nlp, kb)


def _entry(raw: bytes) -> tuple[dict, list]:
    head, _, body = gzip.decompress(raw).partition(b"\n")
    return json.loads(head), json.loads(body)


def _rewrite(header: dict, facts, rehash: bool = True) -> bytes:
    """An entry as someone who edits it would write it: the hash made again to match."""
    body = json.dumps(facts).encode()
    if rehash:
        header = {**header, "sha256": hashlib.sha256(body).hexdigest()}
    return gzip.compress(json.dumps(header).encode() + b"\n" + body)


def _set(path, value):
    def edit(h, f):
        target = f
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return h, f
    return edit


PERSON = (2, 0, 0)  # facts → mentions → people → the first person
TAMPER = {
    "a name": _set((*PERSON, 0), "I HAVE BEEN TAMPERED WITH"),
    "the article id": lambda h, f: ({**h, "article": "zzz"}, f),
    "the facts' id": _set((0,), "zzz"),
    "an offset": _set((*PERSON, 1, 0), 10**6),
    "a type": _set((*PERSON, 1, 0), "0"),
    "the shape": lambda h, f: (h, f[:2]),
    "the format": lambda h, f: ({**h, "format": 0}, f),
}


@pytest.mark.parametrize("what", [*TAMPER, "one bit", "the JSON", "the gzip stream"])
def test_a_damaged_or_edited_entry_is_read_again_with_a_warning(tmp_path, nlp, kb, what):
    src, out = _folder(tmp_path), tmp_path / "out"
    _build(src, out, nlp, kb)
    for p in (out / ".cache").iterdir():
        raw = p.read_bytes()
        if what == "one bit":  # in the facts, the gzip stream made again (its own check passes)
            data = bytearray(gzip.decompress(raw))
            data[-len(data) // 3] ^= 0x08
            p.write_bytes(gzip.compress(bytes(data)))
        elif what == "the JSON":
            p.write_bytes(gzip.compress(gzip.decompress(raw)[:-3]))
        elif what == "the gzip stream":
            p.write_bytes(raw[:-9] + bytes([raw[-9] ^ 1]) + raw[-8:])
        else:
            p.write_bytes(_rewrite(*TAMPER[what](*_entry(raw))))
    summary, messages = _build(src, out, nlp, kb)
    assert summary.cached == 0
    warned = [m for m in messages if "cache entry" in m]
    assert len(warned) == 2 and all(m.endswith("; extracted again") and "\n" not in m for m in warned)
    assert "TAMPERED" not in (out / "graph.trig").read_text()
    _same_as_clean(src, out, tmp_path, nlp, kb)
    assert _build(src, out, nlp, kb)[0].cached == 2  # the entries were written again


def test_a_cache_that_is_a_file_or_an_entry_that_is_a_folder_is_a_warning(tmp_path, nlp, kb):
    src, out = _folder(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / ".cache").write_text("not a folder")
    summary, messages = _build(src, out, nlp, kb)
    assert summary.articles == 2
    assert [m for m in messages if ".cache" in m] == [f"warning: {out / '.cache'} is not a folder: nothing read "
                                                     "from or written to the cache this time"]
    (out / ".cache").unlink()
    _build(src, out, nlp, kb)
    first, second = sorted((out / ".cache").iterdir())
    first.unlink()
    first.mkdir()
    second.unlink()
    os.mkfifo(second)  # a FIFO is never opened: it would wait for a writer forever
    summary, messages = _build(src, out, nlp, kb)
    assert summary.articles == 2 and summary.cached == 0
    assert any("cannot be read" in m for m in messages) and any("cannot write" in m for m in messages)
    _same_as_clean(src, out, tmp_path, nlp, kb)


def test_every_fact_survives_its_round_trip_through_json(nlp, kb):
    """What the cache writes is what it reads: the seeds' facts, and a figure too large for a float."""
    from dataclasses import replace

    from graph.model import facts_from_data, facts_to_data
    from graph.pipeline import extract_articles
    from graph.read.ingest import read_articles

    articles = list(read_articles(SEEDS))
    facts, _ = extract_articles(articles, nlp, kb)
    assert sum(len(f.people) + len(f.meetings) + len(f.figures) for f in facts) > 50
    for f in facts:
        assert facts_from_data(json.loads(json.dumps(facts_to_data(f)))) == f
    some = next(f for f in facts if f.figures)
    huge = replace(some, dialogue=replace(some.dialogue, figures=(
        replace(some.figures[0], value=float("inf"), low=3, high=3.0),)))
    back = facts_from_data(json.loads(json.dumps(facts_to_data(huge))))
    assert back == huge and type(back.figures[0].low) is int and type(back.figures[0].high) is float
