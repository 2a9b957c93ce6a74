"""Run the pipeline over input paths and write the claims table: extract(paths, out_dir) -> ExtractResult.

Reads articles (pipeline.io.inputs) in input order and hands batches of them to a runner
(pipeline.processing: this process, --jobs worker processes or Dask workers), reusing the rows of
articles the results cache (pipeline.cache) already holds; results come back in input order, so the
outputs do not depend on the runner. Every claim row, article row and failure is staged on disk as
it comes. At the end pipeline.tables.finalize assembles the tables chunk by chunk and renames each
file into the output folder: claims (.csv/.parquet/.jsonl/.xlsx), articles.csv, errors.csv (every
input that produced no rows, and why), the review exports, datapackage.json, and texts/<doc_id>.txt
for inputs that are not plain text files. The folder is locked for the run. Memory stays flat
whatever the corpus. A re-run whose inputs, options and outputs are all as the last complete run
left them (pipeline.unchanged) reads the inputs once, processes and writes nothing, and reports
that run's figures.
"""
from __future__ import annotations

import csv
import itertools
import json
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from spacy.language import Language

from pipeline import processing
from pipeline.cache import CACHE_DIR, ResultCache, article_key, pipeline_fingerprint, result_keys
from pipeline.io import structure
from pipeline.io.inputs import InputOptions, iter_inputs, write_output_marker
from pipeline.nlp import DEFAULT_CONFIG, load_pipeline
from pipeline.processing import (
    BATCH_ARTICLES, ArticleResult, DaskRunner, InProcess, ProcessPool, Runner, batches_of, pieces, prepare_doc,
)
from pipeline.records import Article, ArticleRow, InputFailure
from pipeline.resources import MODELS_DIR
from pipeline.schema import ARTICLES, ERRORS
from pipeline.tables.decisions import REVIEWS_FILE, read_reviews
from pipeline.tables.files import StagedChunks, claims_frame, read_claims, read_table
from pipeline.tables.finalize import publish
from pipeline.tables.lock import (
    STAGING_PREFIX, OutputError, clean_stale, disk_full_message, is_disk_full, mark_staging, output_lock,
)
from pipeline.tables.safe_cells import safe_row
from pipeline.unchanged import InputsDigest, PublishedRun, outputs_digest, read_unchanged, run_context

__all__ = ["ExtractResult", "extract", "prepare_doc"]

HELD_BATCHES = 32  # input batches whose cached results may wait for the changed articles among them
CHUNKS_DIR = "chunks"  # the staged claim rows, in chunks (pipeline.tables.files.StagedChunks)


@dataclass
class ExtractResult:
    """What a run produced. With an output folder the tables live there and `claims`/`articles`
    are read from it on first use, so a run over a large corpus never holds them in memory."""

    failures: list[InputFailure] = field(default_factory=list)
    output_dir: Path | None = None
    article_count: int = 0
    claim_count: int = 0
    orphaned_reviews: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    cache_invalidated: bool = False
    duplicate_count: int = 0  # articles whose text repeats an earlier one's (counted in article_count)
    unchanged: bool = False  # the inputs and outputs were as the last run left them: nothing was rewritten
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
            self._articles = read_table(path, ARTICLES) if path else pd.DataFrame(columns=ARTICLES.names())
        return self._articles

    @property
    def inputs(self) -> int:
        return self.article_count + len(self.failures)

    @property
    def failed(self) -> int:
        return sum(1 for failure in self.failures if failure.status == "failed")

    @property
    def skipped(self) -> int:
        return sum(1 for failure in self.failures if failure.status == "skipped")


def extract(
    paths: Iterable[Path],
    out_dir: Path | None,
    *,
    nlp: Language | None = None,
    model: str | None = None,
    jobs: int = 1,
    dask: str | None = None,
    cache: bool | Path = True,
    on_article: Callable[[str], None] | None = None,
    on_failure: Callable[[InputFailure], None] | None = None,
    on_publish: Callable[[Path, Path], None] | None = None,
    options: InputOptions | None = None,
) -> ExtractResult:
    """Extract claims from every article under `paths`; write the tables to `out_dir` (None: keep
    them in memory and write nothing). `options` name the JSONL/CSV columns and a default date.
    `on_publish(folder, texts)` may add files to the folder about to be renamed into out_dir (the
    CLI renders report.html there); texts/ is not yet in it.

    `jobs` > 1 runs the pipeline in that many worker processes, `dask` on a dask.distributed
    scheduler ("local" for a LocalCluster); the outputs are the same row for row. `cache` (True:
    <out_dir>/.results-cache; a Path: that folder; False: none) reuses the rows of articles that
    have not changed since an earlier run with the same pipeline, and lets a killed run resume;
    with a cache, a re-run over unchanged inputs whose outputs are untouched rewrites nothing
    (ExtractResult.unchanged; on_publish is not called, the callbacks are)."""
    result = ExtractResult(output_dir=out_dir)
    paths = list(paths)  # read twice when a re-run turns out not to be unchanged
    guard = ExitStack()
    if out_dir:
        # One writer at a time (a review or a second extract waits, then stops with a message);
        # staging folders left by a killed run are removed once no one can be using them.
        guard.enter_context(output_lock(out_dir, "extract"))
        clean_stale(out_dir)
    staging = _staging(out_dir) if out_dir else None
    runner: Runner | None = None
    store = _cache(cache, out_dir, model)
    result.cache_invalidated = bool(store and store.invalidated)
    if out_dir:
        write_output_marker(out_dir)  # so a later run over a folder holding out_dir does not read it as articles
    try:
        context = run_context(out_dir, paths, options, on_publish is not None) if out_dir and store else None
        if context and staging and _unchanged(paths, options, out_dir, staging, store, context, result,
                                              on_article, on_failure):
            return result  # the outputs already are this run's: nothing is written
        if store is not None and out_dir:
            store.set_published(out_dir, None)  # the outputs are about to change
        runner = _runner(nlp, model, jobs, dask)
        inputs = InputsDigest() if store is not None and context else None  # only a cached run is compared later
        failures: list[tuple[int, dict[str, object]]] = []
        with _Staged(staging) as staged:

            def failed(failure: InputFailure, position: int) -> None:
                result.failures.append(failure)
                failures.append((position, vars(failure)))
                staged.error(failure.source_path, failure.doc_id, failure.status, failure.reason)
                if on_failure:
                    on_failure(failure)

            items = _results(iter_inputs(paths, options), runner, store, inputs)
            position = 0  # of the input: a long article's pieces are one input
            held: _InPieces | None = None  # the article whose pieces are being read
            for item in items:
                if isinstance(item, InputFailure):
                    failed(item, position)
                    position += 1
                    continue
                if isinstance(item, Article):  # a duplicate: read, not processed
                    staged.article(_duplicate_row(item))
                    staged.error(item.source_path, item.doc_id, "duplicate",
                                 f"same text as {item.duplicate_of}; no claims extracted")
                    result.article_count += 1
                    result.duplicate_count += 1
                    if on_article:
                        on_article(item.doc_id)
                    position += 1
                    continue
                if item.pieces > 1:
                    # An article in pieces: its rows are staged piece by piece, and taken back if
                    # a later piece fails (the article then fails whole, as one read at once would).
                    if item.piece == 0:
                        held = _InPieces(staged.mark(), item.article)
                    assert held is not None
                    if item.failure is not None:
                        held.reasons.append(item.failure.reason)
                    elif not held.reasons:
                        held.claims += len(item.rows)
                        held.text_path = _stage(item, staged, staging, out_dir, held) or held.text_path
                    if item.piece < item.pieces - 1:
                        continue
                    if held.reasons:
                        staged.rollback(held.mark)
                        reasons = "; ".join(dict.fromkeys(held.reasons))
                        failed(InputFailure(item.source_path, reasons, item.doc_id), position)
                    else:
                        article = ArticleRow(**dict(held.article or {}, claims=held.claims, flagged=held.flagged,
                                                    status="ok" if held.claims else "no_claims"))
                        article.text_path = held.text_path or article.text_path
                        _finish_article(article, staged)
                        result.article_count += 1
                        result.claim_count += held.claims
                        if on_article:
                            on_article(item.doc_id)
                    held = None
                    position += 1
                    continue
                if item.failure is not None:
                    failed(item.failure, position)
                    position += 1
                    continue
                article = ArticleRow(**(item.article or {}))
                article.text_path = _stage(item, staged, staging, out_dir, None) or article.text_path
                _finish_article(article, staged)
                result.article_count += 1
                result.claim_count += len(item.rows)
                if on_article:
                    on_article(item.doc_id)
                position += 1
        if store is not None:
            result.cache_hits, result.cache_misses = store.hits, store.misses
            store.prune()
        if out_dir and staging:
            result.orphaned_reviews = _publish(out_dir, staging, staged.chunks, on_publish, store)
            if store is not None:
                store.prune_rendered()
            shutil.rmtree(staging, ignore_errors=True)  # before the outputs' metadata is taken
            if store is not None and inputs is not None:
                published = PublishedRun(
                    context=context, inputs=inputs.hexdigest(), checkpoints=inputs.checkpoints, count=inputs.count,
                    outputs=outputs_digest(out_dir, _ignored(out_dir, store)), article_count=result.article_count,
                    claim_count=result.claim_count, duplicate_count=result.duplicate_count,
                    orphaned_reviews=result.orphaned_reviews, failures=failures)
                store.set_published(out_dir, published.to_json())
        else:
            result._claims = claims_frame(staged.rows)
            result._articles = pd.DataFrame([vars(row) for row in staged.articles], columns=ARTICLES.names())
        return result
    except OSError as error:
        if out_dir and is_disk_full(error):
            raise OutputError(disk_full_message(out_dir, error)) from error
        raise
    finally:
        if runner is not None:
            runner.close()
        if store is not None:
            store.close()
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
        guard.close()


def _unchanged(paths: list[Path], options: InputOptions | None, out_dir: Path, staging: Path, store: ResultCache,
               context: str, result: ExtractResult, on_article: Callable[[str], None] | None,
               on_failure: Callable[[InputFailure], None] | None) -> bool:
    """True when the last complete run into `out_dir` read the same inputs in the same context and
    its outputs are untouched since (pipeline.unchanged): `result` then gets that run's figures and
    the callbacks are called as a full run would call them. False: nothing was changed."""
    if not all(path.is_file() or path.is_dir() for path in paths):
        return False  # a pipe or a device reads once: comparing would consume the inputs
    stored = store.published(out_dir)
    published = PublishedRun.from_json(stored) if stored else None
    if published is None or published.context != context:
        return False
    if outputs_digest(out_dir, _ignored(out_dir, store)) != published.outputs:
        return False
    # The doc_ids go to a file while the inputs are compared, and to on_article only once they match.
    with open(staging / "read.jsonl", "w", encoding="utf-8") as read:
        seen = (lambda item: read.write(json.dumps(item.doc_id) + "\n")) if on_article else None
        hits = read_unchanged(iter_inputs(paths, options), published, store.present, seen)
    if hits is None:
        return False
    result.article_count, result.claim_count = published.article_count, published.claim_count
    result.duplicate_count, result.orphaned_reviews = published.duplicate_count, published.orphaned_reviews
    result.failures = published.failure_list()
    result.cache_hits, result.cache_misses = hits, 0
    result.unchanged = True
    if on_article:
        failed_at = dict(zip((position for position, _ in published.failures), result.failures))
        with open(staging / "read.jsonl", encoding="utf-8") as read:
            for position, line in enumerate(read):
                if position not in failed_at:
                    on_article(json.loads(line))
                elif on_failure:
                    on_failure(failed_at[position])
    elif on_failure:
        for failure in result.failures:
            on_failure(failure)
    return True


def _ignored(out_dir: Path, store: ResultCache) -> list[str]:
    """Names in out_dir that are not outputs: the results cache, when it lives there."""
    folder = store.path.parent.resolve()
    return [CACHE_DIR] + ([folder.name] if folder.parent == Path(out_dir).resolve() else [])


def _staging(out_dir: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    mark_staging(staging)
    return staging


def _runner(nlp: Language | None, model: str | None, jobs: int, dask: str | None) -> Runner:
    if dask:
        return DaskRunner(dask, model)
    if jobs > 1 and nlp is None:
        return ProcessPool(jobs, model)
    if nlp is None:
        nlp = load_pipeline(model=model)
    return InProcess(nlp)


def _cache(cache: bool | Path, out_dir: Path | None, model: str | None) -> ResultCache | None:
    if cache is False or (cache is True and out_dir is None):
        return None
    folder = Path(cache) if not isinstance(cache, bool) else Path(out_dir) / CACHE_DIR
    return ResultCache(folder, pipeline_fingerprint(DEFAULT_CONFIG, MODELS_DIR, model=model))


@dataclass
class _Step:
    """One thing `_results` yields, in input order: an input failure or a duplicate as read, or the
    result of an article or of one of its pieces (from the cache when `cached`, else the runner)."""

    item: Article | InputFailure
    piece: int = 0
    pieces: int = 1
    key: str | None = None
    cached: bool = False


def _results(items: Iterable[Article | InputFailure], runner: Runner, store: ResultCache | None,
             inputs: InputsDigest | None = None) -> Iterator[ArticleResult | Article | InputFailure]:
    """Every input's result, in input order: cached ones as stored, the rest from the runner (which
    sees only the articles the cache does not hold); each result is the caller's to change (a new
    one is cached as it was made). An article longer than MAX_PIECE_CHARS comes as its pieces'
    results, one after another (ArticleResult.piece and .pieces set), each cached on its own: the
    runner gets batches of at most MAX_PIECE_CHARS characters but for a single article, so a table
    pasted as one line is handed over, read back and staged a piece at a time (about 5 KB a claim:
    25,000 claims, 130 MB, per piece). New results are cached batch by batch. Every input is added to `inputs` in order, with the cache key already made for it
    (hashing an article is hashing its whole text: once is enough)."""
    steps: deque[_Step] = deque()
    groups: deque[int] = deque()  # how many steps the results of each batch handed to the runner cover

    def batches() -> Iterator[list[Article]]:
        wanted: list[Article] = []
        chars = held = pending = 0
        for batch in batches_of(items):
            articles = [item for item in batch if isinstance(item, Article) and not item.duplicate_of]
            keys: list[str | None] = [article_key(a) for a in articles] if store else [None] * len(articles)
            if inputs is not None:
                key_of = {id(a): key for a, key in zip(articles, keys)}
                for item in batch:
                    inputs.add(item, key_of.get(id(item)))
            works = [_work(article, key) for article, key in zip(articles, keys)]
            every_key = [key for work in works for _, key in work if key is not None]
            present = store.present(every_key) if store else set()
            if store:
                store.mark_used(every_key)
            work_of = iter(works)
            for item in batch:
                if isinstance(item, InputFailure) or item.duplicate_of:
                    steps.append(_Step(item))  # read failures and duplicate articles keep their place
                    pending += 1
                    continue
                work = next(work_of)
                for piece, (part, key) in enumerate(work):
                    cached = key is not None and key in present
                    steps.append(_Step(item, piece, len(work), key, cached))
                    pending += 1
                    if cached:
                        continue
                    if wanted and chars + len(part.text) > processing.MAX_PIECE_CHARS:
                        # long articles: a piece at a time (this step waits for the next batch)
                        groups.append(pending - 1)
                        yield wanted
                        wanted, chars, held, pending = [], 0, 0, 1
                    wanted.append(part)
                    chars += len(part.text)
            held += 1
            # A re-run finds a changed article here and there: they go to the runner together, a
            # batch at a time, not one per batch of inputs (a batch of one costs a quarter more an
            # article); at most HELD_BATCHES input batches wait with them.
            if len(wanted) >= BATCH_ARTICLES or held >= HELD_BATCHES:
                groups.append(pending)
                yield wanted
                wanted, chars, held, pending = [], 0, 0, 0
        if pending:
            groups.append(pending)
            yield wanted

    whole_hits = True  # whether every piece of the article being read came from the cache
    for fresh in runner.map(batches()):
        made = iter(fresh)
        count = groups.popleft()
        # the cached results of whole articles in one read; a piece's (up to 25,000 rows) on its own
        cached = [step.key for step in itertools.islice(steps, count) if step.cached and step.pieces == 1]
        hits = store.get_many(cached, count=False) if store is not None and cached else {}
        new: list[tuple[str, bytes]] = []
        for _ in range(count):
            step = steps.popleft()
            if isinstance(step.item, InputFailure) or step.item.duplicate_of:
                yield step.item
                continue
            if step.cached:
                result = hits[step.key] if step.pieces == 1 else store.get_many([step.key], count=False)[step.key]
            else:
                result = next(made)
                if step.key is not None and store is not None:
                    new.append((step.key, store.encode(result)))  # as made: the caller may fill rows in
            if store is not None:
                whole_hits = step.cached if step.piece == 0 else whole_hits and step.cached
                if step.piece == step.pieces - 1:  # counted per article, at its last piece
                    store.hits += whole_hits
                    store.misses += not whole_hits
            yield replace(result, piece=step.piece, pieces=step.pieces) if step.pieces > 1 else result
        if store is not None and new:
            store.put_many(new)


def _work(article: Article, key: str | None) -> list[tuple[Article, str | None]]:
    """What the runner processes of an article, with the cache key of each: the article itself, or
    its pieces when it is longer than processing.MAX_PIECE_CHARS."""
    if len(article.text) <= processing.MAX_PIECE_CHARS:
        return [(article, key)]
    parts = pieces(article, processing.MAX_PIECE_CHARS)
    keys = result_keys(article, key) if key is not None else [None] * len(parts)
    return list(zip(parts, keys))


@dataclass
class _InPieces:
    """An article whose pieces' results are being read (ArticleResult.pieces > 1)."""

    mark: object  # where its rows begin among the staged ones (_Staged.mark)
    article: dict[str, object] | None  # its articles.csv row, from the first piece
    claims: int = 0
    flagged: int = 0
    text_path: str | None = None
    reasons: list[str] = field(default_factory=list)  # why pieces failed


def _stage(item: ArticleResult, staged: "_Staged", staging: Path | None, out_dir: Path | None,
           held: _InPieces | None) -> str | None:
    """Stage the claim rows of an article (or of a piece of one: `held`), saving the text they index
    (HTML, JSONL and CSV articles) so citations open; returns that text's path, if saved."""
    rows = item.rows
    text_path = None
    if staging and out_dir and item.saved_text is not None:
        save_text(staging / "texts", out_dir / "texts", f"{item.doc_id}.txt", item.saved_text)
        text_path = str(out_dir / "texts" / f"{item.doc_id}.txt")
    # The rows are filled in where they are (a copy of 25,000 rows of a piece is 125 MB more held).
    if held is not None:
        text_path = text_path or held.text_path  # saved with the first piece
        held.flagged += sum(1 for row in rows if row["flags"])
        if item.piece and held.article:
            for row in rows:  # a later piece has no headline of its own: its rows carry the article's title
                row["title"] = held.article.get("title")
    if text_path:
        for row in rows:
            row["text_path"] = text_path
    staged.claims(rows)
    return text_path


def _finish_article(article: ArticleRow, staged: "_Staged") -> None:
    staged.article(article)
    if not article.claims:
        staged.error(article.source_path, article.doc_id, "no_claims", "read and processed; no numerical claims found")


class _Staged:
    """Where a run's rows go as they are made: files in the staging folder (memory stays flat
    whatever the corpus), or lists when nothing is written."""

    def __init__(self, staging: Path | None) -> None:
        self.staging = staging
        self.rows: list[dict[str, object]] = []
        self.articles: list[ArticleRow] = []
        self.chunks = StagedChunks(staging / CHUNKS_DIR) if staging else None

    def __enter__(self) -> "_Staged":
        if self.staging:
            self.articles_file = open(self.staging / "articles.csv", "w", encoding="utf-8", newline="")
            self.errors_file = open(self.staging / "errors.csv", "w", encoding="utf-8", newline="")
            self.articles_csv = csv.DictWriter(self.articles_file, ARTICLES.names())
            self.errors_csv = csv.DictWriter(self.errors_file, ERRORS.names())
            self.articles_csv.writeheader()
            self.errors_csv.writeheader()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.staging:
            for handle in (self.articles_file, self.errors_file):
                handle.close()
            if exc[0] is None:
                self.chunks.close()

    def claims(self, rows: list[dict[str, object]]) -> None:
        if self.chunks is not None:
            self.chunks.add(rows)
        else:
            self.rows.extend(rows)

    def mark(self) -> object:
        """Where the claim rows staged so far end, for rollback."""
        return self.chunks.mark() if self.chunks is not None else len(self.rows)

    def rollback(self, mark: object) -> None:
        """Take back the claim rows staged since `mark`."""
        if self.chunks is not None:
            self.chunks.rollback(mark)
        else:
            del self.rows[mark:]

    def article(self, row: ArticleRow) -> None:
        if self.staging:
            self.articles_csv.writerow(safe_row(vars(row)))
        else:
            self.articles.append(row)

    def error(self, source_path: str, doc_id: str | None, status: str, reason: str) -> None:
        if self.staging:
            self.errors_csv.writerow(safe_row({"source_path": source_path, "doc_id": doc_id, "status": status,
                                               "reason": reason}))


def save_text(folder: Path, published: Path, name: str, text: str) -> None:
    """Write `text` as folder/name, or hard-link the published copy (published/name) when it holds
    the same text already: a re-run keeps most articles, and on ext4 linking a file costs a 40th of
    writing one (1 ms a file here; 2,225 BBC articles, 2.2 s of a re-run after changing 1% of them).
    The published folder is replaced whole at the end of the run, so the link outlives it."""
    folder.mkdir(exist_ok=True)
    target, previous = folder / name, published / name
    try:
        # newline="": the characters as stored, so a copy that write_text would store otherwise
        # (where it turns "\n" into os.linesep) is written anew
        with open(previous, encoding="utf-8", newline="") as stored:
            same = stored.read() == text
        if same:
            os.link(previous, target)
            return
    except (OSError, UnicodeDecodeError):
        pass  # no published copy, or a file system without hard links: write it
    target.write_text(text, encoding="utf-8")


def _duplicate_row(article: Article) -> ArticleRow:
    """The articles.csv row of an article whose text repeats an earlier one's: read, not processed."""
    return ArticleRow(doc_id=article.doc_id, source_path=article.source_path,
                      title=structure.title_cell(article.title or structure.first_line(article.text)),
                      published=None, published_basis="none",
                      published_earliest=None, published_latest=None, council_code=None, council_name=None,
                      claims=0, flagged=0, boilerplate="", encoding=article.encoding, text_path=None,
                      status="duplicate", id_clash_of=article.id_clash_of, duplicate_of=article.duplicate_of)


def _publish(out_dir: Path, staging: Path, chunks: StagedChunks,
             on_publish: Callable[[Path, Path], None] | None = None, store: ResultCache | None = None) -> int:
    """Assemble the tables in the staging folder, then rename each into place; until then the
    previous outputs are untouched. Returns how many review decisions are orphaned."""
    # Reviewers' decisions (outputs/reviews.csv) survive the re-run: laid over the new table,
    # orphaned ones reported, then the consistency checks and the review exports.
    summary = publish(chunks, read_reviews(out_dir / REVIEWS_FILE), out_dir,
                      staging, beside=[staging / "articles.csv", staging / "errors.csv"],
                      before_rename=(lambda final: on_publish(final, staging / "texts")) if on_publish else None,
                      memo=store)  # rows an earlier run wrote are written from what it made of them
    texts = staging / "texts"
    if texts.exists():
        # One rename for the whole folder (staging is inside out_dir, so the same file system).
        target, previous = out_dir / "texts", staging / "texts.previous"
        if target.exists():
            os.replace(target, previous)
        os.replace(texts, target)
    return summary.orphaned


