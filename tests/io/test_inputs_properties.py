"""Property tests for pipeline/io/inputs.py (hypothesis): whatever bytes or text a file holds, reading
it raises nothing, accounts for every input, and gives offsets that index the source.

The budget is HYPOTHESIS_EXAMPLES examples per test (200 by default, derandomized so the suite is
repeatable and fast); `make fuzz` runs these tests (marker `fuzz`) with a large budget.
"""
import json
import os
import tempfile
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252", the codec mojibake comes from
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.io.inputs import SUFFIXES, count_inputs, iter_inputs, repair
from pipeline.records import Article, InputFailure

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "200"))
budget = settings(max_examples=EXAMPLES, derandomize=EXAMPLES <= 1000, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])

FORMATS = [".txt", ".jsonl", ".csv"]
# Text that news files hold, and the pieces that break readers: quotes, commas, newlines, BOMs,
# NULs, lone surrogates, mojibake, entities.
TRICKY = ["£5m", "Â£69m", "â€™", "FÃ©in", "&#163;", "&pound;", "\r\n", "\n", "\r", "\"", ",", "{", "}",
          "\ufeff", "\x00", "\x1a", "\u2028", "é", "—", "\ud800", "text", "id", "title"]
texts = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(TRICKY)), max_size=25).map("".join)
raw_bytes = st.one_of(
    st.binary(max_size=400),
    st.tuples(texts, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "utf-8-sig"]))
    .map(lambda pair: pair[0].encode(pair[1], errors="replace") if pair[1] != "utf-8" else
         pair[0].encode("utf-8", errors="surrogatepass")),
)


def read_one(data: bytes, suffix: str) -> tuple[Path, list[Article | InputFailure], int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(iter_inputs([path]))
        return path, items, count_inputs([path])


def check_article(article: Article) -> None:
    """Offsets index the source: offset_map maps every text index into original_text, in order."""
    text, original, offsets = article.text, article.original_text, article.offset_map
    if offsets is None:
        assert text == original
    else:
        assert len(offsets) == len(text) + 1
        assert offsets[-1] == len(original) and offsets[0] >= 0
        assert all(a <= b for a, b in zip(offsets, offsets[1:]))
    assert repair(original) == (text, offsets)  # the same text and map each time
    assert article.doc_id and len(article.doc_id) <= 100 and not article.doc_id.startswith(".")
    article.doc_id.encode("ascii")  # a file name on any system


@budget
@given(data=raw_bytes, suffix=st.sampled_from(FORMATS))
def test_any_bytes_give_articles_or_failures(data, suffix):
    path, items, counted = read_one(data, suffix)
    assert items, "every input is accounted for"
    for item in items:
        assert isinstance(item, (Article, InputFailure))
        assert item.source_path == str(path) or item.source_path.startswith(f"{path}:")
        if isinstance(item, Article):
            check_article(item)
        else:
            assert str(path) in item.reason and item.status == "failed"
    assert counted == len(items)


record_values = st.one_of(texts, st.none(), st.integers(), st.lists(st.integers(), max_size=2))
records = st.lists(st.one_of(st.dictionaries(st.sampled_from(["id", "title", "text", "published", "x"]), record_values),
                             st.integers(), texts), min_size=1, max_size=6)


@budget
@given(rows=records)
def test_every_jsonl_line_is_one_article_or_one_failure(rows):
    lines = [json.dumps(row, ensure_ascii=False) if not isinstance(row, str) else row for row in rows]
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    path, items, counted = read_one(data, ".jsonl")
    assert len(items) == counted
    if len(items) == 1 and items[0].source_path == str(path):
        assert isinstance(items[0], InputFailure)  # the file as a whole: empty, or binary (a NUL byte)
    else:
        body = data.removeprefix(b"\xef\xbb\xbf")  # a leading BOM marks the encoding; it is no line of its own
        assert len(items) == sum(1 for line in body.split(b"\n") if line.strip())
    for item in items:
        if isinstance(item, Article):
            check_article(item)


@budget
@given(rows=st.lists(st.tuples(texts, texts, texts), min_size=1, max_size=5))
def test_csv_rows_written_by_the_csv_module_read_back(rows):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "title", "text"])
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8", errors="surrogatepass")
    _, items, counted = read_one(data, ".csv")
    assert counted == len(items) >= 1
    for item in items:
        if isinstance(item, Article):
            check_article(item)


WORDS = ["council", "spent", "£5m", "€200,000", "children’s", "Féin", "café", "“plan”", "—", "3%", "on", "roads", "\n"]


@budget
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), broken=st.sets(st.integers(0, 29)))
def test_repaired_words_cite_their_mojibake(words, broken):
    """Words encoded as UTF-8 and read as Windows-1252 ("Â£5m") are repaired, and each cites its broken form."""
    clean = " ".join(words)
    original = " ".join(w.encode("utf-8").decode("sloppy-windows-1252") if i in broken else w
                        for i, w in enumerate(words))
    text, offsets = repair(original)
    if offsets is None:
        assert text == original
        return
    assert text == clean
    start = 0
    for word in clean.split(" "):
        end = start + len(word)
        cited = original[offsets[start]:offsets[end]]
        assert repair(cited)[0].strip() == word.strip()
        start = end + 1


names = st.text(alphabet="abcXY _-.é", min_size=1, max_size=6)
suffixes = st.sampled_from(sorted(SUFFIXES) + [".md", ".TXT", ""])
trees = st.dictionaries(st.tuples(st.lists(names, max_size=2).map(tuple), names, suffixes), raw_bytes, max_size=6)


@budget
@given(tree=trees)
def test_every_file_in_a_folder_is_accounted_for(tree):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        root.mkdir()
        written = set()
        for (parts, stem, suffix), data in tree.items():
            path = root.joinpath(*parts, stem + suffix)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            except (IsADirectoryError, FileExistsError, NotADirectoryError):
                continue  # a name already taken by a folder, or a file where a folder goes
            written.add(path)
        items = list(iter_inputs([root]))
        assert count_inputs([root]) == len(items)
        sources = {Path(item.source_path.split(":")[0]) for item in items}
        hidden = {p for p in written if any(part.startswith(".") for part in p.relative_to(root).parts)}
        assert written - hidden <= sources
        assert not sources & hidden
        ids = [item.doc_id for item in items if isinstance(item, Article)]
        assert len(ids) == len(set(ids))  # never two articles with one doc_id
        for item in items:
            if isinstance(item, Article):
                check_article(item)
