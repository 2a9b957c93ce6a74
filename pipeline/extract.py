"""Run the pipeline over input paths and write the claims table: extract(paths, out_dir) -> ExtractResult.

Reads articles (pipeline.inputs), marks what is not the article (pipeline.structure) and blanks
it before the NLP, streams docs through spaCy, and writes outputs/ atomically at the end: claims
(.csv/.parquet/.jsonl), articles.csv (one row per article, for the report), errors.csv (every
input that produced no rows, and why), texts/<doc_id>.txt for inputs that are not plain text files.
"""
from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from pipeline import structure
from pipeline.inputs import iter_inputs
from pipeline.records import Article, InputFailure
from pipeline.table import ARTICLE_COLUMNS, ERROR_COLUMNS, claims_frame, write_csv

PLAIN_TEXT_SUFFIX = ".txt"
ZONE_DOCS = 500


@dataclass
class ExtractResult:
    """What a run produced: the claims table, one row per article, and the inputs that failed."""

    claims: pd.DataFrame
    articles: pd.DataFrame
    failures: list[InputFailure] = field(default_factory=list)
    output_dir: Path | None = None
    orphaned_reviews: pd.DataFrame | None = None  # decisions whose claim no longer exists

    @property
    def inputs(self) -> int:
        return len(self.articles) + len(self.failures)

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
    """Extract claims from every article under `paths`; write the tables to `out_dir` (None: don't write)."""
    if nlp is None:
        from pipeline.nlp import load_pipeline

        nlp = load_pipeline(model=model)
    failures: list[InputFailure] = []
    article_rows: list[dict[str, object]] = []
    # Our components have no error handler of their own, so this one catches their failures.
    # (Language.set_error_handler would also try the trained ner, which has no slot for one.)
    nlp.default_error_handler = _record_pipeline_error
    staging = Path(tempfile.mkdtemp(prefix=".claims-", dir=_ensure(out_dir))) if out_dir else None
    claim_rows: list[dict[str, object]] = []  # rows are small next to texts; texts are not kept
    try:
        for doc in _process(nlp, _docs(nlp, iter_inputs(paths), failures, on_failure)):
            article: Article = doc._.article
            errors = doc.user_data.get("pipeline_errors")
            if errors:
                failure = InputFailure(article.source_path, "pipeline error: " + "; ".join(errors), article.doc_id)
                failures.append(failure)
                if on_failure:
                    on_failure(failure)
                continue
            rows = [_row(claim, article) for claim in doc._.claims or []]
            if staging and article.source_path and not article.source_path.endswith(PLAIN_TEXT_SUFFIX):
                # HTML, JSONL and CSV articles: save the text the offsets index, so citations open.
                (staging / "texts").mkdir(exist_ok=True)
                (staging / "texts" / f"{article.doc_id}.txt").write_text(article.original_text, encoding="utf-8")
                article.text_path = str(out_dir / "texts" / f"{article.doc_id}.txt")
                for row in rows:
                    row["text_path"] = article.text_path
            article_rows.append(_article_row(doc, article, rows))
            claim_rows.extend(rows)
            if on_article:
                on_article(article.doc_id)
        claims = claims_frame(claim_rows)
        articles = pd.DataFrame(article_rows, columns=ARTICLE_COLUMNS)
        result = ExtractResult(claims, articles, failures, out_dir)
        if out_dir and staging:
            _publish(result, out_dir, staging)
        return result
    finally:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)


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


def _docs(nlp: Language, items: Iterator[Article | InputFailure], failures: list[InputFailure],
          on_failure: Callable[[InputFailure], None] | None) -> Iterator[Doc]:
    """Docs ready for the pipeline: boilerplate blanked (same length), article and segments attached."""
    for item in items:
        if isinstance(item, InputFailure):
            failures.append(item)
            if on_failure:
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


def _publish(result: ExtractResult, out_dir: Path, staging: Path) -> None:
    """Rename the finished tables into place; until now the previous outputs were untouched."""
    # Reviewers' decisions (outputs/reviews.csv) survive the re-run: laid over the new table, with
    # orphaned ones reported; then the consistency checks; then claims.* and the review exports.
    from pipeline.review_ui import refresh_review_outputs

    result.claims, result.orphaned_reviews = refresh_review_outputs(out_dir, claims=result.claims)
    write_csv(result.articles, out_dir / "articles.csv")
    errors = [{"source_path": f.source_path, "doc_id": f.doc_id, "status": "failed", "reason": f.reason}
              for f in result.failures]
    errors += [{"source_path": r["source_path"], "doc_id": r["doc_id"], "status": "no_claims",
                "reason": "read and processed; no numerical claims found"}
               for r in result.articles.to_dict("records") if r["status"] == "no_claims"]
    write_csv(pd.DataFrame(errors, columns=ERROR_COLUMNS), out_dir / "errors.csv")
    texts = staging / "texts"
    if texts.exists():
        # One rename for the whole folder (staging is inside out_dir, so the same file system).
        target, previous = out_dir / "texts", staging / "texts.previous"
        if target.exists():
            os.replace(target, previous)
        os.replace(texts, target)


def _batch_size(nlp: Language) -> int:
    return int(nlp.config["nlp"].get("batch_size") or 32)


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None
