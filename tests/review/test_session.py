"""The interactive review loop, driven by scripted keys and lines (no terminal)."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from pipeline.review.command import review_command
from pipeline.review.search import TableCouncilSearch
from pipeline.review.session import run_review
from pipeline.tables.decisions import REVIEWS_FILE, ReviewError, apply_reviews, latest_decisions, load_claims, read_reviews
from pipeline.tables.files import claims_frame

from claim_rows import S_NORFOLK, row, spend_rows, write_outputs

def claims() -> pd.DataFrame:
    return claims_frame(spend_rows(flags="no_period_year") + [
        row("c-nfk", "001", S_NORFOLK, "1,137", 1137, None, "count", council_code="E10000020",
            council_name="Norfolk County Council", period_start="2014-03-10", period_end="2014-03-10",
            title="Norfolk aims to cut ‘excessive' number of children in care", published="2014-03-10"),
    ])


@pytest.fixture
def out(tmp_path: Path) -> Path:
    write_outputs(claims(), tmp_path)
    return tmp_path


def scripted(items: list[str]):
    """A reader returning the items in turn; StopIteration when they run out, as a closed stdin would."""
    iterator = iter(items)
    return lambda *prompt: next(iterator)


def review(out: Path, keys: list[str], lines: list[str] = (), **options):
    console = Console(file=io.StringIO(), width=110)
    run = run_review(out, read_key=scripted(keys), read_line=scripted(list(lines)), console=console,
                     reviewer="ann", **options)
    return run, console.file.getvalue()


def statuses(out: Path) -> dict[str, str]:
    latest = latest_decisions(read_reviews(out / REVIEWS_FILE))
    return dict(zip(latest["claim_id"], latest["status"]))


def test_keys_decide_claims_in_queue_order_pending_and_flagged_first(out):
    # queue: c-extra (flagged), then by article: 001's c-nfk, 003's c-pct, c-from, c-to
    run, shown = review(out, ["a", "r", "s", "a", "q"])
    assert statuses(out) == {"c-extra": "accepted", "c-nfk": "rejected", "c-from": "accepted"}
    assert run.stopped == "quit" and len(run.decisions) == 3 and run.queue == 5
    assert shown.index("£3.9 million") < shown.index("1,137") < shown.index("28.4%")
    # a second session starts with what is still pending
    _, shown_again = review(out, ["q"])
    assert "1/5  c-pct" in shown_again


def test_each_decision_is_on_disk_before_the_next_key(out):
    seen_on_disk = []

    def keys():
        seen_on_disk.append(len(read_reviews(out / REVIEWS_FILE)))
        if len(seen_on_disk) == 3:
            raise KeyboardInterrupt  # Ctrl-C on the third claim
        return "a"

    console = Console(file=io.StringIO(), width=110)
    run = run_review(out, read_key=keys, read_line=scripted([]), console=console, reviewer="ann")
    assert seen_on_disk == [0, 1, 2]
    assert run.stopped == "interrupt"
    assert list(read_reviews(out / REVIEWS_FILE)["status"]) == ["accepted", "accepted"]
    assert "every decision made so far is saved" in console.file.getvalue()


def test_running_out_of_keys_ends_the_session(out):
    run, _ = review(out, ["a"])
    assert run.stopped == "quit" and len(run.decisions) == 1


def test_back_revisits_and_the_latest_decision_wins(out):
    review(out, ["a", "b", "r", "q"])
    assert statuses(out) == {"c-extra": "rejected"}


def test_correct_council_by_searching_names(out):
    run, shown = review(out, ["c", "q"], ["norf", "1"], council_search=TableCouncilSearch(load_claims(out)))
    assert "1. Norfolk County Council" in shown
    table, _ = apply_reviews(load_claims(out), read_reviews(out / REVIEWS_FILE))
    extra = table.set_index("claim_id").loc["c-extra"]
    assert extra["review_status"] == "corrected"
    assert (extra["council_code"], extra["council_name"]) == ("E10000020", "Norfolk County Council")
    assert extra["machine_council_code"] == "E10000013"


def test_corrections_accumulate_and_accept_keeps_them(out):
    # council, then period, then value on the same claim; then accept it as corrected
    review(out, ["c", "p", "v", "a", "q"], ["norfolk", "1", "2017/18", "£3.95m"],
           council_search=TableCouncilSearch(load_claims(out)))
    table, _ = apply_reviews(load_claims(out), read_reviews(out / REVIEWS_FILE))
    extra = table.set_index("claim_id").loc["c-extra"]
    assert extra["review_status"] == "corrected"
    assert extra["council_code"] == "E10000020"
    assert (extra["period_start"], extra["period_end"]) == ("2017-04-01", "2018-03-31")
    assert extra["value"] == 3.95e6
    assert len(read_reviews(out / REVIEWS_FILE)) == 4


@pytest.mark.parametrize("keys,lines,expected", [
    (["c", "q"], ["", ], {}),  # empty answer: nothing recorded
    (["c", "q"], ["zzzz", ""], {}),  # no council matches, asked again, then given up
    (["c", "q"], ["norfolk", "9", ""], {}),  # a number off the list, asked again, then given up
    (["c", "q"], ["-"], {"c-extra": "corrected"}),  # "-": no council
    (["p", "q"], ["March", ""], {}),  # not a period
    (["v", "q"], ["lots", ""], {}),  # not a number
])
def test_corrections_that_are_cancelled_or_invalid_record_nothing(out, keys, lines, expected):
    review(out, keys, lines, council_search=TableCouncilSearch(load_claims(out)))
    assert statuses(out) == expected


@pytest.mark.parametrize("keys,lines,field,expected", [
    (["p", "q"], ["last year", "2017/18"], "period_start", "2017-04-01"),
    (["v", "q"], ["lots", "4m"], "value", 4e6),
    (["c", "q"], ["zzzz", "norfolk", "7", "1"], "council_code", "E10000020"),
])
def test_an_invalid_entry_asks_again(out, keys, lines, field, expected):
    run, shown = review(out, keys, lines, council_search=TableCouncilSearch(load_claims(out)))
    assert "try again" in shown or "Not on the list" in shown
    table, _ = apply_reviews(load_claims(out), read_reviews(out / REVIEWS_FILE))
    assert table.set_index("claim_id").loc["c-extra", field] == expected


def test_a_corrected_period_or_council_clears_its_flag_on_screen_and_in_the_table(out):
    table = claims()
    table.loc[table["claim_id"] == "c-extra", "flags"] = "no_period;no_council;bound"
    write_outputs(table, out)
    run, shown = review(out, ["p", "c", "q"], ["2017/18", "norfolk", "1"],
                        council_search=TableCouncilSearch(load_claims(out)))
    screens = shown.split("╭")
    assert "no_period;no_council;bound" in screens[1]
    last = [screen for screen in screens if "c-extra" in screen][-1]
    assert "no_period" not in last and "no_council" not in last and "bound" in last
    table, _ = apply_reviews(load_claims(out), read_reviews(out / REVIEWS_FILE))
    extra = table.set_index("claim_id").loc["c-extra"]
    assert extra["flags"] == "bound" and extra["machine_flags"] == "no_period;no_council;bound"
    cleared, _ = apply_reviews(load_claims(out), pd.DataFrame([
        {"claim_id": "c-nfk", "status": "corrected", "period_start": "-", "period_end": "-", "council_code": "-",
         "council_name": "-", "timestamp": "2026-01-01T00:00:00"}]))
    assert cleared.set_index("claim_id").loc["c-nfk", "flags"] == "no_council;no_period"


def test_each_claim_gets_a_clear_screen_on_a_terminal(out):
    console = Console(file=io.StringIO(), width=110, force_terminal=True)
    run_review(out, read_key=scripted(["s", "s", "q"]), read_line=scripted([]), console=console, reviewer="ann")
    assert console.file.getvalue().count("\x1b[2J") == 3


def test_a_note_is_saved_at_once_and_the_claim_stays(out):
    run, shown = review(out, ["n", "a", "q"], ["figure is from the 2018 budget"])
    reviews = read_reviews(out / REVIEWS_FILE)
    assert list(zip(reviews["claim_id"], reviews["status"])) == [("c-extra", "note"), ("c-extra", "accepted")]
    table, _ = apply_reviews(load_claims(out), reviews)
    assert table.set_index("claim_id").loc["c-extra", "review_note"] == "figure is from the 2018 budget"


def test_unknown_keys_show_help(out):
    _, shown = review(out, ["x", "q"])
    assert shown.count("[a]ccept") == 2  # the claim is not drawn again, the keys are


@pytest.mark.parametrize("filters,expected", [
    ({"flag": "no_period_year"}, ["c-extra"]),
    ({"council": "norfolk"}, ["c-nfk"]),
    ({"council": "E10000020"}, ["c-nfk"]),
    ({"kind": "percent"}, ["c-pct"]),
    ({"article": "001"}, ["c-nfk"]),
    ({"article": "budget", "kind": "money"}, ["c-extra", "c-from", "c-to"]),
    ({"flag": "headline_mismatch"}, []),
])
def test_filters(out, filters, expected):
    run, shown = review(out, ["a"] * 10, filters=filters)
    assert [d.claim_id for d in run.decisions] == expected
    if not expected:
        assert "No claims to review with these filters." in shown


@pytest.mark.parametrize("filters,message", [
    ({"kind": "monney"}, "--kind monney: no such kind; did you mean money? use one of money, percent, count"),
    ({"flag": "no_counci"}, "--flag no_counci: no such flag; did you mean no_council? use one of no_council, no_period"),
    ({"flag": "no_period_yaer"}, "did you mean no_period_year?"),  # a flag only this table has
    ({"status": "acepted"}, "--status acepted: no such status; did you mean accepted?"),
    ({"kind": "xyz"}, "--kind xyz: no such kind; use one of money"),  # nothing close: the list alone
])
def test_a_filter_typo_lists_the_valid_values(out, filters, message):
    with pytest.raises(ReviewError) as raised:
        review(out, ["q"], filters=filters)
    assert message in str(raised.value)


def test_an_unknown_filter_is_an_error(out):
    with pytest.raises(ReviewError, match="unknown review filter 'colour'"):
        review(out, ["q"], filters={"colour": "red"})


def test_review_command_runs_the_loop_then_refreshes_the_exports(out):
    console = Console(file=io.StringIO(), width=110)
    review_command(out, accept=["c-pct"], reject=[], import_path=None, reviewer="ann", interactive=True,
                   filters={"kind": "money"}, console=console, read_key=scripted(["a", "r", "q"]),
                   read_line=scripted([]))
    assert statuses(out) == {"c-pct": "accepted", "c-extra": "accepted", "c-from": "rejected"}
    reviewed = pd.read_csv(out / "claims_reviewed.csv", dtype=str)
    assert sorted(reviewed["claim_id"]) == ["c-extra", "c-pct"]
