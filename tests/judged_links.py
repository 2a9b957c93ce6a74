"""Score council links against the hand-judged sample in tests/fixtures/judged/council_links.csv.

The fixture holds, for rows of the BBC and XSum corpora (../shared/corpus), the doc id, the number's
start offset and text, which sample the row came from (`linked`: every row the linker tied to a council or
area when it was judged; `earlier_link`: rows an earlier version linked; `unlinked`: 100 random unlinked
rows from articles that mention a council), and the judged `right_scope` (council | area | none),
`right_code` (GSS code, empty for none or when several areas share the figure) and a one-line reason.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "judged" / "council_links.csv"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
CORPUS_FILES = {"bbc": "bbc_news.csv", "xsum": "xsum_random1000.jsonl"}


@dataclass(frozen=True)
class Judgement:
    corpus: str
    doc_id: str
    char_start: int
    text: str
    sample: str
    right_scope: str
    right_code: str
    reason: str


@dataclass
class Scores:
    """Precision of council and area links (a link with a code), misses in the unlinked sample."""

    council_right: int = 0
    council_links: int = 0
    area_right: int = 0
    area_links: int = 0
    unlinked_judged: int = 0
    missed: int = 0  # judged council/area figures in the unlinked sample that the linker leaves without that code
    linked_unjudged: list[tuple[str, int, str]] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    judged_rows_found: int = 0

    @property
    def council_precision(self) -> float:
        return self.council_right / self.council_links if self.council_links else 1.0

    @property
    def area_precision(self) -> float:
        return self.area_right / self.area_links if self.area_links else 1.0

    @property
    def missed_share(self) -> float:
        return self.missed / self.unlinked_judged if self.unlinked_judged else 0.0


def load_fixture(path: Path = FIXTURE) -> list[Judgement]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [Judgement(r["corpus"], r["doc_id"], int(r["char_start"]), r["text"], r["sample"], r["right_scope"],
                          r["right_code"], r["reason"]) for r in csv.DictReader(handle)]


def score(rows: list[dict], judgements: list[Judgement]) -> Scores:
    """`rows`: claim rows (doc_id, char_start, text, scope, council_code) of the judged articles.

    A council link is right when the code is the judged one and the figure is judged the council's own;
    an area link is right when the code is the judged one and the figure is about that area (or the council)."""
    by_key = {(j.doc_id, j.char_start): j for j in judgements}
    scores = Scores()
    machine = {}
    for row in rows:
        key = (row["doc_id"], int(row["char_start"]))
        machine[key] = row
        code = row.get("council_code") or ""
        if row["scope"] not in ("council", "area") or not code:
            continue
        judged = by_key.get(key)
        if judged is None:
            scores.linked_unjudged.append((key[0], key[1], row["text"]))
            continue
        right_scopes = ("council",) if row["scope"] == "council" else ("area", "council")
        right = judged.right_code == code and judged.right_scope in right_scopes
        if row["scope"] == "council":
            scores.council_links += 1
            scores.council_right += right
        else:
            scores.area_links += 1
            scores.area_right += right
        if not right:
            scores.wrong.append(f"{key[0]}@{key[1]} {row['text']!r}: {row['scope']} {code}, judged "
                                f"{judged.right_scope} {judged.right_code or '-'} ({judged.reason})")
    for judged in judgements:
        row = machine.get((judged.doc_id, judged.char_start))
        scores.judged_rows_found += row is not None
        if judged.sample != "unlinked":
            continue
        scores.unlinked_judged += 1
        if judged.right_scope in ("council", "area") and judged.right_code and \
                (row is None or (row.get("council_code") or "") != judged.right_code):
            scores.missed += 1
    return scores
