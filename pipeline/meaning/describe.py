"""What a figure is about, in one call for claim_builder: measure, attribution, per and subject.

Reads the parsed sentence claim_parser stored (doc._.sentence_parses) when there is one; without
it (a pipeline without claim_parser, as in the component tests) the word patterns of measure.py
and attribution.py stand in. Offsets are characters of the NLP text (doc.text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from pipeline.meaning.attribution import attribution_from_parse, find_attribution
from pipeline.meaning.measure import find_measure, measure_from_parse
from pipeline.meaning.per import find_per
from pipeline.meaning.subject import find_subject


_AGO = re.compile(r"^[\W]*(?:a|an|each|every|per)\W+\w+\W+(?:ago|earlier|before|later|previously)\b", re.I)


@dataclass(frozen=True)
class Meaning:
    measure: str | None
    attribution: str | None
    per: str | None
    subject: str | None


MAX_SENTENCE = 1000  # characters; claim_builder cuts the sentence cell at the same length
WINDOW = 300


def describe(doc: Doc, sent: Span, start: int, end: int, kind: str, per: str | None, text: str,
             paragraph_before: str) -> Meaning:
    """The meaning of the number at text[start:end] in sentence `sent` of `doc` (`text` is doc.text)."""
    # The word patterns read a window of a table-long "sentence", not all of it for every number.
    first = max(sent.start_char, start - WINDOW) if sent.end_char - sent.start_char > MAX_SENTENCE else sent.start_char
    last = min(sent.end_char, end + WINDOW) if sent.end_char - sent.start_char > MAX_SENTENCE else sent.end_char
    sentence = text[first:last]
    local_start, local_end = start - first, end - first
    parsed = (doc._.sentence_parses or {}).get(sent.start_char)
    measure = attribution = subject = None
    if parsed is not None:  # claim_parser parses only short sentences, so first == sent.start_char here
        measure = measure_from_parse(parsed, local_start, local_end, kind)
        attribution = attribution_from_parse(parsed, local_start, local_end)
    if measure is None:
        measure = find_measure(sentence, local_start, local_end, kind)
    if attribution is None:
        attribution = find_attribution(sentence, paragraph_before)
    if parsed is not None:
        councils = [(s.start_char - sent.start_char, s.end_char - sent.start_char)
                    for s in doc.spans.get("councils", []) if sent.start_char <= s.start_char < sent.end_char]
        subject = find_subject(parsed, local_start, local_end, speaker=attribution, not_subjects=councils)
    after = sentence[local_end:]
    # the finder's "a year" of "£3m a year ago" is a time, not a rate
    per = find_per(after) or (None if _AGO.match(after) else per)
    return Meaning(measure, attribution, per, subject)
