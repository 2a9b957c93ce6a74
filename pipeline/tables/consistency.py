"""Check claims against each other; adds inconsistent_change / headline_mismatch / conflicting_claims to `flags` and a `consistency_note`."""
from __future__ import annotations

import bisect
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


def check_consistency(claims: pd.DataFrame, *, across_rows: bool = True,
                      found_elsewhere: dict[str, list[tuple[str, str]]] | None = None) -> pd.DataFrame:
    """The table with the three consistency flags recomputed (other flags kept) and a
    `consistency_note` saying why each was raised. Rejected claims are left out of the checks.

    across_rows=False runs only inconsistent_change, which reads one sentence's rows: for a table
    checked chunk by chunk (pipeline.tables.finalize), whose headline_mismatch and
    conflicting_claims are found over every chunk (HeadlineCheck, find_conflicts) and given as
    `found_elsewhere`: claim_id -> [(flag, note)], laid on after the chunk's own, as the checks'
    order has them."""
    table = claims.copy()
    finders = [(INCONSISTENT_CHANGE, _inconsistent_changes)]
    if across_rows:
        finders += [(HEADLINE_MISMATCH, _headline_mismatches), (CONFLICTING_CLAIMS, _conflicts)]
    rows = checked_rows(claims, _checkable(claims, across_rows))
    notes: dict[int, list[str]] = {}
    raised: dict[int, set[str]] = {}

    def note_on(position: int, flag: str, note: str) -> None:
        raised.setdefault(position, set()).add(flag)
        held = notes.setdefault(position, [])
        if note not in held:
            held.append(note)

    active = [row for row in rows if row.review_status != "rejected"]
    for flag, finder in finders:
        for positions, note in finder(active):
            for position in positions:
                note_on(position, flag, note)
    if found_elsewhere:
        for position, claim_id in enumerate(table["claim_id"].astype(str).tolist()):
            for flag, note in found_elsewhere.get(claim_id, ()):
                note_on(position, flag, note)
    flags = table["flags"].tolist() if "flags" in table.columns else [""] * len(table)
    table["flags"] = [
        ";".join([f for f in split_flags(cell) if f not in CONSISTENCY_FLAGS] + sorted(raised.get(position, ())))
        for position, cell in enumerate(flags)
    ]
    table["consistency_note"] = [" | ".join(notes[position]) if position in notes else None
                                 for position in range(len(table))]
    return table


def _checkable(claims: pd.DataFrame, across_rows: bool) -> list[int]:
    """The positions of the rows a check can read: those in a sentence holding a change's start or
    end, and (across rows) those of an article with a headline figure and those whose council,
    measure, period and value are all known. The rest cannot raise or settle a flag, and most
    rows are of the rest: building every row cost more than the checks."""
    count = len(claims)

    def cells(name: str) -> list:
        return claims[name].tolist() if name in claims.columns else [None] * count

    doc_ids, sentences, change_ids, roles, sections = (cells(n) for n in ("doc_id", "sentence", "change_id", "role",
                                                                          "section"))
    changing = {(doc_ids[i], sentences[i]) for i in range(count)
                if present(change_ids[i]) and text_of(roles[i]) in ("from", "to")}
    headed = {doc_ids[i] for i in range(count) if text_of(sections[i]) in HEADLINE_SECTIONS} if across_rows else set()
    wanted = {i for i in range(count) if doc_ids[i] in headed or (doc_ids[i], sentences[i]) in changing} \
        if changing or headed else set()
    if across_rows:
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
    claim_id: str
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


_TEXT_FIELDS = ("claim_id", "doc_id", "sentence", "text", "kind", "unit", "per", "qualifier", "role", "change_id", "section",
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
    check = HeadlineCheck()
    docs_with_heads = {r.doc_id for r in rows if r.section in HEADLINE_SECTIONS}
    for (doc_id,), doc in _group([r for r in rows if r.doc_id in docs_with_heads], "doc_id").items():
        # a table's rows are in text order, headline first; the heads go first here whatever the order
        check.add([r for r in doc if r.section in HEADLINE_SECTIONS] + [r for r in doc if r.section not in HEADLINE_SECTIONS])
    return [([head.position], note) for head, note in check.close()]


class _Candidates:
    """The body figures one headline figure is compared with, in one of its three readings (see
    HeadlineCheck): how many, whether one agrees with it, the first texts for the note, and for a
    headline that states a change every interval (it may be the difference of two of them)."""

    def __init__(self, keep_intervals: bool) -> None:
        self.count = 0
        self.agrees = False
        self.texts: list[str] = []
        self.intervals: list[Interval] | None = [] if keep_intervals else None

    def add(self, row: CheckedRow, head: Interval) -> None:
        self.count += 1
        if len(self.texts) < NOTE_FIGURES:
            self.texts.append(row.text)
        if not self.agrees and head.overlaps(row.interval):
            self.agrees = True
        if self.intervals is not None and not self.agrees:
            self.intervals.append(row.interval)


class _Head:
    def __init__(self, row: CheckedRow) -> None:
        self.row = row
        self.interval = _headline_interval(row.interval, row.value)
        self.key = (_kind_unit(row), row.per)
        changing = _marked_as_change(row)
        self.measured = _Candidates(changing)  # body figures of the headline's own measure
        self.unmeasured = _Candidates(changing)  # those without a measure
        self.all = _Candidates(changing)  # every comparable one

    def add(self, row: CheckedRow) -> None:
        if (_kind_unit(row), row.per) != self.key:
            return
        self.all.add(row, self.interval)
        if self.row.measure and row.measure == self.row.measure:
            self.measured.add(row, self.interval)
        elif not row.measure:
            self.unmeasured.add(row, self.interval)

    def mismatch(self) -> str | None:
        head = self.row
        if self.measured.count:
            compared = self.measured
        elif head.kind not in HEADLINE_KINDS_WITHOUT_MEASURE:
            return None
        else:
            compared = self.unmeasured if head.measure else self.all
        if not compared.count or compared.agrees:
            return None
        if compared.intervals is not None and _difference_within(compared.intervals, self.interval):
            return None  # "Nortel in $300m profit revision": $732m restated as $434m
        body_texts = ", ".join(dict.fromkeys(compared.texts))
        return f"{HEADLINE_MISMATCH}: headline {head.text} vs body {body_texts}"


class HeadlineCheck:
    """headline_mismatch over rows fed in order, an article's rows together (its headline figures
    before its body, as a table holds them): memory holds an article's headline figures, not its
    body, so an article of 250,000 figures cut into chunks is checked whole. `close()` gives each
    flagged headline row with its note."""

    def __init__(self) -> None:
        self.doc_id: str | None = None
        self.heads: list[_Head] = []
        self.found: list[tuple[CheckedRow, str]] = []

    def reads(self, doc_id: str) -> bool:
        """Whether body rows of `doc_id` are wanted now: it is the article whose headline figures are held."""
        return bool(self.heads) and doc_id == self.doc_id

    def add(self, rows: list[CheckedRow]) -> None:
        for row in rows:
            if row.doc_id != self.doc_id:
                self._finish()
                self.doc_id = row.doc_id
            if row.review_status == "rejected":
                continue
            if row.section in HEADLINE_SECTIONS:
                if row.interval is not None and row.role not in ("from", "low"):
                    self.heads.append(_Head(row))
            elif row.section == BODY_SECTION and row.interval is not None:
                for head in self.heads:
                    head.add(row)

    def close(self) -> list[tuple[CheckedRow, str]]:
        self._finish()
        return self.found

    def _finish(self) -> None:
        for head in self.heads:
            note = head.mismatch()
            if note:
                self.found.append((head.row, note))
        self.heads = []


def _difference_within(intervals: list[Interval], head: Interval) -> bool:
    """Whether two of `intervals` differ by an amount within `head`, as _difference reads it: some
    r, o (r is not o) with [r.low - o.high, r.high - o.low] meeting head's part from 0 up (the pair
    the other way round covers a negative difference). Sorted by o.low with the two largest o.high
    so far, each r asks one bisect: n log n, not the n * n pairs a table of thousands of figures
    would take."""
    if len(intervals) < 2 or head.high < 0:
        return False
    low_end, high_end = max(head.low, 0.0), head.high
    order = sorted(range(len(intervals)), key=lambda i: intervals[i].low)
    lows = [intervals[i].low for i in order]
    best: list[tuple[tuple[float, int], tuple[float, int]]] = []  # the two largest (high, index) so far
    first, second = (-math.inf, -1), (-math.inf, -1)
    for i in order:
        if intervals[i].high > first[0]:
            first, second = (intervals[i].high, i), first
        elif intervals[i].high > second[0]:
            second = (intervals[i].high, i)
        best.append((first, second))
    for index, r in enumerate(intervals):
        # o.low <= r.high - low_end, and then o.high >= r.low - high_end (float noise allowed, as overlaps does)
        reach = bisect.bisect_right(lows, r.high - low_end + _noise(r.high, low_end))
        if not reach:
            continue
        first, second = best[reach - 1]
        high, other = first if first[1] != index else second
        if other >= 0 and r.low - high_end <= high + _noise(r.low, high_end, high):
            return True
    return False


def _noise(*values: float) -> float:
    """The slack Interval.overlaps allows for float noise, over the finite ones of `values`."""
    return 1e-9 * max([1.0] + [abs(v) for v in values if math.isfinite(v)])


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
        clashing = _clashing(group, points)
        if clashing:
            ordered = [r for r in group if r.position in clashing]
            # The first few figures and a count: a note listing every figure of a large group grew
            # to tens of KB on every row of it, and output size must follow the claims, not their square.
            values = ", ".join(f"{r.text} ({r.doc_id})" for r in ordered[:NOTE_FIGURES])
            if len(ordered) > NOTE_FIGURES:
                values += f" and {len(ordered) - NOTE_FIGURES} more"
            period = "..".join(p for p in (key[2], key[3]) if p)
            council = ordered[0].council_name or key[0]
            found.append((sorted(clashing), f"{CONFLICTING_CLAIMS}: {council} {key[1]} {period}: {values}"))
    return found


def _clashing(group: list[CheckedRow], points: dict[int, Interval]) -> set[int]:
    """The positions of the rows that cannot be right together with some row of another article:
    intervals that do not meet. A row clashes when another article's lowest high is below its low
    or another article's highest low is above its high, so the two extremes of the two articles
    that hold them are enough: one pass, where comparing every pair took a group's square."""
    lowest_high: list[tuple[float, str, Interval]] = []  # the two articles with the lowest highs, and those rows
    highest_low: list[tuple[float, str, Interval]] = []  # the two with the highest lows
    for row in group:
        point = points[row.position]
        _keep_extreme(lowest_high, point.high, row.doc_id, point, lower=True)
        _keep_extreme(highest_low, point.low, row.doc_id, point, lower=False)
    clashing = set()
    for row in group:
        point = points[row.position]
        below = next((interval for _, doc, interval in lowest_high if doc != row.doc_id), None)
        above = next((interval for _, doc, interval in highest_low if doc != row.doc_id), None)
        if (below is not None and not point.overlaps(below)) or (above is not None and not point.overlaps(above)):
            clashing.add(row.position)
    return clashing


def _keep_extreme(kept: list[tuple[float, str, Interval]], value: float, doc: str, interval: Interval, *,
                  lower: bool) -> None:
    """Keep in `kept` the most extreme value (and its interval) of each of the two most extreme articles."""
    for n, (held, held_doc, _) in enumerate(kept):
        if held_doc == doc:
            if (value < held) if lower else (value > held):
                kept[n] = (value, doc, interval)
            break
    else:
        kept.append((value, doc, interval))
    kept.sort(key=lambda item: item[0], reverse=not lower)
    del kept[2:]


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
