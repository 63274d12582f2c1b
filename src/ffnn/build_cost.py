"""What a build cost: the per-job benchmark files of a workflow run, gathered into tables."""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Iterable

import pandas as pd

#: Columns of :func:`job_costs`.
JOB_COLUMNS = ["part", "rule", "job", "wall_s", "cpu_s", "peak_mb"]


def job_costs(root: str | os.PathLike, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """One row per benchmark file ``<root>/<rule>/<job>.tsv`` (the layout Snakemake's ``benchmark:``
    files get in this workflow), sorted by part, rule and job.

    Parameters
    ----------
    root : path-like
        Folder holding one sub-folder per rule.
    exclude : iterable of str
        Rules left out (e.g. the ones that run after the table is made).

    Returns
    -------
    DataFrame with columns :data:`JOB_COLUMNS`
        ``part`` is the rule name up to its first underscore (``fashion_cell`` -> ``fashion``);
        ``job`` the file's path below the rule's folder without ``.tsv`` (its wildcard values);
        ``wall_s`` and ``cpu_s`` the wall-clock and CPU seconds, ``peak_mb`` the peak resident
        memory in MB, each of the file's last run.
    """
    root = Path(root)
    rows = []
    for path in sorted(root.glob("*/**/*.tsv")):
        rule = path.relative_to(root).parts[0]
        if rule in exclude:
            continue
        run = pd.read_csv(path, sep="\t").iloc[-1]
        rows.append(
            {
                "part": rule.split("_")[0],
                "rule": rule,
                "job": path.relative_to(root / rule).with_suffix("").as_posix(),
                "wall_s": float(run["s"]),
                "cpu_s": float(run["cpu_time"]),
                "peak_mb": float(run["max_rss"]),
            }
        )
    if not rows:
        raise ValueError(f"no benchmark files under {root}")
    return pd.DataFrame(rows, columns=JOB_COLUMNS).sort_values(["part", "rule", "job"], ignore_index=True)


def cost_by_part(jobs: pd.DataFrame) -> pd.DataFrame:
    """Per part of the study: ``jobs`` (count), summed ``wall_s`` and ``cpu_s``, the longest job's
    ``longest_s`` and the largest ``peak_mb``, with a last row ``total``."""
    parts = jobs.groupby("part", sort=True).agg(
        jobs=("job", "size"),
        wall_s=("wall_s", "sum"),
        cpu_s=("cpu_s", "sum"),
        longest_s=("wall_s", "max"),
        peak_mb=("peak_mb", "max"),
    )
    total = pd.DataFrame(
        {
            "jobs": [len(jobs)],
            "wall_s": [jobs["wall_s"].sum()],
            "cpu_s": [jobs["cpu_s"].sum()],
            "longest_s": [jobs["wall_s"].max()],
            "peak_mb": [jobs["peak_mb"].max()],
        },
        index=pd.Index(["total"], name="part"),
    )
    return pd.concat([parts, total]).round(2).reset_index()
