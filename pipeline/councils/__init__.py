"""The UK council register: loading and checking it (register), and building it (build)."""
