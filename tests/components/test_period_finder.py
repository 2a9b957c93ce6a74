"""Tests for pipeline/components/period_finder.py on hand-built docs (blank English + sentencizer)."""
from datetime import date

import pytest

from pipeline import extensions  # noqa: F401
from pipeline.components.period_finder import DEFAULT_FORECAST_CUES, PeriodFinder, load_forecast_cues, publication_period
from pipeline.dates.finder import default_finder
from pipeline.records import Amount, Publication

D = date.fromisoformat
PUB_2014 = Publication(D("2014-03-10"), "byline")
PUB_2019 = Publication(D("2019-09-11"), "byline")
EARLY_2018 = Publication(None, "inferred", D("2018-01-02"), D("2018-03-03"))
SEPT_2017 = Publication(None, "inferred", D("2017-07-23"), D("2017-09-20"))


@pytest.fixture(scope="module")
def finder():
    return PeriodFinder(default_finder(), load_forecast_cues(DEFAULT_FORECAST_CUES))


def annotate(nlp, finder, text, numbers, publication=None, changes=()):
    """numbers: the number texts in order (each found after the previous); changes: (from_index, to_index, roles)."""
    doc = nlp(text)
    doc._.publication = publication
    spans, cursor = [], 0
    for number in numbers:
        start = text.index(number, cursor)
        cursor = start + len(number)
        span = doc.char_span(start, cursor, alignment_mode="expand")
        span._.amount = Amount(1.0, "count")
        spans.append(span)
    for change_id, (first, second, roles) in enumerate(changes):
        for index, role in zip((first, second), roles):
            spans[index]._.change_id = f"c{change_id}"
            spans[index]._.role = role
    doc.spans["numbers"] = spans
    finder(doc)
    return doc


def periods(doc):
    return {
        span.text: (
            span._.period.start.isoformat() if span._.period.start else None,
            span._.period.end.isoformat() if span._.period.end else None,
            span._.period.basis,
        )
        for span in doc.spans["numbers"]
    }


# Seed sentences and the forms of the issue, one row per number.
@pytest.mark.parametrize("text,numbers,publication,changes,number,expected", [
    ("Numbers have increased over the [last five years] from approximately 1015 in March 2012 to 1107 in March 17.",
     ["1015", "1107"], None, [(0, 1, ("from", "to"))], "1015", ("2012-03-01", "2012-03-31", "explicit")),
    ("Numbers have increased over the [last five years] from approximately 1015 in March 2012 to 1107 in March 17.",
     ["1015", "1107"], None, [(0, 1, ("from", "to"))], "1107", ("2017-03-01", "2017-03-31", "explicit")),
    ("It was forecasting a £1 million overspend, despite a £9 million additional spend in the 2017/18 budget.",
     ["£1 million", "£9 million"], SEPT_2017, (), "£9 million", ("2017-04-01", "2018-03-31", "explicit")),
    ("Children in care would rise, and place an extra £5 million a year demand on services by 2021/2022.",
     ["£5 million"], None, (), "£5 million", ("2021-04-01", "2022-03-31", "explicit")),
    ("The council currently has 1,137 looked-after children.", ["1,137"], PUB_2014, (), "1,137",
     ("2014-03-01", "2014-03-31", "relative")),
    ("The number of looked-after children will have risen to 1,360 by 2017, costing £12m over three years.",
     ["1,360", "£12m"], PUB_2014, (), "1,360", ("2017-01-01", "2017-12-31", "explicit")),
    ("In 2017-18, nine out of 10 councils were already overspending and this continued, despite the injection of an additional £542m in 2018-19.",
     ["nine out of 10", "£542m"], PUB_2019, (), "nine out of 10", ("2017-04-01", "2018-03-31", "explicit")),
    ("In 2017-18, nine out of 10 councils were already overspending and this continued, despite the injection of an additional £542m in 2018-19.",
     ["nine out of 10", "£542m"], PUB_2019, (), "£542m", ("2018-04-01", "2019-03-31", "explicit")),
    ("It rose by 4% over the last year alone and by 2025, the funding gap is expected to rise to £3.1bn.",
     ["4%", "£3.1bn"], PUB_2019, (), "4%", ("2018-09-11", "2019-09-11", "relative")),
    ("It rose by 4% over the last year alone and by 2025, the funding gap is expected to rise to £3.1bn.",
     ["4%", "£3.1bn"], PUB_2019, (), "£3.1bn", ("2025-01-01", "2025-12-31", "explicit")),
    ("Its looked-after children population is forecast to reach almost 700 by March.", ["almost 700"], EARLY_2018, (),
     "almost 700", ("2018-03-01", "2018-03-31", "relative")),
    ("Cases have increased by 124 per cent over the past decade.", ["124 per cent"], PUB_2014, (), "124 per cent",
     ("2004-03-10", "2014-03-10", "relative")),
    ("Deaths have fallen by 69 per cent in England since 1985.", ["69 per cent"], PUB_2014, (), "69 per cent",
     ("1985-01-01", "2014-03-10", "explicit")),
    ("Profits jumped 76% for the three months to December.", ["76%"], PUB_2014, (), "76%",
     ("2013-10-01", "2013-12-31", "relative")),
    ("Sales rose 2% in Q3 2016.", ["2%"], None, (), "2%", ("2016-07-01", "2016-09-30", "explicit")),
    ("Between 2012 and 2015, cases increased by 76%, from 3,001 to 5,288.", ["76%", "3,001", "5,288"], None,
     [(1, 2, ("from", "to"))], "3,001", ("2012-01-01", "2012-12-31", "explicit")),
    ("Between 2012 and 2015, cases increased by 76%, from 3,001 to 5,288.", ["76%", "3,001", "5,288"], None,
     [(1, 2, ("from", "to"))], "5,288", ("2015-01-01", "2015-12-31", "explicit")),
    ("Between 2012 and 2015, cases increased by 76%, from 3,001 to 5,288.", ["76%", "3,001", "5,288"], None,
     [(1, 2, ("from", "to"))], "76%", ("2012-01-01", "2015-12-31", "explicit")),
    ("The council spent £5m in 2017 and £6m in 2018.", ["£5m", "£6m"], None, (), "£6m",
     ("2018-01-01", "2018-12-31", "explicit")),
])
def test_attach(nlp, finder, text, numbers, publication, changes, number, expected):
    assert periods(annotate(nlp, finder, text, numbers, publication, changes))[number] == expected


# Negatives: names, durations and clause boundaries do not give a number a period.
@pytest.mark.parametrize("text,numbers,publication,number,expected", [
    # A year inside a name is no period: the figure falls back to the publication month.
    ("It will cost £3m to implement the Care Act 2014.", ["£3m"], PUB_2014, "£3m", (None, None, "none")),
    ("Implementing the Care Act 2014 cost £3m in all.", ["£3m"], PUB_2014, "£3m", ("2014-03-01", "2014-03-31", "publication")),
    # A duration is no period.
    ("The investment of £12 million is split over four years.", ["£12 million"], PUB_2014, "£12 million",
     ("2014-03-01", "2014-03-31", "publication")),
    # A date in another clause belongs to that clause.
    ("It was forecasting a £1 million overspend, despite a £9 million additional spend in the 2017/18 budget.",
     ["£1 million", "£9 million"], SEPT_2017, "£1 million", ("2017-07-23", "2017-09-20", "publication")),
    # Too far away in the same clause.
    ("The council will also spend an extra £1.1 million on implementing an improvement plan after Ofsted judged its services to be inadequate in 2017.",
     ["£1.1 million"], PUB_2014, "£1.1 million", (None, None, "none")),
    # Forecast without a target date.
    ("The council is to increase its budget by almost 30%.", ["almost 30%"], PUB_2014, "almost 30%", (None, None, "none")),
    # Nothing to resolve against.
    ("The council has 1,137 looked-after children.", ["1,137"], None, "1,137", (None, None, "none")),
    ("The council currently has 1,137 looked-after children.", ["1,137"], None, "1,137", (None, None, "none")),
    # An unresolvable date blocks the fallback rather than give a wrong year.
    ("Last year the council had 1,137 looked-after children.", ["1,137"], Publication(None, "inferred", D("2017-12-01"), D("2018-02-01")),
     "1,137", (None, None, "none")),
    ("Closures have cut 40 centres in recent years.", ["40 centres"], PUB_2014, "40 centres", (None, None, "none")),
])
def test_no_wrong_period(nlp, finder, text, numbers, publication, number, expected):
    assert periods(annotate(nlp, finder, text, numbers, publication))[number] == expected


def test_from_end_without_its_own_date_stays_empty(nlp, finder):
    doc = annotate(nlp, finder, "Plans rose from 26,400 to more than 50,000 in 2015.", ["26,400", "50,000"], PUB_2019,
                   [(0, 1, ("from", "to"))])
    result = periods(doc)
    assert result["26,400"] == (None, None, "none")
    assert result["50,000"] == ("2015-01-01", "2015-12-31", "explicit")
    assert "start of a change" in doc.spans["numbers"][0]._.period.reason


def test_to_end_does_not_take_the_from_date(nlp, finder):
    doc = annotate(nlp, finder, "It rose from 1,015 in March 2012 to 1,107.", ["1,015", "1,107"], PUB_2014,
                   [(0, 1, ("from", "to"))])
    assert periods(doc)["1,107"] == ("2014-03-01", "2014-03-31", "publication")


def test_every_number_gets_a_period_and_dates_group(nlp, finder):
    text = "In 2017-18, 9 councils overspent. The headline figure was £12 million."
    doc = annotate(nlp, finder, text, ["9 councils", "£12 million"], PUB_2019)
    assert all(span._.period is not None for span in doc.spans["numbers"])
    assert [(s.text, s.label_) for s in doc.spans["dates"]] == [("In 2017-18", "financial_year")]
    dated = doc.spans["numbers"][0]._.period
    assert text[dated.char_start: dated.char_end] == dated.text == "In 2017-18"


def test_number_that_looks_like_a_year_is_not_a_date(nlp, finder):
    doc = annotate(nlp, finder, "The council employs 2014 staff in 2016.", ["2014 staff"], None)
    assert [s.text for s in doc.spans["dates"]] == ["in 2016"]
    assert periods(doc)["2014 staff"] == ("2016-01-01", "2016-12-31", "explicit")


def test_publication_period():
    assert publication_period(PUB_2014) == publication_period(Publication(D("2014-03-31"), "metadata"))
    assert (publication_period(SEPT_2017).start, publication_period(SEPT_2017).end) == (D("2017-07-23"), D("2017-09-20"))
    assert publication_period(Publication()) is None


def test_fallback_can_be_switched_off(nlp):
    finder = PeriodFinder(default_finder(), [], publication_fallback=False)
    doc = annotate(nlp, finder, "The council has 1,137 looked-after children.", ["1,137"], PUB_2014)
    assert periods(doc)["1,137"] == (None, None, "none")


def test_dates_are_read_only_in_sentences_with_numbers(nlp, finder):
    # The finder's cost is in its patterns, so sentences without a claim number are skipped.
    doc = nlp("Nothing to see in March 2012.")
    finder(doc)
    assert list(doc.spans["dates"]) == []
    doc = annotate(nlp, finder, "Nothing in March 2012. The council had 1,137 children in March 2014.", ["1,137"], PUB_2014)
    assert [s.text for s in doc.spans["dates"]] == ["in March 2014"]


@pytest.mark.parametrize("text,number,forecast", [
    ("Fees will rise by 4% for all.", "4%", True),
    ("Fees rose by 4%, and the council will review them.", "4%", False),  # "will" is past a clause break
    ("The council will review fees; they rose by 4%.", "4%", False),  # ... or before one
    ("Fees are expected to reach £40 next spring or later.", "£40", True),
    ("Fees went up by 4% last time.", "4%", False),
    # a table pasted as one line: each number's clause is read within CLAUSE_REACH of it
    ("Rates will vary. " + "x " * 300 + "7% " + "y " * 300 + "done", "7%", False),
    ("Rates " + "x " * 300 + "will rise 7% " + "y " * 300 + "done", "7%", True),
])
def test_forecast_words_in_the_numbers_clause(nlp, text, number, forecast):
    from pipeline.components.period_finder import _Clauses

    finder = PeriodFinder(default_finder(), load_forecast_cues(DEFAULT_FORECAST_CUES))
    doc = nlp.make_doc(text)
    start = text.index(number)
    assert _Clauses(text, doc[:], finder.forecast).forecast_in_clause(start, start + len(number)) == forecast
