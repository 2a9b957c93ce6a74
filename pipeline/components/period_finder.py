"""Attach a period to every claim number. Reads doc.spans["numbers"] (with span._.role and
span._.change_id), sentence starts, doc._.publication; writes doc.spans["dates"] and span._.period."""
from __future__ import annotations

import bisect

import csv
import re
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.dates.calendar import Reference, as_of
from pipeline.dates.finder import DEFAULT_CUES, DEFAULT_NAMES, DateFinder, DateMention, load_finder
from pipeline.extensions import doc_text
from pipeline.records import Period, Publication
from pipeline.resources import MODELS_DIR

DEFAULT_FORECAST_CUES = MODELS_DIR / "forecast_cues.csv"

# Words that open a new clause: a date on the other side belongs to another statement
# ("a £1 million overspend, despite a £9 million additional spend in the 2017/18 budget").
# A comma alone is no boundary: "In 2017-18, nine out of 10 councils" is one clause.
CLAUSE_BREAK = re.compile(
    r"[;:—–]|\s-\s|\b(?:and|but|while|whilst|whereas|although|though|despite|compared|than|versus|vs|up from|down from)\b",
    re.I,
)
# How far a clause is read either side of a number: a table pasted as one "sentence" holds
# thousands of numbers, and reading the whole sentence for each would be quadratic.
CLAUSE_REACH = 400
_WORD = re.compile(r"[\w’'-]+")
# "In 2017-18, ..." / "By 2025, ..." / "Last year, ...": a fronted date governs the whole sentence.
_FRONTED_BEFORE = re.compile(r"^[\W_]*(?:[\w’'-]+[\W_]+){0,3}$")
_FRONTED_AFTER = re.compile(r"^\s*,")


@Language.factory(
    "period_finder",
    # the numbers and their change ends come from number_finder ("doc.spans" is as fine as spaCy checks)
    requires=["token.is_sent_start", "doc._.publication", "doc.spans", "span._.change_id", "span._.role"],
    assigns=["doc.spans", "span._.period"],
    default_config={
        "cues": str(DEFAULT_CUES),
        "names": str(DEFAULT_NAMES),
        "forecast_cues": str(DEFAULT_FORECAST_CUES),
        "max_gap_words": 8,
        "publication_fallback": True,
    },
)
def make_period_finder(
    nlp: Language, name: str, cues: str, names: str, forecast_cues: str, max_gap_words: int, publication_fallback: bool
) -> "PeriodFinder":
    return PeriodFinder(
        load_finder(cues, names),
        load_forecast_cues(Path(forecast_cues)),
        max_gap_words=max_gap_words,
        publication_fallback=publication_fallback,
    )


def load_forecast_cues(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["phrase"].strip() for row in csv.DictReader(handle) if row["phrase"].strip()]


def publication_period(publication: Publication | None) -> Period | None:
    """'As of publication': the month of publication, or the bounds when only they are known."""
    reference = Reference.from_publication(publication)
    if reference is None:
        return None
    start, end = as_of(reference)
    return Period(start, end, "", "publication")


@dataclass
class _Candidate:
    mention: DateMention  # offsets already in doc.text
    cost: float


class PeriodFinder:
    """Find date expressions sentence by sentence, then give each number the nearest one in its clause.

    A number with no date in its clause gets the publication period (basis "publication"): news
    figures are reported as current unless the sentence says otherwise. Two exceptions stay empty
    with a reason: a forecast ("will", "expected") without a target date, and the start of a change
    ("from 1,015") whose date is not given, which is not the publication date by construction.
    """

    def __init__(
        self,
        finder: DateFinder,
        forecast_cues: list[str],
        *,
        max_gap_words: int = 8,
        publication_fallback: bool = True,
    ):
        self.finder = finder
        self.forecast = re.compile(
            r"(?<![\w’'])(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(forecast_cues, key=len, reverse=True)) + r")\b",
            re.I,
        ) if forecast_cues else None
        self.max_gap_words = max_gap_words
        self.publication_fallback = publication_fallback

    def __call__(self, doc: Doc) -> Doc:
        reference = Reference.from_publication(doc._.publication)
        numbers = list(doc.spans["numbers"]) if "numbers" in doc.spans else []
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        date_spans: list[Span] = []
        by_sentence: dict[int, list[DateMention]] = {}
        sentence_starts = [s.start for s in sentences]
        # Only sentences holding a claim number need their dates (a third of the finder's cost).
        wanted = {bisect.bisect_right(sentence_starts, n.start) - 1 for n in numbers}
        for index in sorted(wanted):
            sentence = sentences[index]
            mentions = self.find_mentions(sentence.text, sentence.start_char, reference, numbers)
            by_sentence[sentence.start] = mentions
            for mention in mentions:
                if not mention.attachable:
                    continue
                span = doc.char_span(mention.start, mention.end, label=mention.kind, alignment_mode="expand")
                if span is not None:
                    span._.period = mention.period
                    date_spans.append(span)
        doc.spans["dates"] = date_spans
        fallback = publication_period(doc._.publication) if self.publication_fallback else None
        text = doc_text(doc)
        clauses: dict[int, _Clauses] = {}
        for number in numbers:
            sentence = sentences[bisect.bisect_right(sentence_starts, number.start) - 1]
            number._.period = self.period_for(
                number, sentence, by_sentence.get(sentence.start, []), numbers, fallback, reference, text=text,
                clauses=clauses,
            )
        return doc

    # -- find

    def find_mentions(self, text: str, offset: int, reference: Reference | None, numbers: list[Span]) -> list[DateMention]:
        """Date expressions of one sentence, in doc offsets, without those that are claim numbers themselves."""
        mentions = []
        for mention in self.finder.find(text, reference):
            start, end = mention.start + offset, mention.end + offset
            if any(start < n.end_char and n.start_char < end for n in numbers):
                continue  # number_finder kept it as a claim number ("2014 children"): not a date
            period = replace(mention.period, char_start=start, char_end=end) if mention.period else None
            parts = tuple(replace(p, text=mention.text, char_start=start, char_end=end) for p in mention.parts)
            mentions.append(replace(mention, start=start, end=end, period=period, parts=parts))
        return mentions

    # -- attach

    def period_for(
        self,
        number: Span,
        sentence: Span,
        mentions: list[DateMention],
        numbers: list[Span],
        fallback: Period | None,
        reference: Reference | None,
        *,
        text: str | None = None,
        clauses: "dict[int, _Clauses] | None" = None,
    ) -> Period:
        """The period of `number`. `clauses` caches each sentence's clause breaks and forecast words
        (by sentence start) across the numbers of a doc: a sentence is read once, not once per number."""
        text = doc_text(number.doc) if text is None else text
        partner = self._partner(number, numbers)
        best: _Candidate | None = None
        for mention in mentions:
            if not mention.attachable:
                continue
            cost = self._cost(text, sentence, number, mention, partner)
            if cost is not None and (best is None or cost < best.cost):
                best = _Candidate(mention, cost)
        if best is not None:
            return self._period_of(best.mention, number)
        if number._.role == "from":
            return Period(None, None, basis="none", reason="start of a change without its own date")
        if self.forecast is not None:
            index = (clauses if clauses is not None else {}).get(sentence.start)
            if index is None:
                index = _Clauses(text, sentence, self.forecast)
                if clauses is not None:
                    clauses[sentence.start] = index
            if index.forecast_in_clause(number.start_char, number.end_char):
                return Period(None, None, basis="none", reason="forecast without a target date")
        if fallback is not None:
            return fallback
        if reference is None:
            return Period(None, None, basis="none", reason="no date in the sentence and no publication date")
        return Period(None, None, basis="none", reason="no date in the sentence")

    def _period_of(self, mention: DateMention, number: Span) -> Period:
        if mention.period is None:
            # The nearest expression could not be resolved: say why rather than fall back to a guess.
            return Period(None, None, mention.text, "none", mention.start, mention.end, mention.reason)
        if mention.parts and number._.role in ("from", "to"):
            # "between 2012 and 2015, cases rose from 3,001 to 5,288": each end gets its own year.
            return mention.parts[0] if number._.role == "from" else mention.parts[-1]
        return mention.period

    def _partner(self, number: Span, numbers: list[Span]) -> Span | None:
        if number._.change_id is None:
            return None
        for other in numbers:
            if other is not number and other._.change_id == number._.change_id and other.start_char != number.start_char:
                return other
        return None

    def _cost(self, text: str, sentence: Span, number: Span, mention: DateMention, partner: Span | None) -> float | None:
        if mention.start >= number.end_char:
            gap, after = text[number.end_char: mention.start], True
        elif mention.end <= number.start_char:
            gap, after = text[mention.end: number.start_char], False
        else:
            return None
        if partner is not None and number._.role in ("from", "to") and not mention.parts:
            low, high = sorted((number, partner), key=lambda s: s.start_char)
            # A date between the two ends belongs to the first ("from 1015 in March 2012 to 1107");
            # one after the second end belongs to the second ("... to 1107 in March 17").
            if number is high and low.end_char <= mention.start < high.start_char:
                return None
            if number is low and mention.start >= high.end_char:
                return None
        words = len(_WORD.findall(gap))
        same_clause = not CLAUSE_BREAK.search(gap)
        if same_clause and words <= self.max_gap_words:
            # Following dates are preferred: "£542m in 2018-19", "1,360 by 2017".
            return words if after else words + 2
        if not after and self._fronted(text, sentence, mention, clause_only=same_clause):
            # "and by 2025, the funding gap ... is expected to rise to £3.1bn": the date opens the
            # number's clause; one opening the sentence governs all its clauses, at a higher cost.
            return (20 if same_clause else 50) + words
        return None

    def _fronted(self, text: str, sentence: Span, mention: DateMention, *, clause_only: bool) -> bool:
        before = text[max(sentence.start_char, mention.start - CLAUSE_REACH): mention.start]
        if clause_only:
            breaks = list(CLAUSE_BREAK.finditer(before))
            before = before[breaks[-1].end():] if breaks else before
        return bool(_FRONTED_BEFORE.match(before) and _FRONTED_AFTER.match(text[mention.end: sentence.end_char]))



class _Clauses:
    """One sentence's clause breaks and forecast words (character offsets in the doc), read once, so
    that a sentence holding thousands of numbers (a table pasted as one line) is not re-read for each."""

    def __init__(self, text: str, sentence: Span, forecast: re.Pattern) -> None:
        start, end = sentence.start_char, sentence.end_char
        self.breaks = [(m.start(), m.end()) for m in CLAUSE_BREAK.finditer(text, start, end)]
        self.break_starts = [b[0] for b in self.breaks]
        self.forecasts = [(m.start(), m.end()) for m in forecast.finditer(text, start, end)]
        self.forecast_starts = [f[0] for f in self.forecasts]
        self.start, self.end = start, end

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause of the number at [start, end): from the last break before it to the first after it,
        each at most CLAUSE_REACH characters away."""
        first, last = max(self.start, start - CLAUSE_REACH), min(self.end, end + CLAUSE_REACH)
        i = bisect.bisect_left(self.break_starts, start) - 1
        while i >= 0 and self.breaks[i][1] > start:
            i -= 1  # a break that overlaps the number itself does not close its clause
        if i >= 0 and self.breaks[i][0] >= first:
            first = self.breaks[i][1]
        j = bisect.bisect_left(self.break_starts, end)
        if j < len(self.breaks) and self.breaks[j][1] <= last:
            last = self.breaks[j][0]
        return first, last

    def forecast_in_clause(self, start: int, end: int) -> bool:
        """A forecast word ("will", "expected to") in the number's clause."""
        first, last = self.clause(start, end)
        i = bisect.bisect_left(self.forecast_starts, first)
        return i < len(self.forecasts) and self.forecasts[i][1] <= last

