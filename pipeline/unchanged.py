"""Whether a re-run of extract may leave the output folder as it is. Reads the inputs (as extract
does), the output folder's file listing and the state the last complete run stored in the results
cache (pipeline.cache); writes nothing itself.

A complete run stores, after publishing: a digest of what it read (every input in order: each
article's cache key, each duplicate's and each input failure's fields, with a short digest every
CHECKPOINT inputs so a changed corpus is seen early), a digest of the run's context (the output
folder as named, the input paths, the input options, whether a report is rendered, the project's
code and the versions of the packages that write the outputs), a digest of every output file's
metadata (size, times, inode; reviews.csv and texts/ included), and what ExtractResult reports.
A re-run whose inputs, context and outputs all match, and whose every article the cache still
holds, would write the same files again: it writes none. Anything else publishes as before.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pipeline.cache import article_key, code_digest, result_keys
from pipeline.records import Article, InputFailure

PRESENT_BATCH = 500  # keys asked of the cache at a time
CHECKPOINT = 64  # inputs between two short digests: a changed corpus is seen within this many inputs
# Packages that write the output files (a new pyarrow changes claims.parquet's bytes).
WRITER_PACKAGES = ("pandas", "pyarrow", "xlsxwriter", "jinja2")


@dataclass
class PublishedRun:
    """What a complete run published, as stored in the results cache."""

    context: str
    inputs: str  # digest of every input, in order
    checkpoints: list[str]  # short digest of the inputs read so far, after every CHECKPOINT inputs
    count: int  # inputs read
    outputs: str  # digest of the output folder's file metadata after publishing
    article_count: int = 0
    claim_count: int = 0
    duplicate_count: int = 0
    orphaned_reviews: int = 0
    failures: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (input position, InputFailure fields)

    def to_json(self) -> str:
        return json.dumps(vars(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "PublishedRun | None":
        try:
            data = json.loads(text)
            data["failures"] = [(int(position), dict(fields)) for position, fields in data["failures"]]
            return cls(**data)
        except (ValueError, TypeError, KeyError):
            return None  # written by another version: publish as usual

    def failure_list(self) -> list[InputFailure]:
        return [InputFailure(**fields) for _, fields in self.failures]


class InputsDigest:
    """The running digest of a run's inputs, in order."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.count = 0
        self.checkpoints: list[str] = []

    def add(self, item: Article | InputFailure, key: str | None = None) -> str | None:
        """Add one input (`key`: its article_key when already known); returns the short digest when
        this input completes a checkpoint, else None."""
        if isinstance(item, InputFailure):
            entry = "F" + json.dumps([item.source_path, item.doc_id, item.status, item.reason], ensure_ascii=False)
        else:
            entry = ("D" if item.duplicate_of else "A") + (key or article_key(item))
        self.hash.update(entry.encode("utf-8") + b"\n")
        self.count += 1
        if self.count % CHECKPOINT:
            return None
        short = self.hash.copy().hexdigest()[:16]
        self.checkpoints.append(short)
        return short

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def run_context(out_dir: Path, paths: list[Path], options: object, with_report: bool) -> str:
    """A digest of what besides the inputs shapes the output files."""
    parts = [str(out_dir), json.dumps([str(p) for p in paths], ensure_ascii=False), repr(options),
             f"report={with_report}", code_digest()]
    for package in WRITER_PACKAGES:
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=-")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def outputs_digest(out_dir: Path, ignore: Iterable[str]) -> str:
    """A digest of the name, size, modification and change times and inode of every file and
    folder under `out_dir` (texts/ included), except the top-level names in `ignore` and the
    hidden .claims* files (the lock, the output marker, staging folders). A file rewritten,
    touched, added or removed changes it; reading one does not."""
    ignored = set(ignore)
    digest = hashlib.sha256()

    def walk(folder: Path, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if not prefix and (entry.name in ignored or entry.name.startswith(".claims")):
                    continue
                info = entry.stat(follow_symlinks=False)
                name = prefix + entry.name
                digest.update(f"{name}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0"
                              f"{info.st_ino}\n".encode("utf-8", "surrogateescape"))
                if entry.is_dir(follow_symlinks=False):
                    walk(Path(entry.path), name + "/")

    walk(out_dir, "")
    return digest.hexdigest()


def read_unchanged(items: Iterable[Article | InputFailure], published: PublishedRun,
                   present: Callable[[list[str]], set[str]],
                   seen: Callable[[Article | InputFailure], None] | None = None) -> int | None:
    """Read `items` and compare them, in order, with the inputs of the `published` run; stop at the
    first checkpoint that differs. `present(keys)` says which of the keys the results cache holds.
    Returns how many articles were looked up in the cache (all found), or None when the inputs
    differ or the cache lacks one of them. `seen` is called for each input read."""
    digest = InputsDigest()
    pending: list[str] = []
    articles = 0

    def all_present() -> bool:
        wanted = set(pending)
        return wanted <= present(list(wanted))

    for item in items:
        key = article_key(item) if isinstance(item, Article) else None
        short = digest.add(item, key)
        if digest.count > published.count:
            return None
        if short is not None and short != published.checkpoints[digest.count // CHECKPOINT - 1]:
            return None
        if key is not None and not item.duplicate_of:
            articles += 1
            pending.extend(result_keys(item, key))  # its own key, or its pieces'
            if len(pending) >= PRESENT_BATCH:
                if not all_present():
                    return None
                pending.clear()
        if seen is not None:
            seen(item)
    if digest.count != published.count or digest.hexdigest() != published.inputs:
        return None
    if pending and not all_present():
        return None
    return articles
