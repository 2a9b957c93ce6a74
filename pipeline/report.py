"""Render the terminal report from outputs/ (claims, articles.csv, errors.csv) with rich; no NLP.

Readable at 100 columns and when piped: rich drops colour codes when the output is not a terminal.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.table import ARTICLE_COLUMNS, ERROR_COLUMNS, read_claims, read_optional_csv

MAX_FLAGGED = 25


def render_report(out_dir: Path, console: Console, *, max_flagged: int = MAX_FLAGGED) -> None:
    """Print the whole report for the run whose outputs are in `out_dir`."""
    claims = read_claims(out_dir)
    articles = read_optional_csv(out_dir / "articles.csv", ARTICLE_COLUMNS)
    errors = read_optional_csv(out_dir / "errors.csv", ERROR_COLUMNS)
    console.print(summary_panel(claims, articles, errors))
    console.print(articles_table(articles))
    console.print(councils_table(claims))
    failed = errors[errors["status"] == "failed"] if len(errors) else errors
    if len(failed):
        console.print(failures_table(failed))
    renamed = articles[articles["duplicate_of"].notna()] if "duplicate_of" in articles else articles.iloc[0:0]
    if len(renamed):
        pairs = ", ".join(f"{r['duplicate_of']} -> {r['doc_id']}" for r in renamed.head(5).to_dict("records"))
        console.print(f"[yellow]{len(renamed)} repeated doc_id(s) made unique:[/] {pairs}", soft_wrap=False)
    console.print(review_panel(claims, out_dir))
    console.print(flagged_claims(claims, max_flagged))


def review_panel(claims: pd.DataFrame, out_dir: Path) -> Panel:
    """Review progress, orphaned decisions and the consistency checks."""
    from pipeline.consistency import consistency_summary

    lines = []
    if "review_status" in claims.columns and len(claims):
        status = claims["review_status"].fillna("pending").value_counts().to_dict()
        lines.append("review: " + ", ".join(f"{k} {status.get(k, 0)}" for k in ("pending", "accepted", "corrected", "rejected")))
    orphaned = out_dir / "orphaned_reviews.csv"
    count = len(pd.read_csv(orphaned, dtype=str)) if orphaned.exists() and orphaned.stat().st_size else 0
    if count:
        lines.append(f"[yellow]{count} decision(s) refer to claims that no longer exist: {orphaned}[/]")
    summary = consistency_summary(claims)
    flags = summary["flagged_claims"]
    lines.append("consistency: " + (", ".join(f"{k} {v}" for k, v in flags.items()) or "no checks"))
    for note in (summary.get("notes") or [])[:5]:
        lines.append(f"  {escape(str(note))}")
    return Panel("\n".join(lines), title="review", expand=False)


def summary_panel(claims: pd.DataFrame, articles: pd.DataFrame, errors: pd.DataFrame) -> Panel:
    failed = int((errors["status"] == "failed").sum()) if len(errors) else 0
    processed = len(articles)
    flagged = int((claims["flags"].fillna("") != "").sum()) if len(claims) else 0
    kinds = claims["kind"].value_counts().to_dict() if len(claims) else {}
    lines = [
        f"inputs {processed + failed} = processed {processed} + failed {failed}",
        f"claims {len(claims)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items())) or 'none'})",
        f"flagged for review {flagged}; articles without claims "
        f"{int((articles['status'] == 'no_claims').sum()) if len(articles) else 0}",
    ]
    return Panel("\n".join(lines), title="council-claims", expand=False)


def articles_table(articles: pd.DataFrame) -> Table:
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
        table.add_row(str(row["doc_id"]), published, str(row["council_name"] or "—"), str(row["claims"]),
                      str(dropped), str(row["title"]))
    table.caption = "published ~date: not stated; the latest date the text allows. dropped: boilerplate blocks"
    return table


def councils_table(claims: pd.DataFrame) -> Table:
    table = Table(title="Councils", title_justify="left", expand=False)
    table.add_column("council", overflow="fold", max_width=34)
    table.add_column("code", no_wrap=True)
    table.add_column("claims", justify="right")
    table.add_column("money mentioned", justify="right")
    table.add_column("periods", no_wrap=True)
    if not len(claims):
        return table
    frame = claims.copy()
    frame["council_name"] = frame["council_name"].fillna("(" + frame["scope"].fillna("unknown") + ")")
    frame["council_code"] = frame["council_code"].fillna("")
    for (name, code), group in frame.groupby(["council_name", "council_code"], sort=True, dropna=False):
        money = group[(group["kind"] == "money") & (group["unit"] == "GBP")]["value"]
        starts, ends = group["period_start"].dropna(), group["period_end"].dropna()
        periods = f"{starts.min()[:7]}..{ends.max()[:7]}" if len(starts) and len(ends) else "—"
        table.add_row(str(name), str(code), str(len(group)), _money(money.sum()) if len(money) else "—", periods)
    return table


def failures_table(failed: pd.DataFrame) -> Table:
    table = Table(title="Inputs that failed (errors.csv)", title_justify="left", expand=False)
    table.add_column("input", overflow="fold", max_width=40)
    table.add_column("reason", overflow="fold", max_width=56)
    for row in failed.fillna("").to_dict("records"):
        table.add_row(str(row["source_path"]), str(row["reason"]))
    return table


def flagged_claims(claims: pd.DataFrame, limit: int) -> Group | Text:
    flagged = claims[claims["flags"].fillna("") != ""] if len(claims) else claims
    if not len(flagged):
        return Text("No claims flagged for review.")
    items: list[Text] = [Text(f"Claims flagged for review ({len(flagged)})", style="bold")]
    for row in flagged.head(limit).to_dict("records"):
        items.append(claim_line(row))
    if len(flagged) > limit:
        items.append(Text(f"... and {len(flagged) - limit} more: see claims.csv (column flags)"))
    return Group(*items)


def claim_line(row: dict[str, object]) -> Text:
    """"doc:line value unit [flags]" then the sentence with the number highlighted."""
    head = Text(f"{row['doc_id']}:{row['line']}  ", style="dim")
    head.append(f"{row['kind']} {_value(row)}", style="bold")
    head.append(f"  [{row['flags']}]", style="yellow")
    sentence = str(row["sentence"] or "")
    text = str(row["text"] or "")
    body = Text("    " + _shorten(sentence, text))
    at = body.plain.find(text)
    if text and at >= 0:
        body.stylize("bold reverse", at, at + len(text))
    return Text.assemble(head, "\n", body)


def _shorten(sentence: str, number: str, width: int = 180) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= width:
        return sentence
    at = max(sentence.find(number), 0)
    start = max(0, at - width // 2)
    return ("…" if start else "") + sentence[start : start + width] + "…"


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
