"""Tests for pipeline/numbers/quantities.py: units from quantulum3 and models/number_cues.csv,
temperatures, subunits ("6ft 2in"), and "9m" as metres, millions or neither."""
import pytest

from number_cases import found, one, vetoes
from pipeline.numbers.quantities import quantity, temperature
from pipeline.numbers.lexicon import NO_QUALIFIER, Qualifier
from pipeline.numbers.vetoes import DURATION


@pytest.mark.parametrize("text,surface,value,unit", [
    ("The tower is 9m (30ft) tall.", "9m", 9, "metre"),
    ("The tower is 9m (30ft) tall.", "30ft", 30, "foot"),
    ("1,000 tonnes of waste", "1,000 tonnes", 1000, "tonne"),
    ("a 5kW heat pump", "5kW", 5, "kilowatt"),
    ("a 50MW solar farm", "50MW", 50, "megawatt"),
    ("the plant makes 2 GWh a year", "2 GWh", 2, "gigawatt hour"),
    ("speeds of 30 Mbps in the village", "30 Mbps", 30, "megabit per second"),
    ("a 64GB phone", "64GB", 64, "gigabyte"),
    ("a 500mg dose", "500mg", 500, "milligram"),
    ("3 litres of water", "3 litres", 3, "litre"),
    ("a 40 sq m flat", "40 sq m", 40, "square metre"),
    ("200 hectares of woodland", "200 hectares", 200, "hectare"),
    ("limits of 20mph in towns", "20mph", 20, "mile per hour"),
    ("a limit of 50 km/h on the bridge", "50 km/h", 50, "kilometre per hour"),
    ("a 300bhp engine", "300bhp", 300, "brake horsepower"),
    ("lows of -5C overnight", "-5C", -5, "degree Celsius"),
    ("a 16-mile (26km) test", "26km", 26, "kilometre"),
    ("the men's 1500m behind Speaight", "1500m", 1500, "metre"),
    ("won the 400m title", "400m", 400, "metre"),
    ("in the individual 100m and 200m events in Athens", "200m", 200, "metre"),
    ("to renew 1,800m of existing track", "1,800m", 1800, "metre"),
    ("she jumped 6.50m in her last jump", "6.50m", 6.5, "metre"),
    ("a 170m (185 yards) stretch of canal", "170m", 170, "metre"),
    ("12,900 acres of land", "12,900 acres", 12_900, "acre"),
    ("The 6ft 2in striker", "6ft 2in", 6 + 2 / 12, "foot"),
    ("the baby weighed 7lb 3oz", "7lb 3oz", 7 + 3 / 16, "pound-mass"),
    ("temperatures reached 30C on Monday", "30C", 30, "degree Celsius"),
    ("a high of 86F", "86F", 86, "degree fahrenheit"),
    ("it fell to -5C overnight", "-5C", -5, "degree Celsius"),
    ("it fell to minus 5C overnight", "minus 5C", -5, "degree Celsius"),
    ("a low of 3°C", "3°C", 3, "degree Celsius"),
    ("up to 25 degrees Celsius", "25 degrees Celsius", 25, "degree Celsius"),
    ("they seized 5,200 hectares of land", "5,200 hectares", 5200, "hectare"),
    ("an area of 3 square miles", "3 square miles", 3, "square mile"),
    ("a 1.8GHz processor", "1.8GHz", 1.8, "gigahertz"),
    ("a 160GB hard drive", "160GB", 160, "gigabyte"),
    # a scale word or a number in words before the unit
    ("the farms grew 12.6 million tonnes of wheat", "12.6 million tonnes", 12_600_000, "tonne"),
    ("a reservoir of 40 billion litres", "40 billion litres", 40_000_000_000, "litre"),
    ("the mall covers 1.2 million square feet", "1.2 million square feet", 1_200_000, "square foot"),
    ("homes within eight kilometres of the mast", "eight kilometres", 8, "kilometre"),
    ("they drank four litres a day", "four litres", 4, "litre"),
    # "pounds" in words is a weight only near words about weight (else money: test_candidates)
    ("the baby weighed seven pounds", "seven pounds", 7, "pound-mass"),
    ("the dog is now twelve pounds lighter", "twelve pounds", 12, "pound-mass"),
])
def test_quantities(finder, text, surface, value, unit):
    mention = one(finder, text, surface)
    assert mention.amount.kind == "quantity"
    assert mention.amount.value == pytest.approx(value)
    assert mention.amount.unit == unit


@pytest.mark.parametrize("text,surface,kind,value", [
    ("an audience of 10.9m viewers", "10.9m", "count", 10_900_000),  # a counted noun: millions
    ("the mast is 12m tall", "12m", "quantity", 12),  # a metre word: metres
    ("a further 300m will be needed", None, None, None),  # neither: left out
    ("about 12 million people voted", "12 million", "count", 12_000_000),  # no unit after the scale word
    ("six volunteers turned up", "six", "count", 6),
    ("he has scored nine league goals", "nine", "count", 9),  # English words quantulum3 takes for units
    ("still in two cup competitions", "two", "count", 2),
    ("there are five drop-in centres", "five", "count", 5),
])
def test_metres_or_millions(finder, text, surface, kind, value):
    if surface is None:
        assert found(finder, text) == []
        assert [code for _, code in vetoes(finder, text)] == ["ambiguous_unit"]
        return
    mention = one(finder, text, surface)
    assert (mention.amount.kind, mention.amount.value) == (kind, pytest.approx(value))


def test_time_units_are_durations_not_quantities(lex):
    text = "it took 18 months"
    start = text.index("18")
    assert quantity(text, start, start + 2, 18.0, NO_QUALIFIER, lex) is DURATION


def test_no_unit_is_not_a_quantity(lex):
    text = "it took 18 people"
    start = text.index("18")
    assert quantity(text, start, start + 2, 18.0, NO_QUALIFIER, lex) is None


def test_temperature_keeps_sign_and_qualifier(lex):
    text = "lows of around -4C tonight"
    start = text.index("4C")
    amount = temperature(text, start, start + 1, 4.0, Qualifier("around", "approximate"), lex)
    assert (text[amount.start : amount.end], amount.value, amount.unit) == ("-4C", -4.0, "degree Celsius")
    assert (amount.qualifier, amount.direction, amount.rule) == ("around", "approximate", "quantity_unit")


# -- durations ---------------------------------------------------------------------------
@pytest.mark.parametrize("text,surface,value,unit", [
    ("patients waited an average of 18 weeks for surgery", "18 weeks", 18, "week"),
    ("planning decisions are due within 45 working days", "45 working days", 45, "day"),
    ("the club signed a 25-year lease on the ground", "25-year", 25, "year"),
    ("a six-month trial of the new bins", "six-month", 6, "month"),
    ("the bridge will shut for 18 months", "18 months", 18, "month"),
    ("crews worked a 24-hour shift", "24-hour", 24, "hour"),
    ("the average wait was 40 minutes", "40 minutes", 40, "minute"),
    ("the mine will run for three decades", "three decades", 30, "year"),
    ("patients waited more than 18 weeks", "18 weeks", 18, "week"),
    ("a wait of up to four hours a day", "four hours", 4, "hour"),
    ("staff work six more days a year", "six more days", 6, "day"),
])
def test_durations(finder, text, surface, value, unit):
    mention = one(finder, text, surface)
    assert (mention.amount.kind, mention.amount.value, mention.amount.unit) == ("duration", value, unit)


@pytest.mark.parametrize("text,surface", [
    ("over four years the cost rose by £2m", "four"),  # another figure's period
    ("the cost rose over the three-year period", "three"),
    ("in the past five years", "five"),
    ("in the 12 months to March", "12"),
    ("the library shut two years ago", "two"),
    ("for the first 100 days", "100"),
    ("for the first time in almost three months", "three"),
    ("in the next two to three months", "three"),
    ("the pound hit a five-year high", "five"),
    ("sales hit a 30 year low", "30"),
    ("two years on, the road is still shut", "two"),
    ("for 25 years from 2007", "25"),
    ("Four years into the plan, it stalled", "Four"),
    ("the winner came after just nine minutes", "nine"),  # a point in the match, not a length
    ("the last such fall was 23 years previously", "23"),
    ("it took centuries", None),
])
def test_periods_are_not_durations(finder, text, surface):
    assert [f for f in found(finder, text) if f[2] == "duration"] == []
    if surface:
        assert (surface, "duration") in vetoes(finder, text)


@pytest.mark.parametrize("text", ["a 10-year-old boy", "the boy, aged 12 years,", "she is five years old"])
def test_ages_are_not_durations(finder, text):
    assert [f for f in found(finder, text) if f[2] == "duration"] == []
