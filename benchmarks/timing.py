"""Interleaved timing and what the benchmarks print and save of it.

Every runner runs once per round, in turn, so that load from other processes hits all alike; only
ratios measured inside one run mean anything on a shared machine. Each runner's rounds are summed
up by their median and their spread (slowest over fastest round), and a benchmark's lines can be
appended to a CSV (``--csv``; ``make benchmark`` writes ``results/benchmarks/epochs.csv``).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path

from blas_threads import thread_counts


@dataclass(frozen=True)
class Rounds:
    """Seconds of one runner's rounds."""

    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> float:
        """Slowest round over fastest: 1.0 when every round took the same time."""
        return max(self.seconds) / min(self.seconds)

    def __str__(self) -> str:
        return (
            f"median {self.median:.3f} s, spread {self.spread:.2f} ({min(self.seconds):.3f}-{max(self.seconds):.3f} s)"
        )


def interleaved_rounds(runners: Mapping[str, Callable[[], object]], rounds: int) -> dict[str, Rounds]:
    """Each runner's seconds over ``rounds`` interleaved rounds, printing every round's times as it ends."""
    times: dict[str, list[float]] = {name: [] for name in runners}
    for round_ in range(1, rounds + 1):
        for name, run in runners.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
        print(f"round {round_}: " + ", ".join(f"{name} {t[-1]:.3f} s" for name, t in times.items()), flush=True)
    return {name: Rounds(tuple(t)) for name, t in times.items()}


@dataclass(frozen=True)
class Target:
    """A ratio of two runners' medians and the most it may be."""

    numerator: str
    denominator: str
    at_most: float
    why: str

    def ratio(self, rounds: Mapping[str, Rounds]) -> float:
        return rounds[self.numerator].median / rounds[self.denominator].median

    def line(self, rounds: Mapping[str, Rounds]) -> str:
        ratio = self.ratio(rounds)
        verdict = "met" if ratio <= self.at_most else "NOT met"
        name = f"{self.numerator}/{self.denominator}"
        return f"ratio {name:18s} {ratio:.2f}  (target <= {self.at_most:g}: {verdict}; {self.why})"


#: The columns of a benchmark CSV: one row per runner (its rounds), per profiled phase and per target.
CSV_COLUMNS = ("timestamp", "benchmark", "threads", "samples", "row", "name", "median_s", "spread", "ratio", "target")


def csv_rows(rounds: Mapping[str, Rounds], targets: list[Target], phases: Mapping[str, float]) -> list[dict]:
    """The rows of one run: each runner's median and spread, each profiled phase's seconds, each target's ratio."""
    rows = [{"row": "runner", "name": name, "median_s": r.median, "spread": r.spread} for name, r in rounds.items()]
    rows += [{"row": "phase", "name": name, "median_s": seconds} for name, seconds in phases.items()]
    rows += [
        {"row": "target", "name": f"{t.numerator}/{t.denominator}", "ratio": t.ratio(rounds), "target": t.at_most}
        for t in targets
    ]
    return rows


def append_rows(path: Path, benchmark: str, threads: int, samples: int, rows: list[dict]) -> None:
    """Append one run's ``rows`` to the CSV at ``path`` (header written when the file is new), stamped with the time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    common = {"timestamp": stamp, "benchmark": benchmark, "threads": threads, "samples": samples}
    new = not path.exists()
    with path.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, restval="")
        if new:
            writer.writeheader()
        writer.writerows({**common, **row} for row in rows)


def at_threads(run: Callable[[], object], threads: int) -> Callable[[], object]:
    """``run`` on ``threads`` threads: BLAS's count lowered through threadpoolctl, the library's
    parallel kernels' set, and PyTorch's if it is loaded."""
    from threadpoolctl import threadpool_limits

    from ffnn import kernels

    def runner():
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)
        with threadpool_limits(threads, user_api="blas"), kernels.threads(threads):
            return run()

    return runner


def check_round_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Turn ``args.threads`` into a list of counts and check ``--rounds`` and ``--samples``, naming a bad one."""
    try:
        args.threads = thread_counts(args.threads)
    except ValueError as error:
        parser.error(f"--threads: {error}")
    if args.rounds < 1 or not 1 <= args.samples <= 60_000:
        parser.error("--rounds must be >= 1 and --samples in [1, 60000]")
