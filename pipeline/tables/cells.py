"""Reading one cell of a claims table: blanks (None, NaN, pd.NA, "") and `;`-separated flags."""
from __future__ import annotations

import pandas as pd


def present(value: object) -> bool:
    """Not None, NaN, pd.NA or ""."""
    if value is None:
        return False
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
