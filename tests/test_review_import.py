"""`claims review --import`: bad values are refused with the file and line; the imported timestamp is kept."""
import io
import re

import pytest
from rich.console import Console

from claim_rows import spend_rows, write_outputs
from pipeline.review.command import review_command
from pipeline.tables.decisions import ReviewDecision, ReviewError, read_decisions_file, read_reviews
from pipeline.tables.files import claims_frame

HEADER = "claim_id,status,value,kind,council_code,council_name,timestamp,note\n"


def imported(tmp_path, text, name="decisions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("line,message", [
    ("c1,corrected,nan,,,,,", r"value 'nan' is not a finite number"),
    ("c1,corrected,inf,,,,,", r"value 'inf' is not a finite number"),
    ("c1,corrected,-Infinity,,,,,", r"value '-Infinity' is not a finite number"),
    ("c1,corrected,,money-ish,,,,", r"kind 'money-ish' for claim c1; use one of money, percent"),
    ("c1,corrected,,,E99999999,,,", r"council_code 'E99999999' for claim c1 is not in the council register"),
    ("c1,corrected,,,,Atlantis Borough Council,,", r"council_name 'Atlantis Borough Council' .* not in the council register"),
    ("c1,corrected,,,E10000020,Gloucestershire County Council,,", r"is not the council E10000020"),
    ("c1,accepted,,,,,last tuesday,", r"timestamp 'last tuesday' .* is not an ISO 8601 time"),
    ("c1,accepted,,,,,,note,extra", r"more cells than header columns"),
    ("c1,approved,,,,,,", r"status 'approved'"),
    ("c1,corrected,12x,,,,,", r"value '12x' is not a number"),
])
def test_bad_rows_are_refused_naming_file_and_line(tmp_path, line, message):
    path = imported(tmp_path, HEADER + "c0,accepted,,,,,,\n" + line + "\n")
    with pytest.raises(ReviewError, match=rf"^{re.escape(str(path))}:3: .*{message}"):
        read_decisions_file(path)


@pytest.mark.parametrize("line", [
    "c1,corrected,5.5e6,money,,,,",
    "c1,corrected,,,E10000020,Norfolk County Council,,",
    "c1,corrected,,,E10000020,,,",
    "c1,corrected,,,-,-,,",                   # clear the council
    "c1,accepted,,,,,2025-03-01T10:00:00Z,=1+1 is a note",
])
def test_good_rows_are_read(tmp_path, line):
    assert len(read_decisions_file(imported(tmp_path, HEADER + line + "\n"))) == 1


def test_duplicated_header_column(tmp_path):
    path = imported(tmp_path, "claim_id,status,note,status\nc1,accepted,,rejected\n")
    with pytest.raises(ReviewError, match=rf"^{re.escape(str(path))}:1: column 'status' appears more than once"):
        read_decisions_file(path)


def test_missing_column_names_the_file_and_line(tmp_path):
    path = imported(tmp_path, "id,status\nc1,accepted\n")
    with pytest.raises(ReviewError, match=rf"^{re.escape(str(path))}:1: no claim_id column"):
        read_decisions_file(path)


def test_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"claim_id,status,note\nc1,accepted,caf\xe9\n")
    with pytest.raises(ReviewError, match=rf"^{re.escape(str(path))}: not UTF-8 text \(byte 0xe9\)"):
        read_decisions_file(path)


def test_prodigy_non_finite_timestamp_is_not_a_crash(tmp_path):
    path = imported(tmp_path, '{"meta": {"claim_id": "c1"}, "answer": "accept", "_timestamp": 1e308}\n', "a.jsonl")
    assert read_decisions_file(path)[0].timestamp == ""


def test_programmatic_non_finite_value_is_refused():
    with pytest.raises(ReviewError, match="not a finite number"):
        ReviewDecision(claim_id="c1", status="corrected", value=float("inf")).validate()


def test_import_keeps_the_imported_timestamp(tmp_path):
    write_outputs(claims_frame(spend_rows()), tmp_path)
    path = imported(tmp_path, "claim_id,status,timestamp,reviewer\nc-pct,accepted,2025-03-01T10:00:00+00:00,bo\n",
                    "in.csv")
    review_command(tmp_path, accept=[], reject=[], import_path=path, reviewer="ann", interactive=False, filters={},
                   console=Console(file=io.StringIO()))
    row = read_reviews(tmp_path / "reviews.csv").iloc[0]
    assert (row["timestamp"], row["reviewer"], row["doc_id"]) == ("2025-03-01T10:00:00+00:00", "bo", "003")
