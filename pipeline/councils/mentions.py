"""Classify a council-register match in running text: is "Telford" the council, its area, a man's home
town, a seat, a venue? Reads the match's tokens, its neighbours and doc.ents; the word lists come
from models/council_context.csv. Matching finds candidates, these rules decide, and the reason is kept
on the mention as `mention_kind` (as the number finder keeps its `rule`)."""
from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.tokens import Doc, Span

from pipeline.resources import MODELS_DIR

DEFAULT_CONTEXT = MODELS_DIR / "council_context.csv"

# Kinds that stand for a council (usable), and the reasons a match is not a council mention.
COUNCIL_KINDS = ("council_name", "place", "town", "reference")
NOT_COUNCIL_KINDS = ("not_capitalised", "name_part", "in_entity", "title", "home", "constituency", "venue_event",
                     "other_place", "other_body")
# Entities a bare place inside of which is part of a name: "Leeds United" (ORG), "the Swansea Festival"
# (EVENT). A GPE or LOC is a place, and NORP ("Welsh") never covers a register name.
NAME_ENTITIES = frozenset({"PERSON", "ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})
_LOWER_IN_NAMES = frozenset({"and", "of", "upon", "on", "in", "the", "with", "under", "le", "by", "y", "ar", "nan", "h"})
_COUNCIL_TOKENS = frozenset({"council", "councils", "councillor", "councillors", "county", "city", "borough",
                             "district", "metropolitan"})


@dataclass(frozen=True)
class ContextWords:
    """models/council_context.csv, by kind: single words in `words[kind]`, phrases in `phrases[kind]`."""

    words: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def has(self, kind: str, word: str) -> bool:
        return word in self.words.get(kind, ())


def read_context(path: Path = DEFAULT_CONTEXT) -> ContextWords:
    words: dict[str, set[str]] = {}
    phrases: dict[str, list[str]] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            word, kind = row["word"].strip().lower(), row["kind"].strip()
            if not word:
                continue
            if " " in word or "'" in word:
                phrases.setdefault(kind, []).append(word)
            else:
                words.setdefault(kind, set()).add(word)
    return ContextWords({k: frozenset(v) for k, v in words.items()}, {k: tuple(v) for k, v in phrases.items()})


class EntityIndex:
    """doc.ents as (start, end, label) tuples in order, built once per doc, with lookups by token range."""

    def __init__(self, doc: Doc) -> None:
        # read from the token arrays (ENT_IOB 3 = begin, 1 = inside): building doc.ents' Spans costs more
        self.ents: list[tuple[int, int, str]] = []
        if len(doc) and doc.has_annotation("ENT_IOB"):
            array = doc.to_array([ENT_IOB, ENT_TYPE])
            ends = numpy.flatnonzero(array[:, 0] != 1).tolist() + [len(doc)]  # a token that is not inside one
            strings = doc.vocab.strings
            for start in numpy.flatnonzero(array[:, 0] == 3).tolist():
                self.ents.append((start, ends[bisect.bisect_right(ends, start)], strings[int(array[start, 1])]))
        self.starts = [ent[0] for ent in self.ents]

    def covering(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The entity that contains tokens [start, end), if any."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.ents[i][0] <= start and end <= self.ents[i][1]:
            return self.ents[i]
        return None

    def between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The entities inside tokens [start, end)."""
        out = []
        for i in range(bisect.bisect_left(self.starts, start), len(self.ents)):
            if self.ents[i][0] >= end:
                break
            if self.ents[i][1] <= end:
                out.append(self.ents[i])
        return out


def capitalised(span: Span) -> bool:
    """Every significant word of a place is capitalised ("Stockton-on-Tees", "Vale of Glamorgan")."""
    return all(t.text[:1].isupper() for t in span if t.is_alpha and t.lower_ not in _LOWER_IN_NAMES)


def classify_name(span: Span, entities: EntityIndex | None = None) -> str:
    """A form that says "council" ("Norfolk County Council", "Norfolk councillors"), unless it is written
    lower-case ("keep down council tax" is not Down District Council) or is part of a longer name
    ("the Borough of Lambeth Spitfire Fund")."""
    for token in span:
        if token.is_alpha and token.lower_ not in ("the", "of"):
            if not token.text[:1].isupper():
                return "not_capitalised"
            break
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.is_alpha and after.text[:1].isupper() and not after.is_sent_start \
            and not after.is_stop and span[-1].lower_ not in ("councillors", "councillor"):
        return "name_part"
    if entities is not None:
        ent = entities.covering(span.start, span.end)
        # an organisation entity may well be the council itself ("Leeds City Council's planning panel")
        if ent is not None and ent[2] in NAME_ENTITIES - {"ORG"} and (ent[0], ent[1]) != (span.start, span.end):
            return "in_entity"
    return "council_name"


def classify_place(span: Span, context: ContextWords, entities: EntityIndex, sentence: Span | None) -> str:
    """A bare place: the council's area unless its neighbours or an entity make it something else."""
    doc = span.doc
    if not capitalised(span):
        return "not_capitalised"
    before = doc[span.start - 1] if span.start > 0 else None
    before2 = doc[span.start - 2] if span.start > 1 else None
    after = doc[span.end] if span.end < len(doc) else None
    after2 = doc[span.end + 1] if span.end + 1 < len(doc) else None
    sent_start = sentence.start if sentence is not None else 0
    sent_end = sentence.end if sentence is not None else len(doc)
    starts_sentence = span.start == sent_start

    # "Leeds Business Council", "Oxford Town Council", "the Norfolk youth council"
    if after is not None and after.lower_ in context.words.get("not_principal", ()) and after2 is not None \
            and after2.lower_ in ("council", "councils", "forum", "partnership", "board"):
        return "other_body"
    # "the Bishop of Lichfield", "MP for Bath", "the University of Leeds"
    if before is not None and before.lower_ in ("of", "for") and before2 is not None \
            and context.has("title", before2.lower_):
        return "title"
    # "Bath MP", "the Bath seat", "Hull East"
    if after is not None and context.has("constituency", after.lower_) and after.lower_ not in ("vote", "votes", "voters"):
        return "constituency"
    if after is not None and after.text[:1].isupper() and context.has("compass", after.lower_) \
            and not after.is_sent_start and (after2 is None or not after2.text[:1].isupper() or after2.lower_ in ("and",)):
        return "constituency"
    # "a Telford man", "the Omagh sprinter", "Leeds boss", "Leeds v Wigan", "London-based"
    if after is not None and context.has("resident", after.lower_):
        return "home"
    if after is not None and after.text == "-" and after2 is not None and after2.lower_ in ("based", "born"):
        return "home"
    if before is not None and before.lower_ in ("v", "vs"):
        return "home"
    # "Sarah, of Wrexham, said", "Ian, from Croydon, took"
    if before is not None and before.lower_ in ("of", "from") and before2 is not None and before2.text == "," \
            and (after is None or after.text in (",", ".", ")") or after.lower_ in ("said", "says", "who")):
        return "home"
    # "a Hampshire town", "a Norfolk village": a smaller place inside the area
    if after is not None and context.has("within", after.lower_):
        return "other_place"
    # "Cardiff Airport", "the Glasgow championships", "the conference in Brighton"
    if after is not None and context.has("event", after.lower_):
        return "venue_event"
    if before is not None and before.lower_ in ("in", "at"):
        for token in doc[max(sent_start, span.start - 5): span.start - 1]:
            if context.has("event", token.lower_):
                return "venue_event"
    # part of a longer proper name: "Abraham Lincoln", "Leeds United", "Swansea Bay"
    if before is not None and before.is_alpha and before.text[:1].isupper() and not before.is_stop \
            and not starts_sentence and before.lower_ not in _COUNCIL_TOKENS:
        return "name_part"
    if after is not None and after.is_alpha and after.text[:1].isupper() and after.lower_ not in _COUNCIL_TOKENS \
            and not after.is_sent_start and not after.is_stop:
        return "name_part"
    # (an entity that is exactly the place says nothing: the small model labels bare council areas ORG or
    # even PERSON - "Flintshire has seen ..." - and a surname comes with a title or first name)
    ent = entities.covering(span.start, span.end)
    if ent is not None and ent[2] in NAME_ENTITIES and (ent[0], ent[1]) != (span.start, span.end):
        return "in_entity"
    # a bare place beside seat, turnout, majority, MP...: a parliamentary seat or an election count
    window = doc[max(sent_start, span.start - 8): min(sent_end, span.end + 8)]
    if any(context.has("constituency", t.lower_) for t in window) \
            and not any(context.has("council_word", t.lower_) for t in window):
        return "constituency"
    return "place"
