"""One writer per output folder; stale staging folders cleaned; SIGTERM like Ctrl-C; errors name path and fix."""
import errno
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import spacy

import pipeline.extensions  # noqa: F401 - the Doc/Span attributes extract reads
from claim_rows import spend_rows, write_outputs
from pipeline import cli
from pipeline.extract import extract
from pipeline.review.command import review_command
from pipeline.tables.files import claims_frame, read_claims
from pipeline.tables.lock import (
    HOLDER_FILE, OutputBusy, OutputError, clean_stale, output_lock, ensure_output_dir,
)

ROOT = Path(__file__).resolve().parents[1]


def hold_lock(out: Path, command: str = "extract"):
    """A separate process holding the folder's lock until its stdin closes."""
    code = textwrap.dedent(f"""
        import sys
        from pipeline.tables.lock import output_lock
        with output_lock({str(out)!r}, {command!r}):
            print("held", flush=True)
            sys.stdin.read()
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "held"
    return holder


def release(holder):
    holder.stdin.close()
    holder.wait(timeout=10)


def blank_nlp():
    return spacy.blank("en")


def articles(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("The council will spend £5m on roads.\n", encoding="utf-8")
    return folder


def test_second_writer_waits_then_names_the_holder(tmp_path):
    holder = hold_lock(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(OutputBusy) as busy:
            with output_lock(tmp_path, "review", wait=0.3):
                pass
        assert time.monotonic() - started >= 0.3
        message = str(busy.value)
        assert re.fullmatch(rf"{re.escape(str(tmp_path))}/ is in use by claims extract \(pid {holder.pid}, "
                            r"since \d\d:\d\d\); try again when it ends", message), message
    finally:
        release(holder)
    with output_lock(tmp_path, "review", wait=1):  # free again once the holder ends
        assert json.loads((tmp_path / HOLDER_FILE).read_text())["command"] == "review"
    assert not (tmp_path / HOLDER_FILE).exists()


def test_lock_is_reentrant_in_one_process(tmp_path):
    with output_lock(tmp_path, "review", wait=0):
        with output_lock(tmp_path, "review", wait=0):
            pass
        assert (tmp_path / HOLDER_FILE).exists()


def test_concurrent_extract_exits_instead_of_last_writer_wins(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("CLAIMS_LOCK_WAIT", "0.2")
    holder = hold_lock(out, "extract")
    try:
        with pytest.raises(OutputBusy, match="is in use by claims extract"):
            extract([articles(tmp_path)], out, nlp=blank_nlp())
        assert not list(out.glob("claims.*"))  # nothing published
    finally:
        release(holder)


def test_cli_review_while_extract_runs_exits_2_with_the_message(tmp_path, monkeypatch, capsys):
    write_outputs(claims_frame(spend_rows()), tmp_path)
    monkeypatch.setenv("CLAIMS_LOCK_WAIT", "0.2")
    holder = hold_lock(tmp_path, "extract")
    try:
        code = cli.main(["review", "--output", str(tmp_path), "--accept", "c-pct"])
    finally:
        release(holder)
    assert code == 2
    assert f"is in use by claims extract (pid {holder.pid}, since" in capsys.readouterr().err.replace("\n", "")
    assert not (tmp_path / "reviews.csv").exists()


def test_interactive_review_does_not_put_back_a_table_extract_replaced(tmp_path):
    """The table changes on disk while the reviewer is at a key: the rewrite keeps the new one."""
    write_outputs(claims_frame(spend_rows()), tmp_path)
    newer = claims_frame(spend_rows()[:1])  # a later extract published a table with one claim

    keys = iter(["a", "q"])

    def read_key():
        key = next(keys)
        if key == "q":
            write_outputs(newer, tmp_path)
        return key

    from rich.console import Console
    import io
    review_command(tmp_path, accept=[], reject=[], import_path=None, reviewer="ann", interactive=True, filters={},
                   console=Console(file=io.StringIO()), read_key=read_key, read_line=lambda prompt: "")
    after = read_claims(tmp_path)
    assert list(after["claim_id"]) == list(newer["claim_id"])


def test_review_decision_waits_for_the_lock_and_reports_busy(tmp_path, monkeypatch):
    write_outputs(claims_frame(spend_rows()), tmp_path)
    monkeypatch.setenv("CLAIMS_LOCK_WAIT", "0.1")
    from rich.console import Console
    import io
    from pipeline.review.session import run_review

    holder = hold_lock(tmp_path, "extract")
    screen = io.StringIO()
    try:
        run = run_review(tmp_path, read_key=iter(["a", "q"]).__next__, read_line=lambda p: "",
                         console=Console(file=screen, width=200), reviewer="ann")
    finally:
        release(holder)
    assert run.decisions == [] and "is in use by claims extract" in screen.getvalue()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_clean_stale_removes_folders_of_dead_processes_only(tmp_path):
    dead, alive, unmarked = tmp_path / ".claims-dead", tmp_path / ".claims-alive", tmp_path / ".claims-old"
    for folder in (dead, alive, unmarked):
        folder.mkdir()
        (folder / "claims.rows.jsonl").write_text("{}\n")
    (dead / "pid").write_text(str(dead_pid()))
    (alive / "pid").write_text(str(os.getppid()))
    (tmp_path / ".claims.csv.x1y2.tmp").write_text("partial")
    (tmp_path / "claims.csv").write_text("kept")
    removed = clean_stale(tmp_path)
    assert sorted(p.name for p in removed) == [".claims-dead", ".claims-old", ".claims.csv.x1y2.tmp"]
    assert alive.exists() and (tmp_path / "claims.csv").exists()


def test_extract_cleans_stale_staging_and_marks_its_own(tmp_path, monkeypatch):
    out = tmp_path / "out"
    stale = out / ".claims-killed"
    stale.mkdir(parents=True)
    (stale / "pid").write_text(str(dead_pid()))
    seen = []
    import pipeline.extract as extract_module
    original = extract_module._publish

    def publish(out_dir, staging, chunks, on_publish=None, store=None):
        seen.append((staging / "pid").read_text())
        return original(out_dir, staging, chunks, on_publish, store)

    monkeypatch.setattr(extract_module, "_publish", publish)
    extract([articles(tmp_path)], out, nlp=blank_nlp())
    assert not stale.exists() and seen == [str(os.getpid())]
    assert [p.name for p in out.glob(".claims-*")] == [".claims-output"]  # the marker only


def test_sigterm_is_handled_like_ctrl_c(monkeypatch, capsys, tmp_path):
    def terminated_run(args):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        return 0

    monkeypatch.setattr(cli, "run_report", terminated_run)
    before = signal.getsignal(signal.SIGTERM)
    assert cli.main(["report", "--output", str(tmp_path)]) == 143
    assert "terminated: the previous outputs are left as they were" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is before


def test_sigterm_during_extract_leaves_no_staging_and_old_outputs(tmp_path, monkeypatch):
    out = tmp_path / "out"
    extract([articles(tmp_path)], out, nlp=blank_nlp())
    before = (out / "articles.csv").read_text()

    def killed(*args, **kwargs):
        raise cli.Terminated()

    monkeypatch.setattr("pipeline.tables.finalize.finalize", killed)
    with pytest.raises(KeyboardInterrupt):  # no cache: an unchanged re-run would publish nothing
        extract([articles(tmp_path)], out, nlp=blank_nlp(), cache=False)
    assert [p.name for p in out.glob(".claims-*")] == [".claims-output"] and (out / "articles.csv").read_text() == before


def test_output_path_that_is_a_file(tmp_path):
    target = tmp_path / "outputs"
    target.write_text("not a folder")
    with pytest.raises(OutputError, match=rf"^{re.escape(str(target))}: is a file, not a folder; pass --output"):
        extract([articles(tmp_path)], target, nlp=blank_nlp())


def test_read_only_output_folder_names_the_folder_not_a_temp_name(tmp_path, monkeypatch):
    import pipeline.tables.lock as lock

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(lock.os, "access", lambda path, mode: False)  # root ignores chmod, so pretend
    with pytest.raises(OutputError) as error:
        extract([articles(tmp_path)], out, nlp=blank_nlp())
    assert str(error.value) == (f"{out}/: cannot write there (permission denied); make the folder writable "
                                "or pass --output another folder")


def test_disk_full_names_the_path_and_keeps_previous_outputs(tmp_path, monkeypatch):
    out = tmp_path / "out"
    extract([articles(tmp_path)], out, nlp=blank_nlp())

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / ".claims-x" / "final" / "claims.csv"))

    monkeypatch.setattr("pipeline.tables.finalize.finalize", full)
    with pytest.raises(OutputError, match=r"claims\.csv: disk full .* free some space or pass --output"):
        extract([articles(tmp_path)], out, nlp=blank_nlp(), cache=False)  # publishes, unlike an unchanged re-run
    assert (out / "claims.csv").exists() and [p.name for p in out.glob(".claims-*")] == [".claims-output"]


def test_ensure_output_dir_parent_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="a parent of this path is a file"):
        ensure_output_dir(tmp_path / "f" / "out")
