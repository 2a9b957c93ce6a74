"""pipeline/extract.py's own helpers (the whole run is tested in test_scale.py and tests/e2e)."""
from __future__ import annotations

import os

import pytest

from pipeline.extract import save_text


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
