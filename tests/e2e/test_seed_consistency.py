"""End to end on seeds/ with the trained model: the seeds are consistent, an edited difference is caught."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import extract
from pipeline.tables.consistency import CONFLICTING_CLAIMS, HEADLINE_MISMATCH, INCONSISTENT_CHANGE, check_consistency

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
pytestmark = pytest.mark.model


def test_seeds_are_consistent_and_an_edited_difference_is_caught(tmp_path, nlp_model):
    inputs = tmp_path / "in"
    inputs.mkdir()
    spend = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    plans = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    (inputs / "spend.txt").write_text(spend, encoding="utf-8")
    (inputs / "plans.txt").write_text(plans, encoding="utf-8")
    (inputs / "spend_wrong.txt").write_text(spend.replace("by 28.4%", "by 18.4%"), encoding="utf-8")
    (inputs / "plans_wrong.txt").write_text(plans.replace("increase of more than 23,000", "increase of 10,000"),
                                            encoding="utf-8")
    result = extract([inputs], None, nlp=nlp_model)
    table = check_consistency(result.claims)
    flagged = table[table["flags"].str.contains(INCONSISTENT_CHANGE)]
    assert sorted(set(flagged["source_path"].map(lambda p: Path(p).stem))) == ["plans_wrong", "spend_wrong"]
    assert set(flagged["text"]) >= {"18.4%", "£57.4 million", "£73.7 million", "10,000", "26,400", "50,000"}
    assert not table["flags"].str.contains(HEADLINE_MISMATCH + "|" + CONFLICTING_CLAIMS).any()
