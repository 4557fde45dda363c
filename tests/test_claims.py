"""Claims on any question of the dialogue, their holders, topics and polarity; positions across
articles and the contradictions between them. Sentences written for these tests."""
import pytest


def claims_of(read_text, text, article_id="t"):
    return read_text(text, article_id=article_id).claims


def only(claims):
    assert len(claims) == 1, claims
    return claims[0]


# --- what a claim is: the proposition, in the forms news reports it ---------------------

def test_reported_speech_on_any_question_is_the_complement_without_that(read_text):
    c = only(claims_of(read_text, "Trade dispute\n\nCanadian Trade Minister Laura Chen said that the tariffs "
                                  "would hurt farmers on both sides of the border.\n"))
    assert c.text == "the tariffs would hurt farmers on both sides of the border"
    assert (c.speaker.label, c.topic, c.polarity) == ("Laura Chen", "tariffs", "asserts")


def test_a_quotation_before_its_speaker_is_a_claim_and_its_negation_denies(read_text):
    c = only(claims_of(read_text, "Troops\n\n\"We will not accept foreign troops on our soil,\" Mexican Defense "
                                  "Secretary Carlos Ruiz said on Monday.\n"))
    assert (c.text, c.speaker.label, c.polarity) == ("We will not accept foreign troops on our soil", "Carlos Ruiz",
                                                     "denies")


def test_an_interrupting_he_said_is_left_out_and_the_pronoun_resolved(read_text):
    c = only(claims_of(read_text, "Pact\n\nU.S. Ambassador Helen Ward spoke in Monterrey. The agreement, she said, "
                                  "marks a new chapter in the relationship between the two countries.\n"))
    assert c.text == "The agreement marks a new chapter in the relationship between the two countries"
    assert c.speaker.label == "Helen Ward"


def test_each_that_clause_is_a_claim_of_its_own(read_text):
    cs = claims_of(read_text, "Arrest\n\nMexican Security Secretary Ana Lopez said the details of the operation "
                              "were not known, and that the government had asked Washington for a full report.\n")
    assert [c.text for c in cs] == ["the details of the operation were not known",
                                    "the government had asked Washington for a full report"]
    assert [c.polarity for c in cs] == ["denies", "asserts"]


def test_according_to_gives_the_speaker_of_the_clause(read_text):
    c = only(claims_of(read_text, "Guns\n\nAccording to U.S. Senator Mark Ellis, the program has failed to stop the "
                                  "flow of weapons into Mexico.\n"))
    assert c.text == "the program has failed to stop the flow of weapons into Mexico"
    assert c.speaker.label == "Mark Ellis"
    assert c.polarity == "denies"  # "has failed": the clause says the program fails


def test_a_rejection_and_the_reason_said_with_it_are_one_claim_that_denies(read_text):
    c = only(claims_of(read_text, "Blockade\n\nMexican President Ana Torres rejected calls for a naval blockade "
                                  "of the Gulf coast, saying such a step would violate international law.\n"))
    assert c.text.startswith("rejected calls for a naval blockade") and c.text.endswith("violate international law")
    assert (c.polarity, c.topic) == ("denies", "naval blockade")


def test_an_offer_is_a_claim_with_its_verb(read_text):
    c = only(claims_of(read_text, "Patrols\n\nTexas Governor Paul Nash offered to send state police officers to "
                                  "help patrol the border near El Paso.\n"))
    assert c.text.startswith("offered to send state police officers")
    assert c.speaker.label == "Paul Nash"


def test_a_claim_noun_and_its_possessor(read_text):
    c = only(claims_of(read_text, "Terror\n\nWashington's position is that the cartels must be treated as "
                                  "terrorist organizations.\n"))
    assert c.text == "the cartels must be treated as terrorist organizations"
    assert (c.speaker.kind, c.speaker.country) == ("country", "US")


def test_the_points_of_a_list_a_speaker_sets_out_are_claims(read_text):
    cs = claims_of(read_text, "Demands\n\nMexico's Foreign Ministry set out its demands:\n\n"
                              "- The United States must stop the flow of guns across the border.\n"
                              "- Both governments will share intelligence on the cartels.\n\n"
                              "The talks resume next week.\n")
    assert [c.text for c in cs] == ["The United States must stop the flow of guns across the border",
                                    "Both governments will share intelligence on the cartels"]
    assert {c.speaker.kind for c in cs} == {"org"}


def test_speculation_is_no_claim(read_text):
    assert claims_of(read_text, "Talks\n\nMexican Defense Secretary Carlos Ruiz said the talks could collapse "
                                "next week.\n") == ()


def test_a_report_that_people_met_is_no_claim(read_text):
    assert claims_of(read_text, "Call\n\nThe State Department said the two ministers discussed the kidnapping "
                                "of four Americans.\n") == ()


# --- who holds it: a government or an unnamed group when no person is named --------------

def test_a_government_holds_a_denial(read_text):
    c = only(claims_of(read_text, "Warning\n\nThe Mexican government denied that it had received any warning "
                                  "about the raid.\n"))
    assert (c.speaker.kind, c.speaker.country, c.polarity) == ("country", "MX", "denies")


def test_unnamed_officials_are_a_group_of_their_country(read_text):
    c = only(claims_of(read_text, "Law\n\nMexican officials say the new law will protect national security and "
                                  "the privacy of citizens.\n"))
    assert (c.speaker.kind, c.speaker.label, c.speaker.country) == ("group", "Mexican officials", "MX")
    assert c.topic == "new law"


def test_a_party_word_gives_a_group_its_country(read_text):
    c = only(claims_of(read_text, "Strikes\n\nRepublican senators urged the White House to order drone strikes "
                                  "against the cartels.\n"))
    assert (c.speaker.kind, c.speaker.country) == ("group", "US")
    assert c.topic == "US military action against cartels"


# --- topics: named questions, else the key noun phrase, one wording per question -------------

def test_the_drug_stands_for_the_drug_the_text_is_about(read_text):
    c = only(claims_of(read_text, "Overdoses\n\nFentanyl deaths rose again last year. Mexican Health Secretary "
                                  "Jorge Vela said his country does not produce the drug.\n"))
    assert (c.topic, c.polarity) == ("fentanyl production in Mexico", "denies")


def test_synonyms_give_one_topic_and_no_before_the_subject_denies(read_text):
    cs = claims_of(read_text, "Deals\n\nU.S. Commerce Secretary John Park suggested that there were secret side "
                              "agreements with Mexico. Mexican Economy Minister Luis Ortega said no secret deals "
                              "existed.\n")
    assert [(c.speaker.label, c.topic, c.polarity) for c in cs] == [
        ("John Park", "secret agreement", "asserts"), ("Luis Ortega", "secret agreement", "denies")]


# --- positions and contradictions across articles ----------------------------------------

def test_positions_gather_an_actors_claims_and_opposite_sides_contradict(read_text, kb):
    from graph.resolve import resolve

    a = read_text("Tariffs\n\nCanadian Trade Minister Laura Chen said that the tariffs would hurt farmers.\n",
                  article_id="a")
    b = read_text("Tariffs again\n\nCanadian Trade Minister Laura Chen said the tariffs would cost jobs.\n",
                  article_id="b")
    c = read_text("Reply\n\nU.S. Commerce Secretary John Park said the tariffs had not hurt anyone.\n",
                  article_id="c")
    res = resolve([a, b, c], kb)
    chen = [p for p in res.positions if p.label == "Laura Chen"]
    assert len(chen) == 1 and len(chen[0].claims) == 2 and chen[0].polarity == "asserts"
    assert chen[0].topic == "tariffs" and chen[0].country == "CA"
    park = [p for p in res.positions if p.label == "John Park"]
    assert [(p.polarity, p.country) for p in park] == [("denies", "US")]
    assert len(res.contradictions) == 2  # each Canadian claim to the American denial


def test_claims_on_different_topics_never_contradict(read_text, kb):
    from graph.resolve import resolve

    a = read_text("A\n\nCanadian Trade Minister Laura Chen said that the tariffs would hurt farmers.\n", article_id="a")
    b = read_text("B\n\nU.S. Commerce Secretary John Park said the pipeline had not been approved.\n", article_id="b")
    assert resolve([a, b], kb).contradictions == ()


def test_positions_query_says_who_holds_the_opposite(seeds_dataset):
    from graph.sparql.queries import bind_params, load_query, run_query

    text = load_query("positions")
    cols, rows = run_query(seeds_dataset, text, bind_params(text, {"topic": "fentanyl production in Mexico"}))
    assert cols == ["topic", "actor", "side", "polarity", "first", "last", "articles", "opposed_by"]
    got = [dict(zip(cols, r)) for r in rows]
    amlo = [r for r in got if r["actor"] == "Andrés Manuel López Obrador"]
    assert amlo and {r["polarity"] for r in amlo} == {"denies"} and amlo[0]["side"] == "Mexico"
    assert "Rahul Gupta" in {r["opposed_by"] for r in amlo}
    assert all(r["first"] <= r["last"] and int(r["articles"]) >= 1 for r in got)


def test_a_government_that_takes_a_position_goes_by_the_names_news_gives_it(seeds_dataset):
    from rdflib import SKOS, URIRef

    mexico = URIRef("https://w3id.org/dialogue-graph/id/country/mx")
    labels = {str(o) for _, _, o, _ in seeds_dataset.quads((mexico, SKOS.altLabel, None, None))}
    assert "Mexican government" in labels


@pytest.mark.parametrize("label", ["U.S. officials", "u.s. Officials"])
def test_a_group_is_one_node_per_wording(label):
    from graph.resolve import group_key

    assert group_key(label) == group_key("U.S. officials")
