"""One claim as the reviewer sees it: the article, the sentence with the number highlighted, the fields."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.io.texts import article_text
from pipeline.tables.cells import present, text_of


CONTEXT_CHARS = 400  # of a paragraph or a line naming the council
# Words a council's name ends with that an article often leaves out ("Kent" for Kent County Council).
_NAME_ENDINGS = re.compile(r"\s+(?:(?:county|city|borough|district|metropolitan borough|royal borough)\s+)?council$", re.I)


def claim_context(claim: pd.Series, out_dir: Path | None) -> tuple[str, str] | None:
    """What a council link from beyond the sentence rests on: the paragraph (link_basis paragraph) or
    the lines of the article that name the council (link_basis article), as (label, text). None for
    other links, or when the article's text cannot be read any more."""
    basis = text_of(claim.get("link_basis"))
    if basis not in ("paragraph", "article") or out_dir is None or not present(claim.get("sentence_start")):
        return None
    text = article_text(claim.to_dict(), Path(out_dir))
    if text is None:
        return None
    at = int(claim["sentence_start"])
    if basis == "paragraph":
        start = text.rfind("\n\n", 0, at)
        end = text.find("\n\n", at)
        paragraph = " ".join(text[start + 1 if start >= 0 else 0 : end if end >= 0 else len(text)].split())
        return "paragraph", _cut(paragraph)
    name = text_of(claim.get("machine_council_name")) or text_of(claim.get("council_name"))
    core = _NAME_ENDINGS.sub("", name).strip().lower()
    if not core:
        return None
    lines = [" ".join(line.split()) for line in text.splitlines() if core in line.lower()]
    if not lines:
        return None
    return "council named in the article", _cut(" / ".join(lines[:2]))


def _cut(text: str) -> str:
    return text if len(text) <= CONTEXT_CHARS else text[:CONTEXT_CHARS] + "…"


def render_claim(claim: pd.Series, position: int = 0, total: int = 1,
                 context: tuple[str, str] | None = None) -> Panel:
    """One claim as the reviewer sees it: the sentence with the number highlighted, then its fields;
    `context` (label, text) is what a paragraph or article council link rests on (claim_context)."""
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
    council = _council(claim.get("council_name"), claim.get("council_code"))
    if "machine_council_code" in claim.index and text_of(claim.get("machine_council_code")) != text_of(claim.get("council_code")):
        council = (council or "none") + f"  (machine: {_council(claim.get('machine_council_name'), claim.get('machine_council_code')) or 'none'})"
    council_detail = ", ".join(p for p in (text_of(claim.get("scope")), text_of(claim.get("link_basis"))) if p)
    period = "..".join(p for p in (text_of(claim.get("period_start")), text_of(claim.get("period_end"))) if p)
    period_detail = ", ".join(p for p in (text_of(claim.get("period_text")), text_of(claim.get("period_basis"))) if p)
    rows = [
        ("value", value),
        ("kind", text_of(claim.get("kind")) or "—"),
        ("measure", text_of(claim.get("measure")) or "—"),
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
    if not published and present(claim.get("published_latest")):
        published = f"~{text_of(claim.get('published_latest'))}"  # not stated: the latest date the text allows
    header = Text(f"{title}" + (f"  ·  {published}" if published else ""), style="bold")
    body = Table.grid()
    body.add_row(header)
    body.add_row(Text(text_of(claim.get("section")) or "", style="dim"))
    body.add_row(sentence)
    if context is not None:
        body.add_row(Text(""))
        body.add_row(Text.assemble((f"{context[0]}: ", "bold"), (context[1], "dim")))
    body.add_row(Text(""))
    body.add_row(grid)
    subtitle = f"{position + 1}/{total}  {text_of(claim.get('claim_id'))}"
    return Panel(body, title="claim", subtitle=escape(subtitle), subtitle_align="right")


def _council(name: object, code: object) -> str:
    return " ".join(p for p in (text_of(name), f"[{text_of(code)}]" if present(code) else "") if p)


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
