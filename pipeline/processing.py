"""The work of one process: load the pipeline once, turn batches of Articles into ArticleResults.

Reads Articles (from pipeline.io.inputs); returns, per article and in the order given, its claim
rows, its articles.csv row and, when the NLP failed on it, the failure. pipeline.extract hands
batches to a runner: this process (`InProcess`), a pool of processes (`ProcessPool`, --jobs) or
Dask workers (`DaskRunner`, --dask). Every runner processes the same batches with the same
pipeline and returns them in order, so the outputs do not depend on the runner.
"""
from __future__ import annotations

import gc
import itertools
import multiprocessing
import multiprocessing.connection
import os
import re
import sys
import threading
import warnings
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.batches import sized_groups
from pipeline.io import structure
from pipeline.records import Article, ArticleRow, ClaimRow, InputFailure, claim_record

PLAIN_TEXT_SUFFIX = ".txt"
BATCH_ARTICLES = 32  # articles per batch handed to a runner (spaCy's own batch size is in models/pipeline.cfg)
# Articles per spaCy memory zone. A zone frees the strings and lexemes made inside it, and with them
# the tokenizer's cache: a zone per batch of 32 made every batch look up its words afresh, a third of
# tokenizing. A zone that spans 1,000 articles keeps that cost small and the string store bounded.
ZONE_ARTICLES = 1000
# The longest text handed to spaCy at once. Its ner (and parser) need about 1 GB of working memory per
# 100,000 characters (spaCy's note on max_length), so a longer article (a book, a pasted table) is
# processed in pieces of at most this many characters, cut at paragraph breaks where it has them.
MAX_PIECE_CHARS = 100_000
# ... and spaCy batches docs, so one batch holds at most this many characters (a batch of 32 news
# articles is about 80,000): the pieces of a long article do not all go to ner together. pipeline.extract
# cuts the batches it hands a runner at the same size, so a batch's results (about 5 KB a claim) stay
# small whatever the article: a table pasted as one line is handed over a piece or two at a time.
BATCH_CHARS = 200_000


@dataclass
class ArticleResult:
    """What the pipeline made of one article: staged claim rows and its articles.csv row, or the failure."""

    doc_id: str
    source_path: str
    rows: list[dict[str, object]] = field(default_factory=list)
    article: dict[str, object] | None = None
    failure: InputFailure | None = None
    saved_text: str | None = None  # the text the offsets index, saved as texts/<doc_id>.txt (non-.txt inputs)
    # Set by pipeline.extract for an article processed in pieces (longer than MAX_PIECE_CHARS): which
    # piece this result is of how many. Not stored: the cache holds each piece's result on its own.
    piece: int = 0
    pieces: int = 1

    def to_json(self) -> dict[str, object]:
        return {"doc_id": self.doc_id, "source_path": self.source_path, "rows": self.rows, "article": self.article,
                "failure": vars(self.failure) if self.failure else None, "saved_text": self.saved_text}

    @classmethod
    def from_json(cls, data: dict) -> "ArticleResult":
        failure = InputFailure(**data["failure"]) if data.get("failure") else None
        return cls(data["doc_id"], data["source_path"], data["rows"], data["article"], failure, data.get("saved_text"))


def process_batch(nlp: Language, articles: list[Article]) -> list[ArticleResult]:
    """Run the pipeline over `articles` inside a spaCy memory zone (see `Zone`: the string store does
    not grow with the corpus) and return one result per article, in order. An article longer than
    MAX_PIECE_CHARS (or spaCy's max_length) is processed in pieces (see `pieces`) and its results joined."""
    # Our components have no error handler of their own, so this one catches their failures.
    # (Language.set_error_handler would also try the trained ner, which has no slot for one.)
    nlp.default_error_handler = _record_pipeline_error
    limit = min(nlp.max_length, MAX_PIECE_CHARS)
    units = [(n, piece) for n, article in enumerate(articles) for piece in pieces(article, limit)]
    parts: list[list[ArticleResult]] = [[] for _ in articles]
    zone = _zones.get(nlp)
    if zone is None:
        zone = _zones[nlp] = Zone(nlp)
    zone.open()
    try:
        for group in _by_size(units, BATCH_CHARS):
            docs = (prepare_doc(nlp, piece) for _, piece in group)
            for (n, _), doc in zip(group, nlp.pipe(docs, batch_size=_batch_size(nlp))):
                parts[n].append(_result(doc))
    except BaseException:
        zone.close()
        raise
    zone.count(len(articles))
    return [_joined(found) for found in parts]


class Zone:
    """One spaCy memory zone kept open across batches and renewed every `articles` articles, so the
    string store does not grow with the corpus. Results hold plain Python values, never spaCy objects,
    so nothing made in a zone is read after it closes."""

    def __init__(self, nlp: Language, articles: int = ZONE_ARTICLES) -> None:
        self.nlp = nlp
        self.articles = articles
        self.seen = 0
        self._zone = None

    def open(self) -> None:
        if self._zone is None:
            self._zone = self.nlp.memory_zone()
            self._zone.__enter__()

    def count(self, articles: int) -> None:
        self.seen += articles
        if self.seen >= self.articles:
            self.close()

    def close(self) -> None:
        if self._zone is not None:
            zone, self._zone, self.seen = self._zone, None, 0
            zone.__exit__(None, None, None)


_zones: "weakref.WeakKeyDictionary[Language, Zone]" = weakref.WeakKeyDictionary()


def _by_size(units: list[tuple[int, Article]], chars: int) -> Iterator[list[tuple[int, Article]]]:
    """`units` in order, in groups of at most `chars` characters of text (a longer unit alone)."""
    return sized_groups(units, lambda unit: len(unit[1].text), chars)


def pieces(article: Article, max_length: int) -> list[Article]:
    """The article itself, or, when its text is longer than `max_length` characters (spaCy's limit),
    pieces cut at paragraph breaks (else line breaks, else sentence ends, else spaces) each within
    the limit. A piece shares the article's original text and offset map and records where its
    text starts (Article.text_offset), so its claims cite the original exactly."""
    text = article.text
    if len(text) <= max_length:
        return [article]
    found: list[Article] = []
    start = 0
    while start < len(text):
        end = _cut(text, start, start + max_length) if len(text) - start > max_length else len(text)
        found.append(replace(article, text=text[start:end], text_offset=article.text_offset + start,
                             title=article.title if start == 0 else None))
        start = end
    return found


def _cut(text: str, start: int, limit: int) -> int:
    """The last good break in text[start:limit]: after a blank line, a line, a sentence, a space."""
    window = text[start:limit]
    for pattern in (structure.PARAGRAPH_BREAK, re.compile(r"\n"), re.compile(r"[.!?]\s"), re.compile(r"\s")):
        breaks = [m.end() for m in pattern.finditer(window) if m.end() > len(window) // 2]
        if breaks:
            return start + breaks[-1]
    return limit  # one word of max_length characters: cut it


def _joined(found: list[ArticleResult]) -> ArticleResult:
    """One article's result from the results of its pieces (the first piece names and dates it)."""
    if len(found) == 1:
        return found[0]
    failures = [r.failure for r in found if r.failure is not None]
    first = found[0]
    if failures:
        reasons = "; ".join(dict.fromkeys(f.reason for f in failures))
        return ArticleResult(first.doc_id, first.source_path, failure=InputFailure(first.source_path, reasons, first.doc_id))
    rows = [row for r in found for row in r.rows]
    article = dict(first.article or {})
    article.update(claims=len(rows), flagged=sum(1 for r in rows if r["flags"]),
                   status="ok" if rows else "no_claims")
    return ArticleResult(first.doc_id, first.source_path, rows, article, None, first.saved_text)


def prepare_doc(nlp: Language, article: Article) -> Doc:
    """A Doc ready for the pipeline: boilerplate blanked (same length), article and segments attached."""
    segments = structure.segment(article.text, title=article.title)
    blanked = structure.blank(article.text, segments)
    doc = nlp.make_doc(blanked)
    doc.user_data["council_claims.text"] = blanked  # what doc.text would build, token by token
    doc._.article = article
    doc._.segments = segments
    return doc


def _result(doc: Doc) -> ArticleResult:
    article: Article = doc._.article
    errors = doc.user_data.get("pipeline_errors")
    if errors:
        failure = InputFailure(article.source_path, "pipeline error: " + "; ".join(errors), article.doc_id)
        return ArticleResult(article.doc_id, article.source_path, failure=failure)
    claims = doc._.claims or []
    rows = [claim_record(claim, meta=article.meta) for claim in claims]
    # the whole article's text, saved once: with its first piece (a later piece starts further in)
    saved = None if article.source_path.endswith(PLAIN_TEXT_SUFFIX) or article.text_offset else article.original_text
    return ArticleResult(article.doc_id, article.source_path, rows, vars(_article_row(doc, article, claims)), None, saved)


def _record_pipeline_error(name: str, component: object, docs: list[Doc], error: Exception) -> None:
    """A component that fails on one doc marks that doc failed; the batch goes on."""
    for doc in docs:
        doc.user_data.setdefault("pipeline_errors", []).append(f"{name}: {type(error).__name__}: {error}")


def _article_row(doc: Doc, article: Article, claims: list[ClaimRow]) -> ArticleRow:
    publication = doc._.publication
    council = doc._.main_council
    dropped = structure.boilerplate_counts(doc._.segments or [])
    return ArticleRow(
        doc_id=article.doc_id,
        source_path=article.source_path,
        title=claims[0].title if claims else structure.title_cell(article.title or structure.first_line(article.text)),
        published=publication.date.isoformat() if publication and publication.date else None,
        published_basis=publication.basis if publication else "none",
        published_earliest=publication.earliest.isoformat() if publication and publication.earliest else None,
        published_latest=publication.latest.isoformat() if publication and publication.latest else None,
        council_code=council.code if council else None,
        council_name=council.name if council else None,
        claims=len(claims),
        flagged=sum(1 for claim in claims if claim.flags),
        boilerplate=";".join(f"{k}={v}" for k, v in sorted(dropped.items())),
        encoding=article.encoding,
        text_path=article.text_path,
        status="ok" if claims else "no_claims",
        id_clash_of=article.id_clash_of,  # a repeated id, renamed with -2, -3...
        duplicate_of=None,  # duplicates are not processed (pipeline.extract)
    )


def _batch_size(nlp: Language) -> int:
    return int(nlp.config["nlp"].get("batch_size") or 32)


# -- runners ----------------------------------------------------------------------------------


class Runner(Protocol):
    """Processes batches of articles and yields their results in the order the batches came."""

    workers: int

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]: ...

    def close(self) -> None: ...


class InProcess:
    """This process, with a pipeline already loaded."""

    workers = 1

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        for batch in batches:
            yield process_batch(self.nlp, batch) if batch else []

    def close(self) -> None:
        zone = _zones.pop(self.nlp, None)  # the run is over: free its strings
        if zone is not None:
            zone.close()


_WORKER_NLP: dict[str | None, Language] = {}

# A worker whose driver has gone (killed, say) exits with this code instead of waiting on its
# queue for ever, holding its pipeline's memory.
EXIT_DRIVER_GONE = 70


def worker_pipeline(model: str | None) -> Language:
    """The pipeline of this worker process, loaded on first use and kept (one load per process)."""
    if model not in _WORKER_NLP:
        from pipeline.nlp import load_pipeline

        _WORKER_NLP[model] = load_pipeline(model=model)
    return _WORKER_NLP[model]


def start_worker(model: str | None) -> None:
    """Initializer of a --jobs worker process: it ends with its driver, then loads the pipeline."""
    exit_with_driver()
    worker_pipeline(model)


def exit_with_driver() -> None:
    """End this worker process as soon as the process that started it ends. A driver killed with
    SIGKILL runs no clean-up, and its workers would otherwise wait on their queue for ever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(EXIT_DRIVER_GONE)

    threading.Thread(target=watch, name="exit-with-driver", daemon=True).start()


def start_method() -> str:
    """How --jobs starts its workers: "fork" on Linux, "spawn" elsewhere (macOS's system libraries
    are not safe to fork). A forked worker starts as a copy of the driver, with spaCy and the
    pipeline's modules imported already (1.4 s of each spawned worker's start), and leaves without
    tearing its interpreter down (0.7 s at the end of a run). The driver holds no pipeline and no
    thread that a worker needs; a thread that writes to the terminal writes through
    pipeline.report.terminal.fork_safe, so no worker starts with a stream's lock held."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def process_remote(batch: list[Article], model: str | None) -> list[ArticleResult]:
    """Entry point in a worker process (pool or Dask): the batch through this worker's pipeline."""
    return process_batch(worker_pipeline(model), batch) if batch else []


class _Ordered:
    """Submits batches with at most `window` in flight and yields their results in submission order."""

    def __init__(self, submit, window: int) -> None:
        self.submit = submit
        self.window = window

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        pending: deque = deque()
        batches = iter(batches)
        for batch in itertools.islice(batches, self.window):
            pending.append(self.submit(batch))
        while pending:
            result = _outcome(pending.popleft())
            following = next(batches, None)
            if following is not None:
                pending.append(self.submit(following))
            yield result


def _outcome(future) -> list[ArticleResult]:
    return future.result()


class ProcessPool:
    """`--jobs N`: N worker processes (forked or spawned: start_method), each loading the pipeline
    once and ending with the driver. Batches are pickled to the workers and results come back in
    order; at most 2 batches per worker are in flight, so memory does not grow with the corpus."""

    def __init__(self, jobs: int, model: str | None = None, *, method: str | None = None) -> None:
        self.workers = jobs
        self.model = model
        self.method = method or start_method()
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(self.method),
                                        initializer=start_worker, initargs=(model,))
        self._ordered = _Ordered(self._submit, 2 * jobs)
        self._started = False

    def _submit(self, batch: list[Article]):
        if self._started or self.method != "fork":
            return self.pool.submit(process_remote, batch, self.model)
        # The first submit forks every worker. What the driver holds now (its modules) is frozen out
        # of the collector first, so the workers' collections never walk it, nor copy its pages.
        gc.freeze()
        try:
            with warnings.catch_warnings():
                # Python 3.12 warns when a process with threads forks; see start_method for why
                # these workers need nothing another thread could hold
                warnings.filterwarnings("ignore", message=r".*use of fork\(\) may lead to deadlocks",
                                        category=DeprecationWarning)
                return self.pool.submit(process_remote, batch, self.model)
        finally:
            gc.unfreeze()
            self._started = True

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        return self._ordered.map(batches)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskRunner:
    """`--dask ADDRESS` (a dask.distributed scheduler) or `--dask local` (a LocalCluster of worker
    processes on this machine). Each worker loads the pipeline once (a per-process cache) and
    returns the batch's results; the driver keeps 2 batches per worker in flight."""

    def __init__(self, address: str, model: str | None = None, *, local_workers: int | None = None) -> None:
        from dask.distributed import Client, LocalCluster

        self.model = model
        self.cluster = None
        if address == "local":
            self.cluster = LocalCluster(n_workers=local_workers or default_jobs(), threads_per_worker=1,
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(address)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self._ordered = _Ordered(
            lambda batch: self.client.submit(process_remote, batch, self.model, pure=False), 2 * self.workers)

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleResult]]:
        return self._ordered.map(batches)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def batches_of(items: Iterable[Article | InputFailure], size: int = BATCH_ARTICLES) -> Iterator[list]:
    """Inputs in batches of `size` articles (failures travel with them, in place)."""
    batch: list = []
    articles = 0
    for item in items:
        batch.append(item)
        if isinstance(item, Article):
            articles += 1
            if articles >= size:
                yield batch
                batch, articles = [], 0
    if batch:
        yield batch
