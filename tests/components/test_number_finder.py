"""Tests for pipeline/components/number_finder.py: `find`/`candidates` on plain strings (no model),
`__call__` on blank docs, and a corpus check. The cases for each job are in tests/numbers/."""
from pathlib import Path

import pytest
import spacy

from number_cases import found
from pipeline import extensions  # noqa: F401
from pipeline.components.number_finder import NumberFinder
from pipeline.numbers.lexicon import load_lexicon

MODELS = Path(__file__).resolve().parents[2] / "models"
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@pytest.fixture(scope="module")
def finder() -> NumberFinder:
    return NumberFinder(load_lexicon(MODELS / "number_words.csv", MODELS / "number_cues.csv"))


def test_offsets_are_exact(finder):
    text = "  Costs rose from £57.4 million to £73.7 million, and 1,137 looked-after children (28.4%) wait.\n"
    assert found(finder, text) == [
        ("£57.4 million", 57_400_000, "money", "GBP"),
        ("£73.7 million", 73_700_000, "money", "GBP"),
        ("1,137", 1137, "count", None),
        ("28.4%", 28.4, "percent", "%"),
    ]


def test_writes_spans_on_a_blank_doc(finder):
    nlp = spacy.blank("en")
    doc = nlp("Costs rose from £57.4 million to £73.7 million, said 1,137 residents.")
    finder(doc)
    spans = doc.spans["numbers"]
    assert [s.text for s in spans] == ["£57.4 million", "£73.7 million", "1,137"]
    assert [s._.role for s in spans] == ["from", "to", None]
    assert spans[0]._.change_id == spans[1]._.change_id is not None
    assert spans[2]._.amount.value == 1137
    assert [s.label_ for s in spans] == ["money", "money", "count"]


def test_writes_rejected_numbers_with_their_veto(finder):
    nlp = spacy.blank("en")
    doc = nlp("In 2014 the council, which has 12 wards, met on 3 March.")
    finder(doc)
    assert [s.text for s in doc.spans["numbers"]] == ["12"]
    rejected = doc.spans["rejected_numbers"]
    assert [(s.text, s.label_, s._.veto.code) for s in rejected] == [("2014", "year", "year"), ("3", "date", "date")]
    assert "1800-2099" in str(rejected[0]._.veto)
    assert doc.spans["numbers"][0]._.veto is None


def test_candidates_keep_the_rule_and_the_reasons(finder):
    text = "In 2014 the council spent £12m."
    candidates = finder.candidates(text)
    assert [(text[m.start : m.end], m.amount.rule) for m in candidates.kept] == [("£12m", "money")]
    assert [(text[r.start : r.end], str(r.veto)) for r in candidates.rejected] == [("2014", "year: a four-digit year 1800-2099")]
    assert finder.find(text) == candidates.kept


@pytest.mark.skipif(not (CORPUS / "bbc_news.csv").exists(), reason="needs ../shared/corpus")
@pytest.mark.corpus
def test_bbc_corpus_offsets_are_exact(finder):
    """Every kept and vetoed candidate of 200 BBC articles indexes its own text, in order, without
    an exception. Not timed: speed figures live in `make bench`."""
    from pipeline.io.inputs import iter_inputs
    from pipeline.records import Article

    texts = []
    for article in iter_inputs([CORPUS / "bbc_news.csv"]):
        if isinstance(article, Article):
            texts.append(article.text)
        if len(texts) == 200:
            break
    kept = rejected = 0
    for text in texts:
        candidates = finder.candidates(text)
        for mention in candidates.kept:
            amount = mention.amount
            assert (amount.start, amount.end) == (mention.start, mention.end)
            assert 0 <= mention.start < mention.end <= len(text) and text[mention.start : mention.end].strip()
        for rejection in candidates.rejected:
            assert 0 <= rejection.start < rejection.end <= len(text) and any(c.isalnum() for c in text[rejection.start : rejection.end])
        assert [m.start for m in candidates.kept] == sorted(m.start for m in candidates.kept)
        kept += len(candidates.kept)
        rejected += len(candidates.rejected)
    assert kept > 1000 and rejected > 800  # the corpus is full of numbers, both kinds


@pytest.mark.parametrize("text,entity,reused", [
    # an entity that does not touch a candidate cannot change the reading: the pass before ner stands
    ("Acme Widgets spent £4m on 12 vans.", ("Acme Widgets", "ORG"), True),
    ("Radio 4 lost 300 listeners.", ("listeners", "NORP"), True),  # touches a number, but not a name label
    # a name entity over a number may veto it ("Radio 4"): the finder reads again with entities
    ("Radio 4 lost 300 listeners.", ("Radio 4", "ORG"), False),
    ("The Care Act 2014 cost £5m.", ("Care Act 2014", "LAW"), False),
])
def test_the_pass_before_ner_is_reused_only_when_no_name_touches_a_candidate(text, entity, reused):
    source = (str(MODELS / "number_words.csv"), str(MODELS / "number_cues.csv"))
    finder = NumberFinder(load_lexicon(MODELS / "number_words.csv", MODELS / "number_cues.csv"), source=source)
    doc = spacy.blank("en")(text)
    start = text.index(entity[0])
    doc.ents = [doc.char_span(start, start + len(entity[0]), label=entity[1])]
    finder.remember(doc, finder.candidates(text))
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    assert (finder.earlier_pass(doc, ents) is not None) == reused
    finder.remember(doc, finder.candidates(text))
    finder(doc)  # either way, the same spans as a finder that never saw the earlier pass
    fresh = spacy.blank("en")(text)
    fresh.ents = [fresh.char_span(start, start + len(entity[0]), label=entity[1])]
    NumberFinder(finder.lex)(fresh)
    assert [s.text for s in doc.spans["numbers"]] == [s.text for s in fresh.spans["numbers"]]


def test_an_earlier_pass_by_other_word_lists_is_not_reused():
    lexicon = load_lexicon(MODELS / "number_words.csv", MODELS / "number_cues.csv")
    gate_finder = NumberFinder(lexicon, source=("other_words.csv", "other_cues.csv"))
    finder = NumberFinder(lexicon, source=(str(MODELS / "number_words.csv"), str(MODELS / "number_cues.csv")))
    doc = spacy.blank("en")("They spent £4m.")
    gate_finder.remember(doc, gate_finder.candidates(doc.text))
    assert finder.earlier_pass(doc, []) is None
