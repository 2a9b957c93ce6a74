"""The tokenizer's extra infix: a dash between numbers splits, so each number gets its own tokens."""
import pytest
import spacy

from pipeline.tokenizer import create_tokenizer


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.tokenizer = create_tokenizer()(nlp)
    return nlp


@pytest.mark.parametrize("text,tokens", [
    ("£1,000-£2,000", ["£", "1,000", "-", "£2,000"]),
    ("50-60 firefighters", ["50", "-", "60", "firefighters"]),
    ("COVID-19", ["COVID-19"]),
    ("17-year-olds", ["17", "-", "year", "-", "olds"]),
])
def test_tokens(nlp, text, tokens):
    assert [t.text for t in nlp(text)] == tokens
