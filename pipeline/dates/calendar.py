"""Calendar arithmetic and month names: pure functions of dates and numbers, no text searching.

The lowest layer: io.structure, the number lexicon, the date finder and the review UI all read
months and financial years from here, so each rule is written once.
"""
from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.records import Publication

# Written out rather than taken from the stdlib `calendar`, whose names follow the process locale.
MONTH_NAMES: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
# Abbreviations used in news and bylines ("Sept 2016", "Mar. 10"); May has none.
MONTH_ABBREVIATIONS: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
# Every written form -> 1..12 (an abbreviation is the start of its month's name).
MONTHS: dict[str, int] = {
    word: number for number, name in enumerate(MONTH_NAMES, start=1)
    for word in (name, *(a for a in MONTH_ABBREVIATIONS if name.startswith(a)))
}
WEEKDAY_NAMES: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS: dict[str, int] = {name: number for number, name in enumerate(WEEKDAY_NAMES)}  # date.weekday() numbers


# ---------------------------------------------------------------- month names as regular expressions

def month_number(written: str) -> int:
    """'March' -> 3, 'Sept.' -> 9, 'dec' -> 12: a month name or abbreviation, any case, full stop allowed."""
    word = written.rstrip(".")
    return MONTHS[word[:1].upper() + word[1:].lower()]


def month_alternation(*, lower: bool = False, longest_first: bool = False) -> str:
    """Every written form of a month ("January|...|Jan|...|Sept|...") as a bare alternation.

    `lower` for patterns compiled with re.IGNORECASE; `longest_first` makes an unanchored match
    prefer "September" to "Sep" (the order a nested optional "Sep(?:t(?:ember)?)?" tries them in).
    """
    words = [*MONTH_NAMES, *MONTH_ABBREVIATIONS]
    if longest_first:
        words.sort(key=len, reverse=True)
    return "|".join(word.lower() if lower else word for word in words)


def month_word_regex() -> str:
    """A month as written in running text: capitalised (lower-case "may" and "march" are verbs),
    a whole word, and an abbreviation may end in a full stop ("Sept.", "Mar 2012")."""
    return (
        "(?:(?:" + "|".join(MONTH_NAMES) + r")\b"
        "|(?:" + "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True)) + r")(?:\.|\b))"
    )


def month_hint_regex() -> str:
    """The first three letters of every month: a cheap test that a text may hold a month name at all."""
    return r"\b(?:" + "|".join(name[:3] for name in MONTH_NAMES) + ")"


def weekday_regex() -> str:
    """A weekday written in full and capitalised."""
    return "(?:" + "|".join(WEEKDAY_NAMES) + ")"


# ---------------------------------------------------------------- whole periods

def whole_year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def whole_month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _stdlib_calendar.monthrange(year, month)[1])


def financial_year(first_year: int) -> tuple[date, date]:
    """UK councils' (and government's) financial year starts 1 April: 2017/18 is 2017-04-01..2018-03-31."""
    return date(first_year, 4, 1), date(first_year + 1, 3, 31)


def financial_year_of(day: date) -> int:
    """The first calendar year of the financial year holding `day`: 2018-03-31 is in 2017/18."""
    return day.year if day.month >= 4 else day.year - 1


def academic_year(first_year: int) -> tuple[date, date]:
    """Schools and universities run 1 September to 31 August: the 2017/18 academic year."""
    return date(first_year, 9, 1), date(first_year + 1, 8, 31)


def quarter(year: int, number: int) -> tuple[date, date]:
    """Calendar quarters: Q3 2016 is July..September 2016 (company results, ONS statistics)."""
    first_month = 3 * (number - 1) + 1
    return date(year, first_month, 1), whole_month(year, first_month + 2)[1]


def decade(first_year: int) -> tuple[date, date]:
    """'the 1990s': 1990-01-01..1999-12-31."""
    return date(first_year, 1, 1), date(first_year + 9, 12, 31)


def years(first: int, last: int) -> tuple[date, date]:
    """From the start of `first` to the end of `last` ("between 2010 and 2015")."""
    return date(first, 1, 1), date(last, 12, 31)


# ---------------------------------------------------------------- arithmetic

def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the month's last day: 31 March - 1 month = 28/29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _stdlib_calendar.monthrange(year, month + 1)[1]))


def expand_two_digit_year(two_digits: int, after_year: int, window: int = 30) -> int | None:
    """'March 17' after 'March 2012' is 2017: the first year ending in those digits at or after `after_year`."""
    year = after_year - after_year % 100 + two_digits
    if year < after_year:
        year += 100
    return year if year - after_year <= window else None


def second_year(first_year: int, written: str) -> int | None:
    """The second year of a pair written '2017/18' or '2017/2018' (None when two digits give no year near it)."""
    return int(written) if len(written) == 4 else expand_two_digit_year(int(written), first_year)


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


def as_of(reference: Reference) -> tuple[date, date]:
    """'Currently', or a figure with no date: the month of publication; with only bounds known, the bounds."""
    first = whole_month(reference.earliest.year, reference.earliest.month)
    last = whole_month(reference.latest.year, reference.latest.month)
    return first if first == last else (reference.earliest, reference.latest)


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


def month_occurrence(month: int, day: date, how: str) -> date:
    """The first day of the `month` meant by 'by/last/next/in <Month>' said on `day`.

    how: by (a deadline: the first such month not yet over), last, next, this, past (since/to/
    ending: the latest such month already begun), anything else (in/during/from...: the nearest
    such month, the past one on a tie).
    """
    this_year = date(day.year, month, 1)
    if how == "by":
        return this_year if month >= day.month else date(day.year + 1, month, 1)
    if how == "last":
        return this_year if month < day.month else date(day.year - 1, month, 1)
    if how == "next":
        return this_year if month > day.month else date(day.year + 1, month, 1)
    if how == "this":
        return this_year
    if how == "past":
        return this_year if month <= day.month else date(day.year - 1, month, 1)
    forward = (month - day.month) % 12
    return add_months(date(day.year, day.month, 1), forward if forward < 6 else forward - 12)
