"""Claim rows for review and report tests: the seed sentences with the columns the claims table has."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from pipeline.tables.decisions import empty_reviews
from pipeline.tables.finalize import publish

S_SPEND = ("Its total spend on services for vulnerable children will increase by 28.4%, "
           "from £57.4 million to £73.7 million.")
S_EXTRA = "The council will spend an extra £3.9 million on its children’s safeguarding service in 2018-19."
S_NORFOLK = "The council currently has 1,137 looked-after children, far more than authorities of a similar size."


def row(claim_id: str, doc_id: str, sentence: str, text: str, value: float, unit: str | None, kind: str,
        base: int = 0, **fields: object) -> dict:
    start = base + sentence.index(text)
    values = dict(
        claim_id=claim_id, doc_id=doc_id, source_path=f"seeds/{doc_id}.txt", line=1, char_start=start,
        char_end=start + len(text), text=text, sentence=sentence, sentence_start=base,
        sentence_end=base + len(sentence), sentence_offset=start - base, kind=kind, value=value, unit=unit,
        council_code="E10000013", council_name="Gloucestershire County Council", scope="council",
        link_basis="article", period_start="2018-04-01", period_end="2019-03-31", period_text="2018-19",
        period_basis="explicit", section="body", confidence=0.9, flags="",
        title="Council agrees major increase in children’s services budget", published="2018-02-20",
        attribution="medium-term financial strategy",
    )
    values.update(fields)
    return values


def spend_rows(**extra_fields: object) -> list[dict]:
    """Seed 003's change (28.4%, from £57.4 million to £73.7 million) and its £3.9 million;
    `extra_fields` go to the £3.9 million row."""
    return [
        row("c-pct", "003", S_SPEND, "28.4%", 28.4, "%", "percent"),
        row("c-from", "003", S_SPEND, "£57.4 million", 57.4e6, "GBP", "money", change_id="ch", role="from"),
        row("c-to", "003", S_SPEND, "£73.7 million", 73.7e6, "GBP", "money", change_id="ch", role="to"),
        row("c-extra", "003", S_EXTRA, "£3.9 million", 3.9e6, "GBP", "money", base=400, **extra_fields),
    ]


def write_outputs(claims: pd.DataFrame, out: Path, reviews: pd.DataFrame | None = None) -> None:
    """Write `claims` into `out` as extract would: through finalize's publish, one chunk."""
    work = out / ".work"
    work.mkdir(parents=True, exist_ok=True)
    try:
        publish(lambda: iter([claims]), empty_reviews() if reviews is None else reviews, out, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
