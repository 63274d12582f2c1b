"""Interleaved timing: every runner once per round, in turn, so that load from other processes hits all alike."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def interleaved_medians(runners: Mapping[str, Callable[[], object]], rounds: int, digits: int = 3) -> dict[str, float]:
    """Median seconds of each runner over ``rounds`` rounds, printing every round's times as it ends."""
    times: dict[str, list[float]] = {name: [] for name in runners}
    for round_ in range(1, rounds + 1):
        for name, run in runners.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
        print(f"round {round_}: " + ", ".join(f"{name} {t[-1]:.{digits}f} s" for name, t in times.items()), flush=True)
    return {name: statistics.median(t) for name, t in times.items()}
