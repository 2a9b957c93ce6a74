"""The review store (reviews.csv), latest decisions, apply_reviews and reading decision files."""
from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from pipeline.tables.decisions import (
    REVIEW_COLUMNS,
    REVIEWS_FILE,
    ReviewDecision,
    ReviewError,
    ReviewStore,
    apply_reviews,
    latest_decisions,
    read_decisions_file,
    read_reviews,
)
from pipeline.tables.files import claims_frame

from claim_rows import spend_rows


def first_run() -> pd.DataFrame:
    return claims_frame(spend_rows())


def decide(claim_id: str, status: str, timestamp: str = "", **fields: object) -> ReviewDecision:
    return ReviewDecision(claim_id=claim_id, status=status, reviewer="ann", timestamp=timestamp, **fields)


# -- the store ----------------------------------------------------------------------------------


def test_each_decision_is_flushed_and_fsynced_as_it_is_made(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    store = ReviewStore(tmp_path / REVIEWS_FILE)
    store.append(decide("a", "accepted"))
    after_first = len(synced)
    text_after_first = (tmp_path / REVIEWS_FILE).read_text()
    store.append(decide("b", "rejected", note="a date, not a count"))
    assert after_first >= 1 and len(synced) > after_first
    assert text_after_first.splitlines()[0] == ",".join(REVIEW_COLUMNS)
    assert "a,accepted" in text_after_first
    frame = read_reviews(tmp_path / REVIEWS_FILE)
    assert list(frame["claim_id"]) == ["a", "b"]
    assert frame["timestamp"].str.match(r"\d{4}-\d\d-\d\dT").all()  # stamped when made
    assert frame.loc[1, "note"] == "a date, not a count"


def test_a_row_torn_by_a_crash_is_skipped_and_the_next_append_stands_alone(tmp_path):
    path = tmp_path / REVIEWS_FILE
    store = ReviewStore(path)
    store.append(decide("a", "accepted"))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("b,rejec")  # the process died here
    assert list(read_reviews(path)["claim_id"]) == ["a"]
    store.append(decide("c", "rejected"))
    assert list(read_reviews(path)["claim_id"]) == ["a", "c"]


def test_notes_with_commas_quotes_and_newlines_round_trip(tmp_path):
    store = ReviewStore(tmp_path / REVIEWS_FILE)
    note = 'council said "£3.9m", not £39m;\nsee p.4'
    store.append(decide("a", "note", note=note))
    assert read_reviews(tmp_path / REVIEWS_FILE).loc[0, "note"] == note


@pytest.mark.parametrize("decision,message", [
    (decide("a", "approved"), "status 'approved'"),
    (decide("", "accepted"), "empty claim_id"),
    (decide("a", "corrected"), "no corrected field"),
    (decide("a", "accepted", value=12.0), "use status 'corrected'"),
    (decide("a", "corrected", period_start="March 2018"), "not a date"),
])
def test_invalid_decisions_are_refused_before_writing(tmp_path, decision, message):
    store = ReviewStore(tmp_path / REVIEWS_FILE)
    with pytest.raises(ReviewError, match=message):
        store.append(decision)
    assert not (tmp_path / REVIEWS_FILE).exists()


# -- latest decision wins --------------------------------------------------------------------


@pytest.mark.parametrize("decisions,status,note", [
    ([decide("a", "accepted", "2024-01-01T10:00:00+00:00"), decide("a", "rejected", "2024-01-01T11:00:00+00:00")],
     "rejected", ""),
    # an imported decision made earlier does not override a later one appended before it
    ([decide("a", "rejected", "2024-01-02T10:00:00+00:00"), decide("a", "accepted", "2024-01-01T10:00:00+00:00")],
     "rejected", ""),
    # same timestamp: file order
    ([decide("a", "accepted", "2024-01-01T10:00:00+00:00"), decide("a", "rejected", "2024-01-01T10:00:00+00:00")],
     "rejected", ""),
    # a note changes no status, and is kept when a later decision has none
    ([decide("a", "accepted", "2024-01-01T10:00:00+00:00"),
      decide("a", "note", "2024-01-01T10:01:00+00:00", note="check the report")], "accepted", "check the report"),
    ([decide("a", "note", "2024-01-01T10:00:00+00:00", note="odd")], "note", "odd"),
])
def test_latest_decision_wins(tmp_path, decisions, status, note):
    store = ReviewStore(tmp_path / REVIEWS_FILE)
    store.append_many(decisions)
    latest = latest_decisions(store.read())
    assert list(latest["claim_id"]) == ["a"]
    assert latest.loc[0, "status"] == status
    assert latest.loc[0, "note"] == note


# -- apply_reviews ---------------------------------------------------------------------------


def test_apply_reviews_sets_status_replaces_corrected_fields_and_keeps_the_machines(tmp_path):
    store = ReviewStore(tmp_path / REVIEWS_FILE)
    store.append_many([
        decide("c-pct", "accepted"),
        decide("c-from", "rejected", note="a duplicate"),
        decide("c-extra", "corrected", council_code="E10000020", council_name="Norfolk County Council",
               period_start="2017-04-01", period_end="2018-03-31", value=3.95e6),
    ])
    table, orphans = apply_reviews(first_run(), store.read())
    by_id = table.set_index("claim_id")
    assert by_id["review_status"].to_dict() == {
        "c-pct": "accepted", "c-from": "rejected", "c-to": "pending", "c-extra": "corrected"}
    extra = by_id.loc["c-extra"]
    assert (extra["council_code"], extra["council_name"]) == ("E10000020", "Norfolk County Council")
    assert (extra["machine_council_code"], extra["machine_council_name"]) == (
        "E10000013", "Gloucestershire County Council")
    assert (extra["period_start"], extra["period_end"]) == ("2017-04-01", "2018-03-31")
    assert extra["machine_period_start"] == "2018-04-01"
    assert extra["value"] == 3.95e6 and extra["machine_value"] == 3.9e6
    assert (extra["link_basis"], extra["period_basis"]) == ("review", "review")
    assert (extra["machine_link_basis"], extra["machine_period_basis"]) == ("article", "explicit")
    assert by_id.loc["c-to", "value"] == by_id.loc["c-to", "machine_value"] == 73.7e6
    assert by_id.loc["c-from", "review_note"] == "a duplicate"
    assert by_id.loc["c-pct", "reviewer"] == "ann"
    assert orphans.empty
    # idempotent: applying again to the reviewed table gives the same table
    again, _ = apply_reviews(table, store.read())
    pd.testing.assert_frame_equal(again[table.columns], table, check_dtype=False)
    # and without decisions the machine's values come back
    plain, _ = apply_reviews(table, store.read().iloc[0:0])
    assert plain.set_index("claim_id").loc["c-extra", "council_code"] == "E10000013"
    assert (plain["review_status"] == "pending").all()


def test_a_cleared_field_is_emptied(tmp_path):
    store = ReviewStore(tmp_path / REVIEWS_FILE)
    store.append(decide("c-pct", "corrected", council_code="-", council_name="-"))
    table, _ = apply_reviews(first_run(), store.read())
    pct = table.set_index("claim_id").loc["c-pct"]
    assert pd.isna(pct["council_code"]) and pct["machine_council_code"] == "E10000013"


@pytest.mark.parametrize("content,message", [
    ("claim,status\na,accepted\n", "no claim_id column"),
    ("claim_id,status\na,maybe\n", r"decisions.csv:2: status 'maybe'"),
    ("claim_id,status,value\na,corrected,twelve\n", r"decisions.csv:2: value 'twelve' is not a number"),
])
def test_import_errors_name_the_file_and_row(tmp_path, content, message):
    path = tmp_path / "decisions.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReviewError, match=message):
        read_decisions_file(path)


def test_import_prodigy_answers(tmp_path):
    path = tmp_path / "answers.jsonl"
    lines = [
        {"text": "x", "meta": {"claim_id": "a"}, "answer": "accept", "_annotator_id": "ann", "_timestamp": 1700000000},
        {"text": "y", "meta": {"claim_id": "b"}, "answer": "reject"},
        {"text": "z", "meta": {"claim_id": "c"}, "answer": "ignore"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    decisions = read_decisions_file(path, reviewer="team")
    assert [(d.claim_id, d.status, d.reviewer) for d in decisions] == [
        ("a", "accepted", "ann"), ("b", "rejected", "team")]
    assert decisions[0].timestamp.startswith("2023-11-14")
