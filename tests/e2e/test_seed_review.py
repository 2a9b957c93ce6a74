"""End to end on seeds/ with the trained model: review decisions survive a re-run after an article is edited."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from pipeline.extract import extract
from pipeline.review.command import refresh_review_outputs, review_command
from pipeline.tables.decisions import ORPHANS_FILE
from pipeline.tables.exports import REVIEWED_FILE
from pipeline.tables.files import read_claims

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
pytestmark = pytest.mark.model


def test_decisions_survive_make_extract_after_an_article_is_edited(tmp_path, nlp_model):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    article = inputs / "spend.txt"
    original = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    article.write_text(original, encoding="utf-8")
    first = extract([inputs], out, nlp=nlp_model).claims
    by_text = dict(zip(first["text"], first["claim_id"]))
    review_command(out, accept=[by_text["28.4%"], by_text["£1.1 million"]], reject=[by_text["2.49%"]],
                   import_path=None, reviewer="ann", interactive=False, filters={},
                   console=Console(file=io.StringIO()))

    article.write_text(original.replace("The council will also spend an extra £1.1 million",
                                        "The council will spend a further £1.1 million"), encoding="utf-8")
    extract([inputs], out, nlp=nlp_model)
    summary = refresh_review_outputs(out)
    table = read_claims(out)
    orphans = pd.read_csv(out / ORPHANS_FILE, dtype=str, keep_default_na=False)
    status = dict(zip(table["text"], table["review_status"]))
    assert status["28.4%"] == "accepted" and status["2.49%"] == "rejected"
    assert status["£1.1 million"] == "pending"  # a new claim: its sentence changed
    assert list(orphans["claim_id"]) == [by_text["£1.1 million"]] and summary.orphaned == 1
    new_id = table.loc[table["text"] == "£1.1 million", "claim_id"].iloc[0]
    assert orphans.loc[0, "suggested_claim_id"] == new_id
    assert sorted(pd.read_csv(out / REVIEWED_FILE, dtype=str)["text"]) == ["28.4%"]
