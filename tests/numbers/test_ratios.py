"""Tests for pipeline/numbers/ratios.py: out-of forms and fractions, and the vetoed look-alikes."""
import pytest

from number_cases import found, one, vetoes


@pytest.mark.parametrize("text,surface,value", [
    ("nine out of 10 councils agreed", "nine out of 10", 0.9),
    ("two thirds of councils", "two thirds", 2 / 3),
    ("about two-thirds of all activity", "two-thirds", 2 / 3),
    ("one in three children", "one in three", 1 / 3),
    ("One in five even admitted it", "One in five", 0.2),
    ("a quarter of homes", "a quarter", 0.25),
    ("half of all councils", "half", 0.5),
    ("Half of the money", "Half", 0.5),
    ("three in 10 adults", "three in 10", 0.3),
    ("23 out of the capital's 33 boroughs", None, None),
])
def test_ratios(finder, text, surface, value):
    if surface is None:
        assert [f for f in found(finder, text) if f[2] == "ratio"] == []
        return
    mention = one(finder, text, surface)
    assert mention.amount.kind == "ratio"
    assert mention.amount.value == pytest.approx(value)
    assert mention.amount.rule in ("ratio_out_of", "ratio_fraction")


@pytest.mark.parametrize("text,surface,code", [
    ("the first half of the year", "half", "not_a_share"),
    ("in the third quarter of 2004", "quarter", "not_a_share"),
    ("a two-and-a-half year high", "half", "compound"),
    ("scrum-half Richard Wigglesworth", "half", "compound"),
    ("one in 2012", "one in 2012", "year"),
    ("the final quarter of last year", "quarter", "not_a_share"),
    ("lower than in the preceding three quarters.", "three quarters", "not_a_share"),
    ("they led at half-time", "half", "compound"),
    ("six in 2 cases", "six in 2", "not_a_share"),
    ("a third time lucky", "a third", "not_a_share"),
])
def test_not_ratios(finder, text, surface, code):
    assert [f for f in found(finder, text) if f[2] == "ratio"] == []
    assert (surface, code) in vetoes(finder, text)


def test_ratio_carries_its_qualifier(finder):
    mention = one(finder, "almost two thirds of residents", "two thirds")
    assert (mention.amount.qualifier, mention.amount.direction) == ("almost", "just_below")


# -- multipliers ----------------------------------------------------------------------------
@pytest.mark.parametrize("text,surface,value", [
    ("a fivefold rise in fines", "fivefold", 5),
    ("a 10-fold increase in calls", "10-fold", 10),
    ("four times as many pupils", "four times", 4),
    ("2.5 times higher than last year", "2.5 times", 2.5),
    ("twice as much money", "twice", 2),
    ("the new line is 16 times faster", "16 times", 16),  # a comparative that says "more"
    ("three times better at finding fraud", "three times", 3),
    ("a queue 1.5 times longer than in May", "1.5 times", 1.5),
    ("the cost doubled in a year", "doubled", 2),
    ("rents have trebled since 2010", "trebled", 3),
])
def test_multipliers(finder, text, surface, value):
    amount = one(finder, text, surface).amount
    assert (amount.kind, amount.value, amount.unit, amount.rule) == ("ratio", value, "x", "ratio_times")


@pytest.mark.parametrize("text", [
    "she visited twice",  # how often, not a multiplier
    "three times a day",  # a frequency
    "one times table",
    "she scored 16 times in the season",  # how often
    "prices ten times lower than in 2010",  # "times lower" is a division: not read as x10
    "the bus came 20 times late",
])
def test_not_multipliers(finder, text):
    assert [f for f in found(finder, text) if f[3] == "x"] == []
