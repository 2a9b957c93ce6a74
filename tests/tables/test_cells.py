"""Cells of a claims table: blanks and flags."""
import math

import pandas as pd
import pytest

from pipeline.tables.cells import present, split_flags, text_of


@pytest.mark.parametrize("value,expected", [
    ("£5m", True), (0, True), (0.0, True), ("0", True),
    (None, False), (math.nan, False), (pd.NA, False), ("", False),
])
def test_present(value, expected):
    assert present(value) is expected
    assert text_of(value) == (str(value) if expected else "")


@pytest.mark.parametrize("cell,flags", [
    ("no_council;bound", ["no_council", "bound"]),
    (" no_period ; ;headline_mismatch", ["no_period", "headline_mismatch"]),
    ("", []), (None, []), (pd.NA, []),
])
def test_split_flags(cell, flags):
    assert split_flags(cell) == flags
