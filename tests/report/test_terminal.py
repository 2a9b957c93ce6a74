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
    assert "Claims flagged for review (2; still pending 2, most flags first)" in text
    assert "000_doc:3  count 1,137  [no_period]" in text
    assert "run time not recorded" in text
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


def test_report_shows_run_time_and_claims_by_kind_and_scope(outputs):
    buffer = io.StringIO()
    render_report(outputs, Console(file=buffer, width=100), run_seconds=12.34)
    text = buffer.getvalue()
    assert "run time 12.3 s" in text
    lines = [" ".join(line.strip("│ ").split()) for line in text.splitlines()]
    assert "kind council national all" in lines
    assert "money 1 1 2" in lines and "count 1 0 1" in lines


def test_councils_count_kinds_and_show_the_largest_figures_with_their_measure(tmp_path):
    write_outputs(claims_frame([
        claim(claim_id="m1", value=2e6, text="£2m", sentence="It spends £2m on roads.", measure="roads"),
        claim(claim_id="m2", value=9e6, text="£9m", sentence="It spends £9m on care.", measure="adult care"),
        claim(claim_id="m3", value=1e6, text="£1m", sentence="It spends £1m on parks.", measure="parks"),
        claim(claim_id="n1", kind="count", unit=None, value=40.0, text="40", sentence="It has 40 parks."),
    ]), tmp_path)
    buffer = io.StringIO()
    render_report(tmp_path, Console(file=buffer, width=200))
    text = buffer.getvalue()
    assert "money mentioned" not in text and "£12.0m" not in text  # no sum of unrelated figures
    assert "money 3, count 1" in text
    assert "£9.0m adult care; £2.0m roads" in text and "£1.0m parks" not in text


def test_council_by_year_table(tmp_path):
    write_outputs(claims_frame([
        claim(claim_id="y1"), claim(claim_id="y2", period_start="2019-04-01", period_end="2020-03-31"),
        claim(claim_id="y3", period_start="2019-01-01", period_end="2019-12-31"),
        claim(claim_id="y4", period_start=None, period_end=None, flags="no_period"),
        claim(claim_id="y5", council_code=None, council_name=None, scope="national"),
    ]), tmp_path)
    text = render(tmp_path)
    assert "Claims by council and year" in text
    header = next(line for line in text.splitlines() if "no period" in line)
    assert header.index("2017") < header.index("2019")
    row = next(line for line in text.splitlines() if "Norfolk County Council" in line and "│" in line and "2017" not in line
               and line.count("│") == 5)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["Norfolk County Council", "1", "2", "1"]
    years_table = text[text.index("Claims by council and year"):]
    assert "(national)" not in years_table.split("review")[0]  # councils only, not scopes


def test_flagged_list_shows_pending_claims_most_flags_first(tmp_path):
    reviews = pd.DataFrame([{"claim_id": "f3", "status": "rejected", "timestamp": "2026-01-01T00:00:00"},
                            {"claim_id": "f4", "status": "accepted", "timestamp": "2026-01-01T00:00:00"}])
    write_outputs(claims_frame([
        claim(claim_id="f1", line=1, flags="no_period"),
        claim(claim_id="f2", line=2, flags="no_period;no_council"),
        claim(claim_id="f3", line=3, flags="no_period;no_council;bound"),
        claim(claim_id="f4", line=4, flags="no_council"),
    ]), tmp_path, reviews=reviews)
    text = render(tmp_path)
    assert "Claims flagged for review (4; still pending 2, most flags first)" in text
    assert text.index("000_doc:2 ") < text.index("000_doc:1 ")
    assert "000_doc:3 " not in text and "000_doc:4 " not in text
    assert "[no_period;no_council]  pending" in text


def test_articles_listed_are_those_with_most_claims_then_most_flags(tmp_path, monkeypatch):
    import pipeline.report.terminal as terminal

    monkeypatch.setattr(terminal, "MAX_LISTED", 4)
    monkeypatch.setattr(terminal, "CSV_CHUNK", 3)  # several chunks: the choice is kept across them
    flagged = [claim(claim_id=f"g{i}", doc_id="doc_flagged", flags="no_period") for i in range(3)]
    write_outputs(claims_frame([claim(), *flagged]), tmp_path)
    counts = {"doc_a": 0, "doc_b": 9, "doc_c": 0, "doc_d": 7, "doc_flagged": 3, "doc_e": 1, "doc_f": 0}
    pd.DataFrame([{"doc_id": d, "title": f"title of {d}", "claims": n, "boilerplate": "", "status": "ok"}
                  for d, n in counts.items()], columns=ARTICLES.names()).to_csv(tmp_path / "articles.csv", index=False)
    text = render(tmp_path)
    listed = [d for d in counts if f"│ {d} " in text]
    assert listed == ["doc_b", "doc_d", "doc_flagged", "doc_e"]  # doc_e: the room left, by claims
    assert text.index("│ doc_b") < text.index("│ doc_d") < text.index("│ doc_flagged") < text.index("│ doc_e")
    assert "4 of 7 articles: those with the most claims, then the most flagged claims" in text


@pytest.mark.parametrize("width", [100, 200])
def test_titles_use_the_width(outputs, width):
    articles = pd.read_csv(outputs / "articles.csv")
    articles.loc[0, "doc_id"] = "000_doc_with_a_long_name"
    articles.loc[0, "title"] = "A council title long enough to be cut on a narrow screen but whole on a wide one"
    articles.to_csv(outputs / "articles.csv", index=False)
    buffer = io.StringIO()
    render_report(outputs, Console(file=buffer, width=width))
    text = buffer.getvalue()
    assert max(len(line) for line in text.splitlines()) <= width
    rows = [line for line in text.splitlines() if line.startswith("│ 000_doc")]
    assert rows and all(line.endswith("│") for line in rows)  # the table fits: not cropped at the edge
    whole = "A council title long enough to be cut on a narrow screen but whole on a wide one" in text
    assert whole == (width == 200)
