"""claims.xlsx read back with openpyxl: typed cells, no formulas, frozen header, autofilter, three sheets."""
import math
import re
import zipfile
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
import xlsxwriter.workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.tables import xlsx
from pipeline.tables.xlsx import schema_columns, write_xlsx

CLAIM_COLUMN_DESCRIPTIONS = schema_columns()

COLUMNS = [("claim_id", "string", "id"), ("value", "float", "the number"), ("line", "int", "line"),
           ("period_start", "date", "start"), ("reviewed_at", "datetime", "when"), ("title", "string", "title")]


def _claims(**overrides):
    row = {"claim_id": "00aa", "value": 12_000_000.0, "line": 3, "period_start": "2017-04-01",
           "reviewed_at": "2026-01-02T10:30:00+00:00", "title": "Council asks for £12m"}
    row.update(overrides)
    return pd.DataFrame([row])


def _articles():
    return pd.DataFrame([{"doc_id": "a1", "title": "A headline", "published": "2017-09-18", "claims": "4"}])


def _written(tmp_path, claims, columns=COLUMNS):
    path = tmp_path / "claims.xlsx"
    write_xlsx([claims] if isinstance(claims, pd.DataFrame) else claims, _articles(), columns, path)
    return openpyxl.load_workbook(path)


def _cell(book, column, row=2, sheet="claims"):
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    return ws.cell(row=row, column=header.index(column) + 1)


@pytest.mark.parametrize("column,value,data_type,expected", [
    ("value", 12_000_000.0, "n", 12_000_000),
    ("line", 3, "n", 3),
    ("period_start", "2017-04-01", "d", datetime(2017, 4, 1)),
    ("reviewed_at", "2026-01-02T10:30:00+00:00", "d", datetime(2026, 1, 2, 10, 30)),
    ("period_start", "sometime", "s", "sometime"),  # not a date: kept as written, as text
    ("title", "=SUM(A1:A9)", "s", "=SUM(A1:A9)"),  # a formula-looking title is text, never a formula
    ("title", "+44 1603 000000", "s", "+44 1603 000000"),
    ("title", "@cmd", "s", "@cmd"),
    ("title", "0012", "s", "0012"),  # text stays text even when it looks like a number
    ("claim_id", "1e10", "s", "1e10"),
    ("title", "https://example.org/a", "s", "https://example.org/a"),  # not turned into a hyperlink
])
def test_cells_are_typed(tmp_path, column, value, data_type, expected):
    cell = _cell(_written(tmp_path, _claims(**{column: value})), column)
    assert (cell.data_type, cell.value) == (data_type, expected)
    assert cell.hyperlink is None


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA])
def test_missing_values_are_blank(tmp_path, value):
    claims = _claims(value=value).astype({"value": "Float64"}) if value is pd.NA else _claims(value=value)
    assert _cell(_written(tmp_path, claims), "value").value is None


def test_no_cell_holds_a_formula(tmp_path):
    book = _written(tmp_path, _claims(title="=HYPERLINK(\"x\")", claim_id="=1+1"))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_sheets_header_filter_and_widths(tmp_path):
    chunks = [_claims(claim_id="a"), _claims(claim_id="b", title="x" * 300)]
    book = _written(tmp_path, chunks)
    assert book.sheetnames == ["claims", "articles", "columns"]
    claims = book["claims"]
    assert [c.value for c in claims[1]] == [name for name, _, _ in COLUMNS]
    assert [claims.cell(row=r, column=1).value for r in (2, 3)] == ["a", "b"]  # chunks appended in order
    assert claims.freeze_panes == "A2"
    assert claims.auto_filter.ref == "A1:F3"
    widths = {letter: dim.width for letter, dim in claims.column_dimensions.items()}
    assert widths["A"] >= 8 and widths["F"] <= 61  # capped, however long the text
    articles = book["articles"]
    assert articles.freeze_panes == "A2" and articles.auto_filter.ref
    assert (articles["B2"].value, articles["C2"].data_type, articles["D2"].value) == (
        "A headline", "d", 4)
    descriptions = [[c.value for c in row] for row in book["columns"].iter_rows(min_row=2)]
    assert descriptions == [list(entry) for entry in COLUMNS]


def test_extra_columns_are_text_and_descriptions_cover_the_claims_table():
    from pipeline.schema import CLAIMS

    CLAIM_COLUMNS = CLAIMS.names()

    described = {name for name, _, _ in CLAIM_COLUMN_DESCRIPTIONS}
    assert set(CLAIM_COLUMNS) <= described
    assert {dtype for _, dtype, _ in CLAIM_COLUMN_DESCRIPTIONS} <= {"string", "int", "float", "date", "datetime"}


def test_meta_column_not_described_is_text(tmp_path):
    book = _written(tmp_path, _claims().assign(meta_count="42"))
    assert _cell(book, "meta_count").data_type == "s"


def test_empty_table_still_has_three_sheets_and_a_header(tmp_path):
    book = _written(tmp_path, _claims().iloc[0:0])
    assert book.sheetnames == ["claims", "articles", "columns"]
    assert [c.value for c in book["claims"][1]][:2] == ["claim_id", "value"]
    assert book["claims"].max_row == 1


class _StockSheetWriter:
    """The sheet writer as it was before write_rows: one XlsxWriter write_* call per cell. The
    oracle for test_rows_are_the_xml_xlsxwriter_writes."""

    def __init__(self, sheet, formats):
        self.sheet, self.formats, self.header, self.rows, self.dropped = sheet, formats, None, 0, 0

    def append(self, frame, types):
        if self.header is None:
            self.header = [str(c) for c in frame.columns]
            for col, name in enumerate(self.header):
                self.sheet.set_column(col, col, 10)
            self.sheet.freeze_panes(1, 0)
            for col, name in enumerate(self.header):
                self.sheet.write_string(0, col, name, self.formats.header)
        kinds = [types.get(c, "string") for c in self.header]
        for record in frame.reindex(columns=self.header).astype(object).itertuples(index=False, name=None):
            self.rows += 1
            for col, (value, kind) in enumerate(zip(record, kinds)):
                self._cell(self.rows, col, value, kind)

    def finish(self):
        if self.header:
            self.sheet.autofilter(0, 0, max(self.rows, 1), len(self.header) - 1)

    def _cell(self, row, col, value, kind):
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return
        if kind in ("int", "float") and xlsx._number(value) is not None:
            self.sheet.write_number(row, col, xlsx._number(value))
        elif kind in ("date", "datetime") and xlsx._when(value) is not None:
            when = xlsx._when(value)
            self.sheet.write_datetime(row, col, when, self.formats.datetime if isinstance(when, datetime) else self.formats.date)
        else:
            self.sheet.write_string(row, col, str(value), self.formats.text)


def _parts(path):
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}  # core.xml: a timestamp


TRICKY_TEXT = ["plain", "", " leading", "trailing ", "tab\tinside", "line\nbreak", "cr\ronly", "ctrl\x01\x1f",
               "_x0041_ looks escaped", "<r>rich?</r>", "a & b < c > d \"q\"", "non-char \ufffe\uffff", "£12m – “quoted”",
               "emoji 😀", "=SUM(A1)", "x" * 40_000, "😀" * 17_000, "\u00a0nbsp\u2003"]


@pytest.mark.parametrize("chunks", [
    # text of every awkward kind, numbers, dates (a datetime before any date), blanks; two chunks
    [pd.DataFrame({"claim_id": TRICKY_TEXT, "value": [1.5, -0.0, 1e20, float("inf"), None, 3, 0.1, 12_000_000.0,
                                                       float("nan"), 7, 8, 9, 10, 11, 12, 13, 14, 15],
                   "line": pd.array([1, None] * 9, dtype="Int64"),
                   "period_start": ["2017-04-01", "sometime", None] * 6,
                   "reviewed_at": ["2026-01-02T10:30:00+00:00", None, "2026-01-02"] * 6,
                   "title": pd.array(TRICKY_TEXT[::-1], dtype="string")}).astype({"claim_id": "string"}),
     pd.DataFrame({"claim_id": ["z", "z", None], "title": ["same", "same", "same"]})],
    [pd.DataFrame({"claim_id": ["only"], "reviewed_at": ["2026-01-02T10:30:00"]})],  # datetime format used first
    [pd.DataFrame({"claim_id": pd.array([None, None], dtype="string"), "value": [None, None]})],  # blank rows
    [_claims().iloc[0:0]],
])
def test_rows_are_the_xml_xlsxwriter_writes(tmp_path, monkeypatch, chunks):
    fast, stock = tmp_path / "fast.xlsx", tmp_path / "stock.xlsx"
    write_xlsx(chunks, _articles(), COLUMNS, fast)
    monkeypatch.setattr(xlsx, "_SheetWriter", _StockSheetWriter)
    monkeypatch.setattr(xlsx, "_RowsWorksheet", Worksheet)  # XlsxWriter's own worksheet, as it copies its rows too
    monkeypatch.setattr(xlsx, "MAX_ROWS", 10**9)  # the stock writer does not count
    write_xlsx(chunks, _articles(), COLUMNS, stock)
    fast_parts, stock_parts = _parts(fast), _parts(stock)
    widths = re.compile(rb"<cols>.*?</cols>")  # widths are sized by the writer under test, not by the oracle
    for name in fast_parts:
        fast_parts[name], stock_parts[name] = widths.sub(b"", fast_parts[name]), widths.sub(b"", stock_parts[name])
    assert fast_parts == stock_parts


def test_rows_past_excels_limit_are_counted_not_written(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)  # header + 3 rows
    path = tmp_path / "claims.xlsx"
    written = write_xlsx([_claims(claim_id="a"), pd.concat([_claims(claim_id="b")] * 4)], _articles(), COLUMNS[:1], path)
    book = openpyxl.load_workbook(path)
    assert written == 3
    assert [row[0] for row in book["claims"].iter_rows(min_row=2, values_only=True)] == ["a", "b", "b"]
    assert book["columns"]["C3"].value.startswith("2 claim rows beyond Excel's row limit")


def test_parts_are_deflated_at_the_fast_level(tmp_path, monkeypatch):
    fast, stock = tmp_path / "fast.xlsx", tmp_path / "stock.xlsx"
    chunks = [_claims()] * 50
    write_xlsx(chunks, _articles(), COLUMNS, fast)
    monkeypatch.setattr(xlsx, "DEFLATE_LEVEL", 6)  # zlib's default, as XlsxWriter writes
    write_xlsx(chunks, _articles(), COLUMNS, stock)
    assert _parts(fast) == _parts(stock)
    assert fast.stat().st_size > stock.stat().st_size
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile  # put back once stored
