"""Tests for pipeline/io/inputs.py: formats, encodings, doc_ids, folders, failures and skips, column
options, duplicates, counting, and mojibake offsets."""
import codecs
import json
import os
import re
import threading
from datetime import date
from pathlib import Path

import pytest

from pipeline.io import inputs as inputs_module
from pipeline.io.inputs import (
    MAX_ID_LENGTH, OUTPUT_MARKER, InputError, InputOptions, count_inputs, decode_bytes, iter_inputs,
    parse_published, repair, write_output_marker,
)
from pipeline.io.structure import segment
from pipeline.records import Article, InputFailure

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures" / "inputs"
SEEDS = TESTS.parent / "seeds"
CORPUS = TESTS.parent / ".." / "shared" / "corpus"

ARTICLE = "Headline of a story\n\nThe district council set aside £{n}m for {n} new homes.\n"


def read(*paths: Path, options: InputOptions | None = None) -> list[Article | InputFailure]:
    return list(iter_inputs(list(paths), options))


def articles(*paths: Path, options: InputOptions | None = None) -> dict[str, Article]:
    return {a.doc_id: a for a in read(*paths, options=options) if isinstance(a, Article)}


def failures(*paths: Path) -> dict[str, InputFailure]:
    return {f.source_path: f for f in read(*paths) if isinstance(f, InputFailure)}


def layout(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` ({relative path: content}) under root; returns root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# ---------------------------------------------------------------------------- folders and files


def test_folder_is_searched_recursively_for_known_suffixes():
    found = {item.source_path.split(":")[0].removeprefix(str(FIXTURES) + "/"): item for item in read(FIXTURES)}
    assert isinstance(found["nested/deeper/nested_article.txt"], Article)
    assert {"article.html", "articles.jsonl", "articles.csv"} <= set(found)
    assert found["notes.md"].status == "skipped"  # not an input suffix: reported, not read
    assert ".hidden/skipped.txt" not in found  # hidden folders are passed over silently


def test_seeds_folder_reads_five_plain_utf8_articles():
    seeds = articles(SEEDS)
    assert len(seeds) == 5
    for doc_id, article in seeds.items():
        assert doc_id == Path(article.source_path).stem  # so review decisions on the seeds survive
        assert article.encoding == "utf-8"
        assert article.offset_map is None  # nothing to repair: no alignment cost
        assert article.text == article.original_text


@pytest.mark.parametrize("path,reason,fix", [
    ("empty.txt", "empty file", "remove it"),
    ("blank_lines.txt", "empty file", "remove it"),
    ("binary.txt", "binary file", "convert it to text"),
    ("no_such_file.txt", "no such file or folder", "check the path"),
    ("notes.md", "unsupported file type '.md'", "renamed to .txt"),
])
def test_unreadable_files_are_failures_naming_the_file_and_the_fix(path, reason, fix):
    [failure] = read(FIXTURES / path)
    assert isinstance(failure, InputFailure) and failure.status == "failed"  # named directly: failed
    assert failure.source_path == str(FIXTURES / path)
    assert reason in failure.reason and str(FIXTURES / path) in failure.reason and fix in failure.reason


def test_single_file_argument():
    [article] = read(FIXTURES / "nested" / "deeper" / "nested_article.txt")
    assert article.doc_id == "nested_article" and article.text.startswith("Nested headline\n")


# ---------------------------------------------------------------------------- doc_id


@pytest.mark.parametrize("files,root,expected", [
    (["000_x.txt", "001_y.txt"], "", {"000_x", "001_y"}),  # a flat folder: the stem, as before
    (["a/report.txt", "b/report.txt"], "", {"a_report", "b_report"}),
    (["b/report.txt"], "", {"b_report"}),  # the same id without a/report.txt in the run
    (["b/report.txt"], "b", {"report"}),  # relative to the folder named on the command line
    (["b/report.txt"], "b/report.txt", {"report"}),  # a file named directly: its stem
    (["x/y/z/deep.html.txt"], "", {"x_y_z_deep.html"}),
    (["x/2021 news.txt"], "", {"x_2021_news"}),
])
def test_doc_id_is_the_path_under_the_root(tmp_path, files, root, expected):
    layout(tmp_path, {name: ARTICLE.format(n=k) for k, name in enumerate(files)})
    assert set(articles(tmp_path / root)) == expected


def test_doc_id_does_not_depend_on_other_files(tmp_path):
    layout(tmp_path, {"b/report.txt": ARTICLE.format(n=1)})
    before = articles(tmp_path)
    layout(tmp_path, {"a/report.txt": ARTICLE.format(n=2), "a/b/report.txt": ARTICLE.format(n=3)})
    after = articles(tmp_path)
    assert set(before) == {"b_report"} and set(after) == {"a_report", "a_b_report", "b_report"}
    assert after["b_report"].text == before["b_report"].text


def test_jsonl_rows_keep_their_ids_and_line_ids_follow_the_file_path(tmp_path):
    rows = [{"id": "r1", "text": "Council spent £1m."}, {"text": "Council spent £2m."}]
    layout(tmp_path, {"sub/feed.jsonl": "".join(json.dumps(r) + "\n" for r in rows)})
    assert set(articles(tmp_path)) == {"r1", "sub_feed-2"}
    assert set(articles(tmp_path / "sub" / "feed.jsonl")) == {"r1", "feed-2"}


def test_true_clashes_get_a_suffix_and_id_clash_of(tmp_path):
    layout(tmp_path, {"one/a.txt": ARTICLE.format(n=1), "two/a.txt": ARTICLE.format(n=2)})
    found = read(tmp_path / "one", tmp_path / "two")  # two roots that both hold a.txt
    assert [(a.doc_id, a.id_clash_of) for a in found] == [("a", None), ("a-2", "a")]


def test_repeated_jsonl_ids_are_made_unique_and_reported():
    found = articles(FIXTURES / "articles.jsonl")
    assert found["a1"].id_clash_of is None
    assert found["a1-2"].id_clash_of == "a1" and found["a1-2"].duplicate_of is None  # same id, other text
    assert found["a1-2"].text.endswith("£1m.")


def test_clash_suffix_never_takes_an_existing_id(tmp_path):
    for folder in ("x", "y", "z"):
        layout(tmp_path, {f"{folder}/same.txt": f"Story {folder}\n\nBody 1.\n"})
    layout(tmp_path, {"z/same-2.txt": "Clash\n\nBody.\n"})
    ids = [a.doc_id for a in read(tmp_path / "x", tmp_path / "y", tmp_path / "z")]
    # x/same, y/same, z/same-2.txt (taken by y), z/same
    assert ids == ["same", "same-2", "same-2-2", "same-3"]


@pytest.mark.parametrize("raw,expected", [
    ("a1", "a1"),
    ("news/001.txt", "news_001.txt"),
    ("  spaced id  ", "spaced_id"),
    (".hidden", "hidden"),  # never a hidden file name in outputs/texts/
    ("__x__", "x"),
    ("x" * MAX_ID_LENGTH, "x" * MAX_ID_LENGTH),
])
def test_safe_id(raw, expected):
    assert inputs_module._safe_id(raw) == expected


@pytest.mark.parametrize("raw", ["y" * 250, "z" * 4000, "/".join(["folder"] * 60), "é" * 300])
def test_long_ids_are_cut_with_a_hash(raw):
    doc_id = inputs_module._safe_id(raw)
    assert len(doc_id) <= MAX_ID_LENGTH and re.search(r"-[0-9a-f]{10}$", doc_id)
    assert inputs_module._safe_id(raw + "!") != doc_id  # two long ids sharing a beginning stay apart


def test_long_row_id_names_a_file_and_keeps_the_full_id_in_meta(tmp_path):
    long_id = "https://example.org/" + "section/" * 40 + "story"
    path = layout(tmp_path, {"feed.jsonl": json.dumps({"id": long_id, "text": "Council spent £3m."}) + "\n"})
    [article] = read(path / "feed.jsonl")
    assert article.meta["id"] == long_id
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / f"{article.doc_id}.txt").write_text(article.original_text)  # "File name too long" before


@pytest.mark.parametrize("raw", ["日本語", "———"])
def test_ids_without_a_usable_character_are_hashed_not_numbered(raw):
    assert re.fullmatch(r"doc-[0-9a-f]{10}", inputs_module._safe_id(raw))
    assert inputs_module._safe_id(raw) != inputs_module._safe_id(raw + "x")


# ---------------------------------------------------------------------------- what a folder holds


def test_symlinked_folder_is_followed_once(tmp_path):
    outside = layout(tmp_path / "outside", {"story.txt": ARTICLE.format(n=4)})
    root = layout(tmp_path / "root", {"own/a.txt": ARTICLE.format(n=5)})
    (root / "linked").symlink_to(outside)
    (root / "more").symlink_to(outside)  # a second way into the same folder: the first in name order wins
    (root / "own" / "loop").symlink_to(root)  # a loop
    items = read(root)
    assert {a.doc_id for a in items if isinstance(a, Article)} == {"linked_story", "own_a"}
    skipped = {Path(f.source_path).name: f for f in items if isinstance(f, InputFailure)}
    assert set(skipped) == {"more", "loop"}
    assert all(f.status == "skipped" and "not followed" in f.reason for f in skipped.values())


def test_fifo_is_skipped_without_blocking(tmp_path):
    root = layout(tmp_path, {"a.txt": ARTICLE.format(n=6)})
    os.mkfifo(root / "pipe.txt")
    result: list = []
    reader = threading.Thread(target=lambda: result.extend(read(root)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a folder with a FIFO blocked"
    [fifo] = [f for f in result if isinstance(f, InputFailure)]
    assert fifo.status == "skipped" and "named pipe (FIFO)" in fifo.reason and fifo.source_path.endswith("pipe.txt")
    [direct] = read(root / "pipe.txt")  # named on the command line: failed, still without opening it
    assert direct.status == "failed" and "named pipe" in direct.reason


@pytest.mark.parametrize("name,target,status,reason", [
    ("null.txt", "/dev/null", "skipped", "a character device, not a file"),
    ("gone.txt", "no-such-target.txt", "failed", "broken symbolic link (to no-such-target.txt); fix its target or remove the link"),
    ("self.txt", "self.txt", "failed", "symbolic link loop"),
])
def test_links_to_what_is_not_a_file_are_reported(tmp_path, name, target, status, reason):
    root = layout(tmp_path / "root", {"a.txt": ARTICLE.format(n=7)})
    (root / name).symlink_to(target)
    [failure] = [f for f in read(root) if isinstance(f, InputFailure)]
    assert (failure.source_path, failure.status) == (str(root / name), status)
    assert reason in failure.reason


def test_unreadable_folder_and_file_say_permission_denied(tmp_path, monkeypatch):
    root = layout(tmp_path, {"locked/a.txt": ARTICLE.format(n=8), "secret.txt": ARTICLE.format(n=9), "ok.txt": "Fine.\n"})
    real_scandir, real_read_bytes = os.scandir, Path.read_bytes

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def read_bytes(self):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(inputs_module.os, "scandir", scandir)  # the tests run as root: chmod would not stop it
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    found = failures(root)
    assert set(found) == {str(root / "locked"), str(root / "secret.txt")}
    assert "permission denied; make the folder readable (chmod a+rx)" in found[str(root / "locked")].reason
    assert "permission denied; make the file readable (chmod a+r)" in found[str(root / "secret.txt")].reason
    assert all(f.status == "failed" for f in found.values())


@pytest.mark.parametrize("outputs", [
    {OUTPUT_MARKER: "{}"},  # written by extract
    {"claims.csv": "claim_id,text\nx,£1m\n", "articles.csv": "doc_id\n", "errors.csv": "source_path\n"},  # older runs
])
def test_output_folder_inside_the_input_folder_is_skipped(tmp_path, outputs):
    root = layout(tmp_path, {"story.txt": ARTICLE.format(n=10), "texts/story.txt": ARTICLE.format(n=10)})
    layout(root / "outputs", {**outputs, "texts/story.txt": ARTICLE.format(n=10)})
    items = read(root)
    [skipped] = [f for f in items if isinstance(f, InputFailure)]
    assert skipped.source_path == str(root / "outputs") and skipped.status == "skipped"
    assert "a claims output folder" in skipped.reason
    assert {a.doc_id for a in items if isinstance(a, Article)} == {"story", "texts_story"}
    [named] = read(root / "outputs")  # an output folder named as the input: failed, with the fix
    assert named.status == "failed" and "give the folder the articles are in" in named.reason


def test_output_marker_is_small_json(tmp_path):
    marker = write_output_marker(tmp_path)
    assert marker.name == OUTPUT_MARKER
    assert set(json.loads(marker.read_text())) == {"tool", "version", "written_at"}


@pytest.mark.parametrize("files,reason", [
    ({}, "no .csv, .htm, .html, .jsonl, .txt file in this folder; put the articles there"),
    ({".git/HEAD.txt": "x"}, "hidden files and folders are not read"),
    ({"notes.md": "x", "data.xlsx": b"PK"}, "(2 other entries not read; each is listed with its reason)"),
])
def test_folder_with_nothing_to_read_is_one_failure(tmp_path, files, reason):
    root = layout(tmp_path / "corpus", files)
    root.mkdir(exist_ok=True)
    items = read(root)
    assert all(isinstance(i, InputFailure) for i in items)
    assert [i.status for i in items] == ["skipped"] * (len(items) - 1) + ["failed"]
    assert items[-1].source_path == str(root) and reason in items[-1].reason


def test_every_entry_is_accounted_for(tmp_path):
    root = layout(tmp_path, {"a.txt": ARTICLE.format(n=1), "b.md": "notes", "c/d.csv": "id,text\nd1,£1m spent.\n",
                             "c/e.bin": b"\x00", ".hidden.txt": "x", "f.jsonl": '{"text": "£2m"}\nnot json\n'})
    os.mkfifo(root / "g")
    sources = {item.source_path.rsplit(":", 1)[0] if item.source_path.endswith((":1", ":2")) else item.source_path
               for item in read(root)}
    entries = {str(p) for p in root.rglob("*") if p.is_file() or p.is_fifo()} - {str(root / ".hidden.txt")}
    assert sources == entries


# ---------------------------------------------------------------------------- messages


@pytest.mark.parametrize("files,name,fix", [
    ({"x.csv": "id,body\n1,hello\n"}, "x.csv", "name the column holding the article text with --text-column"),
    ({"x.csv": "id,text\n"}, "x.csv", "add rows below the header"),
    ({"x.csv": 'id,text\n1,"open quote\n'}, "x.csv:2", "fix the row's quoting"),
    ({"x.csv": "id,text\n1,a,b\n"}, "x.csv:2", "quote fields that hold commas"),
    ({"x.jsonl": "{bad\n"}, "x.jsonl:1", "fix the line (one JSON object per line)"),
    ({"x.jsonl": "[1]\n"}, "x.jsonl:1", "write one object per line"),
    ({"x.jsonl": '{"id": 1}\n'}, "x.jsonl:1", "every article needs its text under 'text'"),
    ({"x.jsonl": b'{"text": "\xc2\xa31m"}\n{"text": "\xff\x81"}\n'}, "x.jsonl:2", "re-save the file as UTF-8"),
    ({"x.html": "<html><body><nav>Home</nav></body></html>"}, "x.html", "save the article's own page"),
    ({"x.txt": b"\xff\xfeA\x00\x00\xd8"}, "x.txt", "re-save it as UTF-8"),  # a BOM, then a broken surrogate
])
def test_failure_messages_name_the_path_and_the_fix(tmp_path, files, name, fix):
    root = layout(tmp_path, files)
    [failure] = [f for f in read(root / next(iter(files))) if isinstance(f, InputFailure)]
    assert failure.reason.startswith(str(root / name) + ":"), failure.reason
    assert fix in failure.reason, failure.reason


# ---------------------------------------------------------------------------- encodings


def test_windows_1252_file_gives_the_same_text_as_its_utf8_original():
    original = articles(FIXTURES / "windows" / "utf8_original.txt")["utf8_original"]
    copy = articles(FIXTURES / "windows" / "cp1252_copy.txt")["cp1252_copy"]
    assert copy.encoding == "cp1252" and original.encoding == "utf-8"
    assert copy.text == original.text
    assert "£12.5m" in copy.text and "council’s" in copy.text


@pytest.mark.parametrize("data,text,encoding", [
    ("Cost: £5".encode("utf-8"), "Cost: £5", "utf-8"),
    (b"\xef\xbb\xbfCost: \xc2\xa35", "Cost: £5", "utf-8-sig"),  # BOM dropped; decoding the file so gives the text
    ("The council’s £5m fund rose 3% to £5.2m.".encode("cp1252"), "The council’s £5m fund rose 3% to £5.2m.", "cp1252"),
    ("Cost: £5".encode("utf-16"), "Cost: £5", "utf-16"),
    (codecs.BOM_UTF16_BE + "Cost: £5".encode("utf-16-be"), "Cost: £5", "utf-16"),
    ("Cost: £5".encode("utf-32"), "Cost: £5", "utf-32"),
])
def test_decode_bytes(data, text, encoding):
    assert decode_bytes(data, "x.txt") == (text, encoding)
    assert data.decode(encoding) == text  # offsets into the text are offsets into the file as decoded


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \n\n", "empty file"),
    (b"PK\x03\x04\x00\x00zip", "NUL byte at 4"),
    (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "empty file"),
    (codecs.BOM_UTF16_LE + "".join(map(chr, range(1, 9))).encode("utf-16-le") * 4, "control characters"),
])
def test_decode_bytes_rejects(data, reason):
    with pytest.raises(InputError, match=reason):
        decode_bytes(data, "x.txt")


ROWS = [{"id": "u1", "title": "Pay deal", "text": "Staff get 3% more, costing £4m."},
        {"id": "u2", "text": "Café rents rose to £1,200 a month."}]


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in rows)


def _csv(rows: list[dict]) -> str:
    return "id,title,text\r\n" + "".join(f'{r["id"]},{r.get("title", "")},"{r["text"]}"\r\n' for r in rows)


@pytest.mark.parametrize("suffix,make", [(".jsonl", _jsonl), (".csv", _csv)])
@pytest.mark.parametrize("codec,bom", [
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-8", codecs.BOM_UTF8), ("utf-32-le", codecs.BOM_UTF32_LE),
])
def test_jsonl_and_csv_with_a_byte_order_mark(tmp_path, suffix, make, codec, bom):
    path = tmp_path / f"feed{suffix}"
    path.write_bytes(bom + make(ROWS).encode(codec))
    found = read(path)
    assert [type(a).__name__ for a in found] == ["Article", "Article"], found
    assert found[0].text == "Pay deal\n\nStaff get 3% more, costing £4m."
    assert found[1].text == "Café rents rose to £1,200 a month."
    assert found[0].source_path.endswith(f"feed{suffix}:1" if suffix == ".jsonl" else f"feed{suffix}:2")
    assert found[1].source_path.endswith(f"feed{suffix}:2" if suffix == ".jsonl" else f"feed{suffix}:3")
    assert count_inputs([path]) == 2


def test_utf16_jsonl_is_streamed(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + _jsonl([{"id": f"n{i}", "text": f"Council {i} spent £{i}m."}
                                                   for i in range(3000)]).encode("utf-16-le"))
    stream = iter_inputs([path])
    assert next(stream).doc_id == "n0"
    assert sum(1 for _ in stream) == 2999


def test_utf16_jsonl_that_breaks_off_says_where(tmp_path):
    path = tmp_path / "cut.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + _jsonl(ROWS[:1]).encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    found = read(path)
    assert isinstance(found[0], Article)
    assert "cut.jsonl:2: not utf-16 text" in found[1].reason and "rest of file skipped" in found[1].reason


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


@pytest.mark.parametrize("original,changed", [
    # printable ASCII, tabs and newlines skip ftfy (nothing there for it to change) ...
    ("Plain text\twith a tab\nand 12% more.\n", False),
    ("It cost £5m, or £5.2m.", False),
    ("x”£y", True),  # other symbols still go to ftfy: it reads this pair as mojibake
    # ... but not an entity, a carriage return or a control character, which it does change
    ("Fish &amp; chips", True),
    ("Line one\r\nLine two", True),
    ("Bell\x07 here", True),
    ("Escape \x1b[31mred\x1b[0m", True),
])
def test_plain_ascii_fast_path_agrees_with_ftfy(original, changed):
    import ftfy

    from pipeline.io.inputs import FTFY_CONFIG

    assert (repair(original)[0] != original) == changed
    assert repair(original)[0] == ftfy.fix_text(original, config=FTFY_CONFIG)


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
    assert a1.original_text.startswith("Council tax to rise 3%\n\n")  # the title is searched too
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
    assert "no 'text'" in reasons["6"]


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
    assert [i.duplicate_of for i in items[3:]] == [None, "ok2", "ok2"]  # same text three times


# ---------------------------------------------------------------------------- CSV


def test_csv_rows_with_multiline_text_and_line_numbers():
    items = read(FIXTURES / "articles.csv")
    assert [(type(i).__name__, i.source_path.rsplit(":", 1)[1]) for i in items] == [
        ("Article", "2"), ("InputFailure", "7"), ("Article", "8"), ("InputFailure", "9")]
    first = items[0]
    assert first.doc_id == "news_001.txt" and first.meta == {"desk": "local", "id": "news/001.txt"}
    assert first.title == "Libraries saved" and first.source == "Example Echo"
    assert first.text.startswith("Libraries saved\n\nThe county")  # title already the first line: not repeated
    assert "£2m to keep 12 libraries" in first.text
    assert "7 fields" not in items[1].reason and "5 fields, header has 7" in items[1].reason
    assert "empty 'text'" in items[3].reason and items[3].doc_id == "004"
    assert items[2].text == "Bins\n\nBin collections will move to every 3 weeks, saving £400,000."
    assert items[2].offset_map is not None


@pytest.mark.parametrize("content,reason", [
    ("id,body\n1,hello\n", "no 'text' column (columns present: id, body)"),
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


# ---------------------------------------------------------------------------- column options and titles


RENAMED = InputOptions(text_column="body", id_column="key", title_column="headline", date_column="day")


@pytest.mark.parametrize("suffix,content", [
    (".csv", "key,headline,day,body,text\nk1,Rates up 4%,2019-03-01,Bills rise by £80.,not this\n"),
    (".jsonl", json.dumps({"key": "k1", "headline": "Rates up 4%", "day": "2019-03-01", "body": "Bills rise by £80.",
                           "text": "not this"}) + "\n"),
])
def test_named_columns_fill_the_article(tmp_path, suffix, content):
    path = tmp_path / f"feed{suffix}"
    path.write_text(content, encoding="utf-8")
    [article] = read(path, options=RENAMED)
    assert (article.doc_id, article.title, article.published) == ("k1", "Rates up 4%", "2019-03-01")
    assert article.text == "Rates up 4%\n\nBills rise by £80."
    assert article.meta == {"text": "not this"}  # a column nobody named is metadata


@pytest.mark.parametrize("suffix,content,listing", [
    (".csv", "id,headline,text\n1,T,Body £1m.\n", "columns present: id, headline, text"),
    (".jsonl", '{"id": 1, "headline": "T", "text": "Body £1m."}\n' * 3, "keys present: id, headline, text"),
])
def test_an_unknown_column_fails_the_file_once_listing_the_columns(tmp_path, suffix, content, listing):
    path = tmp_path / f"feed{suffix}"
    path.write_text(content, encoding="utf-8")
    found = read(path, options=InputOptions(title_column="heading", date_column="when"))
    assert len(found) == 1 and isinstance(found[0], InputFailure)
    assert "no 'heading' (--title-column) or 'when' (--date-column)" in found[0].reason
    assert listing in found[0].reason


@pytest.mark.parametrize("title,text,expected", [
    ("Tax up 5%", "Bills rise.", "Tax up 5%\n\nBills rise."),
    ("Tax up 5%", "Tax up 5%\n\nBills rise.", "Tax up 5%\n\nBills rise."),  # already the first line
    ("Tax up 5%", "\n  Tax  up 5%\nBills rise.", "\n  Tax  up 5%\nBills rise."),  # whitespace aside
    ("Tax\n up   5%", "Bills rise.", "Tax up 5%\n\nBills rise."),  # a title on one line
    ("Tax up 5%", "Tax up 5% as bills rise.", "Tax up 5%\n\nTax up 5% as bills rise."),  # a lede, not the title
    (None, "Bills rise.", "Bills rise."),
    ("  ", "Bills rise.", "Bills rise."),
])
def test_title_goes_on_the_first_line(title, text, expected):
    assert inputs_module.with_title(text, title) == expected


def test_title_line_is_the_headline_and_indexes_the_saved_text(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("id,title,text\nh1,Â£5m for parks,The council will spend the money by 2022.\n", encoding="utf-8")
    [article] = read(path)
    assert article.title == "£5m for parks"  # repaired like the text
    assert article.original_text.startswith("Â£5m for parks\n\n")
    start = article.text.index("£5m")
    assert article.original_text[article.to_original(start):article.to_original(start + 3)] == "Â£5m"
    first = segment(article.text, title=article.title)[0]
    assert (first.section, article.text[first.start:first.end].strip()) == ("headline", "£5m for parks")


@pytest.mark.parametrize("value,expected", [
    ("2021-03-04", date(2021, 3, 4)),
    (" 2000-02-29 ", date(2000, 2, 29)),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["2021-02-30", "04/03/2021", "20210304", "2021-3-4", "March 2021", ""])
def test_parse_published_rejects(value):
    with pytest.raises(InputError, match="not a date; give it as YYYY-MM-DD"):
        parse_published(value)


def test_published_option_is_given_to_every_article(tmp_path):
    layout(tmp_path, {"a.txt": ARTICLE.format(n=1), "b.jsonl": '{"text": "£1m", "published": "2019-01-02"}\n'})
    found = read(tmp_path, options=InputOptions(published=date(2020, 1, 1)))
    assert {a.published_default for a in found} == {date(2020, 1, 1)}  # the dater prefers the article's own
    assert [a.published for a in found] == [None, "2019-01-02"]


# ---------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize("first,second,duplicate", [
    ("Rates rise £5m.\n", "Rates rise £5m.\n", True),
    ("Rates rise £5m.\n", "  Rates  rise\n£5m. ", True),  # whitespace aside
    ("Rates rise Â£5m.\n", "Rates rise £5m.\n", True),  # the same text once repaired
    ("Rates rise £5m.\n", "Rates rise £6m.\n", False),
    ("Rates rise £5m.\n", "rates rise £5m.\n", False),
])
def test_duplicate_articles_by_text(tmp_path, first, second, duplicate):
    layout(tmp_path, {"a.txt": first, "b.txt": second})
    a, b = read(tmp_path)
    assert a.duplicate_of is None and b.duplicate_of == ("a" if duplicate else None)


def test_duplicate_with_another_headline_is_not_a_duplicate(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("id,title,text\nx,Rates rise,Body £5m.\ny,Rates go up,Body £5m.\nz,Rates rise,Body £5m.\n")
    assert [a.duplicate_of for a in read(path)] == [None, None, "x"]


# ---------------------------------------------------------------------------- counting for the progress bar


def test_count_inputs_matches_what_is_read(tmp_path):
    layout(tmp_path, {"a.txt": ARTICLE.format(n=1), "n.md": "x",
                      "rows.csv": 'id,text\n1,"one\n\nparagraph"\n\n2,two\n3,"three, quoted"\n',
                      "lines.jsonl": '{"text": "a"}\n\n{"text": "b"}\nnot json\n'})
    assert count_inputs([tmp_path]) == len(read(tmp_path)) == 1 + 1 + 3 + 3
    assert count_inputs([FIXTURES, SEEDS]) == len(read(FIXTURES, SEEDS))
    assert count_inputs([tmp_path / "missing"]) == 1


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
            assert repair(cited)[0] == match.group()  # XSum's "Â£5m", BBC titles' "&#163;5m"
    bbc = [a for a in items if "bbc_news.csv" in a.source_path]
    assert all(a.text.startswith(a.title + "\n\n") for a in bbc)  # the headline is searched too
    assert sum(1 for a in bbc if a.duplicate_of) == 100  # the same story, headline and all, filed twice
    assert count_inputs([CORPUS / "xsum_random1000.jsonl", CORPUS / "bbc_news.csv"]) == len(items)


@pytest.mark.parametrize("title,fixed", [
    ("Council spends £5m on roads", "Council spends £5m on roads"),  # plain: ftfy is not asked
    ("Council spends Â£5m on roads", "Council spends £5m on roads"),  # mojibake: repaired
    ("Fish &amp; chips", "Fish & chips"),  # an entity: left to ftfy
])
def test_titles_are_repaired_as_texts_are(title, fixed):
    from pipeline.io.inputs import fix_title

    assert fix_title(title) == fixed
