"""One writer at a time in an output folder: a file lock (outputs/.claims.lock) and who holds it.

`claims extract` holds the lock for its whole run and `claims review` while it writes, so neither
can put back a table the other has just replaced, and two extracts never both publish. A second
writer waits a little (CLAIMS_LOCK_WAIT seconds, default 5) and then stops with a message naming
the holder. The holder's pid, command and start time are written beside the lock
(.claims.lock.json); the lock itself is the operating system's (filelock), so it is released
when its process ends, however it ends.

Also here: the output folder checks that make errors name the path and the fix, and the
clean-up of staging folders (.claims-*) and temporary files left by a process that was killed.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_FILE = ".claims.lock"
HOLDER_FILE = ".claims.lock.json"
STAGING_PREFIX = ".claims-"
PID_FILE = "pid"
DEFAULT_WAIT = 5.0

_held: dict[Path, list] = {}  # folder -> [FileLock, depth]: re-entrant within one process
_guard = threading.Lock()


class OutputBusy(RuntimeError):
    """Another claims command is writing to the same output folder."""


class OutputError(RuntimeError):
    """The output folder cannot be written; the message names the path and the fix."""


def lock_wait() -> float:
    try:
        return float(os.environ.get("CLAIMS_LOCK_WAIT", DEFAULT_WAIT))
    except ValueError:
        return DEFAULT_WAIT


@contextmanager
def output_lock(out_dir: Path, command: str, *, wait: float | None = None) -> Iterator[None]:
    """Hold the output folder's lock for the block; OutputBusy after `wait` seconds (default
    lock_wait()) if another process holds it. Nested use in one process is allowed."""
    out_dir = ensure_output_dir(Path(out_dir))
    key = out_dir.resolve()
    with _guard:
        entry = _held.get(key)
        if entry is not None:
            entry[1] += 1
    if entry is not None:
        try:
            yield
        finally:
            with _guard:
                entry[1] -= 1
        return
    lock = FileLock(str(out_dir / LOCK_FILE), is_singleton=False)
    try:
        lock.acquire(timeout=lock_wait() if wait is None else wait)
    except Timeout:
        raise OutputBusy(busy_message(out_dir)) from None
    except PermissionError:
        raise OutputError(read_only_message(out_dir)) from None
    holder = out_dir / HOLDER_FILE
    try:
        holder.write_text(json.dumps({"pid": os.getpid(), "command": command,
                                      "since": datetime.now().isoformat(timespec="seconds")}), encoding="utf-8")
        with _guard:
            _held[key] = [lock, 1]
        yield
    finally:
        with _guard:
            _held.pop(key, None)
        holder.unlink(missing_ok=True)
        lock.release()


def busy_message(out_dir: Path) -> str:
    holder = read_holder(out_dir)
    if holder:
        since = str(holder.get("since", ""))[11:16] or "?"
        who = f"claims {holder.get('command', '?')} (pid {holder.get('pid', '?')}, since {since})"
    else:
        who = "another claims command"
    return f"{out_dir}/ is in use by {who}; try again when it ends"


def read_holder(out_dir: Path) -> dict | None:
    try:
        return json.loads((Path(out_dir) / HOLDER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_only_message(out_dir: Path) -> str:
    return (f"{out_dir}/: cannot write there (permission denied); make the folder writable "
            "or pass --output another folder")


def ensure_output_dir(out_dir: Path) -> Path:
    """Create the output folder if needed; OutputError naming the path when it is a file or
    cannot be written."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: is a file, not a folder; pass --output a folder (it is created if missing)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out_dir}: a parent of this path is a file; pass --output a folder") from None
    except NotADirectoryError:
        raise OutputError(f"{out_dir}: a parent of this path is a file; pass --output a folder") from None
    except PermissionError:
        raise OutputError(read_only_message(out_dir)) from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError(read_only_message(out_dir))
    return out_dir


def disk_full_message(out_dir: Path, error: OSError) -> str:
    where = error.filename or out_dir
    return (f"{where}: disk full (no space left on the device holding {out_dir}/); free some space or "
            "pass --output a folder on another disk. The previous outputs are left as they were")


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def mark_staging(staging: Path) -> None:
    """Record the owning process inside a staging folder, so a later run can tell it is stale."""
    (Path(staging) / PID_FILE).write_text(str(os.getpid()), encoding="utf-8")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def clean_stale(out_dir: Path) -> list[Path]:
    """Remove staging folders whose process is gone (kill -9, power cut) and temporary files left
    beside the outputs. Call with the lock held: then no other writer is using any of them."""
    removed: list[Path] = []
    for path in Path(out_dir).glob(STAGING_PREFIX + "*"):
        if not path.is_dir():
            continue
        try:
            pid = int((path / PID_FILE).read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            pid = -1  # no pid file: a folder from before pids were recorded, or killed before writing it
        if pid == os.getpid() or pid_alive(pid):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    for path in Path(out_dir).glob(".*.tmp"):  # atomic_write's temporaries (.claims.csv.abc123.tmp)
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
