"""What the reviewer types: a value ("£12m", "28.4%") or a period ("2017/18", "2018-03", "A..B")."""
from __future__ import annotations

from datetime import date, timedelta

from pipeline.tables.decisions import CLEAR

_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12}


def parse_value(text: str) -> float:
    """"£12m" -> 12000000.0, "28.4%" -> 28.4, "1,137" -> 1137.0."""
    cleaned = text.strip().lower().replace(",", "").replace("£", "").replace("$", "").replace("€", "")
    cleaned = cleaned.replace("per cent", "").replace("percent", "").rstrip("%").strip()
    for word, factor in sorted(_MULTIPLIERS.items(), key=lambda item: -len(item[0])):
        if cleaned.endswith(word):
            number = cleaned[: -len(word)].strip()
            return float(number) * factor
    return float(cleaned)


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
            start_year = int(parts[0])
            end_year = int(parts[1]) if len(parts[1]) == 4 else (start_year // 100) * 100 + int(parts[1])
            if end_year == start_year + 1:
                return date(start_year, 4, 1).isoformat(), date(end_year, 3, 31).isoformat()
    parts = text.split("-")
    if len(parts) == 1 and len(text) == 4 and text.isdigit():
        return date(int(text), 1, 1).isoformat(), date(int(text), 12, 31).isoformat()
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        year, month = int(parts[0]), int(parts[1])
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return first.isoformat(), (following - timedelta(days=1)).isoformat()
    day = date.fromisoformat(text)
    return day.isoformat(), day.isoformat()
