"""The rich report, rendered into a 100-column string from small hand-made outputs (no NLP)."""
import io

import pandas as pd
import pytest
from rich.console import Console

from pipeline.report.terminal import claim_line, render_report
from pipeline.schema import ARTICLES, ERRORS
from pipeline.tables.files import claims_frame

from claim_rows import write_outputs


def claim(**fields):
    base = {"claim_id": "a1", "doc_id": "000_doc", "source_path": "seeds/000_doc.txt", "line": 3, "char_start": 10,
            "char_end": 21, "text": "£12 million", "sentence": "The council plans to invest £12 million.",
            "kind": "money", "value": 12e6, "unit": "GBP", "scope": "council", "link_basis": "sentence",
            "period_basis": "none", "section": "body", "confidence": 0.9, "flags": "",
            "council_code": "E10000020", "council_name": "Norfolk County Council",
            "period_start": "2017-04-01", "period_end": "2018-03-31"}
    row = {**base, **fields}
    row.setdefault("sentence_offset", row["sentence"].find(row["text"]))
    return row


@pytest.fixture
def outputs(tmp_path):
    claims = claims_frame([
        claim(),
        claim(claim_id="b2", text="1,137", kind="count", value=1137.0, unit=None, flags="no_period",
              sentence="The council currently has 1,137 looked-after children.", period_start=None, period_end=None),
        claim(claim_id="c3", doc_id="002_doc", council_code=None, council_name=None, scope="national", text="£542m",
              value=542e6, sentence="An additional £542m in 2018-19.", flags="no_council"),
    ])
    write_outputs(claims, tmp_path)
    articles = pd.DataFrame([
        {"doc_id": "000_doc", "title": "Council asks for £12 million", "published": None, "published_latest": "2017-09-20",
         "council_name": "Norfolk County Council", "claims": 2, "boilerplate": "comments=1;photo_credit=1", "status": "ok"},
        {"doc_id": "002_doc", "title": "The missing piece", "published": "2019-09-11", "claims": 1, "boilerplate": "", "status": "ok"},
    ], columns=ARTICLES.names())
    articles.to_csv(tmp_path / "articles.csv", index=False)
    errors = pd.DataFrame([{"source_path": "in/bad.txt", "status": "failed", "reason": "not text: binary data"}],
                          columns=ERRORS.names())
    errors.to_csv(tmp_path / "errors.csv", index=False)
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


def highlighted(row: dict) -> str:
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="standard")
    console.print(claim_line(row))
    return console.file.getvalue().splitlines()[1]


@pytest.mark.parametrize("sentence,offset,plain_before", [
    ("In 2019 the council had 2019 staff.", 24, "In 2019 the council had "),  # the year is not the claim
    ("The  council\thas   1,137 children.", 19, "The council has "),  # white space folded
    ("x " * 150 + "and 1,137 children.", 304, "…"),  # cut around the number
])
def test_the_flagged_line_highlights_the_claims_own_occurrence(sentence, offset, plain_before):
    text = sentence[offset : offset + 5] if "1,137" in sentence else "2019"
    line = highlighted(claim(text=text, sentence=sentence, sentence_offset=offset, kind="count", value=1.0, unit=None))
    before, _, rest = line.partition("\x1b[")
    assert before.strip().startswith(plain_before.strip()[:20]) and rest.split("m", 1)[1].startswith(text)
