"""The positions a build emits, as the saved query `positions` and the shapes see them."""
from graph.pipeline import build
from graph.sparql.queries import load_dataset, run_saved
from graph.validate import validate_dataset


def _build(tmp_path, nlp, kb, files: dict[str, str], catalog: str | None = None):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    if catalog:
        (src / "catalog.csv").write_text(catalog, encoding="utf-8")
    build(src, out, nlp=nlp, kb=kb, draw=False)
    return out / "graph.trig"


def test_an_official_unknown_to_the_knowledge_has_the_side_of_the_post_named_beside_him(tmp_path, nlp, kb):
    """End to end through the saved query: his side comes only from "the commander of U.S. Southern
    Command", and `positions` shows it, with the Mexican official who holds the opposite."""
    trig = _build(tmp_path, nlp, kb, {
        "a.txt": "Ports\n\nAdm. Tomas Berg, the commander of U.S. Southern Command, told senators that the gangs "
                 "control the ports of Manzanillo.\n",
        "b.txt": "Reply\n\nMexican Navy Secretary Laura Vidal denied that the gangs control the ports of "
                 "Manzanillo.\n"})
    cols, rows = run_saved("positions", trig)
    table = [dict(zip(cols, r)) for r in rows]
    berg = [r for r in table if r["actor"] == "Tomas Berg"]
    assert berg and {r["side"] for r in berg} == {"United States"}
    assert {r["opposed_by"] for r in berg} == {"Laura Vidal"}


def test_an_author_the_text_also_names_is_a_journalist(tmp_path, nlp, kb):
    """An analyst quoted in their own piece is a person of the text and its author: the graph
    says both, and conforms to the shapes (an author must be a dg:Journalist)."""
    trig = _build(tmp_path, nlp, kb, {
        "a.txt": "What the talks changed\n\nThe two governments met in Washington on Thursday. \"Little has "
                 "changed,\" said Nora Quill, a fellow at the Border Institute who has followed the talks.\n"},
        catalog="file,title,outlet,authors,published\na.txt,What the talks changed,The Brief,Nora Quill,2024-03-08\n")
    ok, report = validate_dataset(load_dataset(trig))
    assert ok, report
    cols, rows = run_saved("people", trig)
    assert any(r[cols.index("name")] == "Nora Quill" for r in rows)
