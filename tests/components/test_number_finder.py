"""Tests for pipeline/components/number_finder.py: `find` on plain strings (no model), `__call__` on blank docs."""
from pathlib import Path

import pytest
import spacy

from pipeline import extensions  # noqa: F401
from pipeline.components.number_finder import NumberFinder
from pipeline.numbers.lexicon import load_lexicon

MODELS = Path(__file__).resolve().parents[2] / "models"
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@pytest.fixture(scope="module")
def finder() -> NumberFinder:
    return NumberFinder(load_lexicon(MODELS / "number_words.csv", MODELS / "number_cues.csv"))


def found(finder, text, ents=None):
    """(surface, value, kind, unit) for each number, checking that offsets are exact."""
    out = []
    for mention in finder.find(text, ents):
        amount = mention.amount
        assert (amount.start, amount.end) == (mention.start, mention.end)
        out.append((text[mention.start : mention.end], round(amount.value, 6), amount.kind, amount.unit))
    return out


def one(finder, text, surface):
    """The mention whose text is `surface` (fails when absent)."""
    mentions = [m for m in finder.find(text) if text[m.start : m.end] == surface]
    assert mentions, f"{surface!r} not found in {text!r}: {found(finder, text)}"
    return mentions[0]


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


# -- ratios ------------------------------------------------------------------------------
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


@pytest.mark.parametrize("text", [
    "the first half of the year",
    "in the third quarter of 2004",
    "a two-and-a-half year high",
    "scrum-half Richard Wigglesworth",
    "one in 2012",
    "the final quarter of last year",
    "lower than in the preceding three quarters.",
    "they led at half-time",
])
def test_not_ratios(finder, text):
    assert [f for f in found(finder, text) if f[2] == "ratio"] == []


# -- quantities --------------------------------------------------------------------------
@pytest.mark.parametrize("text,surface,value,unit", [
    ("The tower is 9m (30ft) tall.", "9m", 9, "metre"),
    ("The tower is 9m (30ft) tall.", "30ft", 30, "foot"),
    ("1,000 tonnes of waste", "1,000 tonnes", 1000, "tonne"),
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
])
def test_quantities(finder, text, surface, value, unit):
    mention = one(finder, text, surface)
    assert mention.amount.kind == "quantity"
    assert mention.amount.value == pytest.approx(value)
    assert mention.amount.unit == unit


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
@pytest.mark.parametrize("qualifier,expected", [
    ("approximately", "approximately"), ("almost", "almost"), ("around", "around"), ("about", "about"),
    ("nearly", "nearly"), ("more than", "more than"), ("over", "over"), ("at least", "at least"),
    ("up to", "up to"), ("less than", "less than"), ("fewer than", "less than"), ("roughly", "approximately"),
    ("an estimated", "approximately"), ("just over", "just over"), ("as many as", "up to"), ("", None),
])
def test_qualifiers(finder, qualifier, expected):
    for number in ("500", "£5m", "12%", "five hundred"):
        text = f"The council said {qualifier} {number} people were affected.".replace("  ", " ")
        mentions = finder.find(text)
        assert len(mentions) == 1, (text, found(finder, text))
        assert mentions[0].amount.qualifier == expected, text


# -- not claims --------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    # dates and years
    "In March 2012 the council met.",
    "the 2017/18 budget",
    "in 2004 the council",
    "the 2018-19 budget",
    "the awesome 1924-5 All Black tourists",
    "between 2010 and 2015",
    "the agreement up to 2019 looks exorbitant",
    "from 2010 to 2015",
    "on 22 and 23 June",
    "on 22-23 June",
    "on June 22-23",
    "The Dublin dates on June 24 and 25 form part",
    "we were all class of '83 - and",
    "on 14 February",
    "the 21st of March",
    "2003's figure",
    "a 2016 report",
    "9/11 changed everything",
    "24/7 services",
    "called 06/05 in The Hague",
    "in the 1990s and the '80s",
    # times
    "at 9:31 am",
    "at 2235 BST",
    "at 10am",
    "from just before 18:00 there",
    "shortly after 07:00.",
    "from 1700 local time",
    "at 1800 GMT",
    "finished third in 7:46.78",
    "at 16:10 BST",
    "on BBC One from 1130 to 1215 GMT on Wednesday.",
    "open 9-11am daily",
    "at about 11.55 as the guard approached",
    # names with digits
    "the Care Act 2014 says",
    "Section 427 of the act",
    "listen on 95.2FM",
    "Photo: tang90246",
    "a blackboard reading 2+2=5",
    "Download version 3.8.0 now",
    "He works at No 10.",
    "He lives at 10 Downing Street.",
    "at 221b Baker Street",
    "Police closed the M25 and the A14",
    "The Formula 1 season",
    "Formula One teams",
    "the Boeing 737-800 planes",
    "the Nikkei 225 ended",
    "He wore the number 7 shirt.",
    "He wore the number seven shirt.",
    "The former world number five.",
    "the England number three shirt",
    "The story was on page 3.",
    "Radio 4 listeners",
    "Channel Four News",
    "on BBC One",
    "a 3G phone and 2G networks",
    "with another 550m to follow",  # millions of what, or metres? left out rather than guessed
    # phone numbers
    "Call 0800 555 111 now.",
    "ring 0300 123 4567 today",
    "call 0845 8 505 505 or 0800 555 111.",
    "on +44 20 7946 0958 today",
    # list numbering
    "  1. The DfE should act.",
    "\n2) The council should review.",
    "\n1 Roger Federer (Switzerland)\n2 Andy Roddick (US)\n",
    "+21secs. 5. Julian Alaphilippe (Fra) +23secs. 6. Tom Smith (GB)",
    # ordinals
    "the third highest rate",
    "the 21st century",
    "ranked 110th in the world",
    # ages
    "17-year-olds were hurt",
    "a boy aged 17",
    "households aged 25-34",
    "those aged 18 to 24",
    "a survey of 18 to 24 year olds",
    "wages for 16 - 21 year olds",
    "boys aged 15 and 16 were arrested",
    "a five-year-old daughter",
    "Gray, 26, who won his first cap",
    "Prince Charles, 56, and Mrs Parker Bowles, 57, hosted",
    "One boy, 16, pleaded guilty",
    "Emily, 16, and Pelham, 14, were pleased",
    "The England centre, 24, whose deal runs out",
    "The victim, 12 at the time, was stabbed",
    "he died at the age of 87.",
    "The couple, both 23, said they were not going to",
    "the boy - who was 13 at the time - and",
    # scores
    "a 3-1 win",
    "beat Spain 2-1 thanks to Smith",
    "Despite losing 28-17 in Sunday's match",
    "Ulster had led 20-6 with tries",
    "levelled the scores at 27-27.",
    "Nadal reached 40-0 but",
    "his 50-50 contests",
    "beat Roddick 6-2 7-6 (7-1) 7-6 (7-5)",
    "won 3-6 7-6 (8-6) 7-5 in the final",
    "a 20-27 defeat",
    "their 2-3-2 scrum formation",
    "a 4-4-2 system",
    # compound modifiers
    "a six-month pilot",
    "a two-way street",
    "a 24-hour strike",
    "a four-piece band",
    # durations are periods, not claims (the period finder reads them)
    "over four years",
    "for 18 months",
    # non-counting word numbers
    "one of the councils",
    "the two were arrested",
    "no one noticed",
])
def test_not_claims(finder, text):
    assert found(finder, text) == []


@pytest.mark.parametrize("text,ents,expected", [
    ("the Care Act 2014 says", [(4, 18, "LAW")], []),
    ("Apollo 11 landed", [(0, 9, "PRODUCT")], []),
    ("It spent £5m", [(9, 12, "MONEY")], [("£5m", 5_000_000, "money", "GBP")]),
    ("at the Hot 100 chart", [(7, 14, "WORK_OF_ART")], []),
])
def test_entities_veto_names(finder, text, ents, expected):
    assert found(finder, text, ents) == expected


def test_offsets_are_exact(finder):
    text = "  Costs rose from £57.4 million to £73.7 million, and 1,137 looked-after children (28.4%) wait.\n"
    assert found(finder, text) == [
        ("£57.4 million", 57_400_000, "money", "GBP"),
        ("£73.7 million", 73_700_000, "money", "GBP"),
        ("1,137", 1137, "count", None),
        ("28.4%", 28.4, "percent", "%"),
    ]


def test_writes_spans_on_a_blank_doc(finder):
    nlp = spacy.blank("en")
    doc = nlp("Costs rose from £57.4 million to £73.7 million, said 1,137 residents.")
    finder(doc)
    spans = doc.spans["numbers"]
    assert [s.text for s in spans] == ["£57.4 million", "£73.7 million", "1,137"]
    assert [s._.role for s in spans] == ["from", "to", None]
    assert spans[0]._.change_id == spans[1]._.change_id is not None
    assert spans[2]._.amount.value == 1137
    assert [s.label_ for s in spans] == ["money", "money", "count"]


@pytest.mark.skipif(not (CORPUS / "bbc_news.csv").exists(), reason="needs ../shared/corpus")
@pytest.mark.corpus
def test_speed_on_bbc(finder):
    """The finder stays cheap next to the NER (~8 ms per 1,000 words budget; generous bound here)."""
    import time

    from pipeline.io.inputs import iter_inputs
    from pipeline.records import Article

    texts = []
    for article in iter_inputs([CORPUS / "bbc_news.csv"]):
        if isinstance(article, Article):
            texts.append(article.text)
        if len(texts) == 100:
            break
    words = sum(len(t.split()) for t in texts)
    for text in texts[:5]:
        finder.find(text)  # warm up quantulum3's unit tables
    started = time.perf_counter()
    for text in texts:
        finder.find(text)
    ms_per_1k = (time.perf_counter() - started) * 1000 / (words / 1000)
    assert ms_per_1k < 20
