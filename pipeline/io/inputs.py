"""Read input files (.txt/.html/.htm/.jsonl/.csv, or folders of them) and yield Article records or
InputFailures. Every input found is accounted for: an Article, or an InputFailure that is `failed`
(could not be read) or `skipped` (found in a folder and deliberately not read, with the reason)."""
from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from difflib import SequenceMatcher
from pathlib import Path

import charset_normalizer
import ftfy

from pipeline.records import Article, InputFailure

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".csv": "csv"}
# JSONL keys / CSV columns that fill Article fields under fixed names; the text, id, title and date
# columns are named by InputOptions. Every other key goes to Article.meta.
FIXED_KEYS = ("url", "source", "author")

# extract writes this small JSON file (tool, version, written_at) into every output folder it writes;
# a folder holding it is skipped when reading, so outputs inside the input folder are never read as articles.
OUTPUT_MARKER = ".claims-output"
# An output folder written before the marker existed holds these three tables: skipped as well.
UNMARKED_OUTPUT_FILES = ("claims.csv", "articles.csv", "errors.csv")

# doc_id names outputs/texts/<doc_id>.txt, and file names stop at 255 bytes: longer ids are cut and
# given a hash of the full id (kept as meta_id), so two long ids that share a beginning stay apart.
MAX_ID_LENGTH = 100
_ID_HASH_LENGTH = 10

# ftfy's defaults minus uncurl_quotes: genuine curly quotes are fine for spaCy, and straightening
# them would make nearly every clean text "repaired" (and the table's text differ from the input).
FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)

# Windows-1252 is by far the commonest non-UTF-8 encoding of English news text. charset-normalizer
# scores the Western code pages equally on short texts (cp1250 reads 0xA3 "£" as "Ł"), so among
# its near-best candidates cp1252 wins.
PREFERRED_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")
# A byte-order mark decides the encoding. UTF-32's marks come first: UTF-32-LE's starts with UTF-16-LE's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_ENCODINGS = ("utf-16", "utf-32")  # newlines are not single bytes: such files are read as text
_CHAOS_TOLERANCE = 0.01
_SNIFF_BYTES = 1 << 20  # how much of a JSONL/CSV file decides its encoding
NUL = b"\x00"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_ID_EDGES = re.compile(r"^[._]+|_+$")  # no hidden file names (".x"), no dangling underscores
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_READABLE = ", ".join(sorted(SUFFIXES))


class InputError(Exception):
    """A whole input file cannot be read; the message names the file, the reason and the fix."""


def _empty(where: object) -> str:
    return f"{where}: empty file; nothing to read (remove it, or save the article text into it)"


@dataclass(frozen=True)
class InputOptions:
    """How to read JSONL/CSV inputs (which fields hold the text, id, title and date), and the run's
    publication date for articles that have none of their own (`claims extract --published`)."""

    text_column: str = "text"
    id_column: str = "id"
    title_column: str = "title"
    date_column: str = "published"
    published: date | None = None

    def renamed_columns(self) -> dict[str, str]:
        """{option: column} for the columns the user named: a file without one of them fails
        (a default column that is absent is simply empty)."""
        defaults = InputOptions()
        return {flag: getattr(self, name) for name, flag in _COLUMN_OPTIONS.items()
                if getattr(self, name) != getattr(defaults, name)}


_COLUMN_OPTIONS = {"text_column": "--text-column", "id_column": "--id-column",
                   "title_column": "--title-column", "date_column": "--date-column"}


def parse_published(value: str) -> date:
    """The --published date: YYYY-MM-DD, a real day, or an InputError saying how to write it."""
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(f"--published {value!r}: not a date; give it as YYYY-MM-DD, e.g. 2021-03-04")


def write_output_marker(out_dir: Path) -> Path:
    """Mark `out_dir` as a claims output folder (OUTPUT_MARKER), so no later run reads it as articles."""
    from pipeline import __version__

    path = out_dir / OUTPUT_MARKER
    stamp = {"tool": "council-claims", "version": __version__,
             "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path.write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- entry point


def iter_inputs(paths: Iterable[Path], options: InputOptions | None = None) -> Iterator[Article | InputFailure]:
    """Yield one Article per article found in `paths` (files, or folders searched recursively), and
    an InputFailure for each file, line, row or folder entry that is not read. Never raises for bad input.

    doc_id depends on the input alone, never on what else is in the run: a file given directly ->
    its stem; a file in a folder -> its path relative to that folder ("b/report.txt" -> "b_report");
    a JSONL/CSV row -> its id, else "<file id>-<line>". Only a true clash (two inputs with the same
    id) renames the later one "-2", "-3"... (Article.id_clash_of). An article whose text repeats an
    earlier one's gets duplicate_of (the earlier doc_id).
    """
    options = options or InputOptions()
    seen_ids: dict[str, int] = {}
    seen_texts: dict[bytes, str] = {}
    for root in paths:
        for found in _expand(Path(root)):
            if isinstance(found, InputFailure):
                yield found
                continue
            path, doc_id = found
            for item in _read_file(path, doc_id, options):
                if isinstance(item, Article):
                    _make_unique(item, seen_ids)
                    _mark_duplicate(item, seen_texts)
                    item.published_default = options.published
                yield item


def count_inputs(paths: Iterable[Path], options: InputOptions | None = None) -> int:
    """How many items iter_inputs(paths, options) will yield: one per file, JSONL line, CSV row or
    entry not read (a file that fails as a whole after some lines counts them all). Reads JSONL/CSV
    files once more, line by line (CSV with the csv module: a quoted field may span lines), which
    costs a small fraction of the extraction."""
    options = options or InputOptions()
    total = 0
    for root in paths:
        for found in _expand(Path(root)):
            if isinstance(found, InputFailure):
                total += 1
                continue
            path = found[0]
            kind = SUFFIXES[path.suffix.lower()]
            try:
                total += _count_records(path, kind, options) if kind in ("jsonl", "csv") else 1
            except (InputError, OSError, UnicodeDecodeError, csv.Error):
                total += 1  # the file will be one failure
    return total


def _count_records(path: Path, kind: str, options: InputOptions) -> int:
    encoding = _sniff_encoding(path)
    if kind == "jsonl":
        return max(1, sum(1 for _ in _json_lines(path, encoding)))
    return max(1, sum(1 for _ in _csv_records(path, encoding, options)))


# ---------------------------------------------------------------------------- finding files


def _expand(root: Path) -> Iterator[tuple[Path, str] | InputFailure]:
    """(file, doc_id) for each file to read under `root`, and an InputFailure for each thing that is
    not read. A path named on the command line that cannot be read is `failed`; what a folder holds
    and is not read (other suffixes, pipes, links already read, output folders) is `skipped`."""
    if not _encodable(str(root)):
        shown = os.fsencode(root).decode("utf-8", "replace")
        yield InputFailure(shown, f"{shown}: path is not valid UTF-8; rename it")
        return
    try:
        info = root.stat()
    except OSError as err:
        yield InputFailure(str(root), _os_problem(root, err, "path"))
        return
    if stat.S_ISREG(info.st_mode):
        if root.suffix.lower() in SUFFIXES:
            yield root, _safe_id(root.stem)
        else:
            yield InputFailure(str(root), _unsupported(root), doc_id=_safe_id(root.stem))
        return
    if not stat.S_ISDIR(info.st_mode):
        yield InputFailure(str(root), f"{root}: {_special_kind(info.st_mode)}, not a file or folder; "
                                      f"give the file or folder the articles are in")
        return
    output = _output_folder(root)
    if output:
        yield InputFailure(str(root), f"{root}: {output}; give the folder the articles are in")
        return
    files = skipped = 0
    for found in _FolderWalk(root).walk(root, ()):
        if isinstance(found, InputFailure):
            if found.source_path == str(root):
                yield found  # the folder itself cannot be read: that says it all
                return
            skipped += 1
        else:
            files += 1
        yield found
    if not files:
        others = f" ({skipped} other entries not read; each is listed with its reason)" if skipped else ""
        yield InputFailure(str(root), f"{root}: no {_READABLE} file in this folder{others}; put the articles "
                                      f"there or name the files (hidden files and folders are not read)")


class _FolderWalk:
    """Walks one input folder in name order. Hidden files and folders (.git, .DS_Store) are passed
    over silently. A link to a folder is followed once: not when it points into a folder already
    being read (a loop, or the same folder twice), so every file is found under one path only."""

    def __init__(self, root: Path) -> None:
        self.trees = [os.path.realpath(root)]

    def walk(self, folder: Path, parts: tuple[str, ...]) -> Iterator[tuple[Path, str] | InputFailure]:
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as err:
            yield InputFailure(str(folder), _os_problem(folder, err, "folder"), status="failed")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if not _encodable(entry.name):
                # outputs are UTF-8: a name that is not (bytes from another system) cannot be written there
                shown = os.fsencode(entry.path).decode("utf-8", "replace")
                yield InputFailure(shown, f"{shown}: file name is not valid UTF-8; rename it")
                continue
            try:
                mode = entry.stat().st_mode  # follows a link to what it points at
            except OSError as err:
                yield InputFailure(str(path), _os_problem(path, err, "file"))
                continue
            if stat.S_ISDIR(mode):
                yield from self._folder(path, parts + (entry.name,), entry.is_symlink())
            elif not stat.S_ISREG(mode):
                yield InputFailure(str(path), f"{path}: {_special_kind(mode)}, not a file; not read", status="skipped")
            elif path.suffix.lower() not in SUFFIXES:
                yield InputFailure(str(path), _unsupported(path), status="skipped")
            else:
                yield path, _safe_id("/".join(parts + (path.stem,)))

    def _folder(self, path: Path, parts: tuple[str, ...], linked: bool) -> Iterator[tuple[Path, str] | InputFailure]:
        if linked:
            target = os.path.realpath(path)
            if any(target == tree or target.startswith(tree.rstrip(os.sep) + os.sep) for tree in self.trees):
                yield InputFailure(str(path), f"{path}: link to {target}, a folder already being read "
                                              f"(a loop or a second way in); not followed", status="skipped")
                return
            self.trees.append(target)
        output = _output_folder(path)
        if output:
            yield InputFailure(str(path), f"{path}: {output}; not read as articles", status="skipped")
            return
        yield from self.walk(path, parts)


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _output_folder(folder: Path) -> str | None:
    """Why `folder` is a claims output folder, or None."""
    try:
        if (folder / OUTPUT_MARKER).is_file():
            return f"a claims output folder (it holds {OUTPUT_MARKER})"
        if all((folder / name).is_file() for name in UNMARKED_OUTPUT_FILES):
            return f"a claims output folder of an earlier version (it holds {', '.join(UNMARKED_OUTPUT_FILES)})"
    except OSError:
        pass  # an unreadable folder is reported when it is walked
    return None


def _unsupported(path: Path) -> str:
    suffix = path.suffix or "(none)"
    return (f"{path}: unsupported file type {suffix!r}, not read; readable types are {_READABLE} "
            f"(a plain-text article can be renamed to .txt)")


def _special_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _os_problem(path: Path, err: OSError, what: str) -> str:
    """The message for an OSError on `path`, with the fix."""
    if isinstance(err, FileNotFoundError):
        if path.is_symlink():
            return f"{path}: broken symbolic link (to {os.readlink(path)}); fix its target or remove the link"
        return f"{path}: no such file or folder; check the path"
    if isinstance(err, PermissionError):
        return (f"{path}: permission denied; make the {what} readable (chmod a+r{'x' if what == 'folder' else ''}) "
                f"or run as a user who can read it")
    if err.errno == 40:  # ELOOP: links that point at each other
        return f"{path}: symbolic link loop; fix or remove the link"
    return f"{path}: cannot read ({err.strerror or err}); check the {what}"


def _read_file(path: Path, doc_id: str, options: InputOptions) -> Iterator[Article | InputFailure]:
    kind = SUFFIXES[path.suffix.lower()]
    try:
        if kind == "txt":
            yield read_txt(path, doc_id=doc_id)
        elif kind == "html":
            yield read_html(path, doc_id=doc_id)
        elif kind == "jsonl":
            yield from read_jsonl(path, options, id_base=doc_id)
        else:
            yield from read_csv(path, options, id_base=doc_id)
    except InputError as err:
        yield InputFailure(str(path), str(err), doc_id=doc_id)
    except OSError as err:
        yield InputFailure(str(path), _os_problem(path, err, "file"), doc_id=doc_id)


def _make_unique(article: Article, seen: dict[str, int]) -> None:
    """A doc_id already taken in this run gets "-2", "-3"...; id_clash_of keeps the id it clashed with."""
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
    article.id_clash_of = base
    article.doc_id = candidate


def _mark_duplicate(article: Article, seen: dict[bytes, str]) -> None:
    """An article whose text (whitespace aside) an earlier one had is a duplicate of it."""
    normalised = " ".join(article.text.split()).encode("utf-8", "surrogatepass")
    first = seen.setdefault(hashlib.blake2b(normalised, digest_size=16).digest(), article.doc_id)
    if first != article.doc_id:
        article.duplicate_of = first


def _safe_id(raw: str) -> str:
    """A doc_id that is a plain file name ("business/001.txt" -> "business_001.txt"), at most
    MAX_ID_LENGTH characters; an id cut short, or with no usable character, ends in a hash of the raw id."""
    safe = _ID_EDGES.sub("", _UNSAFE_ID_CHARS.sub("_", raw.strip()))
    if safe and len(safe) <= MAX_ID_LENGTH:
        return safe
    digest = hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:_ID_HASH_LENGTH]
    if not safe:
        return f"doc-{digest}" if raw.strip() else "doc"
    return f"{safe[: MAX_ID_LENGTH - _ID_HASH_LENGTH - 1].rstrip('._-')}-{digest}"


# ---------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes, where: str) -> tuple[str, str]:
    """Decode a whole file: a byte-order mark decides, else UTF-8, else the encoding charset-normalizer
    detects. Returns (text, encoding), where data.decode(encoding) == text (so "utf-8-sig" for UTF-8
    with a BOM: the offsets index the text without it)."""
    if not data.strip():
        raise InputError(_empty(where))
    encoding = _bom_encoding(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            raise InputError(f"{where}: starts with a {encoding.upper()} byte-order mark but is not {encoding} text "
                             f"({err.reason} at byte {err.start}); re-save it as UTF-8") from None
    else:
        nul = data.find(NUL)
        if nul >= 0:
            raise InputError(f"{where}: binary file, not text (NUL byte at {nul}); convert it to text first")
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        encoding = detect_encoding(data)
        if encoding is None:
            raise InputError(f"{where}: binary file or unknown encoding; re-save it as UTF-8 text")
        text = data.decode(encoding, errors="replace")
    if not text.strip():
        raise InputError(_empty(where))
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise InputError(f"{where}: binary file, not text ({controls} control characters); convert it to text first")
    return text, encoding


def _bom_encoding(data: bytes) -> str | None:
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding
    return None


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
    if _PLAIN_TEXT.fullmatch(original):
        return original, None  # printable ASCII, tabs, newlines and "£", no "&": nothing ftfy would change
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


def fix_title(title: str) -> str:
    """ftfy's repair of a title (no offsets are kept for titles), skipped for plain text as repair does."""
    return title if _PLAIN_TEXT.fullmatch(title) else ftfy.fix_text(title, config=FTFY_CONFIG)


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_CHUNK = re.compile(r"( +)")
_ASCII_SAFE = re.compile(r"[ -%'-~\t]*")  # printable ASCII without "&": ftfy leaves it alone
# ... and a whole text of it, with newlines (ftfy's line-break fix is for "\r" and Unicode breaks) and
# "£" (the one non-ASCII character of most British news; no mojibake is made of "£" and ASCII alone):
# checked on the 3,225 corpus texts (2,925 match; ftfy changes none) and on "£" beside every ASCII
# character. Other symbols are left to ftfy: it rewrites even "”£" (cp1252 mojibake).
_PLAIN_TEXT = re.compile(r"[ -%'-~\t\n£]*")


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


def read_txt(path: Path, *, doc_id: str | None = None) -> Article:
    """One article per file; doc_id defaults to the file stem."""
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    return make_article(text, doc_id=doc_id or _safe_id(path.stem), source_path=str(path), encoding=encoding)


def read_html(path: Path, *, doc_id: str | None = None) -> Article:
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
        raise InputError(f"{path}: no article text found in the HTML (extracted only {body[:40]!r}); "
                         f"save the article's own page, or its text as .txt")
    title = (document.title or "").strip() or None
    return make_article(with_title(body, title) + "\n", doc_id=doc_id or _safe_id(path.stem), source_path=str(path),
                        encoding=encoding, title=title, published=document.date or None,
                        url=document.url or None, author=document.author or None, source=document.sitename or None)


def with_title(text: str, title: str | None) -> str:
    """`text` with `title` on its first line, then a blank line, unless its first line already is the
    title: the headline is searched for claims like the rest, with exact citations."""
    if not title or not title.strip():
        return text
    headline = " ".join(title.split())
    first = next((line for line in text.splitlines() if line.strip()), "")
    if " ".join(first.split()) == headline:
        return text
    return f"{headline}\n\n{text}"


def read_jsonl(path: Path, options: InputOptions | None = None, *, id_base: str | None = None) -> Iterator[Article | InputFailure]:
    """One JSON object per line, streamed; a bad line is a failure naming the line, then reading goes on.
    The first object must hold every key the options rename (else the whole file fails, listing its keys)."""
    options = options or InputOptions()
    id_base = id_base or _safe_id(path.stem)
    encoding = _sniff_encoding(path)
    checked = False
    lines = 0
    for line_no, line, line_encoding, problem in _json_lines(path, encoding):
        lines += 1
        where = f"{path}:{line_no}"
        if problem is not None:
            yield InputFailure(where, problem)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputFailure(where, f"{where}: malformed JSON ({err.msg.removesuffix(' at')}, column {err.colno}); "
                                      f"fix the line (one JSON object per line) or remove it")
            continue
        if not isinstance(record, dict):
            yield InputFailure(where, f"{where}: expected a JSON object with a {options.text_column!r} key, "
                                      f"got {type(record).__name__}; write one object per line")
            continue
        if not checked:
            _check_columns(list(record), options, where, "keys")
            checked = True
        yield _record_article(record, where, id_base, line_no, line_encoding, options)
    if not lines:
        raise InputError(_empty(path))


def _json_lines(path: Path, encoding: str) -> Iterator[tuple[int, str | None, str, str | None]]:
    """(line number, line, encoding of the line, problem) for each non-blank line: the line is None
    and the problem says why when it cannot be decoded."""
    if encoding in _WIDE_ENCODINGS:
        # UTF-16/32 newlines are two or four bytes: decode as a text stream, which stops at the
        # first undecodable stretch (a chunk of the file, so the line number is where it starts at most).
        with _open_text(path, encoding) as handle:
            line_no = 0
            while True:
                try:
                    line = next(handle)
                except StopIteration:
                    return
                except UnicodeDecodeError as err:
                    yield (line_no + 1, None, encoding, f"{path}:{line_no + 1}: not {encoding} text ({err.reason}) "
                           f"at or after this line; rest of file skipped; re-save the file as UTF-8")
                    return
                line_no += 1
                if line.strip():
                    yield line_no, line, encoding, None
    line_codec = "utf-8" if encoding == "utf-8-sig" else encoding
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if line_no == 1 and encoding == "utf-8-sig":
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            try:
                line, line_encoding = _decode_line(raw, line_codec)
            except UnicodeDecodeError as err:
                yield (line_no, None, line_codec, f"{path}:{line_no}: not {line_codec} text (byte 0x{raw[err.start]:02x} "
                       f"at column {err.start + 1}); re-save the file as UTF-8")
                continue
            yield line_no, line, line_encoding, None


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


def read_csv(path: Path, options: InputOptions | None = None, *, id_base: str | None = None) -> Iterator[Article | InputFailure]:
    """One article per row (a header row naming the columns is required), streamed; bad rows are failures."""
    options = options or InputOptions()
    id_base = id_base or _safe_id(path.stem)
    encoding = _sniff_encoding(path)
    for line_no, record, problem in _csv_records(path, encoding, options):
        where = f"{path}:{line_no}"
        if record is None:
            yield InputFailure(where, f"{where}: {problem}")
        else:
            yield _record_article(record, where, id_base, line_no, encoding, options)


def _csv_records(path: Path, encoding: str, options: InputOptions) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line where the row starts, {column: value}, None) for each non-blank row, or (line, None,
    problem) for a row that cannot be read. InputError when the header is missing or unreadable,
    lacks a needed column, or no row follows it."""
    _raise_csv_field_limit()
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(_empty(path)) from None
        except (csv.Error, UnicodeDecodeError) as err:
            raise InputError(f"{path}:1: unreadable header row ({err}); the first row must name the columns") from None
        header = [name.strip() for name in header]
        _check_columns(header, options, str(path), "columns")
        rows = 0
        line_no = reader.line_num + 1  # where the next row starts (fields may span lines)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                yield line_no, None, f"malformed CSV row ({err}); fix the row's quoting or remove it"
                rows += 1
                line_no = reader.line_num + 1
                continue
            except UnicodeDecodeError as err:
                yield line_no, None, f"not {encoding} text ({err.reason}); rest of file skipped; re-save the file as UTF-8"
                return
            start, line_no = line_no, reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            rows += 1
            if len(row) != len(header):
                yield start, None, f"{len(row)} fields, header has {len(header)}; quote fields that hold commas or line breaks"
                continue
            yield start, dict(zip(header, row)), None
    if not rows:
        raise InputError(f"{path}: a header row and no articles; add rows below the header, or remove the file")


def _open_text(path: Path, encoding: str):
    # utf-8-sig also reads UTF-8 without a BOM; the utf-16/32 codecs consume theirs.
    return path.open("r", encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="")


def _check_columns(present: list[str], options: InputOptions, where: str, what: str) -> None:
    """The text column, and every column the options rename, must be present."""
    missing = [f"{column!r} ({flag})" for flag, column in options.renamed_columns().items() if column not in present]
    listing = ", ".join(map(str, present)) or "none"
    if missing:
        raise InputError(f"{where}: no {' or '.join(missing)} among the {what} present: {listing}; "
                         f"name one of those")
    if what == "columns" and options.text_column not in present:
        raise InputError(f"{where}: no {options.text_column!r} column ({what} present: {listing}); "
                         f"name the column holding the article text with --text-column")


def _record_article(record: dict, where: str, id_base: str, line_no: int, encoding: str,
                    options: InputOptions) -> Article | InputFailure:
    text = record.get(options.text_column)
    raw_id = _field(record.get(options.id_column))
    if not isinstance(text, str) or not text.strip():
        key = options.text_column
        problem = (f"no {key!r}" if text is None else f"empty {key!r}" if isinstance(text, str)
                   else f"{key!r} is {type(text).__name__}, not text")
        return InputFailure(where, f"{where}: {problem}; every article needs its text under {key!r} "
                                   f"(--text-column names another)", doc_id=_safe_id(raw_id) if raw_id else None)
    doc_id = _safe_id(raw_id) if raw_id else f"{id_base}-{line_no}"
    named = {options.text_column, options.id_column, options.title_column, options.date_column, *FIXED_KEYS}
    meta = {str(k): _field(v) or "" for k, v in record.items() if k not in named}
    if raw_id and raw_id != doc_id:
        meta["id"] = raw_id  # keep the researcher's own id when it had to be made a file name
    title = _field(record.get(options.title_column))
    return make_article(
        with_title(text, title), doc_id=doc_id, source_path=where, encoding=encoding, meta=meta,
        title=" ".join(fix_title(title).split()) if title else None,
        published=_field(record.get(options.date_column)),
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
        raise InputError(_empty(path))
    marked = _bom_encoding(sample)
    if marked is not None:
        return marked
    if NUL in sample:
        raise InputError(f"{path}: binary file, not text (NUL byte at {sample.find(NUL)}); convert it to text first")
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
