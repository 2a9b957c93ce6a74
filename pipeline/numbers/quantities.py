"""Numbers with units. Reads the few characters after a bare number in doc.text; returns a quantity
`Amount`, a `Veto`, or None when no unit follows.

quantulum3 is called on the candidate's few words only, never on whole documents: on a sentence it
reads "£12m" as pound-metres and "2017/18" as a division. Temperatures ("30C" is not coulombs) and
units quantulum3 lacks ("hectares") come from the `unit` rows of models/number_cues.csv (rule
"quantity_unit"). A bare "9m" is metres only with evidence ("(30ft)", "tall", "the 400m final"),
millions when a counted noun follows ("10.9m viewers"), and left out otherwise ("another 550m").
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache

from pipeline.numbers.lexicon import NumberLexicon, Qualifier, counted_noun_after
from pipeline.numbers.vetoes import DURATION, METRES_OR_MILLIONS, NEXT_WORD, Veto
from pipeline.records import Amount

_UNIT_AFTER = re.compile(r"^([ \u00a0]?)([A-Za-zµ°²³]+(?:/[A-Za-z]+|[ \u00a0][a-z]+)?)")  # "50 km/h", "40 sq m"
# "30C", "86F", "3°C", "25 degrees Celsius": quantulum3 reads "30C" as coulombs and "30 degrees" as an angle.
_TEMPERATURE_AFTER = re.compile(
    r"^(?:[ \u00a0]?°[ \u00a0]?(?P<a>[CF])|(?P<b>[CF])|[ \u00a0]?(?:°[ \u00a0]?)?degrees?[ \u00a0]+(?P<c>Celsius|centigrade|Fahrenheit|C|F))\b"
)
# "-5C", "a growth rate of -0.1%", "minus 3C"; not the dash of "10%-15%".
MINUS_BEFORE = re.compile(r"(?:(?:^|(?<=[\s(\[]))[-−]|\bminus[ \u00a0]+)$", re.I)
# "9m (30ft)", "170m (185 yards)": a conversion in brackets says the number is a length.
_LENGTH_CONVERSION_AFTER = re.compile(
    r"^[ \u00a0]*\([ \u00a0]*(?:about[ \u00a0]|around[ \u00a0]|c\.?[ \u00a0]?)?[\d.,]+[ \u00a0]?"
    r"(?:ft|feet|foot|in|inches|yd|yds|yards?|miles?)\b", re.I
)


def temperature(text: str, start: int, num_end: int, value: float, qualifier: Qualifier,
                lex: NumberLexicon) -> Amount | None:
    """"30C", "-5C", "86F", "25 degrees Celsius": units from models/number_cues.csv, with the sign."""
    match = _TEMPERATURE_AFTER.match(text[num_end : num_end + 30])
    if not match:
        return None
    key = re.sub(r"[ \u00a0]+", " ", match.group(0).strip().lower()).replace("° ", "°")
    unit = lex.units.get(key)
    if unit is None:
        return None
    minus = MINUS_BEFORE.search(text[max(0, start - 8) : start])
    if minus:
        start -= len(minus.group(0))
        value = -value
    end = num_end + match.end()
    return Amount(value=value, kind="quantity", unit=unit[0], qualifier=qualifier.text, direction=qualifier.direction,
                  rule="quantity_unit", start=start, end=end)


_DURATION_AFTER = re.compile(r"^(?P<sep>[ \u00a0]+|-)(?P<unit>[A-Za-z]+)\b")
_DURATION_WORD_AFTER = re.compile(r"^(?P<sep>[ \u00a0]+)[A-Za-z]+[ \u00a0]+(?P<unit>[A-Za-z]+)\b")
_ON_AFTER = re.compile(r"^[ \u00a0]+on(?:[,.;:)]|$|[ \u00a0]+from\b)")  # "two years on, ...": a date; "18 weeks on average" is not
_OTHER_END_BEFORE = re.compile(r"[ \u00a0]*\b[\w,.-]+[ \u00a0]+(?:to|or|and)[ \u00a0]*$", re.I)
_ARTICLES_BEFORE = re.compile(r"(?:\b(?:the|a|an|this|that|those|these|just|only)[ \u00a0]+)*$", re.I)


def duration(text: str, start: int, num_end: int, value: float, qualifier: Qualifier,
             lex: NumberLexicon) -> Amount | Veto | None:
    """"waited 18 weeks", "within 45 working days", "a 25-year lease": a duration claim (kind
    duration, unit year/month/week/day/hour/minute). DURATION when the time it states is another
    figure's period ("over four years", "the past six months", "two years ago", "the three-year
    period") or has no claim unit ("centuries"); None when no time unit follows."""
    match = _DURATION_AFTER.match(text[num_end : num_end + 40])
    if match and match.group("sep") != "-" and match.group("unit").lower() in lex.duration_words:
        match = _DURATION_WORD_AFTER.match(text[num_end : num_end + 40])  # "45 working days"
    if not match or match.group("unit").lower() not in lex.time_units:
        return None
    unit_word = match.group("unit").lower()
    unit, factor = lex.duration_units.get(unit_word, ("", 0.0))
    end = num_end + match.end()
    after = NEXT_WORD.match(text[end : end + 30])
    before = text[max(0, start - 40) : start]
    before = before[: len(before) - len(_ARTICLES_BEFORE.search(before).group(0))]
    before = _OTHER_END_BEFORE.sub("", before)  # "the next two to three months": the first end's word decides
    words_before = [_last_word(before)]
    qualifier_match = lex.patterns["qualifier_before"].search(before + " ")
    if qualifier_match:  # "in almost three months": the word before the qualifier decides too
        words_before.append(_last_word(before[: qualifier_match.start()]))
    if not unit or (after and after.group(1).lower() in lex.period_after) or _ON_AFTER.match(text[end : end + 12]) or (
            lex.period_before.intersection(words_before)):
        return DURATION  # "over four years", "two years ago", "the 12 months to March"
    if match.group("sep") == "-" and not after:
        return DURATION  # "the plan runs for a 10-year." : a compound with nothing it describes
    return Amount(value=value * factor, kind="duration", unit=unit, qualifier=qualifier.text, direction=qualifier.direction,
                  rule="duration", start=start, end=end)


def _last_word(text: str) -> str:
    word = re.search(r"([A-Za-z]+)[ \u00a0]*$", text)
    return word.group(1).lower() if word else ""


def metres_or_millions(text: str, start: int, end: int, num: str, value: float, qualifier: Qualifier,
                       lex: NumberLexicon) -> Amount | Veto:
    """"9m (30ft) tall", "the 400m final", "7.96m" are metres; "10.9m viewers" is 10.9 million;
    "another 550m" is unknown. `num` is the digits as written, `end` the end of the "m"."""
    after = text[end : end + 40]
    next_word = NEXT_WORD.match(after)
    word = next_word.group(1).lower() if next_word else ""
    metres = Amount(value=value, kind="quantity", unit="metre", qualifier=qualifier.text, direction=qualifier.direction,
                    rule="quantity_quantulum3", start=start, end=end)
    if _LENGTH_CONVERSION_AFTER.match(after) or word in lex.metre_context or "," in num:
        return metres  # "9m (30ft)", "9m tall", "1,800m of track" (millions would be written 1.8bn)
    if value in lex.race_distances and _near_metre_context(text[max(0, start - 80) : end + 80], lex):
        return metres  # "the individual 100m and 200m events in Athens"
    if counted_noun_after(after, lex):
        return Amount(value=value * 1_000_000, kind="count", qualifier=qualifier.text, direction=qualifier.direction,
                      rule="count_digits", start=start, end=end)
    decimals = num.partition(".")[2]
    if len(decimals) == 2 or value in lex.race_distances:
        return metres  # "a personal best of 7.96m", "the men's 1500m"
    return METRES_OR_MILLIONS


def _near_metre_context(window: str, lex: NumberLexicon) -> bool:
    return any(word.lower() in lex.metre_context for word in re.findall(r"[A-Za-z]+", window))


def quantity(text: str, start: int, num_end: int, value: float, qualifier: Qualifier,
             lex: NumberLexicon) -> Amount | Veto | None:
    """A number followed by a unit: an Amount, DURATION (a time unit: the period finder's), or
    None (no unit, or one that is not a claim's: the number is read as a count)."""
    unit_match = _UNIT_AFTER.match(text[num_end : num_end + 30])
    if not unit_match:
        return None
    attached = unit_match.group(1) == ""
    words = unit_match.group(2)
    first = words.split()[0]
    listed = lex.units.get(first.lower())
    if listed and listed[1] != "temperature":  # "5,200 hectares": a unit quantulum3 does not know
        end = num_end + unit_match.start(2) + len(first)
        return Amount(value=value, kind="quantity", unit=listed[0], qualifier=qualifier.text,
                      direction=qualifier.direction, rule="quantity_unit", start=start, end=end)
    entity = _unit_entity(words, attached, lex) if " " in words else None
    entity = entity or _unit_entity(first, attached, lex) or (
        _unit_entity(first.split("/")[0], attached, lex) if "/" in first else None)  # "km/h": quantulum3 reads it whole
    if entity is None:
        return None
    if entity not in lex.quantity_entities:
        return DURATION if entity == "time" else None
    parsed = _quantulum(text[start : num_end + unit_match.end()])
    if (parsed is None or parsed[1] not in lex.quantity_entities) and " " in words:
        parsed = _quantulum(text[start : num_end + unit_match.start(2) + len(first)])  # "30 Mbps in": the unit alone
    if parsed is None:
        return None
    unit_name, unit_entity, surface_len = parsed
    if unit_entity not in lex.quantity_entities:
        return None
    end = start + surface_len
    subunit = lex.patterns["subunit_after"].match(text[end : end + 12])
    if subunit and lex.subunits[subunit.group(2).lower()][0] == unit_name:
        value += float(subunit.group(1)) / lex.subunits[subunit.group(2).lower()][1]  # "6ft 2in" is 6.17 feet
        end += subunit.end()
    return Amount(value=value, kind="quantity", unit=unit_name, qualifier=qualifier.text, direction=qualifier.direction,
                  rule="quantity_quantulum3", start=start, end=end)


def _unit_entity(word: str, attached: bool, lex: NumberLexicon) -> str | None:
    if word.lower() in lex.not_units or word.lower() in lex.time_units:
        return "time" if word.lower() in lex.time_units else None
    surfaces, symbols = _units_index()
    entities = surfaces.get(word.lower()) or (symbols.get(word) if attached or len(word) > 1 else None)
    if not entities:
        return None
    entities = entities - {"dimensionless", "currency", "unknown"}
    return sorted(entities)[0] if entities else None


@lru_cache(maxsize=1)
def _units_index() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """quantulum3's own unit names: lower-case surfaces ("tonnes") and symbols ("km", "ft")."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import load

        units = load.units("en_US")
    surfaces = {k: {u.entity.name for u in v} for k, v in units.surfaces_lower.items()}
    symbols = {k: {u.entity.name for u in v} for k, v in units.symbols.items()}
    return surfaces, symbols


@lru_cache(maxsize=4096)
def _quantulum(surface: str) -> tuple[str, str, int] | None:
    """quantulum3 on a few words ("9m", "1,000 tonnes"): (unit name, entity, length of the quantity)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        quantities = parser.parse(surface)
    for quantity_found in quantities:
        if quantity_found.span[0] == 0:
            return quantity_found.unit.name, quantity_found.unit.entity.name, quantity_found.span[1]
    return None
