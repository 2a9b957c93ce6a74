"""Write the reviewed outputs: claims_reviewed.csv, review_tasks.jsonl (Prodigy/Doccano spans) and orphaned_reviews.csv."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from pipeline.review import ORPHANS_FILE, split_flags
from pipeline.table import atomic_write

REVIEWED_FILE = "claims_reviewed.csv"
TASKS_FILE = "review_tasks.jsonl"
# Claims that go to claims_reviewed.csv: a person has vouched for them.
REVIEWED_STATUSES = ("accepted", "corrected")


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(Path(path), lambda temp: temp.write_text(text, encoding="utf-8", newline=""))


def atomic_write_csv(frame: pd.DataFrame, path: Path) -> None:
    atomic_write(Path(path), lambda temp: frame.to_csv(temp, index=False))


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
    starts: dict[object, int | None] = {}
    if claims.empty:
        return pd.Series(dtype=object)
    keyed = claims.assign(_doc=claims["doc_id"].astype(str), _sentence=claims["sentence"].fillna("").astype(str))
    for (_, sentence), group in keyed.groupby(["_doc", "_sentence"], sort=False):
        order = group.sort_values("char_start", kind="stable") if "char_start" in group.columns else group
        seen: dict[str, int] = {}
        for index, text in zip(order.index, order["text"].fillna("").astype(str)):
            k = seen.get(text, 0)
            seen[text] = k + 1
            starts[index] = _nth_find(sentence, text, k) if text else None
    return pd.Series([starts.get(index) for index in claims.index], index=claims.index, dtype=object)


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
    tasks = []
    for index, row in review_queue(claims).iterrows():
        sentence = _text(row.get("sentence")) or _text(row.get("text"))
        start = offsets.get(index)
        if not _text(row.get("sentence")):
            start = 0
        spans = []
        if start is not None and not _missing(start):
            end = int(start) + len(_text(row.get("text")))
            label = (_text(row.get("kind")) or "number").upper()
            spans.append({"start": int(start), "end": end, "label": label})
        meta = {
            "claim_id": _text(row.get("claim_id")),
            "doc_id": _text(row.get("doc_id")),
            "title": _text(row.get("title")),
            "value": _number(row.get("value")),
            "unit": _text(row.get("unit")),
            "council": _text(row.get("council_name")),
            "period": "..".join(p for p in (_text(row.get("period_start")), _text(row.get("period_end"))) if p),
            "flags": _text(row.get("flags")),
            "review_status": _text(row.get("review_status")) or "pending",
        }
        tasks.append(
            {
                "text": sentence,
                "spans": spans,
                "label": [[s["start"], s["end"], s["label"]] for s in spans],
                "meta": meta,
            }
        )
    return tasks


def write_review_tasks(claims: pd.DataFrame, path: Path) -> int:
    tasks = review_tasks(claims)
    atomic_write_text(path, "".join(json.dumps(task, ensure_ascii=False) + "\n" for task in tasks))
    return len(tasks)


def export_reviewed(claims: pd.DataFrame, orphans: pd.DataFrame, output_dir: Path) -> dict[str, int]:
    """Write all three review outputs into output_dir; returns how many rows each got."""
    output_dir = Path(output_dir)
    return {
        REVIEWED_FILE: write_reviewed(claims, output_dir / REVIEWED_FILE),
        TASKS_FILE: write_review_tasks(claims, output_dir / TASKS_FILE),
        ORPHANS_FILE: write_orphans(orphans, output_dir / ORPHANS_FILE),
    }


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _number(value: object) -> float | None:
    if _missing(value):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
