"""Check claims against each other; adds inconsistent_change / headline_mismatch / conflicting_claims to `flags` and a `consistency_note`."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from pipeline.numbers.lexicon import bound_words, words_pattern
from pipeline.resources import model_path
from pipeline.tables.cells import present, split_flags, text_of

INCONSISTENT_CHANGE = "inconsistent_change"
HEADLINE_MISMATCH = "headline_mismatch"
CONFLICTING_CLAIMS = "conflicting_claims"
CONSISTENCY_FLAGS = (INCONSISTENT_CHANGE, HEADLINE_MISMATCH, CONFLICTING_CLAIMS)

# A stated difference stands next to its change: "increase by 28.4%, from £57.4m to £73.7m",
# "from 26,400 to more than 50,000 – an increase of more than 23,000". Further away, or with
# another number between, a figure in the same sentence is about something else.
MAX_GAP_CHARS = 60
# A stated difference is marked as one: "increase by 28.4%", "a rise of 49.7%", "or 12.9%",
# "rose 2% to", "fell by more than £600"; or "a 28% increase", "12% more".
_HEDGES = r"(?:(?:more than|less than|fewer than|almost|nearly|about|around|over|under|some|just|roughly|an estimated|approximately)\s+)?"
DIFFERENCE_BEFORE = re.compile(
    r"\b(?:by|of|or|up|down|rose|rise|rises|risen|rising|fell|fall|falls|fallen|falling|jumped|jumps|climbed|"
    r"increased|increases|decreased|decreases|grew|grown|dropped|drops|cut|slumped|surged|soared|plunged|"
    r"gained|lost|shrank|widened|narrowed)\s+[£$€]?" + _HEDGES + r"[£$€]?$",
    re.IGNORECASE,
)
DIFFERENCE_AFTER = re.compile(
    r"\s*(?:increase|rise|jump|fall|drop|cut|decrease|decline|reduction|growth|hike|more|less|fewer|higher|"
    r"lower|up|down)\b",
    re.IGNORECASE,
)
# A new clause between a figure and a change: the figure is about something else.
CLAUSE_BREAK = re.compile(r";|,\s*(?:and|but|while|whereas|although)\b|\b(?:while|whereas)\b", re.IGNORECASE)
# Bounds from qualifiers, by the `direction` column of models/number_cues.csv: its qualifier rows
# (the words number_finder reads) and bound_word rows ("exceeding", "at most": words only this
# check meets). "just over 700" counts as 700 and up. Hedged figures get ±10%: "almost 30%" is
# 27..30, "about 700" 630..770.
_BOUND_WORDS = bound_words(model_path("number_cues.csv"))
LOWER_BOUND = words_pattern(_BOUND_WORDS["lower_bound"] + _BOUND_WORDS["just_above"])
UPPER_BOUND = words_pattern(_BOUND_WORDS["upper_bound"])
JUST_BELOW = words_pattern(_BOUND_WORDS["just_below"])
HEDGE = 0.10
# A round figure ("50,000", "30%") may be rounded to its last non-zero digit, but not by more
# than this share of itself: "100" is not 50..150.
MAX_ROUNDING_SHARE = 0.05
HEADLINE_SECTIONS = ("headline", "standfirst")
HEADLINE_KINDS_WITHOUT_MEASURE = ("money", "percent")
HEADLINE_SLACK = 0.05
# A headline about a change ("$300m profit revision", "ratings drop by 4m") may state the
# difference of two body figures rather than restate one.
CHANGE_NOUNS = re.compile(r"\b(?:revision|revised|shortfall|gap|difference|increase|rise|fall|drop|cut|loss|gain)s?\b", re.I)
BODY_SECTION = "body"
_NUMERAL = re.compile(r"\d[\d,]*(?:\.(\d+))?")


@dataclass(frozen=True)
class Interval:
    """The values a stated figure allows, given its rounding and qualifier."""

    low: float
    high: float

    def overlaps(self, other: "Interval") -> bool:
        ends = [abs(x) for x in (self.low, self.high, other.low, other.high) if math.isfinite(x)]
        slack = 1e-9 * max([1.0] + ends)  # float noise only
        return self.low <= other.high + slack and other.low <= self.high + slack

    def magnitude(self) -> "Interval":
        if self.low >= 0:
            return self
        if self.high <= 0:
            return Interval(-self.high, -self.low)
        return Interval(0.0, max(-self.low, self.high))


def stated_interval(value: float, text: str = "", qualifier: str | None = None) -> Interval:
    """The interval a figure as written stands for: "£57.4 million" is 57.35m..57.45m,
    "more than 50,000" is 50,000 and up."""
    half = _half_step(value, text or "")
    low, high = value - half, value + half
    words = " ".join(w for w in (qualifier or "", _words_before_numeral(text or "")) if w)
    if re.search(r"[^\W\d_]", words):  # letters, not just "£" or "$"
        # number_finder's qualifiers: more than, over, at least, just over | less than, up to |
        # almost, nearly, just under | about, around, approximately
        if JUST_BELOW.search(words):
            low = value * (1 - HEDGE) - half
        elif LOWER_BOUND.search(words):
            high = math.inf
        elif UPPER_BOUND.search(words):
            low = -math.inf
        else:  # about, around, approximately, some, an estimated...
            low, high = value * (1 - HEDGE) - half, value * (1 + HEDGE) + half
    return Interval(low, high)


def _words_before_numeral(text: str) -> str:
    match = _NUMERAL.search(text)
    return text[: match.start()] if match else ""


def _half_step(value: float, text: str) -> float:
    """Half the unit of the last written digit, scaled by the multiplier ("£3.1bn": 0.05bn)."""
    match = _NUMERAL.search(text)
    if not match:
        # written in words ("nine", "two million"): rounding unknown, allow 5%
        return max(0.5, abs(value) * MAX_ROUNDING_SHARE)
    digits = match.group(0).replace(",", "")
    try:
        numeral = float(digits)
    except ValueError:
        return 0.5
    multiplier = value / numeral if numeral else 1.0
    decimals = match.group(1)
    if decimals:
        return 0.5 * 10 ** -len(decimals) * abs(multiplier)
    whole = digits.split(".")[0]
    trailing = len(whole) - len(whole.rstrip("0")) if whole.strip("0") else 0
    half = 0.5 * 10**trailing * abs(multiplier)
    if trailing:
        half = min(half, max(0.5 * abs(multiplier), abs(value) * MAX_ROUNDING_SHARE))
    return half


NOTE_FIGURES = 5  # figures named in one conflicting_claims note; the rest are counted


def check_consistency(claims: pd.DataFrame, *, across_articles: bool = True) -> pd.DataFrame:
    """The table with the three consistency flags recomputed (other flags kept) and a
    `consistency_note` saying why each was raised. Rejected claims are left out of the checks.

    across_articles=False leaves `conflicting_claims` out (pipeline.tables.finalize checks a table
    chunk by chunk and finds those across every chunk with find_conflicts)."""
    table = claims.copy()
    finders = [(INCONSISTENT_CHANGE, _inconsistent_changes), (HEADLINE_MISMATCH, _headline_mismatches)]
    if across_articles:
        finders.append((CONFLICTING_CLAIMS, _conflicts))
    rows = checked_rows(claims, _checkable(claims, across_articles))
    notes: dict[int, list[str]] = {}
    raised: dict[int, set[str]] = {}
    active = [row for row in rows if row.review_status != "rejected"]
    for flag, finder in finders:
        for positions, note in finder(active):
            for position in positions:
                raised.setdefault(position, set()).add(flag)
                found = notes.setdefault(position, [])
                if note not in found:
                    found.append(note)
    flags = table["flags"].tolist() if "flags" in table.columns else [""] * len(table)
    table["flags"] = [
        ";".join([f for f in split_flags(cell) if f not in CONSISTENCY_FLAGS] + sorted(raised.get(position, ())))
        for position, cell in enumerate(flags)
    ]
    table["consistency_note"] = [" | ".join(notes[position]) if position in notes else None
                                 for position in range(len(table))]
    return table


def _checkable(claims: pd.DataFrame, across_articles: bool) -> list[int]:
    """The positions of the rows a check can read: those in a sentence holding a change's start or
    end, those of an article with a headline figure, and (across articles) those whose council,
    measure, period and value are all known. The rest cannot raise or settle a flag, and most
    rows are of the rest: building every row cost more than the checks."""
    count = len(claims)

    def cells(name: str) -> list:
        return claims[name].tolist() if name in claims.columns else [None] * count

    doc_ids, sentences, change_ids, roles, sections = (cells(n) for n in ("doc_id", "sentence", "change_id", "role",
                                                                          "section"))
    changing = {(doc_ids[i], sentences[i]) for i in range(count)
                if present(change_ids[i]) and text_of(roles[i]) in ("from", "to")}
    headed = {doc_ids[i] for i in range(count) if text_of(sections[i]) in HEADLINE_SECTIONS}
    wanted = {i for i in range(count) if doc_ids[i] in headed or (doc_ids[i], sentences[i]) in changing} \
        if changing or headed else set()
    if across_articles:
        councils, measures, starts, ends, values = (cells(n) for n in ("council_code", "measure", "period_start",
                                                                       "period_end", "value"))
        wanted.update(i for i in range(count) if text_of(councils[i]) and text_of(measures[i])
                      and (text_of(starts[i]) or text_of(ends[i])) and present(values[i]))
    return sorted(wanted)


@dataclass
class CheckedRow:
    """What the checks read of one claim: its text fields ("" when blank), value, where its
    number stands in its sentence, and the interval its figure as written allows."""

    position: int  # row number in the checked table
    offset: int | None  # sentence_offset: where `text` starts in `sentence`
    interval: Interval | None  # None without a value
    value: float | None
    doc_id: str
    sentence: str
    text: str
    kind: str
    unit: str
    per: str
    qualifier: str
    role: str
    change_id: str
    section: str
    measure: str
    council_code: str
    council_name: str
    period_start: str
    period_end: str
    review_status: str
    measure_key: str = ""  # the measure folded for comparison ("Looked-after children")

    def cell(self, name: str) -> str:
        return getattr(self, name)


_TEXT_FIELDS = ("doc_id", "sentence", "text", "kind", "unit", "per", "qualifier", "role", "change_id", "section",
                "measure", "council_code", "council_name", "period_start", "period_end", "review_status")


def checked_rows(claims: pd.DataFrame, positions: list[int] | None = None) -> list[CheckedRow]:
    """One CheckedRow per table row (or per row at `positions`), in order. Plain Python over
    columns: iterrows and per-group frames cost seconds on a 15,000-row table."""
    count = len(claims)
    columns = {name: claims[name].tolist() if name in claims.columns else [None] * count
               for name in _TEXT_FIELDS + ("value", "sentence_offset")}
    rows = []
    for position in range(count) if positions is None else positions:
        texts = {name: text_of(columns[name][position]) for name in _TEXT_FIELDS}
        raw_value, raw_offset = columns["value"][position], columns["sentence_offset"][position]
        value = float(raw_value) if present(raw_value) else None
        interval = stated_interval(value, texts["text"], texts["qualifier"] or None) if value is not None else None
        rows.append(CheckedRow(position=position, offset=int(raw_offset) if present(raw_offset) else None,
                               interval=interval, value=value, **texts))
    return rows


def _group(rows: list[CheckedRow], *keys: str) -> dict[tuple, list[CheckedRow]]:
    groups: dict[tuple, list[CheckedRow]] = {}
    for row in rows:
        groups.setdefault(tuple(row.cell(k) for k in keys), []).append(row)
    return groups


# -- inconsistent_change ---------------------------------------------------------------------


def _inconsistent_changes(rows: list[CheckedRow]) -> list[tuple[list[int], str]]:
    found = []
    for sentence_rows in _group(rows, "doc_id", "sentence").values():
        changes = _group([r for r in sentence_rows if r.change_id], "change_id")
        paired = {
            cid: members for cid, members in changes.items()
            if any(m.role in ("from", "to") for m in members)
        }
        for (cid,), members in paired.items():
            starts = [m for m in members if m.role == "from"]
            ends = [m for m in members if m.role == "to"]
            if len(starts) != 1 or len(ends) != 1:
                continue
            start, end = starts[0], ends[0]
            a, b = start.interval, end.interval
            if a is None or b is None or _kind_unit(start) != _kind_unit(end):
                continue
            explicit = [m for m in members if m.role in ("by", "change", "difference")]
            candidates = explicit or _stated_differences(sentence_rows, cid, paired)
            for stated in candidates:
                if stated.interval is None:
                    continue
                verdict = _difference_agrees(start, end, a, b, stated, stated.interval)
                if verdict is None or verdict[0]:
                    continue
                found.append(([m.position for m in members] + [stated.position], verdict[1]))
    return found


def _stated_differences(sentence_rows: list[CheckedRow], own: str,
                        paired: dict[tuple, list[CheckedRow]]) -> list[CheckedRow]:
    """Figures beside a from/to pair in its sentence that read as its difference.

    Positions are read in the sentence text (a figure that cannot be found there is not
    checked: better no flag than a wrong one). A figure counts when it is close (MAX_GAP_CHARS),
    in the same clause (no ", while", ";" or other number between) and marked as a change:
    "by/of/or 28.4%", "rose 2%", "a 28% increase". Between two changes it goes with the nearer.
    """
    located = [r for r in sentence_rows if r.offset is not None]
    positions = {r.position: (int(r.offset), int(r.offset) + len(r.text)) for r in located}
    ends_of_changes = {m.position for members in paired.values() for m in members if m.role in ("from", "to")}
    spans = {}
    for (cid,), members in paired.items():
        ends = [m.position for m in members if m.role in ("from", "to")]
        if all(e in positions for e in ends):
            spans[cid] = (min(positions[e][0] for e in ends), max(positions[e][1] for e in ends))
    if own not in spans:
        return []
    text = sentence_rows[0].sentence
    chosen = []
    for row in located:
        if row.position in ends_of_changes or row.role in ("low", "high"):
            continue
        figure = positions[row.position]
        gaps = {cid: _gap(figure, span) for cid, span in spans.items()}
        gap = gaps[own]
        if gap is None or gap[1] - gap[0] > MAX_GAP_CHARS:
            continue
        if any(other != own and g is not None and g[1] - g[0] < gap[1] - gap[0] for other, g in gaps.items()):
            continue
        if CLAUSE_BREAK.search(text[gap[0] : gap[1]]):
            continue
        if any(gap[0] <= s and e <= gap[1] for pos, (s, e) in positions.items() if pos != row.position):
            continue
        start, end = figure
        if not (DIFFERENCE_BEFORE.search(text[max(0, start - 40) : start]) or DIFFERENCE_AFTER.match(text[end:])):
            continue
        chosen.append(row)
    return chosen


def _gap(figure: tuple[int, int], span: tuple[int, int]) -> tuple[int, int] | None:
    """The stretch of text between a figure and a change [start, end), or None if they overlap."""
    if figure[1] <= span[0]:
        return figure[1], span[0]
    if figure[0] >= span[1]:
        return span[1], figure[0]
    return None


def _difference_agrees(
    start: CheckedRow, end: CheckedRow, a: Interval, b: Interval, stated: CheckedRow, d: Interval
) -> tuple[bool, str] | None:
    """(agrees, note) when `stated` can be read as the change's difference, else None."""
    kind, unit = _kind_unit(start)
    s_kind, s_unit = _kind_unit(stated)
    readings: list[tuple[str, Interval]] = []
    if stated.per != start.per:
        return None  # "grow by 6% per year" is a rate, not the change's difference
    if s_kind == "percent" and s_unit in ("%", ""):
        if a.low > 0:
            readings.append(("relative", _relative(a, b)))
        if kind == "percent":  # "from 20% to 25%, up 5%": points, loosely written
            readings.append(("points", Interval(b.low - a.high, b.high - a.low)))
    elif s_unit == "pp" and kind == "percent":
        readings.append(("points", Interval(b.low - a.high, b.high - a.low)))
    elif (s_kind, s_unit) == (kind, unit):
        readings.append(("absolute", Interval(b.low - a.high, b.high - a.low)))
    if not readings:
        return None
    stated_magnitude = d.magnitude()
    for reading, computed in readings:
        if computed.magnitude().overlaps(stated_magnitude):
            return True, ""
    reading, computed = readings[0]
    exact = _exact_change(start.value, end.value, reading)
    note = (
        f"{INCONSISTENT_CHANGE}: from {start.text} to {end.text} is {exact}, "
        f"but the sentence states {stated.text}"
    )
    return False, note


def _relative(a: Interval, b: Interval) -> Interval:
    low = (b.low / a.high - 1) * 100 if a.high != math.inf else -100.0
    high = (b.high / a.low - 1) * 100 if b.high != math.inf else math.inf
    return Interval(low, high)


def _exact_change(a: float, b: float, reading: str) -> str:
    if reading == "relative" and a:
        return f"{(b / a - 1) * 100:+.1f}%"
    if reading == "points":
        return f"{b - a:+.1f} points"
    return f"{b - a:+,.0f}" if abs(b - a) >= 100 else f"{b - a:+,.2f}"


# -- headline_mismatch ------------------------------------------------------------------------


def _headline_mismatches(rows: list[CheckedRow]) -> list[tuple[list[int], str]]:
    """A headline figure with body figures of its kind/unit/per none of which it can be a
    rounding of. Money and percentages are compared as they are; other kinds (bare counts:
    scores, ages, days) only with body figures of the same measure. A headline figure the body
    never restates with anything comparable is left alone: there is nothing to mismatch."""
    found = []
    docs_with_heads = {r.doc_id for r in rows if r.section in HEADLINE_SECTIONS}
    if not docs_with_heads:
        return found
    for (doc_id,), doc in _group([r for r in rows if r.doc_id in docs_with_heads], "doc_id").items():
        heads = [r for r in doc if r.section in HEADLINE_SECTIONS]
        body = [r for r in doc if r.section == BODY_SECTION and r.interval is not None]
        for head in heads:
            if head.interval is None or head.role in ("from", "low"):
                continue
            h = _headline_interval(head.interval, head.value)
            comparable = [
                r for r in body if _kind_unit(r) == _kind_unit(head) and r.per == head.per
            ]
            measure = head.measure
            measured = [r for r in comparable if measure and r.measure == measure]
            if measured:
                comparable = measured
            elif head.kind not in HEADLINE_KINDS_WITHOUT_MEASURE:
                comparable = []
            elif measure:
                comparable = [r for r in comparable if not r.measure]
            if not comparable or any(h.overlaps(r.interval) for r in comparable):
                continue
            if _marked_as_change(head) and any(
                h.overlaps(_difference(r.interval, o.interval))
                for r in comparable for o in comparable if r is not o
            ):
                continue  # "Nortel in $300m profit revision": $732m restated as $434m
            body_texts = ", ".join(dict.fromkeys(r.text for r in comparable[:5]))
            found.append(([head.position], f"{HEADLINE_MISMATCH}: headline {head.text} vs body {body_texts}"))
    return found


def _headline_interval(stated: Interval, value: float) -> Interval:
    """Headlines round harder than bodies, and truncate ("$16bn" for $16.6bn): allow a whole
    step up and HEADLINE_SLACK either way."""
    slack = HEADLINE_SLACK * abs(value)
    step = stated.high - stated.low if math.isfinite(stated.high - stated.low) else 0.0
    return Interval(stated.low - slack, stated.high + step / 2 + slack)


def _difference(a: Interval, b: Interval) -> Interval:
    return Interval(a.low - b.high, a.high - b.low).magnitude()


def _marked_as_change(row: CheckedRow) -> bool:
    if row.offset is None:
        return False
    text, begin = row.sentence, int(row.offset)
    end = begin + len(row.text)
    return bool(DIFFERENCE_BEFORE.search(text[max(0, begin - 40) : begin]) or DIFFERENCE_AFTER.match(text[end:])
                or CHANGE_NOUNS.search(text))


# -- conflicting_claims -------------------------------------------------------------------------


def _conflicts(rows: list[CheckedRow]) -> list[tuple[list[int], str]]:
    """Same council, measure, period, kind/unit/per, values that cannot both be right, in
    different articles. A change's start ("from") and stated difference describe another time
    or another quantity, so they are not compared."""
    found = []
    usable = [
        r for r in rows
        if r.council_code and r.measure
        and (r.period_start or r.period_end)
        and r.role not in ("from", "by", "change", "difference")
        and r.interval is not None
    ]
    points = _range_intervals(usable)
    for row in usable:
        row.measure_key = " ".join(row.measure.lower().split())  # "Looked-after children"
    for key, group in _group(usable, "council_code", "measure_key", "period_start", "period_end", "kind", "unit",
                             "per").items():
        if len({r.doc_id for r in group}) < 2:
            continue
        clashing: dict[int, CheckedRow] = {}
        for row in group:
            for other in group:
                if row.doc_id != other.doc_id and not points[row.position].overlaps(points[other.position]):
                    clashing[row.position] = row
                    clashing[other.position] = other
        if clashing:
            ordered = [clashing[p] for p in sorted(clashing)]
            # The first few figures and a count: a note listing every figure of a large group grew
            # to tens of KB on every row of it, and output size must follow the claims, not their square.
            values = ", ".join(f"{r.text} ({r.doc_id})" for r in ordered[:NOTE_FIGURES])
            if len(ordered) > NOTE_FIGURES:
                values += f" and {len(ordered) - NOTE_FIGURES} more"
            period = "..".join(p for p in (key[2], key[3]) if p)
            council = ordered[0].council_name or key[0]
            found.append((sorted(clashing), f"{CONFLICTING_CLAIMS}: {council} {key[1]} {period}: {values}"))
    return found


def _range_intervals(rows: list[CheckedRow]) -> dict[int, Interval]:
    """A range's two ends ("between 700 and 800") stand for one interval, low..high."""
    points = {r.position: r.interval for r in rows}
    ranged = [r for r in rows if r.role in ("low", "high") and r.change_id]
    for members in _group(ranged, "doc_id", "change_id").values():
        span = Interval(min(m.interval.low for m in members), max(m.interval.high for m in members))
        for m in members:
            points[m.position] = span
    return points


# -- helpers and summary ----------------------------------------------------------------------


def _kind_unit(row: CheckedRow) -> tuple[str, str]:
    return row.kind, row.unit


def consistency_summary(claims: pd.DataFrame) -> dict:
    """Counts of each consistency flag and the notes behind them, for the report."""
    counts = {flag: 0 for flag in CONSISTENCY_FLAGS}
    if "flags" in claims.columns:
        for cell in claims["flags"]:
            for flag in split_flags(cell):
                if flag in counts:
                    counts[flag] += 1
    notes: list[str] = []
    if "consistency_note" in claims.columns:
        for cell in claims["consistency_note"].dropna():
            for note in str(cell).split(" | "):
                if note and note not in notes:
                    notes.append(note)
    return {"flagged_claims": counts, "notes": notes}


# What find_conflicts reads: a caller gathering rows from many chunks keeps only these.
CONFLICT_COLUMNS = ["claim_id", "doc_id", "text", "value", "qualifier", "kind", "unit", "per", "role", "change_id",
                    "council_code", "council_name", "measure", "period_start", "period_end", "review_status"]


def find_conflicts(claims: pd.DataFrame) -> dict[str, list[str]]:
    """claim_id -> the `conflicting_claims` notes that concern it, over claims of any articles.

    For tables assembled chunk by chunk: the caller gathers the few rows that can conflict (council,
    measure and period known) from every chunk and asks once. Rejected claims are left out."""
    if claims.empty:
        return {}
    claims = claims.reset_index(drop=True)
    rows = [row for row in checked_rows(claims) if row.review_status != "rejected"]
    ids = claims["claim_id"].astype(str).tolist()
    found: dict[str, list[str]] = {}
    for positions, note in _conflicts(rows):
        for position in positions:
            notes = found.setdefault(ids[position], [])
            if note not in notes:
                notes.append(note)
    return found
