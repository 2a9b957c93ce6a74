"""council-claims: numerical claims about UK local councils, extracted from news with citations."""

from pipeline import native as _native

__version__ = "0.1.0"

# Before anything imports spaCy: its parsers load from the local rebuild when there is one that
# matches the installed spaCy (pipeline/native.py), else from spaCy's own build.
_native.install()
