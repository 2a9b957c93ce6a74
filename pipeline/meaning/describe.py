"""What a figure is about, in one call for claim_builder: measure, attribution, per and subject.

Reads the parsed sentence claim_parser stored (doc._.sentence_parses) when there is one; where it
yields nothing, or without it (a pipeline without claim_parser, as in the component tests), the
word patterns of measure.py and attribution.py stand in. A measure from the word patterns is
vetted by the parse when there is one (cut back to its last noun: "42% backed" is no measure), and
a figure's own unit is never one ("372 riyals ($99)"). Offsets are characters of the NLP text
(doc.text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.meaning.attribution import attribution_from_parse, find_attribution
from pipeline.meaning.measure import TIME_NOUNS, find_measure, is_unit_phrase, measure_from_parse
from pipeline.meaning.per import find_per
from pipeline.meaning.subject import find_subject
from pipeline.meaning.tree import PRONOUNS, SCALES, is_clause_head, is_numberish


_AGO = re.compile(r"^[\W]*(?:a|an|each|every|per)\W+\w+\W+(?:ago|earlier|before|later|previously)\b", re.I)


# Where the parse puts a word that is not a noun: a modifier, a particle, a function word.
NOT_NOUN_DEPS = frozenset({"advmod", "amod", "acomp", "prt", "neg", "aux", "auxpass", "mark", "cc", "prep", "agent",
                           "det", "predet", "nummod", "quantmod", "punct"})


@dataclass(frozen=True)
class Meaning:
    measure: str | None
    attribution: str | None
    per: str | None
    subject: str | None


# A "sentence" longer than this many characters is a table pasted as one line: its `sentence` cell
# (claim_builder) shows SENTENCE_WINDOW characters either side of the number, and the word
# patterns read the same window, so what a row says it measures is in what the reviewer is shown.
MAX_SENTENCE_CHARS = 1000
SENTENCE_WINDOW = 200


def describe(doc: Doc, sent: Span, start: int, end: int, kind: str, per: str | None, text: str,
             paragraph_before: str) -> Meaning:
    """The meaning of the number at text[start:end] in sentence `sent` of `doc` (`text` is doc.text)."""
    # The word patterns read a window of a table-long "sentence", not all of it for every number.
    table = sent.end_char - sent.start_char > MAX_SENTENCE_CHARS
    first = max(sent.start_char, start - SENTENCE_WINDOW) if table else sent.start_char
    last = min(sent.end_char, end + SENTENCE_WINDOW) if table else sent.end_char
    sentence = text[first:last]
    local_start, local_end = start - first, end - first
    parsed = (doc._.sentence_parses or {}).get(sent.start_char)
    measure = attribution = subject = None
    if parsed is not None:  # claim_parser parses only short sentences, so first == sent.start_char here
        measure = measure_from_parse(parsed, local_start, local_end, kind)
        attribution = attribution_from_parse(parsed, local_start, local_end)
    if measure is None:
        measure = find_measure(sentence, local_start, local_end, kind)
        if measure is not None and _is_figures_unit(sentence, measure, local_end):
            measure = None  # "2.24 million sq km": the words after the number are its unit
        if measure is not None and parsed is not None:
            measure = _noun_part(parsed, measure, local_end, kind)  # "42% backed the plan": not "backed"
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


_AFTER_AMOUNT = re.compile(r"(?:\d(?:[a-z]{1,2})?|\b(?:million|billion|trillion|thousand|hundred))[\s-]*$", re.I)


def _is_figures_unit(text: str, measure: str, after: int) -> bool:
    """Whether `measure` is only a unit ("riyals", "m euros", "sq km") written right after an amount:
    a figure's unit, not what is measured ("the dollar fell 2%" keeps "dollar")."""
    if not is_unit_phrase(measure):
        return False
    at = _find(text, measure, after)
    return at < 0 or bool(_AFTER_AMOUNT.search(text[max(0, at - 40):at]))


def _find(text: str, phrase: str, after: int) -> int:
    """Where `phrase` is in `text`: first after offset `after`, else anywhere; -1 when absent."""
    at = text.find(phrase, after)
    return at if at >= 0 else text.find(phrase)


def _noun_part(parsed: Doc, measure: str, after: int, kind: str = "count") -> str | None:
    """The word patterns' `measure` up to its last noun by the parse of its sentence: without the
    verbs heading a clause ("homes expected" -> "homes"), adverbs ("thereafter") and adjectives
    ("raw") it ends in, and for money and shares the time it ends in ("growth last year"); None
    when nothing is left. Looked for first after the number (offset `after`), then anywhere; a
    phrase the parse does not hold is kept as it is."""
    text = parsed.text
    at = _find(text, measure, after)
    span = parsed.char_span(at, at + len(measure), alignment_mode="expand") if at >= 0 else None
    if span is None or not len(span):
        return measure
    words = list(span)
    while words and (words[-1].dep_ in NOT_NOUN_DEPS or _is_verb(words[-1])
                     or (kind in ("money", "percent") and _is_when(words[-1]))):
        words = words[:-1]  # "growth last year" -> "growth"; "£15m four years ago": nothing
    if not words or (len(words) == 1 and words[0].lower_ in PRONOUNS):
        return None
    end = min(at + len(measure), words[-1].idx + len(words[-1].text))
    return text[at:end].rstrip(" ,;:") or None


def _is_verb(token: Token) -> bool:
    """A word the parse makes head of a clause and nothing marks as a noun: not one with a determiner,
    an owner or a number ("Arsenal's £100m deal with ...", however the parse reads it), nor a
    verbless fragment's root ("six or seven digits")."""
    if not is_clause_head(token) or any(c.dep_ in ("det", "poss") for c in token.children):
        return False
    if any((is_numberish(c) and c.dep_ not in ("nsubj", "nsubjpass")) or (c.i == token.i - 1 and c.lower_ in SCALES)
           for c in token.children):
        return False  # "100,000 people", "an £11m bid" ("m" read as its subject): a number's noun
    return token.dep_ != "ROOT" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in token.children)


def _is_when(token: Token) -> bool:
    """A word of a time phrase ("last year", "four years"): what money or a share is about is not when."""
    return token.lower_ in TIME_NOUNS or token.like_num or token.lower_ in ("last", "next", "this", "a", "an", "the")
