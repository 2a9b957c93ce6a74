"""Rendering one claim for the reviewer (rich, into a string)."""
from __future__ import annotations

import io

import pandas as pd
from rich.console import Console

from pipeline.review.render import render_claim
from pipeline.tables.files import claims_frame

from claim_rows import S_NORFOLK, row, spend_rows


def claims() -> pd.DataFrame:
    return claims_frame(spend_rows(flags="no_period_year") + [
        row("c-nfk", "001", S_NORFOLK, "1,137", 1137, None, "count", council_code="E10000020",
            council_name="Norfolk County Council", period_start="2014-03-10", period_end="2014-03-10",
            title="Norfolk aims to cut ‘excessive' number of children in care", published="2014-03-10"),
    ])


def test_render_shows_what_a_reviewer_needs():
    table = claims()
    claim = table.iloc[0].copy()
    claim["flags"] = "inconsistent_change"
    claim["consistency_note"] = "inconsistent_change: from £57.4 million to £73.7 million is +28.4%"
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="truecolor")
    console.print(render_claim(claim, 0, 5))
    text = console.file.getvalue()
    plain = Console(file=io.StringIO(), width=100)
    plain.print(render_claim(claim, 0, 5))
    lines = plain.file.getvalue()
    for expected in ("Council agrees major increase", "2018-02-20", "28.4%", "percent",
                     "Gloucestershire County Council [E10000013]", "2018-04-01..2019-03-31",
                     "medium-term financial strategy", "inconsistent_change", "pending", "1/5"):
        assert expected in lines
    assert "\x1b[" in text.split("28.4%")[0][-30:]  # the number is highlighted


def test_render_shows_a_corrected_value_beside_the_machines():
    claim = claims().iloc[3].copy()
    claim["machine_value"] = 3.9e6
    claim["value"] = 3.95e6
    console = Console(file=io.StringIO(), width=100)
    console.print(render_claim(claim))
    assert "3,950,000 GBP  (machine: 3,900,000)" in console.file.getvalue()


def test_render_highlights_the_claims_own_occurrence():
    sentence = "In 2019 the council had 2019 staff."
    claim = claims_frame([row("s", "d", sentence, "2019", 2019, None, "count")]).iloc[0].copy()
    claim["sentence_offset"] = sentence.rindex("2019")  # the first 2019 is the year
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="truecolor")
    console.print(render_claim(claim))
    line = next(line for line in console.file.getvalue().splitlines() if "staff" in line)
    before_number, _, after = line.partition("had ")
    assert "\x1b[" not in before_number.split("In ")[-1][:6]  # the year is plain
    assert after.startswith("\x1b[")  # the count is highlighted
