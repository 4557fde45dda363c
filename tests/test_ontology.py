"""The ontology: every term labelled and commented; the Python vocabulary matches it."""
from rdflib import RDF, RDFS, Graph

from graph.knowledge import ONTOLOGY_DIR
from graph.vocab import DG

NS = "https://w3id.org/dialogue-graph/ontology#"


def ontology():
    return Graph().parse(ONTOLOGY_DIR / "dialogue.ttl")


def test_every_class_and_property_has_label_and_comment():
    g = ontology()
    terms = {s for s in g.subjects(RDF.type, None) if str(s).startswith(NS)}
    assert len(terms) > 40
    for t in terms:
        assert g.value(t, RDFS.label), t
        assert g.value(t, RDFS.comment), t


def test_vocabulary_module_matches_the_ontology():
    g = ontology()
    in_file = {str(s)[len(NS):] for s in g.subjects() if str(s).startswith(NS)}
    in_code = set(DG.__annotations__)
    assert in_file == in_code


def test_misspelt_term_is_an_error():
    import pytest

    with pytest.raises(AttributeError):
        DG.partcipant  # noqa: B018


def test_aligned_with_public_vocabularies():
    g = ontology()
    supers = {str(o) for o in g.objects(None, RDFS.subClassOf)}
    assert "http://www.w3.org/ns/org#Post" in supers
    assert "http://www.w3.org/ns/prov#Entity" in supers
    assert "https://schema.org/Person" in supers
    assert "http://www.w3.org/ns/oa#TextPositionSelector" in supers


def test_an_article_mentions_exactly_the_entities_its_mentions_refer_to(seeds_dataset):
    """schema:mentions is the shortcut the saved queries read: it must say no more and no
    less than the article's own mentions (evidence spans of facts excluded)."""
    q = """PREFIX dg: <https://w3id.org/dialogue-graph/ontology#> PREFIX schema: <https://schema.org/>
    SELECT DISTINCT ?g ?x WHERE { GRAPH ?g { %s } }"""
    shortcut = set(seeds_dataset.query(q % "?g schema:mentions ?x"))
    read = set(seeds_dataset.query(q % '?m a dg:Mention ; dg:refersTo ?x . FILTER(!CONTAINS(STR(?m), "/evidence/"))'))
    assert len(shortcut) > 50
    assert shortcut == read
