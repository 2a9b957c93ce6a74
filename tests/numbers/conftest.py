"""Fixtures for the tests of pipeline/numbers/: the lexicon from models/ and a NumberFinder built on it.

The candidate, veto, quantity and ratio modules are exercised through NumberFinder.candidates on
plain strings (no spaCy model): it is the one entry that runs them in their real order."""
from pathlib import Path

import pytest

from pipeline.components.number_finder import NumberFinder
from pipeline.numbers.lexicon import load_lexicon

MODELS = Path(__file__).resolve().parents[2] / "models"


@pytest.fixture(scope="session")
def lex():
    return load_lexicon(MODELS / "number_words.csv", MODELS / "number_cues.csv")


@pytest.fixture(scope="session")
def finder(lex) -> NumberFinder:
    return NumberFinder(lex)
