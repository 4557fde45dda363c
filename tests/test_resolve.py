"""Resolution: one node per real person, within and across articles."""
from graph.resolve import resolve


def test_surname_honorific_and_accents_join_one_person(read_text, kb):
    a = read_text("Talks go on\n\nForeign Minister Alicia Bárcena met reporters. Bárcena said talks would go on. Ms. Barcena left.\n", "a")
    b = read_text("Ministers meet\n\nMexican Foreign Minister Alicia Barcena’s visit ended on Friday.\n", "b")
    res = resolve([a, b], kb)
    keys = {res.person_of[(f.article_id, m.start)] for f in (a, b) for m in f.people}
    assert len(keys) == 1
    ent = res.people[keys.pop()]
    assert ent.name == "Alicia Bárcena"
    assert ent.country == "MX"


def test_curated_alias_joins_acronym(read_text, kb):
    a = read_text("AMLO rejects claims\n\nMexican President Andres Manuel Lopez Obrador spoke on Monday.\n", "a")
    b = read_text("Talks end\n\nPresident López Obrador met the governors. AMLO said so.\n", "b")
    res = resolve([a, b], kb)
    keys = {res.person_of[(f.article_id, m.start)] for f in (a, b) for m in f.people}
    assert len(keys) == 1


def test_different_people_with_different_surnames_stay_apart(read_text, kb):
    a = read_text("Talks end\n\nSecretary of Health Pedro Ibarra met Secretary of Energy Pablo Ibanez on Monday.\n", "a")
    res = resolve([a], kb)
    assert {e.name for e in res.people.values()} == {"Pedro Ibarra", "Pablo Ibanez"}


def test_bare_surname_joins_the_only_person_of_that_name_corpus_wide(read_text, kb):
    a = read_text("Talks end\n\nU.S. Ambassador Rita Kowalczyk met officials on Monday.\n", "a")
    b = read_text("Talks resume\n\nOfficials met Kowalczyk again on Friday, Reuters reported.\n", "b")
    res = resolve([a, b], kb)
    keys = {res.person_of[(f.article_id, m.start)] for f in (a, b) for m in f.people}
    assert len(keys) == 1


def test_journalist_gets_no_country(read_text, kb):
    a = read_text("Talks end\n\nBy Ana Ruiz\n\nMexican Foreign Minister Juan Ruiz met officials.\n", "a")
    res = resolve([a], kb)
    by_name = {e.name: e for e in res.people.values()}
    assert by_name["Ana Ruiz"].kind == "journalist" and by_name["Ana Ruiz"].country is None
    assert by_name["Juan Ruiz"].kind == "official" and by_name["Juan Ruiz"].country == "MX"


def test_each_claim_is_linked_to_its_nearest_rebuttal_not_to_every_one(kb):
    from graph.model import AgentRef, Anchor, ArticleFacts, Claim, Dialogue, Mentions

    def claim(start, country, polarity):
        return Claim("…", Anchor(start, start + 10, start, start + 20), AgentRef("country", country, country), "t",
                     polarity)

    def facts(article_id, published, *claims):
        return ArticleFacts(article_id, published, Mentions(), Dialogue(claims=claims))

    same_day = facts("a1", "2023-01-01", claim(0, "US", "asserts"), claim(500, "MX", "denies"), claim(50, "MX", "denies"))
    next_day = facts("a2", "2023-01-02", claim(0, "MX", "denies"))
    later = [facts(f"b{i}", "2023-03-01", claim(0, "MX", "denies")) for i in range(20)]
    again = facts("c1", "2023-06-01", claim(0, "US", "asserts"))
    pairs = resolve([same_day, next_day, *later, again], kb).contradictions
    us = ("a1", 0, 10)
    # the US claim answers the closest denial in its own article; every denial answers the nearest US claim
    # in time (January's, not June's); June's claim answers the nearest denial (March)
    assert (us, ("a1", 50, 60)) in pairs and (us, ("a1", 500, 510)) in pairs
    assert sum(us in pair for pair in pairs) == 23
    (june,) = [p for p in pairs if ("c1", 0, 10) in p]
    assert june[0][0].startswith("b")
    assert len(pairs) == 24  # all pairs would be 2 x 23
