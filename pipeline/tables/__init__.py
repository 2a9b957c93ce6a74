"""The output tables: cells, files, review decisions, consistency checks, exports and the one writer (finalize)."""
