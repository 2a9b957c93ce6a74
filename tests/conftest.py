"""Shared fixtures: the trained pipeline, loaded once per test session (tests marked `model`)."""
import pytest

import pipeline  # noqa: F401  (first: its import hook must come before anything imports spaCy; pipeline/native.py)


@pytest.fixture(scope="session")
def nlp_model():
    from pipeline.nlp import load_pipeline

    return load_pipeline()
