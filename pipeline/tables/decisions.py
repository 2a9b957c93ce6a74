"""Human review decisions: append them to outputs/reviews.csv and lay the latest over the claims table."""
from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from pipeline.records import AMOUNT_KINDS
from pipeline.schema import CLAIMS, REVIEWS
from pipeline.tables.cells import present, split_flags
from pipeline.tables.files import read_claims
from pipeline.tables.safe_cells import safe_row, unsafe_frame
from pipeline.tables.torn import complete_length, read_complete, set_aside_torn

REVIEWS_FILE = "reviews.csv"
ORPHANS_FILE = "orphaned_reviews.csv"

# A decision's status. "note" rows carry a note and change nothing else, so a note typed before
# the reviewer makes up their mind is on disk too.
DECISION_STATUSES = ("accepted", "rejected", "corrected")
STATUSES = DECISION_STATUSES + ("note",)
REVIEW_STATUSES = ("pending",) + DECISION_STATUSES

# Fields a reviewer can correct. The machine's value is kept in machine_<field>.
CORRECTABLE_FIELDS = (
    "council_code",
    "council_name",
    "period_start",
    "period_end",
    "value",
    "unit",
    "kind",
    "measure",
)
# Reasons that change with a correction; their machine values are kept too.
DERIVED_FIELDS = ("link_basis", "period_basis", "flags")
# Flags a reviewer's council or period answers: a council set clears them, a council cleared
# ("no council") raises no_council; the same for the period.
COUNCIL_FLAGS = ("no_council", "ambiguous_council")
PERIOD_FLAGS = ("no_period",)
MACHINE_FIELDS = CORRECTABLE_FIELDS + DERIVED_FIELDS
# A correction cell holding this clears the field (e.g. "no council").
CLEAR = "-"

# Context copied from the claim when the decision is made: it lets an orphaned decision be read
# (and re-attached by hand) after the claim it was about has gone.
CONTEXT_FIELDS = ("doc_id", "claim_text", "sentence")
# reviews.csv's columns (ReviewDecision's fields, in order).
REVIEW_COLUMNS = tuple(REVIEWS.names())
# Columns apply_reviews adds to the claims table beside machine_*.
REVIEW_TABLE_COLUMNS = tuple(c for c in CLAIMS.names(added_by=("review",)) if not c.startswith("machine_"))


class ReviewError(Exception):
    """A review input that cannot be used; the message names the file or row and the fix."""


@dataclass(frozen=True)
class ReviewDecision:
    """One row of outputs/reviews.csv: what a reviewer decided about one claim, and when."""

    claim_id: str
    status: str  # accepted | rejected | corrected | note
    council_code: str | None = None
    council_name: str | None = None
    period_start: str | None = None  # ISO date
    period_end: str | None = None
    value: float | None = None
    unit: str | None = None
    kind: str | None = None
    measure: str | None = None
    note: str = ""
    reviewer: str = ""
    timestamp: str = ""  # ISO 8601 UTC; ReviewStore.append stamps it when empty
    doc_id: str | None = None
    claim_text: str | None = None
    sentence: str | None = None

    def corrections(self) -> dict[str, object]:
        """The corrected fields that are set (CLEAR included: it means "set to empty")."""
        return {name: getattr(self, name) for name in CORRECTABLE_FIELDS if present(getattr(self, name))}

    def validate(self, where: str = "") -> None:
        prefix = f"{where}: " if where else ""
        if not self.claim_id:
            raise ReviewError(f"{prefix}empty claim_id; copy it from outputs/claims.csv")
        if self.status not in STATUSES:
            raise ReviewError(
                f"{prefix}status {self.status!r} for claim {self.claim_id}; use one of {', '.join(STATUSES)}"
            )
        if self.status == "corrected" and not self.corrections():
            raise ReviewError(
                f"{prefix}claim {self.claim_id} is 'corrected' but no corrected field is filled in "
                f"({', '.join(CORRECTABLE_FIELDS)}); fill one or use 'accepted'"
            )
        if self.status != "corrected" and self.corrections():
            raise ReviewError(
                f"{prefix}claim {self.claim_id} has corrected fields but status {self.status!r}; "
                "use status 'corrected'"
            )
        if self.value is not None and not math.isfinite(self.value):
            raise ReviewError(f"{prefix}value {self.value!r} for claim {self.claim_id} is not a finite number; "
                              "write it plain, e.g. 57400000")
        if present(self.kind) and self.kind != CLEAR and self.kind not in AMOUNT_KINDS:
            raise ReviewError(f"{prefix}kind {self.kind!r} for claim {self.claim_id}; use one of "
                              f"{', '.join(AMOUNT_KINDS)}")
        if self.timestamp:
            try:
                datetime.fromisoformat(self.timestamp.replace("Z", "+00:00"))
            except ValueError:
                raise ReviewError(f"{prefix}timestamp {self.timestamp!r} for claim {self.claim_id} is not an "
                                  "ISO 8601 time; write e.g. 2026-01-31T09:30:00+00:00 or leave it empty") from None
        for name in ("period_start", "period_end"):
            text = getattr(self, name)
            if present(text) and text != CLEAR:
                try:
                    date.fromisoformat(str(text))
                except ValueError:
                    raise ReviewError(
                        f"{prefix}{name} {text!r} for claim {self.claim_id} is not a date; write YYYY-MM-DD"
                    ) from None

    def to_row(self) -> dict[str, str]:
        row = {}
        for name, value in asdict(self).items():
            if value is None:
                row[name] = ""
            elif isinstance(value, float):
                row[name] = repr(value)  # round-trips exactly
            else:
                row[name] = str(value)
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, object], where: str = "") -> "ReviewDecision":
        """Build from a CSV/dict row: blanks are None, value is parsed; validated."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = row.get(f.name)
            text = str(raw).strip() if present(raw) else ""
            if f.name == "value":
                values[f.name] = _parse_float(text, where) if text else None
            elif f.name in ("note", "reviewer", "timestamp"):
                values[f.name] = text
            else:
                values[f.name] = text or None
        values["status"] = (values.get("status") or "").lower()
        decision = cls(**values)  # type: ignore[arg-type]
        decision.validate(where)
        return decision


def _parse_float(text: str, where: str) -> float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise ReviewError(f"{where}: value {text!r} is not a number; write it plain, e.g. 57400000") from None
    if not math.isfinite(number):
        raise ReviewError(f"{where}: value {text!r} is not a finite number; write it plain, e.g. 57400000")
    return number


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class ReviewStore:
    """outputs/reviews.csv, append-only: every decision is written, flushed and fsynced at once,
    so Ctrl-C or a crash loses nothing already decided. Nothing is ever rewritten."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.torn: Path | None = None  # the side file the last append moved a torn end to

    def append(self, decision: ReviewDecision) -> ReviewDecision:
        return self.append_many([decision])[0]

    def append_many(self, decisions: Iterable[ReviewDecision]) -> list[ReviewDecision]:
        stamped = []
        for decision in decisions:
            decision.validate()
            if not decision.timestamp:
                decision = _replace(decision, timestamp=now_utc())
            stamped.append(decision)
        if not stamped:
            return stamped
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A crash or full disk may have cut the last row anywhere, inside a quoted field too:
        # cut the file back to its last whole record (the torn bytes go to a side file).
        self.torn = set_aside_torn(self.path)
        header = self._header()
        new_file = header is None
        with open(self.path, "a", encoding="utf-8", newline="") as handle:
            start = handle.tell()
            if new_file:
                header = list(REVIEW_COLUMNS)
            writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
            if new_file:
                writer.writeheader()
            written = [safe_row(decision.to_row()) for decision in stamped]
            for row in written:
                writer.writerow(row)
            handle.flush()
            os.fsync(handle.fileno())
        if new_file:
            _fsync_dir(self.path.parent)
        self._check_written(start, header, written, skip_header=new_file)
        return stamped

    def _check_written(self, start: int, header: list[str], written: list[dict[str, object]], *,
                       skip_header: bool) -> None:
        """Read back what was appended: a decision reported as recorded must read back as written."""
        with open(self.path, "rb") as handle:
            handle.seek(start)
            data = handle.read()
        if complete_length(data) != len(data):
            raise ReviewError(f"{self.path}: the decisions just written do not end as a whole row; "
                              "check the disk (full?) and run the review again")
        records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1 if skip_header else 0:]
        expected = [[str(row.get(column, "")) for column in header] for row in written]
        if records != expected:
            raise ReviewError(f"{self.path}: {len(written)} decision(s) written but they do not read back as "
                              "written; check the file and the disk, then run the review again")

    def read(self) -> pd.DataFrame:
        return read_reviews(self.path)

    def _header(self) -> list[str] | None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with open(self.path, encoding="utf-8", newline="") as handle:
            first = next(csv.reader(handle), None)
        return first or None


def _replace(decision: ReviewDecision, **changes: object) -> ReviewDecision:
    values = asdict(decision)
    values.update(changes)
    return ReviewDecision(**values)  # type: ignore[arg-type]


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_reviews(path: Path) -> pd.DataFrame:
    """All decisions in file order, every column text ("" when blank). A row torn by a crash
    (the last line without its newline) or with an unknown status is skipped."""
    path = Path(path)
    if not path.exists():
        return empty_reviews()
    # A row torn by a crash (cut anywhere, inside quotes too) is left out: only whole records count.
    records = csv.reader(io.StringIO(read_complete(path), newline=""))
    header = next(records, None)
    if not header:
        return empty_reviews()
    # Column-wise (a reviews.csv can hold hundreds of thousands of imported decisions).
    rows = [record for record in records if len(record) == len(header)]  # other lengths: torn rows
    frame = pd.DataFrame(rows, columns=header, dtype="string[pyarrow]")  # Arrow: vectorised strip/lower
    frame = frame.loc[:, ~frame.columns.duplicated()].reindex(columns=list(REVIEW_COLUMNS), fill_value="")
    frame = unsafe_frame(frame.fillna("").apply(lambda column: column.str.strip()) if len(frame) else frame)
    frame["status"] = frame["status"].str.lower()
    frame = frame[frame["status"].isin(STATUSES) & (frame["claim_id"] != "")].reset_index(drop=True)
    return frame.astype(object)


def empty_reviews() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in REVIEW_COLUMNS})


def latest_decisions(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per claim: the latest accept/reject/correct decides status and corrections; the
    latest non-empty note is kept whatever row it came on. "Latest" is by timestamp, ties (and
    rows without one) in file order."""
    columns = list(REVIEW_COLUMNS) + ["n_decisions"]
    if reviews is None or reviews.empty:
        return pd.DataFrame({column: pd.Series([], dtype=object) for column in columns})
    frame = reviews.reindex(columns=list(REVIEW_COLUMNS))
    frame = frame.astype(object).where(frame.notna(), "")
    when = pd.to_datetime(frame["timestamp"].replace("", None), utc=True, errors="coerce", format="ISO8601")
    # Rows without a readable timestamp sort first: any dated decision is newer than them.
    dated = when.notna().to_numpy()
    nanos = when.to_numpy(dtype="datetime64[ns]").astype("int64")
    keys = [(1 if d else 0, int(n) if d else 0, order) for order, (d, n) in enumerate(zip(dated, nanos))]
    # Column lists, not DataFrame.to_dict: this runs over every decision ever made (hundreds of
    # thousands once imports pile up), and to_dict boxes each cell.
    cells = {column: frame[column].tolist() for column in REVIEW_COLUMNS}
    latest: dict[str, dict] = {}
    for _, position in sorted((key, position) for position, key in enumerate(keys)):
        record = {column: cells[column][position] for column in REVIEW_COLUMNS}
        claim_id = record["claim_id"]
        state = latest.setdefault(claim_id, {column: "" for column in columns} | {"claim_id": claim_id, "status": "note", "n_decisions": 0})
        state["n_decisions"] += 1
        if record["status"] in DECISION_STATUSES:
            for column in ("status",) + CORRECTABLE_FIELDS + ("reviewer", "timestamp"):
                state[column] = record[column]
        elif not state["reviewer"]:
            state["reviewer"], state["timestamp"] = record["reviewer"], record["timestamp"]
        if record["note"]:
            state["note"] = record["note"]
        for column in CONTEXT_FIELDS:
            if record[column]:
                state[column] = record[column]
    return pd.DataFrame(list(latest.values()), columns=columns, dtype=object)


def apply_reviews(claims: pd.DataFrame, reviews: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lay the latest decisions over the claims table.

    Adds review_status (pending | accepted | rejected | corrected), review_note, reviewer,
    reviewed_at; corrected fields replace the machine's, whose values stay in machine_* columns.
    Returns (table, orphans): orphans are the latest decisions whose claim_id is not in the table,
    never dropped silently. Idempotent: a table that already went through here is restored to
    its machine values first.
    """
    table = restore_machine_values(claims)
    for name in MACHINE_FIELDS:
        if name not in table.columns:
            table[name] = None
        table[f"machine_{name}"] = table[name]
    # Already the latest decisions (finalize works them out once for all chunks): use them as they are.
    latest = reviews if "n_decisions" in reviews.columns else latest_decisions(reviews)
    known = set(table["claim_id"].astype(str)) if len(table) else set()
    ours = latest["claim_id"].isin(known) if len(latest) else pd.Series([], dtype=bool)
    by_id = {record["claim_id"]: record for record in latest[ours].to_dict("records")}

    status, notes, reviewers, stamps = [], [], [], []
    updates: dict[str, dict[int, object]] = {name: {} for name in MACHINE_FIELDS}
    for position, claim_id in enumerate(table["claim_id"].astype(str)):
        if claim_id not in by_id:
            status.append("pending")
            notes.append(None)
            reviewers.append(None)
            stamps.append(None)
            continue
        decision = by_id[claim_id]
        decided = decision["status"] in DECISION_STATUSES
        status.append(decision["status"] if decided else "pending")
        notes.append(decision["note"] or None)
        reviewers.append(decision["reviewer"] or None)
        stamps.append((decision["timestamp"] or None) if decided else None)
        if decision["status"] != "corrected":
            continue
        for name in CORRECTABLE_FIELDS:
            text = decision[name]
            if not text:
                continue
            if text == CLEAR:
                updates[name][position] = None
            elif name == "value":
                updates[name][position] = float(text)
            else:
                updates[name][position] = text
        flags = split_flags(table["flags"].iat[position]) if "flags" in table.columns else []
        if decision["council_code"] or decision["council_name"]:
            updates["link_basis"][position] = "review"
            flags = _reflag(flags, COUNCIL_FLAGS, cleared=decision["council_code"] == CLEAR)
        if decision["period_start"] or decision["period_end"]:
            updates["period_basis"][position] = "review"
            flags = _reflag(flags, PERIOD_FLAGS, cleared=decision["period_start"] == CLEAR)
        if "flags" in table.columns and flags != split_flags(table["flags"].iat[position]):
            updates["flags"][position] = ";".join(flags) or None

    for name, changed in updates.items():
        if not changed:
            continue
        if name == "value":
            column = table[name].astype(float)
        else:
            column = _text_column(table[name])
        positions = list(changed)
        column.iloc[positions] = list(changed.values())
        table[name] = column
    table["review_status"] = status
    table["review_note"] = notes
    table["reviewer"] = reviewers
    table["reviewed_at"] = stamps

    orphan_rows = latest[~ours].copy() if len(latest) else latest.copy()
    # Claims of the same article with the same number text: where an orphan probably went (its
    # sentence was edited). A hint for the reviewer, never applied automatically.
    same_number: dict[tuple[str, str], list[str]] = {}
    if len(orphan_rows) and len(table):
        for claim_id, doc_id, text in zip(table["claim_id"], table["doc_id"], table["text"]):
            same_number.setdefault((str(doc_id), str(text)), []).append(str(claim_id))
    orphan_rows["suggested_claim_id"] = [
        ";".join(same_number.get((doc_id, text), [])) if doc_id and text else ""
        for doc_id, text in zip(orphan_rows["doc_id"], orphan_rows["claim_text"])
    ]
    return table, orphan_rows.reset_index(drop=True)


def _text_column(series: pd.Series) -> pd.Series:
    """As object dtype with None for blanks, so text can be written into a column pandas read
    as all-NaN floats."""
    return series.astype(object).where(series.notna(), None)


def _reflag(flags: list[str], answered: tuple[str, ...], *, cleared: bool) -> list[str]:
    """`flags` once a reviewer has set (or cleared) the field the `answered` flags are about."""
    kept = [flag for flag in flags if flag not in answered]
    return kept + [answered[0]] if cleared else kept


def restore_machine_values(claims: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with the machine's values back in place and review columns dropped."""
    table = claims.copy()
    for name in MACHINE_FIELDS:
        machine = f"machine_{name}"
        if machine in table.columns:
            table[name] = table[machine]
            table = table.drop(columns=machine)
    if "value" in table.columns:
        table["value"] = pd.to_numeric(table["value"], errors="coerce")
    return table.drop(columns=[c for c in REVIEW_TABLE_COLUMNS if c in table.columns])


def load_claims(output_dir: Path) -> pd.DataFrame:
    """The claims table extract wrote (claims.parquet, else claims.csv), with value as a number."""
    try:
        table = read_claims(Path(output_dir))
    except FileNotFoundError:
        raise ReviewError(
            f"{output_dir}: no claims.csv or claims.parquet; run `claims extract INPUT --output {output_dir}` first"
        ) from None
    for name in ("value", "machine_value"):
        if name in table.columns:
            table[name] = pd.to_numeric(table[name], errors="coerce")
    return table


def read_decisions_file(path: Path, *, reviewer: str = "") -> list[ReviewDecision]:
    """Decisions to import: a CSV with reviews.csv's columns (claim_id and status required), or
    a Prodigy export (JSONL with meta.claim_id and answer accept/reject/ignore)."""
    path = Path(path)
    if not path.exists():
        raise ReviewError(f"{path}: no such file; pass the decisions CSV or Prodigy JSONL to import")
    if path.suffix.lower() in (".jsonl", ".json"):
        return _read_prodigy_answers(path, reviewer=reviewer)
    decisions = []
    councils = _CouncilCheck()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            doubled = sorted({name for name in header if header.count(name) > 1})
            if doubled:
                raise ReviewError(f"{path}:1: column {', '.join(map(repr, doubled))} appears more than once in the "
                                  "header; keep one")
            missing = {"claim_id", "status"} - set(header)
            if missing:
                raise ReviewError(
                    f"{path}:1: no {' or '.join(sorted(missing))} column; the header needs at least claim_id,status"
                )
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if None in row:
                    raise ReviewError(f"{where}: more cells than header columns; quote cells that hold commas")
                if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                    continue
                if not (row.get("reviewer") or "").strip():
                    row["reviewer"] = reviewer
                decision = ReviewDecision.from_row(row, where=where)
                councils.check(decision, where)
                decisions.append(decision)
        except UnicodeDecodeError as error:
            raise ReviewError(f"{path}: not UTF-8 text (byte 0x{error.object[error.start]:02x}); "
                              "save it as UTF-8") from None
        except csv.Error as error:
            raise ReviewError(f"{path}:{reader.line_num}: not readable as CSV ({error})") from None
    return decisions


class _CouncilCheck:
    """Corrected councils must be in the register (pipeline.councils.register), loaded on first use."""

    def __init__(self) -> None:
        self.register = None

    def check(self, decision: ReviewDecision, where: str) -> None:
        code, name = decision.council_code, decision.council_name
        if not (present(code) and code != CLEAR) and not (present(name) and name != CLEAR):
            return
        if self.register is None:
            from pipeline.councils.register import load_register

            self.register = load_register()
        councils = self.register.councils
        if present(code) and code != CLEAR and code not in councils:
            raise ReviewError(f"{where}: council_code {code!r} for claim {decision.claim_id} is not in the "
                              "council register; use a GSS code such as E10000020")
        if present(name) and name != CLEAR:
            names = {c.name for c in councils.values()} | {c.short_name for c in councils.values()}
            if name not in names:
                raise ReviewError(f"{where}: council_name {name!r} for claim {decision.claim_id} is not in the "
                                  "council register; use the register's name, e.g. Norfolk County Council")
            if present(code) and code != CLEAR and name not in (councils[code].name, councils[code].short_name):
                raise ReviewError(f"{where}: council_name {name!r} is not the council {code} "
                                  f"({councils[code].name}); fix one of them")


def _read_prodigy_answers(path: Path, *, reviewer: str) -> list[ReviewDecision]:
    answers = {"accept": "accepted", "reject": "rejected"}
    decisions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            task = json.loads(line)
        except json.JSONDecodeError as error:
            raise ReviewError(f"{path}:{number}: not JSON ({error.msg}); one task per line") from None
        claim_id = (task.get("meta") or {}).get("claim_id")
        answer = task.get("answer")
        if not claim_id:
            raise ReviewError(f"{path}:{number}: no meta.claim_id; import the tasks review_tasks.jsonl gave you")
        if answer not in answers:
            continue  # "ignore" or unanswered: no decision
        decisions.append(
            ReviewDecision(
                claim_id=str(claim_id),
                status=answers[answer],
                reviewer=str(task.get("_annotator_id") or reviewer),
                timestamp=_prodigy_time(task.get("_timestamp")),
                note="imported from Prodigy",
            )
        )
    return decisions


def _prodigy_time(stamp: object) -> str:
    if isinstance(stamp, (int, float)) and math.isfinite(stamp) and 0 < stamp < 32503680000:  # before year 3000
        return datetime.fromtimestamp(stamp, timezone.utc).isoformat(timespec="milliseconds")
    return ""


def decision_for(claim: Mapping[str, object], status: str, *, reviewer: str, note: str = "", **corrections: object) -> ReviewDecision:
    """A decision about a claims-table row, carrying the row's context for orphan reports."""
    return ReviewDecision(
        claim_id=str(claim["claim_id"]),
        status=status,
        note=note,
        reviewer=reviewer,
        doc_id=_text_or_none(claim.get("doc_id")),
        claim_text=_text_or_none(claim.get("text")),
        sentence=_text_or_none(claim.get("sentence")),
        **corrections,  # type: ignore[arg-type]
    )


def _text_or_none(value: object) -> str | None:
    return str(value) if present(value) else None
