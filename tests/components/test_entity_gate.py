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


# -- excerpts of bounded length ------------------------------------------------------------
@pytest.mark.parametrize("windows,parts", [
    ([], []),
    ([(0, 10)], [([(0, 10)], (0, 10))]),
    ([(0, 10), (20, 40)], [([(0, 10), (20, 40)], (0, 40))]),  # 30 tokens in all: one excerpt
    ([(0, 30), (40, 60), (70, 90)], [([(0, 30)], (0, 30)), ([(40, 60), (70, 90)], (40, 90))]),  # 50 > 40
    ([(0, 40)], [([(0, 40)], (0, 40))]),  # exactly max_tokens: whole
])
def test_windows_go_to_ner_in_excerpts_of_at_most_max_tokens(gated, windows, parts):
    nlp, _ = gated
    gate = EntityGate(nlp, "ner", NumberFinder(load_lexicon(model_path("number_words.csv"), model_path("number_cues.csv"))),
                      load_register(), context=4, max_tokens=40, overlap=5)
    assert [(p.windows, p.keep) for p in gate.parts(windows)] == parts


@pytest.mark.parametrize("start,end", [(0, 41), (7, 100), (3, 1003)])
def test_a_long_window_is_cut_into_overlapping_stretches_that_keep_each_token_once(gated, start, end):
    nlp, _ = gated
    gate = EntityGate(nlp, "ner", NumberFinder(load_lexicon(model_path("number_words.csv"), model_path("number_cues.csv"))),
                      load_register(), context=4, max_tokens=40, overlap=5)
    parts = gate.parts([(100, 105), (start + 200, end + 200), (1500, 1510)])
    assert [p.windows for p in (parts[0], parts[-1])] == [[(100, 105)], [(1500, 1510)]]
    stretches = parts[1:-1]
    assert len(stretches) > 1
    assert all(len(p.windows) == 1 and p.windows[0][1] - p.windows[0][0] <= 40 for p in stretches)
    keeps = [p.keep for p in stretches]
    assert keeps[0][0] == start + 200 and keeps[-1][1] == end + 200
    assert all(a[1] == b[0] for a, b in zip(keeps, keeps[1:]))  # the kept ranges tile the window
    for p in stretches:  # at least `overlap` tokens read past each cut edge of its kept range
        (lo, hi), (k_lo, k_hi) = p.windows[0], p.keep
        assert lo <= k_lo < k_hi <= hi
        assert k_lo - lo >= 5 or lo == start + 200
        assert hi - k_hi >= 5 or hi == end + 200


def test_max_tokens_must_exceed_twice_the_overlap(gated):
    nlp, _ = gated
    with pytest.raises(ValueError, match="max_tokens"):
        EntityGate(nlp, "ner", NumberFinder(load_lexicon(model_path("number_words.csv"), model_path("number_cues.csv"))),
                   load_register(), max_tokens=10, overlap=5)


def test_a_table_on_one_line_gets_every_entity_once_whatever_the_excerpt_length(gated):
    nlp, gate = gated
    short = EntityGate(nlp, "ner", NumberFinder(load_lexicon(model_path("number_words.csv"), model_path("number_cues.csv"))),
                       load_register(), context=4, max_tokens=23, overlap=4)
    line = ", ".join(f"Acme Widgets £{n}m, Jo Bloggs {n}%" for n in range(60)) + ".\n"
    whole, cut = gate(nlp(line)), short(nlp(line))
    assert len(whole) > 23 * 10  # one sentence, many stretches
    assert [(e.start, e.end, e.label_) for e in cut.ents] == [(e.start, e.end, e.label_) for e in whole.ents]
    assert [e.text for e in cut.ents] == ["Acme Widgets", "Jo Bloggs"] * 60
