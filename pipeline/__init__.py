"""council-claims: numerical claims about UK local councils, extracted from news with citations."""

__version__ = "0.1.0"
