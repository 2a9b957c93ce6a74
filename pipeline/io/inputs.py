"""Read input files (.txt/.html/.htm/.jsonl/.csv, or folders of them) and yield Article records or InputFailures."""
from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from pathlib import Path

import charset_normalizer
import ftfy

from pipeline.records import Article, InputFailure

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".csv": "csv"}
# Keys of a JSONL object / CSV column that fill Article fields; every other key goes to Article.meta.
KNOWN_KEYS = ("id", "text", "title", "published", "url", "source", "author")

# ftfy's defaults minus uncurl_quotes: genuine curly quotes are fine for spaCy, and straightening
# them would make nearly every clean text "repaired" (and the table's text differ from the input).
FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)

# Windows-1252 is by far the commonest non-UTF-8 encoding of English news text. charset-normalizer
# scores the Western code pages equally on short texts (cp1250 reads 0xA3 "£" as "Ł"), so among
# its near-best candidates cp1252 wins.
PREFERRED_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")
_CHAOS_TOLERANCE = 0.01
_SNIFF_BYTES = 1 << 20  # how much of a JSONL/CSV file decides its encoding
NUL = b"\x00"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


class InputError(Exception):
    """A whole input file cannot be read; the message names the file and the reason."""


# ---------------------------------------------------------------------------- entry point


def iter_inputs(paths: Iterable[Path]) -> Iterator[Article | InputFailure]:
    """Yield one Article per article found in `paths` (files or folders searched recursively),
    or an InputFailure for each file, line or row that cannot be read. Never raises for bad input."""
    seen_ids: dict[str, int] = {}
    for path in paths:
        for file in _expand(Path(path)):
            if isinstance(file, InputFailure):
                yield file
                continue
            for item in _read_file(file):
                if isinstance(item, Article):
                    _make_unique(item, seen_ids)
                yield item


def _expand(path: Path) -> Iterator[Path | InputFailure]:
    if path.is_dir():
        # Sorted for reproducible doc_id suffixes; hidden folders (.git, .ipynb_checkpoints) skipped.
        for file in sorted(path.rglob("*")):
            rel = file.relative_to(path).parts
            if file.is_file() and file.suffix.lower() in SUFFIXES and not any(p.startswith(".") for p in rel):
                yield file
    elif path.is_file():
        if path.suffix.lower() in SUFFIXES:
            yield path
        else:
            yield InputFailure(str(path), f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                                          f"expected one of {', '.join(sorted(SUFFIXES))}")
    else:
        yield InputFailure(str(path), f"{path}: no such file or folder")


def _read_file(path: Path) -> Iterator[Article | InputFailure]:
    kind = SUFFIXES[path.suffix.lower()]
    try:
        if kind == "txt":
            yield read_txt(path)
        elif kind == "html":
            yield read_html(path)
        elif kind == "jsonl":
            yield from read_jsonl(path)
        else:
            yield from read_csv(path)
    except InputError as err:
        yield InputFailure(str(path), str(err), doc_id=_safe_id(path.stem))
    except OSError as err:
        yield InputFailure(str(path), f"{path}: cannot read ({err.strerror or err})", doc_id=_safe_id(path.stem))


def _make_unique(article: Article, seen: dict[str, int]) -> None:
    base = article.doc_id
    if base not in seen:
        seen[base] = 1
        return
    n = seen[base]
    while True:
        n += 1
        candidate = f"{base}-{n}"
        if candidate not in seen:
            break
    seen[base] = n
    seen[candidate] = 1
    article.duplicate_of = base
    article.doc_id = candidate


def _safe_id(raw: str) -> str:
    # doc_id names outputs/texts/<doc_id>.txt, so it must be a plain file name ("business/001.txt" -> "business_001.txt").
    return _UNSAFE_ID_CHARS.sub("_", raw.strip()).strip("_") or "doc"


# ---------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes, where: str) -> tuple[str, str]:
    """Decode a whole file: UTF-8 first, else the encoding charset-normalizer detects. Returns (text, encoding)."""
    if not data.strip():
        raise InputError(f"{where}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            raise InputError(f"{where}: starts with a UTF-16 mark but is not UTF-16 ({err.reason})") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{where}: binary file, not text (NUL byte at {nul}); convert it to text first")
    try:
        return (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = detect_encoding(data)
    if encoding is None:
        raise InputError(f"{where}: binary file or unknown encoding; re-save it as UTF-8 text")
    text = data.decode(encoding, errors="replace")
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise InputError(f"{where}: binary file, not text ({controls} control characters)")
    return text, encoding


def detect_encoding(data: bytes) -> str | None:
    """The non-UTF-8 encoding of `data`, preferring Windows-1252 among equally good candidates."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        if match.encoding in PREFERRED_ENCODINGS and match.chaos <= best.chaos + _CHAOS_TOLERANCE:
            return match.encoding
    return best.encoding


# ---------------------------------------------------------------------------- repair


def repair(original: str) -> tuple[str, list[int] | None]:
    """ftfy-repair `original` (mojibake, HTML entities, CRLF); return (text, offset_map or None if unchanged).

    offset_map[i] is where text[i] starts in `original` (len(text)+1 entries), so a span [s, e) of
    the text cites original[offset_map[s]:offset_map[e]]: "£69m" cites "Â£69m".
    """
    fixed = ftfy.fix_text(original, config=FTFY_CONFIG)
    if fixed == original:
        return original, None  # the common case: nothing to align
    # ftfy fixes line by line, so align line by line: a change never crosses a line end
    # (except CRLF -> LF, which the alignment handles as a deletion).
    text_parts: list[str] = []
    offset_map: list[int] = []
    base = 0
    for line in original.splitlines(keepends=True):
        fixed_line = ftfy.fix_text(line, config=FTFY_CONFIG)
        text_parts.append(fixed_line)
        offset_map.extend(base + o for o in _align_line(line, fixed_line))
        base += len(line)
    offset_map.append(len(original))
    return "".join(text_parts), offset_map


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_CHUNK = re.compile(r"( +)")
_ASCII_SAFE = re.compile(r"[ -%'-~\t]*")  # printable ASCII without "&": ftfy leaves it alone


def _align_line(original: str, fixed: str) -> list[int]:
    """For each character of `fixed`, the offset in `original` where it starts (len(fixed) entries).

    ftfy's rewrites are short and sparse, so the line is cut at spaces and only the few chunks ftfy
    changes are aligned character by character. If fixing chunk by chunk does not give ftfy's own
    result for the line (a rewrite that spans a space, like "Â " for a no-break space), the whole
    line is aligned with difflib instead.
    """
    if original == fixed:
        return list(range(len(original)))
    result: list[int] = []
    chunks = _CHUNK.split(original)
    fixed_chunks = [c if _ASCII_SAFE.fullmatch(c) else ftfy.fix_text(c, config=FTFY_CONFIG) for c in chunks]
    if "".join(fixed_chunks) != fixed:
        return _align(original, fixed)
    base = 0
    for chunk, fixed_chunk in zip(chunks, fixed_chunks):
        if chunk == fixed_chunk:
            result.extend(range(base, base + len(chunk)))
        else:
            result.extend(base + o for o in _align(chunk, fixed_chunk))
        base += len(chunk)
    return result


def _align(original: str, fixed: str) -> list[int]:
    """difflib alignment: words first, then characters inside the changed stretches only."""
    a_tokens, b_tokens = _TOKEN.findall(original), _TOKEN.findall(fixed)
    a_starts = _starts(a_tokens)
    b_starts = _starts(b_tokens)
    result: list[int] = [0] * len(fixed)
    matcher = SequenceMatcher(None, a_tokens, b_tokens, autojunk=False)
    pending: int | None = None  # start of original characters deleted just before the next fixed character
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a0, a1 = a_starts[i1], a_starts[i2]
        b0, b1 = b_starts[j1], b_starts[j2]
        if op == "equal":
            pending = _fill(result, b0, b1, a0, a1, pending)
        else:
            pending = _align_chars(result, original, fixed, a0, a1, b0, b1, pending)
    return result


def _align_chars(result: list[int], a: str, b: str, a0: int, a1: int, b0: int, b1: int, pending: int | None) -> int | None:
    matcher = SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "delete":
            # Deleted characters (the "Â" of "Â£") belong to the character after them.
            pending = a0 + i1 if pending is None else pending
        else:
            pending = _fill(result, b0 + j1, b0 + j2, a0 + i1, a0 + i2, pending)
    return pending


def _fill(result: list[int], b0: int, b1: int, a0: int, a1: int, pending: int | None) -> int | None:
    """Map fixed[b0:b1] onto original[a0:a1] (equal or replaced stretches); returns the new pending."""
    if b0 == b1:  # a pure deletion in a token-level replace
        return a0 if pending is None else pending
    n_b, n_a = b1 - b0, a1 - a0
    for k in range(n_b):
        result[b0 + k] = a0 + (k * n_a) // n_b
    if pending is not None:
        result[b0] = pending
    return None


def _starts(tokens: list[str]) -> list[int]:
    starts = [0]
    for token in tokens:
        starts.append(starts[-1] + len(token))
    return starts


def make_article(original: str, *, doc_id: str, source_path: str, **fields: object) -> Article:
    """An Article whose text is the ftfy repair of `original`, with the offset map back to it."""
    text, offset_map = repair(original)
    return Article(doc_id=doc_id, source_path=source_path, original_text=original, text=text,
                   offset_map=offset_map, **fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- formats


def read_txt(path: Path) -> Article:
    """One article per file; doc_id is the file stem."""
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    return make_article(text, doc_id=_safe_id(path.stem), source_path=str(path), encoding=encoding)


def read_html(path: Path) -> Article:
    """Main text and metadata by trafilatura (navigation, adverts and comments dropped).

    The extracted text is the article's original_text (saved with the outputs for citations); the
    title is put on its first line when trafilatura left it out, so headline figures can be cited too.
    """
    import trafilatura  # slow import; only HTML needs it

    html, encoding = decode_bytes(path.read_bytes(), str(path))
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True,
        # Publication dates from the page's markup only: a date guessed from the body text would be
        # presented as metadata.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    # On a page without an article trafilatura falls back to menu items ("Home\nNews"): a page
    # whose longest line is under four words has no article to read.
    if max((len(line.split()) for line in body.splitlines()), default=0) < 4:
        raise InputError(f"{path}: no article text found in the HTML (extracted only {body[:40]!r})")
    title = (document.title or "").strip() or None
    if title and body.splitlines()[0].strip() != title:
        body = f"{title}\n\n{body}"
    return make_article(body + "\n", doc_id=_safe_id(path.stem), source_path=str(path), encoding=encoding,
                        title=title, published=document.date or None, url=document.url or None,
                        author=document.author or None, source=document.sitename or None)


def read_jsonl(path: Path) -> Iterator[Article | InputFailure]:
    """One JSON object per line, streamed; a bad line is a failure naming the line, then reading goes on."""
    encoding = _sniff_encoding(path)
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            where = f"{path}:{line_no}"
            if not raw.strip():
                continue
            try:
                line, line_encoding = _decode_line(raw, encoding)
            except UnicodeDecodeError as err:
                yield InputFailure(where, f"{where}: not {encoding} text (byte 0x{raw[err.start]:02x} at column {err.start + 1})")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield InputFailure(where, f"{where}: malformed JSON ({err.msg.removesuffix(' at')}, column {err.colno})")
                continue
            if not isinstance(record, dict):
                yield InputFailure(where, f"{where}: expected a JSON object with a \"text\" key, got {type(record).__name__}")
                continue
            yield _record_article(record, path, line_no, line_encoding)


def _decode_line(raw: bytes, encoding: str) -> tuple[str, str]:
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise
    # Files concatenated from several scrapes mix encodings: a line that is not UTF-8 in a UTF-8
    # file is read as Windows-1252 (recorded on its Article) rather than lost.
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    return raw.decode(encoding), encoding  # raises the UTF-8 error, which names the byte


def read_csv(path: Path) -> Iterator[Article | InputFailure]:
    """One article per row (header row required, with a "text" column), streamed; bad rows are failures."""
    _raise_csv_field_limit()
    encoding = _sniff_encoding(path)
    with path.open("r", encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty file") from None
        except (csv.Error, UnicodeDecodeError) as err:
            raise InputError(f"{path}:1: unreadable header row ({err})") from None
        header = [name.strip() for name in header]
        if "text" not in header:
            raise InputError(f"{path}: no \"text\" column (columns: {', '.join(header)})")
        line_no = reader.line_num + 1  # where the next row starts (fields may span lines)
        while True:
            where = f"{path}:{line_no}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield InputFailure(where, f"{where}: malformed CSV row ({err})")
                line_no = reader.line_num + 1
                continue
            except UnicodeDecodeError as err:
                yield InputFailure(where, f"{where}: not {encoding} text ({err.reason}); rest of file skipped")
                return
            start, line_no = line_no, reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield InputFailure(where, f"{where}: {len(row)} fields, header has {len(header)}")
                continue
            yield _record_article(dict(zip(header, row)), path, start, encoding)


def _record_article(record: dict, path: Path, line_no: int, encoding: str) -> Article | InputFailure:
    where = f"{path}:{line_no}"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        problem = "no \"text\"" if text is None else "empty \"text\"" if isinstance(text, str) else f"\"text\" is {type(text).__name__}"
        return InputFailure(where, f"{where}: {problem}", doc_id=_field(record.get("id")))
    raw_id = _field(record.get("id"))
    doc_id = _safe_id(raw_id) if raw_id else f"{_safe_id(path.stem)}-{line_no}"
    meta = {str(k): _field(v) or "" for k, v in record.items() if k not in KNOWN_KEYS}
    if raw_id and raw_id != doc_id:
        meta["id"] = raw_id  # keep the researcher's own id when it had to be made a file name
    return make_article(
        text, doc_id=doc_id, source_path=where, encoding=encoding, meta=meta,
        title=_field(record.get("title")), published=_field(record.get("published")),
        url=_field(record.get("url")), source=_field(record.get("source")), author=_field(record.get("author")),
    )


def _field(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _sniff_encoding(path: Path) -> str:
    """Encoding of a line-oriented file, decided on its first megabyte (the file is never read whole)."""
    with path.open("rb") as handle:
        sample = handle.read(_SNIFF_BYTES)
        at_end = not handle.read(1)
    if not sample.strip():
        raise InputError(f"{path}: empty file")
    if b"\x00" in sample:
        raise InputError(f"{path}: binary file, not text (NUL byte at {sample.find(NUL)})")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        # A multi-byte character cut by the sample's end is not an error.
        if not at_end and err.start >= len(sample) - 3 and err.reason == "unexpected end of data":
            return "utf-8"
    # A line with valid multi-byte UTF-8 almost never happens by chance in a legacy encoding: the
    # file is UTF-8 with some lines in another encoding (handled line by line).
    for raw in sample.splitlines():
        if not raw.isascii():
            try:
                raw.decode("utf-8")
                return "utf-8"
            except UnicodeDecodeError:
                continue
    encoding = detect_encoding(sample)
    if encoding is None:
        raise InputError(f"{path}: binary file or unknown encoding; re-save it as UTF-8 text")
    return encoding


def _raise_csv_field_limit() -> None:
    # Articles are longer than the csv module's 128 KB default field limit.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10
