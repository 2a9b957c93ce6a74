"""The number grammar: word lists from models/, the regular expressions built from them, value parsing.

Reads models/number_words.csv and models/number_cues.csv into one `NumberLexicon` record; pure
functions, which the number_finder component and the other pipeline/numbers modules use on doc.text.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pipeline.dates.calendar import month_alternation

MONTHS = month_alternation(lower=True)  # "january|...|december|jan|...|sept|...|dec", for re.IGNORECASE patterns

# A digit number: "1,137", "57.4", "1015". Not part of a word ("tang90246", "A1") or of a
# longer number ("3.8.0" is caught and vetoed as a version by the finder).
# ASCII digits only: Python's \d also takes Arabic-Indic and other scripts' digits ("£5٣m"), which
# float() would silently read. A vulgar fraction may end a number or stand alone ("2½ million", "½ of staff").
VULGAR_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅕": 0.2, "⅛": 0.125}
_VULGAR = "".join(VULGAR_FRACTIONS)
DIGITS = rf"(?:(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)[{_VULGAR}]?|[{_VULGAR}])"


@dataclass(frozen=True)
class NumberLexicon:
    """Word lists the finder needs (models/number_words.csv and models/number_cues.csv)."""

    word_values: dict[str, float]  # "six" -> 6, "hundred" -> 100
    word_roles: dict[str, str]  # unit | tens | scale | one | fraction
    qualifiers: dict[str, str]  # "more than" -> "more than", "approx" -> "approximately"
    per: dict[str, str]  # "a year" -> "year"
    percent: dict[str, str]  # "per cent" -> "%", "percentage points" -> "pp"
    multipliers: dict[str, float]  # "m" -> 1e6
    currencies: dict[str, str]  # "£" -> "GBP"
    currency_words: dict[str, str]  # "pounds" -> "GBP"
    pence: frozenset[str] = frozenset()
    name_prefixes: frozenset[str] = frozenset()
    age_words: frozenset[str] = frozenset()
    age_nouns: frozenset[str] = frozenset()  # "One boy, 16, ...": a person noun before an age in commas
    counted: frozenset[str] = frozenset()  # nouns counted without a plural -s ("people", "staff")
    streets: frozenset[str] = frozenset()  # "10 Downing Street": a house number, not a count
    metre_context: frozenset[str] = frozenset()  # "9m tall", "the 400m final": metres, not millions
    score_words: frozenset[str] = frozenset()  # "a 3-1 win", "lost 20-27": a score, not a range
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # "hectares" -> (hectare, area): units quantulum3 lacks
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)
    # What a qualifier says about the figure: "more than" -> lower_bound, "up to" -> upper_bound,
    # "almost" -> just_below, "just over" -> just_above, "about" -> approximate (see DIRECTIONS).
    qualifier_directions: dict[str, str] = field(default_factory=dict)
    year_qualifiers: frozenset[str] = frozenset()  # "up to 2019": qualifier cues that also go with years
    not_counted: frozenset[str] = frozenset()  # "the two were", "one of": words after a number that it does not count
    time_units: frozenset[str] = frozenset()  # "six months": a duration (a claim, or another figure's period)
    duration_units: dict[str, tuple[str, float]] = field(default_factory=dict)  # "decades" -> (year, 10): a duration claim's unit
    period_before: frozenset[str] = frozenset()  # "over four years", "the past six months": another figure's period
    period_after: frozenset[str] = frozenset()  # "two years ago", "three months to March": a period or date, not a claim
    times_words: dict[str, float] = field(default_factory=dict)  # "doubled" -> 2, "twice" -> 2 (a multiplier, kind ratio, unit x)
    times_after: frozenset[str] = frozenset()  # "four times as many", "16 times faster": words after "N times" that make it one
    change_words: dict[str, str] = field(default_factory=dict)  # "down" -> down: "down 12p" is a change
    vague: dict[str, tuple[float, float]] = field(default_factory=dict)  # "hundreds" -> (200, 999): "hundreds of homes"
    duration_words: frozenset[str] = frozenset()  # "45 working days", "six more months": words between a number and its time unit
    function_words: frozenset[str] = frozenset()  # capitalised words before a number that do not make it a name
    not_fraction_before: frozenset[str] = frozenset()  # "the first half", "the final quarter": not shares
    not_units: frozenset[str] = frozenset()  # English words that are also unit symbols ("in", "am")
    race_distances: frozenset[float] = frozenset()  # "the 400m final": athletics distances written like millions
    subunits: dict[str, tuple[str, float]] = field(default_factory=dict)  # "in" -> (foot, 12): "6ft 2in"
    quantity_entities: frozenset[str] = frozenset()  # quantulum3 entities accepted as quantity claims
    name_labels: frozenset[str] = frozenset()  # NER labels whose bare numbers are part of a name


# The `direction` column of number_cues.csv (qualifier and bound_word rows).
DIRECTIONS = ("lower_bound", "upper_bound", "just_below", "just_above", "approximate")
# Directions that make a figure a limit rather than a point value (claim_builder's `bound` flag).
BOUND_DIRECTIONS = frozenset({"lower_bound", "upper_bound"})


class Qualifier(NamedTuple):
    """A qualifier as the table writes it ("more than") and what it says about the figure (lower_bound)."""

    text: str | None = None
    direction: str | None = None


NO_QUALIFIER = Qualifier()


class CueRow(NamedTuple):
    """One row of models/number_cues.csv, with its line for error messages."""

    cue: str
    type: str
    value: str
    direction: str
    line: int


def read_cues(number_cues: Path) -> list[CueRow]:
    """The rows of number_cues.csv, checked: each has a cue and a type; qualifier and bound_word
    rows have a known direction (the same for every cue of one qualifier), other rows none."""
    rows: list[CueRow] = []
    direction_of: dict[str, CueRow] = {}
    with open(number_cues, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["type"] is None or not row["cue"]:
                raise ValueError(f"{number_cues}:{line}: needs cue,type,value")
            cue = CueRow(row["cue"], row["type"], row["value"] or "", (row.get("direction") or "").strip(), line)
            if cue.type in ("qualifier", "bound_word") and cue.direction not in DIRECTIONS:
                raise ValueError(f"{number_cues}:{line}: a {cue.type} row needs a direction "
                                 f"({', '.join(DIRECTIONS)}), not {cue.direction!r}")
            if cue.type not in ("qualifier", "bound_word") and cue.direction:
                raise ValueError(f"{number_cues}:{line}: only qualifier and bound_word rows have a direction")
            if cue.type == "qualifier":
                first = direction_of.setdefault(cue.value, cue)
                if first.direction != cue.direction:
                    raise ValueError(f"{number_cues}:{line}: {cue.value!r} is {cue.direction} here but "
                                     f"{first.direction} on line {first.line}; one qualifier has one direction")
            rows.append(cue)
    return rows


def bound_words(number_cues: Path) -> dict[str, list[str]]:
    """direction -> the words that state it: each qualifier cue and the qualifier it stands for
    ("above", "more than"), plus the bound_word rows (words only the consistency check reads)."""
    words: dict[str, set[str]] = {direction: set() for direction in DIRECTIONS}
    for row in read_cues(number_cues):
        if row.type == "qualifier":
            words[row.direction] |= {row.cue.lower(), row.value.lower()}
        elif row.type == "bound_word":
            words[row.direction].add(row.cue.lower())
    return {direction: sorted(found) for direction, found in words.items()}


def words_pattern(words: list[str]) -> re.Pattern[str]:
    """Any of `words`, whole, in any case: \\b(?:more than|over|...)\\b, longest first."""
    return re.compile(rf"\b(?:{_alternation(words)})\b", re.IGNORECASE)


def load_lexicon(number_words: Path, number_cues: Path) -> NumberLexicon:
    """Read the two CSV word lists and compile the patterns built from them."""
    word_values: dict[str, float] = {}
    word_roles: dict[str, str] = {}
    with open(number_words, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            word_values[row["word"]] = float(row["value"])
            word_roles[row["word"]] = row["role"]
    cues = read_cues(number_cues)
    by_type: dict[str, dict[str, str]] = {}
    for cue in cues:
        by_type.setdefault(cue.type, {})[cue.cue.lower()] = cue.value

    def words(kind: str) -> frozenset[str]:
        return frozenset(by_type.get(kind, {}))

    lexicon = NumberLexicon(
        word_values=word_values,
        word_roles=word_roles,
        qualifiers=by_type.get("qualifier", {}),
        per=by_type.get("per", {}),
        percent=by_type.get("percent", {}),
        multipliers={k: float(v) for k, v in by_type.get("multiplier", {}).items()},
        currencies=by_type.get("currency", {}),
        currency_words=by_type.get("currency_word", {}),
        pence=frozenset(by_type.get("pence", {})),
        name_prefixes=frozenset(by_type.get("name_prefix", {})),
        age_words=frozenset(by_type.get("age", {})),
        age_nouns=frozenset(by_type.get("age_noun", {})),
        counted=frozenset(by_type.get("counted", {})),
        streets=frozenset(by_type.get("street", {})),
        metre_context=frozenset(by_type.get("metre_context", {})),
        score_words=frozenset(by_type.get("score_word", {})),
        units={cue: _unit_value(value, number_cues) for cue, value in by_type.get("unit", {}).items()},
        qualifier_directions={cue.value: cue.direction for cue in cues if cue.type == "qualifier"},
        year_qualifiers=words("year_qualifier"),
        not_counted=words("not_counted"),
        time_units=words("time_unit"),
        duration_units={cue: _duration_value(value, number_cues) for cue, value in by_type.get("time_unit", {}).items() if value},
        period_before=words("period_before"),
        period_after=words("period_after"),
        duration_words=words("duration_word"),
        change_words=by_type.get("change_word", {}),
        times_words={cue: float(value) for cue, value in by_type.get("times_word", {}).items()},
        times_after=words("times_after"),
        vague={cue: _bounds_value(value, number_cues) for cue, value in by_type.get("vague", {}).items()},
        function_words=words("function_word"),
        not_fraction_before=words("not_fraction_before"),
        not_units=words("not_unit"),
        race_distances=frozenset(float(distance) for distance in words("race_distance")),
        subunits={cue: _subunit_value(value, number_cues) for cue, value in by_type.get("subunit", {}).items()},
        quantity_entities=words("quantity_entity"),
        name_labels=frozenset(label.upper() for label in words("name_label")),  # cues are read lower-cased; labels are "LAW"
    )
    lexicon.patterns.update(compile_patterns(lexicon))
    return lexicon


def _unit_value(value: str, path: Path) -> tuple[str, str]:
    name, _, entity = value.partition("|")
    if not name or not entity:
        raise ValueError(f"{path}: a unit cue needs a value like 'hectare|area', not {value!r}")
    return name, entity


def _duration_value(value: str, path: Path) -> tuple[str, float]:
    name, _, factor = value.partition("|")
    try:
        return name, float(factor or 1)
    except ValueError:
        raise ValueError(f"{path}: a time_unit value is a unit and an optional factor like 'year|10', not {value!r}") from None


def _bounds_value(value: str, path: Path) -> tuple[float, float]:
    low, _, high = value.partition("|")
    try:
        return float(low), float(high)
    except ValueError:
        raise ValueError(f"{path}: a vague cue needs a value like '200|999', not {value!r}") from None


def _subunit_value(value: str, path: Path) -> tuple[str, float]:
    name, _, per_unit = value.partition("|")
    try:
        return name, float(per_unit)
    except ValueError:
        raise ValueError(f"{path}: a subunit cue needs a value like 'foot|12', not {value!r}") from None


def _alternation(words: list[str]) -> str:
    # Longest first, so "percentage points" wins over "points" and "bn" over "b".
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _first_letters(words: list[str]) -> str:
    """A character class body of the words' first letters, both cases: "Ttf..." for "two", "five"."""
    letters = {w[0].lower() for w in words} | {w[0].upper() for w in words}
    return "".join(re.escape(c) for c in sorted(letters))


def word_tree(words: list[str]) -> str:
    """The same language as `_alternation(words)`, written as a prefix tree ("t(?:en|h(?:ird|ree))").

    Python's re tries every branch of a flat alternation at every position of the text; a tree
    fails on the first letter, which makes the word-number patterns scanned over whole articles
    several times faster. Longer continuations come before the end of a word, so the tree still
    prefers the longest word, like the sorted alternation. Words must be lower case (the patterns
    are compiled with IGNORECASE)."""
    tree: dict = {}
    for word in set(words):
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(tree)


def _trie_regex(node: dict) -> str:
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if len(branches) == 1 and "" not in node:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")


def compile_patterns(lex: NumberLexicon) -> dict[str, re.Pattern[str]]:
    currencies = _alternation(list(lex.currencies))
    short_mult = _alternation([m for m in lex.multipliers if len(m) <= 3])
    long_mult = _alternation([m for m in lex.multipliers if len(m) > 3])
    percent = _alternation([p for p in lex.percent if p != "points"])
    numword = word_tree([w for w, r in lex.word_roles.items() if r in ("unit", "tens", "scale", "one")])
    fraction = word_tree([w for w, r in lex.word_roles.items() if r == "fraction"])
    money_word = _alternation(list(lex.currency_words) + sorted(lex.pence))
    one_side = (
        rf"(?P<cur@>{currencies})?[ \u00a0]?(?P<num@>{DIGITS})(?!{NOT_A_NUMBER_END})"
        rf"(?P<mult@>[ \u00a0]?(?:{short_mult})(?![\w£$€])|[ \u00a0](?:{long_mult})\b)?"
        rf"(?P<suffix@>[ \u00a0]?(?:{percent})(?!\w)|[ \u00a0]?(?:{money_word})\b)?"
    )
    side1, side2 = one_side.replace("@", "1"), one_side.replace("@", "2")
    number = (
        rf"(?<![\w.,/:=£$€])(?=[0-9{_VULGAR}{_first_letters(list(lex.currencies))}]){side1}"
        rf"(?:(?P<sep>[ \u00a0]?[-–—][ \u00a0]?|[ \u00a0]to[ \u00a0]|[ \u00a0]and[ \u00a0])"
        rf"(?P<qual2>(?:{_alternation(list(lex.qualifiers))})[ \u00a0])?"
        rf"{side2}(?![\w.]\d))?"
    )
    # Each word pattern starts with a look-ahead on the first letters its words can start with:
    # the cheapest way to skip the many positions where no number word can begin.
    first = _first_letters([w for w, r in lex.word_roles.items() if r in ("unit", "tens", "scale", "one")])
    fraction_first = _first_letters([w for w, r in lex.word_roles.items() if r == "fraction"])
    wordnum = rf"\b(?=[{first}])(?:{numword})(?:(?:[ \u00a0]+(?:and[ \u00a0]+)?|-)(?:{numword}))*\b"
    return {
        "number": re.compile(number, re.IGNORECASE),
        "wordnum": re.compile(wordnum, re.IGNORECASE),
        "out_of": re.compile(
            rf"\b(?=[{first}0-9])(?P<a>{numword}|\d+)[ \u00a0]+(?:out[ \u00a0]+)?(?P<link>of|in)[ \u00a0]+"
            rf"(?P<b>{numword}|\d+(?:,\d{{3}})*)\b",
            re.IGNORECASE,
        ),
        # Fractions are found by their fraction word ("thirds", "half"); the numerator before it
        # ("two", "a") is read with fraction_before on the few characters in front.
        "fraction": re.compile(rf"\b(?=[{fraction_first}])(?P<frac>{fraction})\b", re.IGNORECASE),
        "fraction_before": re.compile(rf"(?<![\w'’-])(?P<a>{numword}|an?)[ \u00a0-]$", re.IGNORECASE),
        "qualifier_before": re.compile(
            rf"\b(?P<q>{_alternation(list(lex.qualifiers))})[ \u00a0]+(?:of[ \u00a0]+)?(?:(?:a|an|the)[ \u00a0]+)?$", re.IGNORECASE
        ),
        "per_after": re.compile(rf"^[ \u00a0]*(?P<per>{_alternation(list(lex.per))})\b", re.IGNORECASE),
        "money_word_after": re.compile(rf"^[ \u00a0]+(?:{money_word})\b", re.IGNORECASE),
        # "points" alone is not "pp": "two points above the relegation zone"
        "percent_after": re.compile(rf"^[ \u00a0]?(?P<p>{percent})(?!\w)", re.IGNORECASE),
        # "the first half", "the final quarter": a fraction word after these is not a share
        "not_fraction_before": re.compile(rf"\b(?:{_alternation(list(lex.not_fraction_before))})[ \u00a0]+$", re.IGNORECASE),
        # "6ft 2in", "11st 4lb", "7lb 3oz": the second number is a fraction of the first unit
        # "hundreds of homes", "tens of thousands of pounds": a vague quantity, read as its lower bound
        "vague": re.compile(rf"\b(?:{_alternation(list(lex.vague) or ['(?!)'])})\b(?=[ \u00a0]+of[ \u00a0]+\w)", re.IGNORECASE),
        # "fivefold", "a 10-fold rise", "four times as many", "twice as much", "doubled": multipliers
        "times": re.compile(
            rf"\b(?:(?P<fold>{numword}|[0-9]+(?:\.[0-9]+)?)-?fold\b"
            rf"|(?:(?P<n>{numword}|[0-9]+(?:\.[0-9]+)?)[ \u00a0]+times|(?P<twice>twice))"
            rf"(?=[ \u00a0]+(?:{_alternation(list(lex.times_after) or ['(?!)'])})\b)"
            rf"|(?P<word>{_alternation([w for w in lex.times_words if w != 'twice'] or ['(?!)'])})\b)",
            re.IGNORECASE,
        ),
        "change_before": re.compile(rf"\b(?P<c>{_alternation(list(lex.change_words) or ['(?!)'])})[ \u00a0]+$", re.IGNORECASE),
        "subunit_after": re.compile(
            rf"^[ \u00a0]?(\d{{1,2}}(?:\.\d+)?)[ \u00a0]?({_alternation(list(lex.subunits))})\b", re.IGNORECASE
        ),
    }


# What may not follow a number's digits: another script's digit ("£5٣m"), a superscript power
# ("10³"), an exponent ("1e308"), or a comma and one or two digits ("1,2,3,4"): such a number is not
# read at all rather than read short.
NOT_A_NUMBER_END = r"\d|[⁰¹²³⁴-⁹]|[eE][+-]?[0-9]|,[0-9]{1,2}(?![0-9])|,[0-9]{4}"
MAX_DIGITS = 15  # more digits than a float holds exactly: an identifier or garbage, not a figure


def parse_digits(text: str) -> float:
    """'1,137' -> 1137.0; '57.4' -> 57.4; '2½' -> 2.5."""
    fraction = VULGAR_FRACTIONS.get(text[-1:], 0.0)
    if fraction:
        text = text[:-1] or "0"
    return float(text.replace(",", "")) + fraction


def parse_number_words(text: str, lex: NumberLexicon) -> float | None:
    """'twenty-five' -> 25; 'two hundred and fifty' -> 250; 'six' -> 6; 'hundred' -> None (vague)."""
    words = [w for w in re.split(r"[ \u00a0-]+", text.lower()) if w and w != "and"]
    if not words or lex.word_roles.get(words[0]) == "scale" and words[0] != "dozen":
        return None
    total = 0.0
    current = 0.0
    for word in words:
        role = lex.word_roles.get(word)
        value = lex.word_values.get(word)
        if value is None or role == "fraction":
            return None
        if role == "scale":
            current = (current or 1) * value
            if value >= 1000:
                total += current
                current = 0.0
        else:
            current += value
    return total + current


def multiplier_value(text: str | None, lex: NumberLexicon) -> float:
    if not text:
        return 1.0
    return lex.multipliers.get(text.strip().lower(), 1.0)


def is_year(value: float, surface: str) -> bool:
    """A bare four-digit number from 1800 to 2099 ("2014", not "2,014")."""
    return surface.isdigit() and len(surface) == 4 and 1800 <= value <= 2099


def qualifier_before(before: str, lex: NumberLexicon) -> Qualifier:
    """The qualifier that ends `before` ("more than ", "about a "), normalised, with its direction."""
    match = lex.patterns["qualifier_before"].search(before)
    return qualifier_of(match.group("q"), lex) if match else NO_QUALIFIER


def qualifier_of(cue: str, lex: NumberLexicon) -> Qualifier:
    """A qualifier cue as written ("Fewer than") -> Qualifier("less than", "upper_bound")."""
    text = lex.qualifiers.get(cue.strip().lower())
    return Qualifier(text, lex.qualifier_directions.get(text)) if text else NO_QUALIFIER


def per_after(after: str, lex: NumberLexicon) -> str | None:
    """"a year", "per pupil" right after a number -> "year", "pupil"."""
    match = lex.patterns["per_after"].match(after)
    return lex.per.get(match.group("per").lower()) if match else None


def counted_noun_after(after: str, lex: NumberLexicon) -> bool:
    """"10.9m viewers", "50k people": a plural noun follows (perhaps after "more", "new")."""
    words = re.match(r"^[ \u00a0]+(?:(?:more|new|extra|additional|fewer|other)[ \u00a0]+)?([a-z][a-z'’-]*)", after)
    if not words:
        return False
    word = words.group(1)
    if word in lex.counted:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word not in lex.not_counted and len(word) > 3
