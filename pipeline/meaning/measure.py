"""What a number counts or is spent on, read from the words around it (best effort, no parser).

The pipeline runs without spaCy's tagger and parser (they would halve its speed), so the
measure is found by patterns over the sentence: the words after a count ("1,137 looked-after
children"), after "on/into/for" for money ("£3.9 million on its safeguarding service"), after
"increase in" for percentages, or the subject of the clause ("the funding gap for children's
services is expected to rise to £3.1bn"). A measure that cannot be found is left empty.
"""
from __future__ import annotations

import re

# Words that end a noun phrase: function words, auxiliaries and common reporting verbs.
STOP = frozenset(
    """a an the and or but of in on at by for to from with as if so than then that this these those it its their
    his her our your my is are was were be been being has have had will would could should may might can do does
    did not no who which whose where when while over under into onto per each every across after before since until
    during about around almost nearly some more less fewer just only also already still far aged said says say
    according including include includes included compared against between through within without up down out off
    rise rose risen rising fall fell fallen falling increase increased increasing decrease decreased cut cuts spend
    spent spending reach reached reaching cost costing costs saving save saved""".split()
)
DETERMINERS = re.compile(
    r"^(?:(?:its|the|a|an|their|his|her|our|this|that|these|those|some|all|total|extra|additional|further|new|"
    r"which)\s+)+",
    re.I,
)
_WORD = r"[A-Za-z][\w'’‘-]*"
_NUMBER_OF = re.compile(rf"\bnumber\s+of\s+((?:{_WORD}\s+){{0,6}}?{_WORD})(?=\s+(?:is|are|was|were|has|have|had|will|would|could|rose|fell|increased|decreased)\b|[,.;:]|$)", re.I)
_NUMBERS = re.compile(rf"((?:{_WORD}\s+){{0,2}}{_WORD}?)[’']s?\s+(?:numbers|population)\b|((?:{_WORD}\s+){{0,2}}{_WORD})\s+(?:numbers|population)\b", re.I)
_CHANGE_IN = re.compile(r"^\s*(?:increase|rise|fall|drop|decrease|cut|reduction|growth|jump)s?\s+in\s+(.*)", re.I)
_PREP_OBJECT = re.compile(r"^\s*(?:on|into|for|towards|to fund|to pay for)\s+(.*)", re.I)
_OF_OBJECT = re.compile(r"^\s*of\s+(.*)", re.I)
_VERB_BY = re.compile(
    rf"\b(?:increase|raise|cut|reduce|boost|grow|lift)s?\s+((?:{_WORD}\s+){{1,5}}?{_WORD})\s+by\s+(?:[a-z]+\s+)?$", re.I
)
_SUBJECT = re.compile(
    rf"^\s*((?:{_WORD}\s+){{0,7}}?{_WORD})\s+(?:is|are|was|were|has|have|had|will|would|could|can|may|might|rose|fell|"
    r"increased|decreased|went|stood|reached|totalled|totals)\b",
    re.I,
)


def noun_phrase(text: str, max_words: int = 6) -> str | None:
    """The words at the start of `text` up to the first stop word: "looked-after children, far" -> "looked-after children"."""
    text = DETERMINERS.sub("", text.lstrip(" \u00a0‘'“\""))
    words: list[str] = []
    for match in re.finditer(r"[\w'’‘-]+|[^\w\s]", text):
        word = match.group(0)
        if not re.match(r"[A-Za-z]", word) or word.lower() in STOP or len(words) >= max_words:
            break
        words.append(word.strip("‘’'"))
    phrase = " ".join(words).strip()
    return phrase or None


def _clean(phrase: str | None) -> str | None:
    if not phrase:
        return None
    phrase = DETERMINERS.sub("", phrase.strip(" ,.;:‘’'“”\""))
    phrase = re.sub(r"^number\s+of\s+", "", phrase, flags=re.I)
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,.;:‘’'“”\"")
    return phrase or None


def find_measure(sentence: str, start: int, end: int, kind: str) -> str | None:
    """The measure of the number at sentence[start:end] (offsets within the sentence)."""
    before, after = sentence[:start], sentence[end:]
    after = re.sub(r"^\s*(?:a|per|an|each|every)\s+(?:year|month|week|day|hour|annum)\b", "", after, flags=re.I)
    if kind in ("count", "ratio", "quantity"):
        of_object = _OF_OBJECT.match(after) if kind == "ratio" else None
        phrase = noun_phrase(of_object.group(1)) if of_object else noun_phrase(after)
        if phrase and kind != "quantity":
            return _clean(phrase)
        if kind == "quantity":
            of_object = _OF_OBJECT.match(after)
            return _clean(noun_phrase(of_object.group(1))) if of_object else None
    if kind == "percent":
        change = _CHANGE_IN.match(after)
        if change:
            return _clean(_number_of_or_phrase(change.group(1)))
        of_object = _OF_OBJECT.match(after)
        if of_object:
            return _clean(noun_phrase(of_object.group(1)))
        verb_by = _VERB_BY.search(before)
        if verb_by:
            return _clean(verb_by.group(1))
        phrase = noun_phrase(after)
        if phrase:
            return _clean(phrase)
    if kind == "money":
        object_ = _PREP_OBJECT.match(after)
        if object_:
            return _clean(noun_phrase(object_.group(1)))
        phrase = noun_phrase(after)
        if phrase:
            return _clean(phrase)
    if kind == "money":  # "the number of children" before "£12m" is not what the money is
        return _subject(before)
    number_of = _NUMBER_OF.search(before)
    if number_of:
        return _clean(number_of.group(1))
    numbers = _NUMBERS.search(before) if re.search(r"numbers|population", before, re.I) else None
    if numbers:
        return _clean(numbers.group(1) or numbers.group(2))
    return _subject(before)


def _subject(before: str) -> str | None:
    """The subject of the clause the number ends: "the funding gap for X is expected to rise to"."""
    match = _SUBJECT.search(_last_clause(before))
    if not match:
        return None
    words = [w.lower() for w in match.group(1).split()]
    inner = set(words[1:]) - {"of", "for", "on", "in", "to", "and"}
    if words[0] in ("it", "he", "she", "they", "we", "i", "but", "if", "that", "which") or inner & STOP:
        return None
    return _clean(match.group(1))


def _number_of_or_phrase(text: str) -> str | None:
    match = re.match(r"^\s*(?:the\s+)?number\s+of\s+(.*)", text, re.I)
    if match:
        return noun_phrase(match.group(1), max_words=8) if not re.search(r"\bsubject\s+to\b", match.group(1)) else \
            re.split(r"[,.;]", match.group(1))[0]
    return noun_phrase(text, max_words=8) if not re.search(r"\bto\b", text[:60]) else \
        re.split(r"[,.;]|\s+over\s+|\s+and\s+a\b", text)[0]


def _last_clause(text: str) -> str:
    parts = re.split(r"[,;:–—]\s+|\band\b|\bbut\b|\bdespite\b", text)
    return parts[-1] if parts else text
