"""End to end on seeds/: every claim lands on the council issue 3 expects (trained model)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import extract

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def claims(tmp_path_factory, nlp_model):
    result = extract([SEEDS], tmp_path_factory.mktemp("out"), nlp=nlp_model)
    return result.claims


def _doc(claims, prefix: str):
    rows = claims[claims["doc_id"].astype(str).str.startswith(prefix)]
    assert len(rows), f"no claims for seed {prefix}"
    return rows


@pytest.mark.model
@pytest.mark.parametrize("prefix,code", [("000", "E10000020"), ("001", "E10000020"), ("003", "E10000013")])
def test_seed_claims_belong_to_the_article_council(claims, prefix, code):
    rows = _doc(claims, prefix)
    assert set(rows["council_code"]) == {code}, rows[["text", "council_code", "link_basis"]].to_string()
    assert set(rows["scope"]) == {"council"}


@pytest.mark.model
def test_seed_003_names_other_councils_without_crediting_them(claims):
    rows = _doc(claims, "003")
    # Redbridge, Hillingdon and Slough
    assert not set(rows["council_code"]) & {"E09000026", "E09000017", "E06000039"}


@pytest.mark.model
@pytest.mark.parametrize("prefix", ["002", "004"])
def test_national_seeds_link_no_council(claims, prefix):
    rows = _doc(claims, prefix)
    assert rows["council_code"].isna().all(), rows[["text", "council_code", "scope"]].to_string()
    assert set(rows["scope"]) <= {"national", "unknown"}
    # the named national figures are national, not merely unlinked
    national = set(rows.loc[rows["scope"] == "national", "text"])
    if prefix == "002":
        assert {"nine out of 10", "£542m"} <= national
    else:
        assert {"£1.9 billion", "69 per cent"} <= national
