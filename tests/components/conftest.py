"""Component tests run on a blank English pipeline with a rule-based sentencizer (milliseconds)."""
import pytest
import spacy


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
