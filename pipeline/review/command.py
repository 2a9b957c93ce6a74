"""`claims review`: records --accept/--reject IDs and --import files, runs the loop, then rewrites
the claims outputs through pipeline.tables.finalize so they carry every decision."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from pipeline.review.search import CouncilSearch
from pipeline.review.session import default_reviewer, run_review
from pipeline.tables.decisions import (
    REVIEW_STATUSES,
    REVIEWS_FILE,
    ReviewError,
    ReviewStore,
    decision_for,
    load_claims,
    read_decisions_file,
)
from pipeline.tables.finalize import FinalTables, refresh
from pipeline.tables.lock import OutputError, disk_full_message, is_disk_full, output_lock


def review_command(
    output_dir: Path,
    *,
    accept: list[str],
    reject: list[str],
    import_path: Path | None,
    reviewer: str,
    interactive: bool,
    filters: dict,
    console: Console | None = None,
    read_key: Callable[[], str] | None = None,
    read_line: Callable[[str], str] | None = None,
    council_search: CouncilSearch | None = None,
) -> int:
    """`claims review`: record --accept/--reject IDs and an --import file, optionally run the
    interactive loop, then rewrite the claims outputs (claims.*, claims_reviewed.csv,
    review_tasks.jsonl, orphaned_reviews.csv) with every decision. Returns 0; raises ReviewError (unknown claim ids, a bad import row,
    no claims table) before writing anything."""
    output_dir = Path(output_dir)
    console = console or Console()
    reviewer = reviewer or default_reviewer()
    store = ReviewStore(output_dir / REVIEWS_FILE)
    if not output_dir.is_dir():
        raise ReviewError(f"{output_dir}: no such folder; run `claims extract INPUT --output {output_dir}` first")
    with output_lock(output_dir, "review"):  # the ids are checked against the table extract last published
        _record_scripted(output_dir, store, console, accept=accept, reject=reject, import_path=import_path,
                         reviewer=reviewer)
    if interactive:
        run_review(output_dir, read_key=read_key, read_line=read_line, console=console, reviewer=reviewer,
                   filters=filters, council_search=council_search)
    summary = refresh_review_outputs(output_dir, store=store)
    counts = ", ".join(f"{summary.by_status.get(status, 0)} {status}" for status in REVIEW_STATUSES)
    console.print(f"{summary.claims} claims: {counts}; {summary.orphaned} orphaned decision(s)")
    return 0


def _record_scripted(output_dir: Path, store: ReviewStore, console: Console, *, accept: list[str],
                     reject: list[str], import_path: Path | None, reviewer: str) -> list[str]:
    """Append --accept/--reject/--import decisions; returns the imported claim ids not in the table."""
    claims = load_claims(output_dir)
    by_id = {str(row["claim_id"]): row for _, row in claims.iterrows()}
    accept, reject = list(accept or []), list(reject or [])
    unknown = [claim_id for claim_id in accept + reject if claim_id not in by_id]
    if unknown:
        raise ReviewError(
            f"{output_dir / 'claims.csv'}: no claim {', '.join(unknown)}; copy claim_id from the table "
            "(decisions about claims that no longer exist are kept in orphaned_reviews.csv)"
        )
    both = sorted(set(accept) & set(reject))
    if both:
        raise ReviewError(f"both --accept and --reject given for {', '.join(both)}; pick one")
    decisions = [decision_for(by_id[i], "accepted", reviewer=reviewer) for i in accept]
    decisions += [decision_for(by_id[i], "rejected", reviewer=reviewer) for i in reject]
    imported = read_decisions_file(Path(import_path), reviewer=reviewer) if import_path else []
    for decision in imported:
        if decision.claim_id in by_id and not decision.doc_id:
            context = decision_for(by_id[decision.claim_id], decision.status, reviewer=decision.reviewer)
            # the claim's context added; the imported timestamp and everything else kept as given
            decision = dataclasses.replace(decision, doc_id=context.doc_id, claim_text=context.claim_text,
                                           sentence=context.sentence)
        decisions.append(decision)
    stray = [d.claim_id for d in imported if d.claim_id not in by_id]
    store.append_many(decisions)
    if decisions:
        console.print(f"{len(decisions)} decision(s) recorded in {escape(str(store.path))}")
    if stray:
        console.print(
            f"[yellow]{len(stray)} imported decision(s) name no current claim; they are listed in "
            f"orphaned_reviews.csv[/yellow]"
        )
    return stray


def refresh_review_outputs(output_dir: Path, *, store: ReviewStore | None = None) -> FinalTables:
    """Lay reviews.csv over the written claims table and rewrite the claims outputs from it, chunk
    by chunk and renamed into place, as extract writes them."""
    output_dir = Path(output_dir)
    store = store or ReviewStore(output_dir / REVIEWS_FILE)
    # Under the folder's lock, from the table as it is on disk now: never a copy loaded earlier,
    # which would undo a `claims extract` published since.
    with output_lock(output_dir, "review"):
        try:
            return refresh(output_dir, store.read())
        except OSError as error:
            if is_disk_full(error):
                raise OutputError(disk_full_message(output_dir, error)) from error
            raise
