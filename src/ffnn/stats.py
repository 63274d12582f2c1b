"""Spread over seeds, Student-t intervals, paired comparisons and the audit's verdicts.

The interval of a mean over ``n`` runs is the two-sided Student-t interval
``mean +- t_{(1+confidence)/2, dof} * sd / sqrt(n)`` with the sample standard deviation
(``ddof=1``) and ``dof = n - 1``; with one value and no spread from elsewhere it is NaN. The
interval in which *one more run* lands, which is what a single published run is judged against,
is the prediction interval ``mean +- t_{(1+confidence)/2, dof} * sd * sqrt(1 + 1/n)``
(:func:`prediction_interval`). Both are computed on the scale a metric lives on
(:data:`SCALES`: log10 for MSEs, which span decades; raw for accuracies) and mapped back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats as _scipy_stats

#: Confidence of every interval the tables give.
CONFIDENCE = 0.95
#: Verdicts of the audit (see :func:`verdict` and :func:`choice_verdict`).
VERDICTS = ("reproduced", "better", "worse", "not comparable", "same", "different", "outside our grid")
#: The paired test of :func:`paired_comparison`, as the tables name it.
PAIRED_TEST = "paired t-test over seeds (two-sided, scipy.stats.ttest_rel)"


def _finite(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    if array.size == 0:
        raise ValueError("no values to summarise")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"values must be finite, got {array.tolist()}")
    return array


def _t_quantile(dof: int, confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    return float(_scipy_stats.t.ppf(0.5 + confidence / 2.0, dof))


def t_interval(
    mean: float, sd: float, n: int, confidence: float = CONFIDENCE, dof: int | None = None
) -> tuple[float, float]:
    """Student-t interval ``(low, high)`` of a mean of ``n`` values with sample sd ``sd``.

    ``dof`` defaults to ``n - 1``; a spread borrowed from other runs brings its own. NaN where
    there are no degrees of freedom (one value and no borrowed spread).
    """
    dof = n - 1 if dof is None else dof
    if dof < 1 or n < 1:
        _t_quantile(1, confidence)  # still refuses a bad confidence
        return math.nan, math.nan
    half = _t_quantile(dof, confidence) * sd / math.sqrt(n)
    return float(mean - half), float(mean + half)


def prediction_interval(
    mean: float, sd: float, n: int, confidence: float = CONFIDENCE, dof: int | None = None
) -> tuple[float, float]:
    """Interval ``(low, high)`` in which one more run lands with probability ``confidence``:
    ``mean +- t_{(1+confidence)/2, dof} * sd * sqrt(1 + 1/n)``.

    Parameters
    ----------
    mean, sd : float
        Mean and sample sd (``ddof=1``) of ``n`` runs, or, for a single run (``n = 1``), its
        value and a run-to-run sd measured on other fits.
    n : int
        Runs behind ``mean``.
    dof : int or None, default None (``n - 1``)
        Degrees of freedom of ``sd``; a borrowed sd brings those of the runs it was measured on.

    Returns
    -------
    tuple of float
        NaN where ``sd`` has no degrees of freedom.
    """
    dof = n - 1 if dof is None else dof
    if dof < 1 or n < 1:
        _t_quantile(1, confidence)
        return math.nan, math.nan
    half = _t_quantile(dof, confidence) * sd * math.sqrt(1.0 + 1.0 / n)
    return float(mean - half), float(mean + half)


def pooled_sd(sds: Sequence[float], ns: Sequence[int]) -> tuple[float, int]:
    """The sd of several groups of runs pooled, and its degrees of freedom:
    ``sqrt(sum((n_i - 1) sd_i^2) / sum(n_i - 1))`` with ``sum(n_i - 1)`` degrees of freedom.

    Raises
    ------
    ValueError
        If no group has two runs, or an sd is not finite.
    """
    pairs = [(float(sd), int(n)) for sd, n in zip(sds, ns, strict=True) if int(n) > 1]
    if not pairs:
        raise ValueError(f"pooling needs a group of two runs or more, got sizes {list(ns)}")
    if not all(math.isfinite(sd) for sd, _ in pairs):
        raise ValueError(f"sds to pool must be finite, got {list(sds)}")
    dof = sum(n - 1 for _, n in pairs)
    return math.sqrt(sum((n - 1) * sd**2 for sd, n in pairs) / dof), dof


#: Scales a metric lives on: name -> (to the scale, back from it). MSEs span decades, so their
#: runs are summarised as log10 values (the mean is then a geometric mean); accuracies are raw.
SCALES = {
    "raw": (lambda values: np.asarray(values, dtype=float), lambda values: np.asarray(values, dtype=float)),
    "log": (
        lambda values: np.log10(np.asarray(values, dtype=float)),
        lambda values: 10.0 ** np.asarray(values, dtype=float),
    ),
}


def runs_summary(
    runs: Sequence[float],
    scale: str = "raw",
    borrowed: tuple[float, int] | None = None,
    confidence: float = CONFIDENCE,
) -> dict:
    """Our number from its runs, on its scale: the mean, the interval of the mean, and the
    prediction interval of one run (:func:`prediction_interval`), mapped back from the scale.

    Parameters
    ----------
    runs : sequence of float
        The runs behind the number (seeds or restarts); one value for a single fit.
    scale : {"raw", "log"}
        Where the runs are averaged (:data:`SCALES`); ``log`` needs positive runs.
    borrowed : (sd, dof) or None
        A run-to-run sd on ``scale`` measured on other fits, with its degrees of freedom, for
        a number whose own runs give none (a single fit); ``None`` uses the runs' own sd.

    Returns
    -------
    dict
        ``mean`` (back on the metric's own units: a geometric mean on ``log``), ``sd`` and
        ``dof`` (on the scale; NaN and 0 without a spread), ``n``, ``ci_low``, ``ci_high``,
        ``pi_low``, ``pi_high`` (metric units; NaN without a spread).
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, got {scale!r}")
    values = _finite(runs)
    if scale == "log" and np.any(values <= 0):
        raise ValueError(f"a log scale needs positive runs, got {values.tolist()}")
    forward, back = SCALES[scale]
    on_scale = forward(values)
    n, mean = int(on_scale.size), float(on_scale.mean())
    if borrowed is not None:
        sd, dof = float(borrowed[0]), int(borrowed[1])
    else:
        sd, dof = (float(on_scale.std(ddof=1)), n - 1) if n > 1 else (math.nan, 0)
    ci = t_interval(mean, sd, n, confidence, dof)
    pi = prediction_interval(mean, sd, n, confidence, dof)
    low_high = [float(value) for value in back([*ci, *pi])]
    return {
        "mean": float(back(mean)),
        "sd": sd,
        "dof": dof,
        "n": n,
        **dict(zip(("ci_low", "ci_high", "pi_low", "pi_high"), low_high, strict=True)),
    }


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
        columns.update(
            {
                f"{name}_mean": float(value),
                f"{name}_sd": math.nan,
                f"{name}_ci_low": math.nan,
                f"{name}_ci_high": math.nan,
            }
        )
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
    pi_low: float,
    pi_high: float,
    lower_is_better: bool,
    relative_tolerance: float,
    absolute_tolerance: float = 0.0,
) -> str:
    """The audit's verdict on one number: ``reproduced``, ``better`` or ``worse``.

    The study's number is one run. With a prediction interval of one run of ours
    (``pi_low``/``pi_high``, :func:`prediction_interval`): ``reproduced`` when the study's value
    lies inside it, edges included; ``better``/``worse`` when the whole interval lies on one
    side of it; no tolerance is added. Without one (a deterministic model, or a single run
    whose spread was never measured; ``pi_low``/``pi_high`` NaN): ``reproduced`` when
    ``|mean - study| <= max(relative_tolerance * |study|, absolute_tolerance)``, else the side
    ``mean`` lies on.
    """
    if not all(math.isfinite(value) for value in (study, mean)):
        raise ValueError(f"a verdict needs finite values, got study={study}, ours={mean}")
    if math.isfinite(pi_low) and math.isfinite(pi_high):
        if pi_low <= study <= pi_high:
            return "reproduced"
        ours_lower = pi_high < study
    else:
        if abs(mean - study) <= max(relative_tolerance * abs(study), absolute_tolerance):
            return "reproduced"
        ours_lower = mean < study
    return "better" if ours_lower == lower_is_better else "worse"


def choice_verdict(study: float, ours: float) -> str:
    """``same`` when a chosen hyperparameter equals the study's (to float rounding), else ``different``."""
    return "same" if math.isclose(float(study), float(ours), rel_tol=1e-9) else "different"
