"""describe: the parse vets the word patterns' measure (real model, whole pipeline on one sentence)."""
import pytest
import spacy
from spacy.tokens import Doc

from pipeline.meaning.describe import _noun_part
from pipeline.meaning.measure import is_unit_phrase

model = pytest.mark.model  # the tests that run the whole pipeline; the others build their parse


def measure_of(nlp_model, sentence: str, number: str) -> str | None:
    doc = nlp_model(sentence)
    found = [claim for claim in doc._.claims if claim.text == number]
    assert found, [claim.text for claim in doc._.claims]
    return found[0].measure


@model
@pytest.mark.parametrize("sentence,number,expected", [
    # the words after the number, cut back to their last noun
    ("Around 52% of voters expected a recount.", "52%", "voters"),
    ("The council bought 40 electric buses last year.", "40", "electric buses"),
    # a poll's share: what it backs or opposes, not the verb
    ("About 42% opposed the closure, a poll found.", "42%", "closure"),
])
def test_measure_kept(nlp_model, sentence, number, expected):
    assert measure_of(nlp_model, sentence, number) == expected


@model
@pytest.mark.parametrize("sentence,number", [
    ("Some 18% agreed with the council and 40% disagreed.", "40%"),
    ("The desert spans 2.2 million sq km.", "2.2 million sq km"),  # a quantity; its unit is no measure
    ("The fund paid out 900 roubles ($12) a head.", "$12"),
    ("The second film took $305m (£162m) at the box office.", "£162m"),  # not "m"
    ("At 34 I'm showing my age.", "34"),  # not "I"
])
def test_no_verb_unit_or_modifier_as_measure(nlp_model, sentence, number):
    assert measure_of(nlp_model, sentence, number) is None


@pytest.mark.parametrize("text,expected", [
    ("riyals", True), ("m euros", True), ("sq km", True), ("million tonnes", True), ("(square metres)", True),
    ("offer price", False), ("euro zone", False), ("tonnes of grain", False), ("", False),
])
def test_is_unit_phrase(text, expected):
    assert is_unit_phrase(text) is expected


@model
@pytest.mark.parametrize("sentence,number,expected", [
    ("The dollar fell by 1.4% against the yen.", "1.4%", "dollar"),  # a currency can be what is measured
    ("Later the rouble firmed 0.4% against the euro to 81.50 roubles.", "0.4%", "rouble"),
    ("Exporters earned 14m euros ($17m) from the deal.", "$17m", "deal"),
    ("The bank reported net profits of 400m euros ($500m) for the year.", "$500m", "net profits"),  # not "of 400m euros"
    ("The sale of the 40% stake to a rival for £146m ($281m) gives the firm cash.", "$281m", "sale of the 40% stake"),
    ("The bank agreed to pay a $125m fine after the inquiry.", "$125m", "fine"),  # the parse hangs "fine" on "m"
    ("He then withdrew his £70m offer.", "£70m", "offer"),
    ("According to an analyst at the broker, 30% of Europe cannot get the service.", "30%", "Europe"),
])
def test_currency_named_apart_from_an_amount_is_kept(nlp_model, sentence, number, expected):
    assert measure_of(nlp_model, sentence, number) == expected


@pytest.mark.parametrize("words,heads,deps,measure,expected", [
    # a clause head with a subject: a verb
    (["42", "%", "backed", "the", "plan"], [1, 2, 2, 4, 2], ["nummod", "nsubj", "ROOT", "det", "dobj"], "backed", None),
    (["2,000", "injured"], [1, 1], ["nsubj", "ROOT"], "injured", None),
    # an owner or a determiner marks a noun, whatever the parse made of it
    (["Arsenal", "'s", "deal", "has", "helped"], [2, 0, 4, 4, 4], ["poss", "case", "ccomp", "aux", "ROOT"], "deal", "deal"),
    # ... or a number ("100,000 people", "an £11m bid", however the parse reads it)
    (["100,000", "people", "in", "towns"], [1, 1, 1, 2], ["nummod", "ccomp", "prep", "pobj"], "people", "people"),
    (["an", "11", "m", "bid"], [1, 3, 3, 3], ["det", "dobj", "auxpass", "acl"], "bid", "bid"),
    # a verbless fragment's root
    (["six", "or", "seven", "digits"], [3, 0, 0, 3], ["nummod", "cc", "conj", "ROOT"], "digits", "digits"),
    # a verb or a modifier is cut off the end; a time is no measure
    (["homes", "expected", "it"], [1, 1, 1], ["nsubj", "ROOT", "dobj"], "homes expected", "homes"),
    (["ate", "two", "raw"], [0, 0, 1], ["ROOT", "dobj", "amod"], "raw", None),
    (["sold", "four", "years", "ago"], [0, 2, 3, 0], ["ROOT", "nummod", "npadvmod", "advmod"], "years ago", None),
    (["growth", "last", "year"], [0, 2, 0], ["ROOT", "amod", "npadvmod"], "growth last year", "growth"),
    # a phrase the parse does not hold is kept as it is
    (["sold", "it"], [0, 0], ["ROOT", "dobj"], "elsewhere", "elsewhere"),
])
def test_noun_part(words, heads, deps, measure, expected):
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)  # a parse given, right or wrong
    assert _noun_part(doc, measure, 0, "money") == expected


def test_a_count_of_nights_keeps_its_time_noun():
    doc = Doc(spacy.blank("en").vocab, words=["spent", "two", "nights"], heads=[0, 2, 0], deps=["ROOT", "nummod", "dobj"])
    assert _noun_part(doc, "nights", 0, "count") == "nights"


@model
def test_a_time_is_not_a_measure(nlp_model):
    assert measure_of(nlp_model, "The firm bought the brand for £15m three years ago.", "£15m") in (None, "brand")
