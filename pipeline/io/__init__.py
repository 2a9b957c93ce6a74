"""Reading inputs: files to Article records (inputs) and each article's structure (structure)."""
