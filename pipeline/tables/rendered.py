"""Each claim row as the outputs write it (its claims.csv and claims.jsonl lines, its review task, its
claims.xlsx row), kept by the row's content so a re-run writes the rows it has written before
without making them again. Reads and writes through a RenderMemo (the results cache:
pipeline.cache.ResultCache); pipeline.tables.finalize uses it.

A row's key is a hash of every cell of the finished row (reviews laid over, consistency flags in,
conformed to the run's columns), so a row reads back only what the same row made: a changed
council, flag or column is another key. What else shapes the text is in the key's namespace: the
column names in order, RENDER_VERSION and the versions of the packages that write or hash (the
results cache also empties itself when the project's source changes). The hash is three of
pandas' 64-bit row hashes, two of the cells under different keys and one of which cells are
missing or negative zero (which the cells' hash does not tell apart from "None" and 0.0).
"""
from __future__ import annotations

import hashlib
import zlib
from importlib import metadata
from typing import NamedTuple, Protocol

import numpy as np
import pandas as pd

from pipeline.tables.exports import row_task_lines
from pipeline.tables.safe_cells import csv_lines, json_lines
from pipeline.tables.xlsx import ClaimsWorkbook

RENDER_VERSION = "2"  # raise when a writer changes what it writes for the same row
KEY_PACKAGES = ("pandas", "pyarrow", "xlsxwriter")
_HASH_KEYS = ("council-claims-1", "council-claims-2")  # pandas wants 16 characters


class RenderedRow(NamedTuple):
    """One claim row as written: its lines (without line ends), and its claims.xlsx row XML with the
    row's first and last column (pipeline.tables.xlsx.RowXML)."""

    csv: str
    jsonl: str
    task: str
    xlsx: str
    first: int
    last: int

    # Stored as a line of the texts' lengths and the columns, then the four texts one after another:
    # slicing a string back apart takes a fifth of the time of parsing the texts as JSON strings.
    def encode(self) -> bytes:
        head = " ".join(map(str, (len(self.csv), len(self.jsonl), len(self.task), self.first, self.last)))
        return zlib.compress(f"{head}\n{self.csv}{self.jsonl}{self.task}{self.xlsx}".encode("utf-8"), 1)

    @classmethod
    def decode(cls, payload: bytes) -> "RenderedRow":
        head, _, texts = zlib.decompress(payload).decode("utf-8").partition("\n")
        csv, jsonl, task, first, last = map(int, head.split(" "))
        jsonl_end = csv + jsonl
        task_end = jsonl_end + task
        return cls(texts[:csv], texts[csv:jsonl_end], texts[jsonl_end:task_end], texts[task_end:], first, last)


class RenderMemo(Protocol):
    """Where rendered rows are kept between runs (pipeline.cache.ResultCache)."""

    def rendered(self, keys: list[bytes]) -> dict[bytes, bytes]: ...

    def keep_rendered(self, items: list[tuple[bytes, bytes]]) -> None: ...


def row_keys(table: pd.DataFrame) -> list[bytes]:
    """The key of each row of a finished claims table (see the module's note)."""
    names = "\x1f".join(map(str, table.columns))
    versions = "\x1f".join(f"{package}={_version(package)}" for package in KEY_PACKAGES)
    namespace = hashlib.sha256(f"{RENDER_VERSION}\x1e{versions}\x1e{names}".encode("utf-8")).digest()[:8]
    if not len(table):
        return []
    cells = [pd.util.hash_pandas_object(table, index=False, hash_key=key).to_numpy() for key in _HASH_KEYS]
    marks = table.isna()
    for name in table.columns:
        if pd.api.types.is_float_dtype(table[name]):
            marks[f"{name}\x1fsign"] = np.signbit(table[name].to_numpy(dtype="float64", na_value=0.0))
    hashes = np.stack(cells + [pd.util.hash_pandas_object(marks, index=False).to_numpy()], axis=1).astype("<u8")
    return [namespace + row.tobytes() for row in hashes]


def render(table: pd.DataFrame, book: ClaimsWorkbook | None) -> list[RenderedRow] | None:
    """Every row of `table` as the outputs write it, or None for a table the fast writers leave to
    pandas and json.dumps (never a claims table)."""
    csv, jsonl = csv_lines(table), json_lines(table)
    if csv is None or jsonl is None:
        return None
    tasks = row_task_lines(table)
    xml = book.render(table) if book is not None else [("", -1, -1)] * len(table)
    return [RenderedRow(*row, *cell) for row, cell in zip(zip(csv, jsonl, tasks), xml)]


def rendered_rows(table: pd.DataFrame, book: ClaimsWorkbook | None, memo: RenderMemo | None
                  ) -> list[RenderedRow] | None:
    """render(table), taking from `memo` the rows it holds and giving it the rows made."""
    if book is not None:
        book.start(table)  # widths from the chunk's first rows, whichever rows are made here
    if memo is None:
        return render(table, book)
    keys = row_keys(table)
    held = memo.rendered(keys)
    missing = [n for n, key in enumerate(keys) if key not in held]
    made = render(table.iloc[missing], book) if missing else []
    if made is None:
        return None
    if made:
        memo.keep_rendered([(keys[n], row.encode()) for n, row in zip(missing, made)])
    fresh = iter(made)
    return [RenderedRow.decode(held[key]) if key in held else next(fresh) for key in keys]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"
