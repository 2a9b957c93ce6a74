"""Shares: "nine out of 10", "one in three", "two thirds", "a quarter of", "half of". Reads the
lexicon's `out_of`, `fraction` and `fraction_before` matches in doc.text; returns ratio Mentions
(value = the share, 0.9 for "nine out of 10") and records vetoed candidates on the Context.
"""
from __future__ import annotations

import re

from pipeline.numbers import vetoes
from pipeline.numbers.candidates import Mention, overlaps
from pipeline.numbers.lexicon import NumberLexicon, is_year, parse_digits, parse_number_words, qualifier_before
from pipeline.numbers.vetoes import COMPOUND_AFTER, LETTER_HYPHEN_BEFORE, Context
from pipeline.records import Amount


def find_ratios(ctx: Context, lex: NumberLexicon) -> list[Mention]:
    """Every share in the text, out-of forms first, then fractions that do not overlap them."""
    found = _out_of(ctx, lex) + _slash_fractions(ctx, lex) + _multipliers(ctx, lex)
    return found + _fractions(ctx, lex, [(m.start, m.end) for m in found])


_SLASH_FRACTION = re.compile(r"(?<![\w./])([1-9])/([2-9]|10)(?=[ \u00a0]+of[ \u00a0]+\w)")


def _slash_fractions(ctx: Context, lex: NumberLexicon) -> list[Mention]:
    """"3/4 of a mile", "2/3 of councils": a written fraction (denominator 2 to 10) before "of" is a
    share; "9/11" and "24/7" are not."""
    found: list[Mention] = []
    for match in _SLASH_FRACTION.finditer(ctx.text):
        a, b = int(match.group(1)), int(match.group(2))
        if a >= b:
            continue
        qualifier = qualifier_before(ctx.text[max(0, match.start() - 40) : match.start()], lex)
        found.append(Mention.of(Amount(value=a / b, kind="ratio", qualifier=qualifier.text, direction=qualifier.direction,
                                       rule="ratio_fraction", start=match.start(), end=match.end())))
    return found


def _out_of(ctx: Context, lex: NumberLexicon) -> list[Mention]:
    text = ctx.text
    found: list[Mention] = []
    for match in lex.patterns["out_of"].finditer(text):
        if match.group("link").lower() == "of" and "out" not in match.group(0).lower():
            continue  # "one of 12 councils": the pattern's "of" form needs "out of" to be a ratio
        start, end = match.span()
        a, b = (_number_value(match.group(g), lex) for g in ("a", "b"))
        if a is None or not b:
            continue
        veto = None
        if a > b:
            veto = vetoes.NOT_A_SHARE  # "five out of three"
        elif is_year(b, match.group("b")):
            veto = vetoes.RATIO_OF_A_YEAR  # "one in 2012"
        elif ctx.blocked_by(match.start()):
            veto = ctx.blocked_by(match.start())
        elif match.group("link").lower() == "in" and match.group("a").lower() not in ("one", "1") and b < 10 and a > 1:
            veto = vetoes.NOT_A_SHARE  # "two in three" is a ratio too, but "six in 2"... keep "one in N" and "N in 10/100"
        if veto:
            ctx.reject(start, end, veto)
            continue
        qualifier = qualifier_before(text[max(0, start - 40) : start], lex)
        found.append(Mention.of(Amount(value=a / b, kind="ratio", qualifier=qualifier.text, direction=qualifier.direction,
                                       rule="ratio_out_of", start=start, end=end)))
    return found


def _fractions(ctx: Context, lex: NumberLexicon, taken: list[tuple[int, int]]) -> list[Mention]:
    text = ctx.text
    found: list[Mention] = []
    for match in lex.patterns["fraction"].finditer(text):
        start, end = match.span()
        fraction_word = match.group("frac").lower()
        numerator_match = lex.patterns["fraction_before"].search(text[max(0, start - 24) : start])
        if numerator_match:
            start -= len(numerator_match.group(0))
        if overlaps(taken + [(m.start, m.end) for m in found], start, end):
            continue
        before = text[max(0, start - 40) : start]
        after = text[end : end + 30]
        if lex.patterns["not_fraction_before"].search(before):
            ctx.reject(start, end, vetoes.NOT_A_SHARE)  # "the first half", "the final quarter"
            continue
        if COMPOUND_AFTER.match(after) or LETTER_HYPHEN_BEFORE.search(before):
            ctx.reject(start, end, vetoes.COMPOUND)  # "half-time", "scrum-half"
            continue
        if re.match(r"^[ \u00a0]+(?:of[ \u00a0]+)?an?[ \u00a0]+(?:hundred|thousand|million|billion)\b", after, re.I):
            continue  # "a quarter of a million", "half a million": a count, which the word numbers read
        if not numerator_match:
            if fraction_word != "half" or not re.match(r"^[ \u00a0]+(?:of|the|their|its|all)\b", after, re.I):
                ctx.reject(start, end, vetoes.NOT_A_SHARE)  # "halves", "a third quarter", "half way"
                continue
            value = 0.5
        else:
            numerator_word = numerator_match.group("a").lower()
            plural = fraction_word.endswith("s")
            if numerator_word in ("a", "an", "one"):
                if plural or not re.match(r"^[ \u00a0]+of\b", after, re.I):
                    ctx.reject(start, end, vetoes.NOT_A_SHARE)  # "a third time", "one thirds"
                    continue
                numerator = 1.0
            else:
                numerator = lex.word_values.get(numerator_word)
                if numerator is None or not plural or lex.word_roles.get(numerator_word) != "unit":
                    ctx.reject(start, end, vetoes.NOT_A_SHARE)  # "two third", "twenty thirds"
                    continue
            value = numerator * lex.word_values[fraction_word]
            if value >= 1:
                ctx.reject(start, end, vetoes.NOT_A_SHARE)  # "five quarters": a whole or more
                continue
        qualifier = qualifier_before(before, lex)
        found.append(Mention.of(Amount(value=value, kind="ratio", qualifier=qualifier.text, direction=qualifier.direction,
                                       rule="ratio_fraction", start=start, end=end)))
    return found


def _multipliers(ctx: Context, lex: NumberLexicon) -> list[Mention]:
    """"fivefold", "four times as many", "twice as much", "doubled": kind ratio, unit x, value the factor."""
    found: list[Mention] = []
    for match in lex.patterns["times"].finditer(ctx.text):
        if match.group("word"):
            value = lex.times_words[match.group("word").lower()]
        elif match.group("twice"):
            value = lex.times_words.get("twice", 2.0)
        else:
            number = match.group("fold") or match.group("n")
            value = _number_value(number, lex) if number[0].isdigit() or number.lower() != "one" else None
        if not value or value <= 1:
            continue  # "one times", "zero-fold"
        start, end = match.span()
        qualifier = qualifier_before(ctx.text[max(0, start - 40) : start], lex)
        found.append(Mention.of(Amount(value=value, kind="ratio", unit="x", qualifier=qualifier.text,
                                       direction=qualifier.direction, rule="ratio_times", start=start, end=end)))
    return found


def _number_value(word: str, lex: NumberLexicon) -> float | None:
    if word[0].isdigit():
        return parse_digits(word)
    return parse_number_words(word, lex) if word.lower() != "one" else 1.0
