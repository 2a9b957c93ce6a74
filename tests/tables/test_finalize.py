"""finalize: the table assembled chunk by chunk equals the table assembled whole; publish and refresh
write every output into place only when all are complete."""
import json
from functools import partial

import pandas as pd
import pytest

from claim_rows import S_EXTRA, S_SPEND, row
from pipeline.tables.consistency import check_consistency
from pipeline.tables.decisions import apply_reviews, empty_reviews
from pipeline.tables.files import StagedChunks, read_claims, rows_in_chunks, table_in_chunks
from pipeline.tables.finalize import finalize, publish, refresh

S_NFK_A = "Norfolk has 1,137 looked-after children."
S_NFK_B = "The county has 1,360 looked-after children."


def staged_rows(tmp_path):
    """Four articles; two state different counts of the same measure, council and period."""
    common = dict(council_code="E10000020", council_name="Norfolk County Council", measure="looked-after children",
                  period_start="2014-03-01", period_end="2014-03-31")
    rows = [
        row("a1", "003", S_SPEND, "£57.4 million", 57.4e6, "GBP", "money", change_id="ch", role="from"),
        row("a2", "003", S_SPEND, "£73.7 million", 73.7e6, "GBP", "money", change_id="ch", role="to"),
        row("a3", "003", S_SPEND, "28.4%", 28.4, "%", "percent"),
        row("b1", "004", S_EXTRA, "£3.9 million", 3.9e6, "GBP", "money"),
        row("c1", "001", S_NFK_A, "1,137", 1137.0, None, "count", **common),
        row("d1", "005", S_NFK_B, "1,360", 1360.0, None, "count", **common),
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path, rows


def reviews_for(claim_ids_status):
    frame = empty_reviews()
    records = [{**{c: "" for c in frame.columns}, "claim_id": i, "status": s, "timestamp": "2026-01-01T00:00:00Z",
                "reviewer": "t", "doc_id": "x", "claim_text": "y"} for i, s in claim_ids_status]
    return pd.DataFrame(records, columns=frame.columns, dtype=object)


@pytest.mark.parametrize("chunk_rows", [1, 2, 100])
def test_chunked_table_equals_whole_table(tmp_path, chunk_rows):
    path, rows = staged_rows(tmp_path)
    reviews = reviews_for([("a3", "accepted"), ("gone", "rejected")])
    out = tmp_path / "out"
    out.mkdir()
    summary = finalize(partial(rows_in_chunks, path, chunk_rows), reviews, out)

    whole, orphans = apply_reviews(pd.concat([next(rows_in_chunks(path, 100))]), reviews)
    whole = check_consistency(whole)
    written = pd.read_parquet(out / "claims.parquet")
    assert list(written["claim_id"]) == [r["claim_id"] for r in rows]
    assert list(written["flags"].fillna("")) == list(whole["flags"].fillna(""))
    assert "conflicting_claims" in written.set_index("claim_id").loc["c1", "flags"]  # across chunks too
    assert summary.claims == 6 and summary.reviewed == 1 and summary.orphaned == 1
    assert list(pd.read_csv(out / "orphaned_reviews.csv")["claim_id"]) == ["gone"]
    assert list(pd.read_csv(out / "claims_reviewed.csv")["claim_id"]) == ["a3"]
    assert len((out / "review_tasks.jsonl").read_text().splitlines()) == 6
    assert list(pd.read_csv(out / "claims.csv")["claim_id"]) == list(written["claim_id"])
    assert [json.loads(line)["claim_id"] for line in (out / "claims.jsonl").open()] == list(written["claim_id"])


@pytest.mark.parametrize("chunk_rows", [1, 2, 100])
def test_staged_chunks_give_the_outputs_staged_json_gives(tmp_path, chunk_rows):
    path, rows = staged_rows(tmp_path)
    reviews = reviews_for([("a3", "accepted"), ("gone", "rejected")])
    staged = StagedChunks(tmp_path / "staged", chunk_rows)
    for doc in dict.fromkeys(r["doc_id"] for r in rows):
        staged.add([r for r in rows if r["doc_id"] == doc])
    staged.close()
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir(), theirs.mkdir()
    finalize(staged, reviews, ours)
    finalize(partial(rows_in_chunks, path, chunk_rows), reviews, theirs)
    for name in ("claims.csv", "claims.jsonl", "claims_reviewed.csv", "review_tasks.jsonl", "orphaned_reviews.csv"):
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name
    pd.testing.assert_frame_equal(pd.read_parquet(ours / "claims.parquet"), pd.read_parquet(theirs / "claims.parquet"))
    assert list((tmp_path / "staged").iterdir()) == []  # the staged pickles served as pass 1's copies, then went


def test_chunks_never_split_an_article(tmp_path):
    path, _ = staged_rows(tmp_path)
    chunks = list(rows_in_chunks(path, 1))
    assert [sorted(set(c["doc_id"])) for c in chunks] == [["003"], ["004"], ["001"], ["005"]]


def test_written_table_reads_back_one_chunk_per_row_group(tmp_path):
    path, _ = staged_rows(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    finalize(partial(rows_in_chunks, path, 2), empty_reviews(), out)
    assert [len(c) for c in table_in_chunks(out)] == [3, 2, 1]  # chunks of >= 2 rows, cut between articles


def published(tmp_path, reviews=None):
    path, _ = staged_rows(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    work = out / ".work"
    work.mkdir()
    summary = publish(partial(rows_in_chunks, path, 2), empty_reviews() if reviews is None else reviews, out, work)
    return out, summary


def test_publish_renames_every_output_into_place(tmp_path):
    out, summary = published(tmp_path)
    names = {p.name for p in out.iterdir()}
    assert {"claims.csv", "claims.parquet", "claims.jsonl", "claims_reviewed.csv", "review_tasks.jsonl",
            "orphaned_reviews.csv", "datapackage.json"} <= names
    assert not list((out / ".work" / "final").iterdir())
    assert summary.claims == 6 and summary.by_status == {"pending": 6}


def test_a_failure_while_writing_leaves_the_previous_outputs_whole(tmp_path, monkeypatch):
    out, _ = published(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(self, table):
        raise OSError("disk full")

    monkeypatch.setattr("pipeline.tables.finalize._Outputs.append", broken)
    work = out / ".again"
    work.mkdir()
    with pytest.raises(OSError, match="disk full"):
        publish(partial(rows_in_chunks, tmp_path / "rows.jsonl", 2), empty_reviews(), out, work)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_refresh_lays_new_decisions_over_the_written_table_chunk_by_chunk(tmp_path):
    out, _ = published(tmp_path, reviews_for([("a3", "accepted")]))
    groups = len(list(table_in_chunks(out)))
    summary = refresh(out, reviews_for([("a3", "rejected"), ("c1", "accepted")]))
    table = read_claims(out).set_index("claim_id")
    assert table.loc["a3", "review_status"] == "rejected" and table.loc["c1", "review_status"] == "accepted"
    assert summary.by_status == {"pending": 4, "rejected": 1, "accepted": 1}
    # consistency is checked across chunks again: c1 and d1 still conflict
    assert "conflicting_claims" in table.loc["d1", "flags"]
    assert list(pd.read_csv(out / "claims_reviewed.csv")["claim_id"]) == ["c1"]
    assert len(list(table_in_chunks(out))) == groups  # still one row group per chunk
    assert not [p for p in out.iterdir() if p.name.startswith(".claims-")]  # its work folder is gone
    # idempotent: the same decisions again give the same table
    before = (out / "claims.csv").read_bytes()
    refresh(out, reviews_for([("a3", "rejected"), ("c1", "accepted")]))
    assert (out / "claims.csv").read_bytes() == before


def test_orphans_are_worked_out_once_not_per_chunk(tmp_path, monkeypatch):
    """Many orphaned decisions must not cost a pass over all of them for every chunk."""
    import pipeline.tables.finalize as finalize_module

    path, rows = staged_rows(tmp_path)
    reviews = reviews_for([("a1", "accepted")] + [(f"gone{n}", "rejected") for n in range(2000)])
    latest_calls, sizes = [], []
    real_latest, real_apply = finalize_module.latest_decisions, finalize_module.apply_reviews
    monkeypatch.setattr(finalize_module, "latest_decisions", lambda r: latest_calls.append(1) or real_latest(r))
    monkeypatch.setattr(finalize_module, "apply_reviews",
                        lambda chunk, decided: sizes.append(len(decided)) or real_apply(chunk, decided))
    out = tmp_path / "out"
    out.mkdir()
    summary = finalize(partial(rows_in_chunks, path, chunk_rows=2), reviews, out)
    assert latest_calls == [1]
    assert max(sizes[:-1]) <= 1 and sizes[-1] == 2001  # per chunk: its own decisions; once: all, for orphans
    assert summary.orphaned == 2000 and summary.by_status["accepted"] == 1
    assert len(pd.read_csv(out / "orphaned_reviews.csv")) == 2000


@pytest.mark.parametrize("chunk_rows", [1, 2, 100])
def test_a_conflict_gets_one_note_whatever_the_chunks(tmp_path, chunk_rows):
    """Three articles state different counts of one measure, council and period; with chunks of two
    rows, two of them share a chunk, and the chunk adds no note of its own beside the corpus's."""
    common = dict(council_code="E10000020", council_name="Norfolk County Council", measure="looked-after children",
                  period_start="2014-03-01", period_end="2014-03-31")
    rows = [
        row("b1", "004", S_EXTRA, "£3.9 million", 3.9e6, "GBP", "money"),
        row("c1", "001", S_NFK_A, "1,137", 1137.0, None, "count", **common),
        row("d1", "005", S_NFK_B, "1,360", 1360.0, None, "count", **common),
        row("e1", "006", "Norfolk cares for 1,500 looked-after children.", "1,500", 1500.0, None, "count", **common),
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    finalize(partial(rows_in_chunks, path, chunk_rows), empty_reviews(), out)
    written = pd.read_parquet(out / "claims.parquet").set_index("claim_id")
    whole = check_consistency(next(rows_in_chunks(path, 100))).set_index("claim_id")
    assert written["consistency_note"].fillna("").to_dict() == whole["consistency_note"].fillna("").to_dict()
    notes = written.loc["d1", "consistency_note"].split(" | ")
    assert len(notes) == 1 and all(f"1,{n}" in notes[0] for n in ("137", "360", "500"))


@pytest.mark.parametrize("restated,value,flagged", [("£5m", 5e6, False), ("£8m", 8e6, True)])
def test_an_article_cut_into_chunks_is_checked_against_its_headline_whole(tmp_path, restated, value, flagged):
    """A table of figures under a headline, cut into chunks of two (its rows pass twice a chunk):
    the headline figure is compared with the body figures of every chunk, not its own only."""
    head = "Ruritania to spend £5m on roads"
    rows = [row("h", "t", head, "£5m", 5e6, "GBP", "money", section="headline", period_start=None, period_end=None)]
    body = [("£1m", 1e6), ("£2m", 2e6), ("£9m", 9e6), ("£3m", 3e6), (restated, value)]  # the last in the last chunk
    for n, (text, amount) in enumerate(body):
        rows.append(row(f"b{n}", "t", f"Ward {n} gets {text}.", text, amount, "GBP", "money", base=100 * (n + 1),
                        period_start=None, period_end=None))
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert len(list(rows_in_chunks(path, 2))) > 1
    out = tmp_path / "out"
    out.mkdir()
    finalize(partial(rows_in_chunks, path, 2), empty_reviews(), out)
    written = pd.read_parquet(out / "claims.parquet").set_index("claim_id")
    assert ("headline_mismatch" in str(written.loc["h", "flags"])) == flagged
    whole = check_consistency(next(rows_in_chunks(path, 100))).set_index("claim_id")
    assert written["flags"].fillna("").to_dict() == whole["flags"].fillna("").to_dict()
    assert written["consistency_note"].fillna("").to_dict() == whole["consistency_note"].fillna("").to_dict()
