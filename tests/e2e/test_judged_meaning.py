"""The judged sample: 200 claims drawn at random (fixed seed) from both corpora in ../shared/corpus,
each judged by hand for its measure, per and attribution (tests/fixtures/judged/meaning.csv holds
ids, number texts and judgements only, never article text). Runs the pipeline on those articles
only and fails when quality drops below the issue's targets. Skipped when the corpus is absent.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.extract import prepare_doc
from pipeline.io.inputs import iter_inputs
from pipeline.records import Article

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
FILES = {"bbc": CORPUS / "bbc_news.csv", "xsum": CORPUS / "xsum_random1000.jsonl"}
JUDGED = REPO / "tests" / "fixtures" / "judged" / "meaning.csv"
# 40 rows drawn at random (fixed seed) from the rows whose measure changed when the parse began to
# vet the word patterns' measures (a verb, an adverb, a unit is no measure) and brackets were read
# through ("a 52bn yen ($480m) loss"): the measure before, and the right one judged by hand.
CHANGES = REPO / "tests" / "fixtures" / "judged" / "measure_changes.csv"
CHANGES_RIGHT = 29  # of 40 right now (7 before); a change to the rules must not lose these
EXTRA_WORDS = 4  # "at most a few words longer" than the judged measure

TARGETS = {"measure_present": 0.90, "measure_right": 0.85, "attribution_right": 0.80}


def judged_rows(path: Path = JUDGED) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def change_right(machine: str | None, row: dict[str, str]) -> bool:
    """A measure judged `none` must be empty; any other must be right as measure_right says."""
    if row["measure"] == "none":
        return not machine
    return measure_right(machine, row["measure"], row["measure_head"])


def measure_right(machine: str | None, judged: str, head: str) -> bool:
    if not machine:
        return False
    words = machine.lower().replace("’", "'").split()
    heads = head.lower().replace("’", "'").split()
    return all(any(h == w.strip(",.;:'\"()") or h in w for w in words) for h in heads) \
        and len(words) <= len(judged.split()) + EXTRA_WORDS


def attribution_right(machine: str | None, judged: str) -> bool:
    if judged == "none":
        return not machine
    return bool(machine) and all(word.lower() in machine.lower() for word in judged.split())


def score(rows: list[dict[str, str]], found: dict[tuple[str, int, str], object]) -> dict[str, float]:
    measured = [r for r in rows if r["measure"] != "none"]
    named = [r for r in rows if r["attribution"] != "none"]
    def get(r):
        return found.get((r["doc_id"], int(r["char_start"]), r["text"]))
    present = sum(1 for r in measured if get(r) is not None and get(r).measure)
    right = sum(1 for r in measured if get(r) is not None and measure_right(get(r).measure, r["measure"], r["measure_head"]))
    said = sum(1 for r in named if get(r) is not None and attribution_right(get(r).attribution, r["attribution"]))
    per = sum(1 for r in rows if get(r) is not None and (get(r).per or "") == r["per"])
    return {
        "rows": len(rows), "measured": len(measured), "named": len(named),
        "measure_present": present / len(measured), "measure_right": right / len(measured),
        "attribution_right": said / len(named) if named else 1.0,
        "attribution_none_right": sum(1 for r in rows if r["attribution"] == "none" and get(r) is not None
                                      and not get(r).attribution) / max(1, len(rows) - len(named)),
        "per_right": per / len(rows),
    }


@pytest.fixture(scope="module")
def machine_claims(nlp_model):
    if not all(path.exists() for path in FILES.values()):
        pytest.skip("../shared/corpus is absent")
    rows = judged_rows()
    wanted = defaultdict(set)
    for row in rows + judged_rows(CHANGES):
        wanted[row["corpus"]].add(row["doc_id"])
    found = {}
    for corpus, path in FILES.items():
        for article in iter_inputs([path]):
            if isinstance(article, Article) and article.doc_id in wanted[corpus]:
                doc = nlp_model(prepare_doc(nlp_model, article))
                for claim in doc._.claims:
                    found[(claim.doc_id, claim.char_start, claim.text)] = claim
    return rows, found


def test_every_judged_claim_is_still_found(machine_claims):
    rows, found = machine_claims
    missing = [(r["doc_id"], r["char_start"], r["text"]) for r in rows if (r["doc_id"], int(r["char_start"]), r["text"]) not in found]
    assert len(missing) <= len(rows) * 0.02, missing  # the number finder may change a few rows


def test_quality_meets_the_targets(machine_claims):
    figures = score(*machine_claims)
    print(figures)
    for name, target in TARGETS.items():
        assert figures[name] >= target, (name, figures)


def test_judged_measure_changes_hold(machine_claims):
    _, found = machine_claims
    rows = judged_rows(CHANGES)
    def now(r):
        claim = found.get((r["doc_id"], int(r["char_start"]), r["text"]))
        return claim.measure if claim is not None else None
    before = sum(1 for r in rows if change_right(r["before"] or None, r))
    right = sum(1 for r in rows if change_right(now(r), r))
    print({"rows": len(rows), "right_before": before, "right_now": right})
    assert right >= CHANGES_RIGHT and right > before, [(r["doc_id"], r["text"], r["measure"], now(r)) for r in rows
                                                       if not change_right(now(r), r)]
