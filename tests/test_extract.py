"""pipeline/extract.py's own helpers (the whole run is tested in test_scale.py and tests/e2e)."""
from __future__ import annotations

import os

import pytest

from pipeline.cache import article_key
from pipeline.extract import HELD_BATCHES, _results, save_text
from pipeline.processing import ArticleResult
from pipeline.records import Article, InputFailure


@pytest.mark.parametrize("published,text,linked", [
    (None, "Council spends £5m.\n", False),  # a new article: written
    ("Council spends £5m.\n", "Council spends £5m.\n", True),  # unchanged: the published copy, linked
    ("Council spends £5m.\n", "Council spends £6m.\n", False),  # changed: written anew
    ("Council spends £5m.\r\n", "Council spends £5m.\n", False),  # same words, other line ends: written
    ("Council spends £5m.", "Council spends £5m.\n", False),  # a prefix of the text is not the text
    ("", "", True),
])
def test_save_text_links_an_unchanged_copy_and_writes_the_rest(tmp_path, published, text, linked):
    folder, previous = tmp_path / "staging" / "texts", tmp_path / "out" / "texts"
    previous.mkdir(parents=True)
    if published is not None:
        (previous / "a.txt").write_bytes(published.encode("utf-8"))
    (tmp_path / "staging").mkdir()
    save_text(folder, previous, "a.txt", text)
    assert (folder / "a.txt").read_bytes() == text.encode("utf-8")
    if published is not None:
        assert os.path.samefile(folder / "a.txt", previous / "a.txt") is linked
        assert (previous / "a.txt").read_bytes() == published.encode("utf-8")  # never written through


def test_save_text_writes_when_the_published_copy_is_not_utf8(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.txt").write_bytes(b"\xff\xfe")
    save_text(tmp_path / "texts", tmp_path / "out", "a.txt", "x")
    assert (tmp_path / "texts" / "a.txt").read_text(encoding="utf-8") == "x"


class _Store:
    """A results cache holding every article but the `changed` ones."""

    def __init__(self, articles, changed):
        self.held = {article_key(a): f"cached {a.doc_id}" for a in articles if a.doc_id not in changed}
        self.put = []
        self.used = set()
        self.hits = self.misses = 0

    def present(self, keys):
        return {key for key in keys if key in self.held}

    def mark_used(self, keys):
        self.used.update(keys)

    def get_many(self, keys, count=True):
        return {key: self.held[key] for key in keys if key in self.held}

    @staticmethod
    def encode(result):
        return result  # the results are strings here

    def put_many(self, items):
        self.put.extend(result for _, result in items)


class _Runner:
    """Records the batches it is handed; an article's result is its doc_id."""

    def __init__(self):
        self.batches = []

    def map(self, batches):
        for batch in batches:
            self.batches.append([a.doc_id for a in batch])
            yield [f"made {a.doc_id}" for a in batch]


@pytest.mark.parametrize("count,changed,sizes", [
    (100, set(range(100)), [32, 32, 32, 4]),  # a first run: batches as the inputs come
    (3200, set(range(0, 3200, 25)), [32, 32, 32, 32]),  # one in 25 changed: a batch's worth together
    # one in 100: as many as HELD_BATCHES input batches (1,024 articles) hold
    (3200, set(range(0, 3200, 100)), [11, 10, 10, 1]),
    (3200, {5, 3000}, [1, 0, 1, 0]),  # far apart: each group ends after HELD_BATCHES input batches
    (64, set(), [0]),  # nothing changed: the runner still sees the group, empty
])
def test_changed_articles_reach_the_runner_together(count, changed, sizes):
    articles = [Article(f"a{n}", "news.jsonl", f"Text {n}.", f"Text {n}.") for n in range(count)]
    items = articles[:2] + [InputFailure("bad.txt", "unreadable")] + articles[2:]
    store, runner = _Store(articles, {f"a{n}" for n in changed}), _Runner()
    results = list(_results(iter(items), runner, store))
    expected = [item if isinstance(item, InputFailure) else
                (f"made {item.doc_id}" if int(item.doc_id[1:]) in changed else f"cached {item.doc_id}") for item in items]
    assert results == expected  # every input, in input order
    assert [len(batch) for batch in runner.batches] == sizes
    assert HELD_BATCHES == 32  # the sizes above assume it
    assert store.put == [f"made a{n}" for n in sorted(changed)]
    assert (store.hits, store.misses) == (count - len(changed), len(changed))  # counted per article
    assert store.used == {article_key(a) for a in articles}  # every key kept through prune


class _PieceRunner:
    """Records the batches it is handed; a result names its doc and where its text starts."""

    def __init__(self):
        self.batches = []

    def map(self, batches):
        for batch in batches:
            self.batches.append([len(a.text) for a in batch])
            yield [ArticleResult(a.doc_id, a.source_path, rows=[{"at": a.text_offset}]) for a in batch]


def test_a_long_article_reaches_the_runner_a_piece_at_a_time(monkeypatch):
    import pipeline.processing

    monkeypatch.setattr(pipeline.processing, "MAX_PIECE_CHARS", 100)
    long_text = "\n\n".join(f"Paragraph {n} holds 12 words of text about the council budget." for n in range(20))
    articles = [Article("short", "a.jsonl:1", "Short one.", "Short one."),
                Article("long", "a.jsonl:2", long_text, long_text),
                Article("after", "a.jsonl:3", "After it.", "After it.")]
    runner = _PieceRunner()
    results = list(_results(iter(articles), runner, None))
    assert all(sum(batch) <= 100 for batch in runner.batches)  # a batch never holds more than a piece's worth
    long = [r for r in results if r.doc_id == "long"]
    assert len(long) > 5 and [r.piece for r in long] == list(range(len(long)))
    assert {r.pieces for r in long} == {len(long)}
    assert [r.rows[0]["at"] for r in long] == sorted(r.rows[0]["at"] for r in long)  # in text order
    assert [r.doc_id for r in results] == ["short"] + ["long"] * len(long) + ["after"]
