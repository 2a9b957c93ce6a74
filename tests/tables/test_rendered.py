"""rendered: a row's key tells apart every cell that changes what is written, and a run that reads
rows back from the memo writes the bytes a run without it writes."""
import zipfile
from functools import partial

import numpy as np
import pandas as pd
import pytest

from pipeline.cache import ResultCache
from pipeline.tables.decisions import empty_reviews
from pipeline.tables.files import rows_in_chunks
from pipeline.tables.finalize import finalize
from pipeline.tables.rendered import RenderedRow, render, rendered_rows, row_keys
from test_finalize import reviews_for, staged_rows

OUTPUTS = ("claims.csv", "claims.jsonl", "claims_reviewed.csv", "review_tasks.jsonl", "orphaned_reviews.csv")


class DictMemo:
    """A RenderMemo in memory, counting what it is given."""

    def __init__(self):
        self.rows: dict[bytes, bytes] = {}
        self.kept = 0

    def rendered(self, keys):
        return {key: self.rows[key] for key in keys if key in self.rows}

    def keep_rendered(self, items):
        self.kept += len(items)
        self.rows.update(items)


@pytest.mark.parametrize("row", [
    RenderedRow("a,b", '{"a": 1}', '{"t": 1}', '<c r="A\x00"><v>1</v></c>', 0, 0),
    RenderedRow("", "", "", "", -1, -1),  # a row with no cell in the sheet
    RenderedRow('"x\r\ny",£5', '{"t": "é\\n"}', "\u2028", '<c r="B\x00" s="\x01"/>', 1, 7),
    RenderedRow("1 2 3\n", "\n\n", " ", "\n", 3, 3),  # line ends and spaces inside the texts
])
def test_a_rendered_row_reads_back_as_it_was_stored(row):
    assert RenderedRow.decode(row.encode()) == row


def frame(**columns):
    return pd.DataFrame(columns)


@pytest.mark.parametrize("one, other", [
    (frame(a=["None"]), frame(a=[None])),  # a missing cell is not the text "None"
    (frame(v=[0.0]), frame(v=[-0.0])),  # "-0.0" is written as such
    (frame(v=[1.0]), frame(v=[np.nan])),
    (frame(a=["x"], b=["y"]), frame(b=["y"], a=["x"])),  # the same cells in other columns
    (frame(a=["x"], b=["y"]), frame(a=["x"], c=["y"])),  # ... under another name
    (frame(a=["x", "y"]), frame(a=["y", "x"])),
])
def test_rows_that_write_differently_have_different_keys(one, other):
    assert row_keys(one) != row_keys(other)


def test_the_same_row_has_the_same_key_in_any_table():
    table = frame(a=["x", "y", None], v=[1.0, np.nan, -0.0])
    keys = row_keys(table)
    assert len(set(keys)) == 3
    assert row_keys(table.iloc[[2, 0]].reset_index(drop=True)) == [keys[2], keys[0]]
    assert row_keys(table.iloc[:0]) == []


def test_rows_come_from_the_memo_once_rendered(tmp_path):
    path, rows = staged_rows(tmp_path)
    table = next(rows_in_chunks(path, 100))
    memo = DictMemo()
    assert rendered_rows(table, None, memo) == render(table, None)
    assert memo.kept == len(rows)
    assert rendered_rows(table, None, memo) == render(table, None)
    assert memo.kept == len(rows)  # nothing rendered the second time
    changed = table.copy()
    changed.loc[1, "measure"] = "another measure"
    assert rendered_rows(changed, None, memo) == render(changed, None)
    assert memo.kept == len(rows) + 1  # only the changed row


def finalized(tmp_path, name, memo, reviews):
    path, _ = staged_rows(tmp_path)
    out = tmp_path / name
    out.mkdir()
    (tmp_path / "articles.csv").write_text("doc_id,title\n003,A title\n", encoding="utf-8")
    finalize(partial(rows_in_chunks, path, 2), reviews, out, articles=tmp_path / "articles.csv", memo=memo)
    return out


@pytest.mark.parametrize("reviews", [empty_reviews(), reviews_for([("a3", "accepted"), ("c1", "rejected")])])
def test_outputs_written_from_the_memo_are_the_outputs_written_without_it(tmp_path, reviews):
    store = ResultCache(tmp_path / "cache", fingerprint="test")
    plain = finalized(tmp_path, "plain", None, reviews)
    finalized(tmp_path, "first", store, empty_reviews())  # fills the memo
    again = finalized(tmp_path, "again", store, reviews)  # a reviewed row is another row: rendered anew
    for name in OUTPUTS + ("claims.parquet",):
        assert (plain / name).read_bytes() == (again / name).read_bytes(), name
    for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml"):
        assert sheet_part(plain, part) == sheet_part(again, part), part
    store.close()


def sheet_part(out, part):
    with zipfile.ZipFile(out / "claims.xlsx") as book:
        return book.read(part) if part in book.namelist() else None


def test_pruning_drops_the_rows_a_run_did_not_write(tmp_path):
    store = ResultCache(tmp_path / "cache", fingerprint="test")
    store.keep_rendered([(b"old", b"x"), (b"kept", b"y")])
    assert store.rendered([b"kept", b"missing"]) == {b"kept": b"y"}
    assert store.prune_rendered() == 1
    assert store.rendered([b"old", b"kept"]) == {b"kept": b"y"}
    store.close()
