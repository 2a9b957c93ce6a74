"""Council-link accuracy on the hand-judged corpus sample (tests/fixtures/judged/council_links.csv).

The pipeline runs on the sampled articles only (about 90 of the 3,225; a few seconds with the model), and
every council or area link it makes there is scored against the judgements: a link the judges did not see
counts against the linker too, so a regression that links new rows cannot pass unnoticed."""
from __future__ import annotations

import dataclasses
import json
from collections import Counter

import pytest

from judged_links import CORPUS, CORPUS_FILES, Judgement, load_fixture, score

JUDGEMENTS = load_fixture()
# Targets from the issue; the README reports the measured figures.
COUNCIL_PRECISION = 0.95
AREA_PRECISION = 0.90
MISSED_SHARE = 0.10
UNJUDGED_SHARE = 0.05


def test_fixture_is_ids_and_judgements_only():
    """The corpora are BBC copyright: the fixture keeps ids, offsets, number texts and our own reasons."""
    assert len(JUDGEMENTS) >= 150
    assert Counter(j.sample for j in JUDGEMENTS)["unlinked"] == 100
    for judged in JUDGEMENTS:
        assert judged.right_scope in ("council", "area", "none")
        assert (judged.right_scope == "none") <= (judged.right_code == "")
        assert len(judged.text) <= 20 and len(judged.reason) <= 120


def _rows_for(judgements: list[Judgement], **changes: str) -> list[dict]:
    """Machine rows that say exactly what the judges said, with `changes` applied to every one."""
    rows = []
    for judged in judgements:
        scope = judged.right_scope if judged.right_scope != "none" else "unknown"
        row = {"doc_id": judged.doc_id, "char_start": judged.char_start, "text": judged.text, "scope": scope,
               "council_code": judged.right_code}
        row.update(changes)
        rows.append(row)
    return rows


def test_scoring_rewards_the_judgements_and_punishes_a_careless_linker():
    perfect = score(_rows_for(JUDGEMENTS), JUDGEMENTS)
    assert (perfect.council_precision, perfect.area_precision, perfect.missed) == (1.0, 1.0, 0)
    # a linker that gives every figure of the sample the same council, as the old article rule did
    careless = score(_rows_for(JUDGEMENTS, scope="council", council_code="E08000025"), JUDGEMENTS)
    assert careless.council_precision < 0.1
    # a linker that links nothing misses every true figure of the unlinked sample
    silent = score(_rows_for(JUDGEMENTS, scope="unknown", council_code=""), JUDGEMENTS)
    assert silent.missed == sum(1 for j in JUDGEMENTS if j.sample == "unlinked" and j.right_code)
    # a link on a row the judges never saw is reported, not ignored
    extra = _rows_for(JUDGEMENTS) + [{"doc_id": "x", "char_start": 0, "text": "5", "scope": "council",
                                      "council_code": "E06000001"}]
    assert score(extra, JUDGEMENTS).linked_unjudged == [("x", 0, "5")]


@pytest.fixture(scope="module")
def machine_rows(nlp_model) -> list[dict]:
    from pipeline.extract import prepare_doc
    from pipeline.io.inputs import iter_inputs
    from pipeline.records import Article

    wanted = {j.doc_id for j in JUDGEMENTS}
    articles = []
    for corpus, name in CORPUS_FILES.items():
        for item in iter_inputs([CORPUS / name]):
            if isinstance(item, Article) and item.doc_id in wanted:
                articles.append(item)
    rows = []
    for doc in nlp_model.pipe(prepare_doc(nlp_model, a) for a in articles):
        rows += [dataclasses.asdict(claim) for claim in doc._.claims]
    return rows


@pytest.mark.model
@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus absent: the judged sample needs the BBC and XSum "
                                                 "corpora to run the pipeline on")
def test_council_links_on_the_judged_sample(machine_rows):
    scores = score(machine_rows, JUDGEMENTS)
    report = json.dumps({k: v for k, v in dataclasses.asdict(scores).items() if k != "linked_unjudged"}, indent=1)
    # the sample must still be there: rows whose numbers the finder no longer reads cannot be scored
    assert scores.judged_rows_found >= 0.9 * len(JUDGEMENTS), report
    linked = scores.council_links + scores.area_links + len(scores.linked_unjudged)
    assert len(scores.linked_unjudged) <= UNJUDGED_SHARE * linked, scores.linked_unjudged
    assert scores.council_precision >= COUNCIL_PRECISION, report
    assert scores.area_precision >= AREA_PRECISION, report
    assert scores.missed_share <= MISSED_SHARE, report
