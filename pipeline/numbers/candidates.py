"""Number candidates in digits and in words, and what each one is. Reads a match of the lexicon's
`number` or `wordnum` pattern in doc.text; returns Mentions (money, percent, count or quantity
Amounts, with the rule that read them) and records the vetoed candidates on the Context.

Match, then validate (as presidio does): the patterns find candidates; `read_side` and
`read_words` decide, asking pipeline.numbers.vetoes what rules a candidate out and
pipeline.numbers.quantities what a unit after it means.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from pipeline.numbers import quantities, vetoes
from pipeline.numbers.lexicon import (
    MAX_DIGITS,
    VULGAR_FRACTIONS,
    NumberLexicon,
    counted_noun_after,
    is_year,
    multiplier_value,
    parse_digits,
    parse_number_words,
    per_after,
    qualifier_before,
    qualifier_of,
)
from pipeline.numbers.vetoes import Context, Side, Veto
from pipeline.records import Amount

_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’]?\s|\n")
_FROM_BEFORE = re.compile(r"\bfrom[ \u00a0]+(?:[a-z]+(?:[ \u00a0]+[a-z]+)?[ \u00a0]+)?$", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween[ \u00a0]+(?:[a-z]+(?:[ \u00a0]+[a-z]+)?[ \u00a0]+)?$", re.I)
# "a quarter of a million", "half a million": a fraction of a scale word.
_SCALE_PREFIX_BEFORE = re.compile(
    r"(?:(?<![\w-])(?P<frac>half|(?:a|one|three)[ \u00a0-]quarters?)[ \u00a0]+(?:of[ \u00a0]+)?)?(?<![\w-])(?P<a>an?)[ \u00a0]+$", re.I
)
# "three to four thousand", "two or three million": a second end whose last word is a scale
_SHARED_SCALE_AFTER = re.compile(
    r"^[ \u00a0]+(?:to|or)[ \u00a0]+(?P<second>[A-Za-z]+(?:[ \u00a0-][A-Za-z]+)*?[ \u00a0]+(?:thousand|million|billion|trillion))\b", re.I
)
_SCALE_FRACTIONS = {"half": 0.5, "quarter": 0.25, "quarters": 0.75}


@dataclass
class Mention:
    """A number found in doc.text, before it becomes a span."""

    start: int
    end: int
    amount: Amount
    group: int | None = None  # ranges and changes: shared by their two ends
    role: str | None = None

    @classmethod
    def of(cls, amount: Amount) -> "Mention":
        return cls(amount.start, amount.end, amount)


def share_units(sides: list[Side]) -> list[Side]:
    """"£2-3m" is £2m to £3m; "2-3%" is 2% to 3%: each end takes what the other states.

    Only a bare end borrows: in "imports grew 1.3% to $155.8bn" both ends say what they are, and
    the percentage must not become dollars."""
    first, second = sides
    if (first.cur or first.suffix) and (second.cur or second.suffix):
        return [first, second]
    if second.cur is None and first.cur:
        second = replace(second, cur=first.cur)
    if first.cur is None and second.cur:
        first = replace(first, cur=second.cur)
    if first.mult is None and second.mult and first.cur:
        first = replace(first, mult=second.mult)
    if first.suffix is None and second.suffix:
        first = replace(first, suffix=second.suffix)
    return [first, second]


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


class Taken:
    """Stretches of text already read as numbers, sorted, so that each check is a bisect and not a
    pass over every number before it (a table on one line holds thousands)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.spans: list[tuple[int, int]] = sorted(spans)

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))

    def overlaps(self, start: int, end: int) -> bool:
        # the stretches are (nearly always) disjoint: only the few that start just before `end` can reach `start`
        i = bisect.bisect_left(self.spans, (end, -1))
        return any(s < end and start < e for s, e in self.spans[max(0, i - 3) : i])


def read_digits(ctx: Context, match: re.Match[str], lex: NumberLexicon, groups: Iterator[int]) -> list[Mention]:
    """A match of the `number` pattern: one number, or two ("50-60", "from £57.4m to £73.7m",
    "between 5 and 10 per cent") that become a range or a change sharing a group."""
    sides = [Side.from_match(match, 1)]
    if match.group("num2"):
        sides.append(Side.from_match(match, 2))
    sep = (match.group("sep") or "").strip().lower()
    dash = sep in ("-", "–", "—")
    text = ctx.text
    paired = len(sides) == 2
    if paired:
        veto = vetoes.range_veto(ctx, sides[0], sides[1], sep, lex)
        if veto:
            return _reject(ctx, sides, veto)  # "aged 25-34", "9-11am", "18 to 24 year olds"
        first_before = text[max(0, sides[0].start - 40) : sides[0].start]
        if sep == "and" and not _BETWEEN_BEFORE.search(first_before[-30:]):
            paired = False
    if paired and (dash or sep == "to"):
        first, second = sides
        if is_year(parse_digits(first.num), first.num) and not (first.cur or first.suffix):
            if len(second.num) <= 2 or is_year(parse_digits(second.num), second.num):
                return _reject(ctx, sides, vetoes.YEAR_SPAN)  # "2018-19", "2010 to 2015": read by the period finder
            _reject(ctx, [first], vetoes.YEAR)  # "in March 2012 to 1107": only the second is a number
            return _keep(ctx, [second], [read_side(ctx, second, lex)])
        plain = not (first.cur or first.suffix or first.mult or second.cur or second.suffix or second.mult)
        if plain and dash and vetoes.is_score(ctx, first, second, lex):
            return _reject(ctx, sides, vetoes.SCORE)
    if paired:
        sides = share_units(sides)
    read = [read_side(ctx, side, lex) for side in sides]
    if paired and dash and isinstance(read[0], Veto):
        # "Boeing 737-800", "June 22-23": the first number says what the pair is
        _reject(ctx, [sides[0]], read[0])
        return _reject(ctx, sides[1:], vetoes.PAIR) if isinstance(read[1], Mention) else _keep(ctx, sides[1:], read[1:])
    found = _keep(ctx, sides, read)
    if paired and len(found) == 2 and (found[0].amount.kind, found[0].amount.unit) != (found[1].amount.kind, found[1].amount.unit):
        paired = False  # "sales jumped 22% to 449,603": a change and a level, not two ends of one range
    if paired and len(found) == 2:
        group = next(groups)
        before = text[max(0, match.start() - 30) : match.start()]
        roles = ("from", "to") if sep == "to" and _FROM_BEFORE.search(before) else ("low", "high")
        if roles == ("low", "high") and found[0].amount.value > found[1].amount.value:
            roles = ()  # "Labour leads by 39% to 34%": a comparison, not a range
        found = [replace(m, group=group, role=role) for m, role in zip(found, roles)] + found[len(roles) :]
    if paired and sides[1].qual:
        qualifier = qualifier_of(sides[1].qual, lex)  # "between 5 and up to 10"
        found = [replace(m, amount=replace(m.amount, qualifier=qualifier.text, direction=qualifier.direction))
                 if m.start == sides[1].start else m for m in found]
    return found


def _reject(ctx: Context, sides: list[Side], veto: Veto) -> list[Mention]:
    for side in sides:
        ctx.reject(side.start, side.end, veto)
    return []


def _keep(ctx: Context, sides: list[Side], read: list[Mention | Veto]) -> list[Mention]:
    """The Mentions of `read`; its Vetoes are recorded on the context against their side."""
    for side, result in zip(sides, read):
        if isinstance(result, Veto):
            ctx.reject(side.start, side.end, result)
    return [result for result in read if isinstance(result, Mention)]


def read_side(ctx: Context, side: Side, lex: NumberLexicon) -> Mention | Veto:
    """Decide what one number is: money, percent, count or quantity; a Veto when it is not a claim."""
    text = ctx.text
    if sum(c.isdigit() for c in side.num) > MAX_DIGITS:
        return vetoes.TOO_LONG  # a 400-digit string would be inf
    value = parse_digits(side.num)
    start, end = side.start, side.end
    after = text[end : end + 40]
    before = text[max(0, start - 40) : start]
    suffix = (side.suffix or "").strip().lower()
    mult = (side.mult or "").strip().lower()
    qualifier = qualifier_before(before, lex)
    if side.cur or suffix in lex.currency_words or suffix in lex.pence:
        if suffix in lex.pence and not side.cur:
            if mult or re.match(r"^-", after):
                return vetoes.COMPOUND  # "530 pence-per-share": a modifier
            unit, value, rule = "GBP", value / 100, "money_pence"
        else:
            unit = lex.currencies.get((side.cur or "").strip().lower()) or lex.currency_words.get(suffix, "GBP")
            value *= multiplier_value(mult, lex)
            rule = "money"
        minus = quantities.MINUS_BEFORE.search(before[-8:]) if side.cur else None
        if minus:  # "a loss of -£5m", "−£2.1bn"
            start, value = start - len(minus.group(0)), -value
        return Mention.of(Amount(value=value, kind="money", unit=unit, per=per_after(after, lex), qualifier=qualifier.text,
                                 direction=qualifier.direction, change=change_before(before, lex), rule=rule,
                                 start=start, end=end))
    if suffix in lex.percent:
        minus = quantities.MINUS_BEFORE.search(before[-8:])
        if minus:  # "a growth rate of -0.1%"
            start, value = start - len(minus.group(0)), -value
        return Mention.of(Amount(value=value, kind="percent", unit=lex.percent[suffix], qualifier=qualifier.text,
                                 direction=qualifier.direction, change=change_before(before, lex), rule="percent",
                                 start=start, end=end))
    if suffix:  # "points" alone is not a percentage without "percentage"
        end = side.num_end + len(side.mult or "")
    if value < 1 and side.num[-1] in VULGAR_FRACTIONS and not mult and re.match(r"^[ \u00a0]+of\b", after):
        return Mention.of(Amount(value=value, kind="ratio", qualifier=qualifier.text, direction=qualifier.direction,
                                 rule="ratio_fraction", start=start, end=side.num_end))  # "½ of staff"
    # A bare number: rule out what is not a count.
    veto = vetoes.bare_number_veto(ctx, side, value, lex)
    if veto:
        return veto
    if not mult:
        time = quantities.duration(text, start, side.num_end, value, qualifier, lex)
        if time is not None:
            return Mention.of(time) if isinstance(time, Amount) else time
    if mult in ("m", "k", "b") or not mult:
        temperature = quantities.temperature(text, start, side.num_end, value, qualifier, lex)
        if temperature:
            return Mention.of(temperature)
        if mult == "m":
            metres = quantities.metres_or_millions(text, start, side.end, side.num, value, qualifier, lex)
            return Mention.of(metres) if isinstance(metres, Amount) else metres
        unit_amount = quantities.quantity(text, start, side.num_end, value, qualifier, lex)
        if unit_amount is not None:
            return Mention.of(unit_amount) if isinstance(unit_amount, Amount) else unit_amount
        if mult in ("k", "b"):
            if counted_noun_after(text[side.end : side.end + 40], lex):
                return Mention.of(Amount(value=value * multiplier_value(mult, lex), kind="count",  # "50k people"
                                         qualifier=qualifier.text, direction=qualifier.direction,
                                         rule="count_digits", start=start, end=side.end))
            return vetoes.THOUSANDS_OF_WHAT
        if re.match(r"^[A-Za-z]", text[side.num_end : side.num_end + 1]):
            return vetoes.LETTERS_AFTER  # "95.2FM", "4G": letters that are not a unit
        end = side.num_end
    else:
        value *= multiplier_value(mult, lex)
        unit_amount = quantities.quantity(text, start, side.end, value, qualifier, lex)
        if isinstance(unit_amount, Amount):
            return Mention.of(unit_amount)  # "14.3 million tonnes", "1.5bn barrels": a quantity, not a count
    if re.search(r"\bminus[ \u00a0]+$", before, re.I):  # "plus 3 compared with minus 10"
        value = -value
    return Mention.of(Amount(value=value, kind="count", qualifier=qualifier.text, direction=qualifier.direction,
                             rule="count_digits", start=start, end=end))


def change_before(before: str, lex: NumberLexicon) -> str | None:
    """"down 12p", "shares rose 5%": up or down when a change word ends `before` (models/number_cues.csv)."""
    match = lex.patterns["change_before"].search(before)
    return lex.change_words[match.group("c").lower()] if match else None


def read_words(ctx: Context, match: re.Match[str], lex: NumberLexicon) -> Mention | None:
    """A match of the `wordnum` pattern ("six", "twenty-five", "a quarter of a million"): a count,
    a percentage ("five per cent") or money ("two million pounds"); None, recorded on the
    context with its veto, when it is not a claim."""
    text = ctx.text
    words = match.group(0)
    start, end = match.span()
    value = parse_number_words(words, lex)
    first_word = re.split(r"[ \u00a0-]+", words.lower())[0]
    scaled = False
    if lex.word_roles.get(first_word) == "scale":
        prefix = _SCALE_PREFIX_BEFORE.search(text[max(0, start - 40) : start])
        if not prefix:
            return ctx.reject(start, end, vetoes.VAGUE)  # "hundreds", "million-pound": vague or part of a word
        fraction = (prefix.group("frac") or "").replace("-", " ").split()
        value = (parse_number_words("one " + words, lex) or 0) * _SCALE_FRACTIONS.get(fraction[-1].lower() if fraction else "", 1.0)
        start -= len(prefix.group(0))
        scaled = True
    veto = vetoes.word_number_veto(ctx, start, end, lex)
    if veto:
        return ctx.reject(start, end, veto)
    if value is None:
        return ctx.reject(start, end, vetoes.VAGUE)
    if lex.word_roles.get(words.lower()) == "one":
        return ctx.reject(start, end, vetoes.ONE)  # "no one", "one of"
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    qualifier = qualifier_before(before, lex)
    percent = lex.patterns["percent_after"].match(after)
    if percent and percent.group("p").lower() in lex.percent:
        end += percent.end()
        return Mention.of(Amount(value=value, kind="percent", unit=lex.percent[percent.group("p").lower()],
                                 qualifier=qualifier.text, direction=qualifier.direction, rule="percent_words",
                                 start=start, end=end))
    money = lex.patterns["money_word_after"].match(after)
    if money and _is_money_word(money.group(0).strip().lower(), value, text, start, end, lex):
        word = money.group(0).strip().lower()
        end += money.end()
        pence = word in lex.pence
        return Mention.of(Amount(value=value / 100 if pence else value, kind="money",
                                 unit="GBP" if pence else lex.currency_words.get(word, "GBP"),
                                 per=per_after(text[end : end + 30], lex), qualifier=qualifier.text,
                                 direction=qualifier.direction, rule="money_pence_words" if pence else "money_words",
                                 start=start, end=end))
    shared = _SHARED_SCALE_AFTER.match(after)
    if shared and not any(lex.word_roles.get(w) == "scale" for w in re.split(r"[ \u00a0-]+", words.lower())):
        second = parse_number_words(shared.group("second"), lex)
        scale = lex.word_values.get(shared.group("second").split()[-1].lower(), 1)
        if second and scale >= 1000 and value * scale < second:
            value *= scale  # "three to four thousand jobs": the first end shares the second's scale
            after = text[end + shared.end() : end + shared.end() + 40]
    time = quantities.duration(text, start, end, value, qualifier, lex)
    if time is not None:
        return Mention.of(time) if isinstance(time, Amount) else ctx.reject(start, end, time)
    unit_amount = quantities.quantity(text, start, end, value, qualifier, lex)
    if isinstance(unit_amount, Amount) and (unit_amount.unit != "pound-mass" or _about_weight(text, start, end)):
        return Mention.of(unit_amount)  # "six kilometres", "two million litres": a quantity, not a count
    large = scaled or any(lex.word_roles.get(w) == "scale" and lex.word_values[w] >= 1000
                          for w in re.split(r"[ \u00a0-]+", words.lower()))
    veto = vetoes.counted_word_veto(after, large, lex)
    if veto:
        return ctx.reject(start, end, veto)
    return Mention.of(Amount(value=value, kind="count", qualifier=qualifier.text, direction=qualifier.direction,
                             rule="count_words", start=start, end=end))


# A person's or a parcel's weight near "pounds" ("eight pounds heavier", "weighed six pounds")
_WEIGHT_WORDS = re.compile(r"\b(?:weigh\w*|heav(?:y|ier|iest)|light(?:er|est)|overweight|obes\w*|stones?|ounces?|lbs?)\b",
                           re.IGNORECASE)


def _about_weight(text: str, start: int, end: int) -> bool:
    return bool(_WEIGHT_WORDS.search(text[max(0, start - 60) : end + 60]))


def _is_money_word(word: str, value: float, text: str, start: int, end: int, lex: NumberLexicon) -> bool:
    """Whether a currency word after a number in words makes it money: always past a thousand
    ("two million pounds"); below, only in the plural ("five pounds", "three euros", "four pence"),
    since "a five pound note" names a note, and not near words about weight ("eight pounds
    heavier")."""
    if value >= 1000:
        return True
    plural = word in lex.pence or word.endswith("s")
    if not plural:
        return False
    return not (word == "pounds" and _about_weight(text, start, end))


_OF_WHAT = re.compile(r"^[ \u00a0]+of[ \u00a0]+([A-Za-z]+)")


def find_vague(ctx: Context, lex: NumberLexicon) -> list[Mention]:
    """"hundreds of homes", "tens of thousands of people", "millions of pounds": the lower bound as
    the value, qualifier "at least", and the upper bound on `upper` (the `vague` rows of
    models/number_cues.csv). Not "hundreds of years" (a vague time) nor a vague word inside a
    larger one ("hundreds of thousands" is read whole)."""
    found: list[Mention] = []
    for match in lex.patterns["vague"].finditer(ctx.text):
        start, end = match.span()
        of_what = _OF_WHAT.match(ctx.text[end : end + 40])
        word = of_what.group(1).lower() if of_what else ""
        if word in lex.vague or word in lex.word_values or word in lex.time_units:
            ctx.reject(start, end, vetoes.VAGUE)  # "hundreds of years"; "hundreds of thousands" unread whole
            continue
        low, high = lex.vague[match.group(0).lower()]
        qualifier = qualifier_of("at least", lex)
        kind, unit, rule = "count", None, "count_vague"
        if word in lex.currency_words:
            kind, unit, rule = "money", lex.currency_words[word], "money_vague"  # "millions of pounds"
            end += of_what.end()
        found.append(Mention.of(Amount(value=low, upper=high, kind=kind, unit=unit, qualifier=qualifier.text,
                                       direction=qualifier.direction, rule=rule, start=start, end=end)))
    return found


def link_changes(text: str, mentions: list[Mention], groups: Iterator[int]) -> None:
    """"from approximately 1015 in March 2012 to 1107 in March 17": two ends of one change."""
    for first, second in zip(mentions, mentions[1:]):
        if first.group or second.group or first.amount.kind != second.amount.kind:
            continue
        between = text[first.end : second.start]
        if len(between) > 80 or _SENTENCE_BREAK.search(between) or not re.search(r"\bto\b", between):
            continue
        if _FROM_BEFORE.search(text[max(0, first.start - 30) : first.start]):
            group = next(groups)
            first.group, first.role = group, "from"
            second.group, second.role = group, "to"
