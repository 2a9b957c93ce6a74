"""What the reviewer types: a value ("£12m", "28.4%") or a period ("2017/18", "2018-03", "A..B").

The rules are the pipeline's own: multipliers are the rows of models/number_cues.csv, financial
years and month ends come from pipeline.dates.calendar.
"""
from __future__ import annotations

import functools
import math
from datetime import date

from pipeline.dates import calendar
from pipeline.numbers.lexicon import load_lexicon
from pipeline.resources import model_path
from pipeline.tables.decisions import CLEAR


def parse_value(text: str) -> float:
    """"£12m" -> 12000000.0, "28.4%" -> 28.4, "1,137" -> 1137.0; multipliers as the number finder reads them."""
    cleaned = text.strip().lower().replace(",", "").replace("£", "").replace("$", "").replace("€", "")
    cleaned = cleaned.replace("per cent", "").replace("percent", "").rstrip("%").strip()
    for word, factor in sorted(_multipliers().items(), key=lambda item: -len(item[0])):
        if cleaned.endswith(word):
            value = float(cleaned[: -len(word)].strip()) * factor
            break
    else:
        value = float(cleaned)
    if not math.isfinite(value):  # "nan", "inf", "1e308 million": no figure a claim can hold
        raise ValueError(f"not a finite number: {text!r}")
    return value


@functools.lru_cache(maxsize=1)
def _multipliers() -> dict[str, float]:
    """"m", "bn", "thousand", ...: the multiplier rows of models/number_cues.csv."""
    return load_lexicon(model_path("number_words.csv"), model_path("number_cues.csv")).multipliers


def parse_period(text: str) -> tuple[str, str] | None:
    """"2017/18" -> financial year 2017-04-01..2018-03-31 (UK councils' year starts 1 April);
    "2018" -> the calendar year; "2018-03" -> the month; "2018-03-31" -> the day;
    "A..B" -> from the start of A to the end of B; "-" -> None (clear the period)."""
    text = text.strip()
    if text == CLEAR:
        return None
    if ".." in text:
        first, last = (part.strip() for part in text.split("..", 1))
        return _period_bounds(first)[0], _period_bounds(last)[1]
    return _period_bounds(text)


def _period_bounds(text: str) -> tuple[str, str]:
    for separator in ("/", "-"):
        parts = text.split(separator)
        if len(parts) == 2 and len(parts[0]) == 4 and parts[0].isdigit() and parts[1].isdigit() and len(parts[1]) in (2, 4):
            if calendar.second_year(int(parts[0]), parts[1]) == int(parts[0]) + 1:
                return _iso(calendar.financial_year(int(parts[0])))
    parts = text.split("-")
    if len(parts) == 1 and len(text) == 4 and text.isdigit():
        return _iso(calendar.whole_year(int(text)))
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return _iso(calendar.whole_month(int(parts[0]), int(parts[1])))
    day = date.fromisoformat(text)
    return day.isoformat(), day.isoformat()


def _iso(bounds: tuple[date, date]) -> tuple[str, str]:
    return bounds[0].isoformat(), bounds[1].isoformat()
