"""The measures the issue names on the seed articles hold exactly (real model, whole pipeline)."""
from pathlib import Path

import pytest

from pipeline.extract import extract

pytestmark = pytest.mark.model

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SPEND = "total spend on services for vulnerable children"


@pytest.fixture(scope="module")
def seed_claims(nlp_model):
    return extract([SEEDS], None, nlp=nlp_model).claims


@pytest.mark.parametrize("doc_prefix,text,measure", [
    ("001", "1,137", "looked-after children"),
    ("002", "nine out of 10", "councils"),
    ("003", "£3.9 million", "children’s safeguarding service"),
    ("003", "£1.1 million", "improvement plan"),  # what is implemented, never the verb "implementing"
    ("003", "28.4%", SPEND),  # one change, three numbers, one measure
    ("003", "£57.4 million", SPEND),
    ("003", "£73.7 million", SPEND),
    ("003", "17%", "referrals to children’s social care"),
    ("004", "£1.9 billion", "funding gap for children's services"),
])
def test_seed_measures(seed_claims, doc_prefix, text, measure):
    rows = seed_claims[seed_claims.doc_id.str.startswith(doc_prefix) & (seed_claims.text == text)]
    assert list(rows.measure) == [measure]


def test_seed_attribution_names_the_strategy(seed_claims):
    row = seed_claims[seed_claims.doc_id.str.startswith("003") & (seed_claims.text == "17%")].iloc[0]
    assert row.attribution == "Gloucestershire’s medium-term financial strategy"


def test_seed_measures_are_mostly_present(seed_claims):
    assert (seed_claims.measure.fillna("") != "").mean() >= 0.9
