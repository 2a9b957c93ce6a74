"""What the review exports hold: the order claims are reviewed in, claims_reviewed.csv's statuses and
review_tasks.jsonl's tasks (Prodigy/Doccano spans). pipeline.tables.finalize writes them."""
from __future__ import annotations

import json
import math
from collections.abc import Iterator

import pandas as pd

from pipeline.tables.cells import present, split_flags, text_of

REVIEWED_FILE = "claims_reviewed.csv"
TASKS_FILE = "review_tasks.jsonl"
# Claims that go to claims_reviewed.csv: a person has vouched for them.
REVIEWED_STATUSES = ("accepted", "corrected")


def review_queue(claims: pd.DataFrame) -> pd.DataFrame:
    """The order claims are reviewed in: pending first, flagged before unflagged, then by article
    and position."""
    return claims.iloc[queue_positions(claims)]


def queue_positions(claims: pd.DataFrame) -> list[int]:
    """The row positions of `claims` in review-queue order (review_queue)."""
    status = claims["review_status"] if "review_status" in claims.columns else pd.Series("pending", index=claims.index)
    flags = claims["flags"] if "flags" in claims.columns else pd.Series("", index=claims.index)
    keys = pd.DataFrame(
        {
            "_reviewed": (status != "pending").astype(int),
            "_unflagged": flags.map(lambda cell: 0 if split_flags(cell) else 1),
            "_doc": claims["doc_id"].astype(str),
            "_start": pd.to_numeric(claims.get("char_start", pd.Series(0, index=claims.index)), errors="coerce").fillna(0),
        },
        index=claims.index,
    )
    keys.index = range(len(keys))
    return keys.sort_values(["_reviewed", "_unflagged", "_doc", "_start"], kind="stable").index.tolist()


TASK_COLUMNS = ("sentence", "sentence_offset", "text", "kind", "claim_id", "doc_id", "title", "value", "unit",
                "council_name", "period_start", "period_end", "flags", "review_status")


def review_tasks(claims: pd.DataFrame) -> list[dict]:
    """One task per claim, in review-queue order: the sentence, the number as a span labelled with
    its kind, and meta with the claim_id that brings an answer back (`claims review --import`).

    `spans` is Prodigy's key, `label` ([[start, end, LABEL]]) Doccano's; both hold the same span.
    """
    return _tasks(review_queue(claims))


def _tasks(queue: pd.DataFrame) -> list[dict]:
    tasks = []
    read = [c for c in TASK_COLUMNS if c in queue.columns]  # these alone, as lists: to_dict took 0.5 s a chunk
    for values in zip(*(queue[c].tolist() for c in read)):
        row = dict(zip(read, values))
        sentence, start = text_of(row.get("sentence")), row.get("sentence_offset")
        if not sentence:  # no sentence: the number on its own
            sentence, start = text_of(row.get("text")), 0
        spans = []
        if present(start):
            label = (text_of(row.get("kind")) or "number").upper()
            spans.append({"start": int(start), "end": int(start) + len(text_of(row.get("text"))), "label": label})
        meta = {
            "claim_id": text_of(row.get("claim_id")),
            "doc_id": text_of(row.get("doc_id")),
            "title": text_of(row.get("title")),
            "value": _number(row.get("value")),
            "unit": text_of(row.get("unit")),
            "council": text_of(row.get("council_name")),
            "period": "..".join(p for p in (text_of(row.get("period_start")), text_of(row.get("period_end"))) if p),
            "flags": text_of(row.get("flags")),
            "review_status": text_of(row.get("review_status")) or "pending",
        }
        tasks.append({
            "text": sentence,
            "spans": spans,
            "label": [[span["start"], span["end"], span["label"]] for span in spans],
            "meta": meta,
        })
    return tasks


def task_lines(claims: pd.DataFrame) -> Iterator[str]:
    """review_tasks(claims), each as one JSON line's text."""
    lines = row_task_lines(claims)
    for position in queue_positions(claims):
        yield lines[position]


def row_task_lines(claims: pd.DataFrame) -> list[str]:
    """Each row's review task as one JSON line's text, in the table's own order (task_lines puts
    them in review-queue order)."""
    return [json.dumps(task, ensure_ascii=False, allow_nan=False) for task in _tasks(claims)]


def _number(value: object) -> float | None:
    if not present(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None  # JSON has no Infinity
