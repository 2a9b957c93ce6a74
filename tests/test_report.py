"""The rich report, rendered into a 100-column string from small hand-made outputs (no NLP)."""
import io

import pandas as pd
import pytest
from rich.console import Console

from pipeline.report.terminal import render_report
from pipeline.tables.files import ARTICLE_COLUMNS, ERROR_COLUMNS, claims_frame, write_claims, write_csv


def claim(**fields):
    base = {"claim_id": "a1", "doc_id": "000_doc", "source_path": "seeds/000_doc.txt", "line": 3, "char_start": 10,
            "char_end": 21, "text": "£12 million", "sentence": "The council plans to invest £12 million.",
            "kind": "money", "value": 12e6, "unit": "GBP", "scope": "council", "link_basis": "sentence",
            "period_basis": "none", "section": "body", "confidence": 0.9, "flags": "",
            "council_code": "E10000020", "council_name": "Norfolk County Council",
            "period_start": "2017-04-01", "period_end": "2018-03-31"}
    return {**base, **fields}


@pytest.fixture
def outputs(tmp_path):
    claims = claims_frame([
        claim(),
        claim(claim_id="b2", text="1,137", kind="count", value=1137.0, unit=None, flags="no_period",
              sentence="The council currently has 1,137 looked-after children.", period_start=None, period_end=None),
        claim(claim_id="c3", doc_id="002_doc", council_code=None, council_name=None, scope="national", text="£542m",
              value=542e6, sentence="An additional £542m in 2018-19.", flags="no_council"),
    ])
    write_claims(claims, tmp_path)
    articles = pd.DataFrame([
        {"doc_id": "000_doc", "title": "Council asks for £12 million", "published": None, "published_latest": "2017-09-20",
         "council_name": "Norfolk County Council", "claims": 2, "boilerplate": "comments=1;photo_credit=1", "status": "ok"},
        {"doc_id": "002_doc", "title": "The missing piece", "published": "2019-09-11", "claims": 1, "boilerplate": "", "status": "ok"},
    ], columns=ARTICLE_COLUMNS)
    write_csv(articles, tmp_path / "articles.csv")
    errors = pd.DataFrame([{"source_path": "in/bad.txt", "status": "failed", "reason": "not text: binary data"}],
                          columns=ERROR_COLUMNS)
    write_csv(errors, tmp_path / "errors.csv")
    return tmp_path


def render(out_dir) -> str:
    buffer = io.StringIO()
    render_report(out_dir, Console(file=buffer, width=100))
    return buffer.getvalue()


def test_report_sections(outputs):
    text = render(outputs)
    assert "inputs 3 = processed 2 + failed 1" in text
    assert "claims 3 (count 1, money 2)" in text
    assert "~2017-09-20" in text and "2019-09-11" in text
    assert "Norfolk County Council" in text and "E10000020" in text and "£12.0m" in text
    assert "(national)" in text
    assert "in/bad.txt" in text and "not text: binary data" in text
    assert "Claims flagged for review (2)" in text
    assert "000_doc:3  count 1,137  [no_period]" in text
    assert "consistency: inconsistent_change 0, headline_mismatch 0, conflicting_claims 0" in text


def test_report_fits_100_columns_and_has_no_colour_codes_when_piped(outputs):
    text = render(outputs)
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 100
