"""Where the pipeline's data files are: models/, shipped as the package `pipeline.models`.

pyproject.toml maps the package `pipeline.models` to the top-level models/ folder, so the same
lookup works from a source checkout, an editable install and an installed (non-editable) wheel.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

MODELS_PACKAGE = "pipeline.models"


def models_dir() -> Path:
    """The folder holding models/*.csv and models/pipeline.cfg (a real folder: zipped installs are not supported)."""
    return Path(str(resources.files(MODELS_PACKAGE)))


def model_path(name: str) -> Path:
    """One file of models/, e.g. model_path("councils.csv")."""
    return models_dir() / name


MODELS_DIR = models_dir()
