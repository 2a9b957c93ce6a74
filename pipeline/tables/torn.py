"""Find where an append-only CSV (outputs/reviews.csv) stops being whole, and set a torn end aside.

A crash or a full disk can stop a write anywhere in a row, inside a quoted field too. Ending the
file with a newline is then not enough: inside an open quote the newline is part of the field,
and the next decision appended would be swallowed into it. So the end of the last complete
record is found by parsing (a record ends at a newline outside quotes), and whatever follows it
is moved to a side file (reviews.csv.torn-<time>) rather than deleted.
"""
from __future__ import annotations

import csv
import io
import os
from datetime import datetime, timezone
from pathlib import Path

NEWLINE = b"\n"


def complete_length(data: bytes) -> int:
    """How many leading bytes of `data` are whole CSV records, as Python's csv module reads them.

    A record is whole when its last line ends with a newline and it does not run to the end of
    the data inside an open quote (the strict parser's "unexpected end of data")."""
    pieces = data.split(NEWLINE)
    consumed = 0

    def lines():
        nonlocal consumed
        for number, piece in enumerate(pieces):
            raw = piece + NEWLINE if number < len(pieces) - 1 else piece
            if not raw:
                return
            consumed += len(raw)
            yield raw.decode("utf-8", errors="replace")

    end = last_start = 0
    for _ in csv.reader(lines()):
        if data[consumed - 1:consumed] != NEWLINE:
            break  # the last line has no newline: cut mid-row
        last_start, end = end, consumed
    if end:
        try:
            for _ in csv.reader(io.StringIO(data[last_start:end].decode("utf-8", errors="replace"), newline=""),
                                strict=True):
                pass
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                return last_start  # an open quote runs to the end: torn inside a quoted field
    return end


def set_aside_torn(path: Path) -> Path | None:
    """Cut a torn end off `path` and keep it in a side file beside it; returns that file (None when
    the file ends at a record boundary)."""
    path = Path(path)
    if not path.exists():
        return None
    data = path.read_bytes()
    end = complete_length(data)
    if end == len(data):
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    side = path.with_name(f"{path.name}.torn-{stamp}")
    with open(side, "ab") as handle:  # two tears in one second go to one file, both kept
        handle.write(data[end:])
        handle.flush()
        os.fsync(handle.fileno())
    with open(path, "r+b") as handle:
        handle.truncate(end)
        handle.flush()
        os.fsync(handle.fileno())
    return side


def read_complete(path: Path) -> str:
    """The whole records of `path` as text (a torn end left out)."""
    data = Path(path).read_bytes()
    return data[: complete_length(data)].decode("utf-8", errors="replace")
