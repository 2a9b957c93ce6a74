"""The pipeline's data files, installed as the package `pipeline.models` (see README.md here)."""
