"""The UK council register: reads models/councils.csv and models/council_aliases.csv, checks them, answers lookups."""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.records import Council
from pipeline.resources import MODELS_DIR

DEFAULT_REGISTER = MODELS_DIR / "councils.csv"
DEFAULT_ALIASES = MODELS_DIR / "council_aliases.csv"
# official, alternative and former names from mySociety's register, written by pipeline.councils.build
MYSOCIETY_NAMES = MODELS_DIR / "council_names_mysociety.csv"
DEFAULT_ALIAS_FILES = (DEFAULT_ALIASES, MYSOCIETY_NAMES)

KINDS = {"county", "district", "unitary", "metropolitan", "london_borough", "city_of_london"}
NATIONS = {"England", "Wales", "Scotland", "Northern Ireland"}
# A GSS code, or the ONS SNAC code of a council abolished before GSS codes were issued: a
# pre-2015 NI district ("95A") or an English district abolished in 2009 ("13UG").
CODE_PATTERN = re.compile(r"^([ENSW]\d{8}|95[A-Z]|\d\dU[A-Z])$")

# Type words a journalist may put after the place, per kind of council. Overgenerating is harmless:
# "Oxford County Council" never occurs, while a missing form loses a mention. Counties only take
# "county council" so that "Northamptonshire County Council" never matches its unitary successors.
_TYPE_WORDS = {
    "county": ("council", "county council", "councils", "councillors", "councillor"),
    "other": ("council", "city council", "borough council", "district council", "metropolitan borough council",
              "councils", "councillors", "councillor", "islands council"),
    # "county council" only where the council is called that: Welsh counties, Durham, Northumberland,
    # Rutland; otherwise "North Yorkshire County Council" would also name the 2023 unitary
    "county_named": ("county council", "county borough council"),
}
_NAME_PREFIXES = {"london_borough": ("london borough of", "royal borough of", "borough of"),
                  "other": ("borough of", "city of", "city and county of", "royal borough of")}


_RANK = {"place": 0, "town": 1, "name": 2}


class RegisterError(ValueError):
    """The register or alias file is inconsistent; the message names the file, the row and the fix."""


@dataclass(frozen=True)
class NameForm:
    """One way of writing a council's name: `strength` "name" (says council), "place" (the council's
    area) or "town" (a town that is not the area, standing for the council only beside council words)."""

    text: str
    code: str
    strength: str  # name | place | town
    source: str  # generated | alias


class CouncilRegister:
    """All councils with their name forms; lookups by code, by name form and by date."""

    def __init__(self, councils: Iterable[Council], aliases: Iterable[NameForm] = (),
                 excluded_places: Iterable[tuple[str, str]] = (), *, origin: str = "register") -> None:
        self.origin = origin
        self.councils: dict[str, Council] = {}
        for council in councils:
            if council.code in self.councils:
                raise RegisterError(f"{origin}: code {council.code} appears twice; keep one row per council")
            self.councils[council.code] = council
        for council in self.councils.values():
            for code in council.replaced_by + ((council.parent_code,) if council.parent_code else ()):
                if code not in self.councils:
                    raise RegisterError(f"{origin}: {council.code} refers to unknown council {code}; "
                                        "add that council or fix the code")
        excluded = {(text.lower(), code) for text, code in excluded_places}
        forms: dict[tuple[str, str], NameForm] = {}
        for form in list(self._generated_forms()) + list(aliases):
            if form.code not in self.councils:
                raise RegisterError(f"{origin}: alias {form.text!r} points at unknown code {form.code}")
            key = (form.text.lower(), form.code)
            if (form.text.lower(), form.code) in excluded and form.strength == "place":
                continue
            # an explicit name beats a place reading of the same words, and a town alias beats a generated place
            if key not in forms or _RANK[form.strength] >= _RANK[forms[key].strength]:
                forms[key] = form
        self.forms: list[NameForm] = sorted(forms.values(), key=lambda f: (f.text.lower(), f.code))
        self._by_text: dict[str, list[NameForm]] = defaultdict(list)
        for form in self.forms:
            self._by_text[form.text.lower()].append(form)
        self._check_overlaps()

    # ----- construction helpers -----
    def _generated_forms(self) -> Iterator[NameForm]:
        for council in self.councils.values():
            yield NameForm(council.name, council.code, "name", "generated")
            places = {council.short_name}
            if council.name.lower().startswith("city of ") and council.name.lower().endswith(" council"):
                places.add(council.name[len("City of "):-len(" Council")])
            for place in places:
                yield NameForm(place, council.code, "place", "generated")
                group = "county" if council.kind == "county" else "other"
                words_list = _TYPE_WORDS[group]
                if group == "other" and (council.nation == "Wales" or "County" in council.name):
                    words_list = words_list + _TYPE_WORDS["county_named"]
                for words in words_list:
                    yield NameForm(f"{place} {words}", council.code, "name", "generated")
                for prefix in _NAME_PREFIXES.get(council.kind, _NAME_PREFIXES["other"]):
                    yield NameForm(f"{prefix} {place}", council.code, "name", "generated")
                yield NameForm(f"city of {place} council", council.code, "name", "generated")
        # "&" and "and" are interchangeable in names; curly and straight apostrophes too
        for council in list(self.councils.values()):
            for text in (council.name, council.short_name):
                for variant in _variants(text):
                    strength = "name" if text == council.name else "place"
                    yield NameForm(variant, council.code, strength, "generated")

    def _check_overlaps(self) -> None:
        """No name form may point at two councils alive at the same time (places may: the linker flags them)."""
        for text, forms in self._by_text.items():
            named = [f for f in forms if f.strength == "name"]
            for i, first in enumerate(named):
                for second in named[i + 1:]:
                    a, b = self.councils[first.code], self.councils[second.code]
                    if _overlap(a, b):
                        which = "alias file" if "alias" in (first.source, second.source) else "register"
                        raise RegisterError(
                            f"{self.origin}: name {text!r} points at {a.code} ({a.name}) and {b.code} ({b.name}), "
                            f"both alive at the same time ({which}); give one of them an end date or drop the alias")

    # ----- lookups -----
    def __len__(self) -> int:
        return len(self.councils)

    def __contains__(self, code: object) -> bool:
        return code in self.councils

    def get(self, code: str) -> Council | None:
        return self.councils.get(code)

    def forms_for(self, text: str) -> list[NameForm]:
        return list(self._by_text.get(text.lower(), ()))

    def lookup(self, text: str, on: date | None = None) -> list[Council]:
        """Councils that `text` names, alive on `on` (or alive today when `on` is None)."""
        councils = [self.councils[f.code] for f in self.forms_for(text)]
        return [c for c in councils if c.alive_on(on)]

    def successors(self, council: Council, on: date | None = None) -> list[Council]:
        """The councils that took over `council`'s area and are alive on `on` (followed through chains)."""
        found: list[Council] = []
        queue = list(council.replaced_by)
        seen: set[str] = set()
        while queue:
            code = queue.pop(0)
            if code in seen:
                continue
            seen.add(code)
            successor = self.councils[code]
            if successor.alive_on(on):
                found.append(successor)
            else:
                queue.extend(successor.replaced_by)
        return found


def _variants(text: str) -> set[str]:
    variants = {text.replace(" and ", " & "), text.replace(" & ", " and "), text.replace("'", "’"),
                text.replace("’", "'"), text.replace("-", " ")}
    variants.discard(text)
    return variants


def _overlap(a: Council, b: Council) -> bool:
    a_start, a_end = a.start or date.min, a.end or date.max
    b_start, b_end = b.start or date.min, b.end or date.max
    return a_start <= b_end and b_start <= a_end


def _date(value: str, where: str, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RegisterError(f"{where}: {column} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def read_councils(path: Path) -> list[Council]:
    """Read and check models/councils.csv; errors name the row."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"code", "name", "short_name", "kind", "nation", "start", "end", "replaced_by"} - set(reader.fieldnames or ())
        if missing:
            raise RegisterError(f"{path}: missing columns {sorted(missing)}")
        return councils_from_rows(reader, str(path))


def councils_from_rows(rows: Iterable[dict[str, str]], origin: str) -> list[Council]:
    """Check register rows (dicts with the councils.csv columns) and make Council records; errors name the row."""
    councils: list[Council] = []
    for line, row in enumerate(rows, start=2):
        code = row["code"].strip()
        where = f"{origin}:{line}"
        if not CODE_PATTERN.match(code):
            raise RegisterError(f"{where}: code {code!r} is not a GSS code (E06000001) or SNAC code (95A, 13UG)")
        if row["kind"] not in KINDS:
            raise RegisterError(f"{where}: kind {row['kind']!r} for {code}; use one of {sorted(KINDS)}")
        if row["nation"] not in NATIONS:
            raise RegisterError(f"{where}: nation {row['nation']!r} for {code}; use one of {sorted(NATIONS)}")
        if not row["name"].strip() or not row["short_name"].strip():
            raise RegisterError(f"{where}: {code} needs a name and a short_name")
        start = _date(row["start"], where, "start")
        end = _date(row["end"], where, "end")
        if start and end and end < start:
            raise RegisterError(f"{where}: {code} ends ({end}) before it starts ({start})")
        replaced_by = tuple(c for c in row["replaced_by"].split(";") if c)
        if replaced_by and not end:
            raise RegisterError(f"{where}: {code} has replaced_by but no end date")
        councils.append(Council(code=code, name=row["name"].strip(), short_name=row["short_name"].strip(),
                                kind=row["kind"], nation=row["nation"], parent_code=row.get("parent_code") or None,
                                start=start, end=end, replaced_by=replaced_by))
    return councils


def read_aliases(path: Path) -> tuple[list[NameForm], list[tuple[str, str]]]:
    """Read an alias file (models/council_aliases.csv, models/council_names_mysociety.csv):
    (aliases, excluded place forms). `official` rows are names; `town` rows are places that are not the
    council's area ("Telford" of Telford and Wrekin): they stand for the council only beside council words."""
    aliases: list[NameForm] = []
    excluded: list[tuple[str, str]] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            form = row["form"].strip()
            if form == "exclude_place":
                excluded.append((row["alias"], row["code"]))
            elif form in ("name", "place", "town", "official"):
                strength = "name" if form == "official" else form
                aliases.append(NameForm(row["alias"].strip(), row["code"].strip(), strength, "alias"))
            else:
                raise RegisterError(f"{path}:{line}: form {form!r}; use name, place, town, official or exclude_place")
    return aliases, excluded


def load_register(path: Path = DEFAULT_REGISTER,
                  aliases_path: Path | Iterable[Path] | None = DEFAULT_ALIAS_FILES) -> CouncilRegister:
    """Load and check the register (and its alias files, those that exist)."""
    path = Path(path)
    if not path.exists():
        raise RegisterError(f"{path}: council register not found; run `python -m pipeline.councils.build`")
    councils = read_councils(path)
    aliases: list[NameForm] = []
    excluded: list[tuple[str, str]] = []
    alias_paths = [aliases_path] if isinstance(aliases_path, (str, Path)) else list(aliases_path or ())
    for alias_path in alias_paths:
        if Path(alias_path).exists():
            found, dropped = read_aliases(Path(alias_path))
            aliases += found
            excluded += dropped
    return CouncilRegister(councils, aliases, excluded, origin=str(path))
