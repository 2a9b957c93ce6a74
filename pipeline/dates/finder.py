"""Date expressions in short texts (a sentence, a byline) → Periods; reads models/period_cues.csv,
models/period_names.csv, models/period_counts.csv and the number words of models/number_words.csv.

Calendar arithmetic (financial years, month lengths, two-digit years) is in pipeline.dates.calendar;
this module finds the expressions and decides what each one means.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable

from pipeline.dates.calendar import (
    WEEKDAYS,
    Reference,
    academic_year,
    add_months,
    as_of,
    decade,
    expand_two_digit_year,
    financial_year,
    financial_year_of,
    month_hint_regex,
    month_number,
    month_occurrence,
    month_word_regex,
    quarter,
    second_year,
    weekday_regex,
    whole_month,
    whole_year,
    yearless_day,
    years,
)
from pipeline.numbers.lexicon import load_lexicon, word_tree
from pipeline.records import Period
from pipeline.resources import MODELS_DIR

DEFAULT_CUES = MODELS_DIR / "period_cues.csv"
DEFAULT_NAMES = MODELS_DIR / "period_names.csv"
DEFAULT_COUNTS = MODELS_DIR / "period_counts.csv"
DEFAULT_NUMBER_WORDS = MODELS_DIR / "number_words.csv"
DEFAULT_NUMBER_CUES = MODELS_DIR / "number_cues.csv"

QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}

# Month names are matched case-sensitively: "may" and "march" are also a verb.
_MONTH = month_word_regex()
_WEEKDAY = weekday_regex()
# A year is 1900-2099 standing alone: not part of "2,017", "£2017", "2017.5", "2017%".
_YEAR = r"(?<![\d£$€.,/:])(?:19|20)\d\d(?![\d%]|[.,]\d|:\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_ACADEMIC_AFTER = re.compile(r"\s+(?:academic|school|university)\s+year\b")
_ACADEMIC_BEFORE = re.compile(r"\b(?:academic|school)\s+year\s*(?:of\s+)?$")
_SEASON_AFTER = re.compile(r"\s+(?:season|campaign)\b")
_SEASON_BEFORE = re.compile(r"\bseason\s*$")
# Cheap checks before the patterns that need a month name or a year (see DateFinder.find).
_MONTH_HINT = re.compile(month_hint_regex())
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")


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


@dataclass(frozen=True)
class Resolution:
    """What a resolver made of one match: the kind of expression and its bounds, or no bounds and the reason."""

    kind: str  # the DateMention kind
    bounds: tuple[date, date | None] | None  # None: found but not resolved (see reason); end None: open ("since 1985")
    basis: str = "explicit"  # explicit | relative | none
    reason: str = ""
    parts: tuple[Period, ...] = ()  # the two ends of "between 2010 and 2015"

    @classmethod
    def unresolved(cls, kind: str, reason: str) -> "Resolution":
        return cls(kind, None, "none", reason)


# ---------------------------------------------------------------- dateparser

class CalendarDateParser:
    """dateparser set up for UK news, built on first use, with a cache and a count of the parses it ran.

    Building a DateDataParser loads the locale data (about 0.1 s), so there is one per process
    (`calendar_date_parser()`); the cache holds the parses of the last 8,192 distinct texts
    (bylines and dated phrases repeat across articles).
    """

    def __init__(self, cache_size: int = 8192):
        self._parser = None
        self.calls = 0  # parses dateparser itself ran (cache hits excluded)
        self.parse = lru_cache(maxsize=cache_size)(self._parse)

    def _data_parser(self):
        if self._parser is None:
            from dateparser.date import DateDataParser

            self._parser = DateDataParser(
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
        return self._parser

    def _parse(self, text: str) -> tuple[date, str] | None:
        """'Monday, March 10, 2014', 'March 2012' → (first day, day|month|year); None if not a dated expression."""
        self.calls += 1
        data = self._data_parser().get_date_data(text)
        if data is None or data.date_obj is None:
            return None
        granularity = "day" if data.period in ("day", "time") else data.period
        return data.date_obj.date(), granularity


@lru_cache(maxsize=1)
def calendar_date_parser() -> CalendarDateParser:
    """The process's one CalendarDateParser."""
    return CalendarDateParser()


def parse_calendar_date(text: str) -> tuple[date, str] | None:
    """Parse a dated expression ('Monday, March 10, 2014', 'March 2012') with dateparser → (first day, day|month|year)."""
    return calendar_date_parser().parse(text)


def dateparser_calls() -> int:
    """How many times dateparser itself ran in this process (cache hits excluded), for measurements."""
    return calendar_date_parser().calls


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


def load_count_words(
    counts: Path = DEFAULT_COUNTS, number_words: Path = DEFAULT_NUMBER_WORDS, number_cues: Path = DEFAULT_NUMBER_CUES
) -> dict[str, int]:
    """Counts written as words in "the past five years", "the three months to December".

    The number lexicon's single words ("one" to "ninety") and "a" + a scale word under a thousand
    ("a hundred", "a dozen": like the digits, at most three figures; "the past a million years" is
    no period of a figure), plus the counts only dates need (models/period_counts.csv: "a few",
    0 = no length given).
    """
    lexicon = load_lexicon(number_words, number_cues)
    words = {word: int(value) for word, value in lexicon.word_values.items() if lexicon.word_roles[word] in ("unit", "tens", "one")}
    words.update({f"a {word}": int(value) for word, value in lexicon.word_values.items()
                  if lexicon.word_roles[word] == "scale" and value < 1000})
    with counts.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["phrase"].strip():
                words[row["phrase"].strip().lower()] = int(row["count"] or 0)
    return words


# ---------------------------------------------------------------- the finder

def _period(resolution: Resolution, text: str) -> Period | None:
    if resolution.bounds is None:
        return None
    return Period(resolution.bounds[0], resolution.bounds[1], text, resolution.basis, reason=resolution.reason)


Resolver = Callable[[re.Match[str], Reference | None], "Resolution | None"]


class DateFinder:
    """Find date expressions in a short text with regular expressions and resolve each to a Period.

    The finder never searches whole documents with dateparser: it spots candidate expressions
    itself and hands dateparser only the dated ones ('10th September 2019', 'March 2012').
    """

    def __init__(self, cues: list[PeriodCue], name_words: frozenset[str], count_words: dict[str, int]):
        self.cues = {cue.phrase.lower(): cue for cue in cues}
        self.name_words = name_words
        self.count_words = {word.lower(): count for word, count in count_words.items()}
        count = r"(?:\d{1,3}|" + "|".join(sorted(self.count_words, key=len, reverse=True)) + r")"
        # A prefix tree rather than a flat alternation: the same phrases, several times faster to scan.
        phrases = word_tree([phrase.lower() for phrase in self.cues]).replace(r"\ ", r"\s+")
        # Each pattern names what a text must hold for it to match at all ("month", "year"), so
        # find() skips it cheaply on texts without one: a third of the finder's time.
        self.patterns: list[tuple[str, re.Pattern[str], Resolver, str | None]] = [
            ("year_range", re.compile(rf"\b(?:[Bb]etween|[Ff]rom) (?:the years )?(?P<y1>{_YEAR}) (?:and|to|until|till) (?P<y2>{_YEAR})"), self._year_range, 'year'),
            ("financial_year", re.compile(rf"(?:\b(?:the )?(?:financial year|FY) ?)?(?P<y1>{_YEAR}) ?[/–-] ?(?P<y2>\d\d(?:\d\d)?)(?![\d%]|[.,]\d)"), self._slash_years, 'year'),
            ("financial_year", re.compile(r"\bFY ?(?P<y1>\d\d)/(?P<y2>\d\d)\b"), self._fy_short, None),
            ("quarter", re.compile(rf"\bQ(?P<q>[1-4]) (?P<y>{_YEAR})|(?<![\d£$€.,/:])(?P<y2>(?:19|20)\d\d) Q(?P<q2>[1-4])\b|\b(?P<qw>first|second|third|fourth|final|last) quarter of (?P<y3>{_YEAR})"), self._quarter, 'year'),
            ("months_to", re.compile(rf"\b(?:(?P<n>{count}) months?|(?P<yr>year)|(?P<qu>quarter)) (?:to|ended|ending)(?: in)? (?:the end of )?(?:(?P<d>{_DAY}) )?(?P<month>{_MONTH})(?:,? (?P<y>{_YEAR}))?"), self._months_to, 'month'),
            ("since", re.compile(rf"\b[Ss]ince (?:(?:{_DAY} )?(?P<month>{_MONTH}),? )?(?P<y>{_YEAR})"), self._since, 'year'),
            ("day", re.compile(rf"(?:(?P<wd>{_WEEKDAY}),? )?(?:the )?(?:{_DAY}(?: of)? {_MONTH},? {_YEAR}|{_MONTH} {_DAY},? {_YEAR})"), self._dated, 'month'),
            ("month", re.compile(rf"(?:\b(?:early|mid|late|the end of|end of|the start of|start of|the beginning of)[- ])?(?P<month>{_MONTH}),? (?P<y>{_YEAR})"), self._dated, 'month'),
            ("decade", re.compile(r"\b(?:the )?(?:early |mid-?|late )?(?P<dec>(?:19|20)\d0)s\b"), self._decade, 'year'),
            ("year", re.compile(rf"(?:\b(?:early|mid|late)[- ])?(?P<y>{_YEAR})\b"), self._year, 'year'),
            ("day", re.compile(rf"(?:(?P<wd>{_WEEKDAY}),? )?(?:(?:the )?(?P<d1>{_DAY})(?: of)? (?P<m1>{_MONTH})|(?P<m2>{_MONTH}) (?P<d2>{_DAY}))(?!,? ?\d)"), self._yearless_day, 'month'),
            ("month", re.compile(rf"\b(?P<prep>[Bb]y|[Ii]n|[Dd]uring|[Uu]ntil|[Tt]ill|[Ff]rom|[Ss]ince|[Tt]o|[Bb]efore|[Aa]fter|[Ll]ast|[Nn]ext|[Tt]his|end of|start of) (?P<month>{_MONTH})(?!,? ?\d)"), self._yearless_month, 'month'),
            ("relative", re.compile(rf"\b(?:(?:over|in|during|for) )?(?:the )?(?:past|last|previous) (?P<n>{count}) (?P<unit>years|months|weeks|decades)\b", re.I), self._trailing, None),
            ("relative", re.compile(rf"\b(?:{phrases})\b", re.I), self._cue, None),
        ]

    # -- finding

    def find(self, text: str, reference: Reference | None = None) -> list[DateMention]:
        """Every date expression in `text`, longest first where they overlap, in text order."""
        text = text.replace("\xa0", " ")  # scraped pages use no-break spaces; same length, so offsets hold
        candidates: list[tuple[int, int, re.Match[str], Resolver]] = []
        present = {"month": _MONTH_HINT.search(text) is not None, "year": _YEAR_HINT.search(text) is not None, None: True}
        for _kind, pattern, resolve, needs in self.patterns:
            if not present[needs]:
                continue
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    candidates.append((match.start(), match.end(), match, resolve))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken: list[tuple[int, int, re.Match[str], Resolver]] = []
        for candidate in candidates:
            if all(candidate[1] <= other[0] or candidate[0] >= other[1] for other in taken):
                taken.append(candidate)
        taken.sort(key=lambda c: c[0])
        mentions = []
        for start, end, match, resolve in taken:
            resolution = resolve(match, reference)
            if resolution is None:
                continue
            preposition = _preposition(text, start)
            lead = _LEADING_PREPOSITION.search(text, 0, start)
            if lead is not None and lead.end() == start:
                start = lead.start()  # period_text reads "by 2025", "in the 2017/18": the preposition matters
            surface = text[start:end]
            mentions.append(DateMention(start, end, surface, resolution.kind, _period(resolution, surface),
                                        resolution.reason, resolution.parts, preposition))
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
                    bounds = whole_month(year, month_number(match["month"]))
                    mention = replace(mention, kind="month", period=Period(*bounds, mention.text, "explicit"), reason="")
            if mention.kind == "month" and mention.period is not None and mention.period.basis == "explicit":
                last_month_year = mention.period.start.year
            out.append(mention)
        return out

    def _count(self, text: str) -> int:
        text = text.lower()
        return int(text) if text.isdigit() else self.count_words.get(text, 0)

    # -- resolvers: each returns a Resolution, or None to drop the match

    def _year_range(self, m: re.Match[str], ref: Reference | None) -> Resolution | None:
        first, last = int(m["y1"]), int(m["y2"])
        if last <= first:
            return None
        parts = (Period(*whole_year(first), m["y1"], "explicit"), Period(*whole_year(last), m["y2"], "explicit"))
        return Resolution("year_range", years(first, last), parts=parts)

    def _slash_years(self, m: re.Match[str], ref: Reference | None) -> Resolution | None:
        first = int(m["y1"])
        second = second_year(first, m["y2"])
        if second is None or second <= first:
            return None  # "2017-05" or "2019/12": not a pair of years
        if second == first + 1:
            before = m.string[max(0, m.start() - 25) : m.start()].lower()
            after = m.string[m.end() : m.end() + 25].lower()
            if _ACADEMIC_AFTER.match(after) or _ACADEMIC_BEFORE.search(before):
                return Resolution("academic_year", academic_year(first))  # "the 2017/18 academic year"
            if _SEASON_AFTER.match(after) or _SEASON_BEFORE.search(before):
                # "the 2009-10 season": a sporting season, not a financial year; both calendar years,
                # which is wider than the truth but never wrong.
                return Resolution("year_range", years(first, second), reason="a season, not a financial year: both calendar years")
            # 2017/18, 2018-19, 2021/2022: a UK financial year (councils budget 1 April to 31 March).
            return Resolution("financial_year", financial_year(first))
        parts = (Period(*whole_year(first), str(first), "explicit"), Period(*whole_year(second), str(second), "explicit"))
        return Resolution("year_range", years(first, second), parts=parts)

    def _fy_short(self, m: re.Match[str], ref: Reference | None) -> Resolution | None:
        first = 2000 + int(m["y1"])
        if expand_two_digit_year(int(m["y2"]), first) != first + 1:
            return None
        return Resolution("financial_year", financial_year(first))

    def _quarter(self, m: re.Match[str], ref: Reference | None) -> Resolution:
        if m["q"]:
            number, year = int(m["q"]), int(m["y"])
        elif m["q2"]:
            number, year = int(m["q2"]), int(m["y2"])
        else:
            number, year = QUARTER_WORDS[m["qw"]], int(m["y3"])
        return Resolution("quarter", quarter(year, number))

    def _months_to(self, m: re.Match[str], ref: Reference | None) -> Resolution | None:
        count = 12 if m["yr"] else 3 if m["qu"] else self._count(m["n"])
        if count <= 0 or count > 60:
            return None
        month = month_number(m["month"])
        if m["y"]:
            end_month, basis = date(int(m["y"]), month, 1), "explicit"
        elif ref is None:
            return Resolution.unresolved("months_to", "no year and no publication date to take it from")
        else:
            # "the three months to December" reports a period already ended or ending: the latest such month begun.
            ends = {month_occurrence(month, ref.earliest, "past"), month_occurrence(month, ref.latest, "past")}
            if len(ends) > 1:
                return Resolution.unresolved("months_to", "publication date too uncertain for the year")
            end_month, basis = ends.pop(), "relative"
        start = add_months(end_month, -(count - 1))
        return Resolution("months_to", (start, whole_month(end_month.year, end_month.month)[1]), basis)

    def _since(self, m: re.Match[str], ref: Reference | None) -> Resolution:
        year = int(m["y"])
        start = date(year, month_number(m["month"]), 1) if m["month"] else date(year, 1, 1)
        # "since 1985" runs to the time of writing; without a publication date the end stays open.
        end = ref.latest if ref is not None else None
        return Resolution("since", (start, end), reason="" if end else "open end: no publication date")

    def _dated(self, m: re.Match[str], ref: Reference | None) -> Resolution | None:
        text = re.sub(r"^(?:early|mid|late|the end of|end of|the start of|start of|the beginning of)[- ]", "", m.group(0))
        parsed = parse_calendar_date(text)
        if parsed is None:
            return None
        day, granularity = parsed
        if m.groupdict().get("wd") and granularity == "day" and WEEKDAYS[m["wd"]] != day.weekday():
            return Resolution.unresolved("day", f"{m['wd']} does not fall on {day.isoformat()}")
        if granularity == "day":
            return Resolution("day", (day, day))
        if granularity == "month":
            return Resolution("month", whole_month(day.year, day.month))
        return None

    def _decade(self, m: re.Match[str], ref: Reference | None) -> Resolution:
        return Resolution("decade", decade(int(m["dec"])))

    def _year(self, m: re.Match[str], ref: Reference | None) -> Resolution:
        previous = re.search(r"(\S+)\s+$", m.string[: m.start()])
        if previous and previous.group(1).strip("’'\"(,") in self.name_words:
            # "Care Act 2014", "Vision 2020": a name that holds a year, not when the figure holds.
            return Resolution.unresolved("name", "year inside a name")
        return Resolution("year", whole_year(int(m["y"])))

    def _yearless_day(self, m: re.Match[str], ref: Reference | None) -> Resolution:
        month = month_number(m["m1"] or m["m2"])
        day = int(re.match(r"\d+", m["d1"] or m["d2"]).group(0))
        weekday = WEEKDAYS[m["wd"]] if m["wd"] else None
        resolved, reason = yearless_day(month, day, ref, weekday)
        if resolved is None:
            return Resolution.unresolved("day", reason)
        return Resolution("day", (resolved, resolved), "relative")

    def _yearless_month(self, m: re.Match[str], ref: Reference | None) -> Resolution:
        if ref is None:
            return Resolution.unresolved("month", "no year and no publication date to take it from")
        prep = m["prep"].lower()
        how = {"by": "by", "until": "by", "till": "by", "before": "by", "last": "last", "next": "next", "this": "this",
               "since": "past", "to": "past", "end of": "nearest"}.get(prep, "nearest")
        month = month_number(m["month"])
        firsts = {month_occurrence(month, ref.earliest, how), month_occurrence(month, ref.latest, how)}
        if len(firsts) > 1:
            return Resolution.unresolved("month", "publication date too uncertain for the year")
        first = firsts.pop()
        return Resolution("month", whole_month(first.year, first.month), "relative")

    def _trailing(self, m: re.Match[str], ref: Reference | None) -> Resolution:
        count = self._count(m["n"])
        if count <= 0:
            return Resolution.unresolved("vague", "no length given")
        months = count * {"years": 12, "months": 1, "weeks": 0, "decades": 120}[m["unit"].lower()]
        if ref is None:
            return Resolution.unresolved("relative", "relative to a publication date we do not have")
        if months == 0:
            return Resolution("relative", (ref.earliest - timedelta(weeks=count), ref.latest), "relative")
        return Resolution("relative", (add_months(ref.earliest, -months), ref.latest), "relative")

    def _cue(self, m: re.Match[str], ref: Reference | None) -> Resolution:
        cue = self.cues[re.sub(r"\s+", " ", m.group(0).lower())]
        if cue.resolution == "vague":
            return Resolution.unresolved("vague", "vague time expression")
        if ref is None:
            return Resolution.unresolved("relative", "relative to a publication date we do not have")
        return resolve_relative(cue, ref)


def resolve_relative(cue: PeriodCue, ref: Reference) -> Resolution:
    """Resolve a relative cue ("last year", "currently") against the publication reference."""
    if cue.resolution == "as_of":
        # "currently" holds in the month of publication; with only bounds known, within the bounds.
        return Resolution("relative", as_of(ref), "relative")
    if cue.resolution == "trailing_months":
        return Resolution("relative", (add_months(ref.earliest, -cue.offset), ref.latest), "relative")

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
        return Resolution.unresolved("relative", "publication date too uncertain to resolve")
    return Resolution("relative", early, "relative")


_LEADING_PREPOSITION = re.compile(r"\b(?:[Ii]n|[Bb]y|[Dd]uring|[Uu]ntil|[Tt]ill|[Bb]efore|[Aa]fter|[Oo]n|[Ff]or|[Aa]s of|[Aa]s at)(?: the)? $")


def _preposition(text: str, start: int) -> str:
    before = re.search(r"(\w+)\W*$", text[:start])
    return before.group(1).lower() if before else ""


@lru_cache(maxsize=8)
def load_finder(cues: str = str(DEFAULT_CUES), names: str = str(DEFAULT_NAMES), counts: str = str(DEFAULT_COUNTS)) -> DateFinder:
    """A finder built from word lists (built once per process and set of files)."""
    return DateFinder(load_period_cues(Path(cues)), load_name_words(Path(names)), load_count_words(Path(counts)))


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
