"""Spread over seeds, Student-t intervals, paired comparisons and the audit's verdicts.

Every interval here is the two-sided Student-t interval of a mean over ``n`` seeds,
``mean +- t_{(1+confidence)/2, n-1} * sd / sqrt(n)`` with the sample standard deviation
(``ddof=1``); with one value there is no spread and the interval is NaN.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
from scipy import stats as _scipy_stats

#: Confidence of every interval the tables give.
CONFIDENCE = 0.95
#: Verdicts of the audit (see :func:`verdict` and :func:`choice_verdict`).
VERDICTS = ("reproduced", "better", "worse", "not comparable", "same", "different")
#: The paired test of :func:`paired_comparison`, as the tables name it.
PAIRED_TEST = "paired t-test over seeds (two-sided, scipy.stats.ttest_rel)"


def _finite(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    if array.size == 0:
        raise ValueError("no values to summarise")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"values must be finite, got {array.tolist()}")
    return array


def t_interval(mean: float, sd: float, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student-t interval ``(low, high)`` of a mean of ``n`` values with sample sd ``sd``; NaN for n < 2."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    if n < 2:
        return math.nan, math.nan
    half = _scipy_stats.t.ppf(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)
    return float(mean - half), float(mean + half)


def spread(values: Sequence[float], confidence: float = CONFIDENCE) -> dict:
    """Mean, sample sd and Student-t interval of ``values`` (one per seed).

    Returns
    -------
    dict
        ``n``, ``mean``, ``sd`` (``ddof=1``; NaN for one value), ``ci_low``, ``ci_high``.

    Raises
    ------
    ValueError
        On no values or a non-finite one (a diverged fit has no score to average).
    """
    array = _finite(values)
    n = int(array.size)
    mean = float(array.mean())
    sd = float(array.std(ddof=1)) if n > 1 else math.nan
    low, high = t_interval(mean, sd, n, confidence)
    return {"n": n, "mean": mean, "sd": sd, "ci_low": low, "ci_high": high}


def spread_columns(values: Mapping[str, Sequence[float]], confidence: float = CONFIDENCE) -> dict:
    """Table columns of :func:`spread` for several quantities measured on the same seeds.

    Parameters
    ----------
    values : mapping
        Column stem (e.g. ``"test_mse"``) -> one value per seed; every sequence of one length.

    Returns
    -------
    dict
        ``{stem}_mean``, ``{stem}_sd``, ``{stem}_ci_low``, ``{stem}_ci_high`` per stem, then
        ``n_seeds`` and ``deterministic`` (False: these are spreads over training seeds).
    """
    lengths = {name: len(series) for name, series in values.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"every quantity needs one value per seed, got {lengths}")
    columns = {}
    for name, series in values.items():
        summary = spread(series, confidence)
        columns.update({f"{name}_{key}": summary[key] for key in ("mean", "sd", "ci_low", "ci_high")})
    return {**columns, "n_seeds": next(iter(lengths.values())), "deterministic": False}


def deterministic_columns(values: Mapping[str, float]) -> dict:
    """The columns of :func:`spread_columns` for a deterministic model: its one value as the mean,
    no spread, ``n_seeds`` 1 and ``deterministic`` True."""
    columns = {}
    for name, value in values.items():
        columns.update({f"{name}_mean": float(value), f"{name}_sd": math.nan, f"{name}_ci_low": math.nan, f"{name}_ci_high": math.nan})
    return {**columns, "n_seeds": 1, "deterministic": True}


def paired_comparison(first: Sequence[float], second: Sequence[float], confidence: float = CONFIDENCE) -> dict:
    """Whether ``first`` beats ``second`` seed by seed (higher is better): :data:`PAIRED_TEST`.

    Parameters
    ----------
    first, second : sequences of float of one length n
        Scores of two settings, paired by seed (the same seed draws both fits' randomness).

    Returns
    -------
    dict
        ``n``, ``difference_mean``, ``difference_sd``, ``difference_ci_low``, ``difference_ci_high``
        (Student-t interval of the mean of ``first - second``), ``p_value`` (two-sided; NaN
        for n < 2 or no spread) and ``beats``: the whole interval lies above zero, i.e. the
        difference exceeds its spread over seeds.
    """
    a, b = _finite(first), _finite(second)
    if a.shape != b.shape:
        raise ValueError(f"paired scores need one length, got {a.size} and {b.size}")
    difference = spread(a - b, confidence)
    p_value = math.nan
    if difference["n"] > 1 and difference["sd"] > 0:
        p_value = float(_scipy_stats.ttest_rel(a, b).pvalue)
    return {
        "n": difference["n"],
        **{f"difference_{key}": difference[key] for key in ("mean", "sd", "ci_low", "ci_high")},
        "p_value": p_value,
        "beats": bool(difference["ci_low"] > 0.0),
    }


def verdict(
    study: float,
    mean: float,
    ci_low: float,
    ci_high: float,
    lower_is_better: bool,
    relative_tolerance: float,
    absolute_tolerance: float = 0.0,
) -> str:
    """The audit's verdict on one number: ``reproduced``, ``better`` or ``worse``.

    With an interval (several seeds): ``reproduced`` when the study's value lies inside it,
    edges included; ``better``/``worse`` when the whole interval lies on one side of it.
    Without one (a deterministic model or a single run; ``ci_low``/``ci_high`` NaN):
    ``reproduced`` when ``|mean - study| <= max(relative_tolerance * |study|, absolute_tolerance)``,
    else the side ``mean`` lies on.
    """
    if not all(math.isfinite(value) for value in (study, mean)):
        raise ValueError(f"a verdict needs finite values, got study={study}, ours={mean}")
    if math.isfinite(ci_low) and math.isfinite(ci_high):
        if ci_low <= study <= ci_high:
            return "reproduced"
        ours_lower = ci_high < study
    else:
        if abs(mean - study) <= max(relative_tolerance * abs(study), absolute_tolerance):
            return "reproduced"
        ours_lower = mean < study
    return "better" if ours_lower == lower_is_better else "worse"


def choice_verdict(study: float, ours: float) -> str:
    """``same`` when a chosen hyperparameter equals the study's (to float rounding), else ``different``."""
    return "same" if math.isclose(float(study), float(ours), rel_tol=1e-9) else "different"
