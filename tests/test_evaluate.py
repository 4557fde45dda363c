"""The evaluator's meeting rules: one-to-one pairing, split nodes, unpaired output as false positives.

Small hand-made gold files are held against small hand-made graphs laid out as a build lays
them out (a named graph per article holding the meeting, its article and its participants;
people, status, type, date and place in the default graph), so every count below is known in
advance and none depends on the extraction, which others are changing. A real seeds build and
the development set (``../shared/dev``, when present) check the same rules on built graphs.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, XSD, Dataset, Literal, URIRef
from typer.testing import CliRunner

from graph.cli import app
from graph.evaluate import evaluate, format_scores, place_matches
from graph.sparql.queries import load_dataset
from graph.text import fold
from graph.vocab import DG, ID, SCHEMA

from .conftest import GOLD, ROOT

DEV = ROOT.parent / "shared" / "dev"
CATEGORIES = {"people", "titles", "person_country", "organizations", "countries", "meeting_participants",
              "figures", "quotes", "claims"}


def _graph(meetings: dict[str, dict]) -> Dataset:
    """A dataset with these meetings: key -> {told: {article: [names]}, date, place, status, type}."""
    ds = Dataset()
    for key, m in meetings.items():
        node = ID[f"meeting/{key}"]
        ds.add((node, RDF.type, DG.Meeting))
        ds.add((node, SCHEMA.name, Literal(m.get("label", key))))
        ds.add((node, DG.status, Literal(m.get("status", "held"))))
        ds.add((node, DG.meetingType, Literal(m.get("type", "meeting"))))
        if m.get("date"):
            ds.add((node, SCHEMA.startDate, Literal(m["date"], datatype=XSD.date)))
        if m.get("place"):
            place = ID[f"place/{fold(m['place']).replace(' ', '-')}"]
            ds.add((node, SCHEMA.location, place))
            ds.add((place, SCHEMA.name, Literal(m["place"])))
        for article, names in m["told"].items():
            art = ID[f"article/{article}"]
            g = ds.graph(art)
            g.add((art, RDF.type, DG.Article))
            g.add((art, DG.articleId, Literal(article)))
            g.add((node, RDF.type, DG.Meeting))
            g.add((node, DG.inArticle, art))
            for name in names:
                person = ID[f"person/{fold(name).replace(' ', '-')}"]
                ds.add((person, RDF.type, DG.Person))
                ds.add((person, SCHEMA.name, Literal(name)))
                g.add((node, DG.participant, person))
    return ds


def _gold(tmp_path: Path, meetings: list[dict], articles=("a1", "a2"), people=()) -> Path:
    path = tmp_path / "gold.yaml"
    path.write_text(yaml.safe_dump({"catalog": {a: {"outlet": "x", "authors": []} for a in articles},
                                    "people": list(people), "meetings": meetings}), encoding="utf-8")
    return path


def _iri(key: str) -> str:
    return str(ID[f"meeting/{key}"])


HLSD = {"id": "hlsd", "label": "High-level dialogue", "date": "2023-10-05", "place": "Mexico City",
        "articles": ["a1"], "participants": ["Antony Blinken", "Alicia Bárcena"], "status": "held", "type": "visit"}


def test_two_output_meetings_compete_for_one_gold_meeting_the_date_decides_before_the_place(tmp_path):
    """Same people in both: the one with the gold date wins, though the other has the gold place;
    the loser repeats the winner's people in the gold meeting's article, so it is a split node and
    scores nothing (the old scoring had no split nodes: this fails on it with a KeyError)."""
    ds = _graph({
        "placed": {"told": {"a1": ["Antony Blinken", "Alicia Bárcena"]}, "date": "2023-10-04", "place": "Mexico City"},
        "dated": {"told": {"a1": ["Blinken", "Alicia Bárcena"]}, "date": "2023-10-05", "type": "host"},
    })
    result = evaluate(ds, _gold(tmp_path, [HLSD]))
    m, s = result["meetings"], result["scores"]["meeting_participants"]
    assert m["pairs"] == {"hlsd": _iri("dated")}
    assert (m["found"], m["gold"]) == (1, 1)
    assert (m["dates_right"], m["dates_given"]) == (1, 1)
    assert (m["places_right"], m["places_given"]) == (0, 1)
    assert (m["type_right"], m["type_given"]) == (1, 1)  # host compares as visit
    assert (m["status_right"], m["status_given"]) == (1, 1)
    assert (m["output"], m["unpaired_output"], m["split_nodes"]) == (2, 1, 1)
    assert m["split"] == [_iri("placed")]
    assert (s["tp"], s["fp"], s["fn"]) == (2, 0, 0)
    text = format_scores(result)
    assert "places right 0/1" in text and "split meeting nodes: 1" in text
    assert "status right 1/1, type right 1/1" in text


def test_participants_decide_before_the_date(tmp_path):
    """More gold participants outrank the right date and place; the other node names only a gold
    participant of the paired meeting in its article, so it is a split node too."""
    ds = _graph({
        "both": {"told": {"a1": ["Antony Blinken", "Alicia Bárcena"]}},
        "one": {"told": {"a1": ["Antony Blinken"]}, "date": "2023-10-05", "place": "Mexico City"},
    })
    m = evaluate(ds, _gold(tmp_path, [HLSD]))["meetings"]
    assert m["pairs"] == {"hlsd": _iri("both")}
    assert (m["dates_right"], m["places_right"]) == (0, 0)
    assert m["split_nodes"] == 1


def test_one_output_meeting_cannot_answer_for_two_gold_meetings(tmp_path):
    """Two gold meetings in one article, one output node: it pairs with the one it matches best
    (three participants against two; the gold alias "Michael R. Pompeo" counts as Mike Pompeo),
    and the other is missed. The old scoring paired it with both (found 2/2) and, blind to the
    aliases, scored tp 3, fp 3, fn 2."""
    people = [{"name": "Mike Pompeo", "mentions": {"a1": {"aliases": ["Michael R. Pompeo"], "titles": []}}}]
    gold = _gold(tmp_path, [
        {"id": "talks", "date": None, "place": None, "articles": ["a1"],
         "participants": ["Mike Pompeo", "Marcelo Ebrard"]},
        {"id": "white-house", "date": None, "place": None, "articles": ["a1"],
         "participants": ["Marcelo Ebrard", "Mike Pence", "Mike Pompeo"]},
    ], people=people)
    ds = _graph({"m": {"told": {"a1": ["Michael R. Pompeo", "Mike Pence", "Marcelo Ebrard"]}}})
    result = evaluate(ds, gold)
    m, s = result["meetings"], result["scores"]["meeting_participants"]
    assert m["pairs"] == {"talks": None, "white-house": _iri("m")}
    assert (m["found"], m["gold"]) == (1, 2)
    assert (s["tp"], s["fp"], s["fn"]) == (3, 0, 2)
    assert "missed meeting talks" in result["notes"]["meeting_participants"]


def test_unpaired_output_meetings_count_their_participants_as_false_positives(tmp_path):
    """An unpaired node with people the gold meeting lacks, and one told in another gold article,
    count every participant against precision; a node in an article outside the gold file is
    not held against it."""
    ds = _graph({
        "right": {"told": {"a1": ["Antony Blinken", "Alicia Bárcena"]}, "date": "2023-10-05"},
        "other-people": {"told": {"a1": ["Marcelo Ebrard", "Kamala Harris"]}, "date": "2023-06-01"},
        "other-article": {"told": {"a2": ["Antony Blinken"]}},
        "outside": {"told": {"a9": ["Joe Biden", "Justin Trudeau"]}},
    })
    result = evaluate(ds, _gold(tmp_path, [HLSD]))
    m, s = result["meetings"], result["scores"]["meeting_participants"]
    assert m["pairs"] == {"hlsd": _iri("right")}
    assert (m["output"], m["unpaired_output"], m["split_nodes"]) == (3, 2, 0)
    assert (s["tp"], s["fp"], s["fn"]) == (2, 3, 0)
    assert s["precision"] == pytest.approx(0.4)
    notes = result["notes"]["meeting_participants"]
    assert "unpaired meeting 'other-people': extra participant 'Kamala Harris'" in notes


def test_a_node_repeating_people_across_another_article_is_not_a_split(tmp_path):
    """A split node stays within the paired gold meeting's articles: the same people told also in
    a second article make a node that counts against precision."""
    ds = _graph({
        "right": {"told": {"a1": ["Antony Blinken", "Alicia Bárcena"]}, "date": "2023-10-05"},
        "spread": {"told": {"a1": ["Antony Blinken"], "a2": ["Antony Blinken"]}},
    })
    result = evaluate(ds, _gold(tmp_path, [HLSD]))
    assert result["meetings"]["split_nodes"] == 0
    assert result["scores"]["meeting_participants"]["fp"] == 1


def test_a_pair_needs_something_in_common_beyond_the_article(tmp_path):
    """An output node agreeing on no participant, date or place is no finding of the gold meeting;
    a gold meeting naming nobody pairs with a node naming nobody in its article."""
    gold = _gold(tmp_path, [HLSD, {"id": "call", "date": None, "place": None, "articles": ["a2"],
                                   "participants": [], "status": "held", "type": "phone_call"}])
    ds = _graph({
        "unrelated": {"told": {"a1": ["Marcelo Ebrard"]}, "date": "2023-06-01", "place": "Washington"},
        "nameless": {"told": {"a2": []}, "type": "phone_call"},
    })
    m = evaluate(ds, gold)["meetings"]
    assert m["pairs"] == {"hlsd": None, "call": _iri("nameless")}
    assert (m["type_right"], m["type_given"]) == (1, 1)


def test_place_rule():
    assert place_matches("Brooklyn", "Brooklyn, New York")
    assert place_matches("Washington", "White House and State Department, Washington")
    assert place_matches("Washington, D.C.", "Washington")
    assert place_matches("Ciudad de México", "ciudad de mexico")
    assert not place_matches("Mexico", "Mexico City")
    assert not place_matches("Mexico City", "Mexico")
    assert not place_matches("", "Washington") and not place_matches("Washington", None)


def _copy_meeting(ds: Dataset, iri: str, new: str, drop: set[str] = frozenset(), add: dict | None = None) -> None:
    """Copy a built meeting node under a new IRI, without the participants named in ``drop`` and with
    ``add`` (article graph IRI -> person IRI) added."""
    src, dst = URIRef(iri), URIRef(new)
    names = {s: str(o) for s, _, o, _ in ds.quads((None, SCHEMA.name, None, None))}
    for _, p, o, g in list(ds.quads((src, None, None, None))):
        if p == DG.participant and names.get(o) in drop:
            continue
        ds.graph(g).add((dst, p, o))  # g is the default graph's identifier or an article's
    for graph_iri, person in (add or {}).items():
        ds.graph(URIRef(graph_iri)).add((dst, DG.participant, URIRef(person)))


def test_on_the_seeds_build_a_copied_meeting_is_a_split_and_a_wrong_copy_counts_against_precision(seeds_build):
    """On a real build: a copy of the Blinken–Ebrard call naming only Blinken is a split node and
    leaves every score as it was; a copy naming Blinken and Todd Robinson (not at the call) counts
    both against precision."""
    trig = seeds_build[1] / "graph.trig"
    before = evaluate(load_dataset(trig), GOLD)
    call = before["meetings"]["pairs"]["blinken-ebrard-call-2023-03"]
    assert call is not None

    ds = load_dataset(trig)
    _copy_meeting(ds, call, call + "-split", drop={"Marcelo Ebrard"})
    after = evaluate(ds, GOLD)
    assert after["meetings"]["split_nodes"] == before["meetings"]["split_nodes"] + 1
    assert call + "-split" in after["meetings"]["split"]
    assert after["meetings"]["pairs"] == before["meetings"]["pairs"]
    assert after["scores"] == before["scores"]

    ds = load_dataset(trig)
    article_graph = next(str(g) for _, _, _, g in ds.quads((URIRef(call), DG.inArticle, None, None)) if g is not None)
    robinson = next(str(s) for s, _, o, _ in ds.quads((None, SCHEMA.name, None, None)) if str(o) == "Todd Robinson")
    _copy_meeting(ds, call, call + "-wrong", drop={"Marcelo Ebrard"}, add={article_graph: robinson})
    after = evaluate(ds, GOLD)
    b, a = before["scores"]["meeting_participants"], after["scores"]["meeting_participants"]
    assert after["meetings"]["split_nodes"] == before["meetings"]["split_nodes"]
    assert (a["tp"], a["fp"], a["fn"]) == (b["tp"], b["fp"] + 2, b["fn"])


runner = CliRunner()


def test_cli_scores_each_gold_file_against_its_own_graph(tmp_path, seeds_build):
    """Two gold files, two graphs, paired in order: one table each, headed by the gold file's name."""
    small = tmp_path / "small.trig"
    _graph({"dated": {"told": {"a1": ["Antony Blinken", "Alicia Bárcena"]}, "date": "2023-10-05"},
            "copy": {"told": {"a1": ["Antony Blinken"]}}}).serialize(small, format="trig")
    small_gold = _gold(tmp_path, [HLSD])
    seeds_trig = str(seeds_build[1] / "graph.trig")
    r = runner.invoke(app, ["evaluate", str(small_gold), str(GOLD), "--graph", str(small), "--graph", seeds_trig])
    assert r.exit_code == 0, r.output
    first, second = r.output.split("\n\n== ")
    assert first.startswith(f"== gold.yaml ({small_gold} against {small})")
    assert "meetings: 1/1 found" in first and "split meeting nodes: 1" in first
    assert second.startswith(f"seeds_gold.yaml ({GOLD} against {seeds_trig})")
    assert "meetings: 5/5 found, dates right 5/5" in second

    r = runner.invoke(app, ["evaluate", str(small_gold), str(GOLD), "--graph", str(small), "--json"])
    assert r.exit_code == 0, r.output
    results = json.loads(r.output)
    assert [x["gold"] for x in results] == [str(small_gold), str(GOLD)]
    assert all(x["graph"] == str(small) for x in results)
    assert results[0]["meetings"]["split_nodes"] == 1 and results[1]["meetings"]["found"] == 0

    r = runner.invoke(app, ["evaluate", str(small_gold), str(GOLD), "-g", str(small), "-g", str(small), "-g", str(small)])
    assert r.exit_code == 2 and "2 gold files and 3 graphs" in r.output


def test_cli_help_example_names_a_gold_file_that_exists():
    r = runner.invoke(app, ["evaluate", "--help"])
    assert r.exit_code == 0
    line = next(ln for ln in r.output.splitlines() if "Example: dialogue-graph evaluate" in ln)
    gold = line.split("Example: dialogue-graph evaluate", 1)[1].split()[0]
    assert (ROOT / gold).is_file(), gold


def test_dev_set_is_scored_in_every_category(dev_result):
    """No thresholds: the extraction is changing; the evaluator must score all of it."""
    assert set(dev_result["scores"]) == CATEGORIES
    for cat, s in dev_result["scores"].items():
        assert all(0.0 <= s[k] <= 1.0 for k in ("precision", "recall", "f1")), cat
        assert s["tp"] + s["fn"] > 0, f"{cat}: the dev gold has items in every category"
    m = dev_result["meetings"]
    gold = yaml.safe_load((DEV / "gold.yaml").read_text(encoding="utf-8"))
    assert m["gold"] == len(gold["meetings"]) and 0 <= m["found"] <= m["gold"]
    assert m["status_given"] == m["type_given"] == m["found"]  # every dev gold meeting has both
    assert len({iri for iri in m["pairs"].values() if iri}) == m["found"]  # one-to-one
    assert m["unpaired_output"] == m["output"] - m["found"]
    assert dev_result["contradictions"]["gold"] > 0
