"""extract at scale: --jobs, --dask local, the results cache (re-runs, resume after a kill,
invalidation) all give the same claims, row for row, as one process with no cache."""
import csv
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cache import CACHE_DIR, CACHE_FILE, ResultCache, article_key, pipeline_fingerprint
from pipeline import processing
from pipeline.extract import extract
from pipeline.processing import batches_of
from pipeline.records import Article, InputFailure
from pipeline.resources import MODELS_DIR
from pipeline.tables.lock import STAGING_PREFIX

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
BBC = REPO.parent / "shared" / "corpus" / "bbc_news.csv"
SAMPLE = 60

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    """The seeds plus the first SAMPLE BBC articles as a JSONL file (made at test time, never committed)."""
    if not BBC.exists():
        pytest.skip(f"{BBC} not present: the scale tests need ../shared/corpus")
    folder = tmp_path_factory.mktemp("corpus")
    with open(BBC, encoding="utf-8", newline="") as source, open(folder / "bbc.jsonl", "w", encoding="utf-8") as out:
        for n, row in enumerate(csv.DictReader(source)):
            if n >= SAMPLE:
                break
            out.write(json.dumps({"id": row["id"], "title": row["title"], "text": row["text"]}) + "\n")
    return [SEEDS, folder / "bbc.jsonl"]


def claims_of(out: Path) -> str:
    """claims.csv with the output folder taken out of text_path, so two folders compare."""
    return (out / "claims.csv").read_text(encoding="utf-8").replace(str(out), "OUT")


@pytest.fixture(scope="module")
def reference(corpus, nlp_model, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("reference") / "out"
    extract(corpus, out, nlp=nlp_model, cache=False)
    return claims_of(out)


def test_batches_keep_failures_in_place():
    items = [Article("a", "a.txt", "x", "x"), InputFailure("b", "bad"), Article("c", "c.txt", "y", "y")]
    assert list(batches_of(items, size=1)) == [[items[0]], [items[1], items[2]]]
    assert list(batches_of(items, size=5)) == [items]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_jobs_give_the_same_rows(corpus, reference, tmp_path, monkeypatch, method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setattr(processing, "start_method", lambda: method)
    result = extract(corpus, tmp_path / "out", jobs=2, cache=False)
    assert result.failed == 0
    assert claims_of(tmp_path / "out") == reference


def test_jobs_fork_their_workers_on_linux():
    assert processing.start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def _running(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except (OSError, StopIteration):
        return False
    return "Z" not in state.split()[1]  # a zombie has ended; only its exit status waits to be read


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker processes from /proc")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_end_when_their_driver_is_killed(corpus, tmp_path, method):
    script = ("import sys; from pathlib import Path; import pipeline.processing as p; "
              f"p.start_method = lambda: {method!r}; from pipeline.extract import extract; "
              "extract([Path(x) for x in sys.argv[2:]], Path(sys.argv[1]), jobs=2, cache=False)")
    process = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "out"), *map(str, corpus)], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.time() + 120
        while time.time() < deadline and process.poll() is None and len(workers) < 2:
            workers = [c for c in _children(process.pid) if "resource_tracker" not in _command(c)]
            time.sleep(0.1)
        assert len(workers) == 2, "the run ended before its workers could be seen"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.time() + 15
        while time.time() < deadline and any(_running(w) for w in workers):
            time.sleep(0.1)
        assert not any(_running(w) for w in workers)
    finally:
        if process.poll() is None:  # nothing left running, whatever failed
            process.kill()
            process.wait()
        for pid in filter(_running, workers):
            os.kill(pid, signal.SIGKILL)


def test_dask_local_gives_the_same_rows(corpus, reference, tmp_path):
    result = extract(corpus, tmp_path / "out", dask="local", cache=False)
    assert result.failed == 0
    assert claims_of(tmp_path / "out") == reference


def test_rerun_reuses_every_unchanged_article(corpus, reference, nlp_model, tmp_path):
    out = tmp_path / "out"
    first = extract(corpus, out, nlp=nlp_model)
    assert (first.cache_hits, first.cache_misses) == (0, first.article_count)
    written = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*")
               if p.is_file() and CACHE_DIR not in p.parts and not p.name.startswith(".claims")}
    second = extract(corpus, out, nlp=nlp_model)
    assert (second.cache_hits, second.cache_misses) == (first.article_count, 0)
    assert (second.claim_count, second.failures) == (first.claim_count, first.failures)
    # nothing changed, so nothing was written: the outputs are the first run's, byte for byte
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in written} == written
    assert claims_of(out) == reference


def test_changed_new_and_removed_articles(nlp_model, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        (inputs / seed.name).write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    extract([inputs], out, nlp=nlp_model)
    names = sorted(p.name for p in inputs.iterdir())
    changed = inputs / names[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe council will spend £7m on roads.\n", encoding="utf-8")
    (inputs / names[1]).unlink()
    (inputs / "new.txt").write_text("Ruritania council cut 40 jobs.\n", encoding="utf-8")
    again = extract([inputs], out, nlp=nlp_model)
    assert (again.cache_hits, again.cache_misses) == (1, 2)
    extract([inputs], tmp_path / "clean", nlp=nlp_model, cache=False)
    assert claims_of(out).replace("OUT", "") == claims_of(tmp_path / "clean").replace("OUT", "")
    with sqlite3.connect(out / CACHE_DIR / CACHE_FILE) as db:  # the removed article was pruned
        assert db.execute("SELECT count(*) FROM results").fetchone()[0] == 3


def test_a_rerun_keeps_the_saved_texts_of_unchanged_articles(nlp_model, tmp_path):
    inputs = tmp_path / "news.jsonl"
    texts = {"a": "Ruritania council cut 40 jobs.", "b": "The council will spend £7m on roads."}
    inputs.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()), encoding="utf-8")
    out = tmp_path / "out"
    extract([inputs], out, nlp=nlp_model)
    before = {k: (out / "texts" / f"{k}.txt").stat().st_ino for k in texts}
    texts["b"] += " It saved £2m."
    inputs.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()), encoding="utf-8")
    again = extract([inputs], out, nlp=nlp_model)
    assert (again.cache_hits, again.cache_misses) == (1, 1)
    assert {k: (out / "texts" / f"{k}.txt").read_text(encoding="utf-8") for k in texts} == texts
    assert (out / "texts" / "a.txt").stat().st_ino == before["a"]  # linked, not written again
    assert (out / "texts" / "b.txt").stat().st_ino != before["b"]
    assert [p.name for p in out.iterdir() if p.is_dir() and p.name.startswith(STAGING_PREFIX)] == []  # staging gone


def test_a_change_in_models_empties_the_cache(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    for path in MODELS_DIR.glob("*.csv"):
        (models / path.name).write_bytes(path.read_bytes())
    config = MODELS_DIR / "pipeline.cfg"
    before = pipeline_fingerprint(config, models)
    cache = ResultCache(tmp_path / "cache", before)
    article = Article("a", "a.txt", "text", "text")
    from pipeline.processing import ArticleResult

    cache.put_many([(article_key(article), ArticleResult("a", "a.txt"))])
    cache.close()
    with open(models / "number_cues.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    after = pipeline_fingerprint(config, models)
    assert after != before
    cache = ResultCache(tmp_path / "cache", after)
    assert cache.invalidated and cache.get_many([article_key(article)]) == {}
    cache.close()


@pytest.mark.parametrize("change", [
    lambda a: setattr(a, "original_text", a.original_text + " "),
    lambda a: setattr(a, "title", "Another title"),
    lambda a: setattr(a, "published", "2020-01-01"),
    lambda a: a.meta.update(section="news"),
])
def test_article_key_sees_every_field_that_shapes_rows(change):
    article = Article("a", "a.txt", "text", "text", title="t")
    key = article_key(article)
    change(article)
    assert article_key(article) != key


def test_a_killed_run_resumes_from_the_articles_done(corpus, reference, nlp_model, tmp_path):
    out = tmp_path / "out"
    script = ("import sys; from pathlib import Path; from pipeline.extract import extract; "
              "extract([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]), jobs=1)")
    process = subprocess.Popen([sys.executable, "-c", script, str(out), *map(str, corpus)], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    database = out / CACHE_DIR / CACHE_FILE
    done = 0
    deadline = time.time() + 240
    while time.time() < deadline and process.poll() is None:
        if database.exists():
            try:
                with sqlite3.connect(database, timeout=1) as db:
                    done = db.execute("SELECT count(*) FROM results").fetchone()[0]
            except sqlite3.Error:
                done = 0
            if done >= 32:
                break
        time.sleep(0.2)
    assert process.poll() is None, "the run ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / "claims.csv").exists()
    resumed = extract(corpus, out, nlp=nlp_model)
    assert resumed.cache_hits >= 32
    assert resumed.cache_hits + resumed.cache_misses == resumed.article_count
    assert claims_of(out) == reference


# -- an article longer than spaCy's max_length ---------------------------------------------------

PARAGRAPHS = [
    "Ruritania council will spend £4m on roads this year, the leader said.",
    "Some 300 staff work in its housing team, up from 250 in 2019.",
    "Council tax will rise by 4.9% in April, the third rise in a row.",
    "About 1,200 families are waiting for a home, a report found.",
]


@pytest.mark.parametrize("text", [
    "\n\n".join(PARAGRAPHS * 5),          # cut at paragraph breaks
    " ".join(PARAGRAPHS * 5),             # one line: cut at sentence ends
])
def test_long_article_in_pieces_gives_the_same_claims(nlp_model, text):
    from pipeline.processing import pieces, process_batch

    article = Article("long", "long.jsonl:1", text, text)
    whole = process_batch(nlp_model, [article])[0]
    assert len(pieces(article, 400)) > 3
    saved = nlp_model.max_length
    nlp_model.max_length = 400
    try:
        cut = process_batch(nlp_model, [article])[0]
    finally:
        nlp_model.max_length = saved
    assert cut.failure is None and cut.article["claims"] == len(cut.rows)
    for row in cut.rows:
        assert text[row["char_start"] : row["char_end"]] == row["text"]
    assert [(r["char_start"], r["value"], r["kind"]) for r in cut.rows] == \
        [(r["char_start"], r["value"], r["kind"]) for r in whole.rows]


def _long_corpus(folder: Path) -> Path:
    """A JSONL file: a long article (cut into pieces when MAX_PIECE_CHARS is 400) between two short ones."""
    path = folder / "long.jsonl"
    records = [{"id": "short1", "title": "Roads", "text": PARAGRAPHS[0]},
               {"id": "long", "title": "Ruritania's budget", "text": "\n\n".join(PARAGRAPHS * 5)},
               {"id": "short2", "title": "Homes", "text": PARAGRAPHS[3]}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_long_article_goes_through_extract_a_piece_at_a_time(nlp_model, tmp_path, monkeypatch):
    """The driver cuts it (pipeline.extract._work), caches each piece, stages the rows piece by
    piece: the claims are those of the article read whole, every row carries the article's title and
    text, and a re-run reads the pieces back from the cache."""
    import pipeline.processing

    corpus = [_long_corpus(tmp_path)]
    whole = extract(corpus, tmp_path / "whole", nlp=nlp_model, cache=False)
    monkeypatch.setattr(pipeline.processing, "MAX_PIECE_CHARS", 400)
    cut = extract(corpus, tmp_path / "cut", nlp=nlp_model)
    assert cut.cache_misses == 3 and cut.article_count == 3
    with sqlite3.connect(tmp_path / "cut" / CACHE_DIR / CACHE_FILE) as db:
        assert db.execute("SELECT count(*) FROM results").fetchone()[0] > 5  # two short articles, the pieces
    key = ["doc_id", "char_start", "char_end", "value", "kind"]
    assert cut.claims[key].values.tolist() == whole.claims[key].values.tolist()
    long = cut.claims[cut.claims["doc_id"] == "long"]
    assert set(long["title"]) == {"Ruritania's budget"} and long["text_path"].nunique() == 1
    text = (tmp_path / "cut" / "texts" / "long.txt").read_text(encoding="utf-8")
    assert all(text[r.char_start:r.char_end] == r.text for r in long.itertuples())
    articles = cut.articles.set_index("doc_id")
    assert int(articles.loc["long", "claims"]) == len(long) and articles.loc["long", "status"] == "ok"
    before = claims_of(tmp_path / "cut")
    (corpus[0].parent / "more.jsonl").write_text(json.dumps({"id": "new", "text": PARAGRAPHS[2]}) + "\n")
    again = extract(corpus + [corpus[0].parent / "more.jsonl"], tmp_path / "cut", nlp=nlp_model)
    assert (again.cache_hits, again.cache_misses) == (3, 1)  # the pieces read back, counted as one article
    assert claims_of(tmp_path / "cut").startswith(before.rstrip("\r\n"))


def test_a_long_article_whose_later_piece_fails_fails_whole(nlp_model, tmp_path, monkeypatch):
    import pipeline.processing

    made = pipeline.processing._result

    def failing(doc):
        result = made(doc)
        if doc._.article.text_offset > 800:  # the third piece on
            result.failure = InputFailure(result.source_path, "pipeline error: boom", result.doc_id)
            result.rows = []
        return result

    monkeypatch.setattr(pipeline.processing, "MAX_PIECE_CHARS", 400)
    monkeypatch.setattr(pipeline.processing, "_result", failing)
    result = extract([_long_corpus(tmp_path)], tmp_path / "out", nlp=nlp_model, cache=False)
    assert [f.doc_id for f in result.failures] == ["long"] and "boom" in result.failures[0].reason
    assert set(result.claims["doc_id"]) == {"short1", "short2"}
    assert "long" not in set(result.articles["doc_id"])
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8")
    assert "long" in errors and "boom" in errors


def test_pieces_keep_offsets_into_the_repaired_text():
    from pipeline.io.inputs import make_article
    from pipeline.processing import pieces

    original = "Costs rose to Â£5m.\n\n" * 40
    article = make_article(original, doc_id="m", source_path="m.txt")
    parts = pieces(article, 100)
    assert "".join(p.text for p in parts) == article.text
    for part in parts:
        at = part.text.find("£5m")
        start, end = part.to_original(at), part.to_original(at + 3)
        assert original[start:end] == "Â£5m"


def test_a_memory_zone_spans_batches_and_is_renewed():
    """Strings made while processing stay until the zone has seen `articles` articles, then go."""
    import spacy

    from pipeline.processing import Zone, _zones, process_batch

    nlp = spacy.blank("en")
    before = len(nlp.vocab.strings)
    _zones[nlp] = Zone(nlp, articles=2)
    article = Article(doc_id="a", source_path="a.txt", original_text="Zyxwv qwerty plugh.", text="Zyxwv qwerty plugh.")
    process_batch(nlp, [article])
    assert "plugh" in nlp.vocab.strings  # still in the zone: the next batch reuses its words
    process_batch(nlp, [article])
    assert "plugh" not in nlp.vocab.strings and len(nlp.vocab.strings) == before  # renewed: freed


@pytest.mark.parametrize("lengths,chars,groups", [
    ([10, 10, 10], 25, [[0, 1], [2]]),
    ([30, 5], 25, [[0], [1]]),  # a unit longer than the limit goes alone
    ([5, 30, 5], 25, [[0], [1], [2]]),
    ([], 25, []),
    ([10] * 4, 100, [[0, 1, 2, 3]]),
])
def test_batches_are_cut_by_characters(lengths, chars, groups):
    from pipeline.processing import _by_size

    units = [(n, Article(doc_id=str(n), source_path="a.txt", original_text="x" * k, text="x" * k))
             for n, k in enumerate(lengths)]
    assert [[n for n, _ in group] for group in _by_size(units, chars)] == groups
