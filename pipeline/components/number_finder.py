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
    return NumberFinder(load_lexicon(Path(number_words), Path(number_cues)), source=(number_words, number_cues))


# doc.user_data key: (finder source, Candidates) of a pass made before any entity (by entity_gate)
EARLIER_PASS = "council_claims.candidates_without_entities"


class NumberFinder:
    def __init__(self, lexicon: NumberLexicon, *, spans_key: str = "numbers",
                 rejected_key: str = "rejected_numbers", source: tuple[str, str] | None = None) -> None:
        self.lex = lexicon
        self.spans_key = spans_key
        self.rejected_key = rejected_key
        self.source = source  # the word lists' paths: a pass by a finder of the same lists can be reused

    def __call__(self, doc: Doc) -> Doc:
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        candidates = self.earlier_pass(doc, ents) or self.candidates(doc_text(doc), ents)
        self.set_annotations(doc, candidates)
        return doc

    def earlier_pass(self, doc: Doc, ents: list[tuple[int, int, str]]) -> "Candidates | None":
        """The candidates entity_gate found before ner ran, when no entity can change them: entities
        only veto a number inside a name (vetoes.Context.in_entity, labels lex.name_labels), so when
        no such entity overlaps any candidate read (kept or vetoed), the pass with entities is the same."""
        stored = doc.user_data.pop(EARLIER_PASS, None)
        if stored is None or self.source is None or stored[0] != self.source:
            return None
        found: Candidates = stored[1]
        names = [(start, end) for start, end, label in ents if label in self.lex.name_labels]
        if not names:
            return found
        spans = [(m.start, m.end) for m in found.kept] + [(r.start, r.end) for r in found.rejected]
        if any(start < s_end and s_start < end for start, end in names for s_start, s_end in spans):
            return None
        return found

    def remember(self, doc: Doc, candidates: "Candidates") -> None:
        """Keep a pass made before ner for this finder's later run on the same doc (see earlier_pass)."""
        if self.source is not None:
            doc.user_data[EARLIER_PASS] = (self.source, candidates)

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
