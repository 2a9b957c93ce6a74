"""Tests for pipeline/numbers/vetoes.py: each candidate that is not a claim is vetoed with a reason.

Tables of text -> (number, veto code), run through NumberFinder.candidates on plain strings. The
first table holds texts with no claim at all (moved from the component's "not claims" table, now
with the reason for each number); the second pairs a veto with a look-alike that is kept."""
import pytest

from number_cases import found, vetoes
from pipeline.numbers.vetoes import LIST_NUMBER, PHONE, Context, Veto, blocked_spans


# -- texts without a claim: every candidate vetoed, with its reason ------------------------
@pytest.mark.parametrize("text,expected", [
    # dates and years
    ("In March 2012 the council met.", [("2012", "date")]),
    ("the 2017/18 budget", [("2017", "year")]),
    ("in 2004 the council", [("2004", "year")]),
    ("the 2018-19 budget", [("2018", "year"), ("19", "year")]),
    ("the awesome 1924-5 All Black tourists", [("1924", "year"), ("5", "year")]),
    ("between 2010 and 2015", [("2010", "year"), ("2015", "year")]),
    ("the agreement up to 2019 looks exorbitant", [("2019", "year")]),
    ("from 2010 to 2015", [("2010", "year"), ("2015", "year")]),
    ("on 22 and 23 June", [("22", "date"), ("23", "date")]),
    ("on 22-23 June", [("22", "date"), ("23", "date")]),
    ("on June 22-23", [("22", "date"), ("23", "date")]),
    ("The Dublin dates on June 24 and 25 form part", [("24", "date"), ("25", "date")]),
    ("we were all class of '83 - and", [('83', 'year')]),
    ("on 14 February", [("14", "date")]),
    ("the 21st of March", [("21", "date")]),
    ("2003's figure", [('2003', 'year')]),
    ("a 2016 report", [("2016", "year")]),
    ("9/11 changed everything", [("9", "slash")]),
    ("24/7 services", [("24", "slash")]),
    ("called 06/05 in The Hague", [("06", "leading_zero")]),
    ("in the 1990s and the '80s", [('1990', 'year'), ('80', 'year')]),
    # times
    ("at 9:31 am", [("9", "time")]),
    ("at 2235 BST", [("2235", "time")]),
    ("at 10am", [("10", "time")]),
    ("from just before 18:00 there", [("18", "time")]),
    ("shortly after 07:00.", [("07", "time")]),
    ("from 1700 local time", [("1700", "time")]),
    ("at 1800 GMT", [("1800", "time")]),
    ("finished third in 7:46.78", [("third", "not_a_share"), ("7", "time")]),
    ("at 16:10 BST", [("16", "time")]),
    ("on BBC One from 1130 to 1215 GMT on Wednesday.", [("One", "name"), ("1130", "time"), ("1215", "time")]),
    ("open 9-11am daily", [("9", "time"), ("11", "time")]),
    ("at about 11.55 as the guard approached", [("11.55", "time")]),
    # names with digits
    ("the Care Act 2014 says", [("2014", "year")]),
    ("Section 427 of the act", [("427", "name_prefix")]),
    ("listen on 95.2FM", [("95.2", "letters_after")]),
    ("Photo: tang90246", []),
    ("a blackboard reading 2+2=5", [("2", "arithmetic"), ("2", "arithmetic")]),
    ("Download version 3.8.0 now", [("3.8", "version")]),
    ("He works at No 10.", [("10", "name_prefix")]),
    ("He lives at 10 Downing Street.", [("10", "address")]),
    ("at 221b Baker Street", [("221b", "ambiguous_unit")]),
    ("Police closed the M25 and the A14", []),
    ("The Formula 1 season", [("1", "name")]),
    ("Formula One teams", [("One", "name")]),
    ("the Boeing 737-800 planes", [("737", "name"), ("800", "pair")]),
    ("the Nikkei 225 ended", [("225", "name")]),
    ("He wore the number 7 shirt.", [("7", "name_prefix")]),
    ("He wore the number seven shirt.", [("seven", "name_prefix")]),
    ("The former world number five.", [("five", "name_prefix")]),
    ("the England number three shirt", [("three", "name_prefix")]),
    ("The story was on page 3.", [("3", "name_prefix")]),
    ("Radio 4 listeners", [("4", "name_prefix")]),
    ("Channel Four News", [("Four", "name")]),
    ("on BBC One", [("One", "name")]),
    ("a 3G phone and 2G networks", [("3", "letters_after"), ("2", "letters_after")]),
    ("with another 550m to follow", [("550m", "ambiguous_unit")]),  # millions of what, or metres? left out rather than guessed
    # phone numbers
    ("Call 0800 555 111 now.", [("0800", "phone"), ("555", "phone"), ("111", "phone")]),
    ("ring 0300 123 4567 today", [("0300", "phone"), ("123", "phone"), ("4567", "phone")]),
    ("call 0845 8 505 505 or 0800 555 111.", [("0845", "phone"), ("8", "phone"), ("505", "phone"), ("505", "phone"), ("0800", "phone"), ("555", "phone"), ("111", "phone")]),
    ("on +44 20 7946 0958 today", [("44", "phone"), ("20", "phone"), ("7946", "phone"), ("0958", "phone")]),
    # list numbering
    ("  1. The DfE should act.", [("1", "list_number")]),
    ("\n2) The council should review.", [("2", "list_number")]),
    ("\n1 Roger Federer (Switzerland)\n2 Andy Roddick (US)\n", [("1", "list_number"), ("2", "list_number")]),
    ("+21secs. 5. Julian Alaphilippe (Fra) +23secs. 6. Tom Smith (GB)", [("21", "letters_after"), ("5", "list_number"), ("23", "letters_after"), ("6", "list_number")]),
    # ordinals
    ("the third highest rate", [("third", "not_a_share")]),
    ("the 21st century", [("21", "ordinal")]),
    ("ranked 110th in the world", [("110", "ordinal")]),
    # ages
    ("17-year-olds were hurt", [("17", "age")]),
    ("a boy aged 17", [("17", "age")]),
    ("households aged 25-34", [("25", "age"), ("34", "age")]),
    ("those aged 18 to 24", [("18", "age"), ("24", "age")]),
    ("a survey of 18 to 24 year olds", [("18", "age"), ("24", "age")]),
    ("wages for 16 - 21 year olds", [("16", "age"), ("21", "age")]),
    ("boys aged 15 and 16 were arrested", [("15", "age"), ("16", "age")]),
    ("a five-year-old daughter", [("five", "age")]),
    ("Gray, 26, who won his first cap", [("26", "age")]),
    ("Prince Charles, 56, and Mrs Parker Bowles, 57, hosted", [("56", "age"), ("57", "age")]),
    ("One boy, 16, pleaded guilty", [("One", "not_counted"), ("16", "age")]),
    ("Emily, 16, and Pelham, 14, were pleased", [("16", "age"), ("14", "age")]),
    ("The England centre, 24, whose deal runs out", [("24", "age")]),
    ("The victim, 12 at the time, was stabbed", [("12", "age")]),
    ("he died at the age of 87.", [("87", "age")]),
    ("The couple, both 23, said they were not going to", [("23", "age")]),
    ("the boy - who was 13 at the time - and", [("13", "age")]),
    # scores
    ("a 3-1 win", [("3", "score"), ("1", "score")]),
    ("beat Spain 2-1 thanks to Smith", [("2", "score"), ("1", "score")]),
    ("Despite losing 28-17 in Sunday's match", [('28', 'score'), ('17', 'score')]),
    ("Ulster had led 20-6 with tries", [("20", "score"), ("6", "score")]),
    ("levelled the scores at 27-27.", [("27", "score"), ("27", "score")]),
    ("Nadal reached 40-0 but", [("40", "score"), ("0", "score")]),
    ("his 50-50 contests", [("50", "score"), ("50", "score")]),
    ("beat Roddick 6-2 7-6 (7-1) 7-6 (7-5)", [("6", "score"), ("2", "score"), ("7", "score"), ("6", "score"), ("7", "score"), ("1", "score"), ("7", "score"), ("6", "score"), ("7", "score"), ("5", "score")]),
    ("won 3-6 7-6 (8-6) 7-5 in the final", [("3", "score"), ("6", "score"), ("7", "score"), ("6", "score"), ("8", "score"), ("6", "score"), ("7", "score"), ("5", "score")]),
    ("a 20-27 defeat", [("20", "score"), ("27", "score")]),
    ("their 2-3-2 scrum formation", [("2", "score"), ("3", "score"), ("2", "chain")]),
    ("a 4-4-2 system", [("4", "score"), ("4", "score"), ("2", "chain")]),
    # compound modifiers
    ("a two-way street", [("two", "compound")]),
    ("a four-piece band", [("four", "compound")]),
    # a duration that is another figure's period (tests/numbers/test_quantities.py has the claims)
    ("over four years", [("four", "duration")]),
    ("in the past 18 months", [("18", "duration")]),
    # non-counting word numbers
    ("one of the councils", [("one", "not_counted")]),
    ("the two were arrested", [("two", "not_counted")]),
    ("no one noticed", [("one", "name_prefix")]),
])
def test_not_claims(finder, text, expected):
    assert found(finder, text) == []
    assert vetoes(finder, text) == expected


# -- one veto and a look-alike that is kept -----------------------------------------------
@pytest.mark.parametrize("text,surface,code", [
    # years: a four-digit year unless a qualifier makes it an amount
    ("Spending fell in 2019 across the county.", "2019", "year"),
    ("More than 2000 people signed the petition.", "2000", None),
    ("The hall seats up to 1900 spectators.", "1900", None),
    ("The lease runs up to 1999 and no further.", "1999", "year"),
    ("Applications reached 2,014 this spring.", "2,014", None),  # a comma: a count, not a year
    ("the 2021/22 accounts were late", "2021", "year"),
    # dates
    ("The budget was set on 3 March.", "3", "date"),
    ("The board met 3 times in March.", "3", None),
    # times
    ("The meeting starts at 7pm in the hall.", "7", "time"),
    ("The meeting drew 7 complaints.", "7", None),
    # ages
    ("A woman aged 81 was taken to hospital.", "81", "age"),
    ("A group of 81 residents was taken to the hall.", "81", None),
    ("Hughes, 19, was named in the squad.", "19", "age"),
    ("Of the 40 bids, 19, or about half, came late.", "19", None),  # a count between commas
    # scores and ranges
    ("The visitors won 4-2 on the night.", "4", "score"),
    ("The rooms hold 4-12 guests each.", "4", None),
    # names
    ("The Ariane 6 rocket launched.", "6", "name"),
    ("Kent's 12 districts agreed.", "12", None),  # a possessive, not a name
    ("Under clause 14 the council may act.", "14", "name_prefix"),
    ("He lives at 44 Station Road.", "44", "address"),
    ("The firm has 44 Station staff.", "44", None),
    # list numbers and phone numbers
    ("\n1. Fees rise.\n2. Staff fall.", "1", "list_number"),
    ("Call 0161 496 0000 for details.", "496", "phone"),
    ("The 496 staff were told.", "496", None),
    # compound modifiers and durations
    ("a 12-week consultation", "12-week", None),  # a duration claim
    ("a two-way street", "two", "compound"),
    ("a 12,000-seat arena", "12,000", None),  # a large count before a hyphen is still a count
    ("the works took 12 weeks", "12 weeks", None),
    ("prices hit a 12-week high", "12", "duration"),
    ("the works took 12 volunteers", "12", None),
    # number words
    ("two were injured in the crash", "two", "not_counted"),
    ("two of the schools closed", "two", None),  # partitive: counts the schools
    ("several hundred homes were flooded", "hundred", "vague"),
    ("a hundred homes were flooded", "a hundred", None),
    # metres or millions
    ("a further 300m will be needed", "300m", "ambiguous_unit"),
    ("a further 300m viewers watched", "300m", None),
])
def test_veto_reason(finder, text, surface, code):
    kept = [f[0] for f in found(finder, text)]
    vetoed = dict(vetoes(finder, text))
    if code is None:
        assert surface in kept and surface not in vetoed, (kept, vetoed)
    else:
        assert surface not in kept and vetoed.get(surface) == code, (kept, vetoed)


@pytest.mark.parametrize("text,ents,expected", [
    ("the Care Act 2014 says", [(4, 18, "LAW")], [("2014", "name_entity")]),
    ("Apollo 11 landed", [(0, 9, "PRODUCT")], [("11", "name_entity")]),
    ("at the Hot 100 chart", [(7, 14, "WORK_OF_ART")], [("100", "name_entity")]),
    ("It spent £5m", [(9, 12, "MONEY")], []),
])
def test_entities_veto_names(finder, text, ents, expected):
    assert vetoes(finder, text, ents) == expected


def test_entity_does_not_veto_money(finder):
    assert found(finder, "It spent £5m", [(9, 12, "MONEY")]) == [("£5m", 5_000_000, "money", "GBP")]


def test_every_veto_has_a_code_and_words():
    from pipeline.numbers import vetoes as module

    all_vetoes = [v for v in vars(module).values() if isinstance(v, Veto)]
    assert len(all_vetoes) > 20
    for veto in all_vetoes:
        assert veto.code.isidentifier() and veto.code.islower(), veto
        assert veto.words and str(veto) == f"{veto.code}: {veto.words}"


def test_blocked_spans_say_which():
    text = "Items:\n1. Call 0800 555 111 today.\n"
    spans = blocked_spans(text)
    assert [(text[s:e], veto) for s, e, veto in spans] == [("1.", LIST_NUMBER), ("0800 555 111", PHONE)]
    ctx = Context(text, [])
    assert ctx.blocked_by(text.index("555")) is PHONE and ctx.blocked_by(text.index("today")) is None
