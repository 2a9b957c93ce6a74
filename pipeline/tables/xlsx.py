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

from pipeline.schema import TABLES
from pipeline.tables.files import table_in_chunks

# (column, dtype, description); dtype is int | float | date | datetime | string.
ColumnDescriptions = Sequence[tuple[str, str, str]]

MAX_ROWS = 1_048_576  # Excel's sheet limit, header included
MAX_WIDTH, MIN_WIDTH = 60, 8
WIDTH_SAMPLE = 200  # rows of the first chunk looked at to size the columns
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# The schema's Frictionless field types as the sheet's cell kinds.
_KINDS = {"integer": "int", "number": "float", "date": "date", "string": "string"}


def schema_columns(table: str = "claims") -> list[tuple[str, str, str]]:
    """(column, cell kind, description) for every column of `table` in pipeline/schema.py."""
    return [(c.name, _KINDS.get(c.type, "string"), c.description) for c in TABLES[table].columns]


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


def write_claims_xlsx(out_dir: Path, path: Path | None = None, columns: ColumnDescriptions | None = None, *,
                      articles: Path | None = None) -> Path:
    """claims.xlsx for the outputs in `out_dir` (claims.parquet's row groups, and articles.csv
    there or at `articles`); column kinds and descriptions from pipeline/schema.py."""
    path = path or out_dir / "claims.xlsx"
    columns = schema_columns() if columns is None else columns
    articles_csv = articles or out_dir / "articles.csv"
    articles = (pd.read_csv(articles_csv, dtype=str, keep_default_na=False, na_values=[""], chunksize=20_000)
                if articles_csv.exists() else pd.DataFrame(columns=["doc_id"]))
    write_xlsx(table_in_chunks(out_dir), articles, columns, path)
    return path
