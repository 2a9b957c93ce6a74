"""Write outputs/claims.xlsx (claims, articles, column descriptions) from the claims table's chunks, with XlsxWriter.

The spreadsheet a person opens: numbers stored as numbers, dates as dates, and every other cell
written with write_string, so a title such as "=SUM(A1)" or "+44 ..." stays text and nothing can
execute. The header row is frozen, every sheet has an autofilter and set column widths.
XlsxWriter's constant_memory mode writes each row as it comes, so memory does not grow with the
corpus: the claims arrive chunk by chunk (the row groups of claims.parquet).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

# (column, dtype, description); dtype is int | float | date | datetime | string.
ColumnDescriptions = Sequence[tuple[str, str, str]]

MAX_ROWS = 1_048_576  # Excel's sheet limit, header included
MAX_WIDTH, MIN_WIDTH = 60, 8
WIDTH_SAMPLE = 200  # rows of the first chunk looked at to size the columns
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Until pipeline/schema.py holds them: the claims columns (README's "Columns" table, shortened) and
# the articles.csv columns. Columns not listed (meta_*, machine_*) are written as text.
CLAIM_COLUMN_DESCRIPTIONS: list[tuple[str, str, str]] = [
    ("claim_id", "string", "16 hex digits, stable across re-runs of an unchanged article"),
    ("doc_id", "string", "the file stem, or the id field of a JSONL/CSV row"),
    ("source_path", "string", "the input file; file:LINE for a JSONL line or CSV row"),
    ("line", "int", "1-based line of char_start in the source text"),
    ("char_start", "int", "Unicode offset of the number in the source text"),
    ("char_end", "int", "end offset: text == source[char_start:char_end]"),
    ("text", "string", "the number as written in the source"),
    ("sentence", "string", "the source sentence containing it"),
    ("kind", "string", "money | percent | count | ratio | quantity"),
    ("value", "float", "the normalised number (12000000 for £12 million; 28.4 for 28.4%)"),
    ("unit", "string", "GBP, USD, EUR, %, pp, or a quantulum3 unit name; empty for counts and ratios"),
    ("measure", "string", "what is counted or spent on, best effort"),
    ("qualifier", "string", "approximately, more than, up to, ..."),
    ("per", "string", "year, month, head, household, ... ('£400 a year')"),
    ("change_id", "string", "shared by the two ends of a range or change"),
    ("role", "string", "low/high (range) or from/to (change)"),
    ("council_code", "string", "GSS code of the council the figure is about"),
    ("council_name", "string", "official name of that council"),
    ("scope", "string", "council | national | other | unknown"),
    ("link_basis", "string", "sentence | paragraph | article | none: which rule linked the council"),
    ("period_start", "date", "first day the figure refers to"),
    ("period_end", "date", "last day the figure refers to"),
    ("period_text", "string", "the words the period came from"),
    ("period_basis", "string", "explicit | relative | publication | none"),
    ("published", "date", "the article's publication date, if known"),
    ("attribution", "string", "who states the figure, best effort"),
    ("section", "string", "headline | body"),
    ("confidence", "float", "0-1: the finder rule's confidence, lowered for weak council or period links"),
    ("flags", "string", "';'-separated reasons to look (no_council, no_period, bound, ...)"),
    ("published_basis", "string", "metadata | byline | inferred | none"),
    ("published_earliest", "date", "earliest publication date the text allows"),
    ("published_latest", "date", "latest publication date the text allows"),
    ("group_id", "string", "shared by a headline figure and the body figure stating the same fact"),
    ("rule", "string", "the finder rule that produced the number"),
    ("encoding", "string", "the input's text encoding"),
    ("title", "string", "the article's title"),
    ("text_path", "string", "HTML/JSONL/CSV inputs: the saved article text the offsets index"),
    ("review_status", "string", "pending | accepted | rejected | corrected"),
    ("review_note", "string", "the latest review decision's note"),
    ("reviewer", "string", "who made the latest decision"),
    ("reviewed_at", "datetime", "when (UTC)"),
    ("machine_value", "float", "the pipeline's own value, kept beside a reviewer's correction"),
    ("machine_period_start", "date", "the pipeline's own period start"),
    ("machine_period_end", "date", "the pipeline's own period end"),
    ("consistency_note", "string", "why a consistency flag was raised"),
]
ARTICLE_COLUMN_TYPES = {"published": "date", "published_earliest": "date", "published_latest": "date",
                        "claims": "int", "flagged": "int"}


def write_xlsx(claims: Iterable[pd.DataFrame], articles: pd.DataFrame | Iterable[pd.DataFrame],
               columns: ColumnDescriptions, path: Path) -> int:
    """Write claims.xlsx at `path`: sheet "claims" from the chunks, "articles", and "columns" (the
    descriptions). Returns the number of claim rows written (short of the total only past Excel's
    row limit, which the "columns" sheet then states)."""
    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "default_date_format": "yyyy-mm-dd",
    })
    formats = _Formats(workbook)
    types = {name: dtype for name, dtype, _ in columns}
    try:
        claims_sheet = _SheetWriter(workbook.add_worksheet("claims"), formats)
        for chunk in claims:
            claims_sheet.append(chunk, types)
        articles_sheet = _SheetWriter(workbook.add_worksheet("articles"), formats)
        for chunk in [articles] if isinstance(articles, pd.DataFrame) else articles:
            articles_sheet.append(chunk, ARTICLE_COLUMN_TYPES)
        descriptions = pd.DataFrame(list(columns), columns=["column", "type", "description"])
        if claims_sheet.dropped:
            note = f"{claims_sheet.dropped} claim rows beyond Excel's row limit are not in this sheet: see claims.csv"
            descriptions.loc[len(descriptions)] = ["(note)", "", note]
        _SheetWriter(workbook.add_worksheet("columns"), formats).append(descriptions, {})
        for sheet in (claims_sheet, articles_sheet):
            sheet.finish()
    finally:
        workbook.close()
    return claims_sheet.rows


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.text = workbook.add_format({"num_format": "@"})  # text-formatted: Excel will not reinterpret an edit


class _SheetWriter:
    """One worksheet written row by row: header, widths and frozen pane from the first chunk."""

    def __init__(self, sheet, formats: _Formats) -> None:
        self.sheet = sheet
        self.formats = formats
        self.header: list[str] | None = None
        self.rows = 0
        self.dropped = 0

    def append(self, frame: pd.DataFrame, types: dict[str, str]) -> None:
        if self.header is None:
            self._start(frame)
        assert self.header is not None
        kinds = [types.get(c, "string") for c in self.header]
        records = frame.reindex(columns=self.header).astype(object).itertuples(index=False, name=None)
        for record in records:
            if self.rows + 1 >= MAX_ROWS:
                self.dropped += 1
                continue
            self.rows += 1
            for col, (value, kind) in enumerate(zip(record, kinds)):
                self._cell(self.rows, col, value, kind)

    def finish(self) -> None:
        if self.header:
            self.sheet.autofilter(0, 0, max(self.rows, 1), len(self.header) - 1)

    def _start(self, frame: pd.DataFrame) -> None:
        self.header = [str(c) for c in frame.columns]
        sample = frame.head(WIDTH_SAMPLE)
        for col, name in enumerate(self.header):
            lengths = sample[name].dropna().astype(str).str.len()
            longest = int(lengths.max()) if len(lengths) else 0
            self.sheet.set_column(col, col, max(MIN_WIDTH, min(MAX_WIDTH, max(longest, len(name)) + 2)))
        self.sheet.freeze_panes(1, 0)
        for col, name in enumerate(self.header):
            self.sheet.write_string(0, col, name, self.formats.header)

    def _cell(self, row: int, col: int, value: object, kind: str) -> None:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return
        if kind in ("int", "float"):
            number = _number(value)
            if number is not None:
                self.sheet.write_number(row, col, number)
                return
        elif kind in ("date", "datetime"):
            when = _when(value)
            if when is not None:
                fmt = self.formats.datetime if isinstance(when, datetime) else self.formats.date
                self.sheet.write_datetime(row, col, when, fmt)
                return
        # Text, and any value that does not parse as its column's type: kept as written, as text.
        self.sheet.write_string(row, col, str(value), self.formats.text)


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _when(value: object) -> date | datetime | None:
    """An ISO date as a date; a timestamp as a naive UTC datetime (Excel has no time zones)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else pd.Timestamp(value).tz_convert("UTC").tz_localize(None).to_pydatetime()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    stamp = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
    if pd.isna(stamp):
        return None
    return stamp.tz_localize(None).to_pydatetime()


def write_claims_xlsx(out_dir: Path, path: Path | None = None,
                      columns: ColumnDescriptions = CLAIM_COLUMN_DESCRIPTIONS) -> Path:
    """claims.xlsx for the outputs in `out_dir` (claims.parquet's row groups, articles.csv)."""
    from pipeline.tables.finalize import table_in_chunks

    path = path or out_dir / "claims.xlsx"
    articles_csv = out_dir / "articles.csv"
    articles = (pd.read_csv(articles_csv, dtype=str, keep_default_na=False, na_values=[""], chunksize=20_000)
                if articles_csv.exists() else pd.DataFrame(columns=["doc_id"]))
    write_xlsx(table_in_chunks(out_dir), articles, columns, path)
    return path
