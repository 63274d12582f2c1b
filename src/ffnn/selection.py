"""What both studies do with a setting: fit it over seeds, summarise the fits, choose on validation.

A *training seed* redraws what training draws (initial weights, mini-batch order) and nothing
else: the data, their splits and their noise come from the study's seed alone. Training seed 0
is the study's own stream, so a one-seed build gives the numbers it always gave.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np


def training_rng(seed: int, training_seed: int = 0, *stream: int) -> np.random.Generator:
    """Generator of one fit: ``default_rng([seed, *stream])``, with ``training_seed`` appended when > 0.

    Parameters
    ----------
    seed : int
        The study's seed (6114).
    training_seed : int, default 0
        Which redraw of the training randomness; 0 is the study's stream.
    *stream : int
        Further keys that tell fits of one setting apart (e.g. the Runge restart index).

    Every setting of a grid draws from the same stream for a given key (common random numbers),
    so cells differ only by their settings, and a fit's result does not depend on any other.
    """
    if training_seed < 0:
        raise ValueError(f"training_seed must be >= 0, got {training_seed}")
    entropy = [int(seed), *map(int, stream)]
    if training_seed:
        entropy.append(int(training_seed))
    return np.random.default_rng(entropy)


def as_score(value, lower_is_better: bool = True) -> float:
    """A validation score for ranking: a missing or non-finite one (a diverged fit) ranks last."""
    if value is None or not math.isfinite(value):
        return math.inf if lower_is_better else -math.inf
    return float(value)


def summarise(fits: Iterable[dict], key: str) -> dict:
    """Median, min and max of ``key`` over fits (restarts), a diverged fit counting as +inf.

    Returns ``{key_median, key_min, key_max}``; with three fits one divergence raises the
    median to the worse of the other two, two divergences make it inf.
    """
    values = np.array([math.inf if fit["diverged"] else as_score(fit[key]) for fit in fits])
    return {
        f"{key}_median": float(np.median(values)),
        f"{key}_min": float(values.min()),
        f"{key}_max": float(values.max()),
    }


def ranked(scores: Mapping[str, float], lower_is_better: bool = True) -> list[str]:
    """Ids of ``scores`` (id -> validation score) best first; a tie keeps the listed order,
    a missing or non-finite score ranks last."""
    sign = 1.0 if lower_is_better else -1.0
    return sorted(scores, key=lambda name: sign * as_score(scores[name], lower_is_better))


def choose_best(scores: Mapping[str, float], lower_is_better: bool = True) -> str:
    """Id of the best score (the first listed wins a tie). Raises ``ValueError`` on no scores."""
    if not scores:
        raise ValueError("no scores to choose from")
    return ranked(scores, lower_is_better)[0]


def best_of(fits: Sequence[dict], key: str, lower_is_better: bool = True) -> dict:
    """The fit with the best ``key`` (restarts chosen on validation); a diverged fit ranks last."""
    scores = {str(i): (math.nan if fit["diverged"] else fit[key]) for i, fit in enumerate(fits)}
    return fits[int(choose_best(scores, lower_is_better))]
