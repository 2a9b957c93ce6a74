"""Reports on a run's outputs: the terminal report."""
