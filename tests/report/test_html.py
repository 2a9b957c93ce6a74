"""report.html from a small hand-built outputs folder: it parses, every claim id and link target is
there, nothing loads from the network, claims are highlighted in place and boilerplate is greyed."""
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from lxml import html as lxml_html

from pipeline.report.html import render_html, shown_value
from pipeline.tables.decisions import read_reviews
from pipeline.schema import ARTICLES
from pipeline.tables.files import claims_frame

ARTICLE_COLUMNS = ARTICLES.names()
from pipeline.tables.finalize import finalize

# Invented articles: a .txt input (offsets index the file) and a CSV-style one (offsets index texts/<doc_id>.txt).
LIBRARY = ("Riverside council plans £4.5m library fund\n\n"
           "The council will spend £4.5m on libraries in 2019/20, up 12% on last year.\n\n"
           "More from Riverside news\nSubscribe now\n")
BRIDGE = ("Hill county bridge repairs <script>alert(1)</script> cost £2bn\n\n"
          "Engineers said 40 bridges need work, a </script> quarter of them urgently.\n")
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "param", "track"}


def _rows(doc_id, text, source_path, numbers, **extra):
    rows, at = [], 0
    for number, kind, value, unit, flags in numbers:
        start = text.index(number, at)
        at = start + len(number)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        rows.append({
            "claim_id": f"{abs(hash((doc_id, start))) % 16**16:016x}", "doc_id": doc_id, "source_path": source_path,
            "line": text.count("\n", 0, start) + 1, "char_start": start, "char_end": at, "text": number,
            "sentence": text[line_start:line_end], "kind": kind, "value": value, "unit": unit,
            "council_code": "E06000099", "council_name": "Riverside Council", "scope": "council",
            "link_basis": "sentence", "period_start": "2019-04-01", "period_end": "2020-03-31",
            "period_basis": "explicit", "section": "body", "confidence": 0.9, "flags": flags,
            "title": text.splitlines()[0], **extra})
    return rows


def _make_outputs(tmp_path):
    out = tmp_path / "out"
    (out / "texts").mkdir(parents=True)
    source = tmp_path / "in" / "library.txt"
    source.parent.mkdir()
    source.write_text(LIBRARY, encoding="utf-8")
    (out / "texts" / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    rows = _rows("library", LIBRARY, str(source), [
        ("£4.5m", "money", 4_500_000.0, "GBP", ""), ("£4.5m", "money", 4_500_000.0, "GBP", ""),
        ("12%", "percent", 12.0, "%", "bound")])
    rows += _rows("bridge", BRIDGE, "in/articles.csv:2", [
        ("£2bn", "money", 2e9, "GBP", "no_period"), ("40", "count", 40.0, None, ""),
        ("quarter", "ratio", 0.25, None, "")], text_path=str(out / "texts" / "bridge.txt"))
    finalize(lambda: iter([claims_frame(rows)]), read_reviews(out / "reviews.csv"), out)
    articles = [{"doc_id": "library", "source_path": str(source), "title": LIBRARY.splitlines()[0], "claims": 3,
                 "boilerplate": "subscription=1", "status": "ok"},
                {"doc_id": "bridge", "source_path": "in/articles.csv:2", "title": BRIDGE.splitlines()[0], "claims": 3,
                 "text_path": str(out / "texts" / "bridge.txt"), "status": "ok"},
                {"doc_id": "empty", "source_path": "in/empty.txt", "claims": 0, "status": "no_claims"}]
    pd.DataFrame(articles, columns=ARTICLE_COLUMNS).to_csv(out / "articles.csv", index=False)
    pd.DataFrame([{"source_path": "in/bad.txt", "doc_id": "", "status": "failed", "reason": "binary"}]).to_csv(
        out / "errors.csv", index=False)
    return out


@pytest.fixture
def outputs(tmp_path):
    return _make_outputs(tmp_path)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(outputs folder, page) rendered once for the tests that only read it (vl-convert takes ~1 s a page)."""
    out = _make_outputs(tmp_path_factory.mktemp("rendered"))
    return out, render_html(out).read_text(encoding="utf-8")


def _page(out, **kwargs):
    path = render_html(out, **kwargs)
    return path.read_text(encoding="utf-8")


def _data(page):
    tree = lxml_html.fromstring(page)
    payload = json.loads(tree.get_element_by_id("claims-data").text)
    return [dict(zip(payload["columns"], row)) for row in payload["rows"]]


class _Balance(HTMLParser):
    """Every non-void element closed, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def test_page_parses_with_every_element_closed(rendered):
    outputs, page = rendered
    checker = _Balance()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert page.startswith("<!DOCTYPE html>")
    tree = lxml_html.fromstring(page)
    assert len(tree.findall(".//script")) == 2  # the data and the table's code: article text made none


def test_every_claim_id_appears(rendered):
    outputs, page = rendered
    ids = set(pd.read_parquet(outputs / "claims.parquet")["claim_id"])
    assert {row["id"] for row in _data(page)} == ids
    tree = lxml_html.fromstring(page)
    for claim_id in ids:
        assert tree.get_element_by_id(f"c-{claim_id}") is not None  # the row beside its article


def test_every_link_target_exists(rendered):
    outputs, page = rendered
    tree = lxml_html.fromstring(page)
    ids = {element.get("id") for element in tree.iter() if element.get("id")}
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert hrefs and all(h.startswith("#") and h[1:] in ids for h in hrefs)
    anchors = [row["anchor"] for row in _data(page)]
    assert all(anchors) and all(anchor in ids for anchor in anchors)
    docs = json.loads(tree.get_element_by_id("claims-data").text)["docs"]
    assert docs == {"library": "doc-library", "bridge": "doc-bridge"}


def test_nothing_loads_from_the_network(rendered):
    outputs, page = rendered
    assert not re.search(r"""(?:src|href|action|srcset|data)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)
    assert not re.search(r"<(?:link|iframe|img|object|embed)\b", page, re.I)
    assert "xmlns" not in page  # the inline SVG's namespace URLs are dropped too


def test_claims_are_highlighted_in_place_coloured_by_kind(rendered):
    outputs, page = rendered
    tree = lxml_html.fromstring(page)
    claims = pd.read_parquet(outputs / "claims.parquet")
    for claim in claims.itertuples():
        mark = tree.get_element_by_id(f"m-{claim.claim_id}")
        assert mark.tag == "mark" and mark.text == claim.text
        assert mark.find("span").text == claim.kind
        assert "Riverside Council" in mark.get("data-tip") and "2019-04-01..2020-03-31" in mark.get("data-tip")
    library = tree.get_element_by_id("doc-library")
    text = library.find_class("text")[0].text_content()
    assert text.replace("money", "").replace("percent", "") == LIBRARY  # the whole text, in order
    colours = {m.find("span").text: m.get("style") for m in tree.iter("mark")}
    assert len(set(colours.values())) == len(colours)  # one colour a kind
    assert "flagged" in tree.get_element_by_id(f"m-{claims.loc[2, 'claim_id']}").get("class")


def test_dropped_boilerplate_is_greyed(rendered):
    outputs, page = rendered
    tree = lxml_html.fromstring(page)
    dropped = tree.get_element_by_id("doc-library").find_class("dropped")
    assert [d.text_content() for d in dropped] == ["More from Riverside news\nSubscribe now\n"]
    assert dropped[0].get("title") == "dropped: subscription"
    assert not tree.get_element_by_id("doc-bridge").find_class("dropped")


def test_article_text_is_escaped_not_markup(rendered):
    outputs, page = rendered
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    sentences = [row["sentence"] for row in _data(page)]
    assert any("</script>" in s for s in sentences)  # survives the JSON round trip intact


def test_at_most_max_articles_are_rendered_and_the_page_says_so(outputs):
    page = _page(outputs, max_articles=1)
    tree = lxml_html.fromstring(page)
    assert len(tree.find_class("doc")) == 1
    assert "at most 1 are shown in full" in page
    anchors = {row["doc"]: row["anchor"] for row in _data(page)}
    assert anchors["library"].startswith("m-") and anchors["bridge"] == ""
    assert json.loads(tree.get_element_by_id("claims-data").text)["docs"] == {"library": "doc-library"}


def test_missing_source_lists_claims_without_highlights(outputs, tmp_path):
    (tmp_path / "in" / "library.txt").unlink()
    page = _page(outputs)
    tree = lxml_html.fromstring(page)
    assert "no longer where extract read it" in page
    assert not tree.get_element_by_id("doc-library").findall(".//mark")
    assert all(row["anchor"].startswith("c-") for row in _data(page) if row["doc"] == "library")


def test_a_changed_source_is_not_highlighted_at_wrong_offsets(outputs, tmp_path):
    (tmp_path / "in" / "library.txt").write_text("Edited. " + LIBRARY, encoding="utf-8")
    page = _page(outputs)
    assert "no longer match the text at their offsets" in page
    assert not lxml_html.fromstring(page).get_element_by_id("doc-library").findall(".//mark")


def test_summary_and_charts(outputs):
    page = _page(outputs, run_seconds=12.3)
    tree = lxml_html.fromstring(page)
    summary = tree.get_element_by_id("summary").text_content()
    for words in ("processed 3", "failed 1", "without claims 1", "money 3", "bound 1", "no_period 1",
                  "pending 6", "12.3 s"):
        assert words in summary
    figures = tree.get_element_by_id("charts").findall(".//figure")
    assert len(figures) == 4 and all(f.find(".//svg") is not None for f in figures)
    assert "Riverside Council" in figures[0].text_content()
    # A re-render keeps the run time the extraction recorded.
    assert "12.3 s" in lxml_html.fromstring(_page(outputs)).get_element_by_id("summary").text_content()


def test_report_cli_rerenders_the_page(outputs, capsys):
    from pipeline.cli import main

    assert main(["report", "--output", str(outputs), "--html"]) == 0
    assert "report.html" in capsys.readouterr().out
    assert (outputs / "report.html").stat().st_size > 10_000


@pytest.mark.parametrize("row,shown", [
    ({"kind": "money", "unit": "GBP", "value": 12_000_000.0}, "£12.0m"),
    ({"kind": "money", "unit": "GBP", "value": 0.5}, "£0.50"),
    ({"kind": "money", "unit": "GBP", "value": 400.0, "per": "year"}, "£400.00 a year"),
    ({"kind": "percent", "unit": "%", "value": 28.4}, "28.4%"),
    ({"kind": "count", "unit": None, "value": 1137.0}, "1,137"),
    ({"kind": "quantity", "unit": "metre", "value": 9.0}, "9 metre"),
    ({"kind": "money", "unit": "USD", "value": 1.13e9}, "$1.1bn"),
    ({"kind": "money", "unit": "CHF", "value": 1.5}, "1.5 CHF"),
    ({"kind": "count", "unit": None, "value": None}, ""),
])
def test_shown_value(row, shown):
    assert shown_value(row) == shown


@pytest.mark.parametrize("text,number,width,expected", [
    ("short sentence", "x", 20, "short sentence"),
    ("a" * 10 + "£5m" + "b" * 10, "£5m", 9, "…aaa£5mbbb…"),
    ("£5m" + "b" * 20, "£5m", 6, "£5mbbb…"),
    ("a" * 20 + "£5m", "£5m", 6, "…aaa£5m"),
    ("a" * 20, "", 5, "aaaaa…"),
])
def test_long_hover_text_is_clipped_around_the_number(text, number, width, expected):
    from pipeline.report.html import _around

    assert _around(text, number, width) == expected


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="chromium not installed (apt-get install chromium)")
def test_the_table_renders_in_a_browser_with_no_network(outputs):
    page = render_html(outputs)
    profile = tempfile.mkdtemp()
    try:
        dom = subprocess.run(
            ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    body = lxml_html.fromstring(dom).get_element_by_id("claims-body")
    assert len(body.findall("tr")) == 6  # rows drawn by the page's own script, with every request refused
    links = [a.get("href") for a in body.iter("a")]
    assert len(links) == 12 and {"#doc-library", "#doc-bridge"} <= set(links)  # to the number and the article
    assert "6 of 6 claims" in dom
