"""Ingest: story lines kept, page furniture dropped, offsets into the original file."""
from pathlib import Path

import pytest

from graph.read.ingest import (
    IngestError,
    nlp_text,
    parse_article,
    read_article,
    read_articles,
)

PAGE = """Trade chiefs meet in Ottawa

By Jane Doe and Tom Roe

OTTAWA (AP) - Canadian Trade Minister Mary Ng met her U.S. counterpart on Friday.

Photo: Ann Smith/AP

"We agreed on a plan," she said.

Subscribe

This article has been read 512 times
Yorumlar onaylanmamaktadır ve küfür içeren mesajlar silinir.
"""


def kinds(text, title=None):
    segs, _ = parse_article(text, title)
    return [(s.kind, text[s.start:s.end]) for s in segs]


def test_story_lines_and_furniture_are_told_apart():
    k = dict((t, kind) for kind, t in kinds(PAGE))
    assert k["Trade chiefs meet in Ottawa"] == "headline"
    assert k["By Jane Doe and Tom Roe"] == "byline"
    assert k["OTTAWA (AP) - Canadian Trade Minister Mary Ng met her U.S. counterpart on Friday."] == "body"
    assert k["Photo: Ann Smith/AP"] == "credit"
    assert k["\"We agreed on a plan,\" she said."] == "body"
    assert k["Subscribe"] == "furniture"
    assert k["This article has been read 512 times"] == "furniture"
    # everything after the counter is furniture, whatever its language
    assert k["Yorumlar onaylanmamaktadır ve küfür içeren mesajlar silinir."] == "furniture"


@pytest.mark.parametrize("line", [
    "Copyright 2024 The Daily Courier. All Rights Reserved.",
    "The Daily Courier © 2024",
    "Text and photos (c) 2023 The Daily Courier",
    "This page is not an offer to buy or sell anything at all",
    "Click here to remove ads from the site for a month",
    "This space holds a 3rd party ad from our partners today",
    "Readers get 20 % off their first year of the print edition",
    "By using the site you accept our Privacy Policy and how we use data",
    "Read our Terms of Service before you comment on any story",
    "You can change your Cookie Settings at any time from this page",
    "Source: company filings",
])
def test_furniture_is_found_anywhere_in_a_line(line):
    """Every furniture marker, mid-line: the substring hints that spare body lines the full pattern
    must not miss one."""
    text = f"Officials met in Mexico City on Monday to talk about security.\n\n{line}\n\nThey spoke for an hour about it.\n"
    assert [k for k, _ in kinds(text)] == ["headline", "furniture", "body"]


def test_a_read_counter_ends_the_story_anywhere_in_its_line():
    text = ("Officials met in Mexico City on Monday to talk about security.\n\nThe story you are reading has "
            "been read 1,204 times\n\nThey spoke for an hour about it.\n")
    assert [k for k, _ in kinds(text)] == ["headline", "furniture", "furniture"]


def test_foreign_language_line_is_furniture_even_before_any_tail_marker():
    text = "Officials met in Mexico City on Monday to talk about security.\n\nUYARI: Küfür, hakaret içeren yorumlar onaylanmamaktadır ve silinir hemen.\n"
    assert [k for k, _ in kinds(text)] == ["headline", "furniture"]


def test_credits_name_journalists_and_photographers():
    _, credits = parse_article(PAGE)
    assert [(c.name, c.role) for c in credits] == [
        ("Jane Doe", "journalist"), ("Tom Roe", "journalist"), ("Ann Smith", "other")]
    for c in credits:
        assert PAGE[c.start:c.end] == c.name


def test_reporting_and_editing_credits():
    text = "Story line here for the test.\n\n(Reporting by Ana Ruiz; Editing by Bo Chan)\n"
    _, credits = parse_article(text)
    assert [c.name for c in credits] == ["Ana Ruiz", "Bo Chan"]


def test_an_organisation_photo_credit_is_not_a_person():
    _, credits = parse_article("Headline of the story today\n\nPhoto: The Daily News Staff\n")
    assert credits == []


def test_nlp_text_keeps_offsets_and_blanks_furniture():
    segs, credits = parse_article(PAGE)
    from graph.read.ingest import Article

    art = Article("x", PAGE, segs, credits)
    masked = nlp_text(art)
    assert len(masked) == len(PAGE)
    assert "Subscribe" not in masked and "512" not in masked and "Jane Doe" not in masked
    i = PAGE.index("Mary Ng")
    assert masked[i:i + 7] == "Mary Ng"


def test_repeated_headline_is_dropped():
    text = "Leaders agree to step up efforts\nLeaders agree to step up efforts\n\nThe leaders met today in the capital.\n"
    assert [k for k, _ in kinds(text)] == ["headline", "furniture", "body"]


def test_catalog_row_is_joined_and_optional(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Leaders meet in the capital\n\nThe leaders met today.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Another headline for the day\n\nBy Ana Ruiz\n\nMore text here.\n", encoding="utf-8")
    (tmp_path / "catalog.csv").write_text(
        "file,title,outlet,authors,published\na.txt,Leaders meet in the capital,Reuters,Jo Bloggs; Al Smith (editing),2024-02-01\n",
        encoding="utf-8")
    arts = {a.id: a for a in read_articles(tmp_path)}
    assert arts["a"].outlet == "Reuters"
    assert arts["a"].authors == ("Jo Bloggs", "Al Smith")
    assert arts["a"].published.isoformat() == "2024-02-01"
    assert arts["b"].outlet is None and arts["b"].published is None
    assert arts["b"].authors == ("Ana Ruiz",)
    assert arts["b"].title == "Another headline for the day"


def test_unreadable_articles_come_back_as_errors_naming_the_file(tmp_path: Path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01bad\x00\x81\x82")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "good.txt").write_text("A headline for the day\n\nText.\n", encoding="utf-8")
    items = list(read_articles(tmp_path))
    errors = [str(i) for i in items if isinstance(i, IngestError)]
    assert any(e.startswith("bad.txt:") for e in errors)
    assert any(e.startswith("empty.txt:") and "empty" in e for e in errors)
    assert [i.id for i in items if not isinstance(i, IngestError)] == ["good"]


def test_read_article_rejects_missing_file(tmp_path: Path):
    with pytest.raises(IngestError, match="missing.txt"):
        read_article(tmp_path / "missing.txt")


def test_names_that_fold_to_one_id_get_ids_of_their_own_whatever_the_order():
    from graph.read.ingest import article_ids
    from graph.text import slug

    names = ["report_a.txt", "Report A.txt", "😀.txt", "🎉🎉.txt", "b.txt", "REPORT-A.txt"]
    ids = article_ids(names)
    assert ids == article_ids(list(reversed(names)))  # stable across input order
    assert ids["REPORT-A.txt"] == ("REPORT-A", None)  # the first in code point order keeps its stem
    assert ids["b.txt"] == ("b", None)
    slugs = [slug(i) for i, _ in ids.values()]
    assert len(set(slugs)) == len(names)  # one IRI per file
    renamed = {n: note for n, (_, note) in ids.items() if note}
    assert set(renamed) == {"report_a.txt", "Report A.txt", "😀.txt"}
    assert ids["😀.txt"][0].startswith("x-") and "folds to the same article id as 🎉🎉.txt" in renamed["😀.txt"]
    # an id stays when a further colliding file comes (it is a hash of its own name)
    assert article_ids([*names, "report a.txt"])["Report A.txt"] == ids["Report A.txt"]
