"""line_sentences: a new line starts a sentence unless it continues a hard-wrapped one."""
import pytest
import spacy

from pipeline import components  # noqa: F401


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("line_sentences")
    return nlp


@pytest.mark.parametrize("text,starts", [
    ("Council asks for £12 million\n\nThe council plans", ["Council", "The"]),
    ("Neil Puffett\nMonday, March 10, 2014", ["Neil", "Monday"]),
    ("The council will spend an extra\n£3.9 million on services.", ["The"]),  # hard-wrapped: left to senter
    ("The council will spend\nan extra sum.", ["The"]),
    ("Norfolk budget\n\n£12m to be spent", ["Norfolk", "£"]),  # a blank line always breaks
    ("One line only.", ["One"]),
])
def test_sentence_starts(nlp, text, starts):
    doc = nlp(text)
    assert [t.text for t in doc if t.is_sent_start] == starts
