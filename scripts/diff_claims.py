"""Compare two claims tables (claims.parquet of two output folders): rows added, removed, and changed
by column, matched by (doc_id, char_start, char_end). For checking a change on a corpus:

    .venv/bin/claims extract ../shared/corpus/bbc_news.csv --output /tmp/before --jobs 1 --no-cache
    ... change the code ...
    .venv/bin/claims extract ../shared/corpus/bbc_news.csv --output /tmp/after --jobs 1 --no-cache
    .venv/bin/python scripts/diff_claims.py /tmp/before /tmp/after [--show 5] [--ignore text_path]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

KEY = ["doc_id", "char_start", "char_end"]


def load(folder: Path) -> pd.DataFrame:
    frame = pd.read_parquet(folder / "claims.parquet")
    return frame.astype({name: "string" for name in frame.columns if name not in KEY}).set_index(KEY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--show", type=int, default=3, help="examples printed per changed column")
    parser.add_argument("--ignore", nargs="*", default=["text_path"], help="columns left out of the comparison")
    args = parser.parse_args(argv)
    before, after = load(args.before), load(args.after)
    removed = before.index.difference(after.index)
    added = after.index.difference(before.index)
    both = before.index.intersection(after.index)
    print(f"rows: {len(before):,} before, {len(after):,} after; {len(removed):,} removed, {len(added):,} added")
    for label, index, frame in (("removed", removed, before), ("added", added, after)):
        for key in list(index)[: args.show]:
            print(f"  {label}: {key} {frame.loc[key, 'text']!r}")
    columns = [c for c in before.columns if c in after.columns and c not in args.ignore]
    old, new = before.loc[both, columns], after.loc[both, columns]
    changed_rows = 0
    differs = (old.fillna("\x00") != new.fillna("\x00"))
    changed_rows = int(differs.any(axis=1).sum())
    print(f"changed: {changed_rows:,} of {len(both):,} matched rows")
    for column in columns:
        mask = differs[column]
        if mask.any():
            print(f"  {column}: {int(mask.sum()):,}")
            for key in list(mask[mask].index)[: args.show]:
                print(f"    {key}: {old.loc[key, column]!r} -> {new.loc[key, column]!r}")
    only = sorted(set(before.columns) ^ set(after.columns))
    if only:
        print(f"columns in one table only: {', '.join(only)}")
    return 0 if not (len(removed) or len(added) or changed_rows or only) else 1


if __name__ == "__main__":
    sys.exit(main())
