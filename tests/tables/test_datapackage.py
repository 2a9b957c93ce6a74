"""outputs/datapackage.json describes every table file written, and Frictionless reads the files against it."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from frictionless import Package

from pipeline.schema import CLAIMS
from pipeline.tables.datapackage import DATAPACKAGE_FILE
from pipeline.tables.decisions import ReviewDecision, ReviewStore
from pipeline.tables.files import claims_frame

from claim_rows import spend_rows, write_outputs


@pytest.fixture
def out(tmp_path):
    ReviewStore(tmp_path / "reviews.csv").append_many([ReviewDecision("c-pct", "accepted"),
                                                      ReviewDecision("gone", "rejected")])
    frame = claims_frame(spend_rows(meta_category="politics"))
    write_outputs(frame, tmp_path, ReviewStore(tmp_path / "reviews.csv").read())
    pd.DataFrame([{"doc_id": "003", "source_path": "seeds/003.txt", "claims": 4, "flagged": 0, "status": "ok"}]
                 ).to_csv(tmp_path / "articles.csv", index=False)
    return tmp_path


def descriptor(out):
    return json.loads((out / DATAPACKAGE_FILE).read_text(encoding="utf-8"))


def test_every_table_file_is_a_resource_with_the_schemas_fields(out):
    package = descriptor(out)
    paths = {r["path"] for r in package["resources"]}
    assert paths == {"claims.csv", "claims.parquet", "claims.jsonl", "claims_reviewed.csv", "orphaned_reviews.csv",
                     "reviews.csv"}  # articles.csv came after the outputs were published
    claims = next(r for r in package["resources"] if r["path"] == "claims.csv")
    fields = {f["name"]: f for f in claims["schema"]["fields"]}
    assert list(fields) == list(pd.read_csv(out / "claims.csv", nrows=0).columns)
    assert fields["sentence_offset"]["type"] == "integer" and fields["value"]["type"] == "number"
    assert fields["period_start"]["type"] == "date"
    assert fields["sentence_offset"]["description"] == CLAIMS.column("sentence_offset").description
    assert fields["meta_category"]["description"] == CLAIMS.column("meta_*").description


def test_frictionless_reads_every_file_against_the_schema(out):
    report = Package(str(out / DATAPACKAGE_FILE)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["claims-csv"] == rows["claims-parquet"] == rows["claims-jsonl"] == 4
    assert rows["reviews-csv"] == 2


@pytest.mark.parametrize("column,bad", [("period_start", "March 2018"), ("value", "lots"), ("line", "1.5")])
def test_a_cell_of_the_wrong_type_is_caught(out, column, bad):
    claims = pd.read_csv(out / "claims.csv", dtype=str, keep_default_na=False)
    claims.loc[1, column] = bad
    claims.to_csv(out / "claims.csv", index=False)
    report = Package(str(out / DATAPACKAGE_FILE)).validate()
    errors = report.flatten(["rowNumber", "fieldName", "type"])
    assert errors == [[3, column, "type-error"]]
