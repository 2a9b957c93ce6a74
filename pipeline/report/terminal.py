"""Render the terminal report from outputs/ (claims, articles.csv, errors.csv) with rich; no NLP.

Readable at 100 columns and when piped: rich drops colour codes when the output is not a terminal.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.schema import ARTICLES, ERRORS
from pipeline.schema import Table as TableSchema
from pipeline.tables.cells import present, text_of
from pipeline.tables.consistency import consistency_summary
from pipeline.tables.files import csv_in_chunks, read_claims, table_in_chunks

MAX_FLAGGED = 25
MAX_LISTED = 50  # articles and failures listed by name; the totals count them all
CSV_CHUNK = 20_000


class ClaimsDigest:
    """What the report needs from the claims table, gathered one chunk at a time, so a report on
    a large corpus reads the table without holding it."""

    def __init__(self, max_flagged: int = MAX_FLAGGED) -> None:
        self.max_flagged = max_flagged
        self.total = 0
        self.kinds: dict[str, int] = {}
        self.flagged = 0
        self.flagged_rows: list[dict[str, object]] = []
        self.status: dict[str, int] = {}
        self.reviewed_column = False
        self.consistency: dict[str, int] = {}
        self.notes: list[str] = []
        self.councils: dict[tuple[str, str], dict[str, object]] = {}

    def add(self, claims: pd.DataFrame) -> None:
        self.total += len(claims)
        for kind, count in claims["kind"].value_counts().items():
            self.kinds[kind] = self.kinds.get(kind, 0) + int(count)
        flagged = claims[claims["flags"].fillna("") != ""]
        self.flagged += len(flagged)
        room = self.max_flagged - len(self.flagged_rows)
        if room > 0:
            self.flagged_rows.extend(flagged.head(room).to_dict("records"))
        if "review_status" in claims.columns:
            self.reviewed_column = True
            for status, count in claims["review_status"].fillna("pending").value_counts().items():
                self.status[status] = self.status.get(status, 0) + int(count)
        summary = consistency_summary(claims)
        for flag, count in summary["flagged_claims"].items():
            self.consistency[flag] = self.consistency.get(flag, 0) + count
        self.notes.extend(n for n in summary["notes"][: max(0, 5 - len(self.notes))] if n not in self.notes)
        names = claims["council_name"].fillna("(" + claims["scope"].fillna("unknown") + ")")
        codes = claims["council_code"].fillna("")
        money = (claims["kind"] == "money") & (claims["unit"] == "GBP")
        for (name, code), group in claims.groupby([names, codes], sort=False):
            entry = self.councils.setdefault((str(name), str(code)), {"claims": 0, "gbp": 0.0, "money": 0,
                                                                      "start": None, "end": None})
            entry["claims"] += len(group)
            gbp = group.loc[money.loc[group.index], "value"]
            entry["gbp"] += float(gbp.sum())
            entry["money"] += len(gbp)
            starts, ends = group["period_start"].dropna(), group["period_end"].dropna()
            if len(starts):
                entry["start"] = min(filter(None, [entry["start"], str(starts.min())]))
            if len(ends):
                entry["end"] = max(filter(None, [entry["end"], str(ends.max())]))


def render_report(out_dir: Path, console: Console, *, max_flagged: int = MAX_FLAGGED) -> None:
    """Print the whole report for the run whose outputs are in `out_dir`."""
    if not (out_dir / "claims.parquet").exists() and not (out_dir / "claims.csv").exists():
        read_claims(out_dir)  # raises the error that says to run `make extract`
    digest = ClaimsDigest(max_flagged)
    for chunk in table_in_chunks(out_dir):
        digest.add(chunk)
    articles, article_totals = _listed(out_dir / "articles.csv", ARTICLES)
    errors, error_totals = _listed(out_dir / "errors.csv", ERRORS, status="failed")
    console.print(summary_panel(digest, article_totals, error_totals))
    console.print(articles_table(articles, article_totals["rows"]))
    console.print(councils_table(digest))
    if len(errors):
        console.print(failures_table(errors, error_totals["failed"]))
    if article_totals["renamed"]:
        pairs = escape(", ".join(f"{old} -> {new}" for old, new in article_totals["renamed_pairs"]))
        console.print(f"[yellow]{article_totals['renamed']} repeated doc_id(s) made unique:[/] {pairs}", soft_wrap=False)
    if article_totals["duplicates"]:
        pairs = escape(", ".join(f"{new} = {old}" for old, new in article_totals["duplicate_pairs"]))
        console.print(f"[yellow]{article_totals['duplicates']} duplicate article(s), same text as an earlier one, "
                      f"no claims extracted:[/] {pairs}", soft_wrap=False)
    console.print(review_panel(digest, out_dir))
    console.print(flagged_claims(digest))


def _listed(path: Path, table: TableSchema, status: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The first MAX_LISTED rows of a CSV (of one status, if given) and totals over all of it."""
    totals = {"rows": 0, "failed": 0, "skipped": 0, "no_claims": 0, "renamed": 0, "renamed_pairs": [],
              "duplicates": 0, "duplicate_pairs": []}
    kept: list[pd.DataFrame] = []
    for chunk in csv_in_chunks(path, CSV_CHUNK):
        totals["rows"] += len(chunk)
        if "status" in chunk:
            totals["failed"] += int((chunk["status"] == "failed").sum())
            totals["no_claims"] += int((chunk["status"] == "no_claims").sum())
            totals["skipped"] += int((chunk["status"] == "skipped").sum())
        for column, count, pairs in (("id_clash_of", "renamed", "renamed_pairs"), ("duplicate_of", "duplicates", "duplicate_pairs")):
            if column in chunk:
                marked = chunk[chunk[column].notna()]
                totals[count] += len(marked)
                room = 5 - len(totals[pairs])
                totals[pairs] += list(zip(marked[column], marked["doc_id"]))[: max(0, room)]
        wanted = chunk[chunk["status"] == status] if status else chunk
        if sum(len(k) for k in kept) < MAX_LISTED:
            kept.append(wanted.head(MAX_LISTED - sum(len(k) for k in kept)))
    frame = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=table.names())
    return frame, totals


def review_panel(digest: ClaimsDigest, out_dir: Path) -> Panel:
    """Review progress, orphaned decisions and the consistency checks."""
    lines = []
    if digest.reviewed_column and digest.total:
        lines.append("review: " + ", ".join(f"{k} {digest.status.get(k, 0)}"
                                            for k in ("pending", "accepted", "corrected", "rejected")))
    orphaned = out_dir / "orphaned_reviews.csv"
    count = len(pd.read_csv(orphaned, dtype=str)) if orphaned.exists() and orphaned.stat().st_size else 0
    if count:
        lines.append(f"[yellow]{count} decision(s) refer to claims that no longer exist: {escape(str(orphaned))}[/]")
    lines.append("consistency: " + escape(", ".join(f"{k} {v}" for k, v in digest.consistency.items()) or "no checks"))
    for note in digest.notes[:5]:
        lines.append(f"  {escape(str(note))}")
    return Panel("\n".join(lines), title="review", expand=False)


def summary_panel(digest: ClaimsDigest, articles: dict, errors: dict) -> Panel:
    processed, failed, skipped = articles["rows"], errors["failed"], errors["skipped"]
    lines = [
        f"inputs {processed + failed + skipped} = processed {processed} + failed {failed}"
        + (f" + skipped {skipped}" if skipped else "")
        + (f"; duplicate articles {articles['duplicates']} (no claims)" if articles["duplicates"] else ""),
        f"claims {digest.total} ({escape(', '.join(f'{k} {v}' for k, v in sorted(digest.kinds.items()))) or 'none'})",
        f"flagged for review {digest.flagged}; articles without claims {articles['no_claims']}",
    ]
    return Panel("\n".join(lines), title="council-claims", expand=False)


def articles_table(articles: pd.DataFrame, total: int | None = None) -> Table:
    table = Table(title="Articles", title_justify="left", expand=False)
    table.add_column("doc_id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("council", overflow="ellipsis", no_wrap=True, max_width=18)
    table.add_column("claims", justify="right", min_width=6)
    table.add_column("dropped", justify="right", min_width=7)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=15)
    for row in articles.fillna("").to_dict("records"):
        published = row["published"] or _bounds(row)
        dropped = sum(int(part.split("=")[1]) for part in str(row["boilerplate"]).split(";") if "=" in part)
        # Text, not str: a cell string is read as rich markup, and data may hold "[/bold]"
        table.add_row(Text(str(row["doc_id"])), Text(str(published)), Text(str(row["council_name"] or "—")),
                      Text(str(row["claims"])), str(dropped), Text(str(row["title"])))
    caption = "published ~date: not stated; the latest date the text allows. dropped: boilerplate blocks"
    if total is not None and total > len(articles):
        caption = f"first {len(articles)} of {total} articles (all in articles.csv). " + caption
    table.caption = caption
    return table


def councils_table(digest: ClaimsDigest) -> Table:
    table = Table(title="Councils", title_justify="left", expand=False)
    table.add_column("council", overflow="fold", max_width=34)
    table.add_column("code", no_wrap=True)
    table.add_column("claims", justify="right")
    table.add_column("money mentioned", justify="right")
    table.add_column("periods", no_wrap=True)
    for (name, code), entry in sorted(digest.councils.items()):
        periods = f"{entry['start'][:7]}..{entry['end'][:7]}" if entry["start"] and entry["end"] else "—"
        table.add_row(Text(str(name)), Text(str(code)), str(entry["claims"]),
                      _money(entry["gbp"]) if entry["money"] else "—", Text(periods))
    return table


def failures_table(failed: pd.DataFrame, total: int | None = None) -> Table:
    title = "Inputs that failed (errors.csv)"
    if total is not None and total > len(failed):
        title += f": first {len(failed)} of {total}"
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("input", overflow="fold", max_width=40)
    table.add_column("reason", overflow="fold", max_width=56)
    for row in failed.fillna("").to_dict("records"):
        table.add_row(Text(str(row["source_path"])), Text(str(row["reason"])))
    return table


def flagged_claims(digest: ClaimsDigest) -> Group | Text:
    if not digest.flagged:
        return Text("No claims flagged for review.")
    items: list[Text] = [Text(f"Claims flagged for review ({digest.flagged})", style="bold")]
    for row in digest.flagged_rows:
        items.append(claim_line(row))
    if digest.flagged > len(digest.flagged_rows):
        items.append(Text(f"... and {digest.flagged - len(digest.flagged_rows)} more: see claims.csv (column flags)"))
    return Group(*items)


def claim_line(row: dict[str, object]) -> Text:
    """"doc:line value unit [flags]" then the sentence with the number highlighted."""
    head = Text(f"{row['doc_id']}:{row['line']}  ", style="dim")
    head.append(f"{row['kind']} {_value(row)}", style="bold")
    head.append(f"  [{row['flags']}]", style="yellow")
    shown, at, length = _shorten(text_of(row.get("sentence")), text_of(row.get("text")), row.get("sentence_offset"))
    body = Text("    " + shown)
    if at is not None and length:
        body.stylize("bold reverse", 4 + at, 4 + at + length)
    return Text.assemble(head, "\n", body)


def _shorten(sentence: str, number: str, offset: object, width: int = 180) -> tuple[str, int | None, int]:
    """The sentence on one line (white space runs made one space), cut to about `width` around
    the number; and where the number stands in what is shown (None when not known) and its length."""
    if not present(offset):
        shown = " ".join(sentence.split())
        return (shown if len(shown) <= width else shown[:width] + "…"), None, 0
    start = int(offset)  # type: ignore[call-overload]
    before = re.sub(r"\s+", " ", sentence[:start]).lstrip()
    figure = " ".join(sentence[start : start + len(number)].split())
    after = re.sub(r"\s+", " ", sentence[start + len(number) :]).rstrip()
    shown, at = before + figure + after, len(before)
    if len(shown) <= width:
        return shown, at, len(figure)
    cut = max(0, at - width // 2)
    return ("…" if cut else "") + shown[cut : cut + width] + "…", at - cut + (1 if cut else 0), len(figure)


def _value(row: dict[str, object]) -> str:
    value = row["value"]
    unit = row["unit"] if isinstance(row["unit"], str) else ""
    if row["kind"] == "money" and unit == "GBP":
        return _money(float(value))
    number = float(value)
    shown = f"{number:,.0f}" if number.is_integer() else f"{number:,.4g}"
    return f"{shown} {unit}".strip()


def _money(value: float) -> str:
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= limit:
            return f"£{value / limit:,.1f}{suffix}"
    return f"£{value:,.2f}"


def _bounds(row: dict[str, object]) -> str:
    if row.get("published_latest"):
        return f"~{row['published_latest']}"
    return "—"


def make_console(file=None) -> Console:
    """A console that is 100 columns wide when not a terminal (piped to a file), colour only on terminals."""
    console = Console(file=file)
    if not console.is_terminal:
        console = Console(file=file, width=100)
    return console
