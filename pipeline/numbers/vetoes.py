"""Why a number candidate is not a claim. Reads doc.text around a candidate and the NER's entities;
returns a `Veto` (a stable code plus words for reviewers) or None.

Dates, times, years, names with digits, list and ranking numbers, phone numbers, house numbers,
ages, scores and compound modifiers ("a six-month pilot") are vetoed here; the number_finder keeps
each vetoed candidate in doc.spans["rejected_numbers"] with span._.veto, so a dropped "2014" says why.
Regular expressions that are grammar stay here; word lists come from models/number_cues.csv.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.numbers.lexicon import MONTHS, NumberLexicon, counted_noun_after, is_year, parse_digits

@dataclass
class Side:
    """One number of a match: "£57.4 million" in "£57.4 million to £73.7 million"."""

    start: int
    end: int
    num_end: int
    cur: str | None
    num: str
    mult: str | None
    suffix: str | None
    qual: str | None = None

    @classmethod
    def from_match(cls, match: re.Match[str], i: int) -> "Side":
        start = match.start(f"cur{i}") if match.group(f"cur{i}") else match.start(f"num{i}")
        end = max(match.end(g) for g in (f"num{i}", f"mult{i}", f"suffix{i}") if match.group(g))
        return cls(start, end, match.end(f"num{i}"), match.group(f"cur{i}"), match.group(f"num{i}"),
                   match.group(f"mult{i}"), match.group(f"suffix{i}"), match.group("qual2") if i == 2 else None)


@dataclass(frozen=True)
class Veto:
    """Why a candidate is not a claim: `code` is stable (filter on it), `words` say it for a reviewer."""

    code: str
    words: str

    def __str__(self) -> str:
        return f"{self.code}: {self.words}"


class Rejection(NamedTuple):
    """A vetoed candidate: where it stands in doc.text and why."""

    start: int
    end: int
    veto: Veto


# The vetoes. One code may have several wordings; the code is what reports and tests key on.
YEAR = Veto("year", "a four-digit year 1800-2099")
YEAR_SPAN = Veto("year", "a span of years (2018-19, 2010 to 2015), which the period finder reads")
YEAR_MARKED = Veto("year", "a year by its form: '83, 2003's, 2017/18")
RATIO_OF_A_YEAR = Veto("year", "the whole is a year (one in 2012)")
DATE = Veto("date", "next to a month: a day of a month or a month's year (14 February, March 2012)")
TIME = Veto("time", "a clock or race time (9:31 am, 2235 BST, at 11.55, 7:46.78)")
TIME_RANGE = Veto("time", "both ends are times (9-11am, from 1130 to 1215 GMT)")
AGE = Veto("age", "an age (aged 17, 17-year-olds, at the age of 87, 13 at the time)")
AGE_IN_COMMAS = Veto("age", "an age between commas after a name or a person (Gray, 26, who ...)")
AGE_RANGE = Veto("age", "a range of ages (aged 25-34, 18 to 24 year olds)")
SCORE = Veto("score", "a score, not a range: it goes down or stands by a result word (a 3-1 win, lost 28-17, 6-4 6-3)")
LIST_NUMBER = Veto("list_number", "list or ranking numbering (1. at a line start, 1 Roger Federer / 2 ...)")
PHONE = Veto("phone", "part of a phone number (0800 555 111, +44 20 7946 0958)")
LEADING_ZERO = Veto("leading_zero", "a leading zero (0800, 007): a code or a phone number, not an amount")
VERSION = Veto("version", "a dotted version or code (3.8.0)")
CHAIN = Veto("chain", "a chain of hyphenated numbers (a 4-4-2 formation)")
ORDINAL = Veto("ordinal", "an ordinal (21st, 110th)")
SLASH = Veto("slash", "numbers joined by a slash (9/11, 24/7)")
ARITHMETIC = Veto("arithmetic", "a sum (2+2=5)")
COMPOUND = Veto("compound", "part of a hyphenated word (a 24-hour strike, A-1, two-way, pence-per-share)")
NAME_PREFIX = Veto("name_prefix", "after a word that names things by number (Section 427, page three, No. 10, #3)")
NAME = Veto("name", "after a capitalised word: part of a name (Radio 4, Apollo 11)")
CAPITALISED_WORD = Veto("name", "a capitalised number word inside a sentence (Channel Four, the Big Six)")
LETTERS_AFTER = Veto("letters_after", "letters after it that are not a known unit (95.2FM, 4G, 21secs)")
NAME_ENTITY = Veto("name_entity", "inside a named entity (the Care Act 2014, Apollo 11)")
ADDRESS = Veto("address", "a house number (10 Downing Street)")
DURATION = Veto("duration", "the period of another figure (over four years, the past 18 months, two years ago), not a duration claim")
NOT_COUNTED = Veto("not_counted", "nothing counted after it (the two were, one of, six in all)")
ONE = Veto("not_counted", "'one' alone is a pronoun as often as a number (no one, one day)")
TOO_LONG = Veto("too_long", "more digits than a figure has (an identifier, or text that is not a number)")
VAGUE = Veto("vague", "a scale word alone (hundreds, million-pound)")
METRES_OR_MILLIONS = Veto("ambiguous_unit", "m with no sign of metres or of millions (another 550m)")
THOUSANDS_OF_WHAT = Veto("ambiguous_unit", "k or b with no counted noun after it")
PAIR = Veto("pair", "the other end of a pair whose first number is not a claim (Boeing 737-800, June 22-23)")
NOT_A_SHARE = Veto("not_a_share", "a fraction or ratio word that states no share (the first half, halves, six in 2)")

_TIME_AFTER = re.compile(
    r"^[ \u00a0]?(?:[:.]\d{2})?[ \u00a0]?(?:a\.?m\b\.?|p\.?m\b\.?|bst\b|gmt\b|utc\b|cet\b|hrs\b|h\b|local[ \u00a0]time\b)", re.I
)
# "18:00", "7:46.78": a clock time or a race time, whatever follows.
_CLOCK_AFTER = re.compile(r"^[:]\d{2}\b")
# "at about 11.55", "by 9.30": a clock time written with a full stop.
_CLOCK_BEFORE = re.compile(r"\b(?:at|by|until|till|from|before|after)[ \u00a0]+(?:(?:about|around|approximately|roughly|just)[ \u00a0]+)?$", re.I)
_DOTTED_CLOCK = re.compile(r"(?:[01]?\d|2[0-3])\.[0-5]\d")
_ARITHMETIC_AFTER = re.compile(r"^[ \u00a0]?[+=×÷][ \u00a0]?\d")  # "2+2=5"
_AT_THE_TIME_AFTER = re.compile(r"^[ \u00a0]+at[ \u00a0]+the[ \u00a0]+time\b", re.I)  # "who was 13 at the time": an age
# "March 2012", "June 24 and 25", "May 3-4".
_DATE_BEFORE = re.compile(
    rf"\b(?:{MONTHS})\.?[ \u00a0]*(?:\d{{1,2}}(?:st|nd|rd|th)?[ \u00a0]*(?:[-–&]|and|to)[ \u00a0]*)?$", re.I
)
_YEAR_APOSTROPHE_BEFORE = re.compile(r"(?:^|[\s(])['’‘]$")  # "class of '83", "the '80s"
# "14 February", "22 and 23 June", "22-23 June", "21st of March".
_DATE_AFTER = re.compile(
    rf"^(?:st|nd|rd|th)?(?:[ \u00a0]*(?:[-–&]|and|to)[ \u00a0]*\d{{1,2}}(?:st|nd|rd|th)?)?[ \u00a0]+(?:of[ \u00a0]+)?(?:{MONTHS})\b", re.I
)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.I)
_YEAR_RANGE_AFTER = re.compile(r"^[/\-–](?:\d{1,2}|\d{4})\b")  # "2017/18", "2018-19", "1924-5"
# "a 2-3-2 scrum", "a 4-4-2 formation": a chain of hyphenated numbers is a line-up or a code.
_CHAIN_AFTER = re.compile(r"^[-–]\d+[-–]\d")
_CHAIN_BEFORE = re.compile(r"\d[-–]\d+[-–]$")
_YEAR_POSSESSIVE_AFTER = re.compile(r"^['’]s\b")
_SLASH_AFTER = re.compile(r"^/\d")  # "9/11", "24/7", "06/05": dates, names and fractions, not counts
_AGE_OF_BEFORE = re.compile(r"\bages?[ \u00a0]+of[ \u00a0]+$", re.I)  # "died at the age of 87"
AGE_AFTER = re.compile(r"^[ \u00a0-]+years?[ \u00a0-]+olds?\b", re.I)
COMPOUND_AFTER = re.compile(r"^-([A-Za-z]+)")
LETTER_HYPHEN_BEFORE = re.compile(r"[A-Za-z][-–]$")
WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.']*)[ \u00a0]+$")
# "Gray, 26, who ...", "One boy, 16, pleaded": an age between commas after a name or a person noun.
_APPOSITION_BEFORE = re.compile(r"(?<![\w'’-])([A-Za-z][\w'’-]*),[ \u00a0]$|\b(both)[ \u00a0]$")
_APPOSITION_AFTER = re.compile(r"^(?:,|;|\)|[ \u00a0]and\b|\.(?:\s|$)|[ \u00a0]at[ \u00a0]the[ \u00a0]time\b)")
NEXT_WORD = re.compile(r"^[ \u00a0]+([A-Za-z][\w'’-]*)")
_LIST_MARKER = re.compile(r"(?m)^[ \t]*(?:[•\-*][ \t]*)?\d{1,3}[.)](?=[ \t])")
# "1 Roger Federer (Switzerland)" lines: a ranking or results list when the next number's line is there too.
_LIST_LINE = re.compile(r"(?m)^[ \t]*(\d{1,3})[ \t]+(?=[A-Z])")
# "+21secs. 5. Julian Alaphilippe (Fra)": results flattened into one line, read as a list when the
# item follows a full stop or bracket and the neighbouring number ("4. ", "6. ") is close by.
_RANK_INLINE = re.compile(r"(?<=[.)!?:][ \t])(\d{1,3})\.[ \t]+(?=[A-Z])")
LIST_ITEM_GAP = 400
# UK and international phone numbers: "0800 555 111", "0845 8 505 505", "+44 20 7946 0958", "(01632) 960 001".
_PHONE = re.compile(
    r"(?<![\w.,])(?:\+\d{1,3}[ \u00a0]?(?:\(0\)[ \u00a0]?)?\d{1,5}|\(?0\d{2,5}\)?)(?:[ \u00a0-]\d{1,6}){1,4}(?![\d,.]\d)"
)
# "a 3-1 win" vs "50-60 firefighters": tennis and squash sets come in runs ("6-4 6-3", "7-6 (7-4)").
_SET_SCORE_NEAR = re.compile(r"^[ \u00a0]+\(?\d{1,2}[-–]\d{1,2}\b")
_SET_SCORE_BEFORE = re.compile(r"\b\d{1,2}[-–]\d{1,2}\)?[ \u00a0]+$")
# Two small numbers joined by a dash are a score rather than a range ("2-1"), unless a plural noun
# follows ("3-4 bedrooms"): a threshold, not a word list.
SCORE_MAX = 15


class Context:
    """The text plus the indexes the vetoes consult, and the candidates vetoed so far."""

    def __init__(self, text: str, ents: list[tuple[int, int, str]]) -> None:
        self.text = text
        self.ents = ents
        self.ent_starts = [e[0] for e in ents]
        self.blocked = blocked_spans(text)  # sorted, non-overlapping: list numbering, phone numbers
        self.blocked_starts = [b[0] for b in self.blocked]
        self.rejected: list[Rejection] = []

    def reject(self, start: int, end: int, veto: Veto) -> None:
        self.rejected.append(Rejection(start, end, veto))

    def in_entity(self, start: int, end: int, labels: frozenset[str]) -> bool:
        i = bisect.bisect_right(self.ent_starts, start) - 1
        return i >= 0 and self.ents[i][1] >= end and self.ents[i][2] in labels

    def blocked_by(self, offset: int) -> Veto | None:
        """LIST_NUMBER or PHONE when `offset` lies in a list marker or a phone number."""
        i = bisect.bisect_right(self.blocked_starts, offset) - 1
        return self.blocked[i][2] if i >= 0 and offset < self.blocked[i][1] else None

    def starts_sentence(self, offset: int) -> bool:
        before = self.text[max(0, offset - 4) : offset].rstrip(" \u00a0\t\"'“‘")
        return not before or before[-1] in ".!?:\n" or offset == 0


def blocked_spans(text: str) -> list[tuple[int, int, Veto]]:
    """Stretches whose digits are never claims: list markers ("1."), ranked list lines ("1 Roger
    Federer" next to "2 Andy Roddick"), phone numbers with at least nine digits. Overlapping
    stretches merge, keeping the first one's veto."""
    spans = [(*m.span(), LIST_NUMBER) for m in _LIST_MARKER.finditer(text)]
    for pattern in (_LIST_LINE, _RANK_INLINE):
        items = [(int(m.group(1)), m.start(1)) for m in pattern.finditer(text)]
        for n, offset in items:
            if any(abs(n - m) == 1 and abs(offset - other) < LIST_ITEM_GAP for m, other in items):
                spans.append((offset, offset + len(str(n)), LIST_NUMBER))
    for match in _PHONE.finditer(text):
        if sum(c.isdigit() for c in match.group(0)) >= 9:
            spans.append((*match.span(), PHONE))
    spans.sort(key=lambda span: span[:2])
    merged: list[tuple[int, int, Veto]] = []
    for start, end, veto in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, veto))
    return merged


def bare_number_veto(ctx: Context, side: Side, value: float, lex: NumberLexicon) -> Veto | None:
    """Vetoes for a bare number (no currency, no percent): dates, times, years, names, list
    numbers, phone numbers, ages, addresses. Every check only reads the text, so their order decides
    which reason is given, never whether the number is vetoed: the most telling come first."""
    start, text = side.start, ctx.text
    before = text[max(0, start - 40) : start]
    tail = text[side.num_end : side.num_end + 40]
    blocked = ctx.blocked_by(start)
    if blocked:
        return blocked
    if LETTER_HYPHEN_BEFORE.search(before):
        return COMPOUND  # "A-1"
    if before.endswith(("#", "No.", "no.")):
        return NAME_PREFIX  # "#3", "No.10"
    if re.match(r"^\.\d", tail):
        return VERSION  # "3.8.0"
    if _TIME_AFTER.match(tail) or _CLOCK_AFTER.match(tail):
        return TIME
    if side.num.startswith("0") and len(side.num) > 1 and "." not in side.num:
        return LEADING_ZERO  # "0800"
    if _DATE_BEFORE.search(before) or _DATE_AFTER.match(tail):
        return DATE
    year = is_year(value, side.num)
    if _YEAR_APOSTROPHE_BEFORE.search(before) or (year and (_YEAR_RANGE_AFTER.match(tail) or _YEAR_POSSESSIVE_AFTER.match(tail))):
        return YEAR_MARKED  # "'83", "2017/18", "2003's"
    if _CHAIN_AFTER.match(tail) or _CHAIN_BEFORE.search(before):
        return CHAIN
    if _ORDINAL_AFTER.match(tail):
        return ORDINAL
    if _SLASH_AFTER.match(tail):
        return SLASH
    if _ARITHMETIC_AFTER.match(tail):
        return ARITHMETIC
    if _DOTTED_CLOCK.fullmatch(side.num) and not side.mult and not side.suffix and _CLOCK_BEFORE.search(before):
        return TIME
    if (value <= 120 and _AT_THE_TIME_AFTER.match(tail)) or AGE_AFTER.match(tail) or _AGE_OF_BEFORE.search(before):
        return AGE  # "13 at the time", "17-year-olds", "at the age of 87"
    if ctx.in_entity(start, side.num_end, lex.name_labels):
        return NAME_ENTITY  # "the Care Act 2014" (LAW), "Apollo 11" (PRODUCT)
    if year and not year_can_be_a_count(before, tail, lex):
        return YEAR
    compound = COMPOUND_AFTER.match(tail)
    if compound and value < 100 and compound.group(1).lower() not in lex.time_units:
        return COMPOUND  # "a two-way street"; "a 10,000-vote majority" counts votes; "a 24-hour strike" is a duration
    word_before = WORD_BEFORE.search(before)
    if word_before:
        word = word_before.group(1).lower().rstrip(".")
        if word in lex.age_words:
            return AGE  # "aged 17"
        if word in lex.name_prefixes:
            return NAME_PREFIX  # "Section 427"
        possessive = word.endswith(("'s", "s'"))  # "Norfolk's 400 schools", "Glamorgan's 220 all out"
        if (word_before.group(1)[0].isupper() and word not in lex.function_words and word not in lex.qualifiers
                and not possessive and value < 1000 and not ctx.starts_sentence(word_before.start(1) + start - len(before))):
            return NAME  # "Radio 4", "Apollo 11": a name that ends in a number
    if value <= 120 and value == int(value) and "," not in side.num and _APPOSITION_AFTER.match(tail):
        apposition = _APPOSITION_BEFORE.search(before)
        word = apposition and (apposition.group(1) or apposition.group(2))
        if word and (word[0].isupper() or word.lower() in lex.age_nouns or word.lower() == "both"):
            return AGE_IN_COMMAS  # "Gray, 26, who ...": an age
    if street_after(tail, lex):
        return ADDRESS  # "10 Downing Street"
    return None


def year_can_be_a_count(before: str, tail: str, lex: NumberLexicon) -> bool:
    """A bare 1800-2099 is a year unless a qualifier says it is an amount ("approximately 1015",
    "more than 2000 people"); "up to", "over" and "around" also go with years (the year_qualifier
    rows), so then a counted noun must follow."""
    match = lex.patterns["qualifier_before"].search(before)
    if not match:
        return False
    if match.group("q").lower() in lex.year_qualifiers:
        return counted_noun_after(tail, lex)
    return True


def street_after(tail: str, lex: NumberLexicon) -> bool:
    words = re.match(r"^[ \u00a0]+((?:[A-Z][\w'’-]*[ \u00a0]+){1,3})([A-Z][a-z]*)\b", tail)
    return bool(words and words.group(2).lower() in lex.streets)


def range_veto(ctx: Context, first: Side, second: Side, sep: str, lex: NumberLexicon) -> Veto | None:
    """Vetoes for the two numbers of a range as a whole: ages ("aged 25-34") and times ("9-11am")."""
    text = ctx.text
    before = text[max(0, first.start - 40) : first.start]
    if is_age_context(before, lex):
        return AGE_RANGE  # "aged 25-34", "aged 15 and 16", "aged 18 to 24"
    if sep in ("-", "–", "—", "to"):
        tail = text[second.num_end : second.num_end + 20]
        if _TIME_AFTER.match(tail):
            return TIME_RANGE  # "from 1130 to 1215 GMT", "9-11am"
        if AGE_AFTER.match(tail):
            return AGE_RANGE  # "18 to 24 year olds"
    return None


def is_age_context(before: str, lex: NumberLexicon) -> bool:
    word_before = WORD_BEFORE.search(before)
    return bool(word_before and word_before.group(1).lower().rstrip(".") in lex.age_words)


def is_score(ctx: Context, first: Side, second: Side, lex: NumberLexicon) -> bool:
    """"a 3-1 win", "lost 28-17", "6-4 6-3": a result, not a range (ranges go up: "50-60")."""
    text = ctx.text
    low, high = parse_digits(first.num), parse_digits(second.num)
    if "." in first.num + second.num:
        return False
    if low >= high:
        return True  # "28-17", "27-27", "50-50"
    after = text[second.end : second.end + 30]
    before = text[max(0, first.start - 30) : first.start]
    if _SET_SCORE_NEAR.match(after) or _SET_SCORE_BEFORE.search(before):
        return True
    next_word = NEXT_WORD.match(after)
    word_before = WORD_BEFORE.search(before)
    if next_word and next_word.group(1).lower() in lex.score_words:
        return True
    if word_before and word_before.group(1).lower() in lex.score_words:
        return True
    if low <= SCORE_MAX and high <= SCORE_MAX:
        return not (next_word and next_word.group(1).islower() and next_word.group(1).endswith("s"))
    return False


def word_number_veto(ctx: Context, start: int, end: int, lex: NumberLexicon) -> Veto | None:
    """Vetoes for a number in words ("six", "Twenty", "a quarter of a million") by what stands
    around it: hyphenated words, ages, capitalised names, entities, "number three"."""
    text = ctx.text
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    if AGE_AFTER.match(after):
        return AGE  # "three-year-old"
    compound = COMPOUND_AFTER.match(after)
    if (compound and compound.group(1).lower() not in lex.time_units) or LETTER_HYPHEN_BEFORE.search(before):
        return COMPOUND  # "two-way"; "a six-month pilot" is a duration
    if text[start].isupper() and not ctx.starts_sentence(start):
        return CAPITALISED_WORD  # "Channel Four", "the Big Six"
    if ctx.in_entity(start, end, lex.name_labels):
        return NAME_ENTITY
    word_before = WORD_BEFORE.search(before)
    if word_before and word_before.group(1).lower().rstrip(".") in lex.name_prefixes:
        return NAME_PREFIX  # "the number three shirt", "world number five", "page three"
    return None


def counted_word_veto(after: str, large: bool, lex: NumberLexicon) -> Veto | None:
    """A number in words counts what follows it: not a time unit ("six months"), not a word such
    as "were" or "of" ("the two were", "one of") unless it is large ("two billion are shipped") or
    partitive ("two of the airlines")."""
    next_word = NEXT_WORD.match(after)
    if not next_word:
        return None if large else NOT_COUNTED  # "a Muslim population of about half a million."
    word = next_word.group(1).lower()
    if word in ("more", "other", "extra", "additional", "new"):
        following = NEXT_WORD.match(after[next_word.end() :])
        word = following.group(1).lower() if following else word  # "six more people"
    if word in lex.time_units:
        return DURATION
    if word in lex.word_values:
        return NOT_COUNTED
    partitive = word == "of" and re.match(r"^[ \u00a0]+of[ \u00a0]+(?:the|its|their|his|her|our|your|these|those|them|us)\b", after, re.I)
    if word in lex.not_counted and not large and not partitive:
        return NOT_COUNTED  # "the two were", "one of"
    return None
