"""Tests for pipeline/nlp.py: the pipeline's matrix backend (numpy's OpenBLAS, one thread, or BLIS)."""
import pytest
from threadpoolctl import threadpool_info

from pipeline.nlp import load_pipeline

TRAINED = ("senter", "ner")


# The transition models' output layer is rebuilt when their labels are set, after loading; it is
# read only by spaCy's compiled step loop, which multiplies with BLIS whatever the backend.
STEP_LOOP_LAYERS = {"linear"}


def _backends(nlp):
    """(class name, uses BLIS) of every layer of the trained components, the claim parser's included."""
    models = [nlp.get_pipe(name).model for name in TRAINED]
    parser = nlp.get_pipe("claim_parser").parser
    models += [parser.get_pipe(name).model for name in parser.pipe_names]
    return {(type(node.ops).__name__, getattr(node.ops, "use_blis", None))
            for model in models for node in model.walk() if node.name not in STEP_LOOP_LAYERS}


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="matrices"):
        load_pipeline(matrices="mkl")


@pytest.mark.model
def test_trained_layers_multiply_with_openblas_on_one_thread(nlp_model):
    assert _backends(nlp_model) == {("NumpyOps", False)}
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


# Invented sentences; the corpora's outputs were compared in full when the backend changed (README).
SENTENCES = [
    "Kent County Council will spend £4.5m on road repairs, its leader Roger Gough said on Monday.",
    "Referrals to children's services in Leeds rose by 12% to 9,870, according to Ofsted.",
    "The Treasury said 1.2 million households would pay £150 less a year from April 2019.",
]


@pytest.mark.model
def test_both_backends_give_the_same_entities_and_parses(nlp_model):
    blis = load_pipeline(matrices="blis")
    assert _backends(blis) == {("NumpyOps", True)}
    for text in SENTENCES:
        fast, slow = nlp_model(text), blis(text)
        assert [(e.text, e.label_) for e in fast.ents] == [(e.text, e.label_) for e in slow.ents]
        assert fast.spans["numbers"] and [s.text for s in fast.spans["numbers"]] == [s.text for s in slow.spans["numbers"]]
        parses = [(start, [(t.dep_, t.head.i) for t in parsed]) for start, parsed in fast._.sentence_parses.items()]
        assert parses == [(start, [(t.dep_, t.head.i) for t in parsed]) for start, parsed in slow._.sentence_parses.items()]
