"""Cells of a claims table: blanks and flags."""
import math

import numpy as np
import pandas as pd
import pytest

from pipeline.tables.cells import present, split_flags, text_of


@pytest.mark.parametrize("value,expected", [
    ("£5m", True), (0, True), (0.0, True), ("0", True), (" ", True), (False, True), (-1, True),
    (np.float64(2.5), True), (np.int64(0), True),
    (None, False), (math.nan, False), (pd.NA, False), ("", False), (pd.NaT, False), (np.float64("nan"), False),
    (np.float32("nan"), False),
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
