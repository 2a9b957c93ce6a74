"""Property-based fuzzing of what we write: CSV cells are never formulas and read back exactly;
reviews.csv keeps every decision whatever tear came before it."""
import csv
import io
import math
import os
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.tables.decisions import ReviewDecision, ReviewStore, read_reviews
from pipeline.tables.safe_cells import FORMULA_STARTS, unsafe_cell, write_csv_cells

FUZZ = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 200)), derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

risky_text = st.one_of(
    st.text(max_size=40),
    st.tuples(st.sampled_from(FORMULA_STARTS + ("'", " ", "")), st.text(max_size=30)).map("".join),
)
numbers = st.floats(allow_nan=False, allow_infinity=False)


def is_formula(cell: str) -> bool:
    if not cell or cell[0] not in FORMULA_STARTS:
        return False
    try:
        return not math.isfinite(float(cell))  # a number column written as a number
    except ValueError:
        return True


@FUZZ
@given(texts=st.lists(st.one_of(st.none(), risky_text), min_size=1, max_size=8),
       values=st.lists(numbers, min_size=1, max_size=8), header=risky_text)
def test_csv_cells_are_never_formulas_and_read_back(texts, values, header):
    size = min(len(texts), len(values))
    frame = pd.DataFrame({"text": pd.array(texts[:size], dtype="string"), "value": values[:size],
                          "meta": pd.Series(texts[:size], dtype=object)})
    if header not in frame.columns and header:
        frame[header] = frame["text"]
    buffer = io.StringIO()
    write_csv_cells(frame, buffer)
    written = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert not [cell for record in written for cell in record if is_formula(cell)]
    header_back, *rows = [[unsafe_cell(cell) for cell in record] for record in written]
    assert header_back == [str(c) for c in frame.columns]
    for column in ("text", "meta"):
        at = header_back.index(column)
        assert [row[at] for row in rows] == ["" if t is None else t for t in texts[:size]]


decisions = st.builds(
    ReviewDecision, claim_id=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1,
                                     max_size=12).map(str.strip).filter(bool),
    status=st.sampled_from(["accepted", "rejected", "note"]),
    note=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40).map(str.strip),
    reviewer=risky_text.map(lambda t: t.replace("\x00", "").strip()),
)


@FUZZ
@given(before=st.lists(decisions, min_size=1, max_size=5), after=decisions, cut=st.floats(0, 1))
def test_a_decision_after_a_tear_anywhere_reads_back(before, after, cut):
    with tempfile.TemporaryDirectory() as folder:
        store = ReviewStore(Path(folder) / "reviews.csv")
        store.append_many(before)
        data = store.path.read_bytes()
        store.path.write_bytes(data[: int(len(data) * cut)])  # the disk filled here
        saved = store.append(after)
        frame = read_reviews(store.path)
        assert len(frame) >= 1
        last = frame.iloc[-1]
        assert (last["claim_id"], last["status"], last["note"], last["timestamp"]) == (
            saved.claim_id.strip(), saved.status, saved.note, saved.timestamp)
        assert set(frame["claim_id"].iloc[:-1]) <= {d.claim_id.strip() for d in before}
