"""pipeline.schema is the one list of columns: the records, the review tables and the README agree with it."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.records import ArticleRow, ClaimRow
from pipeline.schema import ARTICLES, CLAIMS, ORPHANED_REVIEWS, PANDAS_DTYPES, REVIEWS, TABLES, column_listing, markdown_table
from pipeline.tables.decisions import MACHINE_FIELDS, ReviewDecision, apply_reviews, empty_reviews
from pipeline.tables.files import claims_frame

README = Path(__file__).resolve().parents[1] / "README.md"


def names(record: type) -> list[str]:
    return [f.name for f in dataclasses.fields(record)]


def test_records_are_the_tables_rows():
    assert names(ClaimRow) == CLAIMS.names(added_by=("",))
    assert names(ArticleRow) == ARTICLES.names()
    assert names(ReviewDecision) == REVIEWS.names()


def test_machine_columns_are_the_correctable_and_derived_fields():
    machine = [c.name for c in CLAIMS.columns if c.name.startswith("machine_")]
    assert machine == [f"machine_{name}" for name in MACHINE_FIELDS]


def test_orphaned_reviews_columns_are_what_apply_reviews_reports():
    reviews = pd.DataFrame([{**{c: "" for c in empty_reviews().columns}, "claim_id": "gone", "status": "accepted"}])
    _, orphans = apply_reviews(claims_frame([]), reviews)
    assert list(orphans.columns) == ORPHANED_REVIEWS.names()


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_is_typed_described_and_written_somewhere(table):
    for column in TABLES[table].columns:
        assert column.type in PANDAS_DTYPES and column.description and column.outputs
        assert set(column.outputs) <= set(TABLES[table].files)


def test_column_listing_for_a_spreadsheet():
    listing = column_listing("claims")
    assert listing[0] == ("claim_id", "string", CLAIMS.columns[0].description)
    assert ("sentence_offset", "Int64", CLAIMS.column("sentence_offset").description) in listing
    assert ("value", "float64", CLAIMS.column("value").description) in listing


def test_readme_column_table_is_the_schemas():
    """README.md's "### Columns" table is markdown_table("claims"): regenerate it from the schema
    (python -c 'from pipeline.schema import markdown_table; print(markdown_table())')."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Columns", 1)[1]
    table = "\n".join(re.findall(r"^\|.*\|$", section.split("\n\n", 2)[1], flags=re.M))
    assert table == markdown_table("claims")
