"""Parsing what the reviewer types: values and periods."""
import pytest

from pipeline.review.parse import parse_period, parse_value


@pytest.mark.parametrize("text,expected", [
    ("2017/18", ("2017-04-01", "2018-03-31")),  # UK councils' financial year starts 1 April
    ("2017-18", ("2017-04-01", "2018-03-31")),
    ("1999/2000", ("1999-04-01", "2000-03-31")),
    ("1999/00", ("1999-04-01", "2000-03-31")),  # the century turns, as in the date finder
    ("2018", ("2018-01-01", "2018-12-31")),
    ("2018-02", ("2018-02-01", "2018-02-28")),
    ("2018-12", ("2018-12-01", "2018-12-31")),
    ("2018-03-31", ("2018-03-31", "2018-03-31")),
    ("2012..2017", ("2012-01-01", "2017-12-31")),
    ("-", None),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["March", "2018-13", "2017/19", "18"])
def test_parse_period_refuses(text):
    with pytest.raises(ValueError):
        parse_period(text)


@pytest.mark.parametrize("text,expected", [
    ("£12m", 12e6), ("£57.4 million", 57.4e6), ("3.1bn", 3.1e9), ("28.4%", 28.4), ("124 per cent", 124),
    ("1,137", 1137), ("15k", 15000), ("£2.5mn", 2.5e6), ("$1tn", 1e12),  # models/number_cues.csv multipliers
])
def test_parse_value(text, expected):
    assert parse_value(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["lots", "", "£m"])
def test_parse_value_refuses(text):
    with pytest.raises(ValueError):
        parse_value(text)
