"""The council register: its contents, its checks and its lookups."""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from pipeline.records import Council
from pipeline.resources import MODELS_DIR as MODELS
from pipeline.councils.register import (
    DEFAULT_REGISTER,
    CouncilRegister,
    NameForm,
    RegisterError,
    load_register,
    read_councils,
)


@pytest.fixture(scope="module")
def register() -> CouncilRegister:
    return load_register()


def test_register_covers_the_uk(register):
    nations = {}
    for council in register.councils.values():
        if council.alive_on(date(2024, 1, 1)):
            nations[council.nation] = nations.get(council.nation, 0) + 1
    # 2024: England 317 councils (21 counties + 296 lower/single tier), Wales 22, Scotland 32, NI 11
    assert nations == {"England": 317, "Wales": 22, "Scotland": 32, "Northern Ireland": 11}


@pytest.mark.parametrize("day,expected", [
    (date(2008, 1, 1), 26),   # the 26 districts
    (date(2016, 1, 1), 11),   # the 11 councils of 2015
])
def test_northern_ireland_by_date(register, day, expected):
    alive = [c for c in register.councils.values() if c.nation == "Northern Ireland" and c.alive_on(day)]
    assert len(alive) == expected


@pytest.mark.parametrize("code,name,kind,end,replaced_by", [
    ("E10000020", "Norfolk County Council", "county", None, ()),
    ("E10000021", "Northamptonshire County Council", "county", date(2021, 3, 31), ("E06000061", "E06000062")),
    ("E07000154", "Northampton Borough Council", "district", date(2021, 3, 31), ("E06000062",)),
    ("E10000023", "North Yorkshire County Council", "county", date(2023, 3, 31), ("E06000065",)),
    ("E06000065", "North Yorkshire Council", "unitary", None, ()),
    ("E10000006", "Cumbria County Council", "county", date(2023, 3, 31), ("E06000063", "E06000064")),
    ("E10000027", "Somerset County Council", "county", date(2023, 3, 31), ("E06000066",)),
    ("E06000028", "Bournemouth Borough Council", "unitary", date(2019, 3, 31), ("E06000058",)),
    ("E10000002", "Buckinghamshire County Council", "county", date(2020, 3, 31), ("E06000060",)),
    ("E10000004", "Cheshire County Council", "county", date(2009, 3, 31), ("E06000049", "E06000050")),
    ("E10000001", "Bedfordshire County Council", "county", date(2009, 3, 31), ("E06000055", "E06000056")),
    ("E09000022", "London Borough of Lambeth", "london_borough", None, ()),
    ("E09000001", "City of London Corporation", "city_of_london", None, ()),
    ("E06000053", "Council of the Isles of Scilly", "unitary", None, ()),
    ("S12000006", "Dumfries and Galloway Council", "unitary", None, ()),
    ("N09000003", "Belfast City Council", "district", None, ()),
    ("95Z", "Belfast City Council", "district", date(2015, 3, 31), ("N09000003",)),
])
def test_register_rows(register, code, name, kind, end, replaced_by):
    council = register.get(code)
    assert (council.name, council.kind, council.end, council.replaced_by) == (name, kind, end, replaced_by)


def test_districts_have_their_county(register):
    assert register.get("E07000146").parent_code == "E10000020"  # King's Lynn and West Norfolk
    assert register.get("E07000150").parent_code == "E10000021"  # Corby


@pytest.mark.parametrize("text,day,codes", [
    ("Norfolk County Council", None, ["E10000020"]),
    ("Norfolk", date(2017, 9, 1), ["E10000020"]),
    ("London Borough of Lambeth", None, ["E09000022"]),
    ("Lambeth Council", None, ["E09000022"]),
    ("City of York Council", None, ["E06000014"]),
    ("York Council", None, ["E06000014"]),
    ("Hull City Council", None, ["E06000010"]),
    ("Glasgow City Council", None, ["S12000049"]),
    ("Borough Council of King's Lynn and West Norfolk", None, ["E07000146"]),
    ("Borough Council of King’s Lynn and West Norfolk", None, ["E07000146"]),
    ("Dumfries and Galloway Council", None, ["S12000006"]),
    ("Adur council", None, ["E07000223"]),
    ("Oxford", None, ["E07000178"]),
    ("Oxfordshire", None, ["E10000025"]),
    ("North Yorkshire council", date(2020, 1, 1), ["E10000023"]),
    ("North Yorkshire council", date(2024, 1, 1), ["E06000065"]),
    ("Northamptonshire County Council", date(2018, 6, 1), ["E10000021"]),
    ("Northamptonshire", date(2022, 6, 1), []),           # abolished: the linker turns to its successors
    ("Belfast", date(2010, 1, 1), ["95Z"]),
    ("Belfast", date(2016, 1, 1), ["N09000003"]),
    ("Security Council", None, []),
    ("Arts Council", None, []),
])
def test_lookup(register, text, day, codes):
    assert [c.code for c in register.lookup(text, day)] == codes


def test_successors_of_an_abolished_council(register):
    northants = register.get("E10000021")
    assert {c.code for c in register.successors(northants, date(2022, 1, 1))} == {"E06000061", "E06000062"}
    # Taunton Deane -> Somerset West and Taunton (2019) -> Somerset Council (2023)
    assert [c.code for c in register.successors(register.get("E07000190"), date(2024, 1, 1))] == ["E06000066"]


def _council(code: str, name: str, start: date | None = None, end: date | None = None) -> Council:
    return Council(code=code, name=name, short_name=name.replace(" Council", ""), kind="unitary",
                   nation="England", start=start, end=end)


@pytest.mark.parametrize("councils,aliases,message", [
    ([_council("E06000001", "A Council"), _council("E06000001", "B Council")], [], "appears twice"),
    ([_council("E06000001", "A Council"), _council("E06000002", "B Council")],
     [NameForm("Same Council", "E06000001", "name", "alias"), NameForm("Same Council", "E06000002", "name", "alias")],
     "both alive at the same time"),
    ([_council("E06000001", "A Council")], [NameForm("Ghost", "E06000099", "place", "alias")], "unknown code"),
])
def test_register_checks(councils, aliases, message):
    with pytest.raises(RegisterError, match=message):
        CouncilRegister(councils, aliases)


def test_same_alias_for_councils_at_different_times_is_fine():
    old = _council("E06000001", "A Council", end=date(2020, 3, 31))
    new = _council("E06000002", "B Council", start=date(2020, 4, 1))
    register = CouncilRegister([old, new], [NameForm("Same Council", "E06000001", "name", "alias"),
                                            NameForm("Same Council", "E06000002", "name", "alias")])
    assert [c.code for c in register.lookup("same council", date(2021, 1, 1))] == ["E06000002"]


@pytest.mark.parametrize("column,value,message", [
    ("code", "X123", "not a GSS code"),
    ("kind", "parish", "kind 'parish'"),
    ("nation", "Mercia", "nation 'Mercia'"),
    ("end", "31/03/2021", "not an ISO date"),
])
def test_bad_rows_are_named(tmp_path: Path, column, value, message):
    with open(DEFAULT_REGISTER, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[4][column] = value
    path = tmp_path / "councils.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(RegisterError, match=rf"councils.csv:6: .*{message}"):
        read_councils(path)


def test_generated_file_is_up_to_date(tmp_path: Path):
    """models/councils.csv is what pipeline.councils.build makes from the installed packages
    (pinned in requirements.lock: a missing one is a failure, not a skip)."""
    from pipeline.councils.build import build

    out = tmp_path / "councils.csv"
    build(out)
    assert out.read_text(encoding="utf-8") == DEFAULT_REGISTER.read_text(encoding="utf-8")


# ----- mySociety's register (../shared/reference/mysociety-uk-la): checks and derived files -----
from pipeline.councils import reference as mysociety  # noqa: E402

REFERENCE_PRESENT = (mysociety.DEFAULT_REFERENCE / "uk_local_authorities_current.csv").exists()
needs_reference = pytest.mark.skipif(not REFERENCE_PRESENT, reason="../shared/reference/mysociety-uk-la absent")


@pytest.mark.parametrize("text,day,codes", [
    ("Shepway", date(2015, 1, 1), ["E07000112"]),                  # former name of Folkestone and Hythe
    ("Shepway District Council", None, ["E07000112"]),
    ("Folkestone and Hythe District Council", None, ["E07000112"]),  # mySociety's official name
    ("Wigan Metropolitan Borough Council", None, ["E08000010"]),
    ("Western Isles Council", None, ["S12000013"]),
    ("Caerdydd", None, ["W06000015"]),                              # Welsh name
    ("Telford", None, ["E06000020"]),                               # a town alias: council words needed
])
def test_names_from_mysociety(register, text, day, codes):
    assert [c.code for c in register.lookup(text, day)] == codes


def test_regional_bodies_have_their_codes():
    with open(MODELS / "regional_bodies.csv", newline="", encoding="utf-8") as handle:
        bodies = {row["code"]: row for row in csv.DictReader(handle)}
    assert bodies["E61000001"]["name"] == "Greater London Authority"
    assert bodies["E47000001"]["kind"] == "combined_authority"
    assert all(code[:3] in ("E47", "E61") for code in bodies)


@needs_reference
def test_derived_files_are_what_the_reference_gives(tmp_path: Path):
    """models/council_names_mysociety.csv and models/regional_bodies.csv are the refresh of today's data,
    and the register agrees with mySociety's (the 26 NI SNAC codes included) but for the listed exceptions."""
    from pipeline.councils.build import refresh

    names, bodies = tmp_path / "names.csv", tmp_path / "bodies.csv"
    refresh(mysociety.DEFAULT_REFERENCE, names_path=names, regional_path=bodies)
    assert names.read_text(encoding="utf-8") == (MODELS / "council_names_mysociety.csv").read_text(encoding="utf-8")
    assert bodies.read_text(encoding="utf-8") == (MODELS / "regional_bodies.csv").read_text(encoding="utf-8")


@needs_reference
@pytest.mark.parametrize("code,column,value,message", [
    ("95A", "name", "Limavady Borough Council", "95A: SNAC code names 'Limavady Borough Council'"),
    ("E07000154", "end", "2020-03-31", "E07000154: end 2020-03-31"),
    ("E06000010", "nation", "Wales", "E06000010: nation 'Wales'"),
    ("E10000021", "replaced_by", "E06000061", "E10000021: replaced_by E06000061"),
])
def test_disagreements_with_mysociety_stop_the_build(tmp_path: Path, code, column, value, message):
    """A wrong hand-transcribed code, date, nation or successor fails loudly, naming the council."""
    from pipeline.councils.build import refresh

    with open(MODELS / "councils_extra.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    override = {field: "" for field in fields}
    override.update(code=code, source="test")
    override[column] = value
    if code not in {row["code"] for row in rows}:
        rows.append(override)
    else:
        next(row for row in rows if row["code"] == code)[column] = value
    extra = tmp_path / "extra.csv"
    with open(extra, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(SystemExit, match=re.escape(message)):
        refresh(mysociety.DEFAULT_REFERENCE, extra, names_path=tmp_path / "n.csv", regional_path=tmp_path / "b.csv")


def test_an_explained_disagreement_is_accepted():
    problems = ["E10000009: replaced_by E06000058;E06000059, mySociety says E06000059"]
    exceptions = mysociety.read_exceptions(MODELS / "mysociety_exceptions.csv")
    assert [p for p in problems if p not in exceptions] == []
