"""The interactive review loop: shows claims one at a time and appends each key's decision to
outputs/reviews.csv the moment it is made."""
from __future__ import annotations

import difflib
import getpass
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from pipeline.records import AMOUNT_KINDS
from pipeline.review.parse import parse_period, parse_value
from pipeline.review.render import claim_context, render_claim
from pipeline.review.search import CouncilSearch, default_council_search
from pipeline.tables.cells import split_flags, text_of
from pipeline.tables.consistency import CONSISTENCY_FLAGS, check_consistency
from pipeline.tables.decisions import (
    CLEAR,
    CORRECTABLE_FIELDS,
    REVIEW_STATUSES,
    REVIEWS_FILE,
    ReviewDecision,
    ReviewError,
    ReviewStore,
    apply_reviews,
    decision_for,
    latest_decisions,
    load_claims,
)
from pipeline.tables.exports import review_queue
from pipeline.tables.lock import OutputBusy, OutputError, output_lock

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
# Flags a claim can carry (claim_builder's, the council linker's, the consistency checks'); with
# those a table holds, the values --flag accepts.
KNOWN_FLAGS = ("no_council", "no_period", "ambiguous_council", "bound") + CONSISTENCY_FLAGS
HELP = "[a]ccept  [r]eject  correct [c]ouncil / [p]eriod / [v]alue  [n]ote  [s]kip  [b]ack  [q]uit"
FILTER_KEYS = ("council", "flag", "kind", "article", "status")


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
        _check_filter_value(key, value, table)
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


def _check_filter_value(key: str, value: str, claims: pd.DataFrame) -> None:
    """A --kind, --flag or --status that no claim could have is a typo: say so, with the valid
    values and the closest one, rather than show an empty queue."""
    if key == "kind":
        valid = list(AMOUNT_KINDS)
    elif key == "flag":
        present_flags = {flag.lower() for cell in claims["flags"] for flag in split_flags(cell)}
        valid = list(dict.fromkeys([*KNOWN_FLAGS, *sorted(present_flags)]))
    elif key == "status":
        valid = list(REVIEW_STATUSES)
    else:
        return
    if value in valid:
        return
    close = difflib.get_close_matches(value, valid, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    raise ReviewError(f"--{key} {value}: no such {key}; {hint}use one of {', '.join(valid)}")


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
    session.output_dir = output_dir
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
        self.output_dir: Path | None = None
        self.by_id = claims.assign(_id=claims["claim_id"].astype(str)).set_index("_id", drop=False)

    @property
    def search(self) -> CouncilSearch:
        if self._search is None:
            self._search = default_council_search()
        return self._search

    def row(self, claim_id: str) -> pd.Series:
        """The claim as it stands now: machine values with this claim's latest decision laid over."""
        machine = self.by_id.loc[[claim_id]].drop(columns="_id")
        reviews = self.store.read()
        table, _ = apply_reviews(machine, reviews[reviews["claim_id"] == claim_id])
        row = table.iloc[0].copy()
        if claim_id in self.consistency.index:  # the consistency checks' flags, with the reviewed ones
            checked = [f for f in split_flags(self.consistency.at[claim_id, "flags"]) if f in CONSISTENCY_FLAGS]
            own = [f for f in split_flags(row.get("flags")) if f not in CONSISTENCY_FLAGS]
            row["flags"] = ";".join(own + checked) or None
        row["consistency_note"] = self.consistency.at[claim_id, "consistency_note"] if claim_id in self.consistency.index else None
        return row

    def show(self, claim: pd.Series, position: int, total: int) -> None:
        self.console.clear()  # one claim per screen (nothing is written when not a terminal)
        self.console.print(render_claim(claim, position, total, context=claim_context(claim, self.output_dir)))
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
        """A name, former name or GSS code, then a number from the list; a query matching nothing or
        a number not on the list asks again, an empty line gives up."""
        while True:
            query = self.read_line(f"council name, former name or GSS code (or {CLEAR} for none): ").strip()
            if not query:
                return None
            if query == CLEAR:
                return {"council_code": CLEAR, "council_name": CLEAR}
            choices = self.search.search(query)
            if choices:
                break
            self.console.print(f"No council matches {escape(query)!r}; try again, or Enter to give up.")
        for number, choice in enumerate(choices, start=1):
            extra = f" ({choice.note})" if choice.note else ""
            self.console.print(f"  {number}. {escape(choice.name)} [dim]{escape(choice.code + extra)}[/dim]")
        while True:
            picked = self.read_line("number: ").strip()
            if not picked:
                self.console.print("No council chosen.")
                return None
            if picked.isdigit() and 1 <= int(picked) <= len(choices):
                choice = choices[int(picked) - 1]
                return {"council_code": choice.code, "council_name": choice.name}
            self.console.print(f"[red]Not on the list: {escape(picked)!r}[/red]; give 1 to {len(choices)}, or Enter to give up.")

    def ask_period(self, claim: pd.Series) -> dict[str, object] | None:
        while True:
            text = self.read_line(f"period (2017/18, 2018, 2018-03, 2018-03-31, A..B, {CLEAR} for none): ").strip()
            if not text:
                return None
            try:
                bounds = parse_period(text)
            except ValueError:
                self.console.print(f"[red]Not a period: {escape(text)!r}[/red]; try again, or Enter to give up.")
                continue
            if bounds is None:
                return {"period_start": CLEAR, "period_end": CLEAR}
            return {"period_start": bounds[0], "period_end": bounds[1]}

    def ask_value(self, claim: pd.Series) -> dict[str, object] | None:
        while True:
            text = self.read_line("value (e.g. 12m, 28.4, 1,137): ").strip()
            if not text:
                return None
            try:
                return {"value": parse_value(text)}
            except ValueError:
                self.console.print(f"[red]Not a number: {escape(text)!r}[/red]; try again, or Enter to give up.")


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


def _lower(value: object) -> str:
    return text_of(value).lower()
