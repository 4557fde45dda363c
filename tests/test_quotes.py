"""Direct quotations and who said them, on news-style text the pipeline has never seen.

Every sentence here is written for the test (other names, other places); each test covers one
way news attributes a quotation, or one way an attribution goes wrong.
"""
import copy
from datetime import date

import pytest

from graph.find.dialogue import read_facts
from graph.read.ingest import Article, nlp_text, parse_article


@pytest.fixture
def read(nlp, kb):
    def run(text: str, knowledge=None):
        segments, credits = parse_article(text)
        article = Article("t", text, segments, credits, published=date(2024, 6, 14))
        return read_facts(article, nlp(nlp_text(article)), knowledge or kb)

    return run


def said(facts) -> list[tuple[str | None, str]]:
    """(speaker label, first words of the quotation) for every quotation found."""
    return [(q.speaker.label if q.speaker else None, q.text[:20]) for q in facts.quotes]


def speaker_of(facts, words: str):
    (q,) = [q for q in facts.quotes if q.text.startswith(words)]
    return q.speaker


# --- where the quotation is and what it is -------------------------------------------------

def test_quote_left_open_runs_into_the_next_paragraph(read):
    facts = read("Deal reached\n\n"
                 "Mexican Foreign Minister Juana Ortiz said on Monday: “We have worked for months on this deal "
                 "and it is a good one for the workers of both countries.\n\n"
                 "“We will sign it in July, and then the hard work of putting it in place begins,” she added.\n")
    assert ("Juana Ortiz", "We have worked for m") in said(facts)
    assert ("Juana Ortiz", "We will sign it in J") in said(facts)


def test_names_in_title_case_and_scare_quotes_are_not_quotations(read):
    facts = read("Border plan\n\n"
                 "Canadian Trade Minister Paul Roy praised the “Safe Border Partnership Program” and called it "
                 "a “fresh start” for trade with the “main U.S. ally” in the region.\n\n"
                 "“The program will cut waiting times at every crossing,” Roy said.\n")
    assert [t for _, t in said(facts)] == ["The program will cut"]


def test_headline_quote_has_its_speaker_and_a_repeated_one_is_not_doubled(read):
    facts = read("Ortiz says Mexico “will not accept foreign troops on its soil”\n\n"
                 "Mexican President Juana Ortiz spoke on Monday about a proposal from Washington.\n")
    assert said(facts) == [("Juana Ortiz", "will not accept fore")]
    facts = read("Ortiz: “We will never accept foreign troops on our soil”\n\n"
                 "Mexican President Juana Ortiz rejected on Monday the idea of a joint force.\n\n"
                 "“We will never accept foreign troops on our soil,” Ortiz told reporters.\n")
    assert [t for _, t in said(facts)] == ["We will never accept"]  # once, from the body


# --- the speaker ---------------------------------------------------------------------------

def test_pronoun_skips_people_named_inside_the_quotation(read):
    facts = read("Talks continue\n\n"
                 "Canadian Trade Minister Paul Roy met Mexican Foreign Minister Juana Ortiz in Ottawa on Monday.\n\n"
                 "\"Minister Ortiz and I agree on almost everything that matters,\" he said.\n")
    assert speaker_of(facts, "Minister Ortiz and I").label == "Paul Roy"


def test_body_named_by_its_kind(read):
    facts = read("Ministry responds\n\n"
                 "Canada's Ministry of Public Safety issued a note on Tuesday after the arrests.\n\n"
                 "\"We were not informed about this operation in advance,\" the ministry said.\n")
    speaker = speaker_of(facts, "We were not informed")
    assert speaker.kind == "org" and "Public Safety" in speaker.label


def test_unnamed_official_is_not_the_person_named_beside_him(read):
    facts = read("Unnamed source\n\n"
                 "Canadian Prime Minister Paul Roy will fly to Chile in October.\n\n"
                 "An aide close to the Roy cabinet, speaking anonymously, told the press that “the fisheries "
                 "accord still needs work.”\n\n"
                 "An official at the State Department expects the visit to last three days.\n\n"
                 "\"Copper and salmon will take up most of the agenda,\" the official said.\n")
    unnamed = speaker_of(facts, "the fisheries accord")
    assert unnamed is None or unnamed.label != "Paul Roy"
    assert speaker_of(facts, "Copper and salmon").label == "State Department"


def test_epithet_stands_for_the_person_the_text_is_about(read):
    facts = read("Talks set\n\n"
                 "Canadian Prime Minister Paul Roy said the two countries would meet again in July.\n\n"
                 "\"Our fishermen have waited long enough for an answer,\" the veteran premier replied.\n")
    assert speaker_of(facts, "Our fishermen have").label == "Paul Roy"


def test_the_president_is_not_the_former_president(read):
    facts = read("Reply\n\n"
                 "President Juana Ortiz opened a children's hospital in Cusco on Thursday, ten years after "
                 "former president Carlos Medina first promised one.\n\n"
                 "\"Promises on paper have never healed a single patient,\" the president said.\n")
    assert speaker_of(facts, "Promises on paper").label == "Juana Ortiz"


def test_pair_of_leaders_and_a_joint_statement(read):
    facts = read("Leaders agree\n\n"
                 "\"Ships from either country will dock in the other's ports without extra fees,\" said a "
                 "communiqué from Canadian Prime Minister Paul Roy and Chilean President Juana Ortiz. Both "
                 "leaders vowed that \"a single customs form for the two fleets\" would be ready by spring.\n")
    assert speaker_of(facts, "Ships from either").label == "Paul Roy"
    assert speaker_of(facts, "a single customs form").label == "Paul Roy"


def test_quote_named_by_the_paragraph_after_it(read):
    facts = read("Reply to the envoy\n\n"
                 "Print · Email · Save\n\n"
                 "\"Our answer on the fishing quotas is no, and it will still be no next year.\"\n\n"
                 "Those were the words of Prime Minister Paul Roy on Friday, in reply to a letter from Juana "
                 "Ortiz, who represents Chile at the fisheries board.\n")
    assert speaker_of(facts, "Our answer on the").label == "Paul Roy"


def test_speaker_before_a_colon_and_in_a_reported_account(read):
    facts = read("Blunt words\n\n"
                 "Chilean President Juana Ortiz put it plainly: \"Our copper mines are not for sale at any "
                 "price.\"\n\n"
                 "Canadian Prime Minister Paul Roy described their phone call on Sunday. In his readout of the "
                 "call, the two leaders settled on lower port fees, meant to \"bring more cargo ships south\" "
                 "before winter.\n")
    assert speaker_of(facts, "Our copper mines").label == "Juana Ortiz"
    assert speaker_of(facts, "bring more cargo").label == "Paul Roy"


def test_according_to_a_statement_read_by_an_official(read):
    facts = read("Working group\n\n"
                 "Fishing crews were handed a letter from Canadian Foreign Minister Laura Finch, according to "
                 "which joint naval patrols \"will cover the southern waters from March\" onwards.\n")
    assert speaker_of(facts, "will cover the southern").label == "Laura Finch"


def test_two_people_named_together_speak_as_the_first(read):
    facts = read("Pipeline\n\n"
                 "Chilean Energy Minister Laura Finch and Argentine Energy Secretary Tom Baker declared in "
                 "Mendoza that \"the pipeline will carry gas across the Andes by 2027.\"\n")
    assert speaker_of(facts, "the pipeline will").label == "Laura Finch"


def test_verbs_of_saying_are_read_from_the_cue_lists(read, kb):
    text = ("Talks\n\n\"We will keep talking until the very last day of June,\" "
            "Canadian Trade Minister Paul Roy chirped.\n")
    assert speaker_of(read(text), "We will keep") is None
    own = copy.copy(kb)
    own.cues = {**kb.cues, "speech_verbs": kb.cue("speech_verbs") | {"chirped"}}
    assert speaker_of(read(text, own), "We will keep").label == "Paul Roy"
