"""Dates as articles write them, resolved against the publication date.

News writes "on Thursday", "today", "in February", "on August 10". Each phrase is kept
as written beside the date it resolves to. A weekday alone means the most recent such
day on or before publication (the future one when the verb is future: "will meet on
Monday"); a month and day without a year take the publication's year; without a
publication date nothing is guessed. A weekday that contradicts its date ("Wednesday,
April 13" in 2023) is reported as a data-quality note instead of being hidden.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..model import DateRef

__all__ = ["RELATIVE_DAYS", "resolve_phrase", "find_dates", "weekday_mismatches"]

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_MON = {m[:3]: i + 1 for i, m in enumerate(MONTHS)}
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MD = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
       r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
       r"(?:,?\s+(?P<year>\d{4}))?")
_MONTH_ONLY = (r"(?P<month2>january|february|march|april|may|june|july|august|september|october|november|"
               r"december)(?:\s+(?P<year2>\d{4}))?")
# a day told relative to the date the sentence gave before it ("on Friday described her call … the
# previous day"), or to publication when it gave none; "the day before" is left out (it is most often
# "the day before <an event>")
_SHIFTS = {"the previous day": -1, "a day earlier": -1, "the day prior": -1, "the next day": 1,
           "the following day": 1, "a day later": 1}
RELATIVE_DAYS = frozenset(_SHIFTS)
PATTERN = re.compile(
    rf"\b(?:(?P<rel>today|tonight|yesterday|tomorrow)|(?P<relday>{'|'.join(map(re.escape, _SHIFTS))})|{_WD}(?:’s|'s)?(?:\s+(?:morning|afternoon|evening|night))?"
    rf"(?:,?\s+{_MD})?|{_MD.replace('month', 'm3').replace('day', 'd3').replace('year', 'y3')}|"
    rf"(?<=in\s){_MONTH_ONLY})\b",
    re.I,
)
# the same pattern for lower-cased text: case-insensitive matching of its many alternatives is
# slower, and every body line is searched
_LOWER = re.compile(PATTERN.pattern)


def _weekday_date(wd: str, published: date, future: bool) -> date:
    target = WEEKDAYS.index(wd.lower())
    delta = (published.weekday() - target) % 7
    if future:
        return published + timedelta(days=(target - published.weekday()) % 7)
    return published - timedelta(days=delta)


def resolve_phrase(m: re.Match, published: date | None, future: bool = False, offset: int = 0) -> DateRef:
    g = m.groupdict()
    phrase, start, end = m.group(0), m.start() + offset, m.end() + offset
    if g.get("relday"):  # resolved against the sentence's earlier date in find_dates
        shift = _SHIFTS[g["relday"].lower()]
        return DateRef(phrase, start, end, published + timedelta(days=shift) if published else None)
    if g.get("rel"):
        if not published:
            return DateRef(phrase, start, end)
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()]
        return DateRef(phrase, start, end, published + timedelta(days=shift))
    month = g.get("month") or g.get("m3")
    if month:
        day = int(g.get("day") or g.get("d3"))
        year = g.get("year") or g.get("y3")
        y = int(year) if year else (published.year if published else None)
        if y is None:
            return DateRef(phrase, start, end)
        try:
            d = date(y, _MON[month[:3].lower()], day)
        except ValueError:
            return DateRef(phrase, start, end, note=f"impossible date {phrase!r}")
        note = None
        if g.get("wd") and WEEKDAYS[d.weekday()] != g["wd"].lower():
            note = f"{g['wd']} does not match {d.isoformat()} (a {WEEKDAYS[d.weekday()].capitalize()})"
        return DateRef(phrase, start, end, d, note=note)
    if g.get("wd"):
        if not published:
            return DateRef(phrase, start, end)
        return DateRef(phrase, start, end, _weekday_date(g["wd"], published, future))
    if g.get("month2"):
        year = g.get("year2")
        y = int(year) if year else (published.year if published else None)
        if y is None:
            return DateRef(phrase, start, end)
        return DateRef(phrase, start, end, month=(y, MONTHS.index(g["month2"].lower()) + 1))
    return DateRef(phrase, start, end)


def find_dates(text: str, published: date | None, future: bool = False, offset: int = 0) -> list[DateRef]:
    """Every date phrase in ``text`` (offsets shifted by ``offset``); "the previous day" counts from
    the date given before it in ``text``, else from publication."""
    out: list[DateRef] = []
    for m in _matches(text):
        d = resolve_phrase(m, published, future, offset)
        if m.group("relday"):
            anchor = next((x.date for x in reversed(out) if x.date), None)
            if anchor is not None:
                d = DateRef(d.phrase, d.start, d.end, anchor + timedelta(days=_SHIFTS[m.group("relday").lower()]))
        out.append(d)
    return out


def _matches(text: str) -> list[re.Match]:
    """``PATTERN``'s matches in ``text``, found in its lower-cased copy and taken again from the
    text itself (a phrase is kept as written)."""
    low = text.lower()
    if len(low) == len(text):  # lower-casing kept every offset (it does but for a few letters)
        found = []
        for m in _LOWER.finditer(low):
            again = PATTERN.match(text, m.start())
            if again is None or again.end() != m.end():
                break
            found.append(again)
        else:
            return found
    return list(PATTERN.finditer(text))


def weekday_mismatches(text: str, published: date | None, offset: int = 0) -> list[DateRef]:
    """Date phrases whose weekday contradicts their date."""
    return [d for d in find_dates(text, published, offset=offset) if d.note]
