"""Write outputs/claims.xlsx (claims, articles, column descriptions) from the claims table's chunks, with XlsxWriter.

The spreadsheet a person opens: numbers stored as numbers, dates as dates, and every other cell
written with write_string, so a title such as "=SUM(A1)" or "+44 ..." stays text and nothing can
execute. The header row is frozen, every sheet has an autofilter and set column widths.
XlsxWriter's constant_memory mode writes each row as it comes, so memory does not grow with the
corpus: the claims arrive chunk by chunk (the row groups of claims.parquet).
"""
from __future__ import annotations

import functools
import math
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import xlsxwriter
import xlsxwriter.workbook
from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

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
    book = ClaimsWorkbook(path, columns)
    try:
        for chunk in claims:
            book.append(chunk)
    except BaseException:
        book.discard()
        raise
    return book.close(articles)


class ClaimsWorkbook:
    """claims.xlsx written as the claims come, chunk by chunk (each chunk's rows as `render` makes
    them, or as given); `close` adds the "articles" and "columns" sheets and writes the file."""

    def __init__(self, path: Path, columns: ColumnDescriptions | None = None) -> None:
        self.columns = schema_columns() if columns is None else columns
        self.types = {name: dtype for name, dtype, _ in self.columns}
        self.workbook = _Workbook(str(path), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "default_date_format": "yyyy-mm-dd",
        })
        self.formats = _Formats(self.workbook)
        self.claims = _SheetWriter(self.workbook.add_worksheet("claims", _RowsWorksheet), self.formats)
        self.closed = False

    def start(self, frame: pd.DataFrame) -> None:
        """The claims sheet's header and column widths, from the first chunk (once)."""
        self.claims.start(frame)

    def render(self, frame: pd.DataFrame) -> list[RowXML]:
        """The claims sheet's XML of each row of `frame` (whose columns are the sheet's: the first
        frame started, appended or rendered gives them)."""
        self.claims.start(frame)
        return self.claims.render(frame, self.types)

    def append(self, frame: pd.DataFrame, rows: list[RowXML] | None = None) -> None:
        if rows is None:
            self.claims.append(frame, self.types)
        else:
            self.claims.append(frame, self.types, rows)

    def close(self, articles: pd.DataFrame | Iterable[pd.DataFrame]) -> int:
        """Add the articles and columns sheets, write the file; returns the claim rows written."""
        try:
            articles_sheet = _SheetWriter(self.workbook.add_worksheet("articles", _RowsWorksheet), self.formats)
            for chunk in [articles] if isinstance(articles, pd.DataFrame) else articles:
                articles_sheet.append(chunk, ARTICLE_COLUMN_TYPES)
            descriptions = pd.DataFrame(list(self.columns), columns=["column", "type", "description"])
            if self.claims.dropped:
                note = f"{self.claims.dropped} claim rows beyond Excel's row limit are not in this sheet: see claims.csv"
                descriptions.loc[len(descriptions)] = ["(note)", "", note]
            _SheetWriter(self.workbook.add_worksheet("columns", _RowsWorksheet), self.formats).append(descriptions, {})
            for sheet in (self.claims, articles_sheet):
                sheet.finish()
        finally:
            self.discard()
        return self.claims.rows

    def discard(self) -> None:
        """Close the workbook (once): after an error, whatever it holds is written and then dropped
        with the folder it is in."""
        if not self.closed:
            self.closed = True
            self.workbook.close()


# zlib's level for the workbook's parts. XlsxWriter deflates at zlib's default (6); level 1 takes a
# third of the time (0.14 s against 0.38 s for the BBC corpus's 22 MB claims sheet) for a file a
# quarter larger (3.2 MB against 2.6 MB), and the sheet is written on every run.
DEFLATE_LEVEL = 1


class _Workbook(xlsxwriter.Workbook):
    """XlsxWriter's workbook, its parts deflated at DEFLATE_LEVEL."""

    def _store_workbook(self) -> None:
        # XlsxWriter opens its ZipFile by the name its module imported; compresslevel is the one
        # thing changed, and only while this workbook is stored
        original = xlsxwriter.workbook.ZipFile
        xlsxwriter.workbook.ZipFile = functools.partial(original, compresslevel=DEFLATE_LEVEL)
        try:
            super()._store_workbook()
        finally:
            xlsxwriter.workbook.ZipFile = original


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.text = workbook.add_format({"num_format": "@"})  # text-formatted: Excel will not reinterpret an edit
        # the formats of rows' cells, each with its mark in a row's XML (the same in every workbook)
        self.marked = [self.text, self.date, self.datetime]


class _SheetWriter:
    """One worksheet written chunk by chunk: header, widths and frozen pane from the first chunk."""

    def __init__(self, sheet: "_RowsWorksheet", formats: _Formats) -> None:
        self.sheet = sheet
        self.formats = formats
        sheet._marks = list(formats.marked)
        self.header: list[str] | None = None
        self.rows = 0
        self.dropped = 0

    def append(self, frame: pd.DataFrame, types: dict[str, str], rows: list[RowXML] | None = None) -> None:
        """The frame's rows, as `render` makes them or as given (`rows`, made by render before: the
        caller may keep them, since a row's XML holds neither its number nor its formats' indices)."""
        self.start(frame)
        keep = max(0, min(len(frame), MAX_ROWS - 1 - self.rows))
        self.dropped += len(frame) - keep
        if not keep:
            return
        rows = self.render(frame.iloc[:keep], types) if rows is None else rows[:keep]
        self.sheet.write_row_xml(self.rows + 1, rows)
        self.rows += keep

    def render(self, frame: pd.DataFrame, types: dict[str, str]) -> list[RowXML]:
        """Each row's XML (see _RowsWorksheet.row_xml), in the header's columns (`start` first)."""
        assert self.header is not None
        # A text cell's XML is made once per distinct text in the chunk (an article's title and
        # sentence repeat on every claim of it); the cache lives for one chunk, so memory is flat.
        texts: dict[str, str] = {}
        columns = [self._column(frame[name] if name in frame.columns else None, types.get(name, "string"), texts)
                   for name in self.header]
        return self.sheet.row_xml(len(frame), columns)

    def finish(self) -> None:
        if self.header:
            self.sheet.autofilter(0, 0, max(self.rows, 1), len(self.header) - 1)

    def start(self, frame: pd.DataFrame) -> None:
        """Header, widths and frozen pane from the first frame (once)."""
        if self.header is not None:
            return
        self.header = [str(c) for c in frame.columns]
        sample = frame.head(WIDTH_SAMPLE)
        for col, name in enumerate(self.header):
            lengths = sample[name].dropna().astype(str).str.len()
            longest = int(lengths.max()) if len(lengths) else 0
            self.sheet.set_column(col, col, max(MIN_WIDTH, min(MAX_WIDTH, max(longest, len(name)) + 2)))
        self.sheet.freeze_panes(1, 0)
        for col, name in enumerate(self.header):
            self.sheet.write_string(0, col, name, self.formats.header)

    def _column(self, series: pd.Series | None, kind: str, texts: dict[str, object]) -> list:
        """The XML of every cell of one column (None: a blank cell, not written). Arrow-backed text
        is dictionary-encoded, so each distinct value is made into a Python string and a cell once."""
        if series is None:
            return [None]
        if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
            encoded = pa.chunked_array([pa.array(series)]).combine_chunks().dictionary_encode()
            cells = [self._cell(value, kind, texts) for value in encoded.dictionary.to_pylist()] + [None]
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            return [cells[code] for code in codes.tolist()]
        # Numbers and anything else: each distinct value made into a cell once too (pandas' factorize;
        # missing values, NaN included, are code -1: no cell).
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        cells = [self._cell(value, kind, texts) for value in uniques.tolist()] + [None]
        return [cells[code] for code in codes.tolist()]

    def _cell(self, value: object, kind: str, texts: dict[str, str]) -> str:
        if kind in ("int", "float"):
            number = _number(value)
            if number is not None:
                return self.sheet.number_cell(number)
        elif kind in ("date", "datetime"):
            when = _when(value)
            if when is not None:
                fmt = self.formats.datetime if isinstance(when, datetime) else self.formats.date
                return self.sheet.datetime_cell(when, fmt)
        # Text, and any value that does not parse as its column's type: kept as written, as text.
        text = str(value)
        cell = texts.get(text)
        if cell is None:
            cell = texts[text] = self.sheet.string_cell(text, self.formats.text)
        return cell


# A row's XML as _RowsWorksheet.row_xml makes it: the cells after `<row r="N">`, with ROW_NUMBER where
# the row's number goes and FORMAT_MARKS[k] where the k-th format's index goes (both control characters,
# which XlsxWriter escapes in any text, so they stand only for themselves); and its first and last column.
RowXML = tuple[str, int, int]
ROW_NUMBER = "\x00"
FORMAT_MARKS = "\x01\x02\x03\x04\x05\x06\x07\x08"


class _RowsWorksheet(Worksheet):
    """XlsxWriter's worksheet (constant_memory mode) with `row_xml` and `write_row_xml`: a chunk's
    rows written as the XML that its write_number / write_datetime / write_string calls would
    write, byte for byte, with none of their per-cell dispatch (3 s of the 4.3 s publish of 400
    articles went there). It uses XlsxWriter internals, so the version is pinned
    (requirements.lock) and tests/tables/test_xlsx.py compares the sheet XML with the one
    XlsxWriter writes itself.

    A cell is the XML after `<c r="A2"`. A row's XML holds no row number and no format index,
    only marks for them (RowXML), so the same row's XML serves any place in any workbook: the
    formats get their index at their first use, row by row, left to right, as XlsxWriter gives it."""

    def number_cell(self, number: float) -> str:
        return f"><v>{number:.16G}</v></c>"

    def datetime_cell(self, when: date | datetime, cell_format) -> str:
        return self._formatted(cell_format, f"><v>{self._convert_date_time(when):.16G}</v></c>")

    def string_cell(self, string: str, cell_format) -> str:
        if len(string) > self.xls_strmax // 2 and _utf16_len(string) > self.xls_strmax:
            string = _utf16_truncate(string, self.xls_strmax)  # as write_string does, past 32,767
        string = self._escape_control_characters(string)
        if string.startswith("<r>") and string.endswith("</r>"):  # XlsxWriter writes these as rich text
            return self._formatted(cell_format, f' t="inlineStr"><is>{string}</is></c>')
        preserve = ' xml:space="preserve"' if _preserve_whitespace(string) else ""
        return self._formatted(cell_format, f' t="inlineStr"><is><t{preserve}>{self._escape_data(string)}</t></is></c>')

    def _formatted(self, cell_format, rest: str) -> str:
        marks = self.__dict__.setdefault("_marks", [])  # this sheet's formats, by mark
        if cell_format not in marks:
            marks.append(cell_format)
        return f' s="{FORMAT_MARKS[marks.index(cell_format)]}"{rest}'

    def row_xml(self, count: int, columns: list[list]) -> list[RowXML]:
        """The XML of `count` rows from `columns`: one list of cells per column, `count` long, or
        [None] for a column blank throughout (a row with no cell: ("", -1, -1))."""
        columns = [cells if len(cells) == count else cells * count for cells in columns]
        names = [f'<c r="{xl_col_to_name(col)}{ROW_NUMBER}"' for col in range(len(columns))]
        rows = []
        for cells in zip(*columns):
            used = [col for col, cell in enumerate(cells) if cell is not None]
            if not used:
                rows.append(("", -1, -1))
                continue
            # one join per row, so a long text is copied once, not into its cell and then the row
            rows.append(("".join([part for col in used for part in (names[col], cells[col])]), used[0], used[-1]))
        return rows

    def write_row_xml(self, first_row: int, rows: list[RowXML]) -> None:
        """`rows` (row_xml's) from first_row on."""
        assert self.constant_memory
        if first_row > self.previous_row:
            self._write_single_row(first_row)  # the row XlsxWriter holds back (the header)
        marks = self.__dict__.setdefault("_marks", [])
        indices: dict[str, str] = {}  # a format's mark -> its index
        write = self.fh.write
        written: list[int] = []
        first_col = last_col = None
        for offset, (xml, first, last) in enumerate(rows):
            if not xml:
                continue
            number = first_row + offset + 1
            if len(indices) < len(marks):
                self._index_marks(xml, marks, indices)
            written.append(number - 1)
            first_col = first if first_col is None else min(first_col, first)
            last_col = last if last_col is None else max(last_col, last)
            write(f'<row r="{number}">')
            # str.replace per mark, not str.translate: translate looks every character up in a dict
            xml = xml.replace(ROW_NUMBER, str(number))
            for mark, index in indices.items():
                xml = xml.replace(mark, index)
            write(xml)
            write("</row>")
        if written:
            self._check_dimensions(written[0], first_col)
            self._check_dimensions(written[-1], last_col)
        self.previous_row = first_row + len(rows) - 1  # nothing held back: the rows are written

    @staticmethod
    def _index_marks(xml: str, marks: list, indices: dict[str, str]) -> None:
        """Give the formats whose marks this row holds their index, in the order the row uses them
        first (XlsxWriter gives a format its index at its first use)."""
        found = sorted((at, n) for n, mark in enumerate(FORMAT_MARKS[:len(marks)])
                       if mark not in indices and (at := xml.find(mark)) >= 0)
        for _, n in found:
            indices[FORMAT_MARKS[n]] = str(marks[n]._get_xf_index())

    def _write_optimized_sheet_data(self) -> None:
        """XlsxWriter's, but the rows' temp file is copied into the sheet as bytes, not read back
        as text and encoded again (100 MB of XML for one article with 5,000 claims)."""
        if self.dim_rowmin is None or not hasattr(self.fh, "buffer"):
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.row_data_fh.flush()
        self.fh.flush()
        with open(self.row_data_filename, "rb") as rows:
            shutil.copyfileobj(rows, self.fh.buffer, 1 << 20)
        self.row_data_fh.close()
        os.unlink(self.row_data_filename)
        self._xml_end_tag("sheetData")

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


def read_articles(path: Path) -> pd.DataFrame | Iterable[pd.DataFrame]:
    """articles.csv for the articles sheet, in chunks (an empty frame when there is none)."""
    if not path.exists():
        return pd.DataFrame(columns=["doc_id"])
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], chunksize=20_000)


def write_claims_xlsx(out_dir: Path, path: Path | None = None, columns: ColumnDescriptions | None = None, *,
                      articles: Path | None = None) -> Path:
    """claims.xlsx for the outputs in `out_dir` (claims.parquet's row groups, and articles.csv
    there or at `articles`); column kinds and descriptions from pipeline/schema.py."""
    path = path or out_dir / "claims.xlsx"
    columns = schema_columns() if columns is None else columns
    write_xlsx(table_in_chunks(out_dir), read_articles(articles or out_dir / "articles.csv"), columns, path)
    return path
