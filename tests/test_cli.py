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
    assert [p.name for p in out.glob(".claims-*")] == [".claims-output"]  # the staging folder is gone; the marker stays
    claims = pd.read_csv(out / "claims.csv")
    assert {"claim_id", "council_code", "period_start", "flags"} <= set(claims.columns)
    assert "Norfolk County Council" in captured.out  # the report ran
    page = (out / "report.html").read_text(encoding="utf-8")
    assert all(f'id="m-{claim_id}"' in page for claim_id in claims["claim_id"])  # highlighted in the article
    assert "report.html not written" not in captured.err
    # the same run again: nothing to rewrite, the same failure and exit code, the page as it was
    assert main(["extract", str(inputs), "--output", str(out)]) == 1
    again = capsys.readouterr()
    assert "bad.txt" in again.err and "Norfolk County Council" in again.out
    assert "unchanged since the last run" in again.out and "wrote" not in again.out
    assert (out / "report.html").read_text(encoding="utf-8") == page
    assert main(["extract", str(inputs / "000_e12cf0739439d7cb.txt"), "--output", str(out), "--no-report"]) == 0
    assert "wrote" in capsys.readouterr().out


def test_extract_names_a_missing_input(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope"), "--output", str(tmp_path / "out")]) == 2
    assert "nope: no such file or folder" in capsys.readouterr().err


def test_extract_refuses_to_write_into_the_input_folder(tmp_path, capsys):
    assert main(["extract", str(tmp_path), "--output", str(tmp_path / ".")]) == 2
    assert "the output folder is the input folder; give --output another folder" in capsys.readouterr().err


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


@pytest.fixture
def loaded(monkeypatch, nlp_model):
    """main() with the session's model instead of loading its own."""
    import pipeline.nlp

    monkeypatch.setattr(pipeline.nlp, "load_pipeline", lambda model=None: nlp_model)


@pytest.mark.model
@pytest.mark.parametrize("files,message", [
    ({}, "no article read from"),
    ({"notes.md": "Notes.", "sub/table.xlsx": "PK"}, "no article read from"),
    ({"feed.csv": "id,body\n1,Rates rose 3%.\n"}, "no 'text' column (columns present: id, body)"),
])
def test_extract_exits_non_zero_when_nothing_was_read(tmp_path, capsys, loaded, files, message):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, content in files.items():
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        (inputs / name).write_text(content)
    out = tmp_path / "out"
    assert main(["extract", str(inputs), "--output", str(out), "--no-report"]) == 1
    assert message in capsys.readouterr().err
    errors = pd.read_csv(out / "errors.csv")
    assert len(errors) == len(files) + (0 if files and "feed.csv" in files else 1)  # every input, and the folder
    assert set(errors["status"]) <= {"failed", "skipped"}


@pytest.mark.model
def test_skipped_files_are_listed_but_do_not_fail_the_run(tmp_path, capsys, loaded):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "002_e17c2000e115b27d.txt", inputs)
    (inputs / "README.md").write_text("About this corpus.")
    out = tmp_path / "out"
    assert main(["extract", str(inputs), "--output", str(out), "--no-report"]) == 0
    assert "skipped" in capsys.readouterr().err
    errors = pd.read_csv(out / "errors.csv")
    assert list(zip(errors["status"], errors["source_path"])) == [("skipped", str(inputs / "README.md"))]


@pytest.mark.model
def test_column_options_name_the_fields(tmp_path, loaded):
    path = tmp_path / "feed.csv"
    path.write_text("key,headline,body,day\nk1,Rates up 4%,Somerset County Council raised rates by 4% last year.,\n")
    out = tmp_path / "out"
    assert main(["extract", str(path), "--output", str(out), "--no-report", "--id-column", "key",
                 "--title-column", "headline", "--text-column", "body", "--date-column", "day",
                 "--published", "2019-06-03"]) == 0
    claims = pd.read_csv(out / "claims.csv", dtype=str)
    assert set(claims["doc_id"]) == {"k1"} and "headline" in set(claims["section"])
    assert set(claims["published"]) == {"2019-06-03"}


@pytest.mark.parametrize("value", ["2019-13-01", "03/06/2019", "yesterday"])
def test_bad_published_date_is_one_clear_error(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(SEEDS), "--output", str(tmp_path), "--published", value])
    assert exit_.value.code == 2
    assert "not a date; give it as YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("argv,hint", [
    (["review", "--ouput", "x"], "--ouput: did you mean --output?"),
    (["report", "--max-flaged", "3"], "--max-flaged: did you mean --max-flagged?"),
    (["extract", "in", "--no-cahce"], "--no-cahce: did you mean --no-cache?"),
    (["report", "--zzzzzz"], None),  # nothing close: argparse's own message alone
])
def test_an_unknown_option_suggests_the_closest(argv, hint, capsys):
    from pipeline.cli import main

    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments" in err
    assert (hint in err) if hint else "did you mean" not in err
