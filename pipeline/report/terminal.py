"""Render the terminal report from outputs/ (claims, articles.csv, errors.csv) with rich; no NLP.

Readable at 100 columns and when piped: rich drops colour codes when the output is not a terminal.
"""
from __future__ import annotations

import heapq
import os
import re
import threading
from pathlib import Path

import pandas as pd
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.schema import ARTICLES, ERRORS
from pipeline.schema import Table as TableSchema
from pipeline.report.html import recorded_run_seconds
from pipeline.tables.cells import present, split_flags, text_of
from pipeline.tables.consistency import consistency_summary
from pipeline.tables.files import csv_in_chunks, read_claims, table_in_chunks

MAX_FLAGGED = 25
MAX_LISTED = 50  # articles and failures listed by name; the totals count them all
CSV_CHUNK = 20_000
LARGEST_FIGURES = 2  # £ figures shown per council
YEAR_COUNCILS = 15  # councils in the council x year table (those with the most claims)
YEAR_COLUMNS = 8  # the latest years shown; earlier ones are added up in one column
NO_YEAR = "none"


class ClaimsDigest:
    """What the report needs from the claims table, gathered one chunk at a time, so a report on
    a large corpus reads the table without holding it."""

    def __init__(self, max_flagged: int = MAX_FLAGGED) -> None:
        self.max_flagged = max_flagged
        self.total = 0
        self.kinds: dict[str, int] = {}
        self.flagged = 0
        self.status: dict[str, int] = {}
        self.reviewed_column = False
        self.consistency: dict[str, int] = {}
        self.notes: list[str] = []
        self.councils: dict[tuple[str, str], dict[str, object]] = {}
        self.kind_scope: dict[tuple[str, str], int] = {}
        self.council_years: dict[tuple[str, str], dict[str, int]] = {}
        self.doc_flagged: dict[str, int] = {}
        self.flagged_pending = 0
        self._pending: list[tuple[tuple, int, dict[str, object]]] = []  # a min-heap of the top flagged pending
        self._seen = 0

    @property
    def flagged_rows(self) -> list[dict[str, object]]:
        """The flagged claims still pending review, most flags first, then the most confident."""
        return [row for _, _, row in sorted(self._pending, key=lambda item: (item[0], -item[1]), reverse=True)]

    def add(self, claims: pd.DataFrame) -> None:
        self.total += len(claims)
        for kind, count in claims["kind"].value_counts().items():
            self.kinds[kind] = self.kinds.get(kind, 0) + int(count)
        scopes = claims["scope"].fillna("unknown")
        for (kind, scope), count in claims.groupby([claims["kind"], scopes]).size().items():
            self.kind_scope[(kind, scope)] = self.kind_scope.get((kind, scope), 0) + int(count)
        flagged = claims[claims["flags"].fillna("") != ""]
        self.flagged += len(flagged)
        for doc_id, count in flagged["doc_id"].value_counts().items():
            self.doc_flagged[str(doc_id)] = self.doc_flagged.get(str(doc_id), 0) + int(count)
        if "review_status" in claims.columns:
            self.reviewed_column = True
            for status, count in claims["review_status"].fillna("pending").value_counts().items():
                self.status[status] = self.status.get(status, 0) + int(count)
            flagged = flagged[flagged["review_status"].fillna("pending") == "pending"]
        self.flagged_pending += len(flagged)
        for row in flagged.to_dict("records"):
            confidence = float(row["confidence"]) if present(row.get("confidence")) else 0.0
            item = ((len(split_flags(row["flags"])), confidence), -self._seen, row)
            self._seen += 1
            if len(self._pending) < self.max_flagged:
                heapq.heappush(self._pending, item)
            elif self.max_flagged and item[:2] > self._pending[0][:2]:
                heapq.heapreplace(self._pending, item)
        summary = consistency_summary(claims)
        for flag, count in summary["flagged_claims"].items():
            self.consistency[flag] = self.consistency.get(flag, 0) + count
        self.notes.extend(n for n in summary["notes"][: max(0, 5 - len(self.notes))] if n not in self.notes)
        names = claims["council_name"].fillna("(" + scopes + ")")
        codes = claims["council_code"].fillna("")
        money = (claims["kind"] == "money") & (claims["unit"] == "GBP")
        years = claims["period_start"].fillna("").astype(str).str[:4].replace("", NO_YEAR)
        for (name, code), group in claims.groupby([names, codes], sort=False):
            key = (str(name), str(code))
            entry = self.councils.setdefault(key, {"claims": 0, "kinds": {}, "largest": [], "start": None, "end": None})
            entry["claims"] += len(group)
            for kind, count in group["kind"].value_counts().items():
                entry["kinds"][kind] = entry["kinds"].get(kind, 0) + int(count)
            # the largest £ figures, each with what it measures: a sum of every figure means nothing
            gbp = group[money.loc[group.index]]
            figures = entry["largest"] + [(float(v), text_of(m)) for v, m in zip(gbp["value"], gbp["measure"])]
            entry["largest"] = sorted(figures, key=lambda f: -abs(f[0]))[:LARGEST_FIGURES]
            by_year = self.council_years.setdefault(key, {})
            for year, count in years.loc[group.index].value_counts().items():
                by_year[year] = by_year.get(year, 0) + int(count)
            starts, ends = group["period_start"].dropna(), group["period_end"].dropna()
            if len(starts):
                entry["start"] = min(filter(None, [entry["start"], str(starts.min())]))
            if len(ends):
                entry["end"] = max(filter(None, [entry["end"], str(ends.max())]))


def render_report(out_dir: Path, console: Console, *, max_flagged: int = MAX_FLAGGED,
                  run_seconds: float | None = None) -> None:
    """Print the whole report for the run whose outputs are in `out_dir`; `run_seconds` is the
    extraction's run time (when not given, the one report.html recorded)."""
    if not (out_dir / "claims.parquet").exists() and not (out_dir / "claims.csv").exists():
        read_claims(out_dir)  # raises the error that says to run `make extract`
    digest = ClaimsDigest(max_flagged)
    for chunk in table_in_chunks(out_dir):
        digest.add(chunk)
    if run_seconds is None:
        run_seconds = recorded_run_seconds(out_dir / "report.html")
    articles, article_totals = _listed(out_dir / "articles.csv", ARTICLES, flagged=digest.doc_flagged)
    errors, error_totals = _listed(out_dir / "errors.csv", ERRORS, status="failed")
    console.print(summary_panel(digest, article_totals, error_totals, run_seconds))
    console.print(articles_table(articles, article_totals["rows"], console.width))
    console.print(councils_table(digest))
    console.print(council_years_table(digest))
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


def _listed(path: Path, table: TableSchema, status: str | None = None,
            flagged: dict[str, int] | None = None) -> tuple[pd.DataFrame, dict]:
    """The first MAX_LISTED rows of a CSV (of one status, if given) and totals over all of it; with
    `flagged` (flagged claims per doc_id), the articles with the most claims and the most flags."""
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
        if flagged is not None:
            kept = [_busiest(pd.concat([*kept, wanted], ignore_index=True), flagged)]
        elif sum(len(k) for k in kept) < MAX_LISTED:
            kept.append(wanted.head(MAX_LISTED - sum(len(k) for k in kept)))
    frame = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=table.names())
    if flagged is not None:
        frame = frame.assign(flagged=frame["doc_id"].map(lambda d: flagged.get(str(d), 0)).astype(int))
    return frame, totals


def _busiest(articles: pd.DataFrame, flagged: dict[str, int]) -> pd.DataFrame:
    """The MAX_LISTED // 2 articles with the most claims, then as many with the most flagged claims
    (files in input order are mostly short pieces without a figure)."""
    counts = pd.to_numeric(articles["claims"], errors="coerce").fillna(0)
    flags = articles["doc_id"].map(lambda d: flagged.get(str(d), 0))
    by_claims = counts.sort_values(ascending=False, kind="stable").index[: MAX_LISTED // 2]
    rest = flags.drop(by_claims)
    by_flags = rest[rest > 0].sort_values(ascending=False, kind="stable").index[: MAX_LISTED - len(by_claims)]
    chosen = list(by_claims) + list(by_flags)
    more = counts.drop(chosen).sort_values(ascending=False, kind="stable").index[: MAX_LISTED - len(chosen)]
    return articles.loc[chosen + list(more)]


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


def summary_panel(digest: ClaimsDigest, articles: dict, errors: dict, run_seconds: float | None = None) -> Panel:
    processed, failed, skipped = articles["rows"], errors["failed"], errors["skipped"]
    lines = [
        f"inputs {processed + failed + skipped} = processed {processed} + failed {failed}"
        + (f" + skipped {skipped}" if skipped else "")
        + (f"; duplicate articles {articles['duplicates']} (no claims)" if articles["duplicates"] else ""),
        f"claims {digest.total} ({escape(', '.join(f'{k} {v}' for k, v in sorted(digest.kinds.items()))) or 'none'})",
        f"flagged for review {digest.flagged} (pending {digest.flagged_pending}); "
        f"articles without claims {articles['no_claims']}",
        "run time " + (f"{run_seconds:,.1f} s" if run_seconds is not None else "not recorded"),
    ]
    return Panel(Group("\n".join(lines), kind_scope_table(digest)), title="council-claims", expand=False)


def kind_scope_table(digest: ClaimsDigest) -> Table:
    """Claims by kind (rows) and scope (columns)."""
    scopes = [s for s in ("council", "national", "other", "unknown") if any(k[1] == s for k in digest.kind_scope)]
    scopes += sorted({k[1] for k in digest.kind_scope} - set(scopes))
    table = Table(title="claims by kind and scope", title_justify="left", box=None, expand=False)
    table.add_column("kind")
    for scope in scopes:
        table.add_column(escape(scope), justify="right")
    table.add_column("all", justify="right")
    for kind in sorted({k[0] for k in digest.kind_scope}):
        counts = [digest.kind_scope.get((kind, scope), 0) for scope in scopes]
        table.add_row(Text(str(kind)), *(str(c) for c in counts), str(sum(counts)))
    return table


def articles_table(articles: pd.DataFrame, total: int | None = None, width: int = 100) -> Table:
    """The listed articles; the title takes the width the other columns leave on a `width`-column screen."""
    table = Table(title="Articles", title_justify="left", expand=False)
    doc_width = min(30, max([6, *(len(str(d)) for d in articles["doc_id"])]))
    # 16 council + 6 claims + 4 drop + 7 flagged + 11 published, and 3 characters of rule and padding per column
    title_width = max(8, width - doc_width - 44 - 3 * 7 - 1)
    table.add_column("doc_id", no_wrap=True, min_width=doc_width, max_width=doc_width, overflow="ellipsis")
    table.add_column("published", no_wrap=True, min_width=11)
    table.add_column("council", overflow="ellipsis", no_wrap=True, min_width=16, max_width=16)
    table.add_column("claims", justify="right", min_width=6)
    table.add_column("drop", justify="right", min_width=4)
    table.add_column("flagged", justify="right", min_width=7)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=title_width)
    for row in articles.fillna("").to_dict("records"):
        published = row["published"] or _bounds(row)
        dropped = sum(int(part.split("=")[1]) for part in str(row["boilerplate"]).split(";") if "=" in part)
        # Text, not str: a cell string is read as rich markup, and data may hold "[/bold]"
        table.add_row(Text(str(row["doc_id"])), Text(str(published)), Text(str(row["council_name"] or "—")),
                      Text(str(row["claims"])), str(dropped), str(row.get("flagged", "")), Text(str(row["title"])))
    caption = "published ~date: not stated; the latest date the text allows. drop: boilerplate blocks dropped"
    if total is not None and total > len(articles):
        caption = (f"{len(articles)} of {total} articles: those with the most claims, then the most flagged claims "
                   "(all in articles.csv). " + caption)
    table.caption = caption
    return table


def councils_table(digest: ClaimsDigest) -> Table:
    table = Table(title="Councils", title_justify="left", expand=False)
    table.add_column("council", overflow="fold", max_width=34)
    table.add_column("code", no_wrap=True)
    table.add_column("claims", justify="right")
    table.add_column("by kind", overflow="fold")
    table.add_column("largest £ figures", overflow="fold")
    table.add_column("periods", no_wrap=True)
    for (name, code), entry in sorted(digest.councils.items()):
        periods = f"{entry['start'][:7]}..{entry['end'][:7]}" if entry["start"] and entry["end"] else "—"
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(entry["kinds"].items(), key=lambda kv: (-kv[1], kv[0])))
        largest = "; ".join(f"{_money(value)} {measure or '(measure not found)'}" for value, measure in entry["largest"])
        table.add_row(Text(str(name)), Text(str(code)), str(entry["claims"]), Text(kinds), Text(largest or "—"),
                      Text(periods))
    return table


def council_years_table(digest: ClaimsDigest) -> Table:
    """Claims per council (the YEAR_COUNCILS with the most) and year the period starts in."""
    councils = {key: entry for key, entry in digest.councils.items() if key[1]}  # linked to a council, not a scope
    busiest = sorted(councils.items(), key=lambda item: (-item[1]["claims"], item[0]))[:YEAR_COUNCILS]
    years = sorted({y for key, _ in busiest for y in digest.council_years.get(key, {}) if y != NO_YEAR})
    shown, earlier = years[-YEAR_COLUMNS:], years[:-YEAR_COLUMNS]
    title = "Claims by council and year (the year the period starts)"
    if len(councils) > len(busiest):
        title += f": the {len(busiest)} councils with the most claims of {len(councils)}"
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("council", overflow="ellipsis", no_wrap=True, max_width=34)
    if earlier:
        table.add_column(f"≤{earlier[-1]}", justify="right")
    for year in shown:
        table.add_column(year, justify="right")
    table.add_column("no period", justify="right")
    for key, _ in busiest:
        counts = digest.council_years.get(key, {})
        cells = ([str(sum(counts.get(y, 0) for y in earlier) or "")] if earlier else [])
        cells += [str(counts.get(y, 0) or "") for y in shown] + [str(counts.get(NO_YEAR, 0) or "")]
        table.add_row(Text(key[0]), *cells)
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
    rows = digest.flagged_rows
    items: list[Text] = [Text(f"Claims flagged for review ({digest.flagged}; still pending {digest.flagged_pending}, "
                              "most flags first)", style="bold")]
    for row in rows:
        items.append(claim_line(row))
    if digest.flagged_pending > len(rows):
        items.append(Text(f"... and {digest.flagged_pending - len(rows)} more pending: see claims.csv (column flags)"))
    if not digest.flagged_pending:
        items.append(Text("All flagged claims are reviewed."))
    return Group(*items)


def claim_line(row: dict[str, object]) -> Text:
    """"doc:line value unit [flags]" then the sentence with the number highlighted."""
    head = Text(f"{row['doc_id']}:{row['line']}  ", style="dim")
    head.append(f"{row['kind']} {_value(row)}", style="bold")
    head.append(f"  [{row['flags']}]", style="yellow")
    if present(row.get("review_status")):
        head.append(f"  {row['review_status']}", style="dim")
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


class ForkSafeStream:
    """A text stream (sys.stderr, say) whose writes and flushes hold a lock that this process also
    holds while it forks. CPython does not reset a stream's buffer lock in a forked child
    (python/cpython#84579): a worker forked while another thread (the progress display's refresh)
    was writing would start with that lock taken and hang on its first warning. Through this
    stream no thread is inside a write when a worker is forked."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        with _fork_lock:
            return self.stream.write(text)

    def flush(self) -> None:
        with _fork_lock:
            self.stream.flush()

    def __getattr__(self, name: str):  # isatty, fileno, encoding...: the stream's own
        return getattr(self.stream, name)


_fork_lock = threading.Lock()


def _renew_fork_lock() -> None:
    global _fork_lock
    _fork_lock = threading.Lock()  # the child's only thread is the one that forked


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=lambda: _fork_lock.acquire(), after_in_parent=lambda: _fork_lock.release(),
                        after_in_child=_renew_fork_lock)


def fork_safe(stream) -> ForkSafeStream:
    """`stream` written through ForkSafeStream (for consoles that a thread writes to)."""
    return stream if isinstance(stream, ForkSafeStream) else ForkSafeStream(stream)


def make_console(file=None) -> Console:
    """A console that is 100 columns wide when not a terminal (piped to a file), colour only on terminals."""
    console = Console(file=file)
    if not console.is_terminal:
        console = Console(file=file, width=100)
    return console
