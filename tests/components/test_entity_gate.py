"""Tests for pipeline/components/entity_gate.py: which sentences go to ner, and that their entities
are the ones a full-document ner run gives."""
from pathlib import Path

import pytest
import spacy

from pipeline import extensions  # noqa: F401
from pipeline.components.entity_gate import EntityGate
from pipeline.components.number_finder import NumberFinder
from pipeline.councils.register import load_register
from pipeline.numbers.lexicon import load_lexicon
from pipeline.resources import model_path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


LEDE = "Snow fell. Roads shut. Trains stopped. Schools closed. "  # four sentences with no number or council


@pytest.fixture(scope="module")
def gated():
    """A blank pipeline whose "ner" is a disabled entity ruler that tags every capitalised name it knows."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": "ORG", "pattern": "Acme Widgets"}, {"label": "PERSON", "pattern": "Jo Bloggs"},
                        {"label": "GPE", "pattern": "Ruritania"}])
    nlp.disable_pipe("ner")
    finder = NumberFinder(load_lexicon(model_path("number_words.csv"), model_path("number_cues.csv")))
    gate = EntityGate(nlp, "ner", finder, load_register(), context=4)
    return nlp, gate


@pytest.mark.parametrize("text,expected", [
    # a sentence with a number gets its entities; one without does not
    ("Acme Widgets made £4m last year. Jo Bloggs was pleased.", ["Acme Widgets"]),
    ("Jo Bloggs was pleased. Acme Widgets made £4m last year.", ["Acme Widgets"]),
    # a council mention needs entities around it even without a number
    ("Jo Bloggs spoke to Norfolk County Council. Ruritania was quiet.", ["Jo Bloggs"]),
    # neither: no entities at all
    ("Jo Bloggs met Acme Widgets in Ruritania.", []),
    # the sentence before a number's sentence that opens with a pronoun: who "it" is
    ("Acme Widgets opened a shop. It hired 40 staff. Jo Bloggs left.", ["Acme Widgets"]),
    ("Acme Widgets opened a shop. The shop hired 40 staff. Jo Bloggs left.", []),
    # a pronoun-led sentence without a number does not pull in the one before it
    ("Acme Widgets opened a shop. It was busy. Jo Bloggs left.", []),
    # number words count as candidates too
    ("Six staff left Acme Widgets. Ruritania was quiet.", ["Acme Widgets"]),
])
def test_entities_only_where_they_are_read(gated, text, expected):
    nlp, gate = gated
    doc = gate(nlp(text))
    assert [e.text for e in doc.ents] == expected
    assert [e.text for e in gate(nlp(LEDE + text)).ents] == expected  # wherever the sentences stand


def test_the_lede_gets_entities_only_where_they_are_read(gated):
    """The linker reads the headline and lede for their council mentions, which are selected anyway."""
    nlp, gate = gated
    doc = gate(nlp("Jo Bloggs met Acme Widgets. Jo Bloggs met Norfolk County Council. " + LEDE))
    assert [e.text for e in doc.ents] == ["Jo Bloggs"]


def test_windows_carry_context_and_merge(gated):
    nlp, gate = gated
    doc = nlp(LEDE + "Rates cost £5. Rates cost £6. Nothing was said here at all today. Rates cost £7.")
    windows, wanted = gate.select(doc)
    lede = len(nlp(LEDE))
    assert wanted[-3:] == [(lede, lede + 5), (lede + 5, lede + 10), (len(doc) - 5, len(doc))]
    assert windows[0][0] == lede - 4 and windows[-1][1] == len(doc)  # four tokens of context before
    assert all(a[1] < b[0] for a, b in zip(windows, windows[1:]))  # merged, in order


@pytest.mark.model
def test_same_entities_as_full_ner_on_the_seeds(nlp_model):
    """With four tokens of context (the sm ner's receptive field), the entities inside the selected
    sentences are exactly a whole-document ner's. (The shipped config uses no context: a few
    entities at sentence edges differ, 4 claims in 14,284 on the corpora; see README.)"""
    shipped = nlp_model.get_pipe("entity_gate")
    gate = EntityGate(nlp_model, "ner", shipped.finder, load_register(), context=4)
    ner = nlp_model.get_pipe("ner")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        with nlp_model.select_pipes(enable=["line_sentences", "senter"]):
            doc = nlp_model(text)
        _, wanted = gate.select(doc)
        full = ner(nlp_model.make_doc(text))
        expected = [(e.start_char, e.end_char, e.label_) for e in full.ents
                    if any(doc[s].idx <= e.start_char and e.end_char <= doc[t - 1].idx + len(doc[t - 1]) for s, t in wanted)]
        gate(doc)
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == expected, path.name
