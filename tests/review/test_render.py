"""Rendering one claim for the reviewer (rich, into a string)."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.console import Console

from pipeline.review.render import claim_context, render_claim
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


def shown(claim: pd.Series, context=None) -> list[str]:
    console = Console(file=io.StringIO(), width=120)
    console.print(render_claim(claim, 0, 1, context=context))
    return [" ".join(line.strip("│ ").split()) for line in console.file.getvalue().splitlines()]


def test_measure_has_its_own_line_and_an_estimated_date_is_marked():
    claim = claims().iloc[0].copy()
    claim["measure"] = "spend on vulnerable children"
    claim["published"], claim["published_latest"] = None, "2018-02-27"
    lines = shown(claim)
    assert "kind percent" in lines and "measure spend on vulnerable children" in lines
    assert any(line.endswith("· ~2018-02-27") for line in lines)


def test_a_council_correction_shows_the_machines_council():
    claim = claims().iloc[0].copy()
    claim["machine_council_code"], claim["machine_council_name"] = claim["council_code"], claim["council_name"]
    claim["council_code"], claim["council_name"] = "E10000020", "Norfolk County Council"
    text = " ".join(shown(claim))
    assert "Norfolk County Council [E10000020] (machine: Gloucestershire County Council [E10000013])" in text


@pytest.mark.parametrize("basis,source,expected", [
    ("paragraph", "Title\n\nGloucestershire County Council met on Monday. {s}\n\nAnother paragraph.",
     "paragraph: Gloucestershire County Council met on Monday. {s}"),
    ("article", "Gloucestershire plans a budget\n\nCouncillors met. {s}\n\nThe end.",
     "council named in the article: Gloucestershire plans a budget"),
    ("sentence", "Title\n\n{s}", None),  # the sentence itself is the evidence: nothing more shown
    ("article", "Title\n\n{s}", None),  # the name cannot be found: nothing made up
])
def test_context_of_a_paragraph_or_article_link(tmp_path, basis, source, expected):
    claim = claims().iloc[3].copy()  # the £3.9 million
    sentence = str(claim["sentence"])
    text = source.format(s=sentence)
    path = tmp_path / "003.txt"
    path.write_text(text, encoding="utf-8")
    claim["source_path"], claim["link_basis"], claim["text_path"] = str(path), basis, None
    claim["sentence_start"] = text.index(sentence)
    context = claim_context(claim, tmp_path)
    if expected is None:
        assert context is None
        return
    label, body = context
    assert f"{label}: {body}" == expected.format(s=sentence)
    assert any(line.startswith(label) for line in shown(claim, context))


def test_context_text_is_not_markup(tmp_path):
    claim = claims().iloc[3].copy()
    text = "[/bold] Gloucestershire [red]x[/red] {s}".format(s=claim["sentence"])
    (tmp_path / "003.txt").write_text(text, encoding="utf-8")
    claim["source_path"], claim["link_basis"], claim["text_path"] = str(tmp_path / "003.txt"), "paragraph", None
    claim["sentence_start"] = text.index(str(claim["sentence"]))
    assert "[/bold] Gloucestershire [red]x[/red]" in " ".join(shown(claim, claim_context(claim, tmp_path)))
