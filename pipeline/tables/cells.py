"""Reading one cell of a claims table: blanks (None, NaN, pd.NA, "") and `;`-separated flags."""
from __future__ import annotations

import pandas as pd


def present(value: object) -> bool:
    """Not None, NaN, pd.NA or ""."""
    if value is None:
        return False
    kind = type(value)
    if kind is str:  # the common cases first: a table's cells are read one by one
        return value != ""
    if kind is float:
        return value == value  # NaN is the one float not equal to itself
    if kind is int or kind is bool:
        return True
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return False
    except (TypeError, ValueError):
        pass
    return str(value) != ""


def text_of(value: object) -> str:
    """The value as text, "" for None/NaN/pd.NA."""
    return str(value) if present(value) else ""


def split_flags(cell: object) -> list[str]:
    """The flags of a `flags` cell, in order."""
    if not present(cell):
        return []
    return [flag.strip() for flag in str(cell).split(";") if flag.strip()]
