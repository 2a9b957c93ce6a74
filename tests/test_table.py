"""Output tables: column order and types; atomic writes keep the previous file on failure."""
import pandas as pd
import pytest

from pipeline.tables.files import CLAIM_COLUMNS, atomic_write, claims_frame, read_claims, write_claims


def test_claims_frame_orders_and_types_columns():
    frame = claims_frame([{"meta_category": "politics", "claim_id": "x", "value": 5, "line": 2, "flags": ""}])
    assert list(frame.columns) == CLAIM_COLUMNS + ["meta_category"]
    assert frame["value"].dtype == "float64" and str(frame["line"].dtype) == "Int64"


def test_empty_claims_table_still_has_every_column(tmp_path):
    write_claims(claims_frame([]), tmp_path)
    assert list(pd.read_csv(tmp_path / "claims.csv").columns) == CLAIM_COLUMNS
    assert list(read_claims(tmp_path).columns) == CLAIM_COLUMNS


def test_failed_write_keeps_previous_file(tmp_path):
    target = tmp_path / "claims.csv"
    target.write_text("previous\n")

    def broken(path):
        path.write_text("half a ta")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]
