"""mySociety's UK local authorities register (../shared/reference/mysociety-uk-la): read it, check
models/councils.csv against it, and derive aliases and the regional bodies' codes from it.

Used only by `python -m pipeline.councils.build`; the pipeline reads the CSVs it writes. The data is
CC BY 4.0: "Contains data from mySociety's UK local authority names and codes dataset (CC BY 4.0)".
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.resources import MODELS_DIR

DEFAULT_REFERENCE = MODELS_DIR.resolve().parent.parent / "shared" / "reference" / "mysociety-uk-la"
ATTRIBUTION = "Contains data from mySociety's UK local authority names and codes dataset (CC BY 4.0)"
# Combined authorities (E47) and the Greater London Authority (E61) are not principal councils: their
# figures get scope `other` and their code in `other_body_code`.
REGIONAL_TYPES = {"COMB": "combined_authority", "SRA": "strategic_authority"}
# A name form that says it is a council (a `name` alias) rather than a place.
_COUNCIL_WORD = re.compile(r"\b(council|corporation|comhairle|borough of|city of|county of)\b", re.I)
# mySociety's machine forms: "Bristol, City of", "Bournemouth UA", "brent london boro", "Dorset County".
_MACHINE_FORM = re.compile(r",| UA$| london boro$| county$| district$| city$|\bCA$|\bCC$", re.I)


class ReferenceError(ValueError):
    """The register in models/ disagrees with mySociety's; the message lists every disagreement."""


@dataclass(frozen=True)
class ReferenceAuthority:
    """One row of uk_local_authorities_current.csv, the columns this project uses."""

    registry_code: str  # mySociety's own id (NOR, NIR-A, GLA)
    official_name: str
    nice_name: str
    gss_code: str
    former_gss_codes: tuple[str, ...]
    snac: str
    start: date | None
    end: date | None
    replaced_by: tuple[str, ...]  # registry codes
    nation: str
    kind: str  # mySociety's local-authority-type: NMD, UA, COMB, SRA, ...
    alt_names: tuple[str, ...]  # from lookup_name_to_registry.csv


def _clean(name: str) -> str:
    """One space between words ("North Somerset  Council" has two in the source)."""
    return " ".join(name.split())


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def read_reference(folder: Path = DEFAULT_REFERENCE) -> list[ReferenceAuthority]:
    path = Path(folder) / "uk_local_authorities_current.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: mySociety register not found; pass --reference or skip the check")
    rows: list[ReferenceAuthority] = []
    names = _lookup_names(folder)
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(ReferenceAuthority(
                registry_code=row["local-authority-code"], official_name=_clean(row["official-name"]),
                nice_name=_clean(row["nice-name"]), gss_code=row["gss-code"].strip(),
                former_gss_codes=tuple(c.strip() for c in row["former-gss-codes"].split(",") if c.strip()),
                snac=row["snac"].strip(), start=_day(row["start-date"]), end=_day(row["end-date"]),
                replaced_by=tuple(c.strip() for c in row["replaced-by"].split(",") if c.strip()),
                nation=row["nation"].strip(), kind=row["local-authority-type"].strip(),
                alt_names=tuple(names.get(row["local-authority-code"], ()))))
    return rows


def _lookup_names(folder: Path) -> dict[str, list[str]]:
    """lookup_name_to_registry.csv: every name form per authority, whole (the alt-names column of the
    main file is comma-separated, so "Newry, Mourne and Down" falls apart there)."""
    names: dict[str, list[str]] = {}
    path = Path(folder) / "lookup_name_to_registry.csv"
    if path.exists():
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                names.setdefault(row["local-authority-code"], []).append(_clean(row["la-name"]))
    return names


def match_rows(rows: list[dict[str, str]], reference: list[ReferenceAuthority]) -> dict[str, ReferenceAuthority]:
    """Our code -> mySociety's row: by GSS code (current or former), else by SNAC code."""
    by_code: dict[str, ReferenceAuthority] = {}
    for authority in reference:
        for code in (authority.gss_code, *authority.former_gss_codes):
            if code:
                by_code.setdefault(code, authority)
    # an abolished council first: mySociety keeps Belfast's SNAC code 95Z on today's council (N09000003)
    by_snac: dict[str, ReferenceAuthority] = {}
    for authority in sorted(reference, key=lambda a: a.end is None):
        if authority.snac:
            by_snac.setdefault(authority.snac, authority)
    found = {}
    for row in rows:
        authority = by_code.get(row["code"]) or by_snac.get(row["code"])
        if authority is not None:
            found[row["code"]] = authority
    return found


def read_exceptions(path: Path) -> dict[str, str]:
    """models/mysociety_exceptions.csv: disagreements checked by hand and kept on purpose, with the reason."""
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["disagreement"].strip(): row["reason"].strip() for row in csv.DictReader(handle)}


def check(rows: list[dict[str, str]], reference: list[ReferenceAuthority],
          exceptions: dict[str, str] | None = None) -> list[str]:
    """Every disagreement between our rows and mySociety's on facts (codes, nations, end dates, successors,
    the name behind a SNAC code) that models/mysociety_exceptions.csv does not explain. Names in general
    may differ in style and are not compared."""
    found = _disagreements(rows, reference)
    return [problem for problem in found if problem not in (exceptions or {})]


def _disagreements(rows: list[dict[str, str]], reference: list[ReferenceAuthority]) -> list[str]:
    problems: list[str] = []
    matched = match_rows(rows, reference)
    gss_of = {a.registry_code: a.gss_code or a.snac for a in reference}
    ours = {row["code"] for row in rows}
    for row in rows:
        code = row["code"]
        authority = matched.get(code)
        if authority is None:
            continue
        if not code[0].isalpha() and authority.gss_code:
            # mySociety counts the pre-2015 district and today's council as one body under its new code;
            # here they are two councils, and the old one must be replaced by exactly that code
            if row["replaced_by"] != authority.gss_code or _bare(authority.official_name) != _bare(row["name"]):
                problems.append(f"{code}: {row['name']!r} replaced by {row['replaced_by'] or 'none'}, mySociety "
                                f"continues it as {authority.official_name!r} ({authority.gss_code})")
            continue
        if authority.nation != row["nation"]:
            problems.append(f"{code}: nation {row['nation']!r}, mySociety says {authority.nation!r}")
        end = _day(row["end"])
        # mySociety writes the day of abolition (2021-04-01) for England and the last day (2015-03-31)
        # for Northern Ireland; this register always writes the last day
        if (end is None) != (authority.end is None) or (end and authority.end and abs((authority.end - end).days) > 1):
            problems.append(f"{code}: end {row['end'] or 'none'}, mySociety says {authority.end or 'none'}")
        successors = {gss_of.get(c, c) for c in authority.replaced_by}
        if successors and successors != set(filter(None, row["replaced_by"].split(";"))):
            problems.append(f"{code}: replaced_by {row['replaced_by'] or 'none'}, mySociety says {';'.join(sorted(successors))}")
        if not code[0].isalpha():  # a SNAC code transcribed by hand: the council behind it must agree
            if authority.snac != code or _bare(authority.official_name) != _bare(row["name"]):
                problems.append(f"{code}: SNAC code names {row['name']!r} here, {authority.official_name!r} in mySociety")
    for authority in reference:
        if authority.kind in REGIONAL_TYPES:
            continue
        codes = {authority.gss_code, authority.snac} - {""}
        if not codes & ours:
            problems.append(f"{authority.registry_code} {authority.official_name} ({authority.gss_code or authority.snac}) "
                            "is in mySociety's register but not in models/councils.csv")
    return problems


def _bare(name: str) -> str:
    return re.sub(r"\W+", " ", name.lower().replace("&", "and")).strip()


def derived_aliases(rows: list[dict[str, str]], reference: list[ReferenceAuthority],
                    known: set[str]) -> list[dict[str, str]]:
    """mySociety's official name of each council (form `official`: the build takes it as the council's
    name unless models/councils_extra.csv sets one) and its alternative and former names (Shepway for
    Folkestone and Hythe) as alias rows.

    Skipped: forms the register already generates (`known`, lower-cased), mySociety's machine forms
    ("Bristol, City of", "Bournemouth UA"), lower-case forms (normalised keys such as "hull city", which in
    news is a football club) and mis-encoded ones."""
    matched = match_rows(rows, reference)
    out: dict[tuple[str, str], dict[str, str]] = {}
    for code, authority in sorted(matched.items()):
        source = f"mySociety uk_la_past_current ({authority.registry_code}), CC BY 4.0"
        out[("", code)] = {"alias": authority.official_name, "code": code, "form": "official", "source": source}
        names = [authority.official_name, authority.nice_name, *authority.alt_names]
        for name in names:
            if not name or name.lower() in known or _MACHINE_FORM.search(name) or not name[:1].isupper():
                continue
            if re.search("\ufffd|ï[¾¿]", name):  # mis-encoded in the source ("Sir Ynys Mï¿½n")
                continue
            form = "name" if _COUNCIL_WORD.search(name) else "place"
            out.setdefault((name.lower(), code), {"alias": name, "code": code, "form": form, "source": source})
    return sorted(out.values(), key=lambda r: (r["code"], r["form"] != "official", r["alias"].lower()))


def regional_bodies(reference: list[ReferenceAuthority]) -> list[dict[str, str]]:
    """Combined authorities and the Greater London Authority with their GSS codes and other names."""
    out = []
    for authority in reference:
        kind = REGIONAL_TYPES.get(authority.kind)
        if kind is None or not authority.gss_code:
            continue
        names = [n for n in dict.fromkeys(authority.alt_names)
                 if n[:1].isupper() and not re.search(r"\b(CA|CC)$", n) and n not in (authority.nice_name, authority.official_name)]
        out.append({"code": authority.gss_code, "name": authority.official_name, "kind": kind,
                    "start": authority.start.isoformat() if authority.start else "",
                    "end": authority.end.isoformat() if authority.end else "",
                    "names": ";".join(names),
                    "source": f"mySociety uk_la_past_current ({authority.registry_code}), CC BY 4.0"})
    return sorted(out, key=lambda r: r["code"])
