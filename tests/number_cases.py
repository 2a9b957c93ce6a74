"""Helpers for the number finder's tables of cases (tests/numbers/, tests/components/test_number_finder.py):
what a NumberFinder kept and vetoed in a string."""


def found(finder, text, ents=None):
    """(surface, value, kind, unit) for each kept number, checking that offsets are exact."""
    out = []
    for mention in finder.find(text, ents):
        amount = mention.amount
        assert (amount.start, amount.end) == (mention.start, mention.end)
        out.append((text[mention.start : mention.end], round(amount.value, 6), amount.kind, amount.unit))
    return out


def one(finder, text, surface):
    """The kept mention whose text is `surface` (fails when absent)."""
    mentions = [m for m in finder.find(text) if text[m.start : m.end] == surface]
    assert mentions, f"{surface!r} not found in {text!r}: {found(finder, text)}"
    return mentions[0]


def vetoes(finder, text, ents=None):
    """(surface, veto code) for each vetoed candidate, in order."""
    return [(text[r.start : r.end], r.veto.code) for r in finder.candidates(text, ents).rejected]
