"""scripts/screenshot.sh (make screenshot): a PNG from headless Chromium, or a message and exit 0 without it."""
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "screenshot.sh"
PAGE = "<!DOCTYPE html><html><body><h1>council-claims</h1><p>A page with no network needs.</p></body></html>"


def _run(tmp_path, chromium=None):
    report = tmp_path / "report.html"
    report.write_text(PAGE, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "WINDOW_SIZE": "400,300"}
    if chromium:
        env["CHROMIUM"] = chromium
    return subprocess.run(["sh", str(SCRIPT), str(report), str(tmp_path / "report.png")], capture_output=True,
                          text=True, env=env, timeout=120)


def test_without_chromium_it_says_so_and_succeeds(tmp_path):
    done = _run(tmp_path, chromium=str(tmp_path / "no-such-chromium"))
    assert done.returncode == 0
    assert "screenshot skipped: no chromium found" in done.stdout
    assert not (tmp_path / "report.png").exists()


def test_a_missing_report_is_an_error(tmp_path):
    done = subprocess.run(["sh", str(SCRIPT), str(tmp_path / "nope.html")], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "CHROMIUM": "/bin/true"})
    assert done.returncode == 2 and "make extract" in done.stderr


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="chromium not installed (apt-get install chromium)")
def test_with_chromium_it_writes_a_png(tmp_path):
    done = _run(tmp_path)
    png = tmp_path / "report.png"
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1_000
