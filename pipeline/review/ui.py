"""The review loop and `claims review`: reads outputs/claims.*, appends to outputs/reviews.csv, refreshes the review exports."""
from __future__ import annotations

import dataclasses
import difflib
import getpass
import math
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.tables.consistency import check_consistency
from pipeline.tables.exports import export_reviewed, review_queue, span_offsets
from pipeline.tables.files import write_claims
from pipeline.tables.lock import OutputBusy, OutputError, disk_full_message, is_disk_full, output_lock
from pipeline.tables.decisions import (
    CLEAR,
    CORRECTABLE_FIELDS,
    REVIEWS_FILE,
    ReviewDecision,
    ReviewError,
    ReviewStore,
    apply_reviews,
    decision_for,
    latest_decisions,
    load_claims,
    read_decisions_file,
    review_summary,
    present,
    split_flags,
    text_of,
)

KEYS = {
    "a": "accept",
    "r": "reject",
    "c": "council",
    "p": "period",
    "v": "value",
    "n": "note",
    "s": "skip",
    "b": "back",
    "q": "quit",
    "?": "help",
}
HELP = "[a]ccept  [r]eject  correct [c]ouncil / [p]eriod / [v]alue  [n]ote  [s]kip  [b]ack  [q]uit"
FILTER_KEYS = ("council", "flag", "kind", "article", "status")
SEARCH_LIMIT = 8


# -- council search: the register when there is one, else the councils the table names ---------


@dataclass(frozen=True)
class CouncilChoice:
    code: str
    name: str
    note: str = ""  # e.g. "abolished 2023-03-31"


class CouncilSearch(Protocol):
    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[CouncilChoice]: ...


def _rank(query: str, names: Iterable[tuple[str, CouncilChoice]], limit: int) -> list[CouncilChoice]:
    """Exact name first, then names containing the query, then close spellings."""
    query = " ".join(query.lower().split())
    scored: dict[str, tuple[float, CouncilChoice]] = {}
    for name, choice in names:
        lowered = name.lower()
        if lowered == query:
            score = 3.0
        elif query and query in lowered:
            score = 2.0 + len(query) / max(len(lowered), 1)
        else:
            score = difflib.SequenceMatcher(None, query, lowered).ratio()
            if score < 0.6:
                continue
        best = scored.get(choice.code)
        if best is None or score > best[0]:
            scored[choice.code] = (score, choice)
    ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1].name))
    return [choice for _, choice in ranked[:limit]]


class TableCouncilSearch:
    """Searches the councils already named in the claims table (machine or corrected)."""

    def __init__(self, claims: pd.DataFrame):
        pairs: dict[str, str] = {}
        for code_column, name_column in (("council_code", "council_name"), ("machine_council_code", "machine_council_name")):
            if code_column in claims.columns and name_column in claims.columns:
                for code, name in zip(claims[code_column], claims[name_column]):
                    if present(code) and present(name):
                        pairs.setdefault(str(code), str(name))
        self.choices = [CouncilChoice(code, name) for code, name in sorted(pairs.items())]

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[CouncilChoice]:
        return _rank(query, ((c.name, c) for c in self.choices), limit)


class RegisterCouncilSearch:
    """Searches pipeline.councils.register's CouncilRegister: its exact name forms, then names and places."""

    def __init__(self, register: object):
        self.register = register

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[CouncilChoice]:
        councils = list(getattr(self.register, "councils", {}).values())
        names = []
        for council in councils:
            choice = CouncilChoice(council.code, council.name, f"ended {council.end}" if council.end else "")
            names.append((council.name, choice))
            names.append((council.short_name, choice))
        exact = []
        lookup = getattr(self.register, "forms_for", None)
        if lookup is not None:
            for form in lookup(query.strip()):
                council = self.register.councils[form.code]  # type: ignore[attr-defined]
                exact.append(CouncilChoice(council.code, council.name, f"ended {council.end}" if council.end else ""))
        ranked = list(dict.fromkeys(exact + _rank(query, names, limit)))
        return ranked[:limit]


def default_council_search(claims: pd.DataFrame) -> CouncilSearch:
    """The register if pipeline.councils.register can load it, else the councils in the table."""
    try:
        from pipeline.councils.register import load_register

        return RegisterCouncilSearch(load_register())
    except Exception:  # no register module, or its files missing: the table still names councils
        return TableCouncilSearch(claims)


# -- parsing what the reviewer types ---------------------------------------------------------


_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12}


def parse_value(text: str) -> float:
    """"£12m" -> 12000000.0, "28.4%" -> 28.4, "1,137" -> 1137.0."""
    cleaned = text.strip().lower().replace(",", "").replace("£", "").replace("$", "").replace("€", "")
    cleaned = cleaned.replace("per cent", "").replace("percent", "").rstrip("%").strip()
    for word, factor in sorted(_MULTIPLIERS.items(), key=lambda item: -len(item[0])):
        if cleaned.endswith(word):
            value = float(cleaned[: -len(word)].strip()) * factor
            break
    else:
        value = float(cleaned)
    if not math.isfinite(value):  # "nan", "inf", "1e308 million": no figure a claim can hold
        raise ValueError(f"not a finite number: {text!r}")
    return value


def parse_period(text: str) -> tuple[str, str] | None:
    """"2017/18" -> financial year 2017-04-01..2018-03-31 (UK councils' year starts 1 April);
    "2018" -> the calendar year; "2018-03" -> the month; "2018-03-31" -> the day;
    "A..B" -> from the start of A to the end of B; "-" -> None (clear the period)."""
    text = text.strip()
    if text == CLEAR:
        return None
    if ".." in text:
        first, last = (part.strip() for part in text.split("..", 1))
        return _period_bounds(first)[0], _period_bounds(last)[1]
    return _period_bounds(text)


def _period_bounds(text: str) -> tuple[str, str]:
    for separator in ("/", "-"):
        parts = text.split(separator)
        if len(parts) == 2 and len(parts[0]) == 4 and parts[0].isdigit() and parts[1].isdigit() and len(parts[1]) in (2, 4):
            start_year = int(parts[0])
            end_year = int(parts[1]) if len(parts[1]) == 4 else (start_year // 100) * 100 + int(parts[1])
            if end_year == start_year + 1:
                return date(start_year, 4, 1).isoformat(), date(end_year, 3, 31).isoformat()
    parts = text.split("-")
    if len(parts) == 1 and len(text) == 4 and text.isdigit():
        return date(int(text), 1, 1).isoformat(), date(int(text), 12, 31).isoformat()
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        year, month = int(parts[0]), int(parts[1])
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return first.isoformat(), (following - timedelta(days=1)).isoformat()
    day = date.fromisoformat(text)
    return day.isoformat(), day.isoformat()


# -- the loop ----------------------------------------------------------------------------------


@dataclass
class ReviewRun:
    """What one review session did."""

    decisions: list[ReviewDecision] = field(default_factory=list)
    shown: int = 0
    queue: int = 0
    stopped: str = "end"  # end | quit | interrupt | no_claims


def filter_claims(claims: pd.DataFrame, filters: Mapping[str, object] | None) -> pd.DataFrame:
    """Keep claims matching every filter: council (code, or part of the name), flag, kind,
    article (doc_id, or part of the title), status (review_status)."""
    table = claims
    for key, wanted in (filters or {}).items():
        if wanted in (None, "", [], ()):
            continue
        if key not in FILTER_KEYS:
            raise ReviewError(f"unknown review filter {key!r}; use one of {', '.join(FILTER_KEYS)}")
        value = str(wanted).lower()
        if key == "council":
            codes = table["council_code"].map(_lower)
            names = table["council_name"].map(_lower)
            table = table[(codes == value) | names.str.contains(value, regex=False)]
        elif key == "flag":
            table = table[table["flags"].map(lambda cell: value in [f.lower() for f in split_flags(cell)])]
        elif key == "kind":
            table = table[table["kind"].map(_lower) == value]
        elif key == "article":
            titles = table["title"].map(_lower) if "title" in table.columns else pd.Series("", index=table.index)
            table = table[(table["doc_id"].map(_lower) == value) | titles.str.contains(value, regex=False)]
        elif key == "status":
            table = table[table["review_status"].map(_lower) == value]
    return table


def run_review(
    output_dir: Path,
    *,
    read_key: Callable[[], str] | None = None,
    read_line: Callable[[str], str] | None = None,
    console: Console | None = None,
    reviewer: str | None = None,
    filters: Mapping[str, object] | None = None,
    council_search: CouncilSearch | None = None,
) -> ReviewRun:
    """Show claims one at a time (pending first, flagged before unflagged) and record each key's
    decision in reviews.csv the moment it is made. read_key returns one key; read_line(prompt)
    one line; both default to the terminal, and tests pass scripted ones. Running out of keys,
    EOF or Ctrl-C end the session: every decision made so far is already on disk."""
    output_dir = Path(output_dir)
    console = console or Console()
    read_line = read_line or (lambda prompt: console.input(prompt))
    read_key = read_key or _terminal_key_reader(console)
    reviewer = reviewer or default_reviewer()
    store = ReviewStore(output_dir / REVIEWS_FILE)
    claims = load_claims(output_dir)
    checked, _ = apply_reviews(claims, store.read())
    checked = check_consistency(checked)
    consistency = checked.set_index("claim_id")[["flags", "consistency_note"]]
    queue_ids = list(review_queue(filter_claims(checked, filters))["claim_id"].astype(str))
    run = ReviewRun(queue=len(queue_ids))
    if not queue_ids:
        console.print("No claims to review" + (" with these filters." if filters else "."))
        run.stopped = "no_claims"
        return run
    session = _Session(store, claims, consistency, reviewer, console, read_line, council_search, run)
    position = 0
    shown_state: tuple[int, int] | None = None  # redraw only when the claim or its decisions changed
    try:
        while 0 <= position < len(queue_ids):
            state = (position, len(run.decisions))
            if state != shown_state:
                claim = session.row(queue_ids[position])
                session.show(claim, position, len(queue_ids))
                run.shown += 1
                shown_state = state
            try:
                key = (read_key() or "").strip().lower()[:1]
            except (EOFError, StopIteration):
                run.stopped = "quit"
                break
            action = KEYS.get(key)
            if action == "quit":
                run.stopped = "quit"
                break
            if action == "back":
                position = max(0, position - 1)
                shown_state = None
            elif action == "skip":
                position += 1
            elif action == "help" or action is None:
                console.print(Text(HELP))
            elif session.act(action, claim):
                position += 1
    except KeyboardInterrupt:
        run.stopped = "interrupt"
        console.print("\nInterrupted: every decision made so far is saved.")
    console.print(f"{len(run.decisions)} decision(s) saved to {escape(str(store.path))}")
    return run


class _Session:
    """The state one review loop keeps between keys."""

    def __init__(self, store, claims, consistency, reviewer, console, read_line, council_search, run):
        self.store: ReviewStore = store
        self.claims: pd.DataFrame = claims
        self.consistency: pd.DataFrame = consistency
        self.reviewer: str = reviewer
        self.console: Console = console
        self.read_line: Callable[[str], str] = read_line
        self._search = council_search
        self.run: ReviewRun = run
        self.by_id = claims.assign(_id=claims["claim_id"].astype(str)).set_index("_id", drop=False)
        self.offsets = dict(zip(claims["claim_id"].astype(str), span_offsets(claims)))

    @property
    def search(self) -> CouncilSearch:
        if self._search is None:
            self._search = default_council_search(self.claims)
        return self._search

    def row(self, claim_id: str) -> pd.Series:
        """The claim as it stands now: machine values with this claim's latest decision laid over."""
        machine = self.by_id.loc[[claim_id]].drop(columns="_id")
        reviews = self.store.read()
        table, _ = apply_reviews(machine, reviews[reviews["claim_id"] == claim_id])
        row = table.iloc[0].copy()
        row["flags"] = self.consistency.at[claim_id, "flags"] if claim_id in self.consistency.index else row.get("flags")
        row["consistency_note"] = self.consistency.at[claim_id, "consistency_note"] if claim_id in self.consistency.index else None
        row["_offset"] = self.offsets.get(claim_id)
        return row

    def show(self, claim: pd.Series, position: int, total: int) -> None:
        self.console.print(render_claim(claim, position, total))
        self.console.print(Text(HELP, style="dim"))

    def act(self, action: str, claim: pd.Series) -> bool:
        """Carry out a decision key; True when the loop should move to the next claim. Accept and
        reject move on; a correction or note stays, so the reviewer sees the corrected claim and
        can fix another field before accepting it."""
        if action == "accept":
            corrections = self.corrections_of(claim)
            status = "corrected" if corrections else "accepted"
            return self.record(claim, status, **corrections)
        if action == "reject":
            return self.record(claim, "rejected")
        if action == "note":
            note = self.read_line("note: ").strip()
            if note:
                self.record(claim, "note", note=note)
            return False
        change = {"council": self.ask_council, "period": self.ask_period, "value": self.ask_value}[action](claim)
        if change is None:
            return False
        corrections = self.corrections_of(claim)
        corrections.update(change)
        self.record(claim, "corrected", **corrections)
        return False

    def corrections_of(self, claim: pd.Series) -> dict[str, object]:
        """The corrections already made to this claim, carried into the next decision so that
        "latest decision wins" never undoes an earlier correction."""
        reviews = self.store.read()
        latest = latest_decisions(reviews[reviews["claim_id"] == str(claim["claim_id"])])
        if latest.empty or latest.iloc[0]["status"] != "corrected":
            return {}
        row = latest.iloc[0]
        found: dict[str, object] = {}
        for name in CORRECTABLE_FIELDS:
            if row[name]:
                found[name] = float(row[name]) if name == "value" and row[name] != CLEAR else row[name]
        return found

    def record(self, claim: pd.Series, status: str, note: str = "", **corrections: object) -> bool:
        decision = decision_for(claim, status, reviewer=self.reviewer, note=note, **corrections)
        try:
            with output_lock(self.store.path.parent, "review"):  # taken per decision, never while waiting for a key
                saved = self.store.append(decision)
        except (ReviewError, OutputBusy, OutputError) as error:
            self.console.print(f"[red]{escape(str(error))}[/red]")
            return False
        self.run.decisions.append(saved)
        self.console.print(f"[green]{status}[/green] {escape(str(claim['claim_id']))}")
        return True

    def ask_council(self, claim: pd.Series) -> dict[str, object] | None:
        query = self.read_line(f"council name (or {CLEAR} for none): ").strip()
        if not query:
            return None
        if query == CLEAR:
            return {"council_code": CLEAR, "council_name": CLEAR}
        choices = self.search.search(query)
        if not choices:
            self.console.print(f"No council matches {escape(query)!r}.")
            return None
        for number, choice in enumerate(choices, start=1):
            extra = f" ({choice.note})" if choice.note else ""
            self.console.print(f"  {number}. {escape(choice.name)} [dim]{escape(choice.code + extra)}[/dim]")
        picked = self.read_line("number: ").strip()
        if not picked.isdigit() or not 1 <= int(picked) <= len(choices):
            self.console.print("No council chosen.")
            return None
        choice = choices[int(picked) - 1]
        return {"council_code": choice.code, "council_name": choice.name}

    def ask_period(self, claim: pd.Series) -> dict[str, object] | None:
        text = self.read_line(f"period (2017/18, 2018, 2018-03, 2018-03-31, A..B, {CLEAR} for none): ").strip()
        if not text:
            return None
        try:
            bounds = parse_period(text)
        except ValueError:
            self.console.print(f"[red]Not a period: {escape(text)!r}[/red]")
            return None
        if bounds is None:
            return {"period_start": CLEAR, "period_end": CLEAR}
        return {"period_start": bounds[0], "period_end": bounds[1]}

    def ask_value(self, claim: pd.Series) -> dict[str, object] | None:
        text = self.read_line("value (e.g. 12m, 28.4, 1,137): ").strip()
        if not text:
            return None
        try:
            return {"value": parse_value(text)}
        except ValueError:
            self.console.print(f"[red]Not a number: {escape(text)!r}[/red]")
            return None


def render_claim(claim: pd.Series, position: int = 0, total: int = 1) -> Panel:
    """One claim as the reviewer sees it: the sentence with the number highlighted, then its fields."""
    sentence = Text(text_of(claim.get("sentence")) or text_of(claim.get("text")))
    start = claim.get("_offset")
    if present(start):
        sentence.stylize("bold black on yellow", int(start), int(start) + len(text_of(claim.get("text"))))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    machine = claim.get("machine_value")
    value = _format_value(claim)
    if present(machine) and present(claim.get("value")) and float(machine) != float(claim["value"]):
        value += f"  (machine: {float(machine):,.10g})"
    council = " ".join(p for p in (text_of(claim.get("council_name")), f"[{text_of(claim.get('council_code'))}]" if present(claim.get("council_code")) else "") if p)
    council_detail = ", ".join(p for p in (text_of(claim.get("scope")), text_of(claim.get("link_basis"))) if p)
    period = "..".join(p for p in (text_of(claim.get("period_start")), text_of(claim.get("period_end"))) if p)
    period_detail = ", ".join(p for p in (text_of(claim.get("period_text")), text_of(claim.get("period_basis"))) if p)
    rows = [
        ("value", value),
        ("kind", " ".join(p for p in (text_of(claim.get("kind")), text_of(claim.get("measure"))) if p)),
        ("council", f"{council or '—'}  ({council_detail})" if council_detail else council or "—"),
        ("period", f"{period or '—'}  ({period_detail})" if period_detail else period or "—"),
        ("attribution", text_of(claim.get("attribution")) or "—"),
        ("flags", text_of(claim.get("flags")) or "—"),
    ]
    if present(claim.get("consistency_note")):
        rows.append(("why", text_of(claim.get("consistency_note"))))
    rows.append(("status", text_of(claim.get("review_status")) or "pending"))
    if present(claim.get("review_note")):
        rows.append(("note", text_of(claim.get("review_note"))))
    for label, text in rows:
        grid.add_row(label, Text(text))
    title = text_of(claim.get("title")) or text_of(claim.get("doc_id"))
    published = text_of(claim.get("published"))
    header = Text(f"{title}" + (f"  ·  {published}" if published else ""), style="bold")
    body = Table.grid()
    body.add_row(header)
    body.add_row(Text(text_of(claim.get("section")) or "", style="dim"))
    body.add_row(sentence)
    body.add_row(Text(""))
    body.add_row(grid)
    subtitle = f"{position + 1}/{total}  {text_of(claim.get('claim_id'))}"
    return Panel(body, title="claim", subtitle=escape(subtitle), subtitle_align="right")


def _format_value(claim: pd.Series) -> str:
    value = claim.get("value")
    if not present(value):
        return "—"
    unit = text_of(claim.get("unit"))
    number = f"{float(value):,.10g}"
    parts = [text_of(claim.get("qualifier")), number + ("%" if unit == "%" else ""), "" if unit == "%" else unit]
    if present(claim.get("per")):
        parts.append(f"per {text_of(claim.get('per'))}")
    return " ".join(p for p in parts if p)


def _terminal_key_reader(console: Console) -> Callable[[], str]:
    """One keypress from a terminal without Enter; a line's first character otherwise."""
    if not sys.stdin.isatty():
        return lambda: sys.stdin.readline()[:1] or _raise_eof()
    try:
        import termios
        import tty
    except ImportError:  # Windows: type the key and Enter
        return lambda: console.input("> ")[:1]

    def read() -> str:
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            key = sys.stdin.read(1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if key == "\x03":
            raise KeyboardInterrupt
        if key in ("", "\x04"):
            raise EOFError
        return key

    return read


def _raise_eof() -> str:
    raise EOFError


def default_reviewer() -> str:
    try:
        return os.environ.get("CLAIMS_REVIEWER") or getpass.getuser()
    except Exception:
        return "reviewer"


# -- the command ---------------------------------------------------------------------------------


def review_command(
    output_dir: Path,
    *,
    accept: list[str],
    reject: list[str],
    import_path: Path | None,
    reviewer: str,
    interactive: bool,
    filters: dict,
    console: Console | None = None,
    read_key: Callable[[], str] | None = None,
    read_line: Callable[[str], str] | None = None,
    council_search: CouncilSearch | None = None,
) -> int:
    """`claims review`: record --accept/--reject IDs and an --import file, optionally run the
    interactive loop, then rewrite claims_reviewed.csv, review_tasks.jsonl and
    orphaned_reviews.csv. Returns 0; raises ReviewError (unknown claim ids, a bad import row,
    no claims table) before writing anything."""
    output_dir = Path(output_dir)
    console = console or Console()
    reviewer = reviewer or default_reviewer()
    store = ReviewStore(output_dir / REVIEWS_FILE)
    if not output_dir.is_dir():
        raise ReviewError(f"{output_dir}: no such folder; run `claims extract INPUT --output {output_dir}` first")
    with output_lock(output_dir, "review"):  # the ids are checked against the table extract last published
        stray = _record_scripted(output_dir, store, console, accept=accept, reject=reject,
                                 import_path=import_path, reviewer=reviewer)
    if interactive:
        run_review(output_dir, read_key=read_key, read_line=read_line, console=console, reviewer=reviewer,
                   filters=filters, council_search=council_search)
    table, orphans = refresh_review_outputs(output_dir, store=store)
    summary = review_summary(table, orphans)
    counts = ", ".join(f"{n} {status}" for status, n in summary["by_status"].items())
    console.print(f"{summary['claims']} claims: {counts}; {summary['orphaned']} orphaned decision(s)")
    return 0


def _record_scripted(output_dir: Path, store: ReviewStore, console: Console, *, accept: list[str],
                     reject: list[str], import_path: Path | None, reviewer: str) -> list[str]:
    """Append --accept/--reject/--import decisions; returns the imported claim ids not in the table."""
    claims = load_claims(output_dir)
    by_id = {str(row["claim_id"]): row for _, row in claims.iterrows()}
    accept, reject = list(accept or []), list(reject or [])
    unknown = [claim_id for claim_id in accept + reject if claim_id not in by_id]
    if unknown:
        raise ReviewError(
            f"{output_dir / 'claims.csv'}: no claim {', '.join(unknown)}; copy claim_id from the table "
            "(decisions about claims that no longer exist are kept in orphaned_reviews.csv)"
        )
    both = sorted(set(accept) & set(reject))
    if both:
        raise ReviewError(f"both --accept and --reject given for {', '.join(both)}; pick one")
    decisions = [decision_for(by_id[i], "accepted", reviewer=reviewer) for i in accept]
    decisions += [decision_for(by_id[i], "rejected", reviewer=reviewer) for i in reject]
    imported = read_decisions_file(Path(import_path), reviewer=reviewer) if import_path else []
    for decision in imported:
        if decision.claim_id in by_id and not decision.doc_id:
            context = decision_for(by_id[decision.claim_id], decision.status, reviewer=decision.reviewer)
            # the claim's context added; the imported timestamp and everything else kept as given
            decision = dataclasses.replace(decision, doc_id=context.doc_id, claim_text=context.claim_text,
                                           sentence=context.sentence)
        decisions.append(decision)
    stray = [d.claim_id for d in imported if d.claim_id not in by_id]
    store.append_many(decisions)
    if decisions:
        console.print(f"{len(decisions)} decision(s) recorded in {escape(str(store.path))}")
    if stray:
        console.print(
            f"[yellow]{len(stray)} imported decision(s) name no current claim; they are listed in "
            f"orphaned_reviews.csv[/yellow]"
        )
    return stray


def refresh_review_outputs(output_dir: Path, *, store: ReviewStore | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lay reviews.csv over the claims table, run the consistency checks, and write the claims
    table and the review exports. Returns (table, orphans).

    Holds the output folder's lock and reads the table as it is on disk now: a `claims` copy
    loaded earlier is ignored, since `claims extract` may have published a newer table since
    (writing the old one back would undo that run)."""
    output_dir = Path(output_dir)
    store = store or ReviewStore(output_dir / REVIEWS_FILE)
    with output_lock(output_dir, "review"):
        table, orphans = apply_reviews(load_claims(output_dir), store.read())
        table = check_consistency(table)
        try:
            write_claims(table, output_dir)  # claims.csv/.parquet/.jsonl carry the decisions too
            export_reviewed(table, orphans, output_dir)
        except OSError as error:
            if is_disk_full(error):
                raise OutputError(disk_full_message(output_dir, error)) from error
            raise
    return table, orphans


def _lower(value: object) -> str:
    return text_of(value).lower()
