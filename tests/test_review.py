"""The review store, apply_reviews, orphans across a re-run, imports and `claims review` without a terminal."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from pipeline.tables.exports import ORPHANS_FILE, REVIEWED_FILE, TASKS_FILE
from pipeline.tables.decisions import (
    REVIEW_COLUMNS,
    REVIEWS_FILE,
    ReviewDecision,
    ReviewError,
    ReviewStore,
    apply_reviews,
    latest_decisions,
    load_claims,
    read_decisions_file,
    read_reviews,
    review_summary,
)
from pipeline.review.ui import review_command
from pipeline.tables.files import claims_frame, write_claims

from claim_rows import S_EXTRA, row, spend_rows

def first_run() -> pd.DataFrame:
    return claims_frame(spend_rows())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    write_claims(first_run(), tmp_path)
    return tmp_path


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


def test_decisions_survive_a_rerun_after_an_article_was_edited(out):
    """The article's sentence with £3.9 million was edited, so that claim got a new id (the lead
    hashes doc_id, sentence, span text, occurrence); the other claims kept theirs."""
    store = ReviewStore(out / REVIEWS_FILE)
    claims = load_claims(out)
    for claim_id, status in (("c-pct", "accepted"), ("c-to", "rejected"), ("c-extra", "accepted")):
        claim = claims.set_index("claim_id").loc[claim_id]
        store.append(ReviewDecision(claim_id=claim_id, status=status, reviewer="ann", doc_id=claim["doc_id"],
                                    claim_text=claim["text"], sentence=claim["sentence"]))
    edited = S_EXTRA.replace("an extra", "a further")
    rerun = first_run()
    rerun = rerun[rerun["claim_id"] != "c-extra"]
    rerun = pd.concat([rerun, claims_frame([row("c-extra-2", "003", edited, "£3.9 million", 3.9e6, "GBP", "money",
                                                 base=400)])], ignore_index=True)
    write_claims(rerun, out)

    review_command(out, accept=[], reject=[], import_path=None, reviewer="ann", interactive=False, filters={},
                   console=Console(file=io.StringIO()))
    table, orphans = apply_reviews(load_claims(out), store.read())
    status = table.set_index("claim_id")["review_status"].to_dict()
    assert status == {"c-pct": "accepted", "c-from": "pending", "c-to": "rejected", "c-extra-2": "pending"}
    assert list(orphans["claim_id"]) == ["c-extra"]
    assert orphans.loc[0, "suggested_claim_id"] == "c-extra-2"  # a hint, not applied
    assert orphans.loc[0, "claim_text"] == "£3.9 million" and "an extra" in orphans.loc[0, "sentence"]
    written = pd.read_csv(out / ORPHANS_FILE, dtype=str)
    assert list(written["claim_id"]) == ["c-extra"] and written.loc[0, "status"] == "accepted"
    summary = review_summary(table, orphans)
    assert summary["orphaned"] == 1 and summary["orphans"][0]["suggested_claim_id"] == "c-extra-2"
    assert summary["by_status"] == {"pending": 2, "accepted": 1, "rejected": 1, "corrected": 0}


def test_review_summary_counts_flags_and_consistency():
    table = first_run()
    table["review_status"] = ["accepted", "pending", "pending", "rejected"]
    table["flags"] = ["no_council;inconsistent_change", "inconsistent_change", "", ""]
    summary = review_summary(table, pd.DataFrame())
    assert summary["claims"] == 4 and summary["reviewed"] == 2
    assert summary["flags"] == {"inconsistent_change": 2, "no_council": 1}
    assert summary["consistency"]["flagged_claims"]["inconsistent_change"] == 2
    assert summary["orphaned"] == 0


# -- imports and the non-interactive command ----------------------------------------------------


def test_review_command_accepts_and_rejects_ids_and_writes_the_exports(out):
    console = Console(file=io.StringIO(), width=120)
    code = review_command(out, accept=["c-pct", "c-to"], reject=["c-extra"], import_path=None, reviewer="bob",
                          interactive=False, filters={}, console=console)
    assert code == 0
    reviews = read_reviews(out / REVIEWS_FILE)
    assert list(zip(reviews["claim_id"], reviews["status"])) == [
        ("c-pct", "accepted"), ("c-to", "accepted"), ("c-extra", "rejected")]
    assert set(reviews["reviewer"]) == {"bob"} and reviews.loc[0, "doc_id"] == "003"
    reviewed = pd.read_csv(out / REVIEWED_FILE, dtype=str)
    assert sorted(reviewed["claim_id"]) == ["c-pct", "c-to"]
    assert (out / TASKS_FILE).exists() and (out / ORPHANS_FILE).exists()
    assert "4 claims: 1 pending, 2 accepted, 1 rejected, 0 corrected" in console.file.getvalue()


@pytest.mark.parametrize("accept,reject,message", [
    (["c-pct", "nope"], [], "no claim nope"),
    (["c-pct"], ["c-pct"], "both --accept and --reject"),
])
def test_review_command_refuses_bad_ids_and_writes_nothing(out, accept, reject, message):
    with pytest.raises(ReviewError, match=message):
        review_command(out, accept=accept, reject=reject, import_path=None, reviewer="bob", interactive=False,
                       filters={}, console=Console(file=io.StringIO()))
    assert not (out / REVIEWS_FILE).exists()


def test_review_command_without_a_table_names_the_fix(tmp_path):
    with pytest.raises(ReviewError, match="run `claims extract"):
        review_command(tmp_path, accept=["a"], reject=[], import_path=None, reviewer="bob", interactive=False,
                       filters={}, console=Console(file=io.StringIO()))


def test_import_csv_with_corrections_and_a_stray_id(out):
    decisions = out / "decisions.csv"
    decisions.write_text(
        "claim_id,status,value,period_start,period_end,note\n"
        "c-pct,accepted,,,,\n"
        "c-extra,corrected,3950000,2017-04-01,2018-03-31,checked the budget paper\n"
        "gone,rejected,,,,\n",
        encoding="utf-8",
    )
    console = Console(file=io.StringIO(), width=120)
    review_command(out, accept=[], reject=[], import_path=decisions, reviewer="team", interactive=False,
                   filters={}, console=console)
    table, orphans = apply_reviews(load_claims(out), read_reviews(out / REVIEWS_FILE))
    extra = table.set_index("claim_id").loc["c-extra"]
    assert extra["review_status"] == "corrected" and extra["value"] == 3.95e6
    assert extra["review_note"] == "checked the budget paper" and extra["reviewer"] == "team"
    assert list(orphans["claim_id"]) == ["gone"]  # recorded and reported, never dropped
    assert "1 imported decision(s) name no current claim" in console.file.getvalue()


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


# -- end to end: the real pipeline's claim ids across a re-run -----------------------------------

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.model
def test_decisions_survive_make_extract_after_an_article_is_edited(tmp_path):
    from pipeline.extract import extract
    from pipeline.nlp import load_pipeline
    from pipeline.review.ui import refresh_review_outputs

    nlp = load_pipeline()
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    article = inputs / "spend.txt"
    original = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    article.write_text(original, encoding="utf-8")
    first = extract([inputs], out, nlp=nlp).claims
    by_text = dict(zip(first["text"], first["claim_id"]))
    review_command(out, accept=[by_text["28.4%"], by_text["£1.1 million"]], reject=[by_text["2.49%"]],
                   import_path=None, reviewer="ann", interactive=False, filters={},
                   console=Console(file=io.StringIO()))

    article.write_text(original.replace("The council will also spend an extra £1.1 million",
                                        "The council will spend a further £1.1 million"), encoding="utf-8")
    extract([inputs], out, nlp=nlp)
    table, orphans = refresh_review_outputs(out)
    status = dict(zip(table["text"], table["review_status"]))
    assert status["28.4%"] == "accepted" and status["2.49%"] == "rejected"
    assert status["£1.1 million"] == "pending"  # a new claim: its sentence changed
    assert list(orphans["claim_id"]) == [by_text["£1.1 million"]]
    new_id = table.loc[table["text"] == "£1.1 million", "claim_id"].iloc[0]
    assert orphans.loc[0, "suggested_claim_id"] == new_id
    assert pd.read_csv(out / ORPHANS_FILE, dtype=str)["claim_id"].tolist() == [by_text["£1.1 million"]]
    assert sorted(pd.read_csv(out / REVIEWED_FILE, dtype=str)["text"]) == ["28.4%"]
