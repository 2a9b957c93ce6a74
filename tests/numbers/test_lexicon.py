"""Tests for pipeline/numbers/lexicon.py: value parsing, the word lists and the patterns built from them."""
import re
from pathlib import Path

import pytest

from pipeline.numbers.lexicon import (
    BOUND_DIRECTIONS,
    DIRECTIONS,
    _alternation,
    bound_words,
    counted_noun_after,
    is_year,
    load_lexicon,
    multiplier_value,
    parse_digits,
    parse_number_words,
    qualifier_before,
    word_tree,
    words_pattern,
)

MODELS = Path(__file__).resolve().parents[2] / "models"


@pytest.mark.parametrize("text,value", [
    ("1,137", 1137), ("57.4", 57.4), ("1015", 1015), ("0.3", 0.3), ("1,000,000", 1_000_000),
])
def test_parse_digits(text, value):
    assert parse_digits(text) == pytest.approx(value)


@pytest.mark.parametrize("text,value", [
    ("six", 6), ("Twenty", 20), ("twenty-five", 25), ("two hundred and fifty", 250),
    ("five million", 5_000_000), ("one million", 1_000_000), ("two thousand three hundred", 2300),
    ("dozen", 12),
    ("hundred", None),  # "hundreds", "a hundred": vague alone; the finder reads "a hundred" itself
    ("million", None),
    ("third", None),  # a fraction, not a cardinal
    ("elephant", None),
])
def test_parse_number_words(lex, text, value):
    assert parse_number_words(text, lex) == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize("text,value", [
    ("m", 1e6), ("bn", 1e9), (" million", 1e6), ("K", 1e3), ("tn", 1e12), (None, 1.0), ("zz", 1.0),
])
def test_multiplier_value(lex, text, value):
    assert multiplier_value(text, lex) == value


@pytest.mark.parametrize("surface,expected", [
    ("2014", True), ("1800", True), ("2099", True), ("1799", False), ("2100", False),
    ("2,014", False), ("201", False), ("2014.5", False),
])
def test_is_year(surface, expected):
    assert is_year(parse_digits(surface), surface) is expected


@pytest.mark.parametrize("words", [
    ["six", "sixteen", "sixty", "seven", "seventeen", "seventy", "a", "an", "half", "halves"],
    ["m", "mn", "million", "b", "bn", "billion"],
    ["one"],
])
def test_trie_matches_like_the_sorted_alternation(words):
    """The prefix tree is only faster: it matches the same words, preferring the longest."""
    tree, flat = re.compile(word_tree(words)), re.compile(_alternation(words))
    for candidate in words + ["sixt", "halve", "bnx", "o", "onex", ""]:
        assert bool(tree.fullmatch(candidate)) == bool(flat.fullmatch(candidate)), candidate
        tree_match, flat_match = tree.match(candidate), flat.match(candidate)
        assert (tree_match and tree_match.group(0)) == (flat_match and flat_match.group(0)), candidate


def test_lexicon_lists(lex):
    assert lex.qualifiers["more than"] == "more than"
    assert lex.per["a year"] == "year"
    assert lex.percent["percentage points"] == "pp"
    assert lex.currencies["£"] == "GBP" and lex.currencies["hk$"] == "HKD"
    assert lex.currency_words["yen"] == "JPY"
    assert "section" in lex.name_prefixes and "aged" in lex.age_words
    assert "people" in lex.counted and "street" in lex.streets and "hurdles" in lex.metre_context
    assert "win" in lex.score_words and "boy" in lex.age_nouns
    assert lex.units["hectares"] == ("hectare", "area")
    assert lex.units["°c"] == ("degree Celsius", "temperature")
    assert "the" in lex.not_counted and "months" in lex.time_units and "about" in lex.function_words
    assert "preceding" in lex.not_fraction_before and "pm" in lex.not_units and "up to" in lex.year_qualifiers
    assert 1500.0 in lex.race_distances and 1000.0 not in lex.race_distances
    assert lex.subunits["inches"] == ("foot", 12.0) and lex.subunits["lb"] == ("stone", 14.0)
    assert "data storage" in lex.quantity_entities and "time" not in lex.quantity_entities
    assert "LAW" in lex.name_labels and "DATE" not in lex.name_labels  # upper case, as spaCy labels are


# -- qualifiers and their direction ------------------------------------------------------
@pytest.mark.parametrize("qualifier,direction,bound", [
    ("more than", "lower_bound", True),
    ("over", "lower_bound", True),
    ("at least", "lower_bound", True),
    ("up to", "upper_bound", True),
    ("less than", "upper_bound", True),
    # "just over"/"just under" are near a point: not the `bound` flag (the consistency check
    # still reads "just over 700" as 700 and up)
    ("just over", "just_above", False),
    ("just under", "just_below", False),
    ("almost", "just_below", False),
    ("nearly", "just_below", False),
    ("about", "approximate", False),
    ("around", "approximate", False),
    ("approximately", "approximate", False),
])
def test_qualifier_directions(lex, qualifier, direction, bound):
    assert lex.qualifier_directions[qualifier] == direction
    assert (direction in BOUND_DIRECTIONS) is bound


def test_every_qualifier_has_a_direction(lex):
    assert set(lex.qualifier_directions) == set(lex.qualifiers.values())
    assert set(lex.qualifier_directions.values()) <= set(DIRECTIONS)


@pytest.mark.parametrize("before,qualifier,direction", [
    ("there were more than ", "more than", "lower_bound"),
    ("Fewer than ", "less than", "upper_bound"),
    ("close to ", "almost", "just_below"),
    ("some ", "about", "approximate"),
    ("there were ", None, None),
])
def test_qualifier_before(lex, before, qualifier, direction):
    assert tuple(qualifier_before(before, lex)) == (qualifier, direction)


@pytest.mark.parametrize("text,direction", [
    ("more than", "lower_bound"), ("in excess of", "lower_bound"), ("Exceeding", "lower_bound"),
    ("just over", "just_above"),
    ("fewer than", "upper_bound"), ("as many as", "upper_bound"), ("at most", "upper_bound"),
    ("just under", "just_below"), ("not quite", "just_below"), ("close to", "just_below"),
    ("roughly", "approximate"), ("an estimated", "approximate"),
])
def test_bound_words(text, direction):
    words = bound_words(MODELS / "number_cues.csv")
    assert words_pattern(words[direction]).search(f"a figure of {text} 700")
    assert [d for d in DIRECTIONS if words_pattern(words[d]).fullmatch(text)] == [direction]


@pytest.mark.parametrize("after,counted", [
    (" viewers watched", True), (" people", True), (" more homes", True),
    (" of the", False), (" bus", False), (" looks", False), ("", False),
])
def test_counted_noun_after(lex, after, counted):
    assert counted_noun_after(after, lex) is counted


@pytest.mark.parametrize("name,text,expected", [
    ("wordnum", "we saw twenty-five geese and two hundred and fifty ducks", ["twenty-five", "two hundred and fifty"]),
    ("wordnum", "Sixty seconds, not sixth", ["Sixty"]),
    ("wordnum", "someone, sevenths, oneself", []),
    ("out_of", "nine out of 10 and one in three and 3 in 1,000", ["nine out of 10", "one in three", "3 in 1,000"]),
    ("fraction", "two thirds, a quarter, halves, thirdly", ["thirds", "quarter", "halves"]),
])
def test_word_patterns(lex, name, text, expected):
    assert [m.group(0) for m in lex.patterns[name].finditer(text)] == expected


@pytest.mark.parametrize("text,expected", [
    ("£12m", ("£", "12", "m", None)),
    ("HK$6.31bn", ("HK$", "6.31", "bn", None)),
    ("124 per cent", (None, "124", None, " per cent")),
    ("400m euros", (None, "400", "m", " euros")),
    ("50p", (None, "50", None, "p")),
    ("tang90246", None),
    ("A1", None),
])
def test_number_pattern(lex, text, expected):
    match = lex.patterns["number"].search(text)
    if expected is None:
        assert match is None
    else:
        assert (match.group("cur1"), match.group("num1"), match.group("mult1"), match.group("suffix1")) == expected


def test_bad_unit_cue_names_the_file(tmp_path):
    cues = tmp_path / "cues.csv"
    cues.write_text("cue,type,value\nhectares,unit,hectare\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cues.csv"):
        load_lexicon(MODELS / "number_words.csv", cues)


def test_missing_cue_names_the_line(tmp_path):
    cues = tmp_path / "cues.csv"
    cues.write_text("cue,type,value\n,qualifier,about\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cues.csv:2"):
        load_lexicon(MODELS / "number_words.csv", cues)


@pytest.mark.parametrize("rows,message", [
    ("over,qualifier,over,\n", "cues.csv:2: a qualifier row needs a direction"),
    ("over,qualifier,over,sideways\n", "cues.csv:2: a qualifier row needs a direction"),
    ("above,qualifier,more than,lower_bound\nover,qualifier,more than,upper_bound\n",
     "cues.csv:3: 'more than' is upper_bound here but lower_bound on line 2"),
    ("people,counted,,lower_bound\n", "cues.csv:2: only qualifier and bound_word rows have a direction"),
    ("in,subunit,foot\n", "cues.csv: a subunit cue needs a value like 'foot|12'"),
])
def test_bad_cue_rows_name_the_file_and_line(tmp_path, rows, message):
    cues = tmp_path / "cues.csv"
    cues.write_text("cue,type,value,direction\n" + rows, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_lexicon(MODELS / "number_words.csv", cues)
