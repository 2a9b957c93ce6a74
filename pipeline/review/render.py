"""One claim as the reviewer sees it: the article, the sentence with the number highlighted, the fields."""
from __future__ import annotations

import pandas as pd
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.tables.cells import present, text_of


def render_claim(claim: pd.Series, position: int = 0, total: int = 1) -> Panel:
    """One claim as the reviewer sees it: the sentence with the number highlighted, then its fields."""
    sentence = Text(text_of(claim.get("sentence")) or text_of(claim.get("text")))
    start = claim.get("sentence_offset")
    if present(start) and present(claim.get("sentence")):
        sentence.stylize("bold black on yellow", int(start), int(start) + len(text_of(claim.get("text"))))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    machine = claim.get("machine_value")
    value = _format_value(claim)
    if present(machine) and present(claim.get("value")) and float(machine) != float(claim["value"]):
        value += f"  (machine: {float(machine):,.10g})"
    council = " ".join(p for p in (text_of(claim.get("council_name")), f"[{text_of(claim.get('council_code'))}]" if present(claim.get("council_code")) else "") if p)
    council_detail = ", ".join(p for p in (text_of(claim.get("scope")), text_of(claim.get("link_basis"))) if p)
    period = "..".join(p for p in (text_of(claim.get("period_start")), text_of(claim.get("period_end"))) if p)
    period_detail = ", ".join(p for p in (text_of(claim.get("period_text")), text_of(claim.get("period_basis"))) if p)
    rows = [
        ("value", value),
        ("kind", " ".join(p for p in (text_of(claim.get("kind")), text_of(claim.get("measure"))) if p)),
        ("council", f"{council or '—'}  ({council_detail})" if council_detail else council or "—"),
        ("period", f"{period or '—'}  ({period_detail})" if period_detail else period or "—"),
        ("attribution", text_of(claim.get("attribution")) or "—"),
        ("flags", text_of(claim.get("flags")) or "—"),
    ]
    if present(claim.get("consistency_note")):
        rows.append(("why", text_of(claim.get("consistency_note"))))
    rows.append(("status", text_of(claim.get("review_status")) or "pending"))
    if present(claim.get("review_note")):
        rows.append(("note", text_of(claim.get("review_note"))))
    for label, text in rows:
        grid.add_row(label, Text(text))
    title = text_of(claim.get("title")) or text_of(claim.get("doc_id"))
    published = text_of(claim.get("published"))
    header = Text(f"{title}" + (f"  ·  {published}" if published else ""), style="bold")
    body = Table.grid()
    body.add_row(header)
    body.add_row(Text(text_of(claim.get("section")) or "", style="dim"))
    body.add_row(sentence)
    body.add_row(Text(""))
    body.add_row(grid)
    subtitle = f"{position + 1}/{total}  {text_of(claim.get('claim_id'))}"
    return Panel(body, title="claim", subtitle=escape(subtitle), subtitle_align="right")


def _format_value(claim: pd.Series) -> str:
    value = claim.get("value")
    if not present(value):
        return "—"
    unit = text_of(claim.get("unit"))
    number = f"{float(value):,.10g}"
    parts = [text_of(claim.get("qualifier")), number + ("%" if unit == "%" else ""), "" if unit == "%" else unit]
    if present(claim.get("per")):
        parts.append(f"per {text_of(claim.get('per'))}")
    return " ".join(p for p in parts if p)
