"""The claims command: exit codes, files, columns, report, help examples."""
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import build_parser, main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.model
def test_extract_writes_tables_and_fails_on_bad_input(tmp_path, capsys, monkeypatch, nlp_model):
    monkeypatch.setattr("pipeline.extract.load_pipeline", lambda model=None: nlp_model)  # loaded once per session
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "000_e12cf0739439d7cb.txt", inputs)
    (inputs / "nested").mkdir()
    (inputs / "nested" / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "out"
    code = main(["extract", str(inputs), "--output", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "bad.txt" in captured.err
    for name in ("claims.csv", "claims.parquet", "claims.jsonl", "claims.xlsx", "articles.csv", "errors.csv",
                 "report.html", "datapackage.json"):
        assert (out / name).exists()
    assert not list(out.glob(".claims-*"))  # the staging folder is gone
    claims = pd.read_csv(out / "claims.csv")
    assert {"claim_id", "council_code", "period_start", "flags"} <= set(claims.columns)
    assert "Norfolk County Council" in captured.out  # the report ran
    page = (out / "report.html").read_text(encoding="utf-8")
    assert all(f'id="m-{claim_id}"' in page for claim_id in claims["claim_id"])  # highlighted in the article
    assert "report.html not written" not in captured.err
    assert main(["extract", str(inputs / "000_e12cf0739439d7cb.txt"), "--output", str(out), "--no-report"]) == 0


def test_extract_names_a_missing_input(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope"), "--output", str(tmp_path / "out")]) == 2
    assert "nope: no such file or folder" in capsys.readouterr().err


def test_report_without_outputs_says_what_to_do(tmp_path, capsys):
    assert main(["report", "--output", str(tmp_path)]) == 2
    captured = capsys.readouterr().err
    assert "make extract" in captured and "Traceback" not in captured


@pytest.mark.parametrize("argv", [
    ["--debug", "report", "--output", "{out}"],  # before the sub-command
    ["report", "--debug", "--output", "{out}"],  # after it
])
def test_debug_shows_the_traceback_wherever_it_is_given(tmp_path, capsys, argv):
    assert main([a.format(out=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "make extract" in err


@pytest.mark.parametrize("argv,debug", [
    (["--debug", "report"], True), (["report", "--debug"], True), (["report"], False),
    (["--debug", "review", "--accept", "x"], True), (["bench", "--debug"], True), (["extract", "in"], False),
])
def test_debug_is_parsed_in_either_position(argv, debug):
    assert build_parser().parse_args(argv).debug is debug


@pytest.mark.parametrize("command", ["extract", "report", "review", "bench"])
def test_help_ends_with_an_example(command):
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]
    assert sub.epilog.startswith("example: claims " + command)
