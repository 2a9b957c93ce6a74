"""Find the numbers that state facts. Reads doc.text and doc.ents; writes doc.spans["numbers"] with
span._.amount (and span._.change_id, span._.role), and doc.spans["rejected_numbers"] with span._.veto.

Match, then validate (as presidio does): regular expressions built from models/number_*.csv
(pipeline/numbers/lexicon.py) find candidates; pipeline/numbers/candidates.py reads each one into
money, percent, count or quantity, keeping the rule on the Amount for reviewers;
pipeline/numbers/vetoes.py rules out dates, times, years, names, list numbers, phone numbers,
ages and scores, saying why; pipeline/numbers/quantities.py reads units (quantulum3 on the
candidate's few words only); pipeline/numbers/ratios.py reads shares ("nine out of 10").
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions  # noqa: F401
from pipeline.extensions import doc_text
from pipeline.numbers.candidates import Mention, Taken, find_vague, link_changes, read_digits, read_words
from pipeline.numbers.lexicon import NumberLexicon, load_lexicon
from pipeline.numbers.ratios import find_ratios
from pipeline.numbers.vetoes import Context, Rejection


class Candidates(NamedTuple):
    """Every number candidate of a text: the ones kept as claims and the vetoed ones, each in order."""

    kept: list[Mention]
    rejected: list[Rejection]


@Language.factory(
    "number_finder",
    requires=["doc.ents"],
    assigns=["doc.spans", "span._.amount", "span._.change_id", "span._.role", "span._.veto"],
    default_config={"number_words": "models/number_words.csv", "number_cues": "models/number_cues.csv"},
)
def make_number_finder(nlp: Language, name: str, number_words: str, number_cues: str) -> "NumberFinder":
    return NumberFinder(load_lexicon(Path(number_words), Path(number_cues)))


class NumberFinder:
    def __init__(self, lexicon: NumberLexicon, *, spans_key: str = "numbers",
                 rejected_key: str = "rejected_numbers") -> None:
        self.lex = lexicon
        self.spans_key = spans_key
        self.rejected_key = rejected_key

    def __call__(self, doc: Doc) -> Doc:
        candidates = self.candidates(doc_text(doc), [(e.start_char, e.end_char, e.label_) for e in doc.ents])
        self.set_annotations(doc, candidates)
        return doc

    # -- find ---------------------------------------------------------------------------
    def find(self, text: str, ents: list[tuple[int, int, str]] | None = None) -> list[Mention]:
        """All claim numbers in `text`, in order; `ents` are (start, end, label) from the NER."""
        return self.candidates(text, ents).kept

    def candidates(self, text: str, ents: list[tuple[int, int, str]] | None = None) -> Candidates:
        """The claim numbers in `text` and the candidates vetoed on the way, with their reasons.
        A candidate inside a number already read ("10" in "nine out of 10") is part of it, not a candidate."""
        ctx = Context(text, sorted(ents or []))
        patterns = self.lex.patterns
        groups = iter(range(1, 1_000_000))
        mentions = find_ratios(ctx, self.lex)
        taken = Taken((m.start, m.end) for m in mentions)
        for mention in find_vague(ctx, self.lex):
            if not taken.overlaps(mention.start, mention.end):
                mentions.append(mention)
                taken.add(mention.start, mention.end)
        for match in patterns["number"].finditer(text):
            if taken.overlaps(match.start(), match.end()):
                continue
            found = read_digits(ctx, match, self.lex, groups)
            mentions.extend(found)
            for mention in found:
                taken.add(mention.start, mention.end)
        for match in patterns["wordnum"].finditer(text):
            if taken.overlaps(match.start(), match.end()):
                continue
            mention = read_words(ctx, match, self.lex)
            if mention and not taken.overlaps(mention.start, mention.end):
                mentions.append(mention)
                taken.add(mention.start, mention.end)
        mentions.sort(key=lambda m: m.start)
        link_changes(text, mentions, groups)
        return Candidates(mentions, sorted(ctx.rejected, key=lambda r: (r.start, r.end)))

    # -- write --------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, candidates: Candidates) -> None:
        spans: list[Span] = []
        seen: set[tuple[int, int]] = set()
        for mention in candidates.kept:
            span = doc.char_span(mention.start, mention.end, label=mention.amount.kind, alignment_mode="expand")
            if span is None or (span.start, span.end) in seen:
                continue  # two numbers inside one token: keep the first (see the tokenizer's infixes)
            seen.add((span.start, span.end))
            span._.amount = mention.amount
            span._.change_id = f"c{mention.group}" if mention.group else None
            span._.role = mention.role
            spans.append(span)
        doc.spans[self.spans_key] = spans
        rejected: list[Span] = []
        for rejection in candidates.rejected:
            span = doc.char_span(rejection.start, rejection.end, label=rejection.veto.code, alignment_mode="expand")
            # Span attributes are stored by offsets: a vetoed number in a kept number's token would
            # give that kept span a veto, so it is left out.
            if span is not None and (span.start, span.end) not in seen:
                span._.veto = rejection.veto
                rejected.append(span)
        doc.spans[self.rejected_key] = rejected
