"""Shared fixtures: the trained pipeline, loaded once per test session (tests marked `model`)."""
import pytest


@pytest.fixture(scope="session")
def nlp_model():
    from pipeline.nlp import load_pipeline

    return load_pipeline()
