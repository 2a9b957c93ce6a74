"""Find the numbers that state facts. Reads doc.text and doc.ents; writes doc.spans["numbers"] with span._.amount.

Match, then validate (as presidio does): regular expressions built from models/number_*.csv
find candidates; `validate` decides, keeping the rule on the Amount for reviewers. Dates,
times, years, names with digits, list and ranking numbers, phone numbers, house numbers, ages
and scores are vetoed; quantities with units are confirmed by quantulum3, called on the
candidate's few words only (never on whole documents: it reads "£12m" as pound-metres and
"2017/18" as a division); temperatures and units quantulum3 lacks ("hectares") come from the
`unit` rows of models/number_cues.csv (rule "quantity_unit"). A bare "9m" is metres only with
evidence ("(30ft)", "tall", "the 400m final"), millions when a counted noun follows ("10.9m
viewers"), and left out otherwise ("another 550m").
"""
from __future__ import annotations

import bisect
import re
import warnings
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions  # noqa: F401
from pipeline.extensions import doc_text
from pipeline.numbers.lexicon import MONTHS, NumberLexicon, is_year, load_lexicon, multiplier_value, parse_digits, parse_number_words
from pipeline.records import Amount

# NER labels whose bare numbers are part of a name ("the Care Act 2014" LAW, "Radio 4" ORG).
NAME_LABELS = frozenset({"LAW", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "PERSON", "GPE", "LOC", "NORP"})
# quantulum3 entities accepted as "quantity" claims; time is left out on purpose: "over four
# years", "a six-month pilot" describe another figure's period, which the period_finder reads.
QUANTITY_ENTITIES = frozenset({"length", "mass", "area", "volume", "speed", "energy", "power", "temperature", "frequency",
                               "data storage", "fuel economy", "force", "pressure", "volume (lumber)"})
# Words after a word-number that show it is not counting anything ("the two were", "one of").
NOT_COUNTED = frozenset(
    "to and or of in on at by for with from the a an were was are is be been have has had will would could should "
    "may might can do did who which that than times more less other others another each per o'clock "
    # verbs ending in -s, so that "the agreement up to 2019 looks ..." is not read as 2019 "looks"
    "looks seems says shows means remains sees makes takes gives goes comes needs wants gets puts keeps".split()
)
TIME_UNITS = frozenset(
    "year years month months week weeks day days hour hours minute minutes second seconds decade decades "
    "century centuries yr yrs hr hrs".split()
)
SCORE_MAX = 15

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
_AGE_AFTER = re.compile(r"^[ \u00a0-]+years?[ \u00a0-]+olds?\b", re.I)
_COMPOUND_AFTER = re.compile(r"^-([A-Za-z]+)")
_LETTER_HYPHEN_BEFORE = re.compile(r"[A-Za-z][-–]$")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.']*)[ \u00a0]+$")
# "Gray, 26, who ...", "One boy, 16, pleaded": an age between commas after a name or a person noun.
_APPOSITION_BEFORE = re.compile(r"(?<![\w'’-])([A-Za-z][\w'’-]*),[ \u00a0]$|\b(both)[ \u00a0]$")
_APPOSITION_AFTER = re.compile(r"^(?:,|;|\)|[ \u00a0]and\b|\.(?:\s|$)|[ \u00a0]at[ \u00a0]the[ \u00a0]time\b)")
_NEXT_WORD = re.compile(r"^[ \u00a0]+([A-Za-z][\w'’-]*)")
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
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’]?\s|\n")
_FROM_BEFORE = re.compile(r"\bfrom[ \u00a0]+(?:[a-z]+(?:[ \u00a0]+[a-z]+)?[ \u00a0]+)?$", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween[ \u00a0]+(?:[a-z]+(?:[ \u00a0]+[a-z]+)?[ \u00a0]+)?$", re.I)
_UNIT_AFTER = re.compile(r"^([ \u00a0]?)([A-Za-zµ°²³]+(?:[ \u00a0][a-z]+)?)")
# "30C", "86F", "3°C", "25 degrees Celsius": quantulum3 reads "30C" as coulombs and "30 degrees" as an angle.
_TEMPERATURE_AFTER = re.compile(
    r"^(?:[ \u00a0]?°[ \u00a0]?(?P<a>[CF])|(?P<b>[CF])|[ \u00a0]?(?:°[ \u00a0]?)?degrees?[ \u00a0]+(?P<c>Celsius|centigrade|Fahrenheit|C|F))\b"
)
# "-5C", "a growth rate of -0.1%", "minus 3C"; not the dash of "10%-15%".
_MINUS_BEFORE = re.compile(r"(?:(?:^|(?<=[\s(\[]))[-−]|\bminus[ \u00a0]+)$", re.I)
# "6ft 2in", "11st 4lb", "7lb 3oz": the second number is a fraction of the first unit.
_SUBUNIT_AFTER = re.compile(r"^[ \u00a0]?(\d{1,2}(?:\.\d+)?)[ \u00a0]?(in|ins|inch|inches|lb|lbs|oz)\b", re.I)
SUBUNITS = {"foot": ({"in", "ins", "inch", "inches"}, 12), "stone": ({"lb", "lbs"}, 14), "pound-mass": ({"oz"}, 16)}
# "the 400m final", "a 1500m runner": athletics distances written like millions.
RACE_DISTANCES = frozenset({60, 100, 110, 200, 400, 800, 1500, 3000, 5000, 10000})
# "9m (30ft)", "170m (185 yards)": a conversion in brackets says the number is a length.
_LENGTH_CONVERSION_AFTER = re.compile(
    r"^[ \u00a0]*\([ \u00a0]*(?:about[ \u00a0]|around[ \u00a0]|c\.?[ \u00a0]?)?[\d.,]+[ \u00a0]?"
    r"(?:ft|feet|foot|in|inches|yd|yds|yards?|miles?)\b", re.I
)
# "a 3-1 win" vs "50-60 firefighters": tennis and squash sets come in runs ("6-4 6-3", "7-6 (7-4)").
_SET_SCORE_NEAR = re.compile(r"^[ \u00a0]+\(?\d{1,2}[-–]\d{1,2}\b")
_SET_SCORE_BEFORE = re.compile(r"\b\d{1,2}[-–]\d{1,2}\)?[ \u00a0]+$")
# "a quarter of a million", "half a million": a fraction of a scale word.
_SCALE_PREFIX_BEFORE = re.compile(
    r"(?:(?<![\w-])(?P<frac>half|(?:a|one|three)[ \u00a0-]quarters?)[ \u00a0]+(?:of[ \u00a0]+)?)?(?<![\w-])(?P<a>an?)[ \u00a0]+$", re.I
)
_SCALE_FRACTIONS = {"half": 0.5, "quarter": 0.25, "quarters": 0.75}
FUNCTION_WORDS = frozenset(
    "a an the and or but of in on at by for to from with as if so than then that this these those its it their "
    "about almost around nearly over under some only just another all each every more less fewer up down "
    "approximately roughly estimated least most".split()
)
NOT_A_FRACTION_BEFORE = re.compile(
    r"\b(?:first|second|third|fourth|final|last|past|next|this|each|every|per|the|and|preceding|previous|"
    r"following|coming|consecutive|recent)[ \u00a0]+$", re.I
)


@dataclass
class Mention:
    """A number found in doc.text, before it becomes a span."""

    start: int
    end: int
    amount: Amount
    group: int | None = None  # ranges and changes: shared by their two ends
    role: str | None = None


@Language.factory(
    "number_finder",
    requires=["doc.ents", "doc.sents"],
    assigns=["doc.spans", "span._.amount", "span._.change_id", "span._.role"],
    default_config={"number_words": "models/number_words.csv", "number_cues": "models/number_cues.csv"},
)
def make_number_finder(nlp: Language, name: str, number_words: str, number_cues: str) -> "NumberFinder":
    return NumberFinder(load_lexicon(Path(number_words), Path(number_cues)))


class NumberFinder:
    def __init__(self, lexicon: NumberLexicon, *, spans_key: str = "numbers") -> None:
        self.lex = lexicon
        self.spans_key = spans_key
        self.p = lexicon.patterns

    def __call__(self, doc: Doc) -> Doc:
        mentions = self.find(doc_text(doc), [(e.start_char, e.end_char, e.label_) for e in doc.ents])
        self.set_annotations(doc, mentions)
        return doc

    # -- find ---------------------------------------------------------------------------
    def find(self, text: str, ents: list[tuple[int, int, str]] | None = None) -> list[Mention]:
        """All claim numbers in `text`, in order; `ents` are (start, end, label) from the NER."""
        ctx = _Context(text, sorted(ents or []), _blocked_spans(text))
        mentions: list[Mention] = []
        taken: list[tuple[int, int]] = []
        groups = iter(range(1, 1_000_000))
        for mention in self._ratios(ctx):
            mentions.append(mention)
            taken.append((mention.start, mention.end))
        for match in self.p["number"].finditer(text):
            if _overlaps(taken, match.start(), match.end()):
                continue
            found = self._digit_match(ctx, match, groups)
            mentions.extend(found)
            taken.extend((m.start, m.end) for m in found)
        for match in self.p["wordnum"].finditer(text):
            if _overlaps(taken, match.start(), match.end()):
                continue
            mention = self._word_number(ctx, match)
            if mention and not _overlaps(taken, mention.start, mention.end):
                mentions.append(mention)
                taken.append((mention.start, mention.end))
        mentions.sort(key=lambda m: m.start)
        self._link_changes(text, mentions, groups)
        return mentions

    def _digit_match(self, ctx: "_Context", match: re.Match[str], groups) -> list[Mention]:
        sides = [_Side.from_match(match, 1)]
        if match.group("num2"):
            sides.append(_Side.from_match(match, 2))
        sep = (match.group("sep") or "").strip().lower()
        dash = sep in ("-", "–", "—")
        text = ctx.text
        paired = len(sides) == 2
        first_before = text[max(0, sides[0].start - 40) : sides[0].start]
        if paired and self._is_age_context(first_before):
            return []  # "aged 25-34", "aged 15 and 16", "aged 18 to 24"
        if paired and sep == "and" and not _BETWEEN_BEFORE.search(first_before[-30:]):
            paired = False
        second_tail = text[sides[1].num_end : sides[1].num_end + 20] if paired else ""
        if paired and (dash or sep == "to") and (_TIME_AFTER.match(second_tail) or _AGE_AFTER.match(second_tail)):
            return []  # "from 1130 to 1215 GMT", "9-11am", "18 to 24 year olds": both ends are times or ages
        if paired and (dash or sep == "to"):
            first, second = sides
            if is_year(parse_digits(first.num), first.num) and not (first.cur or first.suffix):
                if len(second.num) <= 2 or is_year(parse_digits(second.num), second.num):
                    return []  # "2018-19", "2010 to 2015": a span of years, read by the period finder
                found = self.validate(ctx, second)  # "in March 2012 to 1107": only the second is a number
                return [found] if found else []
            plain = not (first.cur or first.suffix or first.mult or second.cur or second.suffix or second.mult)
            if plain and dash and self._is_score(ctx, first, second):
                return []
        if paired:
            sides = _share_units(sides)
        found = [self.validate(ctx, side) for side in sides]
        if paired and dash and found[0] is None:
            return []  # "Boeing 737-800", "June 22-23": the first number says what the pair is
        found = [m for m in found if m]
        if paired and len(found) == 2 and (found[0].amount.kind, found[0].amount.unit) != (found[1].amount.kind, found[1].amount.unit):
            paired = False  # "sales jumped 22% to 449,603": a change and a level, not two ends of one range
        if paired and len(found) == 2:
            group = next(groups)
            before = text[max(0, match.start() - 30) : match.start()]
            roles = ("from", "to") if sep == "to" and _FROM_BEFORE.search(before) else ("low", "high")
            if roles == ("low", "high") and found[0].amount.value > found[1].amount.value:
                roles = ()  # "Labour leads by 39% to 34%": a comparison, not a range
            found = [replace(m, group=group, role=role) for m, role in zip(found, roles)] + found[len(roles) :]
        if paired and sides[1].qual:
            found = [replace(m, amount=replace(m.amount, qualifier=self.lex.qualifiers.get(sides[1].qual.strip().lower())))
                     if m.start == sides[1].start else m for m in found]
        return found

    def _is_score(self, ctx: "_Context", first: "_Side", second: "_Side") -> bool:
        """"a 3-1 win", "lost 28-17", "6-4 6-3": a result, not a range (ranges go up: "50-60")."""
        text, lex = ctx.text, self.lex
        low, high = parse_digits(first.num), parse_digits(second.num)
        if "." in first.num + second.num:
            return False
        if low >= high:
            return True  # "28-17", "27-27", "50-50"
        after = text[second.end : second.end + 30]
        before = text[max(0, first.start - 30) : first.start]
        if _SET_SCORE_NEAR.match(after) or _SET_SCORE_BEFORE.search(before):
            return True
        next_word = _NEXT_WORD.match(after)
        word_before = _WORD_BEFORE.search(before)
        if next_word and next_word.group(1).lower() in lex.score_words:
            return True
        if word_before and word_before.group(1).lower() in lex.score_words:
            return True
        if low <= SCORE_MAX and high <= SCORE_MAX:
            return not (next_word and next_word.group(1).islower() and next_word.group(1).endswith("s"))
        return False

    def _is_age_context(self, before: str) -> bool:
        word_before = _WORD_BEFORE.search(before)
        return bool(word_before and word_before.group(1).lower().rstrip(".") in self.lex.age_words)

    # -- validate -----------------------------------------------------------------------
    def validate(self, ctx: "_Context", side: "_Side") -> Mention | None:
        """Decide what one number is: money, percent, count or quantity; None when it is not a claim."""
        text, lex = ctx.text, self.lex
        value = parse_digits(side.num)
        start, end = side.start, side.end
        after = text[end : end + 40]
        before = text[max(0, start - 40) : start]
        suffix = (side.suffix or "").strip().lower()
        mult = (side.mult or "").strip().lower()
        qualifier = self._qualifier(before)
        if side.cur or suffix in lex.currency_words or suffix in lex.pence:
            if suffix in lex.pence and not side.cur:
                if mult or re.match(r"^-", after):
                    return None  # "530 pence-per-share": a modifier
                unit, value, rule = "GBP", value / 100, "money_pence"
            else:
                unit = lex.currencies.get((side.cur or "").strip().lower()) or lex.currency_words.get(suffix, "GBP")
                value *= multiplier_value(mult, lex)
                rule = "money"
            per = self._per(after)
            return Mention(start, end, Amount(value, "money", unit, per, qualifier, rule, start, end))
        if suffix in lex.percent:
            minus = _MINUS_BEFORE.search(before[-8:])
            if minus:  # "a growth rate of -0.1%"
                start, value = start - len(minus.group(0)), -value
            return Mention(start, end, Amount(value, "percent", lex.percent[suffix], None, qualifier, "percent", start, end))
        if suffix:  # "points" alone is not a percentage without "percentage"
            end = side.num_end + len(side.mult or "")
        # A bare number: rule out what is not a count.
        tail = text[side.num_end : side.num_end + 40]
        if self._not_a_count(ctx, side, before, tail, value):
            return None
        if mult in ("m", "k", "b") or not mult:
            temperature = self._temperature(text, start, side.num_end, value, qualifier)
            if temperature:
                return temperature
            if mult == "m":
                return self._metres_or_millions(ctx, side, value, qualifier)
            unit_mention = self._quantity(text, start, side.num_end, value, qualifier)
            if unit_mention is not None:
                return unit_mention or None
            if mult in ("k", "b"):
                if self._counted_noun_after(text[side.end : side.end + 40]):
                    value *= multiplier_value(mult, lex)  # "50k people"
                    return Mention(start, side.end, Amount(value, "count", None, None, qualifier, "count_digits", start, side.end))
                return None
            if re.match(r"^[A-Za-z]", text[side.num_end : side.num_end + 1]):
                return None  # "95.2FM", "4G": letters that are not a unit
            end = side.num_end
        else:
            value *= multiplier_value(mult, lex)
        if re.search(r"\bminus[ \u00a0]+$", before, re.I):  # "plus 3 compared with minus 10"
            value = -value
        return Mention(start, end, Amount(value, "count", None, None, qualifier, "count_digits", start, end))

    def _not_a_count(self, ctx: "_Context", side: "_Side", before: str, tail: str, value: float) -> bool:
        """Vetoes for a bare number: dates, times, years, names, list numbers, phone numbers, ages, addresses."""
        lex, start = self.lex, side.start
        if ctx.is_blocked(start) or _LETTER_HYPHEN_BEFORE.search(before) or before.endswith(("#", "No.", "no.")):
            return True  # list numbering, phone numbers, "A-1", "#3"
        if re.match(r"^\.\d", tail) or (side.num.startswith("0") and len(side.num) > 1 and "." not in side.num):
            return True  # "3.8.0", "0800": versions and phone numbers
        if _TIME_AFTER.match(tail) or _CLOCK_AFTER.match(tail) or _DATE_BEFORE.search(before) or _DATE_AFTER.match(tail):
            return True
        if _CHAIN_AFTER.match(tail) or _CHAIN_BEFORE.search(before):
            return True
        if _ORDINAL_AFTER.match(tail) or _SLASH_AFTER.match(tail) or _ARITHMETIC_AFTER.match(tail) or _YEAR_APOSTROPHE_BEFORE.search(before):
            return True
        if _DOTTED_CLOCK.fullmatch(side.num) and not side.mult and not side.suffix and _CLOCK_BEFORE.search(before):
            return True
        if value <= 120 and _AT_THE_TIME_AFTER.match(tail):
            return True
        year = is_year(value, side.num)
        if year and (_YEAR_RANGE_AFTER.match(tail) or _YEAR_POSSESSIVE_AFTER.match(tail)):
            return True
        if year and not self._year_can_be_a_count(before, tail):
            return True
        if _AGE_AFTER.match(tail) or _AGE_OF_BEFORE.search(before):
            return True  # "17-year-olds", "at the age of 87"
        compound = _COMPOUND_AFTER.match(tail)
        if compound and (value < 100 or compound.group(1).lower() in TIME_UNITS):
            return True  # "a 24-hour strike", "a six-month pilot"; "a 10,000-vote majority" counts votes
        word_before = _WORD_BEFORE.search(before)
        if word_before:
            word = word_before.group(1).lower().rstrip(".")
            if word in lex.age_words or word in lex.name_prefixes:
                return True  # "aged 17", "Section 427"
            possessive = word.endswith(("'s", "s'"))  # "Norfolk's 400 schools", "Glamorgan's 220 all out"
            if (word_before.group(1)[0].isupper() and word not in FUNCTION_WORDS and word not in lex.qualifiers
                    and not possessive and value < 1000 and not ctx.starts_sentence(word_before.start(1) + start - len(before))):
                return True  # "Radio 4", "Apollo 11": a name that ends in a number
        if value <= 120 and value == int(value) and "," not in side.num and _APPOSITION_AFTER.match(tail):
            apposition = _APPOSITION_BEFORE.search(before)
            word = apposition and (apposition.group(1) or apposition.group(2))
            if word and (word[0].isupper() or word.lower() in lex.age_nouns or word.lower() == "both"):
                return True  # "Gray, 26, who ...": an age
        if self._street_after(tail):
            return True  # "10 Downing Street"
        return ctx.in_entity(start, side.num_end, NAME_LABELS)

    def _year_can_be_a_count(self, before: str, tail: str) -> bool:
        """A bare 1800-2099 is a year unless a qualifier says it is an amount ("approximately 1015",
        "more than 2000 people"); "up to", "over" and "around" also go with years, so then a counted noun must follow."""
        match = self.p["qualifier_before"].search(before)
        if not match:
            return False
        if match.group("q").lower() in ("up to", "over", "around", "under", "above", "below", "some"):
            return self._counted_noun_after(tail)
        return True

    def _street_after(self, tail: str) -> bool:
        words = re.match(r"^[ \u00a0]+((?:[A-Z][\w'’-]*[ \u00a0]+){1,3})([A-Z][a-z]*)\b", tail)
        return bool(words and words.group(2).lower() in self.lex.streets)

    def _counted_noun_after(self, after: str) -> bool:
        """"10.9m viewers", "50k people": a plural noun follows (perhaps after "more", "new")."""
        words = re.match(r"^[ \u00a0]+(?:(?:more|new|extra|additional|fewer|other)[ \u00a0]+)?([a-z][a-z'’-]*)", after)
        if not words:
            return False
        word = words.group(1)
        if word in self.lex.counted:
            return True
        return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word not in NOT_COUNTED and len(word) > 3

    def _metres_or_millions(self, ctx: "_Context", side: "_Side", value: float, qualifier: str | None) -> Mention | None:
        """"9m (30ft) tall", "the 400m final", "7.96m" are metres; "10.9m viewers" is 10.9 million; "another 550m" is unknown."""
        text, start = ctx.text, side.start
        after = text[side.end : side.end + 40]
        next_word = _NEXT_WORD.match(after)
        word = next_word.group(1).lower() if next_word else ""
        metres = Mention(start, side.end, Amount(value, "quantity", "metre", None, qualifier, "quantity_quantulum3", start, side.end))
        if _LENGTH_CONVERSION_AFTER.match(after) or word in self.lex.metre_context or "," in side.num:
            return metres  # "9m (30ft)", "9m tall", "1,800m of track" (millions would be written 1.8bn)
        if value in RACE_DISTANCES and self._near_metre_context(text[max(0, start - 80) : side.end + 80]):
            return metres  # "the individual 100m and 200m events in Athens"
        if self._counted_noun_after(after):
            value *= 1_000_000
            return Mention(start, side.end, Amount(value, "count", None, None, qualifier, "count_digits", start, side.end))
        decimals = side.num.partition(".")[2]
        if len(decimals) == 2 or value in RACE_DISTANCES:
            return metres  # "a personal best of 7.96m", "the men's 1500m"
        return None
        return None

    def _near_metre_context(self, window: str) -> bool:
        return any(word.lower() in self.lex.metre_context for word in re.findall(r"[A-Za-z]+", window))

    def _temperature(self, text: str, start: int, num_end: int, value: float, qualifier: str | None) -> Mention | None:
        """"30C", "-5C", "86F", "25 degrees Celsius": units from models/number_cues.csv, with the sign."""
        match = _TEMPERATURE_AFTER.match(text[num_end : num_end + 30])
        if not match:
            return None
        key = re.sub(r"[ \u00a0]+", " ", match.group(0).strip().lower()).replace("° ", "°")
        unit = self.lex.units.get(key)
        if unit is None:
            return None
        minus = _MINUS_BEFORE.search(text[max(0, start - 8) : start])
        if minus:
            start -= len(minus.group(0))
            value = -value
        end = num_end + match.end()
        return Mention(start, end, Amount(value, "quantity", unit[0], None, qualifier, "quantity_unit", start, end))

    def _quantity(self, text: str, start: int, num_end: int, value: float, qualifier: str | None) -> Mention | None | bool:
        """A number followed by a unit: a Mention, False (a unit that is not a claim, e.g. time), or None (no unit)."""
        unit_match = _UNIT_AFTER.match(text[num_end : num_end + 30])
        if not unit_match:
            return None
        attached = unit_match.group(1) == ""
        words = unit_match.group(2)
        first = words.split()[0]
        listed = self.lex.units.get(first.lower())
        if listed and listed[1] != "temperature":  # "5,200 hectares": a unit quantulum3 does not know
            end = num_end + unit_match.start(2) + len(first)
            return Mention(start, end, Amount(value, "quantity", listed[0], None, qualifier, "quantity_unit", start, end))
        entity = _unit_entity(words, attached) if " " in words else None
        entity = entity or _unit_entity(first, attached)
        if entity is None:
            return None
        if entity not in QUANTITY_ENTITIES:
            return False if entity == "time" else None
        parsed = _quantulum(text[start : num_end + unit_match.end()])
        if parsed is None:
            return None
        unit_name, unit_entity, surface_len = parsed
        if unit_entity not in QUANTITY_ENTITIES:
            return None
        end = start + surface_len
        subunit = _SUBUNIT_AFTER.match(text[end : end + 12])
        if unit_name in SUBUNITS and subunit and subunit.group(2).lower() in SUBUNITS[unit_name][0]:
            value += float(subunit.group(1)) / SUBUNITS[unit_name][1]  # "6ft 2in" is 6.17 feet
            end += subunit.end()
        return Mention(start, end, Amount(value, "quantity", unit_name, None, qualifier, "quantity_quantulum3", start, end))

    def _word_number(self, ctx: "_Context", match: re.Match[str]) -> Mention | None:
        text, lex = ctx.text, self.lex
        words = match.group(0)
        start, end = match.span()
        value = parse_number_words(words, lex)
        first_word = re.split(r"[ \u00a0-]+", words.lower())[0]
        before = text[max(0, start - 40) : start]
        scaled = False
        if lex.word_roles.get(first_word) == "scale":
            prefix = _SCALE_PREFIX_BEFORE.search(before)
            if not prefix:
                return None  # "hundreds", "million-pound": vague or part of a word
            fraction = (prefix.group("frac") or "").replace("-", " ").split()
            value = (parse_number_words("one " + words, lex) or 0) * _SCALE_FRACTIONS.get(fraction[-1].lower() if fraction else "", 1.0)
            start -= len(prefix.group(0))
            before = text[max(0, start - 40) : start]
            scaled = True
        if value is None or lex.word_roles.get(words.lower()) == "one":
            return None
        after = text[end : end + 40]
        if _COMPOUND_AFTER.match(after) or _LETTER_HYPHEN_BEFORE.search(before) or _AGE_AFTER.match(after):
            return None  # "two-way", "six-month", "three-year-old"
        surface = text[start:end]
        if surface[0].isupper() and not ctx.starts_sentence(start):
            return None  # "Channel Four", "the Big Six"
        if ctx.in_entity(start, end, NAME_LABELS):
            return None
        word_before = _WORD_BEFORE.search(before)
        if word_before and word_before.group(1).lower().rstrip(".") in lex.name_prefixes:
            return None  # "the number three shirt", "world number five", "page three"
        qualifier = self._qualifier(before)
        percent = self.p["percent_after"].match(after)
        if percent and percent.group("p").lower() in lex.percent:
            end += percent.end()
            return Mention(start, end, Amount(value, "percent", lex.percent[percent.group("p").lower()], None, qualifier, "percent_words", start, end))
        money = self.p["money_word_after"].match(after)
        if money and value >= 1000:
            end += money.end()
            return Mention(start, end, Amount(value, "money", lex.currency_words.get(money.group(0).strip().lower(), "GBP"),
                                              self._per(text[end : end + 30]), qualifier, "money_words", start, end))
        large = scaled or any(lex.word_roles.get(w) == "scale" and lex.word_values[w] >= 1000
                              for w in re.split(r"[ \u00a0-]+", words.lower()))
        next_word = _NEXT_WORD.match(after)
        if not next_word:
            if large:  # "a Muslim population of about half a million."
                return Mention(start, end, Amount(value, "count", None, None, qualifier, "count_words", start, end))
            return None
        word = next_word.group(1).lower()
        if word in ("more", "other", "extra", "additional", "new"):
            following = _NEXT_WORD.match(after[next_word.end() :])
            word = following.group(1).lower() if following else word  # "six more people"
        if word in TIME_UNITS or word in lex.word_values:
            return None
        partitive = word == "of" and re.match(r"^[ \u00a0]+of[ \u00a0]+(?:the|its|their|his|her|our|your|these|those|them|us)\b", after, re.I)
        if word in NOT_COUNTED and not large and not partitive:
            return None  # "the two were", "one of"; but "two billion are shipped", "two of the airlines"
        return Mention(start, end, Amount(value, "count", None, None, qualifier, "count_words", start, end))

    def _ratios(self, ctx: "_Context") -> list[Mention]:
        text, lex = ctx.text, self.lex
        found: list[Mention] = []
        for match in self.p["out_of"].finditer(text):
            a, b = (_number_value(match.group(g), lex) for g in ("a", "b"))
            if a is None or not b or a > b:
                continue
            if match.group("link").lower() == "of" and "out" not in match.group(0).lower():
                continue
            if is_year(b, match.group("b")) or ctx.is_blocked(match.start()):
                continue
            if match.group("link").lower() == "in" and match.group("a").lower() not in ("one", "1") and b < 10 and a > 1:
                continue  # "two in three" is a ratio too, but "six in 2"... keep "one in N" and "N in 10/100"
            start, end = match.span()
            qualifier = self._qualifier(text[max(0, start - 40) : start])
            found.append(Mention(start, end, Amount(a / b, "ratio", None, None, qualifier, "ratio_out_of", start, end)))
        for match in self.p["fraction"].finditer(text):
            start, end = match.span()
            fraction_word = match.group("frac").lower()
            numerator_match = self.p["fraction_before"].search(text[max(0, start - 24) : start])
            if numerator_match:
                start -= len(numerator_match.group(0))
            if _overlaps([(m.start, m.end) for m in found], start, end):
                continue
            before = text[max(0, start - 40) : start]
            after = text[end : end + 30]
            if NOT_A_FRACTION_BEFORE.search(before) or _COMPOUND_AFTER.match(after) or _LETTER_HYPHEN_BEFORE.search(before):
                continue
            if re.match(r"^[ \u00a0]+(?:of[ \u00a0]+)?an?[ \u00a0]+(?:hundred|thousand|million|billion)\b", after, re.I):
                continue  # "a quarter of a million", "half a million": a count, read by _word_number
            if not numerator_match:
                if fraction_word != "half" or not re.match(r"^[ \u00a0]+(?:of|the|their|its|all)\b", after, re.I):
                    continue
                value = 0.5
            else:
                numerator_word = numerator_match.group("a").lower()
                plural = fraction_word.endswith("s")
                if numerator_word in ("a", "an", "one"):
                    if plural or not re.match(r"^[ \u00a0]+of\b", after, re.I):
                        continue
                    numerator = 1.0
                else:
                    numerator = lex.word_values.get(numerator_word)
                    if numerator is None or not plural or lex.word_roles.get(numerator_word) != "unit":
                        continue
                value = numerator * lex.word_values[fraction_word]
                if value >= 1:
                    continue
            qualifier = self._qualifier(before)
            found.append(Mention(start, end, Amount(value, "ratio", None, None, qualifier, "ratio_fraction", start, end)))
        return found

    def _qualifier(self, before: str) -> str | None:
        match = self.p["qualifier_before"].search(before)
        return self.lex.qualifiers.get(match.group("q").lower()) if match else None

    def _per(self, after: str) -> str | None:
        match = self.p["per_after"].match(after)
        return self.lex.per.get(match.group("per").lower()) if match else None

    def _link_changes(self, text: str, mentions: list[Mention], groups) -> None:
        """"from approximately 1015 in March 2012 to 1107 in March 17": two ends of one change."""
        for first, second in zip(mentions, mentions[1:]):
            if first.group or second.group or first.amount.kind != second.amount.kind:
                continue
            between = text[first.end : second.start]
            if len(between) > 80 or _SENTENCE_BREAK.search(between) or not re.search(r"\bto\b", between):
                continue
            if _FROM_BEFORE.search(text[max(0, first.start - 30) : first.start]):
                group = next(groups)
                first.group, first.role = group, "from"
                second.group, second.role = group, "to"

    # -- write --------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, mentions: list[Mention]) -> None:
        spans: list[Span] = []
        seen: set[tuple[int, int]] = set()
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, label=mention.amount.kind, alignment_mode="expand")
            if span is None or (span.start, span.end) in seen:
                continue  # two numbers inside one token: keep the first (see the tokenizer's infixes)
            seen.add((span.start, span.end))
            span._.amount = mention.amount
            span._.change_id = f"c{mention.group}" if mention.group else None
            span._.role = mention.role
            spans.append(span)
        doc.spans[self.spans_key] = spans


@dataclass
class _Side:
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
    def from_match(cls, match: re.Match[str], i: int) -> "_Side":
        start = match.start(f"cur{i}") if match.group(f"cur{i}") else match.start(f"num{i}")
        end = max(match.end(g) for g in (f"num{i}", f"mult{i}", f"suffix{i}") if match.group(g))
        return cls(start, end, match.end(f"num{i}"), match.group(f"cur{i}"), match.group(f"num{i}"),
                   match.group(f"mult{i}"), match.group(f"suffix{i}"), match.group("qual2") if i == 2 else None)


def _share_units(sides: list[_Side]) -> list[_Side]:
    """"£2-3m" is £2m to £3m; "2-3%" is 2% to 3%: each end takes what the other states.

    Only a bare end borrows: in "imports grew 1.3% to $155.8bn" both ends say what they are, and
    the percentage must not become dollars."""
    first, second = sides
    if (first.cur or first.suffix) and (second.cur or second.suffix):
        return [first, second]
    if second.cur is None and first.cur:
        second = replace(second, cur=first.cur)
    if first.cur is None and second.cur:
        first = replace(first, cur=second.cur)
    if first.mult is None and second.mult and first.cur:
        first = replace(first, mult=second.mult)
    if first.suffix is None and second.suffix:
        first = replace(first, suffix=second.suffix)
    return [first, second]


class _Context:
    """The text plus indexes the validators consult."""

    def __init__(self, text: str, ents: list[tuple[int, int, str]], blocked: list[tuple[int, int]]) -> None:
        self.text = text
        self.ents = ents
        self.ent_starts = [e[0] for e in ents]
        self.blocked = blocked  # sorted, non-overlapping: list numbering, phone numbers
        self.blocked_starts = [b[0] for b in blocked]

    def in_entity(self, start: int, end: int, labels: frozenset[str]) -> bool:
        i = bisect.bisect_right(self.ent_starts, start) - 1
        return i >= 0 and self.ents[i][1] >= end and self.ents[i][2] in labels

    def is_blocked(self, offset: int) -> bool:
        i = bisect.bisect_right(self.blocked_starts, offset) - 1
        return i >= 0 and offset < self.blocked[i][1]

    def starts_sentence(self, offset: int) -> bool:
        before = self.text[max(0, offset - 4) : offset].rstrip(" \u00a0\t\"'“‘")
        return not before or before[-1] in ".!?:\n" or offset == 0


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """Stretches whose digits are never claims: list markers ("1."), ranked list lines ("1 Roger
    Federer" next to "2 Andy Roddick"), phone numbers with at least nine digits."""
    spans = [m.span() for m in _LIST_MARKER.finditer(text)]
    for pattern in (_LIST_LINE, _RANK_INLINE):
        items = [(int(m.group(1)), m.start(1)) for m in pattern.finditer(text)]
        for n, offset in items:
            if any(abs(n - m) == 1 and abs(offset - other) < LIST_ITEM_GAP for m, other in items):
                spans.append((offset, offset + len(str(n))))
    for match in _PHONE.finditer(text):
        if sum(c.isdigit() for c in match.group(0)) >= 9:
            spans.append(match.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _number_value(word: str, lex: NumberLexicon) -> float | None:
    if word[0].isdigit():
        return parse_digits(word)
    return parse_number_words(word, lex) if word.lower() != "one" else 1.0


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


# English words that are also unit symbols: "in" (inch), "a" (are), "am"/"pm" (atto-, picometre).
_NOT_UNITS = frozenset("a an in at am pm as is it on or by to of up s g h b p the per and for".split())


def _unit_entity(word: str, attached: bool) -> str | None:
    if word.lower() in _NOT_UNITS or word.lower() in TIME_UNITS:
        return "time" if word.lower() in TIME_UNITS else None
    surfaces, symbols = _units_index()
    entities = surfaces.get(word.lower()) or (symbols.get(word) if attached or len(word) > 1 else None)
    if not entities:
        return None
    entities = entities - {"dimensionless", "currency", "unknown"}
    return sorted(entities)[0] if entities else None


@lru_cache(maxsize=4096)
def _quantulum(surface: str) -> tuple[str, str, int] | None:
    """quantulum3 on a few words ("9m", "1,000 tonnes"): (unit name, entity, length of the quantity)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        quantities = parser.parse(surface)
    for quantity in quantities:
        if quantity.span[0] == 0:
            return quantity.unit.name, quantity.unit.entity.name, quantity.span[1]
    return None
