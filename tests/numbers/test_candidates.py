"""Tests for pipeline/numbers/candidates.py: numbers in digits and words read as money, percent
and counts; ranges, changes and qualifiers. Run through NumberFinder on plain strings (no model)."""
import pytest

from number_cases import found, one
from pipeline.numbers.candidates import Side, share_units


# -- money -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,surface,value,unit,per", [
    ("The council will spend £12 million on roads.", "£12 million", 12_000_000, "GBP", None),
    ("It will cost £12m.", "£12m", 12_000_000, "GBP", None),
    ("a £3.1bn budget gap", "£3.1bn", 3_100_000_000, "GBP", None),
    ("a deficit of £542m this year", "£542m", 542_000_000, "GBP", None),
    ("a coffee costs £1.80 now", "£1.80", 1.8, "GBP", None),
    ("residents pay £400 a year more", "£400", 400, "GBP", "year"),
    ("it costs £5 million a year to run", "£5 million", 5_000_000, "GBP", "year"),
    ("profits jumped 76% to $1.13bn (£600m)", "$1.13bn", 1_130_000_000, "USD", None),
    ("profits jumped 76% to $1.13bn (£600m)", "£600m", 600_000_000, "GBP", None),
    ("imports grew 1.3% to $155.8bn on rising demand", "$155.8bn", 155_800_000_000, "USD", None),
    ("next generation games will cost between $10-25m", "25m", 25_000_000, "USD", None),
    ("an EU grant of €5m", "€5m", 5_000_000, "EUR", None),
    ("a pint costs 50p more", "50p", 0.5, "GBP", None),
    ("shares closed at 270.25p on Friday", "270.25p", 2.7025, "GBP", None),
    ("a fine of 605 pence", "605 pence", 6.05, "GBP", None),
    ("the shares closed at 11.55 pence", "11.55 pence", 0.1155, "GBP", None),
    ("costs £15 per month", "£15", 15, "GBP", "month"),
    ("a 530 pence-per-share offer", None, None, None, None),
    ("paid 400m euros in bonuses", "400m euros", 400_000_000, "EUR", None),
    ("a record profit of 30.6bn yen", "30.6bn yen", 30_600_000_000, "JPY", None),
    ("he announced that 91m naira of the funding", "91m naira", 91_000_000, "NGN", None),
    ("sales rose to HK$6.31bn", "HK$6.31bn", 6_310_000_000, "HKD", None),
    ("a deal worth A$20m", "A$20m", 20_000_000, "AUD", None),
    ("it raised 3 billion pounds", "3 billion pounds", 3_000_000_000, "GBP", None),
    ("a £1,000 fine", "£1,000", 1000, "GBP", None),
    ("worth two million pounds", "two million pounds", 2_000_000, "GBP", None),
    ("a yen deal of ¥500m", "¥500m", 500_000_000, "JPY", None),
    ("a bid of AUD 5m", "AUD 5m", 5_000_000, "AUD", None),
    ("a deal worth 5m AUD", "5m AUD", 5_000_000, "AUD", None),
    ("a project of INR 500 crore", "INR 500 crore", 5_000_000_000, "INR", None),
    ("a grant of Rs 20 lakh", "Rs 20 lakh", 2_000_000, "INR", None),
    ("a fine of CHF 20m", "CHF 20m", 20_000_000, "CHF", None),
    ("a loan of RM 5m", "RM 5m", 5_000_000, "MYR", None),
    ("shares closed at 245p", "245p", 2.45, "GBP", None),
    # a number in words with a plural currency word is money below a thousand too; pence are hundredths
    ("a parking permit now costs nine pounds", "nine pounds", 9, "GBP", None),
    ("bus fares went up by twenty pence", "twenty pence", 0.2, "GBP", None),
    ("the tickets sell for forty euros each", "forty euros", 40, "EUR", None),
    ("it pays out seven dollars a day", "seven dollars", 7, "USD", "day"),
    ("a rise of three thousand pence", "three thousand pence", 30, "GBP", None),
    ("a five pound note", None, None, None, None),  # a banknote, not an amount
    ("she weighed nine pounds at birth", None, None, None, None),  # a weight
    ("he came back six pounds heavier", None, None, None, None),
])
def test_money(finder, text, surface, value, unit, per):
    if surface is None:
        assert [f for f in found(finder, text) if f[2] == "money"] == []
        return
    mention = one(finder, text, surface)
    assert mention.amount.kind == "money"
    assert mention.amount.value == pytest.approx(value)
    assert (mention.amount.unit, mention.amount.per) == (unit, per)


# -- percentages -------------------------------------------------------------------------
@pytest.mark.parametrize("text,surface,value,unit,qualifier", [
    ("the rate rose 28.4% in a year", "28.4%", 28.4, "%", None),
    ("it is up 124 per cent", "124 per cent", 124, "%", None),
    ("almost 30% of pupils", "30%", 30, "%", "almost"),
    ("imports grew 1.3% to $155.8bn on rising demand", "1.3%", 1.3, "%", None),
    ("support fell by 2 percentage points", "2 percentage points", 2, "pp", None),
    ("a rise of 0.3 percent", "0.3 percent", 0.3, "%", None),
    ("a growth rate of -0.1% in May", "-0.1%", -0.1, "%", None),
    ("it rose 1.1 percentage points", "1.1 percentage points", 1.1, "pp", None),
    ("five per cent of the budget", "five per cent", 5, "%", None),
    ("turnout of twenty percent", "twenty percent", 20, "%", None),
])
def test_percent(finder, text, surface, value, unit, qualifier):
    mention = one(finder, text, surface)
    assert mention.amount.kind == "percent"
    assert mention.amount.value == pytest.approx(value)
    assert (mention.amount.unit, mention.amount.qualifier) == (unit, qualifier)


# -- counts ------------------------------------------------------------------------------
@pytest.mark.parametrize("text,surface,value", [
    ("There are 1,137 looked-after children in the county.", "1,137", 1137),
    ("six schools will close", "six", 6),
    ("Twenty full-time firefighters will go.", "Twenty", 20),
    ("from approximately 1015 in March 2012 to 1107 in March 2017", "1015", 1015),
    ("from approximately 1015 in March 2012 to 1107 in March 2017", "1107", 1107),
    ("twenty-five councils replied", "twenty-five", 25),
    ("two hundred and fifty homes", "two hundred and fifty", 250),
    ("It has 1.3 million broadband subscribers.", "1.3 million", 1_300_000),
    ("an average of 10.9m viewers watched", "10.9m", 10_900_000),
    ("200m people live on less than $1 a day", "200m", 200_000_000),
    ("more than five million people", "five million", 5_000_000),
    ("About two billion are shipped every year", "two billion", 2_000_000_000),
    ("over a million others", "a million", 1_000_000),
    ("half a million people", "half a million", 500_000),
    ("almost a quarter of a million jobs", "a quarter of a million", 250_000),
    ("a dozen councils", "a dozen", 12),
    ("a balance of plus 3 compared with minus 10 in May", "10", -10),
    ("at least six more people were injured", "six", 6),
    ("There are 529 quangos.", "529", 529),
    ("in reply to Glamorgan's 220 all out", "220", 220),
    ("a quarter of Norfolk's 400 schools", "400", 400),
    ("The group has 350 volunteers.", "350", 350),
    ("It lost 464,000 subscribers.", "464,000", 464_000),
    ("Worcestershire claimed three wickets for 34 runs", "34", 34),
    ("a 10,000-vote majority", "10,000", 10_000),
    ("a crowd of 2,000-plus", "2,000", 2_000),
    ("just two points above the relegation zone", "two", 2),
    ("debuted outside the top 10. Next week it will rise to 11. Who knows.", "10", 10),
    ("debuted outside the top 10. Next week it will rise to 11. Who knows.", "11", 11),
    ("Of the 50 councils, 12, or 24%, said no.", "12", 12),
    ("an option to buy 10 more of the aircraft", "10", 10),
    ("more than 2000 people came", "2000", 2000),
    ("50k people signed", "50k", 50_000),
    ("a target of 2.25 million by 2010", "2.25 million", 2_250_000),
    ("Two of the largest airlines merged.", "Two", 2),
    ("a population of about half a million.", "half a million", 500_000),
])
def test_counts(finder, text, surface, value):
    mention = one(finder, text, surface)
    assert mention.amount.kind == "count"
    assert mention.amount.value == pytest.approx(value)


# -- ranges and changes ------------------------------------------------------------------
@pytest.mark.parametrize("text,first,second,roles,values,unit", [
    ("50-60 firefighters will be needed", "50", "60", ("low", "high"), (50, 60), None),
    ("rose from £57.4 million to £73.7 million", "£57.4 million", "£73.7 million", ("from", "to"), (57.4e6, 73.7e6), "GBP"),
    ("a £2-3m gap", "£2", "3m", ("low", "high"), (2e6, 3e6), "GBP"),
    ("between 5 and 10 per cent", "5", "10 per cent", ("low", "high"), (5, 10), "%"),
    ("10%-15% of homes", "10%", "15%", ("low", "high"), (10, 15), "%"),
    ("between 6,000 and 7,000 jobs", "6,000", "7,000", ("low", "high"), (6000, 7000), None),
    ("earnings grow by 20-25% this year", "20", "25%", ("low", "high"), (20, 25), "%"),
    ("cut from 70% to 49%", "70%", "49%", ("from", "to"), (70, 49), "%"),
    ("from approximately 1015 in March 2012 to 1107 in March 2017", "1015", "1107", ("from", "to"), (1015, 1107), None),
    ("Over the next 10 to 20 years", None, None, None, None, None),
    ("sales jumped 22% to 449,603 from a year earlier", None, None, None, None, None),
    ("Labour leads by 39% to 34% with", None, None, None, None, None),
    ("imports grew 1.3% to $155.8bn on rising demand", None, None, None, None, None),
])
def test_ranges_and_changes(finder, text, first, second, roles, values, unit):
    mentions = finder.find(text)
    if first is None:
        assert [m for m in mentions if m.group] == []
        return
    a, b = one(finder, text, first), one(finder, text, second)
    assert a.group is not None and a.group == b.group
    assert (a.role, b.role) == roles
    assert (a.amount.value, b.amount.value) == pytest.approx(values)
    assert a.amount.unit == b.amount.unit == unit


# -- qualifiers --------------------------------------------------------------------------
@pytest.mark.parametrize("qualifier,expected,direction", [
    ("approximately", "approximately", "approximate"), ("almost", "almost", "just_below"),
    ("around", "around", "approximate"), ("about", "about", "approximate"), ("nearly", "nearly", "just_below"),
    ("more than", "more than", "lower_bound"), ("over", "over", "lower_bound"), ("at least", "at least", "lower_bound"),
    ("up to", "up to", "upper_bound"), ("less than", "less than", "upper_bound"), ("fewer than", "less than", "upper_bound"),
    ("roughly", "approximately", "approximate"), ("an estimated", "approximately", "approximate"),
    ("just over", "just over", "just_above"), ("as many as", "up to", "upper_bound"), ("", None, None),
])
def test_qualifiers(finder, qualifier, expected, direction):
    for number in ("500", "£5m", "12%", "five hundred"):
        text = f"The council said {qualifier} {number} people were affected.".replace("  ", " ")
        mentions = finder.find(text)
        assert len(mentions) == 1, (text, found(finder, text))
        assert (mentions[0].amount.qualifier, mentions[0].amount.direction) == (expected, direction), text


def test_qualifier_of_the_second_end(finder):
    """"between 5 and up to 10": the second end's own qualifier, with its direction."""
    text = "between 5 and up to 10 per cent of homes"
    assert [(m.amount.qualifier, m.amount.direction) for m in finder.find(text)] == [(None, None), ("up to", "upper_bound")]


def test_share_units():
    """"£2-3m": the bare end borrows the currency and multiplier; two stated ends keep their own."""
    pound = Side(0, 2, 2, "£", "2", None, None)
    millions = Side(3, 5, 4, None, "3", "m", None)
    first, second = share_units([pound, millions])
    assert (first.cur, first.mult, second.cur, second.mult) == ("£", "m", "£", "m")
    percent = Side(0, 4, 3, None, "1.3", None, "%")
    dollars = Side(8, 16, 13, "$", "155.8", "bn", None)
    assert share_units([percent, dollars]) == [percent, dollars]


# -- vague and compound quantities --------------------------------------------------------
@pytest.mark.parametrize("text,surface,value,upper,kind", [
    ("hundreds of homes were flooded", "hundreds", 200, 999, "count"),
    ("tens of thousands of people marched", "tens of thousands", 20_000, 99_999, "count"),
    ("dozens of staff were moved", "dozens", 24, 99, "count"),
    ("hundreds of thousands of pupils", "hundreds of thousands", 200_000, 999_999, "count"),
    ("the scheme cost millions of pounds", "millions of pounds", 2_000_000, 9_999_999, "money"),
])
def test_vague_quantities(finder, text, surface, value, upper, kind):
    amount = one(finder, text, surface).amount
    assert (amount.value, amount.upper, amount.kind) == (value, upper, kind)
    assert (amount.qualifier, amount.direction) == ("at least", "lower_bound")


@pytest.mark.parametrize("text", [
    "hundreds of years of history",  # a vague time
    "Hundreds of thousands marched",  # "of thousands" with nothing after: not read short as "hundreds"
    "thousands marched",  # no "of": left out
])
def test_vague_quantities_not_read(finder, text):
    assert [f for f in found(finder, text) if f[1] in (200, 2000)] == []


@pytest.mark.parametrize("text,surface,value,kind", [
    ("6 hundred thousand people", "6 hundred thousand", 600_000, "count"),
    ("2½ million people", "2½ million", 2_500_000, "count"),
    ("three to four thousand jobs", "three", 3000, "count"),
    ("three to four thousand jobs", "four thousand", 4000, "count"),
    ("two or three million people", "two", 2_000_000, "count"),
    ("thirty-one thousand four hundred and twelve people", "thirty-one thousand four hundred and twelve", 31_412, "count"),
    ("½ of staff said no", "½", 0.5, "ratio"),
    ("3/4 of a mile", "3/4", 0.75, "ratio"),
    ("about 2/3 of councils", "2/3", 2 / 3, "ratio"),
])
def test_compound_and_fraction_forms(finder, text, surface, value, kind):
    amount = one(finder, text, surface).amount
    assert (amount.value, amount.kind) == (pytest.approx(value), kind)


@pytest.mark.parametrize("text", ["six to seven were hurt", "a 24/7 service", "after 9/11 of all days"])
def test_not_compound_forms(finder, text):
    assert [f for f in found(finder, text) if f[2] == "ratio" or f[1] >= 1000] == []


# -- values stay finite and sane ----------------------------------------------------------
@pytest.mark.parametrize("text,kept", [
    ("a fine of £5٣m", []),  # mixed-script digits: not read short as £5
    ("a budget of £1e308", []),  # an exponent: not read as £1
    ("10³ people", []),  # a superscript power: not read as 10
    ("1,2,3,4,5,6", []),  # a list: not 1
    ("9" * 400 + " people", []),  # never inf
    ("a £1,000 fine", [("£1,000", 1000.0, "money", "GBP")]),
    ("1,137 children", [("1,137", 1137.0, "count", None)]),
    ("costs £5, 10 or 15", [("£5", 5.0, "money", "GBP"), ("10", 10.0, "count", None), ("15", 15.0, "count", None)]),
])
def test_values_are_finite_and_whole(finder, text, kept):
    assert found(finder, text) == kept


# -- negative and signed values, changes --------------------------------------------------
@pytest.mark.parametrize("text,surface,value,change", [
    ("a loss of -£5m last year", "-£5m", -5_000_000, None),
    ("a −£2.1bn gap", "−£2.1bn", -2_100_000_000, None),
    ("growth of −7% in May", "−7%", -7, None),
    ("the index was minus 5 in June", "5", -5, None),
    ("shares were down 12p at noon", "12p", 0.12, "down"),
    ("the rate fell by 2% in a year", "2%", 2, "down"),
    ("profit rose 12% to £5m", "12%", 12, "up"),
    ("profit rose 12% to £5m", "£5m", 5_000_000, None),  # the level it rose to is not a change
    ("costs £5-£10 a head", "£10", 10, None),  # a range's dash is no minus sign
    ("up to 12% of staff", "12%", 12, None),  # "up to" is a qualifier, not a rise
])
def test_signed_values_and_changes(finder, text, surface, value, change):
    amount = one(finder, text, surface).amount
    assert (amount.value, amount.change) == (pytest.approx(value), change)
