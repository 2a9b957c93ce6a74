"""Tests for pipeline/dates/finder.py: each form of date expression, with negatives."""
from datetime import date

import pytest

from pipeline.dates.calendar import Reference
from pipeline.dates.finder import (
    CalendarDateParser,
    DateFinder,
    calendar_date_parser,
    dateparser_calls,
    default_finder,
    find_date_mentions,
    load_count_words,
    parse_calendar_date,
    parse_period,
)

D = date.fromisoformat
PUBLISHED_2014 = Reference(D("2014-03-10"), D("2014-03-10"))
PUBLISHED_2019 = Reference(D("2019-09-11"), D("2019-09-11"))
EARLY_2018 = Reference(D("2018-01-02"), D("2018-03-03"))


def period_of(text, reference=None):
    period = parse_period(text, reference)
    return None if period is None else (period.start.isoformat(), period.end.isoformat() if period.end else None, period.basis)


@pytest.mark.parametrize("text,start,end", [
    ("2017/18", "2017-04-01", "2018-03-31"),
    ("in 2018-19", "2018-04-01", "2019-03-31"),
    ("by 2021/2022", "2021-04-01", "2022-03-31"),
    ("the 2017/18 budget", "2017-04-01", "2018-03-31"),
    ("2017–18", "2017-04-01", "2018-03-31"),
    ("the financial year 2016/17", "2016-04-01", "2017-03-31"),
    ("FY17/18", "2017-04-01", "2018-03-31"),
    ("1999/00", "1999-04-01", "2000-03-31"),
])
def test_financial_years(text, start, end):
    assert period_of(text) == (start, end, "explicit")


@pytest.mark.parametrize("text", [
    "2019-12",      # a year and a month, not two years
    "2017/16",      # backwards
    "12/18",        # no four-digit year
    "2017/18%",
])
def test_not_financial_years(text):
    assert [m for m in find_date_mentions(text) if m.kind == "financial_year"] == []


@pytest.mark.parametrize("text,start,end", [
    ("in the year ended in March 2017", "2016-04-01", "2017-03-31"),
    ("in the year ending March 2017", "2016-04-01", "2017-03-31"),
    ("in the year to March 2017", "2016-04-01", "2017-03-31"),
])
def test_year_ended(text, start, end):
    assert period_of(text)[:2] == (start, end)


@pytest.mark.parametrize("text,kind,start,end", [
    ("in the 2009-10 season", "year_range", "2009-01-01", "2010-12-31"),  # football: wider, never wrong
    ("their 2004/05 campaign", "year_range", "2004-01-01", "2005-12-31"),
    ("last season 2016/17", "year_range", "2016-01-01", "2017-12-31"),
    ("the 2017/18 academic year", "academic_year", "2017-09-01", "2018-08-31"),
    ("in the school year 2018-19", "academic_year", "2018-09-01", "2019-08-31"),
    ("the 2017/18 budget", "financial_year", "2017-04-01", "2018-03-31"),
])
def test_two_year_spans_read_by_what_follows(text, kind, start, end):
    mentions = [m for m in find_date_mentions(text) if m.period is not None]
    assert [(m.kind, m.period.start.isoformat(), m.period.end.isoformat()) for m in mentions] == [(kind, start, end)]


@pytest.mark.parametrize("text,start,end", [
    ("in March 2012", "2012-03-01", "2012-03-31"),
    ("Sept 2016", "2016-09-01", "2016-09-30"),
    ("February, 2016", "2016-02-01", "2016-02-29"),
    ("the end of March 2017", "2017-03-01", "2017-03-31"),
    ("31 March 2017", "2017-03-31", "2017-03-31"),
    ("Monday, March 10, 2014", "2014-03-10", "2014-03-10"),
    ("10th of September 2019", "2019-09-10", "2019-09-10"),
    ("by 2017", "2017-01-01", "2017-12-31"),
    ("in mid-2017", "2017-01-01", "2017-12-31"),
    ("Q3 2016", "2016-07-01", "2016-09-30"),
    ("the third quarter of 2004", "2004-07-01", "2004-09-30"),
    ("the final quarter of 2004", "2004-10-01", "2004-12-31"),
    ("between 2010 and 2015", "2010-01-01", "2015-12-31"),
    ("from 2001 to 2003", "2001-01-01", "2003-12-31"),
    ("2010-2015", "2010-01-01", "2015-12-31"),
    ("the 1990s", "1990-01-01", "1999-12-31"),
    ("the year to March 2017", "2016-04-01", "2017-03-31"),
    ("the three months to 31 December 2004", "2004-10-01", "2004-12-31"),
])
def test_explicit_dates(text, start, end):
    assert period_of(text) == (start, end, "explicit")


def test_month_is_whole_month_not_today():
    assert parse_calendar_date("March 2012") == (D("2012-03-01"), "month")
    assert parse_calendar_date("March 17") is None  # no year: dateparser must not borrow this year


def test_dateparser_runs_once_per_distinct_text():
    parse_calendar_date("10th of March 2003")
    before = dateparser_calls()
    assert parse_calendar_date("10th of March 2003") == (D("2003-03-10"), "day")  # a cache hit
    assert dateparser_calls() == before
    parse_calendar_date("11th of March 2003")
    assert dateparser_calls() == before + 1
    assert calendar_date_parser() is calendar_date_parser()


def test_each_parser_counts_its_own_calls():
    parser = CalendarDateParser(cache_size=4)
    assert parser.parse("June 2001") == (D("2001-06-01"), "month")
    assert parser.parse("June 2001") == (D("2001-06-01"), "month")
    assert parser.calls == 1


@pytest.mark.parametrize("text", [
    "Care Act 2014",         # a year inside a name
    "the Housing Act 2004",
    "Vision 2020",
    "split over four years",  # durations are not periods
    "over three years",
    "17-year-olds",
    "£2017",
    "2,017 children",
    "2017.5",
    "a 2017% rise",
    "at 9:31 am",
    "we may march",          # lower-case month words are verbs
])
def test_not_periods(text):
    assert period_of(text) is None


@pytest.mark.parametrize("text,reference,start,end", [
    ("currently", PUBLISHED_2014, "2014-03-01", "2014-03-31"),
    ("now", PUBLISHED_2019, "2019-09-01", "2019-09-30"),
    ("this year", PUBLISHED_2014, "2014-01-01", "2014-12-31"),
    ("last year", PUBLISHED_2014, "2013-01-01", "2013-12-31"),
    ("over the past year", PUBLISHED_2019, "2018-09-11", "2019-09-11"),
    ("over the last year", PUBLISHED_2019, "2018-09-11", "2019-09-11"),
    ("over the past decade", PUBLISHED_2014, "2004-03-10", "2014-03-10"),
    ("the last five years", PUBLISHED_2014, "2009-03-10", "2014-03-10"),
    ("next week", PUBLISHED_2014, "2014-03-17", "2014-03-23"),
    ("last month", PUBLISHED_2014, "2014-02-01", "2014-02-28"),
    ("this financial year", PUBLISHED_2014, "2013-04-01", "2014-03-31"),
    ("by March", PUBLISHED_2014, "2014-03-01", "2014-03-31"),
    ("by March", PUBLISHED_2019, "2020-03-01", "2020-03-31"),
    ("by March", EARLY_2018, "2018-03-01", "2018-03-31"),
    ("in January", PUBLISHED_2014, "2014-01-01", "2014-01-31"),
    ("last March", PUBLISHED_2019, "2019-03-01", "2019-03-31"),
    ("in the three months to December", PUBLISHED_2014, "2013-10-01", "2013-12-31"),
    ("on 5 March", EARLY_2018, "2018-03-05", "2018-03-05"),
    ("Monday 25 September", Reference(D("2017-07-23"), D("2017-09-20")), "2017-09-25", "2017-09-25"),
])
def test_relative_dates(text, reference, start, end):
    assert period_of(text, reference) == (start, end, "relative")


@pytest.mark.parametrize("text,reference,reason", [
    ("currently", None, "publication date we do not have"),
    ("by March", None, "no publication date"),
    ("last year", Reference(D("2017-12-01"), D("2018-02-01")), "too uncertain"),
    ("in recent years", PUBLISHED_2014, "vague"),
    ("Monday 25 September", PUBLISHED_2014, "weekday"),
    ("Monday, March 11, 2014", None, "does not fall on"),
])
def test_unresolved_dates_say_why(text, reference, reason):
    mentions = find_date_mentions(text, reference)
    assert len(mentions) == 1 and mentions[0].period is None
    assert reason in mentions[0].reason


def test_since_runs_to_publication():
    assert period_of("since 1985", PUBLISHED_2014) == ("1985-01-01", "2014-03-10", "explicit")
    open_end = parse_period("since 1985")
    assert (open_end.start, open_end.end) == (D("1985-01-01"), None) and "open end" in open_end.reason


@pytest.mark.parametrize("sentence,expected", [
    ("from approximately 1015 in March 2012 to 1107 in March 17",
     [("2012-03-01", "2012-03-31"), ("2017-03-01", "2017-03-31")]),
    ("from 1,000 in March 2012 to 1,200 in March 2013", [("2012-03-01", "2012-03-31"), ("2013-03-01", "2013-03-31")]),
])
def test_two_digit_year_after_month_year(sentence, expected):
    mentions = find_date_mentions(sentence, PUBLISHED_2014)
    assert [(m.period.start.isoformat(), m.period.end.isoformat()) for m in mentions] == expected


def test_month_day_alone_is_a_day_not_a_year():
    mention, = find_date_mentions("the meeting on March 17", PUBLISHED_2014)
    assert (mention.kind, mention.period.start) == ("day", D("2014-03-17"))


def test_sentence_finds_each_expression_once():
    text = "The number rose by 4% over the last year alone and by 2025, the gap is expected to rise to £3.1bn."
    assert [m.text for m in find_date_mentions(text, PUBLISHED_2019)] == ["over the last year", "by 2025"]


@pytest.mark.parametrize("text,start,end", [
    ("over the past five years", "2009-03-10", "2014-03-10"),
    ("over the past forty years", "1974-03-10", "2014-03-10"),   # any single number word of models/number_words.csv
    ("in the last 18 months", "2012-09-10", "2014-03-10"),
    ("the past two weeks", "2014-02-24", "2014-03-10"),
    ("over the past two decades", "1994-03-10", "2014-03-10"),
])
def test_trailing_counts(text, start, end):
    assert period_of(text, PUBLISHED_2014) == (start, end, "relative")


@pytest.mark.parametrize("text,kind,reason", [
    ("over the past a few years", "vague", "no length given"),  # models/period_counts.csv
    ("the past a couple of years", "vague", "no length given"),
])
def test_vague_counts_are_found_but_not_resolved(text, kind, reason):
    mention, = find_date_mentions(text, PUBLISHED_2014)
    assert (mention.kind, mention.period, mention.reason) == (kind, None, reason)


@pytest.mark.parametrize("text,start,end", [
    ("in the six months to March 2014", "2013-10-01", "2014-03-31"),
    ("in the twelve months to March 2014", "2013-04-01", "2014-03-31"),
    ("in the 18 months ending March 2014", "2012-10-01", "2014-03-31"),
])
def test_months_to_counts(text, start, end):
    assert period_of(text) == (start, end, "explicit")


@pytest.mark.parametrize("text", [
    "in the a few months to March 2014",   # vague: no length, no period
    "in the seventy months to March 2014",  # over five years: not a reporting period
])
def test_months_to_without_a_usable_count(text):
    assert [m.kind for m in find_date_mentions(text) if m.kind == "months_to"] == []


def test_count_words_come_from_the_number_lexicon():
    words = load_count_words()
    assert (words["one"], words["twelve"], words["forty"], words["a hundred"], words["a few"]) == (1, 12, 40, 100, 0)
    assert "a million" not in words and "hundred" not in words  # at most three figures, like the digits


def test_finder_takes_its_word_lists_as_data():
    finder = DateFinder([], frozenset({"Act"}), {"umpteen": 7})
    mention, = finder.find("the past umpteen years", PUBLISHED_2014)
    assert (mention.period.start, mention.period.end) == (D("2007-03-10"), D("2014-03-10"))
    assert finder.find("Care Act 2014")[0].kind == "name"
    assert default_finder() is default_finder()
