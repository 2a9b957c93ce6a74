"""claim_parser: parses only the sentences that hold a number, with offsets that map back exactly."""
import pytest
import spacy
from spacy.tokens import Span

from pipeline import components  # noqa: F401
from pipeline.components.claim_parser import ClaimParser, claim_sentences, sentence_doc


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def with_numbers(nlp, text, numbers):
    doc = nlp(text)
    doc.spans["numbers"] = [doc.char_span(text.index(n), text.index(n) + len(n), alignment_mode="expand") for n in numbers]
    return doc


@pytest.mark.parametrize("text,numbers,expected", [
    ("No figure here. The council spent 300 pounds. Nothing else.", ["300"], ["The council spent 300 pounds."]),
    ("A 5% rise. Then 12 more and 14 less. End.", ["5%", "12", "14"], ["A 5% rise.", "Then 12 more and 14 less."]),
    ("Words only. More words.", [], []),
])
def test_claim_sentences(nlp, text, numbers, expected):
    assert [s.text for s in claim_sentences(with_numbers(nlp, text, numbers))] == expected


def test_sentence_doc_keeps_tokens_and_entities(nlp):
    doc = nlp("Intro here. Acme Ltd paid £3m in fees.")
    doc.ents = [Span(doc, 3, 5, label="ORG")]
    sent = list(doc.sents)[1]
    small = sentence_doc(doc.vocab, sent)
    assert [t.text for t in small] == [t.text for t in sent]
    assert all(doc.text[sent.start_char + t.idx : sent.start_char + t.idx + len(t.text)] == t.text for t in small)
    assert [(e.text, e.label_) for e in small.ents] == [("Acme Ltd", "ORG")]


@pytest.mark.parametrize("text,entities", [
    ("Intro here. Acme Ltd paid £3m in fees to Bolton council.", [(3, 5, "ORG"), (11, 12, "GPE")]),
    ("Intro here. Nobody is named in this one, 40 of them.", []),
    ("Acme Ltd said so. Then  it  paid 12  more\tto Acme Ltd.", [(0, 2, "ORG"), (12, 14, "ORG")]),
    ("First part of one. Acme\nLtd runs across lines: 7 sites.", [(5, 7, "ORG")]),
])
def test_sentence_doc_is_the_doc_of_the_sentence_s_words(nlp, text, entities):
    """The same Doc, byte for byte, as one made from the sentence's texts and spaces with its
    entities set, whether the caller passes the doc's arrays or not."""
    from spacy.tokens import Doc

    doc = nlp(text)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in entities]
    tokens = doc.to_array(["ORTH", "SPACY"])
    for sent in doc.sents:
        spaces = [bool(t.whitespace_) for t in sent]
        spaces[-1] = False
        expected = Doc(doc.vocab, words=[t.text for t in sent], spaces=spaces)
        expected.ents = [Span(expected, e.start - sent.start, e.end - sent.start, label=e.label)
                         for e in doc.ents if e.start >= sent.start and e.end <= sent.end]
        for made in (sentence_doc(doc.vocab, sent), sentence_doc(doc.vocab, sent, doc.ents, [e.start for e in doc.ents], tokens)):
            assert made.to_bytes() == expected.to_bytes()
            assert [(e.start, e.end, e.label_) for e in made.ents] == [(e.start, e.end, e.label_) for e in expected.ents]


def test_an_entity_across_a_sentence_end_is_left_out(nlp):
    doc = nlp("It was Acme. Ltd paid 3 times.")
    doc.ents = [Span(doc, 2, 5, label="ORG")]  # "Acme . Ltd": crosses the sentence break
    assert [list(sentence_doc(doc.vocab, sent).ents) for sent in doc.sents] == [[], []]


def test_without_a_parser_stores_nothing(nlp):
    doc = ClaimParser(None)(with_numbers(nlp, "It cost £3m. Fine.", ["£3m"]))
    assert doc._.sentence_parses is None


@pytest.mark.model
def test_parses_claim_sentences_in_batches(nlp_model):
    texts = ["Nothing to count here.\n\nThe county will spend £2m on roads.", "Some 40 staff left. Others stayed."]
    docs = list(nlp_model.pipe(texts))
    parses = [doc._.sentence_parses for doc in docs]
    assert [sorted(p) for p in parses] == [[24], [0]]
    roads = parses[0][24]
    assert roads.text == "The county will spend £2m on roads."
    assert roads.has_annotation("DEP") and roads[3].text == "spend" and roads[3].dep_ == "ROOT"
    assert "parser" in nlp_model.get_pipe("claim_parser").parser.pipe_names
    assert "tagger" not in nlp_model.get_pipe("claim_parser").parser.pipe_names


@pytest.mark.model
def test_the_lean_parser_parses_as_the_whole_model_does(nlp_model):
    """The claim parser skips the model's tokenizer and, sharing the pipeline's vocab read from the
    same model, its vocab data: the parses are those of the model loaded whole."""
    from spacy.tokens import Doc

    from pipeline.components.claim_parser import load_parser, model_data, vocab_read_from

    lean = nlp_model.get_pipe("claim_parser").parser
    model = nlp_model.get_pipe("claim_parser").parser.meta["name"]
    whole = spacy.load(f"{nlp_model.meta['lang']}_{model}")
    assert vocab_read_from(nlp_model.vocab) == model_data(f"{nlp_model.meta['lang']}_{model}")
    assert vocab_read_from(whole.vocab) is None
    sentences = ["The trust said waiting lists had grown by 4,500 since April.",
                 "Councillors voted to raise the levy to £87.30 a household, up 3.5%.",
                 "Only one in five of the 212 schools met the target, Ofsted's report found."]
    for text in sentences:
        words = [token.text for token in whole.make_doc(text)]
        ours = lean(Doc(nlp_model.vocab, words=words))
        theirs = whole(Doc(whole.vocab, words=words))
        assert [(t.head.i, t.dep_) for t in ours] == [(t.head.i, t.dep_) for t in theirs], text
    standalone = load_parser(f"{nlp_model.meta['lang']}_{model}")  # its own vocab, read in full
    assert standalone.vocab is not nlp_model.vocab and "parser" in standalone.pipe_names
