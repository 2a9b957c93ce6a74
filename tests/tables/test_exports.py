"""The review queue and review_tasks.jsonl (Prodigy/Doccano spans); what publish writes of them."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.tables.decisions import ORPHANS_FILE, ReviewDecision, ReviewStore, read_decisions_file
from pipeline.tables.exports import REVIEWED_FILE, TASKS_FILE, review_queue, review_tasks, task_lines
from pipeline.tables.files import claims_frame
from pipeline.tables.finalize import publish

S1 = "Its total spend will increase by 28.4%, from £57.4 million to £73.7 million."
S2 = "It had 1,137 children in care in 2014 and 1,137 again in 2015."


def claim(claim_id: str, sentence: str, text: str, value: float, kind: str, *, occurrence: int = 0,
          doc_id: str = "d", **fields) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = sentence.index(text, start + 1)
    row = dict(claim_id=claim_id, doc_id=doc_id, sentence=sentence, text=text, value=value, kind=kind,
               sentence_offset=start, char_start=start + 100, char_end=start + 100 + len(text), flags="", section="body", line=1,
               confidence=0.9, scope="council", link_basis="article", period_basis="explicit")
    row.update(fields)
    return row


def table() -> pd.DataFrame:
    return claims_frame([
        claim("pct", S1, "28.4%", 28.4, "percent", unit="%"),
        claim("from", S1, "£57.4 million", 57.4e6, "money", unit="GBP", flags="inconsistent_change"),
        claim("to", S1, "£73.7 million", 73.7e6, "money", unit="GBP"),
        claim("n1", S2, "1,137", 1137, "count", doc_id="e"),
        claim("n2", S2, "1,137", 1137, "count", occurrence=1, doc_id="e"),
    ])


def test_review_queue_puts_pending_then_flagged_first():
    frame = table()
    frame["review_status"] = ["accepted", "pending", "pending", "pending", "rejected"]
    frame["flags"] = ["inconsistent_change", "", "headline_mismatch", "", "headline_mismatch"]
    # pending (flagged, then by article and position), then the reviewed ones the same way
    assert list(review_queue(frame)["claim_id"]) == ["to", "from", "n1", "pct", "n2"]


def test_review_tasks_are_prodigy_and_doccano_spans():
    tasks = review_tasks(table())
    assert len(tasks) == 5
    by_id = {task["meta"]["claim_id"]: task for task in tasks}
    for claim_id, text in (("pct", "28.4%"), ("to", "£73.7 million"), ("n2", "1,137")):
        task = by_id[claim_id]
        (span,) = task["spans"]
        assert task["text"][span["start"]:span["end"]] == text
        assert task["label"] == [[span["start"], span["end"], span["label"]]]
    assert by_id["n2"]["spans"][0]["start"] == S2.rindex("1,137")
    assert by_id["pct"]["spans"][0]["label"] == "PERCENT"
    assert by_id["from"]["meta"]["flags"] == "inconsistent_change"
    assert by_id["from"]["meta"]["review_status"] == "pending" and by_id["from"]["meta"]["value"] == 57.4e6
    assert tasks[0]["meta"]["claim_id"] == "from"  # flagged first


def test_the_span_is_the_claims_own_occurrence_not_the_first():
    # "5" stands first in "5 May", which is not a claim; the claim is the second "5"
    sentence = "On 5 May the council closed 5 libraries."
    frame = claims_frame([claim("libraries", sentence, "5", 5, "count", occurrence=1)])
    (task,) = review_tasks(frame)
    assert task["spans"][0]["start"] == sentence.rindex("5")


def test_no_span_when_the_number_runs_past_its_sentence():
    frame = claims_frame([dict(claim_id="x", doc_id="d", sentence="Up to £5", text="£5m", sentence_offset=None)])
    (task,) = review_tasks(frame)
    assert task["text"] == "Up to £5" and task["spans"] == [] and task["label"] == []


def test_publish_writes_reviewed_claims_tasks_and_orphans(tmp_path):
    store = ReviewStore(tmp_path / "reviews.csv")
    store.append_many([
        ReviewDecision("pct", "accepted"),
        ReviewDecision("from", "rejected"),
        ReviewDecision("to", "corrected", value=73.8e6),
        ReviewDecision("gone", "accepted", claim_text="£1m"),
    ])
    (tmp_path / ORPHANS_FILE).write_text("claim_id\nstale\n", encoding="utf-8")
    work = tmp_path / ".work"
    work.mkdir()
    summary = publish(lambda: iter([table()]), store.read(), tmp_path, work)
    assert (summary.reviewed, summary.orphaned) == (2, 1)
    written = pd.read_csv(tmp_path / REVIEWED_FILE)
    assert list(written["claim_id"]) == ["pct", "to"]
    assert written.set_index("claim_id").loc["to", "value"] == 73.8e6
    assert written.set_index("claim_id").loc["to", "machine_value"] == 73.7e6
    lines = (tmp_path / TASKS_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and all(json.loads(line)["meta"]["claim_id"] for line in lines)
    assert "£" in (tmp_path / TASKS_FILE).read_text(encoding="utf-8")  # not \u-escaped
    assert pd.read_csv(tmp_path / ORPHANS_FILE)["claim_id"].tolist() == ["gone"]  # the stale list is replaced


def test_prodigy_answers_to_exported_tasks_come_back_as_decisions(tmp_path):
    tasks = review_tasks(table())
    answered = [dict(task, answer=answer) for task, answer in zip(tasks, ("accept", "reject", "ignore", "accept", "accept"))]
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(json.dumps(task) + "\n" for task in answered), encoding="utf-8")
    decisions = read_decisions_file(path, reviewer="team")
    assert [(d.claim_id, d.status) for d in decisions] == [
        (tasks[0]["meta"]["claim_id"], "accepted"), (tasks[1]["meta"]["claim_id"], "rejected"),
        (tasks[3]["meta"]["claim_id"], "accepted"), (tasks[4]["meta"]["claim_id"], "accepted")]


@pytest.mark.parametrize("frame", [
    table(),
    table().assign(title="x" * 20_000, council_name=None, period_start="2017-04-01", period_end=None),
    table().assign(value=[float("inf"), -0.0, 1e20, float("nan"), 1 / 3], sentence=["", "a\\b\"c", None, "é😀", "\n"]),
    table().iloc[0:0],
])
def test_task_lines_are_what_json_dumps_writes(frame):
    expected = [json.dumps(task, ensure_ascii=False, allow_nan=False) for task in review_tasks(frame)]
    assert list(task_lines(frame)) == expected
