"""Tests for pipeline/bench.py's inputs (the benchmark itself prints figures and is never a timed test)."""
import re

import pytest

from pipeline.bench import worst_case_text


@pytest.mark.parametrize("numbers", [1, 10, 5000])
def test_worst_case_is_one_line_of_percentages(numbers):
    text = worst_case_text(numbers)
    assert text.count("\n") == 1 and text.endswith(".\n")
    assert len(re.findall(r"\b\d+%", text)) == numbers
