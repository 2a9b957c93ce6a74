"""Read the output tables and lay them out as pipeline.schema says: typed frames in column order,
claim rows staged in chunks cut between articles, and written tables read back chunk by chunk.

Writing is pipeline.tables.finalize's: it streams every output into a folder that is renamed into
place, so a crash or Ctrl-C leaves the previous outputs whole.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import CLAIMS, Table
from pipeline.tables.safe_cells import unsafe_frame

# Rows per chunk when a table is assembled or read back. A chunk is cut between articles; an article
# alone is cut only when it would make a chunk SPLIT_ARTICLE times that size (a table pasted as one
# line: 250,000 figures), and then between two sentences, since inconsistent_change reads one
# sentence's rows together (the checks that read a whole article stream: consistency.HeadlineCheck).
CHUNK_ROWS = 5_000
SPLIT_ARTICLE = 2
# The stages whose columns a freshly made row has ("" = made with the row, by claim_builder/extract).
ROW_STAGES = ("",)
ALL_STAGES = ("", "review", "consistency")


def conform(frame: pd.DataFrame, table: Table = CLAIMS, *, stages: tuple[str, ...] = ROW_STAGES,
            columns: list[str] | None = None) -> pd.DataFrame:
    """The frame with `columns` (default: the schema's order for what `frame` holds, every column
    of `stages` included) in that order, each in its schema type; missing ones are blank."""
    if columns is None:
        columns = table.order(list(frame.columns), stages=stages)
    frame = frame.copy()
    for name in columns:
        if name not in frame.columns:
            frame[name] = None
    frame = frame[columns]
    dtypes = table.dtypes()
    for name in columns:
        dtype = dtypes.get(name, "string")
        if dtype == "string":
            frame[name] = _as_string(frame[name])
        elif frame[name].dtype != dtype:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(dtype)
    return frame


_STRING = pd.StringDtype("pyarrow")


def _as_string(column: pd.Series) -> pd.Series:
    """The column as pandas "string" (Arrow large_string; missing values NA). A column already
    so is returned as it is, other Arrow text is cast, and text from JSON (str or missing) goes
    to Arrow from a list: the way through Python objects took 0.7 s for 5,000 cells of 20 KB."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        text = pa.array(column)
        if column.dtype == _STRING and text.type == pa.large_string():
            return column
        return pd.Series(pd.array(text.cast(pa.large_string()), dtype=_STRING), index=column.index, name=column.name)
    if column.dtype == object:
        values = column.tolist()
        if all(type(value) is str or value is None for value in values):
            try:
                text = pa.array(values, type=pa.large_string())
            except (pa.ArrowException, UnicodeError):  # lone surrogates: pandas says what is wrong
                pass
            else:
                return pd.Series(pd.array(text, dtype=_STRING), index=column.index, name=column.name)
    return column.astype(object).where(column.notna(), None).astype("string")


def claims_frame(rows: Iterable[Mapping[str, object]] | pd.DataFrame) -> pd.DataFrame:
    """Claim rows (dicts, or a frame) as a typed table in the schema's column order."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    return conform(frame, CLAIMS, stages=ROW_STAGES)


def cut_before(held: list[Mapping[str, object]], row: Mapping[str, object], chunk_rows: int = CHUNK_ROWS) -> bool:
    """Whether a chunk holding `held` ends before `row` (see CHUNK_ROWS)."""
    if len(held) < chunk_rows:
        return False
    previous = held[-1]
    if row["doc_id"] != previous["doc_id"]:
        return True
    return len(held) >= SPLIT_ARTICLE * chunk_rows and row.get("sentence") != previous.get("sentence")


def rows_in_chunks(path: Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """Claim rows written as JSON lines, in chunks cut as CHUNK_ROWS says (extract stages its rows
    with StagedChunks, which makes the same chunks without the JSON)."""
    rows: list[dict[str, object]] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if cut_before(rows, row, chunk_rows):
                yield claims_frame(rows)
                rows = []
            rows.append(row)
    if rows:
        yield claims_frame(rows)


class StagedChunks:
    """Claim rows kept as they are made, in the chunks rows_in_chunks would read back from them
    (cut as CHUNK_ROWS says, `chunk_rows` or a little more), each a typed frame pickled into `folder`: no JSON
    is written or parsed, and a chunk is typed while the rest of the corpus is still being read.
    Calling it gives the chunks, in order."""

    def __init__(self, folder: Path, chunk_rows: int = CHUNK_ROWS) -> None:
        self.folder = folder
        self.chunk_rows = chunk_rows
        self.rows: list[Mapping[str, object]] = []
        self.paths: list[Path] = []

    def add(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            if cut_before(self.rows, row, self.chunk_rows):
                self._keep()
            self.rows.append(row)

    def mark(self) -> tuple[int, int]:
        """Where the rows added so far end, for `rollback`."""
        return len(self.paths), len(self.rows)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Take back every row added since `mark`: an article processed in pieces, whose rows came
        a piece at a time, failed in a later piece and gives no rows. Chunks kept since the mark go,
        and the one the mark falls in becomes the rows held again (read back from its pickle)."""
        kept, held = mark
        if len(self.paths) == kept:
            del self.rows[held:]
            return
        for path in self.paths[kept + 1:]:
            path.unlink(missing_ok=True)
        frame = pd.read_pickle(self.paths[kept]).iloc[:held]
        self.paths[kept].unlink(missing_ok=True)
        del self.paths[kept:]
        self.rows = [{name: (None if value is pd.NA or (isinstance(value, float) and value != value) else value)
                      for name, value in record.items()} for record in frame.astype(object).to_dict("records")]

    def close(self) -> None:
        if self.rows:
            self._keep()

    def _keep(self) -> None:
        self.folder.mkdir(exist_ok=True)
        self.paths.append(self.folder / f"{len(self.paths)}.pickle")
        claims_frame(self.rows).to_pickle(self.paths[-1])
        self.rows = []

    def __call__(self) -> Iterator[pd.DataFrame]:
        for path in self.paths:
            yield pd.read_pickle(path)


def table_in_chunks(out_dir: Path) -> Iterator[pd.DataFrame]:
    """A written claims table, one Parquet row group (one chunk) at a time; a
    CSV-only output (an older run) is read whole."""
    parquet = out_dir / "claims.parquet"
    if parquet.exists():
        reader = pq.ParquetFile(parquet)
        for group in range(reader.num_row_groups):
            yield reader.read_row_group(group).to_pandas()
        return
    yield read_claims(out_dir)


def read_claims(out_dir: Path) -> pd.DataFrame:
    """The claims table from a previous run (Parquet if present, else CSV)."""
    parquet, csv = out_dir / "claims.parquet", out_dir / "claims.csv"
    if parquet.exists():
        return pd.read_parquet(parquet)
    if csv.exists():
        return conform(unsafe_frame(pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])), CLAIMS,
                       stages=ALL_STAGES)
    raise FileNotFoundError(f"{out_dir}: no claims.parquet or claims.csv; run `make extract` first")


def read_table(path: Path, table: Table) -> pd.DataFrame:
    """A small CSV output (articles.csv, errors.csv...) as text, or an empty frame with its columns."""
    if not path.exists():
        return pd.DataFrame(columns=table.names())
    return unsafe_frame(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]))


def csv_in_chunks(path: Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """A CSV output as text, chunk by chunk (nothing when the file is absent)."""
    if not path.exists():
        return
    for chunk in pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], chunksize=chunk_rows):
        yield unsafe_frame(chunk)
