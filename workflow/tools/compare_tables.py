"""Compare the CSV tables of two builds, column by column, timing columns left out.

Used to check that a reshaping of the code, or a build on another executor (a SLURM cluster),
gives the tables of a reference build: bit for bit, or within a stated tolerance, with the
largest difference per table printed.

    python workflow/tools/compare_tables.py BASELINE_RESULTS NEW_RESULTS [--rtol 1e-9]

Exit status 0 when every table agrees within the tolerance, 1 otherwise, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

# Columns a rerun measures rather than computes: wall and CPU times, their ratios and the memory peaks.
TIMING_COLUMNS = r"(seconds|wall_s|cpu_s|_s$|hours|minutes|speedup|ratio|rss|mem_mb|peak_mb|timestamp|date)"
# Rows that hold a timing in a table of other numbers (the audit's runtimes, the claim about training
# speed), by their first column.
TIMING_ROWS = r"(runtime|faster)"


@dataclass(frozen=True)
class TableDiff:
    """How one table of the new build differs from the baseline's."""

    path: str
    verdict: str  # "bit-equal", "within tolerance", "differs", "missing", "extra", "shape"
    largest_abs: float = 0.0
    largest_rel: float = 0.0
    column: str = ""
    detail: str = ""


def _numeric_difference(old: pd.Series, new: pd.Series) -> tuple[float, float]:
    a = pd.to_numeric(old, errors="coerce").to_numpy(dtype=float)
    b = pd.to_numeric(new, errors="coerce").to_numpy(dtype=float)
    both = np.isfinite(a) & np.isfinite(b)
    if not np.array_equal(np.isfinite(a), np.isfinite(b)) or not np.array_equal(np.isnan(a), np.isnan(b)):
        return math.inf, math.inf
    if not both.any():
        return 0.0, 0.0
    diff = np.abs(a[both] - b[both])
    scale = np.maximum(np.abs(a[both]), np.abs(b[both]))
    rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
    return float(diff.max()), float(rel.max())


def _without_rows(table: pd.DataFrame, rows: re.Pattern) -> pd.DataFrame:
    kept = table.iloc[:, 0].astype(str).map(lambda value: rows.search(value) is None)
    return table.loc[kept.astype(bool)].reset_index(drop=True)


def compare_table(
    path: str, old: pd.DataFrame, new: pd.DataFrame, ignore: re.Pattern, rtol: float, rows: re.Pattern
) -> TableDiff:
    """Compare two readings of one table; columns matching ``ignore`` and rows whose first column matches
    ``rows`` are left out."""
    if len(old.columns) and len(new.columns):
        old, new = _without_rows(old, rows), _without_rows(new, rows)
    kept_old = [c for c in old.columns if not ignore.search(str(c))]
    kept_new = [c for c in new.columns if not ignore.search(str(c))]
    if kept_old != kept_new or len(old) != len(new):
        return TableDiff(path, "shape", detail=f"{len(old)}x{kept_old} vs {len(new)}x{kept_new}")
    largest = TableDiff(path, "bit-equal")
    for column in kept_old:
        a, b = old[column], new[column]
        if a.equals(b):  # equal values and missing values in the same places
            continue
        if not (pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b)):
            differing = int((a.astype(object).fillna("") != b.astype(object).fillna("")).sum())
            if not differing:
                continue
            return TableDiff(path, "differs", math.inf, math.inf, column, f"{differing} text cells differ")
        largest_abs, largest_rel = _numeric_difference(a, b)
        if largest.verdict == "bit-equal" or largest_rel > largest.largest_rel:
            verdict = "within tolerance" if largest_rel <= rtol else "differs"
            largest = TableDiff(path, verdict, largest_abs, largest_rel, column)
    return largest


def compare_builds(baseline: Path, new: Path, ignore: re.Pattern, rtol: float, rows: re.Pattern) -> list[TableDiff]:
    """Every CSV under either folder, by its path relative to the folder."""
    old_tables = {p.relative_to(baseline).as_posix() for p in baseline.rglob("*.csv")}
    new_tables = {p.relative_to(new).as_posix() for p in new.rglob("*.csv")}
    diffs = [TableDiff(p, "missing") for p in sorted(old_tables - new_tables)]
    diffs += [TableDiff(p, "extra") for p in sorted(new_tables - old_tables)]
    for path in sorted(old_tables & new_tables):
        diffs.append(compare_table(path, pd.read_csv(baseline / path), pd.read_csv(new / path), ignore, rtol, rows))
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path, help="the reference build's results folder")
    parser.add_argument("new", type=Path, help="the results folder to check")
    parser.add_argument("--rtol", type=float, default=0.0, help="largest relative difference that agrees (0)")
    parser.add_argument("--ignore", default=TIMING_COLUMNS, help="regex of columns left out (timing)")
    parser.add_argument("--ignore-rows", default=TIMING_ROWS, help="regex of first-column values left out (timing)")
    args = parser.parse_args(argv)
    for folder in (args.baseline, args.new):
        if not folder.is_dir():
            parser.error(f"{folder} is not a folder")
    diffs = compare_builds(args.baseline, args.new, re.compile(args.ignore), args.rtol, re.compile(args.ignore_rows))
    agree = [d for d in diffs if d.verdict in ("bit-equal", "within tolerance")]
    for d in diffs:
        where = f" {d.column}: largest |diff| {d.largest_abs:.3g}, relative {d.largest_rel:.3g}" if d.column else ""
        print(f"{d.verdict:>16}  {d.path}{where}{'  ' + d.detail if d.detail else ''}")
    bit_equal = sum(d.verdict == "bit-equal" for d in diffs)
    print(f"{len(agree)} of {len(diffs)} tables agree ({bit_equal} bit for bit; rtol {args.rtol:g})")
    print(f"left out: columns matching {args.ignore}; rows whose first column matches {args.ignore_rows}")
    return 0 if len(agree) == len(diffs) else 1


if __name__ == "__main__":
    sys.exit(main())
