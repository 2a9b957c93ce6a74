"""Tests for pipeline/dates/calendar.py: tables of calendar arithmetic and month names."""
import re
from datetime import date

import pytest

from pipeline.dates.calendar import (
    MONTHS,
    Reference,
    add_months,
    as_of,
    expand_two_digit_year,
    financial_year,
    financial_year_of,
    month_alternation,
    month_hint_regex,
    month_number,
    month_occurrence,
    month_word_regex,
    quarter,
    second_year,
    whole_month,
    yearless_day,
)
from pipeline.records import Publication

D = date.fromisoformat


@pytest.mark.parametrize("first_year,start,end", [
    (2017, "2017-04-01", "2018-03-31"),  # UK councils' financial year starts 1 April
    (1999, "1999-04-01", "2000-03-31"),
])
def test_financial_year(first_year, start, end):
    assert financial_year(first_year) == (D(start), D(end))


@pytest.mark.parametrize("day,first_year", [
    ("2018-03-31", 2017), ("2018-04-01", 2018), ("2018-01-15", 2017), ("2018-12-31", 2018),
])
def test_financial_year_of(day, first_year):
    assert financial_year_of(D(day)) == first_year


@pytest.mark.parametrize("year,month,end", [
    (2016, 2, "2016-02-29"), (2018, 2, "2018-02-28"), (2000, 2, "2000-02-29"), (1900, 2, "1900-02-28"),
    (2018, 4, "2018-04-30"), (2018, 12, "2018-12-31"),
])
def test_whole_month(year, month, end):
    assert whole_month(year, month) == (date(year, month, 1), D(end))


@pytest.mark.parametrize("year,number,start,end", [
    (2016, 1, "2016-01-01", "2016-03-31"), (2016, 3, "2016-07-01", "2016-09-30"), (2016, 4, "2016-10-01", "2016-12-31"),
])
def test_quarter(year, number, start, end):
    assert quarter(year, number) == (D(start), D(end))


@pytest.mark.parametrize("day,months,expected", [
    ("2014-03-10", -12, "2013-03-10"),
    ("2014-03-31", -1, "2014-02-28"),  # clipped to the shorter month
    ("2016-03-31", -1, "2016-02-29"),
    ("2014-11-15", 3, "2015-02-15"),
    ("2014-03-10", -120, "2004-03-10"),
])
def test_add_months(day, months, expected):
    assert add_months(D(day), months) == D(expected)


@pytest.mark.parametrize("digits,after,year", [(17, 2012, 2017), (0, 1999, 2000), (12, 2012, 2012), (5, 1950, None)])
def test_expand_two_digit_year(digits, after, year):
    assert expand_two_digit_year(digits, after) == year


@pytest.mark.parametrize("first,written,second", [
    (2017, "18", 2018), (2021, "2022", 2022), (1999, "00", 2000), (2017, "05", None), (2019, "12", None),
])
def test_second_year(first, written, second):
    assert second_year(first, written) == second


@pytest.mark.parametrize("month,day,weekday,reference,expected", [
    (9, 25, 0, Reference(D("2017-07-23"), D("2017-09-21")), "2017-09-25"),
    (9, 20, None, Reference(D("2017-07-23"), D("2017-09-21")), "2017-09-20"),
    (9, 25, 0, None, None),
    (9, 25, 1, Reference(D("2017-07-23"), D("2017-09-21")), None),  # not a Tuesday anywhere near
])
def test_yearless_day(month, day, weekday, reference, expected):
    resolved, _ = yearless_day(month, day, reference, weekday)
    assert (resolved.isoformat() if resolved else None) == expected


@pytest.mark.parametrize("month,said_on,how,first", [
    (3, "2019-09-11", "by", "2020-03-01"),   # "by March": the next March not yet over
    (3, "2014-03-10", "by", "2014-03-01"),
    (3, "2019-09-11", "last", "2019-03-01"),
    (9, "2019-09-11", "last", "2018-09-01"),
    (9, "2019-09-11", "next", "2020-09-01"),
    (12, "2014-03-10", "past", "2013-12-01"),  # "the three months to December": already begun
    (1, "2014-03-10", "in", "2014-01-01"),    # the nearest January
    (8, "2014-03-10", "in", "2014-08-01"),    # five months ahead is nearer than seven back
    (9, "2014-03-10", "in", "2013-09-01"),    # six months either way: the past one
])
def test_month_occurrence(month, said_on, how, first):
    assert month_occurrence(month, D(said_on), how) == D(first)


@pytest.mark.parametrize("reference,start,end", [
    (Reference(D("2014-03-10"), D("2014-03-10")), "2014-03-01", "2014-03-31"),  # the month of publication
    (Reference(D("2014-03-02"), D("2014-03-20")), "2014-03-01", "2014-03-31"),
    (Reference(D("2018-01-02"), D("2018-03-03")), "2018-01-02", "2018-03-03"),  # only bounds: the bounds
])
def test_as_of(reference, start, end):
    assert as_of(reference) == (D(start), D(end))


@pytest.mark.parametrize("publication,reference", [
    (Publication(D("2014-03-10"), "byline"), Reference(D("2014-03-10"), D("2014-03-10"))),
    (Publication(None, "inferred", D("2018-01-02"), D("2018-03-03")), Reference(D("2018-01-02"), D("2018-03-03"))),
    (Publication(), None),
    (None, None),
])
def test_reference_from_publication(publication, reference):
    assert Reference.from_publication(publication) == reference


@pytest.mark.parametrize("written,number", [
    ("March", 3), ("Mar", 3), ("Mar.", 3), ("Sept", 9), ("Sept.", 9), ("sep", 9), ("MAY", 5), ("December", 12),
])
def test_month_number(written, number):
    assert month_number(written) == number


def test_every_abbreviation_names_one_month():
    assert sorted(set(MONTHS.values())) == list(range(1, 13))
    assert all(len({m for w, m in MONTHS.items() if w.startswith(a)}) == 1 for a in ("Jan", "Mar", "Jun", "Jul", "Sep"))


@pytest.mark.parametrize("text,month", [
    ("in March 2012", "March"), ("Sept. 2016", "Sept."), ("Sep 2016", "Sep"), ("on 5 Dec", "Dec"),
    ("we may march", None),      # lower case: verbs, not months
    ("Marching on", None),       # a whole word only
    ("Septic tank", None),
])
def test_month_word_regex(text, month):
    match = re.search(month_word_regex(), text)
    assert (match.group(0) if match else None) == month


@pytest.mark.parametrize("text,found", [
    ("sept", True), ("SEPTEMBER", True), ("may", True), ("Mayor", True),  # a bare alternation: callers add \b
    ("Monday", False),
])
def test_month_alternation_for_ignorecase_patterns(text, found):
    assert bool(re.match(rf"(?:{month_alternation(lower=True)})", text, re.I)) == found


def test_longest_first_prefers_the_full_name():
    assert re.match(rf"(?:{month_alternation(longest_first=True)})", "Sept 2017").group(0) == "Sept"
    assert re.match(rf"(?:{month_alternation()})", "Sept 2017").group(0) == "Sep"


@pytest.mark.parametrize("text,found", [("Published 3 Mar", True), ("in Sept", True), ("the mayor", False), ("2017", False)])
def test_month_hint(text, found):
    assert bool(re.search(month_hint_regex(), text)) == found
