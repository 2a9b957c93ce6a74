"""Write the reviewed outputs: claims_reviewed.csv, review_tasks.jsonl (Prodigy/Doccano spans) and orphaned_reviews.csv."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from pipeline.tables.decisions import ORPHANS_FILE, present, split_flags, text_of
from pipeline.tables.files import atomic_write
from pipeline.tables.safe_cells import write_csv_cells

REVIEWED_FILE = "claims_reviewed.csv"
TASKS_FILE = "review_tasks.jsonl"
# Claims that go to claims_reviewed.csv: a person has vouched for them.
REVIEWED_STATUSES = ("accepted", "corrected")


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(Path(path), lambda temp: temp.write_text(text, encoding="utf-8", newline=""))


def atomic_write_csv(frame: pd.DataFrame, path: Path) -> None:
    atomic_write(Path(path), lambda temp: write_csv_cells(frame, temp))


def write_reviewed(claims: pd.DataFrame, path: Path) -> int:
    """outputs/claims_reviewed.csv: accepted and corrected claims only, with the corrected values."""
    status = claims["review_status"] if "review_status" in claims.columns else pd.Series("pending", index=claims.index)
    reviewed = claims[status.isin(REVIEWED_STATUSES)]
    atomic_write_csv(reviewed, path)
    return len(reviewed)


def write_orphans(orphans: pd.DataFrame, path: Path) -> int:
    """outputs/orphaned_reviews.csv, always written (header only when none) so an old list never lingers."""
    atomic_write_csv(orphans, path)
    return len(orphans)


def span_offsets(claims: pd.DataFrame) -> pd.Series:
    """Where each claim's text starts in its sentence (index-aligned; None when not found).

    The table's char offsets index the original file, which can differ from the sentence text
    (repaired mojibake), so the k-th claim with a given text in a sentence (by char_start) is
    matched to the k-th occurrence of that text in the sentence instead.
    """
    if claims.empty:
        return pd.Series(dtype=object)
    # plain Python over columns: a groupby per sentence costs seconds on a 15,000-row table
    starts_at = claims["char_start"].tolist() if "char_start" in claims.columns else [0] * len(claims)
    groups: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for position, (doc_id, sentence, text, start) in enumerate(
        zip(claims["doc_id"].tolist(), claims["sentence"].tolist(), claims["text"].tolist(), starts_at)
    ):
        key = (text_of(doc_id), text_of(sentence))
        order = float(start) if present(start) else float(position)
        groups.setdefault(key, []).append((order, position, text_of(text)))
    found: list[int | None] = [None] * len(claims)
    for (_, sentence), members in groups.items():
        seen: dict[str, int] = {}
        for _, position, text in sorted(members):
            k = seen.get(text, 0)
            seen[text] = k + 1
            found[position] = _nth_find(sentence, text, k) if text else None
    return pd.Series(found, index=claims.index, dtype=object)


def _nth_find(haystack: str, needle: str, n: int) -> int | None:
    position = -1
    for _ in range(n + 1):
        position = haystack.find(needle, position + 1)
        if position < 0:
            return None
    return position


def review_queue(claims: pd.DataFrame) -> pd.DataFrame:
    """The order claims are reviewed in: pending first, flagged before unflagged, then by article
    and position."""
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
    order = keys.sort_values(["_reviewed", "_unflagged", "_doc", "_start"], kind="stable").index
    return claims.loc[order]


def review_tasks(claims: pd.DataFrame) -> list[dict]:
    """One task per claim, in review-queue order: the sentence, the number as a span labelled with
    its kind, and meta with the claim_id that brings an answer back (`claims review --import`).

    `spans` is Prodigy's key, `label` ([[start, end, LABEL]]) Doccano's; both hold the same span.
    """
    offsets = span_offsets(claims)
    queue = review_queue(claims)
    queue_offsets = offsets.loc[queue.index].tolist()
    tasks = []
    for row, start in zip(queue.to_dict("records"), queue_offsets):
        sentence = text_of(row.get("sentence"))
        if not sentence:  # no sentence: the number on its own
            sentence, start = text_of(row.get("text")), 0
        spans = []
        if start is not None:
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


def write_review_tasks(claims: pd.DataFrame, path: Path) -> int:
    tasks = review_tasks(claims)
    atomic_write_text(path, "".join(json.dumps(task, ensure_ascii=False, allow_nan=False) + "\n" for task in tasks))
    return len(tasks)


def export_reviewed(claims: pd.DataFrame, orphans: pd.DataFrame, output_dir: Path) -> dict[str, int]:
    """Write all three review outputs into output_dir; returns how many rows each got."""
    output_dir = Path(output_dir)
    return {
        REVIEWED_FILE: write_reviewed(claims, output_dir / REVIEWED_FILE),
        TASKS_FILE: write_review_tasks(claims, output_dir / TASKS_FILE),
        ORPHANS_FILE: write_orphans(orphans, output_dir / ORPHANS_FILE),
    }


def _number(value: object) -> float | None:
    if not present(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None  # JSON has no Infinity
