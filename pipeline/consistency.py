"""Check claims against each other; adds inconsistent_change / headline_mismatch / conflicting_claims to `flags` and a `consistency_note`."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from pipeline.export import span_offsets
from pipeline.review import split_flags

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
# Bounds from qualifiers. Hedged figures get ±10%: "almost 30%" is 27..30, "about 700" 630..770.
LOWER_BOUND = re.compile(r"\b(?:more than|over|above|at least|exceed\w*|in excess of|upwards of|plus)\b", re.I)
UPPER_BOUND = re.compile(r"\b(?:less than|fewer than|under|below|up to|at most|no more than)\b", re.I)
JUST_BELOW = re.compile(r"\b(?:almost|nearly|just under|approaching|close to|not quite)\b", re.I)
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
        if LOWER_BOUND.search(words):
            high = math.inf
        elif UPPER_BOUND.search(words):
            low = -math.inf
        elif JUST_BELOW.search(words):
            low = value * (1 - HEDGE) - half
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


def check_consistency(claims: pd.DataFrame) -> pd.DataFrame:
    """The table with the three consistency flags recomputed (other flags kept) and a
    `consistency_note` saying why each was raised. Rejected claims are left out of the checks."""
    table = claims.copy()
    # Work on plain objects with None for blanks: the table's string columns hold pd.NA, which
    # cannot be compared.
    work = claims.astype(object).where(claims.notna(), None)
    notes: dict[object, list[str]] = {index: [] for index in table.index}
    raised: dict[object, set[str]] = {index: set() for index in table.index}
    active = work
    if "review_status" in work.columns:
        active = work[work["review_status"] != "rejected"]
    if len(active):
        intervals = {index: _row_interval(row) for index, row in active.iterrows()}
        for flag, finder in (
            (INCONSISTENT_CHANGE, _inconsistent_changes),
            (HEADLINE_MISMATCH, _headline_mismatches),
            (CONFLICTING_CLAIMS, _conflicts),
        ):
            for indexes, note in finder(active, intervals):
                for index in indexes:
                    raised[index].add(flag)
                    if note not in notes[index]:
                        notes[index].append(note)
    flags = table["flags"] if "flags" in table.columns else pd.Series("", index=table.index)
    table["flags"] = [
        ";".join([f for f in split_flags(cell) if f not in CONSISTENCY_FLAGS] + sorted(raised[index]))
        for index, cell in zip(table.index, flags)
    ]
    table["consistency_note"] = [" | ".join(notes[index]) or None for index in table.index]
    return table


def _row_interval(row: pd.Series) -> Interval | None:
    value = row.get("value")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return stated_interval(float(value), _text(row.get("text")), _text(row.get("qualifier")) or None)


# -- inconsistent_change ---------------------------------------------------------------------


def _inconsistent_changes(table: pd.DataFrame, intervals: dict) -> list[tuple[list, str]]:
    found = []
    roles = table["role"].fillna("").astype(str) if "role" in table.columns else pd.Series("", index=table.index)
    change_ids = table["change_id"] if "change_id" in table.columns else pd.Series(None, index=table.index)
    paired_ids = set(change_ids[roles.isin(["from", "to"])].dropna())
    offsets = span_offsets(table)
    for change_id in paired_ids:
        members = table[change_ids == change_id]
        member_roles = roles[members.index]
        starts = members[member_roles == "from"]
        ends = members[member_roles == "to"]
        if len(starts) != 1 or len(ends) != 1:
            continue
        start, end = starts.iloc[0], ends.iloc[0]
        a, b = intervals.get(starts.index[0]), intervals.get(ends.index[0])
        if a is None or b is None or _kind_unit(start) != _kind_unit(end):
            continue
        explicit = members[member_roles.isin(["by", "change", "difference"])]
        candidates = list(explicit.index) or _stated_differences(table, members, paired_ids, offsets)
        for index in candidates:
            stated = table.loc[index]
            verdict = _difference_agrees(start, end, a, b, stated, intervals[index])
            if verdict is None or verdict[0]:
                continue
            found.append((list(members.index) + [index], verdict[1]))
    return found


def _stated_differences(table: pd.DataFrame, pair: pd.DataFrame, paired_ids: set, offsets: pd.Series) -> list:
    """Figures beside a from/to pair in its sentence that read as its difference.

    Positions are read in the sentence text (a figure that cannot be found there is not
    checked: better no flag than a wrong one). A figure counts when it is close (MAX_GAP_CHARS),
    in the same clause (no ", while", ";" or other number between) and marked as a change:
    "by/of/or 28.4%", "rose 2%", "a 28% increase". Between two changes it goes with the nearer.
    """
    first = pair.iloc[0]
    same_doc = table[table["doc_id"] == first["doc_id"]]
    in_sentence = same_doc[same_doc["sentence"] == first["sentence"]]
    text = str(first["sentence"])
    positions = {}
    for index, row in in_sentence.iterrows():
        start = offsets.get(index)
        if start is not None and not _is_nan(start):
            positions[index] = (int(start), int(start) + len(str(row["text"])))
    roles = in_sentence["role"].fillna("").astype(str)
    ends_of_changes = in_sentence[roles.isin(["from", "to"]) & in_sentence["change_id"].isin(paired_ids)]
    pairs = {}
    for cid, group in ends_of_changes.groupby("change_id"):
        if all(i in positions for i in group.index):
            pairs[cid] = (min(positions[i][0] for i in group.index), max(positions[i][1] for i in group.index))
    own = first["change_id"]
    if own not in pairs:
        return []
    chosen = []
    for index in in_sentence.index:
        if index in ends_of_changes.index or roles[index] in ("low", "high") or index not in positions:
            continue
        gaps = {cid: _gap(positions[index], span) for cid, span in pairs.items()}
        gap = gaps[own]
        if gap is None or gap[1] - gap[0] > MAX_GAP_CHARS:
            continue
        if any(other != own and g is not None and g[1] - g[0] < gap[1] - gap[0] for other, g in gaps.items()):
            continue
        if CLAUSE_BREAK.search(text[gap[0] : gap[1]]):
            continue
        if any(gap[0] <= start and end <= gap[1] for i, (start, end) in positions.items() if i != index):
            continue
        start, end = positions[index]
        if not (DIFFERENCE_BEFORE.search(text[max(0, start - 40) : start]) or DIFFERENCE_AFTER.match(text[end:])):
            continue
        chosen.append(index)
    return chosen


def _gap(figure: tuple[int, int], span: tuple[int, int]) -> tuple[int, int] | None:
    """The stretch of text between a figure and a change [start, end), or None if they overlap."""
    if figure[1] <= span[0]:
        return figure[1], span[0]
    if figure[0] >= span[1]:
        return span[1], figure[0]
    return None


def _difference_agrees(
    start: pd.Series, end: pd.Series, a: Interval, b: Interval, stated: pd.Series, d: Interval
) -> tuple[bool, str] | None:
    """(agrees, note) when `stated` can be read as the change's difference, else None."""
    kind, unit = _kind_unit(start)
    s_kind, s_unit = _kind_unit(stated)
    readings: list[tuple[str, Interval]] = []
    if _text(stated.get("per")) != _text(start.get("per")):
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
    exact = _exact_change(float(start["value"]), float(end["value"]), reading)
    note = (
        f"{INCONSISTENT_CHANGE}: from {start['text']} to {end['text']} is {exact}, "
        f"but the sentence states {stated['text']}"
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


def _headline_mismatches(table: pd.DataFrame, intervals: dict) -> list[tuple[list, str]]:
    """A headline figure with body figures of its kind/unit/per none of which it can be a
    rounding of. Money and percentages are compared as they are; other kinds (bare counts:
    scores, ages, days) only with body figures of the same measure. A headline figure the body
    never restates with anything comparable is left alone: there is nothing to mismatch."""
    found = []
    if "section" not in table.columns:
        return found
    offsets = span_offsets(table)
    for _, doc in table.groupby("doc_id", sort=False):
        heads = doc[doc["section"].isin(HEADLINE_SECTIONS)]
        body = doc[doc["section"] == BODY_SECTION]
        for index, head in heads.iterrows():
            if intervals.get(index) is None or head.get("role") in ("from", "low"):
                continue
            h = _headline_interval(intervals[index], float(head["value"]))
            comparable = [
                i
                for i, row in body.iterrows()
                if intervals.get(i) is not None
                and _kind_unit(row) == _kind_unit(head)
                and _text(row.get("per")) == _text(head.get("per"))
            ]
            measure = _text(head.get("measure"))
            measured = [i for i in comparable if measure and _text(body.at[i, "measure"]) == measure]
            if measured:
                comparable = measured
            elif head.get("kind") not in HEADLINE_KINDS_WITHOUT_MEASURE:
                comparable = []
            elif measure:
                comparable = [i for i in comparable if not _text(body.at[i, "measure"])]
            if not comparable or any(h.overlaps(intervals[i]) for i in comparable):
                continue
            if _marked_as_change(head, offsets.get(index)) and any(
                h.overlaps(_difference(intervals[i], intervals[j])) for i in comparable for j in comparable if i != j
            ):
                continue  # "Nortel in $300m profit revision": $732m restated as $434m
            body_texts = ", ".join(dict.fromkeys(str(body.at[i, "text"]) for i in comparable[:5]))
            found.append(([index], f"{HEADLINE_MISMATCH}: headline {head['text']} vs body {body_texts}"))
    return found


def _headline_interval(stated: Interval, value: float) -> Interval:
    """Headlines round harder than bodies, and truncate ("$16bn" for $16.6bn): allow a whole
    step up and HEADLINE_SLACK either way."""
    slack = HEADLINE_SLACK * abs(value)
    step = stated.high - stated.low if math.isfinite(stated.high - stated.low) else 0.0
    return Interval(stated.low - slack, stated.high + step / 2 + slack)


def _difference(a: Interval, b: Interval) -> Interval:
    return Interval(a.low - b.high, a.high - b.low).magnitude()


def _marked_as_change(row: pd.Series, start: object) -> bool:
    if start is None or _is_nan(start):
        return False
    text, begin = str(row["sentence"]), int(start)  # type: ignore[arg-type]
    end = begin + len(str(row["text"]))
    return bool(DIFFERENCE_BEFORE.search(text[max(0, begin - 40) : begin]) or DIFFERENCE_AFTER.match(text[end:])
                or CHANGE_NOUNS.search(text))


# -- conflicting_claims -------------------------------------------------------------------------


def _conflicts(table: pd.DataFrame, intervals: dict) -> list[tuple[list, str]]:
    """Same council, measure, period, kind/unit/per, values that cannot both be right, in
    different articles. A change's start ("from") and stated difference describe another time
    or another quantity, so they are not compared."""
    found = []
    needed = {"council_code", "measure", "period_start", "period_end"}
    if not needed <= set(table.columns):
        return found
    usable = table[
        table["council_code"].map(_text).astype(bool)
        & table["measure"].map(_text).astype(bool)
        & (table["period_start"].map(_text).astype(bool) | table["period_end"].map(_text).astype(bool))
    ]
    if "role" in usable.columns:
        usable = usable[~usable["role"].isin(["from", "by", "change", "difference"])]
    points = _range_intervals(usable, intervals)
    keys = usable.apply(
        lambda row: (
            _text(row["council_code"]),
            _text(row["measure"]).lower(),
            _text(row["period_start"]),
            _text(row["period_end"]),
            *_kind_unit(row),
            _text(row.get("per")),
        ),
        axis=1,
    ) if len(usable) else pd.Series(dtype=object)
    for key, group in usable.groupby(keys, sort=False):
        if group["doc_id"].nunique() < 2:
            continue
        clashing = set()
        for i, row in group.iterrows():
            for j, other in group.iterrows():
                if row["doc_id"] == other["doc_id"] or points.get(i) is None or points.get(j) is None:
                    continue
                if not points[i].overlaps(points[j]):
                    clashing.update((i, j))
        if clashing:
            values = ", ".join(
                f"{group.at[i, 'text']} ({group.at[i, 'doc_id']})" for i in sorted(clashing, key=str)
            )
            period = "..".join(p for p in (key[2], key[3]) if p)
            note = f"{CONFLICTING_CLAIMS}: {group.iloc[0].get('council_name') or key[0]} {key[1]} {period}: {values}"
            found.append((sorted(clashing, key=str), note))
    return found


def _range_intervals(table: pd.DataFrame, intervals: dict) -> dict:
    """A range's two ends ("between 700 and 800") stand for one interval, low..high."""
    points = {index: intervals.get(index) for index in table.index}
    if "role" not in table.columns or "change_id" not in table.columns:
        return points
    ranged = table[table["role"].isin(["low", "high"]) & table["change_id"].notna()]
    for _, group in ranged.groupby("change_id"):
        ends = [intervals.get(i) for i in group.index if intervals.get(i) is not None]
        if ends:
            span = Interval(min(e.low for e in ends), max(e.high for e in ends))
            for i in group.index:
                points[i] = span
    return points


# -- helpers and summary ----------------------------------------------------------------------


def _kind_unit(row: pd.Series) -> tuple[str, str]:
    return _text(row.get("kind")), _text(row.get("unit"))


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _is_nan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


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
