"""Find the council a reviewer means: the register's exact name forms first, then names and places
that contain or resemble what was typed."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from pipeline.councils.register import CouncilRegister, load_register
from pipeline.records import Council
from pipeline.tables.cells import present

SEARCH_LIMIT = 8


@dataclass(frozen=True)
class CouncilChoice:
    code: str
    name: str
    note: str = ""  # e.g. "ended 2023-03-31"


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
    """Searches the councils already named in a claims table (machine or corrected)."""

    def __init__(self, claims: pd.DataFrame):
        pairs: dict[str, str] = {}
        for code_column, name_column in (("council_code", "council_name"), ("machine_council_code", "machine_council_name")):
            if code_column in claims.columns and name_column in claims.columns:
                for code, name in zip(claims[code_column], claims[name_column]):
                    if present(code) and present(name):
                        pairs.setdefault(str(code), str(name))
        self.choices = [CouncilChoice(code, name) for code, name in sorted(pairs.items())]

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[CouncilChoice]:
        by_code = [c for c in self.choices if c.code == query.strip().upper()]
        return list(dict.fromkeys(by_code + _rank(query, ((c.name, c) for c in self.choices), limit)))[:limit]


class RegisterCouncilSearch:
    """Searches a CouncilRegister: a GSS code, its exact name forms, then names, places and every
    other name form (aliases, former names such as "Shepway" for Folkestone and Hythe)."""

    def __init__(self, register: CouncilRegister):
        self.register = register

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[CouncilChoice]:
        names = []
        for council in self.register.councils.values():
            choice = _choice(council)
            names.append((council.name, choice))
            names.append((council.short_name, choice))
        names += [(form.text, _choice(self.register.councils[form.code])) for form in self.register.forms]
        code = query.strip().upper()
        by_code = [_choice(self.register.councils[code])] if code in self.register.councils else []
        exact = [_choice(self.register.councils[form.code]) for form in self.register.forms_for(query.strip())]
        ranked = list(dict.fromkeys(by_code + exact + _rank(query, names, limit)))
        return ranked[:limit]


def _choice(council: Council) -> CouncilChoice:
    return CouncilChoice(council.code, council.name, f"ended {council.end}" if council.end else "")


def default_council_search() -> CouncilSearch:
    """The council register (models/councils.csv). A missing or broken register is an error
    (RegisterError, naming the file and the fix), not a quiet fallback."""
    return RegisterCouncilSearch(load_register())
