"""Run the trained `ner` only where later components read entities. Reads doc.text, sentences; writes doc.ents.

`ner` is four fifths of a run, yet the entities are read in few places: the number finder vetoes
numbers inside names ("Radio 4", "the Care Act 2014"), the council linker classifies council
mentions (a place inside a PERSON/ORG is not the council), and claim_builder names the actor of
a figure's clause. So the gate runs the number finder's candidate pass (before any entity, it
finds a superset of the numbers kept) and the council register's phrase matcher, and hands `ner`
only the sentences that hold a candidate or a council mention, and the sentence before a number's
sentence that opens with a pronoun ("It said...": the linker asks who "it" is), each widened by `context` tokens
on both sides. en_core_web_sm's ner encodes a token from the tokens at most four places away
(four CNN layers of window 1), so with four tokens of real context the selected tokens are
encoded as in the whole document; entities are kept only when they lie inside a selected
sentence, so nothing is cut at a window's edge.

ner's working memory grows with the tokens of a batch (about 800 MB for the 51,000 tokens of a
100,000-character table pasted as one line), so an article's windows go to ner in excerpts of at
most `max_tokens` tokens, batched up to `max_tokens` tokens, and a single window longer than that
is cut into stretches that overlap by 2 x `overlap` tokens; each stretch keeps the entities that
start in its own part of the window, away from its cut edges. A real article's excerpt is far
shorter, so it goes whole, as before.

The trained component stays in the pipeline under its own name, disabled (models/pipeline.cfg),
and is called here on the selected stretches, in batches.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from pipeline.batches import sized_groups
from pipeline.components.council_linker import _PRONOUNS, form_matcher
from pipeline.components.number_finder import NumberFinder
from pipeline.councils.register import CouncilRegister, load_register
from pipeline.extensions import doc_text
from pipeline.numbers.lexicon import load_lexicon



@Language.factory(
    "entity_gate",
    requires=["token.is_sent_start"],
    assigns=["doc.ents"],
    default_config={
        "ner": "ner",
        "context": 4,
        "max_tokens": 5000,
        "overlap": 32,
        "number_words": "models/number_words.csv",
        "number_cues": "models/number_cues.csv",
        "register": "models/councils.csv",
        "aliases": "models/council_aliases.csv",
        "names": "models/council_names_mysociety.csv",
    },
)
def make_entity_gate(nlp: Language, name: str, ner: str, context: int, max_tokens: int, overlap: int,
                     number_words: str, number_cues: str, register: str, aliases: str, names: str) -> "EntityGate":
    # the council linker's register, name forms included, so every mention it classifies has its entities
    return EntityGate(nlp, ner, NumberFinder(load_lexicon(Path(number_words), Path(number_cues)),
                                             source=(number_words, number_cues)),
                      load_register(Path(register), (Path(aliases), Path(names))), context=context,
                      max_tokens=max_tokens, overlap=overlap)


class Part(NamedTuple):
    """One excerpt for ner: doc token ranges read in a row, and the doc tokens [keep[0], keep[1])
    where an entity must start to be kept from it."""

    windows: list[tuple[int, int]]
    keep: tuple[int, int]


class EntityGate:
    def __init__(self, nlp: Language, ner: str, finder: NumberFinder, register: CouncilRegister, *,
                 context: int = 4, max_tokens: int = 5000, overlap: int = 32) -> None:
        if max_tokens <= 2 * overlap:
            raise ValueError(f"entity_gate: max_tokens ({max_tokens}) must exceed twice the overlap ({overlap})")
        self.nlp = nlp
        self.ner_name = ner
        self.finder = finder
        self.context = context
        self.max_tokens = max_tokens
        self.overlap = overlap
        self.matcher = form_matcher(nlp, register)  # the linker's own (shared when the forms are the same)
        self.tokens_seen = 0  # for measurements: how much of the text went to ner
        self.tokens_sent = 0

    @property
    def ner(self):
        return self.nlp.get_pipe(self.ner_name)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            plans = [self.select(doc) for doc in batch]
            parts = [(n, part) for n, (windows, _) in enumerate(plans) for part in self.parts(windows)]
            found: list[list[Span]] = [[] for _ in batch]
            for group in _groups(parts, self.max_tokens, batch_size):
                excerpts = [self.excerpt(batch[n], part.windows) for n, part in group]
                for (n, part), excerpt in zip(group, self.ner.pipe(excerpts, batch_size=len(excerpts))):
                    found[n].extend(self.entities(batch[n], part, plans[n][1], excerpt))
            for doc, entities in zip(batch, found):
                doc.ents = _first_of_overlapping(entities)
                yield doc

    # -- find
    def select(self, doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(windows, wanted): token ranges handed to ner (merged, with context) and the sentences
        whose entities are kept."""
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        starts = [s.start_char for s in sentences]
        candidates = self.finder.candidates(doc_text(doc))
        self.finder.remember(doc, candidates)  # number_finder reuses it when no entity touches a candidate
        with_numbers = {_index(starts, mention.start) for mention in candidates.kept}
        # the council linker asks who "It" is in a number's sentence that opens with a pronoun ("It said...")
        chosen = with_numbers | {i - 1 for i in with_numbers if i > 0 and sentences[i][0].lower_ in _PRONOUNS}
        # a council mention's entities tell a council from a person's or a firm's name; (the headline and
        # lede are read for their council mentions only, so they need no entities of their own)
        token_starts = [s.start for s in sentences]
        for _, start, _ in self.matcher(doc):
            chosen.add(_index(token_starts, start))
        wanted = [(sentences[i].start, sentences[i].end) for i in sorted(chosen)]
        windows: list[tuple[int, int]] = []
        for start, end in wanted:
            start, end = max(0, start - self.context), min(len(doc), end + self.context)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
            else:
                windows.append((start, end))
        self.tokens_seen += len(doc)
        self.tokens_sent += sum(end - start for start, end in windows)
        return windows, wanted

    def parts(self, windows: list[tuple[int, int]]) -> list[Part]:
        """The windows in excerpts of at most max_tokens tokens, in order; a window longer than that
        cut into stretches of max_tokens that overlap by 2 x overlap tokens, each keeping the
        entities that start between its cut edges' overlaps (so every token is kept by one)."""
        found: list[Part] = []
        current: list[tuple[int, int]] = []
        size = 0  # tokens in `current`

        def close() -> None:
            nonlocal size
            if current:
                found.append(Part(list(current), (current[0][0], current[-1][1])))
                current.clear()
                size = 0

        for start, end in windows:
            if end - start > self.max_tokens:
                close()
                begin = start
                while True:
                    stop = min(end, begin + self.max_tokens)
                    keep = (start if begin == start else begin + self.overlap,
                            end if stop == end else stop - self.overlap)
                    found.append(Part([(begin, stop)], keep))
                    if stop == end:
                        break
                    begin = keep[1] - self.overlap
                continue
            if current and size + end - start > self.max_tokens:
                close()
            current.append((start, end))
            size += end - start
        close()
        return found

    def excerpt(self, doc: Doc, windows: list[tuple[int, int]]) -> Doc:
        words = [t.text for start, end in windows for t in doc[start:end]]
        spaces = [bool(t.whitespace_) for start, end in windows for t in doc[start:end]]
        return Doc(doc.vocab, words=words, spaces=spaces)

    # -- write
    def entities(self, doc: Doc, part: Part, wanted: list[tuple[int, int]], excerpt: Doc) -> list[Span]:
        """The excerpt's entities as spans of `doc`: those inside one window, inside a wanted
        sentence, and starting where this part keeps them."""
        # excerpt token i -> doc token; the windows are contiguous runs of doc tokens
        position = []
        for start, end in part.windows:
            position.extend(range(start, end))
        entities: list[Span] = []
        for ent in excerpt.ents:
            first, last = position[ent.start], position[ent.end - 1]
            if last - first != ent.end - 1 - ent.start:
                continue  # runs across two windows
            if not part.keep[0] <= first < part.keep[1]:
                continue  # another stretch of a long window keeps it
            if any(start <= first and last < end for start, end in wanted):
                entities.append(Span(doc, first, last + 1, label=ent.label_))
        return entities


def _groups(parts: list[tuple[int, Part]], max_tokens: int, max_parts: int) -> Iterator[list[tuple[int, Part]]]:
    """`parts` in order, in groups of at most `max_parts` parts and `max_tokens` tokens (a part is
    never longer): ner's memory follows the tokens of a batch, not its number of docs."""
    return sized_groups(parts, lambda item: sum(end - start for start, end in item[1].windows), max_tokens, max_parts)


def _first_of_overlapping(entities: list[Span]) -> list[Span]:
    """The entities in order, without any that overlaps an earlier one (two stretches of a long
    window can each find a different reading of a name across their shared tokens)."""
    kept: list[Span] = []
    for span in sorted(entities, key=lambda s: (s.start, -s.end)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def _index(starts: list[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)
