"""Property-based fuzzing of the parsers: any text gives no exception, finite values and offsets that index it.

A fixed, derandomised budget keeps CI fast (HYPOTHESIS_EXAMPLES, default 200 per property);
`make fuzz` runs the same properties with a long budget.
"""
import math
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.components.number_finder import NumberFinder
from pipeline.dates.finder import Reference, find_date_mentions, parse_period
from pipeline.numbers.lexicon import load_lexicon
from pipeline.review.parse import parse_period as parse_review_period
from pipeline.review.parse import parse_value

MODELS = Path(__file__).resolve().parents[2] / "models"
FUZZ = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 200)), derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Pieces news text is made of, so the fuzzer reaches the parsers' rules and not only their first test.
PIECES = ["£", "$", "€", "%", "per cent", "pc", "million", "m", "bn", "billion", "thousand", "k", "a year",
          "1", "12", "1,137", "57.4", "0.5", "1e308", "9" * 40, "2017", "2017/18", "2018-19", "17-year-olds",
          "March", "31", "Q3", "since", "from", "to", "between", "and", "by", "about", "nearly", "half",
          "two", "twenty", "hundred", "one in five", "3/4", "-", "–", "+", "(", ")", ".", ",", ":", "\n", "\t",
          "last year", "next month", "1990s", "the council", "Norfolk", "homes", "m²", "km", "½", "٣", "¹"]
news_like = st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join)
glued = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
any_text = st.one_of(news_like, glued, st.text(max_size=200))


@pytest.fixture(scope="module")
def finder():
    return NumberFinder(load_lexicon(MODELS / "number_words.csv", MODELS / "number_cues.csv"))


@FUZZ
@given(text=any_text)
def test_number_finder_any_text(finder, text):
    for mention in finder.find(text):
        assert 0 <= mention.start < mention.end <= len(text), (text, mention)
        assert text[mention.start:mention.end].strip(), (text, mention)
        assert math.isfinite(mention.amount.value), (text, mention)


REFERENCES = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)).map(
    lambda day: Reference(day, day)))


@FUZZ
@given(text=any_text, reference=REFERENCES)
def test_date_mentions_any_text(text, reference):
    for mention in find_date_mentions(text, reference):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.text
        period = mention.period
        if period is not None and period.start and period.end:
            assert period.start <= period.end, (text, mention)


@FUZZ
@given(text=any_text, reference=REFERENCES)
def test_parse_period_any_text(text, reference):
    period = parse_period(text, reference)
    if period is not None and period.start and period.end:
        assert period.start <= period.end


@FUZZ
@given(text=any_text)
@example(text="1e308 million")
@example(text="nan")
@example(text="-inf")
def test_review_value_is_finite_or_refused(text):
    try:
        value = parse_value(text)
    except ValueError:
        return
    assert math.isfinite(value)


@FUZZ
@given(text=any_text)
def test_review_period_is_dates_or_refused(text):
    try:
        bounds = parse_review_period(text)
    except ValueError:
        return
    if bounds is not None:
        assert date.fromisoformat(bounds[0]) <= date.fromisoformat(bounds[1])
