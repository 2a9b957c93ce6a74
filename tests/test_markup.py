"""Rich markup in data ("[/bold]", "[link=...]") is shown as text: no crash, nothing silently dropped."""
import io

import pandas as pd
import pytest
from rich.console import Console

from claim_rows import spend_rows, write_outputs
from pipeline import cli
from pipeline.report.terminal import render_report
from pipeline.review.command import review_command
from pipeline.review.render import render_claim
from pipeline.schema import ARTICLES, ERRORS
from pipeline.tables.files import claims_frame
from pipeline.tables.safe_cells import write_csv_cells

ARTICLE_COLUMNS, ERROR_COLUMNS = ARTICLES.names(), ERRORS.names()

MARKUP = ["[/bold]", "[link=http://example.com]click[/link]", "[red]", "Budget [2018] plan"]


@pytest.mark.parametrize("data", MARKUP)
def test_report_shows_markup_in_data_as_text(tmp_path, data):
    rows = spend_rows()
    rows[0].update(title=data, council_name=data, doc_id=data, flags="no_period", sentence=rows[0]["sentence"] + data)
    rows[1].update(kind=data)
    write_outputs(claims_frame(rows), tmp_path)
    write_csv_cells(pd.DataFrame([{"doc_id": data, "title": data, "council_name": data, "claims": 1, "boilerplate": "",
                             "status": "ok", "duplicate_of": "x"}], columns=ARTICLE_COLUMNS), tmp_path / "articles.csv")
    write_csv_cells(pd.DataFrame([{"source_path": f"in/{data}.csv", "status": "failed",
                                   "reason": f"in/{data}.csv: header column {data} unknown"}], columns=ERROR_COLUMNS),
                    tmp_path / "errors.csv")
    screen = io.StringIO()
    render_report(tmp_path, Console(file=screen, width=400))
    shown = screen.getvalue()
    assert shown.count(data) >= 4, shown


@pytest.mark.parametrize("data", MARKUP)
def test_review_panel_shows_markup_in_data(data):
    row = pd.Series({**spend_rows()[0], "title": data, "section": data, "attribution": data, "review_note": data,
                     "consistency_note": data, "_offset": None})
    screen = io.StringIO()
    Console(file=screen, width=400).print(render_claim(row))
    assert screen.getvalue().count(data) >= 4


def test_cli_error_handler_keeps_bracketed_text(tmp_path, capsys):
    out = tmp_path / "out[/bold][red]x"
    assert cli.main(["review", "--output", str(out), "--accept", "a"]) == 2
    assert f"{out}: no such folder" in capsys.readouterr().err.replace("\n", "")


def test_review_messages_keep_bracketed_paths(tmp_path):
    out = tmp_path / "out[bold]"
    out.mkdir()
    write_outputs(claims_frame(spend_rows()), out)
    screen = io.StringIO()
    review_command(out, accept=["c-pct"], reject=[], import_path=None, reviewer="ann", interactive=False,
                   filters={}, console=Console(file=screen, width=400))
    assert f"recorded in {out}/reviews.csv" in screen.getvalue()
