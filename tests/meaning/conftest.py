"""Parsed sentences for the meaning tests: the real pipeline (claim_parser included), loaded once."""
import pytest


@pytest.fixture(scope="session")
def parsed(nlp_model):
    """parsed(sentence, number) -> (sentence Doc, start, end) of `number`'s characters in it."""
    cache = {}

    def parse(sentence: str, number: str):
        if sentence not in cache:
            doc = nlp_model(sentence)
            assert len(doc._.sentence_parses) == 1, f"expected one claim sentence in {sentence!r}"
            cache[sentence] = next(iter(doc._.sentence_parses.values()))
        start = sentence.index(number)
        return cache[sentence], start, start + len(number)

    return parse
