"""Meetings on text the pipeline has never seen: who took part (from the parse, not every name in
the sentence), the type, status, date and place, the label a person reads, and one node for one
event told by several articles. The sentences are written for these tests."""
from datetime import date

import pytest

from graph.find.dialogue import read_facts
from graph.find.meetings import meeting_label, surname
from graph.model import AgentRef, Meeting
from graph.read.ingest import Article, nlp_text, parse_article
from graph.resolve import resolve


@pytest.fixture
def read(nlp, kb):
    def run(text: str, published: date | None = date(2024, 6, 14), article_id: str = "t"):  # a Friday
        segments, credits = parse_article(text)
        article = Article(article_id, text, segments, credits, published=published)
        return read_facts(article, nlp(nlp_text(article)), kb)

    return run


def names(m: Meeting) -> list[str]:
    return sorted(r.label.split()[-1] for r in m.participants if r.kind == "person")


def countries(m: Meeting) -> set[str]:
    return {r.country for r in m.participants if r.kind == "country"}


# --- who took part -------------------------------------------------------------------------

def test_a_person_named_in_a_relative_clause_did_not_take_part(read):
    facts = read("Talks in Ottawa\n\nForeign Minister Juana Ortiz met Canadian Trade Minister Paul Roy, who "
                 "replaced Ann Lee in the post last year, in Ottawa on Thursday.\n")
    (m,) = facts.meetings
    assert names(m) == ["Ortiz", "Roy"]
    assert m.place == "Ottawa" and m.date == date(2024, 6, 13)


def test_the_person_talked_about_is_no_participant(read):
    facts = read("Extradition\n\nPresident Ana Ruiz and Prime Minister Li Wei discussed the extradition of "
                 "Carlos Vega on Monday.\n")
    (m,) = facts.meetings
    assert names(m) == ["Ruiz", "Wei"] and m.date == date(2024, 6, 10)


def test_a_pronoun_stands_for_its_person_and_a_platform_never_takes_part(read, kb):
    facts = read("A call\n\nPresident Ana Ruiz defended the plan on Tuesday. On X, the platform once called "
                 "Twitter, she said she had spoken by phone with Prime Minister Li Wei.\n")
    (m,) = facts.meetings
    assert m.type == "phone_call" and names(m) == ["Ruiz", "Wei"]
    # whatever a name finder takes a platform for, it is never a participant
    from graph.find.meetings import _MeetingReader
    reader = _MeetingReader.__new__(_MeetingReader)
    reader.cues = __import__("graph.find.meetings", fromlist=["_cues"])._cues(kb)[0]
    kept = reader.clean([AgentRef("person", "Twitter", None, 1), AgentRef("person", "Li Wei", "CN", 9)])
    assert [r.label for r in kept] == ["Li Wei"]


def test_a_country_stands_for_its_side_only_when_none_of_its_people_is_named(read):
    facts = read("Visit\n\nMexican Foreign Minister Juana Ortiz met U.S. officials in Washington on Monday.\n")
    (m,) = facts.meetings
    assert names(m) == ["Ortiz"] and countries(m) == {"US"}


def test_a_meeting_noun_takes_the_people_of_the_clause_it_is_the_occasion_of(read):
    facts = read("Talks\n\nPresident Ana Ruiz received Prime Minister Paul Roy and Trade Minister Ann Lee on "
                 "Friday for a round of talks on migration.\n")
    (m,) = facts.meetings
    assert names(m) == ["Lee", "Roy", "Ruiz"] and m.date == date(2024, 6, 14)


def test_a_role_stands_for_the_person_who_holds_it(read):
    facts = read("Talks\n\nForeign Minister Juana Ortiz said on Monday that the deal was close. The minister had "
                 "been in Washington on Wednesday for talks with Secretary Mark Dunn, after which she spoke to "
                 "reporters.\n")
    (m,) = facts.meetings
    assert names(m) == ["Dunn", "Ortiz"]
    assert m.place == "Washington" and m.date == date(2024, 6, 12)


def test_a_delegation_listed_after_the_meeting_took_part_but_a_list_far_away_did_not(read):
    facts = read("Visit\n\nForeign Minister Juana Ortiz is visiting Prime Minister Paul Roy in Ottawa today. "
                 "She is accompanied by other officials, including Trade Minister Ann Lee and Ambassador Tom "
                 "Hale.\n\nThe two countries trade heavily. Exports grew last year. Prices rose.\n\n"
                 "A delegation of farmers, including Luis Mora, protested outside the ministry.\n")
    (m,) = facts.meetings
    assert names(m) == ["Hale", "Lee", "Ortiz", "Roy"]


def test_justices_are_the_justices_the_article_names(read):
    facts = read("Court hears case\n\nAs they heard arguments in Washington on Tuesday, the justices appeared "
                 "skeptical of the suit.\n\nJustice Ann Cole asked whether the law applied. Justice Tom Hale "
                 "said the case was weak.\n")
    (m,) = facts.meetings
    assert m.type == "hearing" and names(m) == ["Cole", "Hale"] and m.place == "Washington"


def test_an_appearance_before_a_judge_is_a_hearing_where_the_court_sits(read):
    facts = read("Plea\n\nOn Friday, Carlos Vega appeared before Judge Mary Lane of the Houston District Court "
                 "and pleaded guilty.\n")
    (m,) = facts.meetings
    assert m.type == "hearing" and names(m) == ["Lane", "Vega"]
    assert m.place == "Houston" and m.date == date(2024, 6, 14)


def test_a_first_person_quote_takes_part_through_its_speaker(read):
    facts = read("Trade\n\nPresident Ana Ruiz spoke at length. \"I look forward to being part of these "
                 "negotiations with Prime Minister Li Wei,\" Ruiz said.\n")
    (m,) = facts.meetings
    assert m.status == "planned" and names(m) == ["Ruiz", "Wei"]


# --- what it is ----------------------------------------------------------------------------

def test_no_meeting_in_a_denied_visit_a_talk_with_reporters_or_a_solo_press_conference(read):
    facts = read("Nothing\n\nNo Mexican president had visited Canada since 2014. Ambassador Tom Hale spoke with "
                 "reporters in Nogales on Thursday. Prime Minister Paul Roy held a press conference in Ottawa "
                 "on Monday. Drug lord Carlos Vega arrived in El Paso on a private plane.\n")
    assert facts.meetings == ()


def test_a_joint_press_conference_is_an_event_of_its_own(read):
    facts = read("Geneva\n\nPresident Ana Ruiz met with Prime Minister Li Wei on Monday and then appeared at a "
                 "press conference in Geneva together with Foreign Minister Ann Lee.\n")
    meeting, press = sorted(facts.meetings, key=lambda m: m.form or "")
    assert names(meeting) == ["Ruiz", "Wei"] and meeting.form is None
    assert press.form == "press_conference" and names(press) == ["Lee", "Ruiz"]
    assert meeting.date == press.date == date(2024, 6, 10) and press.place == "Geneva"


def test_status_is_read_from_the_meeting_not_from_the_rest_of_the_sentence(read):
    facts = read("Plans\n\nPresident Ana Ruiz met Prime Minister Paul Roy on Monday, a day after the two "
                 "governments postponed a vote on tariffs.\n\nRuiz will travel to Ottawa in July to meet "
                 "Trade Minister Ann Lee. Foreign Minister Juana Ortiz cancelled her trip to Geneva.\n")
    status = {tuple(names(m)): m.status for m in facts.meetings}
    assert status[("Roy", "Ruiz")] == "held"
    assert status[("Lee", "Ruiz")] == "planned"
    assert status[("Ortiz",)] == "called_off"


def test_a_date_from_the_clause_and_a_place_from_the_dateline(read):
    facts = read("Ports deal\n\nOttawa, Jun 13 (EFE).- President Ana Ruiz pledged on Tuesday to spend $2 "
                 "billion on ports, a deal struck during her talks with Prime Minister Paul Roy.\n")
    (m,) = facts.meetings
    assert names(m) == ["Roy", "Ruiz"] and m.date == date(2024, 6, 11) and m.place == "Ottawa"


def test_a_summit_and_the_trip_to_it(read):
    facts = read("Summit\n\nPresident Ana Ruiz arrived in Geneva on Sunday for the Lakes Summit, where she "
                 "will be joined by Prime Minister Paul Roy.\n")
    by_type = {m.type: m for m in facts.meetings}
    assert by_type["visit"].status == "held" and by_type["visit"].place == "Geneva"
    assert names(by_type["visit"]) == ["Ruiz"] and by_type["visit"].date == date(2024, 6, 9)
    summit = by_type["multilateral"]
    assert summit.status == "planned" and names(summit) == ["Roy", "Ruiz"] and summit.place == "Geneva"
    assert summit.label == "Lakes Summit"


# --- labels and one node per event ----------------------------------------------------------

def test_surname_is_the_short_form_articles_use():
    assert surname("Andrés Manuel López Obrador", ("López Obrador", "AMLO")) == "López Obrador"
    assert surname("Juan Ramón de la Fuente") == "de la Fuente"
    assert surname("Paul Roy", ("Roy",)) == "Roy"


def test_labels_a_person_reads():
    call = Meeting("phone_call", "held", 0, 10, "spoke", date=date(2023, 3, 13))
    assert meeting_label(call, [("Antony Blinken", ()), ("Marcelo Ebrard", ())], []) == \
        "Blinken–Ebrard phone call, 13 Mar 2023"
    planned = Meeting("meeting", "planned", 0, 10, "meeting", month=(2024, 7), place="Geneva")
    assert meeting_label(planned, [], ["Mexico", "Canada"]) == "Planned Mexico–Canada meeting in Geneva, Jul 2024"
    hearing = Meeting("hearing", "held", 0, 10, "told", place="Washington", body="Senate subcommittee")
    assert meeting_label(hearing, [("Todd Robinson", ())], []) == \
        "Robinson hearing before Senate subcommittee in Washington"


def test_one_call_told_by_two_articles_is_one_node_with_a_readable_label(read, kb):
    a = read("Call\n\nPrime Minister Paul Roy spoke by phone with Foreign Minister Juana Ortiz on Thursday.\n",
             article_id="a")
    b = read("Migration\n\nJuana Ortiz and Paul Roy discussed migration in a phone call on Thursday, her office "
             "said.\n", article_id="b")
    res = resolve([a, b], kb)
    (node,) = res.meetings
    assert {art for art, _ in node.supports} == {"a", "b"}
    assert node.label == "Roy–Ortiz phone call, 13 Jun 2024"
