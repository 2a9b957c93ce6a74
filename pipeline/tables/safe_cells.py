"""Make text safe for the CSV files we write (no formulas) and values safe for JSON (no NaN/Infinity).

CSV injection (OWASP "CSV Injection"): Excel, LibreOffice and Google Sheets run a cell that begins
with `=`, `+`, `-` or `@` as a formula, and a leading tab or carriage return can hide one. News
text does this on its own (a bullet line "- 5 new homes", a headline "+20% rise"), and so can a
`meta_*` field or an imported review note. So every text cell of every CSV we write that starts
with one of those characters gets a single quote in front: the spreadsheet shows it as text.

Choices:
- Text columns are neutralised whatever follows the character, "-5" and "+44 20..." included: a
  text cell holds what the article said, and a spreadsheet must not turn it into anything else.
  Columns of numbers (value, char_start, ...) are written as numbers and are not text cells.
- A text cell that already begins with a single quote gets one more, so the rule reverses
  exactly: drop one leading quote from any text cell that has one (`unsafe_cell`). Our own
  readers do that (reviews.csv, an older CSV-only claims table).
- Parquet and JSONL keep the exact text; load them when exact text matters (`text` equals the
  source at char_start:char_end there).
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Mapping
from json.encoder import encode_basestring
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_cell(value: object) -> object:
    """A text value as it may go into a CSV cell; anything that is not text is returned as it is."""
    if isinstance(value, str) and value and (value[0] in FORMULA_STARTS or value[0] == QUOTE):
        return QUOTE + value
    return value


def unsafe_cell(value: object) -> object:
    """The text `safe_cell` was given: one leading single quote dropped."""
    if isinstance(value, str) and value.startswith(QUOTE):
        return value[1:]
    return value


def safe_row(row: Mapping[str, object]) -> dict[str, object]:
    return {key: safe_cell(value) for key, value in row.items()}


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns
            if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text column passed through `safe_cell` (number columns untouched), and
    header names made safe too. Write this, never the frame itself, with to_csv."""
    columns = _text_columns(frame)
    if not columns and not any(isinstance(c, str) and safe_cell(c) != c for c in frame.columns):
        return frame
    safe = frame.copy()
    for column in columns:
        risky = _starts_with(safe[column], FORMULA_STARTS + (QUOTE,))
        if risky.any():
            safe[column] = _edit_text(safe[column], risky, lambda text: QUOTE + text)
    return safe.rename(columns=lambda c: safe_cell(c) if isinstance(c, str) else c)


def write_csv_cells(frame: pd.DataFrame, target: object, *, header: bool = True) -> None:
    """frame.to_csv with every text cell made safe, lines ending "\r\n" (RFC 4180). The line ending
    matters: pandas quotes a cell holding a newline only when that newline is in the line
    terminator, so with "\n" a cell holding a lone "\r" was written bare and split the row.

    A frame of text, Int64 and float64 columns (every claims table) is written here with the
    bytes to_csv writes, each distinct text made into a field once: the csv module reads every
    character of every cell, 2 s for 5,000 claims that repeat a 20 KB title."""
    lines = csv_lines(frame)
    if lines is None:
        safe_frame(frame).to_csv(target, index=False, header=header, lineterminator="\r\n")
        return
    if isinstance(target, (str, Path)):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            write_lines(handle, ([csv_header(frame)] if header else []) + lines, "\r\n")
    else:
        write_lines(target, ([csv_header(frame)] if header else []) + lines, "\r\n")


def csv_lines(frame: pd.DataFrame) -> list[str] | None:
    """Each row of `frame` as write_csv_cells writes it (without the line end), or None for a frame
    it leaves to pandas (a column of another kind, one column, repeated names)."""
    safe = safe_frame(frame)
    columns = _csv_columns(safe)
    if columns is None:
        return None
    return [",".join(fields) for fields in zip(*columns)] if columns else [""] * len(frame)


def csv_header(frame: pd.DataFrame) -> str:
    """The header line write_csv_cells writes for `frame` (without the line end)."""
    return ",".join(_csv_field(safe_cell(name) if isinstance(name, str) else str(name)) for name in frame.columns)


def write_lines(handle, lines: list[str], end: str) -> None:
    """Every line followed by `end`, CSV_LINES_PER_WRITE lines to a write."""
    for start in range(0, len(lines), CSV_LINES_PER_WRITE):
        handle.write(end.join(lines[start:start + CSV_LINES_PER_WRITE]))
        handle.write(end)  # not joined on: one copy fewer of lines that can hold 20 KB cells


CSV_LINES_PER_WRITE = 1_000
_CSV_SPECIAL = re.compile('[,"\r\n\x00]')  # what makes the csv module quote (or refuse) a field


def _csv_field(text: str) -> str:
    """A text as the csv module writes it as one field of several (QUOTE_MINIMAL, as pandas)."""
    if _CSV_SPECIAL.search(text) is None:
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([text, ""])
    return buffer.getvalue()[:-3]  # the field, without the empty one after it and the line end


def _csv_columns(frame: pd.DataFrame) -> list[list[str]] | None:
    """Every column's fields as to_csv writes them (missing: empty), or None when the frame has
    a column of another kind, or a shape (one column, repeated names) best left to pandas."""
    names = list(frame.columns)
    if len(names) < 2 or len(set(names)) != len(names) or not all(isinstance(n, str) for n in names):
        return None  # a one-field row writes an empty cell as '""'
    columns = []
    for _, series in frame.items():
        dtype = series.dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            encoded = pa.chunked_array([pa.array(series)]).combine_chunks().dictionary_encode()
            fields = [_csv_field(text) for text in encoded.dictionary.to_pylist()] + [""]
            columns.append([fields[code] for code in encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).tolist()])
        elif dtype == "Int64":
            columns.append(["" if value is pd.NA else str(value) for value in series.array.astype(object)])
        elif dtype == np.float64:  # to_csv's own formatting: numpy's str of each float
            values = series.to_numpy().astype(str).astype(object)
            values[series.isna().to_numpy()] = ""
            columns.append(values.tolist())
        else:
            return None
    return columns


def write_json_lines(frame: pd.DataFrame, handle) -> None:
    """Each row as a JSON object on a line of its own: json.dumps (ensure_ascii=False) of the
    row's record, missing values and ±Infinity null (JSON has no Infinity). A frame of text,
    Int64 and float64 columns (every claims table) is written with the same bytes from its
    columns, each distinct text encoded once; any other frame goes through json.dumps."""
    lines = json_lines(frame)
    if lines is None:
        finite = finite_frame(frame)
        for record in finite.astype(object).where(finite.notna(), None).to_dict(orient="records"):
            handle.write(json.dumps(record, ensure_ascii=False, default=str, allow_nan=False) + "\n")
        return
    if lines:
        write_lines(handle, lines, "\n")


def json_lines(frame: pd.DataFrame) -> list[str] | None:
    """Each row as write_json_lines writes it (without the line end), or None for a frame it
    leaves to json.dumps."""
    columns = _json_columns(frame)
    if columns is None:
        return None
    columns[0] = ["{" + member for member in columns[0]]  # the braces on the (short) end members, not the line
    columns[-1] = [member + "}" for member in columns[-1]]
    return [", ".join(members) for members in zip(*columns)]


def _json_columns(frame: pd.DataFrame) -> list[list[str]] | None:
    """Every column's `"name": value` members as json.dumps writes them in a record, or None."""
    names = list(frame.columns)
    if not names or len(set(names)) != len(names) or not all(type(n) is str for n in names):
        return None
    columns = []
    for name, series in frame.items():
        key = encode_basestring(name) + ": "
        null = key + "null"
        dtype = series.dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            encoded = pa.chunked_array([pa.array(series)]).combine_chunks().dictionary_encode()
            members = [key + encode_basestring(text) for text in encoded.dictionary.to_pylist()] + [null]
            columns.append([members[code] for code in encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).tolist()])
        elif dtype == "Int64":
            columns.append([null if value is pd.NA else key + int.__repr__(value) for value in series.array.astype(object)])
        elif dtype == np.float64:
            columns.append([key + float.__repr__(value) if math.isfinite(value) else null for value in series.tolist()])
        else:
            return None
    return columns


def unsafe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A CSV we wrote, read back as text: the exact text of every cell and header name."""
    restored = frame.rename(columns=lambda c: unsafe_cell(c) if isinstance(c, str) else c)
    for column in _text_columns(restored):
        quoted = _starts_with(restored[column], (QUOTE,))
        if quoted.any():
            restored[column] = _edit_text(restored[column], quoted, lambda text: text[1:])
    return restored


def _starts_with(series: pd.Series, prefixes: tuple[str, ...]) -> np.ndarray:
    """Which cells are text starting with one of `prefixes`, computed by Arrow (tables run to
    hundreds of thousands of rows; a Python test per cell took seconds). Non-text cells: False."""
    try:
        text = series.astype("string[pyarrow]")
    except (TypeError, ValueError):
        return series.map(lambda v: isinstance(v, str) and v.startswith(prefixes)).to_numpy(dtype=bool)
    if all(len(prefix) == 1 for prefix in prefixes):  # one look at each cell's first character
        first = pc.utf8_slice_codeunits(pa.array(text), 0, 1)
        found = pc.is_in(first, value_set=pa.array(prefixes, type=first.type))
        return found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
    found = np.zeros(len(series), dtype=bool)
    for prefix in prefixes:
        found |= text.str.startswith(prefix).fillna(False).to_numpy(dtype=bool)
    return found


def _edit_text(series: pd.Series, where: np.ndarray, change) -> pd.Series:
    values = series.to_numpy(dtype=object, copy=True)
    for position in np.flatnonzero(where):
        if isinstance(values[position], str):  # a number in an object column is not a text cell
            values[position] = change(values[position])
    return pd.Series(values, index=series.index, dtype=series.dtype, name=series.name)


def finite_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ±Infinity in float columns made missing (NaN), so JSON writers put null."""
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    bad = [c for c in floats if (~np.isfinite(frame[c].to_numpy(dtype="float64", na_value=np.nan))
                                 & frame[c].notna().to_numpy()).any()]
    if not bad:
        return frame
    frame = frame.copy()
    for column in bad:
        frame[column] = frame[column].where(np.isfinite(frame[column].to_numpy(dtype="float64", na_value=np.nan)))
    return frame


def json_safe(value: object) -> object:
    """A value JSON can hold: NaN and ±Infinity become None (JSON has no such numbers), recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value
