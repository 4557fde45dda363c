"""The shape the code promises: stages that read only what earlier stages wrote, a query
layer that does not pull in extraction, records that cannot be edited, a library that reports
progress instead of drawing it."""
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def test_every_stage_reads_only_what_an_earlier_stage_wrote():
    from graph.pipeline import STAGES

    written: set[str] = set()
    for stage in STAGES:
        assert set(stage.reads) <= written, f"{stage.name} reads {set(stage.reads) - written} before it exists"
        assert not ((stage.beside or stage.apart) and any(not name.count(".") and name != "store"
                                                          for name in stage.writes)), \
            f"{stage.name} may run in another process but writes values (that process cannot hand values back)"
        written |= set(stage.writes)


def test_the_query_layer_imports_neither_extraction_nor_emission():
    code = ("import sys, graph.sparql.store, graph.sparql.queries; "
            "bad = sorted(m for m in sys.modules if m.startswith(('graph.find', 'graph.read', 'graph.rdf', "
            "'graph.resolve', 'graph.pipeline', 'spacy'))); print(' '.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_records_are_frozen(read_text):
    facts = read_text("Talks\n\nMexican Foreign Minister Alicia Bárcena met Antony Blinken on Monday.\n")
    person = facts.people[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.country = "US"
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.mentions = None
    assert isinstance(facts.people, tuple) and isinstance(facts.meetings, tuple)


def test_build_reports_progress_and_prints_nothing(tmp_path, nlp, kb, capsys):
    from graph.pipeline import STAGES, build

    events = []
    build(SEEDS, tmp_path / "out", nlp=nlp, kb=kb, on_progress=lambda *e: events.append(e))
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    extract = [e for e in events if e[0] == "extract" and e[2] is not None]
    assert [e[1] for e in extract] == list(range(1, 6)) and {e[2] for e in extract} == {5}
    assert [s.name for s in STAGES if (s.name, 0, None) in events] == [s.name for s in STAGES]


def test_a_knowledge_file_alone_reads_with_every_project_cue_list(tmp_path):
    """The finders ask the knowledge for their cue lists; a knowledge.yaml kept in a folder without
    a cues.yaml (or with one that leaves lists out) gets the project's lists under its own."""
    import shutil

    from graph.knowledge import ONTOLOGY_DIR, _load

    shutil.copy(ONTOLOGY_DIR / "knowledge.yaml", tmp_path / "knowledge.yaml")
    (tmp_path / "cues.yaml").write_text("speech_verbs:\n  covers: only one verb here\n  words: [said]\n")
    kb, project = _load(tmp_path / "knowledge.yaml"), _load(ONTOLOGY_DIR / "knowledge.yaml")
    assert set(kb.cues) == set(project.cues)
    assert kb.cue("speech_verbs") == {"said"} and kb.cue("meeting_verbs") == project.cue("meeting_verbs")
