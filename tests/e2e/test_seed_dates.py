"""Seed expectations of issue 4 (publication dates, periods), end to end with the trained model."""
from datetime import date
from pathlib import Path

import pytest

from pipeline.extract import extract, prepare_doc
from pipeline.io.inputs import read_txt

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
D = date.fromisoformat

# (seed prefix, number text, period start, period end)
PERIODS = [
    ("000", "1015", "2012-03-01", "2012-03-31"),
    ("000", "1107", "2017-03-01", "2017-03-31"),
    ("000", "£9 million", "2017-04-01", "2018-03-31"),
    ("000", "£5 million", "2021-04-01", "2022-03-31"),
    ("001", "1,137", "2014-03-01", "2014-03-31"),
    ("001", "1,360", "2017-01-01", "2017-12-31"),
    ("002", "£542m", "2018-04-01", "2019-03-31"),
    ("002", "nine out of 10", "2017-04-01", "2018-03-31"),
    ("002", "£3.1bn", "2025-01-01", "2025-12-31"),
    ("003", "700", "2018-03-01", "2018-03-31"),
]


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="module")
def seed_docs(nlp_model):
    """The seeds run through the pipeline the way extract does (structure, blanking, nlp)."""
    return {prefix: nlp_model(prepare_doc(nlp_model, read_txt(_seed(prefix)))) for prefix in ("000", "001", "002", "003")}


def _number(doc, text):
    matches = [span for span in doc.spans["numbers"] if text in span.text]
    assert matches, f"number_finder did not find {text!r}"
    return matches[0]


@pytest.mark.model
@pytest.mark.parametrize("prefix,number,start,end", PERIODS)
def test_seed_periods(seed_docs, prefix, number, start, end):
    period = _number(seed_docs[prefix], number)._.period
    assert (period.start, period.end) == (D(start), D(end))


@pytest.mark.model
def test_seed_publication_dates(seed_docs):
    assert (seed_docs["001"]._.publication.date, seed_docs["001"]._.publication.basis) == (D("2014-03-10"), "byline")
    assert (seed_docs["002"]._.publication.date, seed_docs["002"]._.publication.basis) == (D("2019-09-11"), "byline")
    for prefix, year in (("000", 2017), ("003", 2018)):
        publication = seed_docs[prefix]._.publication
        assert publication.basis == "inferred" and publication.date is None
        assert publication.earliest.year == year and publication.latest.year == year
    assert seed_docs["000"]._.publication.latest <= D("2017-09-21")  # before its first comment
    assert seed_docs["003"]._.publication.latest <= D("2018-03-03")


@pytest.mark.model
def test_seed_names_and_durations_are_not_periods(seed_docs):
    texts = [span.text for doc in seed_docs.values() for span in doc.spans["dates"]]
    assert not any("2014" in text for text in texts if "Care Act" in text)
    assert not any("four years" in text or "three years" in text for text in texts)


@pytest.mark.model
def test_seed_claims_table(tmp_path, nlp_model):
    """The same expectations through the library API (pipeline.extract)."""
    result = extract([SEEDS], tmp_path, nlp=nlp_model)
    claims = result.claims
    for prefix, number, start, end in PERIODS:
        rows = claims[claims["doc_id"].astype(str).str.startswith(prefix) & claims["text"].str.contains(number, regex=False)]
        assert len(rows), f"no claim {number!r} in seed {prefix}"
        assert (rows.iloc[0]["period_start"], rows.iloc[0]["period_end"]) == (start, end)
    published = claims[claims["doc_id"].astype(str).str.startswith("001")]["published"].iloc[0]
    assert str(published).startswith("2014-03-10")
