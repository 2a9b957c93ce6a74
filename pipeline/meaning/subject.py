"""Whose figure it is when not a council's: a company, a charity, a department or a person named in
the figure's clause ("Highways England will spend £5m" -> Highways England), from the main
pipeline's entities on the parsed sentence. Researchers filter on it ("figures about Ofsted").
"""
from __future__ import annotations

import csv
from functools import lru_cache

from spacy.tokens import Doc, Token

from pipeline.meaning.tree import PRONOUNS, anchor, clause_head, number_tokens, subject_of
from pipeline.resources import model_path

SUBJECT_LABELS = frozenset({"ORG", "PERSON"})
# Councils have their own columns (council_code, council_name); their names are not a subject.
COUNCIL_WORDS = ("council", "borough", "authority")


def find_subject(sent: Doc, start: int, end: int, *, speaker: str | None = None,
                 not_subjects: list[tuple[int, int]] = ()) -> str | None:
    """The named organisation or person in the clause of the number at characters [start, end).
    `not_subjects`: character ranges (in the sentence) that name councils; `speaker`: the
    attribution, which says who states the figure rather than whose it is."""
    tokens = number_tokens(sent, start, end)
    top = anchor(tokens)
    if top is None:
        return None
    clause = clause_head(top)
    in_clause = range(clause.left_edge.i, clause.right_edge.i + 1)  # a projective parse: one stretch
    # the clause of "X said [the clause]" and its subject ("Highways England said it would spend")
    candidates = []
    for ent in sent.ents:
        if ent.label_ not in SUBJECT_LABELS or not any(t.i in in_clause for t in ent):
            continue
        if any(t.i in {n.i for n in tokens} for t in ent):
            continue
        if speaker and (ent.text in speaker):
            continue
        if any(word in ent.text.lower() for word in COUNCIL_WORDS):
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in not_subjects):
            continue
        # the subject of the number's clause or a possessor comes first
        rank = 0 if any(t.dep_ in ("nsubj", "nsubjpass", "poss") for t in ent) else 1
        candidates.append((rank, abs(ent.start - top.i), ent.text))
    if not candidates:
        # the small model's NER misses many bodies ("Ofsted", "Highways England"): a clause subject
        # that is a body from models/other_bodies.csv counts too
        subject = subject_of(clause)
        name = _name(subject) if subject is not None else None
        if name and name.lower() in known_bodies() and (not speaker or name not in speaker):
            return name
        return None
    return min(candidates)[2]


def _name(head: Token) -> str | None:
    words = [t for t in head.lefts if t.dep_ == "compound" and t.i >= head.i - 4] + [head]
    words = [t for t in words if t.i >= words[-1].i - len(words) + 1]
    if head.lower_ in PRONOUNS or not all(t.text[:1].isupper() for t in words):
        return None
    return " ".join(t.text for t in words)


@lru_cache(maxsize=1)
def known_bodies() -> frozenset[str]:
    """Bodies that are not councils (models/other_bodies.csv `name`, lower case), except the
    `not_council` rows (Arts Council, parish councils): those are names, not actors."""
    with open(model_path("other_bodies.csv"), encoding="utf-8") as handle:
        return frozenset(row["name"].strip().lower() for row in csv.DictReader(handle) if row["kind"] != "not_council")
