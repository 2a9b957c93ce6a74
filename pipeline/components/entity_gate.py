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

The trained component stays in the pipeline under its own name, disabled (models/pipeline.cfg),
and is called here on the selected stretches, in batches.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

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
        "number_words": "models/number_words.csv",
        "number_cues": "models/number_cues.csv",
        "register": "models/councils.csv",
        "aliases": "models/council_aliases.csv",
        "names": "models/council_names_mysociety.csv",
    },
)
def make_entity_gate(nlp: Language, name: str, ner: str, context: int, number_words: str, number_cues: str,
                     register: str, aliases: str, names: str) -> "EntityGate":
    # the council linker's register, name forms included, so every mention it classifies has its entities
    return EntityGate(nlp, ner, NumberFinder(load_lexicon(Path(number_words), Path(number_cues)),
                                             source=(number_words, number_cues)),
                      load_register(Path(register), (Path(aliases), Path(names))), context=context)


class EntityGate:
    def __init__(self, nlp: Language, ner: str, finder: NumberFinder, register: CouncilRegister, *,
                 context: int = 4) -> None:
        self.nlp = nlp
        self.ner_name = ner
        self.finder = finder
        self.context = context
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
            excerpts = [self.excerpt(doc, windows) for doc, (windows, _) in zip(batch, plans)]
            for doc, (windows, wanted), excerpt in zip(batch, plans, self.ner.pipe(excerpts, batch_size=batch_size)):
                self.set_annotations(doc, windows, wanted, excerpt)
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

    def excerpt(self, doc: Doc, windows: list[tuple[int, int]]) -> Doc:
        words = [t.text for start, end in windows for t in doc[start:end]]
        spaces = [bool(t.whitespace_) for start, end in windows for t in doc[start:end]]
        return Doc(doc.vocab, words=words, spaces=spaces)

    # -- write
    def set_annotations(self, doc: Doc, windows: list[tuple[int, int]], wanted: list[tuple[int, int]],
                        excerpt: Doc) -> None:
        # excerpt token i -> doc token; the windows are contiguous runs of doc tokens
        position = []
        for start, end in windows:
            position.extend(range(start, end))
        entities: list[Span] = []
        for ent in excerpt.ents:
            first, last = position[ent.start], position[ent.end - 1]
            if last - first != ent.end - 1 - ent.start:
                continue  # runs across two windows
            if any(start <= first and last < end for start, end in wanted):
                entities.append(Span(doc, first, last + 1, label=ent.label_))
        doc.ents = entities


def _index(starts: list[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)
