"""Run the pipeline over input paths and write the claims table: extract(paths, out_dir) -> ExtractResult.

Reads articles (pipeline.io.inputs), marks what is not the article (pipeline.io.structure) and blanks
it before the NLP, streams docs through spaCy in memory zones, and stages every claim row,
article row and failure on disk as it goes. At the end pipeline.tables.finalize assembles the tables
chunk by chunk and each file is renamed into outputs/: claims (.csv/.parquet/.jsonl),
articles.csv, errors.csv (every input that produced no rows, and why), the review exports, and
texts/<doc_id>.txt for inputs that are not plain text files. Memory stays flat whatever the corpus.
"""
from __future__ import annotations

import csv
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.io import structure
from pipeline.io.inputs import iter_inputs
from pipeline.records import Article, InputFailure
from pipeline.tables.finalize import finalize, rows_in_chunks
from pipeline.tables.decisions import REVIEWS_FILE, read_reviews
from pipeline.tables.lock import (
    STAGING_PREFIX, OutputError, clean_stale, disk_full_message, is_disk_full, mark_staging, output_lock,
)
from pipeline.tables.safe_cells import safe_row
from pipeline.tables.files import ARTICLE_COLUMNS, ERROR_COLUMNS, claims_frame, read_claims, read_optional_csv

PLAIN_TEXT_SUFFIX = ".txt"
ZONE_DOCS = 500
ROWS_FILE = "claims.rows.jsonl"


@dataclass
class ExtractResult:
    """What a run produced. With an output folder the tables live there and `claims`/`articles`
    are read from it on first use, so a run over a large corpus never holds them in memory."""

    failures: list[InputFailure] = field(default_factory=list)
    output_dir: Path | None = None
    article_count: int = 0
    claim_count: int = 0
    orphaned_reviews: int = 0
    _claims: pd.DataFrame | None = None
    _articles: pd.DataFrame | None = None

    @property
    def claims(self) -> pd.DataFrame:
        if self._claims is None:
            self._claims = read_claims(self.output_dir) if self.output_dir else claims_frame([])
        return self._claims

    @property
    def articles(self) -> pd.DataFrame:
        if self._articles is None:
            path = self.output_dir / "articles.csv" if self.output_dir else None
            self._articles = read_optional_csv(path, ARTICLE_COLUMNS) if path else pd.DataFrame(columns=ARTICLE_COLUMNS)
        return self._articles

    @property
    def inputs(self) -> int:
        return self.article_count + len(self.failures)

    @property
    def failed(self) -> int:
        return len(self.failures)


def extract(
    paths: Iterable[Path],
    out_dir: Path | None,
    *,
    nlp: Language | None = None,
    model: str | None = None,
    on_article: Callable[[str], None] | None = None,
    on_failure: Callable[[InputFailure], None] | None = None,
) -> ExtractResult:
    """Extract claims from every article under `paths`; write the tables to `out_dir` (None: keep
    them in memory and write nothing)."""
    if nlp is None:
        from pipeline.nlp import load_pipeline

        nlp = load_pipeline(model=model)
    # Our components have no error handler of their own, so this one catches their failures.
    # (Language.set_error_handler would also try the trained ner, which has no slot for one.)
    nlp.default_error_handler = _record_pipeline_error
    result = ExtractResult(output_dir=out_dir)
    guard = ExitStack()
    if out_dir:
        # One writer at a time (a review or a second extract waits, then stops with a message);
        # staging folders left by a killed run are removed once no one can be using them.
        guard.enter_context(output_lock(out_dir, "extract"))
        clean_stale(out_dir)
    staging = _staging(out_dir) if out_dir else None
    try:
        with _Staged(staging) as staged:

            def failed(failure: InputFailure) -> None:
                result.failures.append(failure)
                staged.error(failure.source_path, failure.doc_id, "failed", failure.reason)
                if on_failure:
                    on_failure(failure)

            for doc in _process(nlp, _docs(nlp, iter_inputs(paths), failed)):
                article: Article = doc._.article
                errors = doc.user_data.get("pipeline_errors")
                if errors:
                    failed(InputFailure(article.source_path, "pipeline error: " + "; ".join(errors), article.doc_id))
                    continue
                rows = [_row(claim, article) for claim in doc._.claims or []]
                if staging and article.source_path and not article.source_path.endswith(PLAIN_TEXT_SUFFIX):
                    # HTML, JSONL and CSV articles: save the text the offsets index, so citations open.
                    (staging / "texts").mkdir(exist_ok=True)
                    (staging / "texts" / f"{article.doc_id}.txt").write_text(article.original_text, encoding="utf-8")
                    article.text_path = str(out_dir / "texts" / f"{article.doc_id}.txt")
                    for row in rows:
                        row["text_path"] = article.text_path
                staged.article(_article_row(doc, article, rows))
                if not rows:
                    staged.error(article.source_path, article.doc_id, "no_claims",
                                 "read and processed; no numerical claims found")
                staged.claims(rows)
                result.article_count += 1
                result.claim_count += len(rows)
                if on_article:
                    on_article(article.doc_id)
        if out_dir and staging:
            result.orphaned_reviews = _publish(out_dir, staging)
        else:
            result._claims = claims_frame(staged.rows)
            result._articles = pd.DataFrame(staged.articles, columns=ARTICLE_COLUMNS)
        return result
    except OSError as error:
        if out_dir and is_disk_full(error):
            raise OutputError(disk_full_message(out_dir, error)) from error
        raise
    finally:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
        guard.close()


def _staging(out_dir: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    mark_staging(staging)
    return staging


class _Staged:
    """Where a run's rows go as they are made: files in the staging folder (memory stays flat
    whatever the corpus), or lists when nothing is written."""

    def __init__(self, staging: Path | None) -> None:
        self.staging = staging
        self.rows: list[dict[str, object]] = []
        self.articles: list[dict[str, object]] = []

    def __enter__(self) -> "_Staged":
        if self.staging:
            self.rows_file = open(self.staging / ROWS_FILE, "w", encoding="utf-8")
            self.articles_file = open(self.staging / "articles.csv", "w", encoding="utf-8", newline="")
            self.errors_file = open(self.staging / "errors.csv", "w", encoding="utf-8", newline="")
            self.articles_csv = csv.DictWriter(self.articles_file, ARTICLE_COLUMNS)
            self.errors_csv = csv.DictWriter(self.errors_file, ERROR_COLUMNS)
            self.articles_csv.writeheader()
            self.errors_csv.writeheader()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.staging:
            for handle in (self.rows_file, self.articles_file, self.errors_file):
                handle.close()

    def claims(self, rows: list[dict[str, object]]) -> None:
        if self.staging:
            for row in rows:
                self.rows_file.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            self.rows.extend(rows)

    def article(self, row: dict[str, object]) -> None:
        if self.staging:
            self.articles_csv.writerow(safe_row(row))
        else:
            self.articles.append(row)

    def error(self, source_path: str, doc_id: str | None, status: str, reason: str) -> None:
        if self.staging:
            self.errors_csv.writerow(safe_row({"source_path": source_path, "doc_id": doc_id, "status": status,
                                               "reason": reason}))


def _process(nlp: Language, docs: Iterator[Doc]) -> Iterator[Doc]:
    """nlp.pipe in memory zones of ZONE_DOCS docs: spaCy's string store otherwise keeps every new
    word it ever saw, and memory would grow with the corpus. A doc must not be used after its zone
    ends, so callers take what they need (claims, a summary row) before asking for the next one."""
    while True:
        seen = 0
        with nlp.memory_zone():
            for doc in nlp.pipe(itertools.islice(docs, ZONE_DOCS), batch_size=_batch_size(nlp)):
                seen += 1
                yield doc
        if seen < ZONE_DOCS:
            return


def _record_pipeline_error(name: str, component: object, docs: list[Doc], error: Exception) -> None:
    """A component that fails on one doc marks that doc failed; the batch goes on."""
    for doc in docs:
        doc.user_data.setdefault("pipeline_errors", []).append(f"{name}: {type(error).__name__}: {error}")


def _docs(nlp: Language, items: Iterator[Article | InputFailure],
          on_failure: Callable[[InputFailure], None]) -> Iterator[Doc]:
    """Docs ready for the pipeline; inputs that could not be read go to `on_failure`."""
    for item in items:
        if isinstance(item, InputFailure):
            on_failure(item)
            continue
        yield prepare_doc(nlp, item)


def prepare_doc(nlp: Language, article: Article) -> Doc:
    """A Doc ready for the pipeline: boilerplate blanked (same length), article and segments attached."""
    segments = structure.segment(article.text, title=article.title)
    blanked = structure.blank(article.text, segments)
    doc = nlp.make_doc(blanked)
    doc.user_data["council_claims.text"] = blanked  # what doc.text would build, token by token
    doc._.article = article
    doc._.segments = segments
    return doc


def _row(claim, article: Article) -> dict[str, object]:
    row = dict(vars(claim))  # a flat record: dataclasses.asdict's deep copy cost 0.2 ms a claim
    for key, value in (article.meta or {}).items():
        row[f"meta_{key}"] = value
    return row


def _article_row(doc: Doc, article: Article, rows: list[dict[str, object]]) -> dict[str, object]:
    publication = doc._.publication
    council = doc._.main_council
    dropped = structure.boilerplate_counts(doc._.segments or [])
    return {
        "doc_id": article.doc_id,
        "source_path": article.source_path,
        "title": rows[0]["title"] if rows else (article.title or _first_line(article.text)),
        "published": publication.date.isoformat() if publication and publication.date else None,
        "published_basis": publication.basis if publication else "none",
        "published_earliest": publication.earliest.isoformat() if publication and publication.earliest else None,
        "published_latest": publication.latest.isoformat() if publication and publication.latest else None,
        "council_code": council.code if council else None,
        "council_name": council.name if council else None,
        "claims": len(rows),
        "flagged": sum(1 for r in rows if r["flags"]),
        "boilerplate": ";".join(f"{k}={v}" for k, v in sorted(dropped.items())),
        "encoding": article.encoding,
        "text_path": article.text_path,
        "status": "ok" if rows else "no_claims",
        "duplicate_of": getattr(article, "duplicate_of", None),  # a repeated id, renamed with -2, -3...
    }


def _publish(out_dir: Path, staging: Path) -> int:
    """Assemble the tables in the staging folder, then rename each into place; until then the
    previous outputs are untouched. Returns how many review decisions are orphaned."""
    # Reviewers' decisions (outputs/reviews.csv) survive the re-run: laid over the new table,
    # orphaned ones reported, then the consistency checks and the review exports.
    final = staging / "final"
    final.mkdir()
    summary = finalize(lambda: rows_in_chunks(staging / ROWS_FILE), read_reviews(out_dir / REVIEWS_FILE), final)
    os.replace(staging / "articles.csv", final / "articles.csv")
    os.replace(staging / "errors.csv", final / "errors.csv")
    for path in final.iterdir():
        os.replace(path, out_dir / path.name)
    texts = staging / "texts"
    if texts.exists():
        # One rename for the whole folder (staging is inside out_dir, so the same file system).
        target, previous = out_dir / "texts", staging / "texts.previous"
        if target.exists():
            os.replace(target, previous)
        os.replace(texts, target)
    return summary.orphaned


def _batch_size(nlp: Language) -> int:
    return int(nlp.config["nlp"].get("batch_size") or 32)


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None
