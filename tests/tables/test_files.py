"""Output tables laid out as pipeline.schema says: column order and types, staged rows, chunked reading."""
import json

import pandas as pd
import pyarrow as pa
import pytest

from pipeline.schema import CLAIMS
from pipeline.tables.files import StagedChunks, claims_frame, conform, read_claims, rows_in_chunks

ROW_COLUMNS = CLAIMS.names(added_by=("",))


def test_claims_frame_orders_and_types_columns():
    frame = claims_frame([{"meta_category": "politics", "text_path": "t.txt", "claim_id": "x", "value": 5, "line": 2,
                           "flags": "", "sentence_offset": 3}])
    assert list(frame.columns) == ROW_COLUMNS + ["meta_category", "text_path"]
    assert frame["value"].dtype == "float64" and str(frame["line"].dtype) == "Int64"
    assert str(frame["sentence_offset"].dtype) == "Int64" and frame["sentence_offset"][0] == 3
    assert str(frame["claim_id"].dtype) == "string"


def test_review_columns_keep_their_place_after_the_row_columns():
    frame = conform(pd.DataFrame([{"consistency_note": None, "review_status": "pending", "meta_b": "1",
                                   "meta_a": "2", "claim_id": "x", "machine_value": "5"}]),
                    stages=("", "review", "consistency"))
    columns = list(frame.columns)
    assert columns[: len(ROW_COLUMNS)] == ROW_COLUMNS
    assert columns[len(ROW_COLUMNS) : len(ROW_COLUMNS) + 2] == ["meta_a", "meta_b"]
    assert columns[-1] == "consistency_note" and columns.index("machine_value") < columns.index("review_status")
    assert frame["machine_value"].dtype == "float64"


def test_empty_claims_table_still_has_every_column(tmp_path):
    assert list(claims_frame([]).columns) == ROW_COLUMNS


def test_a_csv_only_output_reads_back_typed(tmp_path):
    claims_frame([{"claim_id": "x", "doc_id": "d", "value": 5.5, "line": 2}]).to_csv(tmp_path / "claims.csv", index=False)
    table = read_claims(tmp_path)
    assert table["value"].tolist() == [5.5] and str(table["line"].dtype) == "Int64"


def test_no_table_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="make extract"):
        read_claims(tmp_path)


@pytest.mark.parametrize("chunk_rows,sizes", [(1, [2, 1]), (2, [2, 1]), (3, [3]), (100, [3])])
def test_staged_rows_come_back_in_chunks_that_never_split_an_article(tmp_path, chunk_rows, sizes):
    path = tmp_path / "rows.jsonl"
    rows = [{"claim_id": "a", "doc_id": "d1"}, {"claim_id": "b", "doc_id": "d1"}, {"claim_id": "c", "doc_id": "d2"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert [len(chunk) for chunk in rows_in_chunks(path, chunk_rows)] == sizes


@pytest.mark.parametrize("sentences,chunk_rows,sizes", [
    ("aabbbcd", 2, [5, 2]),  # one article: held until twice the chunk, then cut between sentences
    ("aaaaaab", 2, [6, 1]),  # never inside a sentence, however long the chunk grows
    ("abcdefg", 1, [2, 2, 2, 1]),
    ("abcdefg", 100, [7]),
    ("aabbbcd", 4, [7]),  # an article under twice the chunk stays whole
])
def test_an_article_alone_is_cut_only_when_it_doubles_a_chunk_and_between_sentences(tmp_path, sentences, chunk_rows,
                                                                                    sizes):
    rows = [{"claim_id": f"c{n}", "doc_id": "table", "sentence": sentence, "value": 1.0}
            for n, sentence in enumerate(sentences)]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert [len(chunk) for chunk in rows_in_chunks(path, chunk_rows)] == sizes
    staged = StagedChunks(tmp_path / "chunks", chunk_rows)
    staged.add(rows)
    staged.close()
    assert [len(chunk) for chunk in staged()] == sizes
    held = [set(chunk["sentence"]) for chunk in staged()]
    assert all(not (a & b) for n, a in enumerate(held) for b in held[n + 1:])  # each sentence in one chunk


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 4, 100])
@pytest.mark.parametrize("articles", [
    [2, 1, 3],  # rows per article, as extract hands them over
    [1, 1, 1, 1, 1],
    [0, 4, 0, 1],  # articles without claims
    [],
])
def test_staged_chunks_are_the_chunks_staged_json_gives(tmp_path, chunk_rows, articles):
    rows = [[{"claim_id": f"{doc}-{n}", "doc_id": f"d{doc}", "value": n + 0.5, "line": n, "flags": "", "sentence": "£5m"}
             for n in range(count)] for doc, count in enumerate(articles)]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for article in rows for r in article), encoding="utf-8")
    staged = StagedChunks(tmp_path / "chunks", chunk_rows)
    for article in rows:
        staged.add(article)
    staged.close()
    expected = list(rows_in_chunks(path, chunk_rows))
    got = list(staged())
    assert len(got) == len(expected)
    for ours, theirs in zip(got, expected):
        pd.testing.assert_frame_equal(ours, theirs)


@pytest.mark.parametrize("column", [
    pd.Series(["a", None, "b", "x" * 20_000]),  # text from JSON: pandas infers str
    pd.Series(["a", float("nan"), "b"], dtype="str"),
    pd.Series(["a", None, "b", float("nan"), pd.NA], dtype=object),
    pd.Series(["a", 1, 2.5, None, True], dtype=object),  # not all text: each value as str()
    pd.Series(["a", None], dtype="string"),
    pd.Series(["a", None], dtype=pd.StringDtype("python")),
    pd.Series([1.5, float("nan"), 2.0]),
    pd.Series([1, None], dtype="Int64"),
    pd.Series([None, None], dtype=object),
    pd.Series([], dtype=object),
], ids=lambda column: str(column.dtype))
def test_text_columns_conform_as_pandas_converts_them(column):
    expected = column.astype(object).where(column.notna(), None).astype("string")
    got = conform(pd.DataFrame({"claim_id": column}), columns=["claim_id"])["claim_id"]
    assert got.dtype == expected.dtype and pa.array(got).type == pa.array(expected).type
    assert got.isna().tolist() == expected.isna().tolist() and got.equals(expected)


@pytest.mark.parametrize("before,after,chunk_rows", [
    (3, 4, 2),  # the mark in a chunk since kept: it is read back
    (0, 9, 2),
    (2, 1, 100),  # nothing kept since the mark
    (4, 0, 2),
    (5, 6, 1),
])
def test_rollback_takes_back_the_rows_added_since_the_mark(tmp_path, before, after, chunk_rows):
    def rows(doc, count):
        return [{"claim_id": f"{doc}{n}", "doc_id": doc, "sentence": f"s{n}", "value": n + 0.5, "line": n, "flags": "",
                 "text": f"{n}"} for n in range(count)]

    staged = StagedChunks(tmp_path / "staged", chunk_rows)
    expected = StagedChunks(tmp_path / "expected", chunk_rows)
    for n in range(before):
        staged.add(rows(f"a{n}", 1))
        expected.add(rows(f"a{n}", 1))
    mark = staged.mark()
    staged.add(rows("long", after))  # an article in pieces whose last piece fails
    staged.rollback(mark)
    staged.add(rows("next", 3))
    expected.add(rows("next", 3))
    staged.close()
    expected.close()
    ours, theirs = list(staged()), list(expected())
    assert [len(c) for c in ours] == [len(c) for c in theirs]
    for a, b in zip(ours, theirs):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    assert sorted(p.name for p in (tmp_path / "staged").glob("*.pickle")) == [p.name for p in staged.paths]
