"""The number grammar: word lists from models/, the patterns built from them, and value parsing."""
