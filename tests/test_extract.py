"""Extraction on sentences the pipeline has never seen: the patterns, not the seeds."""


def people(facts):
    return {p.name: p for p in facts.people}


def test_title_before_name_with_nationality_becomes_country(read_text):
    f = read_text("Border talks resume in Ottawa\n\nCanadian Public Safety Minister Dominic LeBlanc said on Friday that talks would resume.\n")
    p = people(f)["Dominic LeBlanc"]
    assert [t.title for t in p.titles] == ["Public Safety Minister"]
    assert p.country == "CA"


def test_title_glued_to_name_is_split(read_text):
    f = read_text("Ministers gather for the summit\n\nThe delegation included Secretary of Energy Maria Teresa Alvarado and Secretary of the Navy Admiral Jose Rafael Ruiz.\n")
    p = people(f)
    assert [t.title for t in p["Maria Teresa Alvarado"].titles] == ["Secretary of Energy"]
    assert [t.title for t in p["Jose Rafael Ruiz"].titles] == ["Secretary of the Navy", "Admiral"]


def test_appositive_title(read_text):
    f = read_text("Officials testify in Congress\n\nJohn Carter, deputy administrator of the drug enforcement administration, told lawmakers the threat was growing.\n")
    p = people(f)["John Carter"]
    assert p.titles and p.titles[0].title == "deputy administrator of the drug enforcement administration"


def test_delegation_gives_side_to_listed_people(read_text):
    f = read_text("Talks in Mexico City end\n\nThe Mexican delegation included Attorney General Laura Campos, Secretary of Health Pedro Ibarra and Ambassador Luis Ortega.\n")
    p = people(f)
    assert {p[n].country for n in ("Laura Campos", "Pedro Ibarra", "Luis Ortega")} == {"MX"}


def test_ambassador_to_a_country_serves_the_other(read_text):
    f = read_text("Envoys meet in Ottawa\n\nU.S. Ambassador to Canada David Cohen met Canadian officials on Monday.\n")
    p = people(f)["David Cohen"]
    assert p.country == "US"
    assert p.titles[0].title == "Ambassador to Canada"


def test_post_known_to_one_government_gives_country(read_text):
    f = read_text("Diplomats talk trade\n\nSecretary of State Jane Holloway spoke with reporters in Lima.\n")
    assert people(f)["Jane Holloway"].country == "US"


def test_surnames_are_people_whatever_the_model_says(read_text):
    f = read_text("Minister visits the border\n\nInterior Minister Carla Mendoza visited Tijuana. Mendoza said the crossing would stay open, and Ms. Mendoza later left.\n")
    surnames = [p for p in f.people if p.name == "Mendoza"]
    assert len(surnames) == 2 and all(p.surname_only for p in surnames)


def test_headline_names_only_people_the_story_names(read_text):
    f = read_text("Fentanyl Production Worries Grow as Mendoza Arrives\n\nForeign Minister Carla Mendoza arrived on Tuesday.\n")
    names = [(p.name, p.segment) for p in f.people]
    assert ("Mendoza", "headline") in names
    assert not any("Fentanyl" in n for n, _ in names)


def test_places_and_drugs_are_not_people(read_text):
    f = read_text("Seizure reported in the north\n\nSoldiers seized fentanyl in Tamaulipas and Sinaloa, officials said.\n")
    assert not f.people


def test_byline_authors_are_journalists_without_country(read_text):
    f = read_text("Leaders meet again today\n\nBy Jane Doe\n\nPresident Claudia Sheinbaum met officials.\n")
    p = people(f)
    assert p["Jane Doe"].role == "journalist" and p["Jane Doe"].country is None
    assert p["Claudia Sheinbaum"].titles[0].title == "President"


def test_organizations_typed_and_title_remains_dropped(read_text):
    f = read_text("Agencies react to new charges\n\nThe Gulf Cartel was targeted by the Drug Enforcement Administration, said Homeland Security Secretary Ann Roe.\n")
    orgs = {o.name: o.type for o in f.orgs}
    assert orgs.get("Gulf Cartel") == "criminal_organization"
    assert orgs.get("Drug Enforcement Administration") == "government_body"
    assert "Homeland Security" not in orgs


def test_country_mentions_by_name_and_demonym(read_text):
    f = read_text("Neighbours talk\n\nGuatemalan and Honduran officials met in Panama.\n")
    assert {c.country for c in f.countries} == {"GT", "HN", "PA"}


def test_offsets_point_into_the_text(read_text):
    text = "Talks end\n\nMexican Foreign Minister Juan Ramon de la Fuente met Canadian officials.\n"
    f = read_text(text)
    for p in f.people:
        assert text[p.start:p.end] == p.name
        assert p.sent_start <= p.start < p.end <= p.sent_end
        for t in p.titles:
            assert text[t.start:t.end].startswith(t.title.split()[0])


def test_each_clause_break_starts_a_clause(nlp):
    """A side given before "while", "whereas" or ";" does not reach the people after it."""
    from graph.find.people import _clause_starts

    for joint in (", while", ", whereas", ";"):
        doc = nlp(f"The Mexican delegation included Laura Campos{joint} the other side sent Pedro Ibarra.")
        sent = next(iter(doc.sents))
        assert len(_clause_starts(sent)) == 2, joint


def test_the_finders_share_one_list_of_tokens_and_entities_per_doc(nlp):
    """The finders index tokens hundreds of thousands of times an article: they read one list of
    the Doc's tokens and one tuple of its entities, made on first use and kept with the Doc."""
    from graph.text import doc_ents, doc_tokens

    doc = nlp("Mexican Foreign Minister Alicia Bárcena met Secretary of State Antony Blinken in Washington.")
    toks = doc_tokens(doc)
    assert [(t.i, t.text) for t in toks] == [(t.i, t.text) for t in doc]
    assert doc_tokens(doc) is toks
    ents = doc_ents(doc)
    assert [(e.start, e.end, e.label_) for e in ents] == [(e.start, e.end, e.label_) for e in doc.ents] != []
    assert doc_ents(doc) is ents


def test_a_doc_is_freed_once_its_facts_are_read(nlp, kb):
    """The kept tokens and entities point back at their Doc: reading its facts lets them go, so a
    build frees each parsed article at once, not at the collector's rare full pass."""
    import gc
    import weakref

    from graph.find.dialogue import read_facts
    from graph.read.ingest import Article, nlp_text, parse_article

    text = "Mexican Foreign Minister Alicia Bárcena met Secretary of State Antony Blinken in Washington.\n"
    segments, credits = parse_article(text, None)
    article = Article("t", text, segments, credits)
    doc = nlp(nlp_text(article))
    gc.disable()
    try:
        facts = read_facts(article, doc, kb)
        gone = weakref.ref(doc)
        del doc
        assert gone() is None
    finally:
        gc.enable()
    assert facts.people
