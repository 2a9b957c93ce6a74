"""Date expressions in short texts (a sentence, a byline) → Periods; reads models/period_cues.csv and models/period_names.csv."""
from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable

from pipeline.numbers.lexicon import word_tree
from pipeline.records import Period, Publication
from pipeline.resources import MODELS_DIR

DEFAULT_CUES = MODELS_DIR / "period_cues.csv"
DEFAULT_NAMES = MODELS_DIR / "period_names.csv"

MONTHS: dict[str, int] = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["Sept"] = 9
WEEKDAYS: dict[str, int] = {calendar.day_name[i]: i for i in range(7)}
# Counts written as words in "the past five years", "the three months to December".
COUNT_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18,
    "twenty": 20, "thirty": 30, "fifty": 50, "a hundred": 100, "a few": 0, "a couple of": 0,
}
QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}

# Month names are matched case-sensitively: "may" and "march" are also a verb.
_MONTH = r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# A year is 1900-2099 standing alone: not part of "2,017", "£2017", "2017.5", "2017%".
_YEAR = r"(?<![\d£$€.,/:])(?:19|20)\d\d(?![\d%]|[.,]\d|:\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_ACADEMIC_AFTER = re.compile(r"\s+(?:academic|school|university)\s+year\b")
_ACADEMIC_BEFORE = re.compile(r"\b(?:academic|school)\s+year\s*(?:of\s+)?$")
_SEASON_AFTER = re.compile(r"\s+(?:season|campaign)\b")
_SEASON_BEFORE = re.compile(r"\bseason\s*$")
# Cheap checks before the patterns that need a month name or a year (see DateFinder.find).
_MONTH_HINT = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")
_COUNT = r"(?:\d{1,3}|" + "|".join(sorted(COUNT_WORDS, key=len, reverse=True)) + r")"


@dataclass(frozen=True)
class Reference:
    """What relative expressions resolve against: the publication day, or the bounds it lies within."""

    earliest: date
    latest: date

    @classmethod
    def from_publication(cls, publication: Publication | None) -> "Reference | None":
        if publication is None:
            return None
        if publication.date is not None:
            return cls(publication.date, publication.date)
        if publication.earliest is not None and publication.latest is not None:
            return cls(publication.earliest, publication.latest)
        return None

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text: where, what kind, and the Period it means (None + reason if unresolved)."""

    start: int
    end: int
    text: str
    kind: str  # financial_year | year_range | quarter | months_to | since | day | month | year | decade | relative | vague | name ...
    period: Period | None
    reason: str = ""
    parts: tuple[Period, ...] = ()  # the two ends of "between 2010 and 2015", for the ends of a change
    preposition: str = ""  # in | by | since | ... the word right before it, if any

    @property
    def attachable(self) -> bool:
        """Names ("Care Act 2014") are found so that nothing else claims them, but they are no period."""
        return self.kind != "name"


@dataclass(frozen=True)
class PeriodCue:
    phrase: str
    resolution: str  # as_of | day | week | month | calendar_year | financial_year | trailing_months | vague
    offset: int


# ---------------------------------------------------------------- calendar helpers

def whole_year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def whole_month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def financial_year(first_year: int) -> tuple[date, date]:
    """UK councils' (and government's) financial year starts 1 April: 2017/18 is 2017-04-01..2018-03-31."""
    return date(first_year, 4, 1), date(first_year + 1, 3, 31)


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter(year: int, number: int) -> tuple[date, date]:
    """Calendar quarters: Q3 2016 is July..September 2016 (company results, ONS statistics)."""
    first_month = 3 * (number - 1) + 1
    return date(year, first_month, 1), whole_month(year, first_month + 2)[1]


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def expand_two_digit_year(two_digits: int, after_year: int, window: int = 30) -> int | None:
    """'March 17' after 'March 2012' is 2017: the first year ending in those digits at or after `after_year`."""
    year = after_year - after_year % 100 + two_digits
    if year < after_year:
        year += 100
    return year if year - after_year <= window else None


def yearless_day(month: int, day: int, reference: Reference | None, weekday: int | None = None) -> tuple[date | None, str]:
    """Give '25 September' a year: the one that fits the weekday and lies nearest the reference."""
    if reference is None:
        return None, "no year and no publication date to take it from"
    candidates = []
    for year in range(reference.earliest.year - 1, reference.latest.year + 2):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if weekday is not None and candidate.weekday() != weekday:
            continue
        # Within half a year of the reference window: news talks about the recent past and near future.
        if reference.earliest - timedelta(days=183) <= candidate <= reference.latest + timedelta(days=183):
            candidates.append(candidate)
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, "no year fits the weekday near the publication date" if weekday is not None else "no year near the publication date"
    return None, "more than one year fits: " + ", ".join(c.isoformat() for c in candidates)


def _month_occurrence(month: int, day: date, how: str) -> date:
    """The first day of the `month` meant by 'by/last/next/in <Month>' said on `day`."""
    this_year = date(day.year, month, 1)
    if how == "by":  # a deadline: the first such month not yet over
        return this_year if month >= day.month else date(day.year + 1, month, 1)
    if how == "last":
        return this_year if month < day.month else date(day.year - 1, month, 1)
    if how == "next":
        return this_year if month > day.month else date(day.year + 1, month, 1)
    if how == "this":
        return this_year
    if how == "past":  # since/to/ending: the latest such month already begun
        return this_year if month <= day.month else date(day.year - 1, month, 1)
    # in/during/from/until...: the nearest such month, the past one on a tie.
    forward = (month - day.month) % 12
    return add_months(date(day.year, day.month, 1), forward if forward < 6 else forward - 12)


# ---------------------------------------------------------------- dateparser

_PARSER = None
_CALLS = 0


def _date_parser():
    """One DateDataParser per process: building one loads the locale data (about 0.1 s)."""
    global _PARSER
    if _PARSER is None:
        from dateparser.date import DateDataParser

        _PARSER = DateDataParser(
            languages=["en"],
            settings={
                # "March 2012" is the whole month: day 1 plus granularity "month", never today's day.
                "PREFER_DAY_OF_MONTH": "first",
                "RETURN_TIME_AS_PERIOD": True,
                "DATE_ORDER": "DMY",  # UK usage: 10/03/2014 is 10 March
                # A date without a year is not guessed from today's year; year-less dates get ours.
                "REQUIRE_PARTS": ["year"],
            },
        )
    return _PARSER


@lru_cache(maxsize=8192)
def parse_calendar_date(text: str) -> tuple[date, str] | None:
    """Parse a dated expression ('Monday, March 10, 2014', 'March 2012') with dateparser → (first day, day|month|year)."""
    global _CALLS
    _CALLS += 1
    data = _date_parser().get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    granularity = "day" if data.period in ("day", "time") else data.period
    return data.date_obj.date(), granularity


def dateparser_calls() -> int:
    """How many times dateparser itself ran in this process (cache hits excluded), for measurements."""
    return _CALLS


# ---------------------------------------------------------------- word lists

def load_period_cues(path: Path = DEFAULT_CUES) -> list[PeriodCue]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            PeriodCue(row["phrase"].strip(), row["resolution"].strip(), int(row["offset"] or 0))
            for row in csv.DictReader(handle)
            if row["phrase"].strip()
        ]


def load_name_words(path: Path = DEFAULT_NAMES) -> frozenset[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["word"].strip() for row in csv.DictReader(handle) if row["word"].strip())


# ---------------------------------------------------------------- the finder

def _count(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else COUNT_WORDS.get(text, 0)


def _period(bounds: tuple[date, date | None] | None, text: str, basis: str, reason: str = "") -> Period | None:
    if bounds is None:
        return None
    return Period(bounds[0], bounds[1], text, basis, reason=reason)


class DateFinder:
    """Find date expressions in a short text with regular expressions and resolve each to a Period.

    The finder never searches whole documents with dateparser: it spots candidate expressions
    itself and hands dateparser only the dated ones ('10th September 2019', 'March 2012').
    """

    def __init__(self, cues: list[PeriodCue], name_words: frozenset[str]):
        self.cues = {cue.phrase.lower(): cue for cue in cues}
        self.name_words = name_words
        # A prefix tree rather than a flat alternation: the same phrases, several times faster to scan.
        phrases = word_tree([phrase.lower() for phrase in self.cues]).replace(r"\ ", r"\s+")
        # Each pattern names what a text must hold for it to match at all ("month", "year"), so
        # find() skips it cheaply on texts without one: a third of the finder's time.
        self.patterns: list[tuple[str, re.Pattern[str], Callable[[re.Match[str], Reference | None], tuple], str | None]] = [
            ("year_range", re.compile(rf"\b(?:[Bb]etween|[Ff]rom) (?:the years )?(?P<y1>{_YEAR}) (?:and|to|until|till) (?P<y2>{_YEAR})"), self._year_range, 'year'),
            ("financial_year", re.compile(rf"(?:\b(?:the )?(?:financial year|FY) ?)?(?P<y1>{_YEAR}) ?[/–-] ?(?P<y2>\d\d(?:\d\d)?)(?![\d%]|[.,]\d)"), self._slash_years, 'year'),
            ("financial_year", re.compile(r"\bFY ?(?P<y1>\d\d)/(?P<y2>\d\d)\b"), self._fy_short, None),
            ("quarter", re.compile(rf"\bQ(?P<q>[1-4]) (?P<y>{_YEAR})|(?<![\d£$€.,/:])(?P<y2>(?:19|20)\d\d) Q(?P<q2>[1-4])\b|\b(?P<qw>first|second|third|fourth|final|last) quarter of (?P<y3>{_YEAR})"), self._quarter, 'year'),
            ("months_to", re.compile(rf"\b(?:(?P<n>{_COUNT}) months?|(?P<yr>year)|(?P<qu>quarter)) (?:to|ended|ending)(?: in)? (?:the end of )?(?:(?P<d>{_DAY}) )?(?P<month>{_MONTH})(?:,? (?P<y>{_YEAR}))?"), self._months_to, 'month'),
            ("since", re.compile(rf"\b[Ss]ince (?:(?:{_DAY} )?(?P<month>{_MONTH}),? )?(?P<y>{_YEAR})"), self._since, 'year'),
            ("day", re.compile(rf"(?:(?P<wd>{_WEEKDAY}),? )?(?:the )?(?:{_DAY}(?: of)? {_MONTH},? {_YEAR}|{_MONTH} {_DAY},? {_YEAR})"), self._dated, 'month'),
            ("month", re.compile(rf"(?:\b(?:early|mid|late|the end of|end of|the start of|start of|the beginning of)[- ])?(?P<month>{_MONTH}),? (?P<y>{_YEAR})"), self._dated, 'month'),
            ("decade", re.compile(r"\b(?:the )?(?:early |mid-?|late )?(?P<dec>(?:19|20)\d0)s\b"), self._decade, 'year'),
            ("year", re.compile(rf"(?:\b(?:early|mid|late)[- ])?(?P<y>{_YEAR})\b"), self._year, 'year'),
            ("day", re.compile(rf"(?:(?P<wd>{_WEEKDAY}),? )?(?:(?:the )?(?P<d1>{_DAY})(?: of)? (?P<m1>{_MONTH})|(?P<m2>{_MONTH}) (?P<d2>{_DAY}))(?!,? ?\d)"), self._yearless_day, 'month'),
            ("month", re.compile(rf"\b(?P<prep>[Bb]y|[Ii]n|[Dd]uring|[Uu]ntil|[Tt]ill|[Ff]rom|[Ss]ince|[Tt]o|[Bb]efore|[Aa]fter|[Ll]ast|[Nn]ext|[Tt]his|end of|start of) (?P<month>{_MONTH})(?!,? ?\d)"), self._yearless_month, 'month'),
            ("relative", re.compile(rf"\b(?:(?:over|in|during|for) )?(?:the )?(?:past|last|previous) (?P<n>{_COUNT}) (?P<unit>years|months|weeks|decades)\b", re.I), self._trailing, None),
            ("relative", re.compile(rf"\b(?:{phrases})\b", re.I), self._cue, None),
        ]

    # -- finding

    def find(self, text: str, reference: Reference | None = None) -> list[DateMention]:
        """Every date expression in `text`, longest first where they overlap, in text order."""
        text = text.replace("\xa0", " ")  # scraped pages use no-break spaces; same length, so offsets hold
        candidates: list[tuple[int, int, str, re.Match[str], Callable]] = []
        present = {"month": _MONTH_HINT.search(text) is not None, "year": _YEAR_HINT.search(text) is not None, None: True}
        for kind, pattern, resolve, needs in self.patterns:
            if not present[needs]:
                continue
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    candidates.append((match.start(), match.end(), kind, match, resolve))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken: list[tuple[int, int, str, re.Match[str], Callable]] = []
        for candidate in candidates:
            if all(candidate[1] <= other[0] or candidate[0] >= other[1] for other in taken):
                taken.append(candidate)
        taken.sort(key=lambda c: c[0])
        mentions = []
        for start, end, kind, match, resolve in taken:
            result = resolve(match, reference)
            if result is None:
                continue
            kind_out, bounds, basis, reason, *rest = result
            parts = rest[0] if rest else ()
            preposition = _preposition(text, start)
            lead = _LEADING_PREPOSITION.search(text, 0, start)
            if lead is not None and lead.end() == start:
                start = lead.start()  # period_text reads "by 2025", "in the 2017/18": the preposition matters
            surface = text[start:end]
            period = _period(bounds, surface, basis, reason)
            mentions.append(DateMention(start, end, surface, kind_out or kind, period, reason, tuple(parts), preposition))
        return self._two_digit_years(text, mentions)

    def _two_digit_years(self, text: str, mentions: list[DateMention]) -> list[DateMention]:
        """'from 1015 in March 2012 to 1107 in March 17': after a month-year, 'March 17' is March 2017.

        Alone, 'March 17' is the 17th of March; only a month-year earlier in the same text makes the
        writer's format month + year, and then the two digits must give a year at or after it.
        """
        out = []
        last_month_year: int | None = None
        for mention in mentions:
            match = re.search(rf"(?:^|\s)(?P<month>{_MONTH}) (?P<yy>\d\d)$", mention.text)
            if mention.kind == "day" and match and last_month_year is not None:
                year = expand_two_digit_year(int(match["yy"]), last_month_year)
                if year is not None:
                    bounds = whole_month(year, MONTHS[match["month"].rstrip(".")])
                    mention = replace(mention, kind="month", period=Period(*bounds, mention.text, "explicit"), reason="")
            if mention.kind == "month" and mention.period is not None and mention.period.basis == "explicit":
                last_month_year = mention.period.start.year
            out.append(mention)
        return out

    # -- resolvers: each returns (kind, (start, end) | None, basis, reason[, parts]) or None to drop the match

    def _year_range(self, m: re.Match[str], ref: Reference | None) -> tuple | None:
        first, last = int(m["y1"]), int(m["y2"])
        if last <= first:
            return None
        parts = (Period(*whole_year(first), m["y1"], "explicit"), Period(*whole_year(last), m["y2"], "explicit"))
        return "year_range", (date(first, 1, 1), date(last, 12, 31)), "explicit", "", parts

    def _slash_years(self, m: re.Match[str], ref: Reference | None) -> tuple | None:
        first, second_text = int(m["y1"]), m["y2"]
        second = int(second_text) if len(second_text) == 4 else expand_two_digit_year(int(second_text), first)
        if second is None or second <= first:
            return None  # "2017-05" or "2019/12": not a pair of years
        if second == first + 1:
            before = m.string[max(0, m.start() - 25) : m.start()].lower()
            after = m.string[m.end() : m.end() + 25].lower()
            if _ACADEMIC_AFTER.match(after) or _ACADEMIC_BEFORE.search(before):
                # "the 2017/18 academic year": schools and universities run 1 September to 31 August.
                return "academic_year", (date(first, 9, 1), date(second, 8, 31)), "explicit", ""
            if _SEASON_AFTER.match(after) or _SEASON_BEFORE.search(before):
                # "the 2009-10 season": a sporting season, not a financial year; both calendar years,
                # which is wider than the truth but never wrong.
                return "year_range", (date(first, 1, 1), date(second, 12, 31)), "explicit", \
                    "a season, not a financial year: both calendar years"
            # 2017/18, 2018-19, 2021/2022: a UK financial year (councils budget 1 April to 31 March).
            return "financial_year", financial_year(first), "explicit", ""
        parts = (Period(*whole_year(first), str(first), "explicit"), Period(*whole_year(second), str(second), "explicit"))
        return "year_range", (date(first, 1, 1), date(second, 12, 31)), "explicit", "", parts

    def _fy_short(self, m: re.Match[str], ref: Reference | None) -> tuple | None:
        first = 2000 + int(m["y1"])
        if expand_two_digit_year(int(m["y2"]), first) != first + 1:
            return None
        return "financial_year", financial_year(first), "explicit", ""

    def _quarter(self, m: re.Match[str], ref: Reference | None) -> tuple:
        if m["q"]:
            number, year = int(m["q"]), int(m["y"])
        elif m["q2"]:
            number, year = int(m["q2"]), int(m["y2"])
        else:
            number, year = QUARTER_WORDS[m["qw"]], int(m["y3"])
        return "quarter", quarter(year, number), "explicit", ""

    def _months_to(self, m: re.Match[str], ref: Reference | None) -> tuple | None:
        count = 12 if m["yr"] else 3 if m["qu"] else _count(m["n"])
        if count <= 0 or count > 60:
            return None
        month = MONTHS[m["month"].rstrip(".")]
        if m["y"]:
            end_month, basis = date(int(m["y"]), month, 1), "explicit"
        elif ref is None:
            return "months_to", None, "none", "no year and no publication date to take it from"
        else:
            # "the three months to December" reports a period already ended or ending: the latest such month begun.
            ends = {_month_occurrence(month, ref.earliest, "past"), _month_occurrence(month, ref.latest, "past")}
            if len(ends) > 1:
                return "months_to", None, "none", "publication date too uncertain for the year"
            end_month, basis = ends.pop(), "relative"
        start = add_months(end_month, -(count - 1))
        return "months_to", (start, whole_month(end_month.year, end_month.month)[1]), basis, ""

    def _since(self, m: re.Match[str], ref: Reference | None) -> tuple:
        year = int(m["y"])
        start = date(year, MONTHS[m["month"].rstrip(".")], 1) if m["month"] else date(year, 1, 1)
        # "since 1985" runs to the time of writing; without a publication date the end stays open.
        end = ref.latest if ref is not None else None
        return "since", (start, end), "explicit", "" if end else "open end: no publication date"

    def _dated(self, m: re.Match[str], ref: Reference | None) -> tuple | None:
        text = re.sub(r"^(?:early|mid|late|the end of|end of|the start of|start of|the beginning of)[- ]", "", m.group(0))
        parsed = parse_calendar_date(text)
        if parsed is None:
            return None
        day, granularity = parsed
        if m.groupdict().get("wd") and granularity == "day" and WEEKDAYS[m["wd"]] != day.weekday():
            return "day", None, "none", f"{m['wd']} does not fall on {day.isoformat()}"
        if granularity == "day":
            return "day", (day, day), "explicit", ""
        if granularity == "month":
            return "month", whole_month(day.year, day.month), "explicit", ""
        return None

    def _decade(self, m: re.Match[str], ref: Reference | None) -> tuple:
        first = int(m["dec"])
        return "decade", (date(first, 1, 1), date(first + 9, 12, 31)), "explicit", ""

    def _year(self, m: re.Match[str], ref: Reference | None) -> tuple:
        previous = re.search(r"(\S+)\s+$", m.string[: m.start()])
        if previous and previous.group(1).strip("’'\"(,") in self.name_words:
            # "Care Act 2014", "Vision 2020": a name that holds a year, not when the figure holds.
            return "name", None, "none", "year inside a name"
        return "year", whole_year(int(m["y"])), "explicit", ""

    def _yearless_day(self, m: re.Match[str], ref: Reference | None) -> tuple:
        month = MONTHS[(m["m1"] or m["m2"]).rstrip(".")]
        day = int(re.match(r"\d+", m["d1"] or m["d2"]).group(0))
        weekday = WEEKDAYS[m["wd"]] if m["wd"] else None
        resolved, reason = yearless_day(month, day, ref, weekday)
        if resolved is None:
            return "day", None, "none", reason
        return "day", (resolved, resolved), "relative", ""

    def _yearless_month(self, m: re.Match[str], ref: Reference | None) -> tuple:
        if ref is None:
            return "month", None, "none", "no year and no publication date to take it from"
        prep = m["prep"].lower()
        how = {"by": "by", "until": "by", "till": "by", "before": "by", "last": "last", "next": "next", "this": "this",
               "since": "past", "to": "past", "end of": "nearest"}.get(prep, "nearest")
        month = MONTHS[m["month"].rstrip(".")]
        firsts = {_month_occurrence(month, ref.earliest, how), _month_occurrence(month, ref.latest, how)}
        if len(firsts) > 1:
            return "month", None, "none", "publication date too uncertain for the year"
        first = firsts.pop()
        return "month", whole_month(first.year, first.month), "relative", ""

    def _trailing(self, m: re.Match[str], ref: Reference | None) -> tuple | None:
        count = _count(m["n"])
        if count <= 0:
            return "vague", None, "none", "no length given"
        months = count * {"years": 12, "months": 1, "weeks": 0, "decades": 120}[m["unit"].lower()]
        if ref is None:
            return "relative", None, "none", "relative to a publication date we do not have"
        if months == 0:
            return "relative", (ref.earliest - timedelta(weeks=count), ref.latest), "relative", ""
        return "relative", (add_months(ref.earliest, -months), ref.latest), "relative", ""

    def _cue(self, m: re.Match[str], ref: Reference | None) -> tuple:
        cue = self.cues[re.sub(r"\s+", " ", m.group(0).lower())]
        if cue.resolution == "vague":
            return "vague", None, "none", "vague time expression"
        if ref is None:
            return "relative", None, "none", "relative to a publication date we do not have"
        return ("relative", *resolve_relative(cue, ref))


def resolve_relative(cue: PeriodCue, ref: Reference) -> tuple[tuple[date, date] | None, str, str]:
    """Resolve a relative cue against the publication reference → (bounds, basis, reason)."""
    if cue.resolution == "as_of":
        # "currently" holds in the month of publication; with only bounds known, within the bounds.
        first, last = whole_month(ref.earliest.year, ref.earliest.month), whole_month(ref.latest.year, ref.latest.month)
        return ((first[0], first[1]) if first == last else (ref.earliest, ref.latest)), "relative", ""
    if cue.resolution == "trailing_months":
        return (add_months(ref.earliest, -cue.offset), ref.latest), "relative", ""

    def bounds_on(day: date) -> tuple[date, date]:
        if cue.resolution == "day":
            target = day + timedelta(days=cue.offset)
            return target, target
        if cue.resolution == "week":
            monday = day - timedelta(days=day.weekday()) + timedelta(weeks=cue.offset)
            return monday, monday + timedelta(days=6)
        if cue.resolution == "month":
            first = add_months(date(day.year, day.month, 1), cue.offset)
            return whole_month(first.year, first.month)
        if cue.resolution == "calendar_year":
            return whole_year(day.year + cue.offset)
        if cue.resolution == "financial_year":
            return financial_year(financial_year_of(day) + cue.offset)
        raise ValueError(f"models/period_cues.csv: unknown resolution {cue.resolution!r} for {cue.phrase!r}")

    early, late = bounds_on(ref.earliest), bounds_on(ref.latest)
    if early != late:
        return None, "none", "publication date too uncertain to resolve"
    return early, "relative", ""


_LEADING_PREPOSITION = re.compile(r"\b(?:[Ii]n|[Bb]y|[Dd]uring|[Uu]ntil|[Tt]ill|[Bb]efore|[Aa]fter|[Oo]n|[Ff]or|[Aa]s of|[Aa]s at)(?: the)? $")


def _preposition(text: str, start: int) -> str:
    before = re.search(r"(\w+)\W*$", text[:start])
    return before.group(1).lower() if before else ""


@lru_cache(maxsize=8)
def load_finder(cues: str = str(DEFAULT_CUES), names: str = str(DEFAULT_NAMES)) -> DateFinder:
    """A finder built from word lists (built once per process and pair of files)."""
    return DateFinder(load_period_cues(Path(cues)), load_name_words(Path(names)))


def default_finder() -> DateFinder:
    """The finder built from the word lists in models/."""
    return load_finder()


def find_date_mentions(text: str, reference: Reference | None = None) -> list[DateMention]:
    """Date expressions in a short text (a sentence), resolved against the publication reference."""
    return default_finder().find(text, reference)


def parse_period(text: str, reference: Reference | None = None) -> Period | None:
    """The Period of a text that is one date expression ('2017/18', 'March 2012', 'by March'); None if it is not one."""
    mentions = [m for m in find_date_mentions(text, reference) if m.attachable]
    if len(mentions) != 1 or mentions[0].period is None:
        return None
    return mentions[0].period
