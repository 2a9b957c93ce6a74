"""Consistency checks on hand-made claims tables (the seed sentences among them)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.tables.consistency import (
    CONFLICTING_CLAIMS,
    HEADLINE_MISMATCH,
    INCONSISTENT_CHANGE,
    check_consistency,
    consistency_summary,
    stated_interval,
)
from pipeline.tables.files import claims_frame

KINDS = {"%": "percent", "GBP": "money", "USD": "money", None: "count", "pp": "percent"}


def claim(doc: str, sentence: str, text: str, value: float, unit: str | None = None, *, occurrence: int = 0,
          base: int = 0, **fields: object) -> dict:
    """A claims-table row for `text` in `sentence` (its k-th occurrence), offsets as extract writes them."""
    start = -1
    for _ in range(occurrence + 1):
        start = sentence.index(text, start + 1)
    row = dict(
        claim_id=f"{doc}:{base + start}", doc_id=doc, sentence=sentence, text=text, value=value, unit=unit,
        sentence_start=base, sentence_end=base + len(sentence), sentence_offset=start,
        kind=KINDS[unit], char_start=base + start, char_end=base + start + len(text), section="body", flags="",
        scope="unknown", link_basis="none", period_basis="none", source_path=f"{doc}.txt", line=1,
        confidence=0.9,
    )
    row.update(fields)
    return row


def change(doc: str, sentence: str, stated: tuple, start: tuple, end: tuple, change_id: str = "c1") -> list[dict]:
    """Rows for "<stated> ... from <start> to <end>": each tuple is (text, value, unit[, qualifier])."""
    rows = []
    for spec, extra in ((stated, {}), (start, {"change_id": change_id, "role": "from"}),
                        (end, {"change_id": change_id, "role": "to"})):
        if spec is None:
            continue
        text, value, unit, *qualifier = spec
        rows.append(claim(doc, sentence, text, value, unit, qualifier=qualifier[0] if qualifier else None, **extra))
    return rows


def flags_of(table: pd.DataFrame, text: str) -> list[str]:
    return [f for f in str(table.loc[table["text"] == text, "flags"].iloc[0]).split(";") if f]


SEED_003 = ("Its total spend on services for vulnerable children will increase by {d}, "
            "from £57.4 million to £73.7 million.")
SEED_004 = ("The number of inquiries into child protection concerns undertaken by councils has increased by "
            "124 per cent over the past decade, and the number of children needing child protection plans has "
            "increased from 26,400 to {to} over the same period – an increase of {d} children needing social "
            "work support to stay safe from significant harm.")
XSUM_STI = ("Between 2012 and 2015, cases of syphilis increased by {d}, from 3,001 to 5,288, while gonorrhoea "
            "infections rose by 53%, from 26,880 to 41,193.")
BBC_TW = "TimeWarner said fourth quarter sales rose {d} to $11.1bn from $10.9bn."


def seed_003(d: str, value: float) -> list[dict]:
    s = SEED_003.format(d=d)
    return change("seed3", s, (d, value, "%"), ("£57.4 million", 57.4e6, "GBP"), ("£73.7 million", 73.7e6, "GBP"))


def seed_004(to: str, d: str, d_value: float) -> list[dict]:
    s = SEED_004.format(to=to, d=d)
    to_value = float(to.replace("more than ", "").replace(",", ""))
    rows = [claim("seed4", s, "124 per cent", 124, "%")]
    rows += change("seed4", s, None, ("26,400", 26400, None),
                   (to, to_value, None, "more than" if "more" in to else None))
    rows.append(claim("seed4", s, d, d_value, None, qualifier="more than" if "more" in d else None))
    return rows


def xsum_sti(d: str, value: float) -> list[dict]:
    s = XSUM_STI.format(d=d)
    rows = change("x", s, (d, value, "%"), ("3,001", 3001, None), ("5,288", 5288, None), "c1")
    rows += change("x", s, ("53%", 53, "%"), ("26,880", 26880, None), ("41,193", 41193, None), "c2")
    return rows


def bbc_tw(d: str, value: float) -> list[dict]:
    s = BBC_TW.format(d=d)
    rows = change("b", s, (d, value, "%"), ("$10.9bn", 10.9e9, "USD"), ("$11.1bn", 11.1e9, "USD"))
    return rows


@pytest.mark.parametrize("rows,flagged", [
    # the two consistent seeds
    (seed_003("28.4%", 28.4), False),
    (seed_004("more than 50,000", "more than 23,000", 23000), False),
    # off by more than rounding
    (seed_003("18.4%", 18.4), True),
    (seed_003("28.9%", 28.9), True),
    (seed_004("more than 50,000", "10,000", 10000), True),
    (seed_004("50,000", "33,000", 33000), True),  # 50,000 - 26,400 is 23,600
    (seed_004("50,000", "23,600", 23600), False),
    (seed_004("50,000", "24,000", 24000), False),  # a round stated difference may be rounded
    # corpus sentences: two changes in one sentence, each with its own stated difference
    (xsum_sti("76%", 76), False),
    (xsum_sti("67%", 67), True),
    # "to ... from ...": order reversed, 1.8% rounded to 2%
    (bbc_tw("2%", 2), False),
    (bbc_tw("12%", 12), True),
])
def test_inconsistent_change(rows, flagged):
    table = check_consistency(claims_frame(rows))
    has_flag = table["flags"].str.contains(INCONSISTENT_CHANGE)
    assert has_flag.any() == flagged
    if flagged:
        assert table.loc[has_flag, "consistency_note"].str.contains("but the sentence states").all()


def test_inconsistent_change_flags_the_pair_and_the_difference_only():
    table = check_consistency(claims_frame(xsum_sti("67%", 67)))
    assert flags_of(table, "67%") == [INCONSISTENT_CHANGE]
    assert flags_of(table, "3,001") == [INCONSISTENT_CHANGE]
    assert flags_of(table, "53%") == []  # the other change is right
    assert flags_of(table, "26,880") == []


@pytest.mark.parametrize("sentence,stated,expect", [
    # a percent far from the change, with other numbers between, is not its difference
    ("The council spent 12% more on agency staff this year, and the budget for care homes will go "
     "from £10m to £20m in the plan agreed by 45 councillors.", "12%", False),
    # next to the change but not a change word near it: a share, not a difference
    ("Some 40% of pupils attended, from 200 to 300 schools in the area.", "40%", False),
])
def test_figures_that_are_not_a_stated_difference(sentence, stated, expect):
    pair = [t for t in ("£10m", "£20m", "200", "300") if t in sentence]
    units = {"£10m": "GBP", "£20m": "GBP", "200": None, "300": None}
    values = {"£10m": 10e6, "£20m": 20e6, "200": 200, "300": 300}
    rows = change("d", sentence, None, (pair[0], values[pair[0]], units[pair[0]]),
                  (pair[1], values[pair[1]], units[pair[1]]))
    rows.append(claim("d", sentence, stated, float(stated.rstrip("%")), "%"))
    if "45" in sentence:
        rows.append(claim("d", sentence, "45", 45, None))
    table = check_consistency(claims_frame(rows))
    assert table["flags"].str.contains(INCONSISTENT_CHANGE).any() == expect


def test_explicit_difference_role_is_used_whatever_the_distance():
    s = "Fees rose from £100 to £150 this year after a long and heated debate in the council chamber, up 20%."
    rows = change("d", s, None, ("£100", 100, "GBP"), ("£150", 150, "GBP"))
    rows.append(claim("d", s, "20%", 20, "%", change_id="c1", role="by"))
    assert check_consistency(claims_frame(rows))["flags"].str.contains(INCONSISTENT_CHANGE).all()


@pytest.mark.parametrize("text,value,qualifier,low,high", [
    ("£57.4 million", 57.4e6, None, 57.35e6, 57.45e6),
    ("28.4%", 28.4, None, 28.35, 28.45),
    ("1,137", 1137, None, 1136.5, 1137.5),
    ("26,400", 26400, None, 26350, 26450),
    ("50,000", 50000, None, 47500, 52500),  # round: rounded, but not by more than 5%
    ("more than 50,000", 50000, "more than", 47500, math.inf),
    ("fewer than 100", 100, None, -math.inf, 105),
    ("just under 700", 700, "just under", 595, 735),
    ("just over 700", 700, "just over", 665, math.inf),
    ("up to 700", 700, "up to", -math.inf, 735),
    ("almost 30%", 30, "almost", 25.5, 31.5),
    ("about 700", 700, "approximately", 595, 805),
    ("£3.1bn", 3.1e9, None, 3.05e9, 3.15e9),
    ("nine", 9, None, 8.5, 9.5),
])
def test_stated_interval(text, value, qualifier, low, high):
    interval = stated_interval(value, text, qualifier)
    assert interval.low == pytest.approx(low)
    assert interval.high == pytest.approx(high)


HEAD = "‘Financially unsustainable’ children’s services asks council for {h} for redesign"
BODY = "A council plans to invest £12 million into its ‘inadequate’-rated children’s services."
BODY_2 = "It was already forecasting a £1 million overspend, despite a £9 million additional spend."


def headline_doc(head_text: str, head_value: float, body: list[tuple[str, str, float]], **head_fields) -> list[dict]:
    rows = [claim("h", HEAD.format(h=head_text), head_text, head_value, "GBP", section="headline", **head_fields)]
    for number, (sentence, text, value) in enumerate(body):
        rows.append(claim("h", sentence, text, value, "GBP", base=1000 * (number + 1)))
    return rows


@pytest.mark.parametrize("rows,flagged", [
    # the seed: the headline's £12 million is the body's
    (headline_doc("£12 million", 12e6, [(BODY, "£12 million", 12e6), (BODY_2, "£1 million", 1e6)]), False),
    # a headline rounds: £12m for the body's £12.3 million
    (headline_doc("£12m", 12e6, [(BODY.replace("£12 million", "£12.3 million"), "£12.3 million", 12.3e6)]), False),
    # the body never says £12m, only other money figures
    (headline_doc("£21 million", 21e6, [(BODY, "£12 million", 12e6), (BODY_2, "£9 million", 9e6)]), True),
    # nothing comparable in the body (no money figure): nothing to mismatch
    (headline_doc("£21 million", 21e6, []), False),
    # measures known on both sides: only the same measure counts
    (headline_doc("£12 million", 12e6, [(BODY, "£12 million", 12e6)], measure="overspend")
     + [claim("h", BODY_2, "£1 million", 1e6, "GBP", base=3000, measure="overspend")], True),
])
def test_headline_mismatch(rows, flagged):
    table = check_consistency(claims_frame(rows))
    head = table[table["section"] == "headline"]
    assert head["flags"].str.contains(HEADLINE_MISMATCH).any() == flagged
    assert not table[table["section"] == "body"]["flags"].str.contains(HEADLINE_MISMATCH).any()

@pytest.mark.parametrize("head,head_value,unit,body,flagged,fields", [
    # corpus (BBC business/084): the headline truncates $16.6bn to $16bn
    ("Mexican in US send $16bn home", ("$16bn", 16e9), "USD",
     [("Mexican labourers sent a record $16.6bn home last year.", "$16.6bn", 16.6e9)], False, {}),
    # corpus (BBC business/425): the headline states the difference of two body figures
    ("Nortel in $300m profit revision", ("$300m", 300e6), "USD",
     [("Nortel said it had made $434m, compared to the previously reported $732m.", "$434m", 434e6),
      ("Nortel said it had made $434m, compared to the previously reported $732m.", "$732m", 732e6)], False, {}),
    # ...which only a headline about a change may do
    ("Nortel makes $300m profit", ("$300m", 300e6), "USD",
     [("Nortel said it had made $434m, compared to the previously reported $732m.", "$434m", 434e6),
      ("Nortel said it had made $434m, compared to the previously reported $732m.", "$732m", 732e6)], True, {}),
    # bare counts (scores, ages) are compared only within one measure
    ("Wales beat England 11 to 9", ("11", 11), None, [("Wales scored 2 tries in 80 minutes.", "80", 80)], False, {}),
    ("Council cuts 500 jobs", ("500", 500), None, [("The council will cut 300 jobs.", "300", 300)], True,
     {"measure": "jobs"}),
])
def test_headline_mismatch_on_corpus_shapes(head, head_value, unit, body, flagged, fields):
    rows = [claim("n", head, head_value[0], head_value[1], unit, section="headline", **fields)]
    for number, (sentence, text, value) in enumerate(body):
        rows.append(claim("n", sentence, text, value, unit, base=1000 * (number + 1), **fields))
    table = check_consistency(claims_frame(rows))
    assert table["flags"].str.contains(HEADLINE_MISMATCH).any() == flagged


def council_claim(doc: str, text: str, value: float, **fields) -> dict:
    sentence = f"Norfolk County Council has {text} looked-after children."
    base = dict(council_code="E10000020", council_name="Norfolk County Council", measure="looked-after children",
                period_start="2014-03-10", period_end="2014-03-10")
    base.update(fields)
    return claim(doc, sentence, text, value, None, **base)


@pytest.mark.parametrize("rows,flagged", [
    ([council_claim("a", "1,137", 1137), council_claim("b", "1,360", 1360)], True),
    ([council_claim("a", "1,137", 1137), council_claim("b", "1,137", 1137)], False),
    ([council_claim("a", "1,137", 1137), council_claim("b", "about 1,100", 1100, qualifier="about")], False),
    # same article: not a conflict across articles
    ([council_claim("a", "1,137", 1137), council_claim("a", "1,360", 1360)], False),
    # different period, council, measure or unit: different facts
    ([council_claim("a", "1,137", 1137), council_claim("b", "1,360", 1360, period_start="2017-03-31",
                                                        period_end="2017-03-31")], False),
    ([council_claim("a", "1,137", 1137), council_claim("b", "1,360", 1360, council_code="E10000013")], False),
    ([council_claim("a", "1,137", 1137), council_claim("b", "1,360", 1360, measure="children in need")], False),
    # no measure or no period: cannot say it is the same fact
    ([council_claim("a", "1,137", 1137, measure=None), council_claim("b", "1,360", 1360, measure=None)], False),
    ([council_claim("a", "1,137", 1137, period_start=None, period_end=None),
      council_claim("b", "1,360", 1360, period_start=None, period_end=None)], False),
    # a range in one article that covers the other's figure
    ([council_claim("a", "1,100", 1100, change_id="r", role="low"),
      council_claim("a", "1,200", 1200, change_id="r", role="high"), council_claim("b", "1,137", 1137)], False),
    # a change's start is about an earlier time
    ([council_claim("a", "1,015", 1015, change_id="c", role="from"), council_claim("b", "1,137", 1137)], False),
])
def test_conflicting_claims(rows, flagged):
    table = check_consistency(claims_frame(rows))
    assert table["flags"].str.contains(CONFLICTING_CLAIMS).any() == flagged


def test_flags_are_kept_recomputed_and_rejected_claims_left_out():
    rows = [council_claim("a", "1,137", 1137, flags="no_period_year;headline_mismatch"),
            council_claim("b", "1,360", 1360, flags="")]
    table = check_consistency(claims_frame(rows))
    assert flags_of(table, "1,137") == ["no_period_year", CONFLICTING_CLAIMS]
    again = check_consistency(table)
    assert flags_of(again, "1,137") == ["no_period_year", CONFLICTING_CLAIMS]  # idempotent
    again["review_status"] = ["pending", "rejected"]
    assert flags_of(check_consistency(again), "1,137") == ["no_period_year"]


def test_summary_counts_flags_and_keeps_notes():
    table = check_consistency(claims_frame(seed_003("18.4%", 18.4)
                                           + [council_claim("a", "1,137", 1137), council_claim("b", "1,360", 1360)]))
    summary = consistency_summary(table)
    assert summary["flagged_claims"] == {INCONSISTENT_CHANGE: 3, HEADLINE_MISMATCH: 0, CONFLICTING_CLAIMS: 2}
    assert any("+28.4%" in note and "18.4%" in note for note in summary["notes"])
    assert any("1,137 (a)" in note and "1,360 (b)" in note for note in summary["notes"])


def test_empty_table():
    table = check_consistency(claims_frame([]))
    assert table.empty and "flags" in table.columns and "consistency_note" in table.columns


# -- the checks' algorithms against the pairwise definitions they replace --------------------------

def _intervals(rng, count):
    from pipeline.tables.consistency import Interval

    found = []
    for _ in range(count):
        low = rng.choice([rng.uniform(-50, 150), float(rng.randint(0, 100)), -math.inf])
        width = rng.choice([0.0, rng.uniform(0, 20), math.inf])
        found.append(Interval(low, low + width if math.isfinite(low) or width != math.inf else math.inf))
    return found


@pytest.mark.parametrize("seed", range(300))
def test_difference_within_is_the_pairwise_check(seed):
    import random

    from pipeline.tables.consistency import Interval, _difference, _difference_within

    rng = random.Random(seed)
    intervals = _intervals(rng, rng.randint(0, 7))
    low = rng.uniform(-10, 60)
    head = Interval(low, low + rng.uniform(0, 15))
    pairwise = any(head.overlaps(_difference(r, o)) for i, r in enumerate(intervals)
                   for j, o in enumerate(intervals) if i != j)
    assert _difference_within(intervals, head) == pairwise


@pytest.mark.parametrize("seed", range(300))
def test_clashing_rows_are_those_of_a_pair_that_cannot_both_be_right(seed):
    import random

    from pipeline.tables.consistency import _clashing, checked_rows

    rng = random.Random(seed)
    intervals = _intervals(rng, rng.randint(1, 8))
    frame = claims_frame([claim(f"d{rng.randint(0, 3)}", f"It is {n}.", f"{n}", float(n)) for n in range(len(intervals))])
    rows = checked_rows(frame)
    points = {row.position: interval for row, interval in zip(rows, intervals)}
    pairwise = {r.position for r in rows for o in rows
                if r.doc_id != o.doc_id and not points[r.position].overlaps(points[o.position])}
    assert _clashing(rows, points) == pairwise


def test_headline_check_fed_in_pieces_equals_the_whole_article():
    """An article's rows cut anywhere (a table of thousands of figures is cut into chunks) give the
    headline check the same notes as the article read at once."""
    from pipeline.tables.consistency import HeadlineCheck, checked_rows

    head = "Council spends £5m"
    body = "It spent £1m, then £2m, then £9m on roads."
    rows = [claim("a", head, "£5m", 5e6, "GBP", section="headline"),
            *(claim("a", body, t, v, "GBP") for t, v in (("£1m", 1e6), ("£2m", 2e6), ("£9m", 9e6))),
            claim("b", "Costs hit 40%", "40%", 40, "%", section="headline"),
            claim("b", "They rose 35% and 20%.", "35%", 35, "%"), claim("b", "They rose 35% and 20%.", "20%", 20, "%")]
    whole = HeadlineCheck()
    whole.add(checked_rows(claims_frame(rows)))
    expected = [(head.position, note) for head, note in whole.close()]
    assert [position for position, _ in expected] == [0, 4]  # neither headline figure is in its body
    for cut in range(1, len(rows)):
        pieces = HeadlineCheck()
        every = checked_rows(claims_frame(rows))
        pieces.add(every[:cut])
        pieces.add(every[cut:])
        assert [(head.position, note) for head, note in pieces.close()] == expected
