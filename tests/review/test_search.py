"""Council search for corrections: the real register, ranked names."""
from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import pytest

from pipeline.councils.register import CouncilRegister, RegisterError, load_register
from pipeline.records import Council
from pipeline.review import search as search_module
from pipeline.review.search import CouncilChoice, RegisterCouncilSearch, TableCouncilSearch, default_council_search


NORFOLK = Council("E10000020", "Norfolk County Council", "Norfolk", "county", "England")
NORTH_NORFOLK = Council("E07000147", "North Norfolk District Council", "North Norfolk", "district", "England",
                        parent_code="E10000020")
NORTHAMPTONSHIRE = Council("E10000021", "Northamptonshire County Council", "Northamptonshire", "county", "England",
                           end=date(2021, 3, 31))


def test_register_search_puts_exact_names_first_and_shows_abolished_councils():
    search = RegisterCouncilSearch(CouncilRegister([NORFOLK, NORTH_NORFOLK, NORTHAMPTONSHIRE]))
    assert [c.code for c in search.search("Norfolk")][:2] == ["E10000020", "E07000147"]
    assert search.search("northamptonshire")[0] == CouncilChoice(
        "E10000021", "Northamptonshire County Council", "ended 2021-03-31")
    assert search.search("zzz") == []


def test_the_real_register_is_searched_by_default():
    names = [c.name for c in default_council_search().search("Gloucestershire")]
    assert any("Gloucestershire" in name for name in names)


def test_a_missing_register_is_an_error_that_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(search_module, "load_register", partial(load_register, tmp_path / "councils.csv"))
    with pytest.raises(RegisterError, match="council register not found"):
        default_council_search()


@pytest.mark.parametrize("query,codes", [
    ("Norfolk County Council", ["E10000020"]),  # the exact name first
    ("norf", ["E10000020", "E07000147"]),
    ("Northamptonshir", ["E10000021"]),  # a close spelling
    ("Leeds", []),
])
def test_table_search_ranks_the_councils_the_table_names(query, codes):
    table = pd.DataFrame({"council_code": ["E10000020", "E07000147", None], "council_name":
                          ["Norfolk County Council", "North Norfolk District Council", None],
                          "machine_council_code": ["E10000021", None, None], "machine_council_name":
                          ["Northamptonshire County Council", None, None]})
    assert [c.code for c in TableCouncilSearch(table).search(query)][: len(codes) or None] == codes


FOLKESTONE = Council("E07000112", "Folkestone and Hythe Council", "Folkestone and Hythe", "district", "England")


@pytest.mark.parametrize("query,first", [
    ("E07000112", "E07000112"),  # a GSS code
    ("e07000112", "E07000112"),
    ("Shepway", "E07000112"),  # a former name, held as an alias
    ("Shepway District Council", "E07000112"),
    ("shepwy", "E07000112"),  # a close spelling of it
    ("E10000020", "E10000020"),
])
def test_register_search_by_code_and_former_names(query, first):
    from pipeline.councils.register import NameForm

    register = CouncilRegister([NORFOLK, FOLKESTONE], [NameForm("Shepway", "E07000112", "place", "alias"),
                                                        NameForm("Shepway District Council", "E07000112", "name", "alias")])
    assert RegisterCouncilSearch(register).search(query)[0].code == first


def test_table_search_by_code():
    table = pd.DataFrame({"council_code": ["E10000020", "E07000147"],
                          "council_name": ["Norfolk County Council", "North Norfolk District Council"]})
    assert [c.code for c in TableCouncilSearch(table).search("e07000147")] == ["E07000147"]
