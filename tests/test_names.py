"""Names, titles and bodies on sentences written for these tests (never an article's text):
variants of one name resolve to one person, different people who share a surname stay apart,
titles are read wherever English news puts them, and only named bodies become organizations."""
import pytest

from graph.resolve import resolve


def people(facts):
    return {p.name: p for p in facts.people}


def node_of(res, facts, name):
    """The person key of every mention written ``name`` in ``facts`` (one key expected)."""
    keys = {res.person_of[(facts.article_id, m.start)] for m in facts.people if m.name == name}
    assert len(keys) == 1, (name, keys)
    return keys.pop()


def titles_of(facts, name):
    return [t.title for t in people(facts)[name].titles]


# --------------------------------------------------------------------------- one person, many names

def test_middle_initial_does_not_split_a_person(read_text, kb):
    a = read_text("Charges filed\n\nAttorney General Robert K. Hale announced the charges on Monday.\n", "a")
    b = read_text("Case dropped\n\nThe case was dropped after Robert Hale intervened, officials said.\n", "b")
    res = resolve([a, b], kb)
    assert node_of(res, a, "Robert K. Hale") == node_of(res, b, "Robert Hale")
    assert res.people[node_of(res, a, "Robert K. Hale")].name == "Robert Hale"


def test_two_initials_that_differ_stay_apart(read_text, kb):
    a = read_text("Talks end\n\nGovernor Thomas J. Keller met officials on Monday.\n", "a")
    b = read_text("Talks end\n\nGovernor Thomas W. Keller met officials on Friday.\n", "b")
    res = resolve([a, b], kb)
    assert node_of(res, a, "Thomas J. Keller") != node_of(res, b, "Thomas W. Keller")


def test_first_name_misspelt_by_one_letter_is_the_same_person(read_text, kb):
    a = read_text("Visit ends\n\nU.S. Secretary of Commerce Phillip Moreno toured the port on Monday.\n", "a")
    b = read_text("Port reopens\n\nU.S. Secretary of Commerce Philip Moreno said the port would reopen.\n", "b")
    res = resolve([a, b], kb)
    assert node_of(res, a, "Phillip Moreno") == node_of(res, b, "Philip Moreno")


def test_first_names_one_letter_apart_on_different_sides_stay_two_people(read_text, kb):
    """A one-letter slip joins two officials only when both hold a title for the same country."""
    a = read_text("Visit ends\n\nMexican Energy Minister Julia Ortega toured the refinery on Monday.\n", "a")
    b = read_text("Deal signed\n\nBusinessman Julian Ortega said the plant would open in May.\n", "b")
    res = resolve([a, b], kb)
    assert node_of(res, a, "Julia Ortega") != node_of(res, b, "Julian Ortega")


def test_short_forms_of_a_two_surname_name_are_that_person(read_text, kb):
    f = read_text("Prosecutor speaks\n\nProsecutor Mario Ibáñez Ortega opened the case on Monday. "
                  "Ibáñez Ortega said the evidence was strong. Later, Mario Ibáñez told reporters the trial "
                  "would start soon.\n", "a")
    res = resolve([f], kb)
    assert len({node_of(res, f, n) for n in ("Mario Ibáñez Ortega", "Ibáñez Ortega", "Mario Ibáñez")}) == 1


def test_a_short_form_given_in_another_article_joins_the_full_name(read_text, kb):
    a = read_text("Arrest confirmed\n\nPolice arrested Rogelio Paz Ortiz in Monterrey. Rogelio Paz had fled "
                  "in 2019.\n", "a")
    b = read_text("Suspect moved\n\nOfficials moved Rogelio Paz to a prison in the capital.\n", "b")
    res = resolve([a, b], kb)
    assert node_of(res, b, "Rogelio Paz") == node_of(res, a, "Rogelio Paz Ortiz")


def test_a_sentence_opening_first_name_belongs_to_the_name(read_text):
    f = read_text("Old town\n\nRogelio Paz Ortiz owns three cafés around the cathedral square.\n")
    assert "Rogelio Paz Ortiz" in people(f)


def test_nickname_tied_by_a_cue_is_that_person(read_text, kb):
    f = read_text("Arrest in the north\n\nPolice arrested Arturo Beltrán, known as El Tigre, on Sunday. "
                  "El Tigre had been on the run for a decade, officials said.\n", "a")
    res = resolve([f], kb)
    keys = {res.person_of[(f.article_id, m.start)] for m in f.people}
    assert len(keys) == 1
    ent = res.people[keys.pop()]
    assert ent.name == "Arturo Beltrán" and "El Tigre" in ent.names


def test_nickname_in_quotes_is_an_alias_not_part_of_the_name(read_text, kb):
    f = read_text("Gang leader held\n\nSoldiers detained Héctor \"El Güero\" Salas near the border. El Güero "
                  "did not resist, the army said.\n", "a")
    res = resolve([f], kb)
    keys = {res.person_of[(f.article_id, m.start)] for m in f.people}
    assert len(keys) == 1
    ent = res.people[keys.pop()]
    assert ent.name == "Héctor Salas" and "El Güero" in ent.names


def test_father_and_sons_who_share_a_surname_stay_apart(read_text, kb):
    f = read_text("Brothers extradited\n\nJulio \"El Gato\" Torres founded the gang in the 1990s. Torres's "
                  "sons, Iván Torres Mena and Jesús Torres Mena, were extradited on Monday. Torres Mena "
                  "appeared in court first.\n", "a")
    res = resolve([f], kb)
    father, ivan, jesus = (node_of(res, f, n) for n in ('Julio "El Gato" Torres', "Iván Torres Mena",
                                                       "Jesús Torres Mena"))
    assert len({father, ivan, jesus}) == 3
    assert node_of(res, f, "Torres") == father  # named before the sons are
    assert node_of(res, f, "Torres Mena") not in {father, ivan, jesus}  # either brother: no one in particular


def test_a_surname_used_for_a_family_is_no_person(read_text):
    f = read_text("Bakery turns 70\n\nThe Arellano family opened the bakery in 1954, and the Arellano clan "
                  "still bakes bread there every morning.\n")
    assert not [p for p in f.people if "Arellano" in p.name]


# --------------------------------------------------------------------------- titles

def test_title_before_the_name_set_off_by_commas(read_text):
    f = read_text("Ministers meet\n\nCanada's public safety minister, Dana Wells, said the talks went well.\n")
    assert titles_of(f, "Dana Wells") == ["public safety minister"]
    assert people(f)["Dana Wells"].country == "CA"


def test_appositive_with_a_place_after_the_post(read_text):
    f = read_text("Panel chosen\n\nTom Reyes, a former congressman from Ohio, will chair the panel. Lisa Grant, "
                  "the interim U.S. Attorney for the Northern District of Ohio, will sit on it.\n")
    assert titles_of(f, "Tom Reyes") == ["former congressman from Ohio"]
    assert titles_of(f, "Lisa Grant") == ["interim Attorney for the Northern District of Ohio"]
    assert people(f)["Lisa Grant"].country == "US"


def test_appositive_list_of_officials_gives_no_one_the_next_title(read_text):
    f = read_text("Delegation arrives\n\nThe delegation included Secretary of Energy Ana Ruiz, Secretary of "
                  "Labor Pedro Vela and Ambassador Luis Mora.\n")
    assert titles_of(f, "Ana Ruiz") == ["Secretary of Energy"]
    assert titles_of(f, "Pedro Vela") == ["Secretary of Labor"]


def test_lower_case_titles_and_role_nouns(read_text):
    f = read_text("Film star visits\n\nThe crowd cheered the actor Pablo Serrano. Police said drug lord Raúl Soto "
                  "fled, and Colombia's ex-interior minister Jorge Pardo was questioned.\n")
    assert titles_of(f, "Pablo Serrano") == ["actor"]
    assert people(f)["Pablo Serrano"].country is None  # a role is no government served
    assert titles_of(f, "Raúl Soto") == ["drug lord"]
    assert titles_of(f, "Jorge Pardo") == ["ex-interior minister"]
    assert people(f)["Jorge Pardo"].country == "CO"


def test_then_and_former_stay_in_the_title_and_a_country_after_them_is_taken_out(read_text):
    f = read_text("Old feud\n\nThe deal was signed by then-Governor Mark Ellis and former Canadian Prime "
                  "Minister Paul Hart.\n")
    assert titles_of(f, "Mark Ellis") == ["then-Governor"]
    assert titles_of(f, "Paul Hart") == ["former Prime Minister"]
    assert people(f)["Paul Hart"].country == "CA"


@pytest.mark.parametrize("news, body", [
    ("The reactor will restart in May", "U.S. Department of Energy"),
    # the model tags "Census Bureau" as a person; a name after a title that ends in a body's noun is the body
    ("The census count will end in May", "U.S. Census Bureau"),
])
def test_body_named_in_a_title_gives_its_country(read_text, news, body):
    f = read_text(f"Statement\n\n{news}, according to Dana Price, a spokeswoman for the {body}.\n")
    assert people(f)["Dana Price"].country == "US"
    assert body in {o.name for o in f.orgs}


# --------------------------------------------------------------------------- bodies

def test_country_word_before_a_body_noun_names_a_body(read_text):
    f = read_text("Embassy request\n\nThe Canadian embassy in Mexico City has asked the U.S. Attorney's Office "
                  "for a copy of the file.\n")
    orgs = {o.name: o for o in f.orgs}
    assert orgs["Canadian embassy in Mexico City"].country == "CA"
    assert orgs["U.S. Attorney's Office"].country == "US"


def test_another_country_s_congress_is_not_the_curated_one(read_text):
    f = read_text("Vote delayed\n\nColombia's Congress delayed the vote on Tuesday.\n")
    (org,) = [o for o in f.orgs if "Congress" in o.name]
    assert org.country == "CO" and org.key is None


def test_what_is_not_a_body(read_text):
    f = read_text("Harvest lost\n\nCatholic bishops visited a Mennonite village near the Canada-U.S. border "
                  "after the drought. Feuds among rival gangs keep growing, officials said.\n")
    assert not [o.name for o in f.orgs]


def test_a_name_listed_with_people_is_a_person(read_text):
    f = read_text("Raids\n\nRaids in three provinces netted several smuggling bosses, including Marcos "
                  "Ledezma and Ovidio Pardo.\n")
    assert "Ovidio Pardo" in people(f)  # the model calls it an organization
    assert "Ovidio Pardo" not in {o.name for o in f.orgs}


def test_one_body_written_two_ways_in_an_article_is_one_node(read_text, kb):
    f = read_text("Envoy summoned\n\nThe Foreign Ministry summoned the Danish ambassador on Monday. The "
                  "Ministry of Foreign Affairs said the talk lasted an hour.\n", "a")
    res = resolve([f], kb)
    mentions = [o for o in f.orgs if "Foreign" in o.name]
    assert len(mentions) == 2
    keys = {res.org_of[(f.article_id, o.start)] for o in mentions}
    assert len(keys) == 1
    assert res.orgs[keys.pop()].name == "Ministry of Foreign Affairs"


def test_abbreviated_titles_and_a_party_state_tag(read_text):
    """"Sen."/"Rep."/"Gov." are titles, not honorifics; "(D-Ore.)" after a name is the U.S. press's
    party-and-state tag for a U.S. politician."""
    f = read_text("Border hearing\n\nSen. Laura Quinn (D-Ore.) asked about the checkpoints. "
                  "Rep. Tomas Reyes (R-Fla.) said the funding was late. Gov. Nora Bell toured the port.\n")
    got = {p.name: ([t.title for t in p.titles], p.country) for p in f.people}
    assert got["Laura Quinn"] == (["Sen."], "US")
    assert got["Tomas Reyes"] == (["Rep."], "US")
    assert got["Nora Bell"][0] == ["Gov."]


def test_a_language_is_not_a_country(read_text):
    f = read_text("Talks\n\nSpeaking in Spanish through an interpreter, Peruvian Minister Ana Ruiz said the "
                  "talks went well. Troops later entered Chilean territory.\n")
    assert sorted(c.country for c in f.countries) == ["CL", "PE"]
