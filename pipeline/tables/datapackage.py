"""outputs/datapackage.json: a Frictionless Data Package naming every table file written, each with
its columns' types and descriptions from pipeline.schema, so any Frictionless tool can read and
check the outputs."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.schema import TABLES, Table

DATAPACKAGE_FILE = "datapackage.json"
# suffix -> (Frictionless format, media type)
FORMATS = {
    ".csv": ("csv", "text/csv"),
    ".parquet": ("parquet", "application/vnd.apache.parquet"),
    ".jsonl": ("jsonl", "application/jsonl"),
}
PACKAGE_NAME = "council-claims"


def table_of(file_name: str) -> Table | None:
    """The schema table a file of the outputs holds (None for files that are not a table)."""
    for table in TABLES.values():
        if file_name in table.files:
            return table
    return None


def columns_of(path: Path) -> list[str]:
    """The columns a written table file holds, read from its header (CSV), schema (Parquet) or
    first record (JSONL)."""
    if path.suffix == ".parquet":
        return list(pq.read_schema(path).names)
    with open(path, encoding="utf-8", newline="") as handle:
        if path.suffix == ".jsonl":
            first = handle.readline()
            return list(json.loads(first)) if first.strip() else []
        return next(csv.reader(handle), [])


def resource(path: Path, table: Table) -> dict[str, object]:
    """One Data Package resource: the file, its format and its fields as pipeline.schema describes them."""
    fmt, mediatype = FORMATS[path.suffix]
    fields = []
    for name in columns_of(path):
        column = table.column(name)
        fields.append({"name": name, "type": column.type if column else "string",
                       "description": column.description if column else "a column pipeline.schema does not list"})
    return {
        "name": path.name.replace(".", "-").replace("_", "-").lower(),
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": fmt,
        "mediatype": mediatype,
        "encoding": "utf-8",
        "description": table.description,
        "schema": {"fields": fields, "missingValues": [""]},
    }


def datapackage(paths: Iterable[Path]) -> dict[str, object]:
    """The descriptor for the table files among `paths` (other files are left out)."""
    resources = []
    for path in paths:
        table = table_of(path.name)
        if table is not None and path.suffix in FORMATS:
            resources.append(resource(path, table))
    return {"name": PACKAGE_NAME, "profile": "tabular-data-package", "resources": resources}


def write_datapackage(target: Path, paths: Iterable[Path]) -> None:
    """Write the descriptor of `paths` to `target` (the files keep their names: the descriptor is
    published beside them)."""
    text = json.dumps(datapackage(paths), ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8")
