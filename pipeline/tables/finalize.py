"""Write the claims outputs chunk by chunk, so memory does not grow with the corpus, and publish
them into the output folder: the one writer of claims.csv/.parquet/.jsonl, claims_reviewed.csv,
review_tasks.jsonl, orphaned_reviews.csv and datapackage.json.

Reads claim rows in chunks cut between articles (the rows staged by extract, or the row groups of a
previous claims.parquet when a review refreshes the outputs); writes every file into a folder
inside the output folder, then renames each into place, so the previous outputs stay whole until
the new ones are complete.

Two passes: the first collects the columns every chunk will need and a small projection of the
rows that can conflict across articles (council, measure and period all known), and keeps each
chunk on disk as it read it (a pickle in a folder beside the outputs, or extract's own staged
pickle: reading it back is 20 times cheaper than typing the rows again); the second lays the reviews over each
chunk, runs the consistency checks (inconsistent_change, which reads a sentence, on the chunk;
headline_mismatch and conflicting_claims from the first pass, which reads every chunk in order)
and appends the chunk to every output.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import CLAIMS, TABLES
from pipeline.tables.consistency import (
    CONFLICT_COLUMNS, CONFLICTING_CLAIMS, HEADLINE_MISMATCH, HEADLINE_SECTIONS, HeadlineCheck, check_consistency,
    checked_rows, find_conflicts,
)
from pipeline.tables.datapackage import DATAPACKAGE_FILE, write_datapackage
from pipeline.tables.exports import REVIEWED_FILE, REVIEWED_STATUSES, TASKS_FILE, queue_positions, task_lines
from pipeline.tables.decisions import ORPHANS_FILE, apply_reviews, latest_decisions
from pipeline.tables.files import ALL_STAGES, StagedChunks, claims_frame, conform, table_in_chunks
from pipeline.tables.rendered import RenderMemo, rendered_rows
from pipeline.tables.safe_cells import csv_header, write_csv_cells, write_json_lines, write_lines
from pipeline.tables.xlsx import ClaimsWorkbook, read_articles

Chunks = Callable[[], Iterator[pd.DataFrame]]


@dataclass
class FinalTables:
    """What was written: row counts and review figures for the report and the CLI."""

    claims: int = 0
    reviewed: int = 0
    orphaned: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def publish(chunks: Chunks, reviews: pd.DataFrame, out_dir: Path, work: Path, *,
            beside: Iterable[Path] = (), before_rename: Callable[[Path], None] | None = None,
            memo: RenderMemo | None = None) -> FinalTables:
    """Write every claims output from `chunks` into a new folder inside `work` (a folder inside
    `out_dir`, so renames stay on one file system), claims.xlsx with its articles sheet from
    extract's articles.csv (a `beside` file) or out_dir's, move the `beside` files (extract's
    articles.csv and errors.csv) next to them, let `before_rename(folder)` add files (the CLI's
    report.html), write datapackage.json, then rename each into `out_dir`. Until then the previous
    outputs are untouched. `memo`: rows rendered by earlier runs (pipeline.tables.rendered)."""
    final = work / "final"
    final.mkdir()
    beside = list(beside)
    articles = next((path for path in beside if path.name == "articles.csv"), out_dir / "articles.csv")
    summary = finalize(chunks, reviews, final, articles=articles, memo=memo)
    for path in beside:
        os.replace(path, final / path.name)
    if before_rename is not None:
        before_rename(final)
    written = sorted(final.iterdir())
    names = {path.name for path in written}
    kept = [out_dir / name for table in TABLES.values() for name in table.files
            if name not in names and (out_dir / name).exists()]  # reviews.csv; articles.csv on a refresh
    write_datapackage(final / DATAPACKAGE_FILE, written + kept)
    for path in sorted(final.iterdir()):
        os.replace(path, out_dir / path.name)
    return summary


def refresh(out_dir: Path, reviews: pd.DataFrame) -> FinalTables:
    """Rewrite the claims outputs of `out_dir` from its own claims.parquet (row group by row
    group) with `reviews` laid over them: apply_reviews restores the machine's values first, so
    decisions made since the last run replace the old ones."""
    work = Path(tempfile.mkdtemp(prefix=".claims-", dir=out_dir))
    try:
        return publish(lambda: table_in_chunks(out_dir), reviews, out_dir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def finalize(chunks: Chunks, reviews: pd.DataFrame, out_dir: Path, *, articles: Path | None = None,
             memo: RenderMemo | None = None) -> FinalTables:
    """Write every claims output into `out_dir` from `chunks()` (read once; kept on disk for the
    second pass in a temporary folder beside `out_dir`), claims.xlsx included when `articles`
    (the articles.csv for its articles sheet) is given."""
    with tempfile.TemporaryDirectory(prefix=".chunks-", dir=out_dir.parent) as kept:
        return _finalize(chunks, reviews, out_dir, Path(kept), articles, memo)


def _finalize(chunks: Chunks, reviews: pd.DataFrame, out_dir: Path, kept: Path, articles: Path | None,
              memo: RenderMemo | None) -> FinalTables:
    present: set[str] = set()
    projection: list[pd.DataFrame] = []
    headlines = HeadlineCheck()
    # The latest decision per claim, worked out once; each chunk gets only the decisions about its
    # claims or articles, so 300,000 orphaned decisions do not cost a pass over them per chunk.
    latest = latest_decisions(reviews)
    paths: list[Path] = []
    for chunk, path in _on_disk(chunks, kept):
        paths.append(path)
        present.update(chunk.columns)
        table, _ = apply_reviews(chunk, _about(latest, chunk))
        known = table["council_code"].notna() & table["measure"].notna() & (
            table["period_start"].notna() | table["period_end"].notna())
        if known.any():
            projection.append(table.loc[known, CONFLICT_COLUMNS])
        headlines.add(checked_rows(table, _headed(table, headlines)))
    # What the checks across rows found, per claim, in the checks' order: headline, then conflicts.
    found: dict[str, list[tuple[str, str]]] = {}
    for head, note in headlines.close():
        found.setdefault(head.claim_id, []).append((HEADLINE_MISMATCH, note))
    conflicts = find_conflicts(pd.concat(projection, ignore_index=True)) if projection else {}
    del projection
    for claim_id, notes in conflicts.items():
        found.setdefault(claim_id, []).extend((CONFLICTING_CLAIMS, note) for note in notes)
    columns = CLAIMS.order(sorted(present), stages=ALL_STAGES)

    summary = FinalTables()
    reviewed_ids = set(latest["claim_id"].astype(str)) if len(latest) else set()
    seen: set[str] = set()
    suggestions: dict[str, str] = {}
    outputs = _Outputs(out_dir, ClaimsWorkbook(out_dir / "claims.xlsx") if articles is not None else None, memo)
    try:
        wrote_any = False
        for path in paths:
            chunk = pd.read_pickle(path)
            path.unlink()  # read once more; gone before the next
            table, orphans = _checked(chunk, _about(latest, chunk), found, columns)
            for claim_id, suggested in zip(orphans["claim_id"], orphans["suggested_claim_id"]):
                if suggested:
                    suggestions.setdefault(str(claim_id), suggested)
            seen |= reviewed_ids & set(table["claim_id"].astype(str))
            outputs.append(table)
            summary.claims += len(table)
            for status, count in table["review_status"].value_counts().items():
                summary.by_status[status] = summary.by_status.get(status, 0) + int(count)
            wrote_any = True
        if not wrote_any:
            outputs.append(_checked(claims_frame([]), latest.iloc[:0], {}, columns)[0])
        _, orphans = apply_reviews(claims_frame([]), latest)
        orphans = orphans[~orphans["claim_id"].astype(str).isin(seen)].copy()
        orphans["suggested_claim_id"] = [suggestions.get(str(c), "") for c in orphans["claim_id"]]
        write_csv_cells(orphans, out_dir / ORPHANS_FILE)
        summary.orphaned = len(orphans)
        summary.reviewed = outputs.reviewed
        if outputs.book is not None and articles is not None:
            outputs.book.close(read_articles(articles))
    finally:
        outputs.close()
    return summary


def _on_disk(chunks: Chunks, kept: Path) -> Iterator[tuple[pd.DataFrame, Path]]:
    """Each chunk with a pickle of it for the second pass: extract's staged chunks are pickles
    already (StagedChunks), any other chunk is pickled into `kept`."""
    if isinstance(chunks, StagedChunks):
        yield from zip(chunks(), chunks.paths)
        return
    for n, chunk in enumerate(chunks()):
        path = kept / f"{n}.pickle"
        chunk.to_pickle(path)
        yield chunk, path


def _about(latest: pd.DataFrame, chunk: pd.DataFrame) -> pd.DataFrame:
    """The latest decisions about the chunk's claims, or about its articles (an orphan's suggested
    claim is found in its own article)."""
    if latest.empty:
        return latest
    wanted = latest["claim_id"].isin(chunk["claim_id"].astype(str)) | latest["doc_id"].isin(chunk["doc_id"].astype(str))
    return latest[wanted]


def _headed(table: pd.DataFrame, headlines: HeadlineCheck) -> list[int]:
    """The positions of the rows the headline check reads: every row of an article with a headline
    figure in this chunk, or of the article whose headline figures it holds from the chunk before."""
    doc_ids = table["doc_id"].astype(str).tolist()
    sections = table["section"].tolist() if "section" in table.columns else [None] * len(doc_ids)
    headed = {doc for doc, section in zip(doc_ids, sections) if section in HEADLINE_SECTIONS}
    return [n for n, doc in enumerate(doc_ids) if doc in headed or headlines.reads(doc)]


def _checked(chunk: pd.DataFrame, reviews: pd.DataFrame, found: dict[str, list[tuple[str, str]]],
             columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chunk with reviews laid over it and every consistency flag (`found`: those the checks
    across chunks raised, by claim_id), conformed; and the decisions this chunk does not hold
    (orphans as far as the chunk knows)."""
    table, orphans = apply_reviews(chunk, reviews)
    table = check_consistency(table, across_rows=False, found_elsewhere=found)
    return conform(table, CLAIMS, columns=columns), orphans


class _Outputs:
    """The files one finalize writes, appended chunk by chunk: each chunk's rows are rendered once
    (pipeline.tables.rendered) for the CSV, JSONL, review tasks and the claims sheet, or read back
    from `memo` where an earlier run rendered the same row."""

    def __init__(self, out_dir: Path, book: ClaimsWorkbook | None = None, memo: RenderMemo | None = None) -> None:
        self.out_dir = out_dir
        self.book = book
        self.memo = memo
        self.csv = open(out_dir / "claims.csv", "w", encoding="utf-8", newline="")
        self.jsonl = open(out_dir / "claims.jsonl", "w", encoding="utf-8")
        self.reviewed_csv = open(out_dir / REVIEWED_FILE, "w", encoding="utf-8", newline="")
        self.tasks = open(out_dir / TASKS_FILE, "w", encoding="utf-8")
        self.parquet: pq.ParquetWriter | None = None
        self.schema: pa.Schema | None = None
        self.header = True
        self.reviewed = 0

    def append(self, table: pd.DataFrame) -> None:
        reviewed = table["review_status"].isin(REVIEWED_STATUSES).to_numpy()
        self.reviewed += int(reviewed.sum())
        rows = rendered_rows(table, self.book, self.memo)
        if rows is None:  # a table the fast writers leave to pandas (none that finalize makes)
            write_csv_cells(table, self.csv, header=self.header)
            write_csv_cells(table[reviewed], self.reviewed_csv, header=self.header)
            write_json_lines(table, self.jsonl)  # JSON has no Infinity: null, like a missing value
            write_lines(self.tasks, list(task_lines(table)), "\n")
            if self.book is not None:
                self.book.append(table)
        else:
            header = [csv_header(table)] if self.header else []
            write_lines(self.csv, header + [row.csv for row in rows], "\r\n")
            write_lines(self.reviewed_csv, header + [row.csv for row, keep in zip(rows, reviewed) if keep], "\r\n")
            write_lines(self.jsonl, [row.jsonl for row in rows], "\n")
            write_lines(self.tasks, [rows[n].task for n in queue_positions(table)], "\n")
            if self.book is not None:
                self.book.append(table, [(row.xlsx, row.first, row.last) for row in rows])
        self.header = False
        arrow = pa.Table.from_pandas(table, preserve_index=False, schema=self.schema)
        if self.parquet is None:
            self.schema = arrow.schema
            self.parquet = pq.ParquetWriter(self.out_dir / "claims.parquet", self.schema)
        self.parquet.write_table(arrow)  # one row group per chunk: table_in_chunks reads the same chunks back

    def close(self) -> None:
        for handle in (self.csv, self.jsonl, self.reviewed_csv, self.tasks):
            handle.close()
        if self.parquet is not None:
            self.parquet.close()
        if self.book is not None:
            self.book.discard()  # closed already when finalize got that far
