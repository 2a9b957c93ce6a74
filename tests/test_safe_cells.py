"""CSV cells we write are never formulas (OWASP CSV injection); JSONL holds valid JSON; Parquet/JSONL keep exact text."""
import csv
import io
import json
from pathlib import Path
import math

import pandas as pd
import pytest

from claim_rows import S_SPEND, row, write_outputs
from pipeline.tables.decisions import ReviewDecision, ReviewStore, empty_reviews, read_reviews
from pipeline.tables.files import claims_frame, read_claims
from pipeline.tables.files import rows_in_chunks
from pipeline.tables.finalize import finalize
from pipeline.tables.safe_cells import (FORMULA_STARTS, json_safe, safe_cell, safe_frame, unsafe_cell, unsafe_frame,
                                       write_csv_cells, write_json_lines)


def is_formula(cell: str) -> bool:
    """What a spreadsheet would run: a text cell starting with = + - @ tab or CR, unless it is a
    plain number (a number column written as a number)."""
    if not cell or cell[0] not in FORMULA_STARTS:
        return False
    try:
        return not math.isfinite(float(cell))
    except ValueError:
        return True


def csv_cells(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return [cell for record in csv.reader(handle) for cell in record]


@pytest.mark.parametrize("value,written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+20% rise", "'+20% rise"),
    ("- 40 homes were built", "'- 40 homes were built"),
    ("-5", "'-5"),                 # a text cell: neutralised whatever follows
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("'quoted", "''quoted"),        # so one leading quote is always ours to drop
    ("Council spends £9m", "Council spends £9m"),
    ("", ""),
    (None, None),
    (5.0, 5.0),                   # not text: left as it is
])
def test_safe_cell(value, written):
    assert safe_cell(value) == written
    assert unsafe_cell(written) == value


def test_safe_frame_leaves_numbers_as_numbers_and_reverses():
    frame = pd.DataFrame({"text": ["-5", "=1+1", None], "value": [-5.0, 2.0, None], "=head": ["a", "b", "c"]})
    safe = safe_frame(frame)
    assert list(safe["text"][:2]) == ["'-5", "'=1+1"] and pd.isna(safe["text"][2])
    assert list(safe["value"][:2]) == [-5.0, 2.0] and list(safe.columns) == ["text", "value", "'=head"]
    assert unsafe_frame(safe).equals(frame)
    assert list(frame["text"][:2]) == ["-5", "=1+1"]  # the caller's frame is untouched


@pytest.mark.parametrize("value,expected", [
    (float("inf"), None), (float("-inf"), None), (float("nan"), None), (1.5, 1.5),
    ({"a": [float("nan"), 2.0]}, {"a": [None, 2.0]}), ("Infinity", "Infinity"),
])
def test_json_safe(value, expected):
    assert json_safe(value) == expected


HOSTILE = "=cmd|' /C calc'!A0"


def hostile_rows():
    sentence = "- The council spent £9m on roads."
    return [
        row("h1", "doc=1", sentence, "£9m", 9e6, "GBP", "money", title="+Budget row", meta_source="@feed",
            attribution="-the leader"),
        row("h2", "doc2", S_SPEND, "28.4%", float("inf"), "%", "percent", title=HOSTILE),
    ]


def test_finalize_outputs_have_no_formula_cells_and_jsonl_is_json(tmp_path):
    rows = hostile_rows()
    staged = tmp_path / "rows.jsonl"
    staged.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    reviews = pd.DataFrame([{**{c: "" for c in empty_reviews().columns}, "claim_id": cid, "status": "accepted",
                             "note": "=1+1", "timestamp": "2026-01-01T00:00:00Z", "doc_id": "-d",
                             "claim_text": "+t"} for cid in ("h1", "gone")], dtype=object)
    out = tmp_path / "out"
    out.mkdir()
    finalize(lambda: rows_in_chunks(staged), reviews, out)
    for name in ("claims.csv", "claims_reviewed.csv", "orphaned_reviews.csv"):
        cells = csv_cells(out / name)
        assert cells and not [c for c in cells if is_formula(c)], name
    for name in ("claims.jsonl", "review_tasks.jsonl"):
        for line in (out / name).read_text(encoding="utf-8").splitlines():
            json.loads(line, parse_constant=lambda token: pytest.fail(f"{name}: bare {token}"))
    exact = pd.read_parquet(out / "claims.parquet").set_index("claim_id")
    assert exact.at["h1", "sentence"].startswith("- The") and exact.at["h2", "title"] == HOSTILE
    assert exact.at["h1", "meta_source"] == "@feed"
    jsonl = {r["claim_id"]: r for r in map(json.loads, (out / "claims.jsonl").read_text().splitlines())}
    assert jsonl["h1"]["title"] == "+Budget row" and jsonl["h2"]["value"] is None
    # the CSV reads back as the exact text through our reader
    (out / "claims.parquet").unlink()
    back = read_claims(out).set_index("claim_id")
    assert back.at["h2", "title"] == HOSTILE and back.at["h1", "attribution"] == "-the leader"


def test_review_exports_and_rewritten_tables_are_safe(tmp_path):
    reviews = pd.DataFrame(
        [{**{c: "" for c in empty_reviews().columns}, "claim_id": "h1", "status": "accepted", "note": "@x",
          "timestamp": "2026-01-01T00:00:00Z"},
         {**{c: "" for c in empty_reviews().columns}, "claim_id": "zz", "status": "rejected", "note": "+y",
          "timestamp": "2026-01-01T00:00:00Z", "claim_text": "-3"}], dtype=object)
    write_outputs(claims_frame(hostile_rows()), tmp_path, reviews)  # the one writer lays the reviews over
    for name in ("claims.csv", "claims_reviewed.csv", "orphaned_reviews.csv"):
        assert not [c for c in csv_cells(tmp_path / name) if is_formula(c)], name
    for line in (tmp_path / "claims.jsonl").read_text().splitlines():
        json.loads(line, parse_constant=lambda token: pytest.fail(f"bare {token}"))


def test_reviews_csv_cells_are_safe_and_read_back_exactly(tmp_path):
    store = ReviewStore(tmp_path / "reviews.csv")
    store.append(ReviewDecision(claim_id="c1", status="note", note="=2+2 check", reviewer="-me",
                                claim_text="-5", sentence="'quoted'"))
    assert not [c for c in csv_cells(store.path) if is_formula(c)]
    back = read_reviews(store.path).iloc[0]
    assert (back["note"], back["reviewer"], back["claim_text"], back["sentence"]) == ("=2+2 check", "-me", "-5", "'quoted'")


@pytest.mark.model
def test_extract_writes_no_formula_cells(tmp_path, nlp_model):
    from pipeline.extract import extract

    articles = tmp_path / "in.jsonl"
    text = ("Budget rise at Norfolk County Council\n\n- The council will spend £9m more on roads in 2018.\n"
            "=Officers said 40 posts would go.\n")
    articles.write_text(json.dumps({"id": "a1", "title": "+Council budget", "text": text, "region": "=HYPERLINK(1)"})
                        + "\n" + json.dumps({"id": "a2", "title": "@empty", "text": "-nothing to count here\n"}) + "\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    result = extract([articles], out, nlp=nlp_model)
    assert result.claim_count
    for name in ("claims.csv", "articles.csv", "errors.csv", "claims_reviewed.csv", "orphaned_reviews.csv"):
        assert not [c for c in csv_cells(out / name) if is_formula(c)], name
    exact = pd.read_parquet(out / "claims.parquet")
    for record in exact.to_dict("records"):
        source = Path(record["text_path"]).read_text(encoding="utf-8")  # the title is its first line
        assert source[record["char_start"]:record["char_end"]] == record["text"]
    assert set(exact["title"]) == {"+Council budget"}


def test_a_lone_carriage_return_in_a_cell_does_not_split_the_row(tmp_path):
    """pandas quotes newlines only when they are in the line terminator: "\\r" used to go out bare."""
    from pipeline.tables.safe_cells import write_csv_cells

    frame = pd.DataFrame({"title": ["line one\rline two", "plain"], "\rodd header": ["x", "y"]})
    write_csv_cells(frame, tmp_path / "t.csv")
    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    assert records == [["title", "'\rodd header"], ["line one\rline two", "x"], ["plain", "y"]]


AWKWARD_TEXT = ["plain", "a,b", 'say "no"', "line\nbreak", "cr\ronly", "crlf\r\n", "", None, "=SUM(A1)", "-5", "'quoted",
                "£12m – “curly”", " spaced ", "x" * 20_000, "tab\tin", "emoji 😀"]


def _awkward_frame(text_dtype="string"):
    n = len(AWKWARD_TEXT)
    return pd.DataFrame({
        "claim_id": pd.array(AWKWARD_TEXT, dtype=text_dtype),
        "line": pd.array([1, None, -3, 10**12] * (n // 4), dtype="Int64"),
        "value": ([0.1, float("nan"), -0.0, 1e20, 1 / 3, float("inf"), 76.0, 12_000_000.0] * 2)[:n],
        "title": pd.array(["same, title"] * (n - 1) + [None], dtype=text_dtype),
    })


@pytest.mark.parametrize("frame", [
    _awkward_frame(), _awkward_frame("str"), _awkward_frame().iloc[0:0],
    _awkward_frame()[["claim_id"]],  # one column: left to pandas
    _awkward_frame().astype({"claim_id": object}),  # an object column: left to pandas
    _awkward_frame().rename(columns={"title": "=title"}),
])
@pytest.mark.parametrize("header", [True, False])
def test_csv_is_what_pandas_to_csv_writes(tmp_path, frame, header):
    expected = safe_frame(frame).to_csv(index=False, header=header, lineterminator="\r\n")
    with open(tmp_path / "handle.csv", "w", encoding="utf-8", newline="") as handle:
        write_csv_cells(frame, handle, header=header)
    write_csv_cells(frame, tmp_path / "path.csv", header=header)
    for name in ("handle.csv", "path.csv"):
        assert (tmp_path / name).read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize("frame", [
    _awkward_frame(), _awkward_frame("str"), _awkward_frame().iloc[0:0], _awkward_frame()[["value"]],
    _awkward_frame().astype({"claim_id": object}),  # an object column: json.dumps itself
    _awkward_frame().assign(**{'say "x"': "y"}).astype({'say "x"': "string"}),
])
def test_json_lines_are_what_json_dumps_writes(frame):
    finite = frame.replace([float("inf"), float("-inf")], float("nan"))
    expected = "".join(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n" for record in
                       finite.astype(object).where(finite.notna(), None).to_dict(orient="records"))
    written = io.StringIO()
    write_json_lines(frame, written)
    assert written.getvalue() == expected


@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_safe_frame_treats_each_text_cell_as_safe_cell_does(dtype):
    cells = [*FORMULA_STARTS, "'", "", None, "plain", "é=", "😀", "\n-", " =1", *(c + "x" for c in FORMULA_STARTS)]
    frame = pd.DataFrame({"text": pd.array(cells, dtype=dtype) if dtype != object else pd.Series(cells, dtype=object),
                          "other": ["a"] * len(cells)})
    expected = [safe_cell(cell) for cell in cells]
    assert [None if pd.isna(cell) else cell for cell in safe_frame(frame)["text"]] == expected
