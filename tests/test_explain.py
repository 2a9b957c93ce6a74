"""pipeline/explain.py and `claims explain`: every number candidate of one input, kept or vetoed."""
import io
import json

import pytest
from rich.console import Console

from pipeline.cli import build_parser, main
from pipeline.explain import CandidateDecision, ExplainError, explain, render_explanation

ARTICLE = (
    "Eastmoor Council will spend £4.5 million on libraries.\n"
    "The plan, agreed in 2019, covers 23 branches and almost 60 staff.\n"
    "Call 0800 555 0199 for opening hours.\n"
)


def decision(text, sentence, *, kept, **fields):
    start = sentence.index(text)
    return CandidateDecision(doc_id="doc", source_path="doc.txt", char_start=start, char_end=start + len(text),
                             text=text, sentence=sentence, sentence_start=0, kept=kept, **fields)


def render(decisions) -> str:
    console = Console(file=io.StringIO(), width=100)
    render_explanation(decisions, console)
    return console.file.getvalue()


def test_render_lists_kept_and_vetoed_with_their_reasons():
    sentence = "In 2019 the council spent £4.5 million."
    out = render([
        decision("2019", sentence, kept=False, veto="year", reason="a four-digit year 1800-2099"),
        decision("£4.5 million", sentence, kept=True, kind="money", value=4.5e6, unit="GBP", rule="money"),
    ])
    lines = out.splitlines()
    assert lines[0].startswith("doc (doc.txt): 1 kept, 1 vetoed")
    assert sentence in out
    assert any("vetoed" in line and "2019" in line and "year" in line and "1800-2099" in line for line in lines)
    assert any("kept" in line and "£4.5 million" in line and "money 4,500,000 GBP" in line and "rule money" in line
               for line in lines)
    assert lines[-1] == "2 candidates: 1 kept, 1 vetoed"


def test_render_escapes_markup_in_article_text():
    sentence = "The [/bold] budget of [red]£3m[/red] rose."
    out = render([decision("£3m", sentence, kept=True, kind="money", value=3e6, unit="GBP", rule="money[/]")])
    assert "The [/bold] budget of [red]£3m[/red] rose." in out
    assert "rule money[/]" in out


def test_render_without_candidates():
    assert render([]).strip() == "no number candidates found"


def test_missing_file_is_an_explain_error(tmp_path):
    with pytest.raises(ExplainError, match="nope.txt: no such file"):
        explain(tmp_path / "nope.txt")


def test_cli_names_a_missing_file(tmp_path, capsys):
    assert main(["explain", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt: no such file" in capsys.readouterr().err


def test_help_ends_with_an_example():
    sub = build_parser()._subparsers._group_actions[0].choices["explain"]
    assert sub.epilog.startswith("example: claims explain")


@pytest.mark.model
def test_explain_a_text_file(tmp_path, nlp_model):
    path = tmp_path / "eastmoor.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    decisions = explain(path, nlp_model)
    assert all(ARTICLE[d.char_start : d.char_end] == d.text for d in decisions)
    assert [d.char_start for d in decisions] == sorted(d.char_start for d in decisions)
    kept = {d.text: (d.kind, d.value, d.unit, d.rule) for d in decisions if d.kept}
    assert kept["£4.5 million"] == ("money", 4.5e6, "GBP", "money")
    assert kept["23"] == ("count", 23.0, None, "count_digits")
    assert kept["60"][:2] == ("count", 60.0)
    vetoed = {d.text: d.veto for d in decisions if not d.kept}
    assert vetoed["2019"] == "year"
    assert vetoed["0800"] == "phone"
    year = next(d for d in decisions if d.text == "2019")
    assert year.sentence == "The plan, agreed in 2019, covers 23 branches and almost 60 staff."
    assert year.reason and "1800-2099" in year.reason


@pytest.mark.model
def test_explain_picks_a_jsonl_row(tmp_path, nlp_model):
    path = tmp_path / "articles.jsonl"
    rows = [{"id": "a", "text": "The council cut 40 posts."}, {"id": "b", "text": "In 2016 it hired 12 wardens."}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert {d.doc_id for d in explain(path, nlp_model)} == {"a"}
    second = explain(path, nlp_model, row=2)
    assert [(d.doc_id, d.text, d.kept) for d in second] == [("b", "2016", False), ("b", "12", True)]
    assert {d.doc_id for d in explain(path, nlp_model, rows=5)} == {"a", "b"}
    with pytest.raises(ExplainError, match="--row 3, but the file holds 2 record"):
        explain(path, nlp_model, row=3)


@pytest.mark.model
def test_cli_explains_a_file(tmp_path, capsys):
    path = tmp_path / "eastmoor.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["explain", str(path)]) == 0
    out = capsys.readouterr().out
    assert "eastmoor" in out and "£4.5 million" in out
    assert "kept" in out and "vetoed" in out and "year" in out
    assert out.rstrip().splitlines()[-1].endswith("vetoed")
