"""A re-run over unchanged inputs leaves the outputs as they are (pipeline.unchanged); anything that
could change them (inputs, options, reviews, an output touched or removed, the cache) publishes."""
import datetime
import json
import os
from pathlib import Path

import pytest
import spacy

import pipeline.extensions  # noqa: F401 - the Doc/Span attributes extract reads
import pipeline.extract as extract_module
from pipeline.cache import CACHE_DIR
from pipeline.extract import extract
from pipeline.io.inputs import InputOptions
from pipeline.records import Article, InputFailure
from pipeline.unchanged import CHECKPOINT, InputsDigest, PublishedRun, outputs_digest, read_unchanged

TEXTS = ["The council will spend £5m on roads.", "Some 300 staff work in housing.", "Council tax rises 4.9%."]


@pytest.fixture
def nlp():
    return spacy.blank("en")


@pytest.fixture
def published(monkeypatch):
    """How many times extract published (wraps extract's _publish)."""
    calls = []
    original = extract_module._publish

    def counting(out_dir, staging, chunks, on_publish=None, store=None):
        calls.append(out_dir)
        return original(out_dir, staging, chunks, on_publish, store)

    monkeypatch.setattr(extract_module, "_publish", counting)
    return calls


def corpus(folder: Path, texts=TEXTS) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{n}", "text": text}) + "\n" for n, text in enumerate(texts)),
                    encoding="utf-8")
    (folder / "note.txt").write_text("The council cut 40 jobs.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")  # an input failure: errors.csv
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".claims") and CACHE_DIR not in p.parts}


def test_an_unchanged_rerun_writes_nothing_and_reports_the_same(nlp, published, tmp_path):
    inputs, out = corpus(tmp_path / "in"), tmp_path / "out"
    first = extract([inputs], out, nlp=nlp)
    before = outputs(out)
    stats = {name: os.stat(out / name).st_mtime_ns for name in before}
    second = extract([inputs], out, nlp=nlp)
    assert len(published) == 1 and second.unchanged and not first.unchanged
    assert outputs(out) == before and {name: os.stat(out / name).st_mtime_ns for name in before} == stats
    assert "texts/a0.txt" in before and "errors.csv" in before
    assert (second.article_count, second.claim_count, second.duplicate_count, second.orphaned_reviews) == \
        (first.article_count, first.claim_count, first.duplicate_count, first.orphaned_reviews)
    assert second.failures == first.failures and second.failed == 1
    assert (second.cache_hits, second.cache_misses) == (first.cache_misses, 0)
    assert second.articles.equals(first.articles)


def test_an_unchanged_rerun_calls_back_as_a_full_run(nlp, published, tmp_path):
    inputs, out = corpus(tmp_path / "in"), tmp_path / "out"
    calls = []
    for _ in range(2):
        calls.append([])
        extract([inputs], out, nlp=nlp, on_article=lambda doc_id: calls[-1].append(("article", doc_id)),
                on_failure=lambda failure: calls[-1].append(("failure", failure.source_path)))
    assert len(published) == 1
    assert calls[0] == calls[1] and ("failure", str(inputs / "empty.txt")) in calls[0] and len(calls[0]) == 5


def write_reviews(out: Path) -> None:
    (out / "reviews.csv").write_text("claim_id,status\n0123456789abcdef,accepted\n", encoding="utf-8")


def touch_back(path: Path) -> None:
    """Rewrite `path` with the same bytes and put its modification time back."""
    info = path.stat()
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.mark.parametrize("change", [
    pytest.param(lambda inputs, out: write_reviews(out), id="reviews.csv written"),
    pytest.param(lambda inputs, out: (out / "claims.xlsx").unlink(), id="an output removed"),
    pytest.param(lambda inputs, out: (out / "texts" / "a1.txt").unlink(), id="a saved text removed"),
    pytest.param(lambda inputs, out: touch_back(out / "claims.csv"), id="an output rewritten, same time"),
    pytest.param(lambda inputs, out: (out / "extra.csv").write_text("x\n"), id="a file added to the outputs"),
    pytest.param(lambda inputs, out: corpus(inputs, TEXTS[:2]), id="an article removed"),
    pytest.param(lambda inputs, out: corpus(inputs, TEXTS + ["A new one: £1m."]), id="an article added"),
    pytest.param(lambda inputs, out: corpus(inputs, TEXTS[::-1]), id="articles changed"),
    pytest.param(lambda inputs, out: (inputs / "empty.txt").write_text("Now 12 words.\n"), id="a failure fixed"),
])
def test_a_change_publishes(change, nlp, published, tmp_path):
    inputs, out = corpus(tmp_path / "in"), tmp_path / "out"
    extract([inputs], out, nlp=nlp)
    change(inputs, out)
    assert not extract([inputs], out, nlp=nlp).unchanged
    assert len(published) == 2
    assert (out / "claims.xlsx").exists() and (out / "texts" / "a1.txt").exists()
    clean = tmp_path / "clean"
    extract([inputs], clean, nlp=nlp, cache=False)
    ours, theirs = outputs(out), outputs(clean)
    ours.pop("extra.csv", None)
    for name in ("claims.csv", "articles.csv", "errors.csv"):
        assert ours[name].replace(str(out).encode(), b"OUT") == theirs[name].replace(str(clean).encode(), b"OUT")
    assert sorted(n for n in ours if n.startswith("texts/")) == sorted(n for n in theirs if n.startswith("texts/"))


@pytest.mark.parametrize("first,second", [
    pytest.param({}, {"options": InputOptions(published=datetime.date(2024, 5, 1))}, id="--published given"),
    pytest.param({"options": InputOptions(published=datetime.date(2024, 5, 1))},
                 {"options": InputOptions(published=datetime.date(2023, 5, 1))}, id="--published changed"),
    pytest.param({}, {"on_publish": lambda folder, texts: None}, id="a report rendered"),
    pytest.param({}, {"cache": "elsewhere"}, id="another cache folder"),
])
def test_a_changed_run_option_publishes(first, second, nlp, published, tmp_path):
    inputs, out = corpus(tmp_path / "in"), tmp_path / "out"
    if second.get("cache") == "elsewhere":
        second = {"cache": tmp_path / "cache"}
    extract([inputs], out, nlp=nlp, **first)
    extract([inputs], out, nlp=nlp, **second)
    assert len(published) == 2


def test_the_output_folder_as_named_matters(nlp, published, tmp_path, monkeypatch):
    # text_path holds the folder as given, so "out" and an absolute path give other rows
    inputs = corpus(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    extract([inputs], Path("out"), nlp=nlp)
    extract([inputs], tmp_path / "out", nlp=nlp)
    extract([inputs], tmp_path / "out", nlp=nlp)
    assert len(published) == 2


def test_no_cache_and_a_failed_publish_leave_nothing_to_skip(nlp, published, tmp_path, monkeypatch):
    inputs, out = corpus(tmp_path / "in"), tmp_path / "out"
    extract([inputs], out, nlp=nlp)
    extract([inputs], out, nlp=nlp, cache=False)  # rewrites the outputs
    extract([inputs], out, nlp=nlp)
    assert len(published) == 3
    original = extract_module._publish

    def killed(out_dir, staging, chunks, on_publish=None, store=None):
        (out_dir / "claims.csv").write_text("half\n")  # as a run killed while renaming would leave it
        raise KeyboardInterrupt

    monkeypatch.setattr(extract_module, "_publish", killed)
    corpus(inputs, TEXTS[:1])
    with pytest.raises(KeyboardInterrupt):
        extract([inputs], out, nlp=nlp)
    monkeypatch.setattr(extract_module, "_publish", original)
    corpus(inputs)
    extract([inputs], out, nlp=nlp)
    assert (out / "claims.csv").read_text() != "half\n"


def test_an_emptied_cache_publishes(nlp, published, tmp_path, monkeypatch):
    inputs, out = corpus(tmp_path / "in"), tmp_path / "out"
    extract([inputs], out, nlp=nlp)
    monkeypatch.setattr(extract_module, "pipeline_fingerprint", lambda *args, **kwargs: "another pipeline")
    result = extract([inputs], out, nlp=nlp)
    assert result.cache_invalidated and len(published) == 2


# -- the pieces ------------------------------------------------------------------------------------

def items(n: int, changed_at: int | None = None) -> list:
    found = []
    for i in range(n):
        text = f"text {i}" + (" changed" if i == changed_at else "")
        found.append(InputFailure(f"f{i}.txt", "empty") if i % 7 == 3 else Article(f"a{i}", "a.jsonl", text, text))
    return found


def published_run(inputs: list) -> PublishedRun:
    digest = InputsDigest()
    for item in inputs:
        digest.add(item)
    return PublishedRun(context="c", inputs=digest.hexdigest(), checkpoints=digest.checkpoints, count=digest.count,
                        outputs="o")


@pytest.mark.parametrize("now,expected", [
    (items(200), 171),                   # the same inputs: every article asked of the cache
    (items(200, changed_at=5), None),
    (items(200, changed_at=198), None),  # seen by the final digest
    (items(199), None),
    (items(201), None),
    (items(200)[::-1], None),
])
def test_read_unchanged(now, expected):
    assert read_unchanged(now, published_run(items(200)), lambda keys: set(keys)) == expected


def test_read_unchanged_stops_at_the_first_checkpoint_that_differs():
    read = []

    def reading(inputs):
        for item in inputs:
            read.append(item)
            yield item

    assert read_unchanged(reading(items(1000, changed_at=11)), published_run(items(1000)), set) is None
    assert len(read) == CHECKPOINT


def test_read_unchanged_needs_every_article_in_the_cache():
    inputs = items(100)
    assert read_unchanged(inputs, published_run(inputs), lambda keys: set(keys[1:])) is None


def test_published_run_round_trips_and_refuses_another_shape():
    run = published_run(items(10))
    run.failures = [(3, {"source_path": "f3.txt", "reason": "empty", "doc_id": None, "status": "failed"})]
    again = PublishedRun.from_json(run.to_json())
    assert again == run and again.failure_list() == [InputFailure("f3.txt", "empty")]
    assert PublishedRun.from_json('{"context": "c"}') is None
    assert PublishedRun.from_json("not json") is None


def test_outputs_digest_sees_files_not_reads(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text("a")
    (tmp_path / "claims.csv").write_text("x")
    (tmp_path / CACHE_DIR).mkdir()
    before = outputs_digest(tmp_path, [CACHE_DIR])
    (tmp_path / "claims.csv").read_text()
    (tmp_path / CACHE_DIR / "results.sqlite").write_text("changed")
    (tmp_path / ".claims.lock").write_text("")
    assert outputs_digest(tmp_path, [CACHE_DIR]) == before
    (tmp_path / "texts" / "a.txt").write_text("b")
    assert outputs_digest(tmp_path, [CACHE_DIR]) != before


def test_a_pipe_is_never_read_to_compare(tmp_path, monkeypatch):
    # a pipe reads once: comparing would leave nothing for the run itself
    pipe = tmp_path / "in.jsonl"
    os.mkfifo(pipe)

    def reading(*args, **kwargs):
        raise AssertionError("the inputs were read to compare them")

    monkeypatch.setattr(extract_module, "read_unchanged", reading)
    assert not extract_module._unchanged([pipe], None, tmp_path, tmp_path, None, "context", None, None, None)
