"""Write and read the output tables (claims.csv/.parquet/.jsonl, articles.csv, errors.csv), atomically.

Every file is written under a temporary name in the output folder and renamed into place, so a
crash or Ctrl-C leaves the previous outputs whole.
"""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.records import Claim
from pipeline.tables.safe_cells import finite_frame, unsafe_frame, write_csv_cells

CLAIM_COLUMNS: list[str] = [f.name for f in dataclasses.fields(Claim)]
NUMERIC_COLUMNS = {"line": "Int64", "char_start": "Int64", "char_end": "Int64", "value": "float64", "confidence": "float64"}
ARTICLE_COLUMNS = [
    "doc_id", "source_path", "title", "published", "published_basis", "published_earliest", "published_latest",
    "council_code", "council_name", "claims", "flagged", "boilerplate", "encoding", "text_path", "status",
    "duplicate_of",
]
ERROR_COLUMNS = ["source_path", "doc_id", "status", "reason"]


def claims_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A DataFrame with the claims columns in order (meta_* columns after them), typed."""
    frame = pd.DataFrame(rows)
    for column in CLAIM_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    extra = sorted(c for c in frame.columns if c not in CLAIM_COLUMNS)
    frame = frame[CLAIM_COLUMNS + extra]
    for column, dtype in NUMERIC_COLUMNS.items():
        frame[column] = frame[column].astype(dtype)
    for column in frame.columns:
        if column not in NUMERIC_COLUMNS:
            frame[column] = frame[column].astype("string")
    return frame


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(temp_path) then rename temp_path to path (same folder, so the rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        # mkstemp makes the file 0600; outputs get the mode any new file gets (the umask's), as extract's do
        os.chmod(temp, 0o666 & ~_umask())
        write(Path(temp))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_claims(frame: pd.DataFrame, out_dir: Path) -> None:
    atomic_write(out_dir / "claims.csv", lambda p: write_csv_cells(frame, p))
    atomic_write(out_dir / "claims.parquet", lambda p: frame.to_parquet(p, index=False))
    atomic_write(out_dir / "claims.jsonl", lambda p: _write_jsonl(frame, p))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda p: write_csv_cells(frame, p))


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def _write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    """One JSON object per row; missing values are null."""
    frame = finite_frame(frame)  # JSON has no Infinity: null, like a missing value
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, default=str, allow_nan=False) + "\n")


def read_claims(out_dir: Path) -> pd.DataFrame:
    """The claims table from a previous run (Parquet if present, else CSV)."""
    parquet, csv = out_dir / "claims.parquet", out_dir / "claims.csv"
    if parquet.exists():
        return pd.read_parquet(parquet)
    if csv.exists():
        return claims_frame(unsafe_frame(pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])).to_dict("records"))
    raise FileNotFoundError(f"{out_dir}: no claims.parquet or claims.csv; run `make extract` first")


def read_optional_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=columns)
    return unsafe_frame(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]))
