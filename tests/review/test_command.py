"""`claims review` without a terminal: --accept/--reject/--import, then the outputs rewritten with every decision."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from pipeline.review.command import review_command
from pipeline.tables.decisions import (
    ORPHANS_FILE,
    REVIEWS_FILE,
    ReviewDecision,
    ReviewError,
    ReviewStore,
    apply_reviews,
    load_claims,
    read_reviews,
)
from pipeline.tables.exports import REVIEWED_FILE, TASKS_FILE
from pipeline.tables.files import claims_frame, read_claims

from claim_rows import S_EXTRA, row, spend_rows, write_outputs


def first_run() -> pd.DataFrame:
    return claims_frame(spend_rows())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    write_outputs(first_run(), tmp_path)
    return tmp_path


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
    write_outputs(rerun, out, store.read())  # as a re-run of extract writes it

    console = Console(file=io.StringIO(), width=120)
    review_command(out, accept=[], reject=[], import_path=None, reviewer="ann", interactive=False, filters={},
                   console=console)
    table, orphans = apply_reviews(load_claims(out), store.read())
    status = table.set_index("claim_id")["review_status"].to_dict()
    assert status == {"c-pct": "accepted", "c-from": "pending", "c-to": "rejected", "c-extra-2": "pending"}
    assert list(orphans["claim_id"]) == ["c-extra"]
    assert orphans.loc[0, "suggested_claim_id"] == "c-extra-2"  # a hint, not applied
    assert orphans.loc[0, "claim_text"] == "£3.9 million" and "an extra" in orphans.loc[0, "sentence"]
    written = pd.read_csv(out / ORPHANS_FILE, dtype=str)
    assert list(written["claim_id"]) == ["c-extra"] and written.loc[0, "status"] == "accepted"
    assert written.loc[0, "suggested_claim_id"] == "c-extra-2"
    assert "4 claims: 2 pending, 1 accepted, 1 rejected, 0 corrected; 1 orphaned decision(s)" in console.file.getvalue()


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
    # the claims outputs carry the decisions too, and still read back chunk by chunk
    assert read_claims(out).set_index("claim_id").loc["c-extra", "review_status"] == "rejected"
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".claims.lock"]  # the lock file stays


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
