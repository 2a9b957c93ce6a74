"""Tests for pipeline/inputs.py: each input format, encodings, failures, duplicate ids and mojibake offsets."""
import json
import re
from pathlib import Path

import pytest

from pipeline.io.inputs import decode_bytes, InputError, iter_inputs, repair
from pipeline.records import Article, InputFailure

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "inputs"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def read(*paths: Path) -> list[Article | InputFailure]:
    return list(iter_inputs(list(paths)))


def articles(*paths: Path) -> dict[str, Article]:
    return {a.doc_id: a for a in read(*paths) if isinstance(a, Article)}


def failures(*paths: Path) -> dict[str, InputFailure]:
    return {f.source_path: f for f in read(*paths) if isinstance(f, InputFailure)}


# ---------------------------------------------------------------------------- folders and files


def test_folder_is_searched_recursively_for_known_suffixes():
    found = {item.source_path.split(":")[0].removeprefix(str(FIXTURES) + "/") for item in read(FIXTURES)}
    assert "nested/deeper/nested_article.txt" in found
    assert "article.html" in found and "articles.jsonl" in found and "articles.csv" in found
    assert "notes.md" not in found  # not an input suffix
    assert ".hidden/skipped.txt" not in found  # hidden folders skipped


def test_seeds_folder_reads_five_plain_utf8_articles():
    seeds = articles(SEEDS)
    assert len(seeds) == 5
    for doc_id, article in seeds.items():
        assert doc_id == Path(article.source_path).stem
        assert article.encoding == "utf-8"
        assert article.offset_map is None  # nothing to repair: no alignment cost
        assert article.text == article.original_text


@pytest.mark.parametrize("path,reason", [
    ("empty.txt", "empty file"),
    ("blank_lines.txt", "empty file"),
    ("binary.txt", "binary file"),
    ("no_such_file.txt", "no such file or folder"),
    ("notes.md", "unsupported file type '.md'"),
])
def test_unreadable_files_are_failures_naming_the_file(path, reason):
    [failure] = read(FIXTURES / path)
    assert isinstance(failure, InputFailure)
    assert failure.source_path == str(FIXTURES / path)
    assert reason in failure.reason and str(FIXTURES / path) in failure.reason


def test_single_file_argument():
    [article] = read(FIXTURES / "nested" / "deeper" / "nested_article.txt")
    assert article.doc_id == "nested_article" and article.text.startswith("Nested headline\n")


# ---------------------------------------------------------------------------- encodings


def test_windows_1252_file_gives_the_same_text_as_its_utf8_original():
    original = articles(FIXTURES / "windows" / "utf8_original.txt")["utf8_original"]
    copy = articles(FIXTURES / "windows" / "cp1252_copy.txt")["cp1252_copy"]
    assert copy.encoding == "cp1252" and original.encoding == "utf-8"
    assert copy.text == original.text
    assert "£12.5m" in copy.text and "council’s" in copy.text


@pytest.mark.parametrize("data,text,encoding", [
    ("Cost: £5".encode("utf-8"), "Cost: £5", "utf-8"),
    (b"\xef\xbb\xbfCost: \xc2\xa35", "Cost: £5", "utf-8"),  # BOM dropped
    ("The council’s £5m fund rose 3% to £5.2m.".encode("cp1252"), "The council’s £5m fund rose 3% to £5.2m.", "cp1252"),
    ("Cost: £5".encode("utf-16"), "Cost: £5", "utf-16"),
])
def test_decode_bytes(data, text, encoding):
    assert decode_bytes(data, "x.txt") == (text, encoding)


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \n\n", "empty file"),
    (b"PK\x03\x04\x00\x00zip", "NUL byte at 4"),
])
def test_decode_bytes_rejects(data, reason):
    with pytest.raises(InputError, match=reason):
        decode_bytes(data, "x.txt")


# ---------------------------------------------------------------------------- mojibake repair keeps citations


@pytest.mark.parametrize("original,repaired_span,original_span", [
    ("spent Â£69m on roads", "£69m", "Â£69m"),
    ("the childrenâ€™s services", "children’s", "childrenâ€™s"),
    ("a â‚¬200,000 grant", "€200,000", "â‚¬200,000"),
    ("Sinn FÃ©in said", "Féin", "FÃ©in"),
    ("between Â£110m-Â£160m a year", "£110m-£160m", "Â£110m-Â£160m"),
    ("a caf&#233; for &pound;5", "£5", "&pound;5"),
    ("Ã¢â‚¬Å“doubleÃ¢â‚¬\x9d encoded", "“double”", "Ã¢â‚¬Å“doubleÃ¢â‚¬\x9d"),
    ("costs Â\xa0£5 now", "£5", "£5"),  # the no-break space keeps the "Â"
])
def test_repaired_span_cites_the_original_span(original, repaired_span, original_span):
    text, offset_map = repair(original)
    assert offset_map is not None and len(offset_map) == len(text) + 1
    start = text.index(repaired_span)
    end = start + len(repaired_span)
    assert original[offset_map[start]:offset_map[end]] == original_span


@pytest.mark.parametrize("original", [
    "Plain ASCII, £5 and 12%.",
    "Curly quotes stay: the council’s “plan”",  # uncurl_quotes is off
    "No-break\xa0space and – dashes",
])
def test_clean_text_is_not_repaired(original):
    assert repair(original) == (original, None)


def test_offset_map_is_monotonic_and_covers_every_word():
    original = (FIXTURES / "mojibake.txt").read_text(encoding="utf-8")
    text, offset_map = repair(original)
    assert offset_map == sorted(offset_map) and offset_map[-1] == len(original)
    assert text == (FIXTURES / "windows" / "utf8_original.txt").read_text(encoding="utf-8")
    for word in re.finditer(r"\S+", text):
        cited = original[offset_map[word.start()]:offset_map[word.end()]]
        assert repair(cited)[0] == word.group()


def test_crlf_becomes_lf_with_offsets_into_the_file():
    article = articles(FIXTURES / "crlf.txt")["crlf"]
    assert "\r" not in article.text and "\r\n" in article.original_text
    start = article.text.index("£5m.")
    assert article.original_text[article.to_original(start):article.to_original(start + 3)] == "£5m"


def test_mojibake_article_has_the_same_text_as_the_clean_one():
    moji = articles(FIXTURES / "mojibake.txt")["mojibake"]
    clean = articles(FIXTURES / "windows" / "utf8_original.txt")["utf8_original"]
    assert moji.text == clean.text and moji.original_text != clean.original_text
    start = moji.text.index("£38")
    assert moji.original_text[moji.to_original(start):moji.to_original(start + 3)] == "Â£38"


# ---------------------------------------------------------------------------- JSONL


def test_jsonl_articles_fields_and_metadata():
    found = articles(FIXTURES / "articles.jsonl")
    a1 = found["a1"]
    assert a1.source_path == f"{FIXTURES / 'articles.jsonl'}:1"
    assert (a1.title, a1.published, a1.url, a1.source) == (
        "Council tax to rise 3%", "2021-02-01", "https://example.org/a1", "Example Gazette")
    assert a1.meta == {"section": "politics", "wordcount": "17"}
    assert found["a3"].text == "The council spent £69m on roads, up from £60m. That’s a record."
    assert found["articles-8"].source_path.endswith("articles.jsonl:8")  # no id: file stem + line


def test_malformed_jsonl_line_between_good_ones_is_reported_and_reading_goes_on():
    items = read(FIXTURES / "articles.jsonl")
    kinds = [(type(i).__name__, i.source_path.rsplit(":", 1)[1]) for i in items]
    assert kinds == [("Article", "1"), ("InputFailure", "2"), ("Article", "3"), ("InputFailure", "5"),
                     ("InputFailure", "6"), ("Article", "7"), ("Article", "8")]  # blank line 4 skipped
    reasons = {i.source_path.rsplit(":", 1)[1]: i.reason for i in items if isinstance(i, InputFailure)}
    assert "articles.jsonl:2: malformed JSON" in reasons["2"]
    assert "expected a JSON object" in reasons["5"]
    assert 'no "text"' in reasons["6"]


def test_duplicate_ids_are_made_unique_and_reported():
    found = articles(FIXTURES / "articles.jsonl")
    assert found["a1"].duplicate_of is None
    assert found["a1-2"].duplicate_of == "a1"
    assert found["a1-2"].text.endswith("£1m.")


def test_duplicates_across_files(tmp_path):
    for folder in ("x", "y", "z"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"Story {folder}\n\nBody 1.\n", encoding="utf-8")
    (tmp_path / "z" / "same-2.txt").write_text("Clash\n\nBody.\n", encoding="utf-8")
    ids = [a.doc_id for a in read(tmp_path)]
    # sorted walk: x/same, y/same, z/same-2.txt (taken by y), z/same
    assert ids == ["same", "same-2", "same-2-2", "same-3"]


def test_jsonl_is_streamed(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"id": f"n{i}", "text": f"Council {i} spent £{i}m."}) + "\n" for i in range(1000)))
    stream = iter_inputs([path])
    first = next(stream)
    assert first.doc_id == "n0"  # produced before the rest of the file is parsed
    assert sum(1 for _ in stream) == 999


def test_jsonl_line_in_another_encoding(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "ok", "text": "fine \xc2\xa35"}\n'
                     b'{"id": "win", "text": "caf\xe9 \xa35"}\n'  # Windows-1252 line: read, encoding recorded
                     b'{"id": "bad", "text": "\xff\x81"}\n'  # neither UTF-8 nor Windows-1252
                     + b'{"id": "ok2", "text": "fine too"}\n' * 3)
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "InputFailure", "Article", "Article", "Article"]
    assert (items[0].text, items[0].encoding) == ("fine £5", "utf-8")
    assert (items[1].text, items[1].encoding) == ("café £5", "cp1252")
    assert "mixed.jsonl:3: not utf-8 text (byte 0xff at column" in items[2].reason


# ---------------------------------------------------------------------------- CSV


def test_csv_rows_with_multiline_text_and_line_numbers():
    items = read(FIXTURES / "articles.csv")
    assert [(type(i).__name__, i.source_path.rsplit(":", 1)[1]) for i in items] == [
        ("Article", "2"), ("InputFailure", "7"), ("Article", "8"), ("InputFailure", "9")]
    first = items[0]
    assert first.doc_id == "news_001.txt" and first.meta == {"desk": "local", "id": "news/001.txt"}
    assert first.title == "Libraries saved" and first.source == "Example Echo"
    assert "£2m to keep 12 libraries" in first.text
    assert "7 fields" not in items[1].reason and "5 fields, header has 7" in items[1].reason
    assert 'empty "text"' in items[3].reason and items[3].doc_id == "004"
    assert items[2].text.endswith("saving £400,000.") and items[2].offset_map is not None


@pytest.mark.parametrize("content,reason", [
    ("id,body\n1,hello\n", 'no "text" column (columns: id, body)'),
    ("", "empty file"),
])
def test_csv_file_level_failures(tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    [failure] = read(path)
    assert isinstance(failure, InputFailure) and reason in failure.reason


def test_csv_in_windows_1252(tmp_path):
    path = tmp_path / "win.csv"
    path.write_bytes("id,text\nw1,The council’s £3m plan costs 4% more than the 2019 one.\n".encode("cp1252"))
    [article] = read(path)
    assert article.encoding == "cp1252" and "council’s £3m" in article.text


# ---------------------------------------------------------------------------- HTML


def test_html_main_text_and_metadata():
    article = articles(FIXTURES / "article.html")["article"]
    assert article.title == "Ambridge council to spend £4.5m on new care homes"
    assert article.published == "2021-03-04"
    assert article.url == "https://echo.example.org/news/ambridge-care-homes"
    assert article.author == "Jane Example"
    assert article.original_text.startswith(article.title + "\n")  # headline figures can be cited
    assert "save about £800,000 a year" in article.text
    for dropped in ("Advertisement", "Reader99", "potholes", "Copyright 2021", "Sport"):
        assert dropped not in article.text  # adverts, comments, footer, navigation


def test_html_without_article_text_is_a_failure(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    [failure] = read(path)
    assert isinstance(failure, InputFailure) and "no article text" in failure.reason


# ---------------------------------------------------------------------------- corpus


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus absent")
def test_corpus_files_read_without_failures_and_repairs_cite_back():
    items = read(CORPUS / "xsum_random1000.jsonl", CORPUS / "bbc_news.csv")
    assert not [i for i in items if isinstance(i, InputFailure)]
    assert len(items) == 1000 + 2225
    repaired = [a for a in items if a.offset_map is not None]
    assert len(repaired) >= 100  # XSum's "Â£" mojibake
    for article in repaired:
        for match in re.finditer(r"£[\d.,]+[mbn]*", article.text):
            cited = article.original_text[article.to_original(match.start()):article.to_original(match.end())]
            assert cited.endswith(match.group()) and cited.replace("Â", "") == match.group()
