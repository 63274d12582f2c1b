"""What the numbers say about the audit's ``worse`` rows: facts, each stated only where they hold.

The report lists, in each section, the study's numbers that ours falls short of. It gives no cause it
cannot show; these functions return the measured facts that bear on a gap (how many run-to-run
standard deviations it spans, how our fits compare with scikit-learn's, how many points our fits
see), or ``None`` where the numbers do not show them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .number_sources import count_rows, whole

#: A gap of this many standard deviations of one run or more is far beyond the spread over runs
#: (a ``worse`` verdict alone puts the study's value beyond about two).
FAR_BEYOND_SPREAD = 3.0
#: Our fit is called worse than scikit-learn's when its test MSE is this many times theirs or more.
FIT_RATIO = 2.0


def gaps_in_spreads(worse: pd.DataFrame) -> pd.Series:
    """How many of one run's standard deviations separate the study's value from our mean, per row.

    Parameters
    ----------
    worse : DataFrame
        Audit rows (:data:`ffnn.audit.AUDIT_COLUMNS`); ``ours_sd`` is on the row's scale (log10 units
        on ``log``), so the gap is measured on the same scale.

    Returns
    -------
    pandas.Series
        One value per row with a spread (``spread_dof > 0``), indexed as ``worse``.
    """
    spread = worse[(worse["spread_dof"] > 0) & (worse["ours_sd"] > 0)]
    study = spread["study_value"].astype(float)
    mean = spread["ours_mean"].astype(float)
    log = spread["scale"] == "log"
    # Only the log rows go through log10: a raw row may hold zero or a negative value.
    log_gap = (np.log10(study.where(log)) - np.log10(mean.where(log))).abs()
    gap = log_gap.where(log, (study - mean).abs())
    return gap / spread["ours_sd"].astype(float)


def spread_fact(
    worse: pd.DataFrame, number: Callable[[float], str] = "{:.1f}".format, count: Callable[[int], str] = str
) -> str | None:
    """A sentence on whether the spread over runs could explain the gaps of ``worse``, or ``None``
    where no row has a spread. The smallest gap counts: it is stated in standard deviations of one run,
    written by ``number``; ``count`` writes how many gaps (the report passes its own formatters)."""
    gaps = gaps_in_spreads(worse)
    if gaps.empty:
        return None
    smallest = gaps.min()
    rows = "the gap" if len(gaps) == 1 else f"each of the {count(count_rows(gaps))} gaps with a measured spread"
    if smallest >= FAR_BEYOND_SPREAD:
        return (
            f"Measured on the metric's scale, {rows} spans at least {number(smallest)} standard deviations of one run "
            "of ours: far more than the spread over runs, so not a matter of which seed or restart the study drew."
        )
    return (
        f"The smallest of these gaps spans {number(smallest)} standard deviations of one run of ours: near the edge "
        "of what the spread over runs reaches."
    )


def parity_fit_fact(
    parity: pd.DataFrame, architectures: list[str], number: Callable[[float], str] = "{:.1f}".format
) -> str | None:
    """How our fits compare with scikit-learn's on the architectures of Table II's ``worse`` rows.

    Parameters
    ----------
    parity : DataFrame
        ``verify_sklearn_parity.csv``: columns ``setting``, ``architecture``, ``ours_test_mse``,
        ``sklearn_test_mse``; the ``independent`` rows (each library its own initial weights) are read.
    architectures : list of str
        The architectures whose difference to scikit-learn is worse than the study's.
    number : callable, default ``"{:.1f}".format``
        Writes a ratio of test MSEs (the report passes its own formatter).

    Returns
    -------
    str or None
        Where our test MSE is :data:`FIT_RATIO` times scikit-learn's or more on some of them, a
        sentence naming those and the ratios; where both fit alike on all, a sentence saying the two
        fits are equally good; ``None`` for no architecture.
    """
    if not architectures:
        return None
    rows = parity[(parity["setting"] == "independent") & parity["architecture"].isin(architectures)]
    missing = sorted(set(architectures) - set(rows["architecture"]))
    if missing:
        raise ValueError(f"no independent scikit-learn comparison of {missing}")
    ratios = dict(zip(rows["architecture"], rows["ours_test_mse"] / rows["sklearn_test_mse"], strict=True))
    poorer = {name: ratio for name, ratio in ratios.items() if ratio >= FIT_RATIO}
    if not poorer:
        return (
            "On these architectures our fit and scikit-learn's reach test MSEs within a factor "
            f"{number(FIT_RATIO)} of each other: the predictions differ by how far apart two equally good fits end."
        )
    listed = ", ".join(f"{name} ({number(ratio)} times)" for name, ratio in poorer.items())
    return (
        f"Our independently initialised network fits the Runge function worse than scikit-learn's on {listed}, "
        "by test MSE: the difference between the two measures our poorer fit there, not a disagreement of two "
        "good ones; from shared initial weights the two agree to rounding."
    )


def training_points(points: pd.DataFrame) -> tuple[int, int]:
    """Points our Runge networks fit and those the study's fitted: our training part, and the
    training and validation parts together (the study held out no validation part).

    Parameters
    ----------
    points : DataFrame
        ``runge_data_points.csv``: columns ``noise_std`` and ``part`` (``train``, ``val``, ``test``),
        one row per point; the noise-free data set is counted.
    """
    parts = points.loc[points["noise_std"] == 0, "part"].value_counts()
    ours = whole(parts.get("train", 0))
    return ours, ours + whole(parts.get("val", 0))


#: The worst finite-difference error is put on the ReLU's kink only where it is this many times the
#: worst error of every other network and initialisation.
KINK_RATIO = 100.0


def finite_difference_fact(
    gradients: pd.DataFrame, number: Callable[[float], str] = "{:.1e}".format, index: Callable[[int], str] = str
) -> str:
    """Where the finite differences disagree most with backpropagation, and what the numbers say of why.

    Parameters
    ----------
    gradients : DataFrame
        ``verify_gradients_autograd.csv``: one row per network, initialisation, layer and parameter
        kind, with columns ``network``, ``initializer``, ``layer``, ``param`` (``W`` or ``b``),
        ``grad_norm`` and ``rel_err_finite_diff``.
    number : callable, default ``"{:.1e}".format``
        Writes a norm or an error (the report passes its own formatter).
    index : callable, default ``str``
        Writes the layer's index (the report passes its own formatter).

    Returns
    -------
    str
        The worst row named with its gradient norm. Where that row's network uses ReLU and its error is
        :data:`KINK_RATIO` times that of every other network and initialisation or more, the sentence names
        the ReLU's kink as the likely cause, and, where a row elsewhere has a smaller gradient and a
        smaller error, says that the gradient's size is not it.
    """
    worst = gradients.loc[gradients["rel_err_finite_diff"].idxmax()]
    kind = "bias" if worst["param"] == "b" else "weight"
    fact = (
        f"The largest relative error, {number(worst['rel_err_finite_diff'])}, is that of layer "
        f"{index(worst['layer'])}'s {kind} gradient in the {worst['network']} network at {worst['initializer']} "
        f"initial weights, a gradient of norm {number(worst['grad_norm'])}."
    )
    elsewhere = gradients[
        (gradients["network"] != worst["network"]) | (gradients["initializer"] != worst["initializer"])
    ]
    if "relu" not in str(worst["network"]) or elsewhere.empty:
        return fact
    if worst["rel_err_finite_diff"] < KINK_RATIO * elsewhere["rel_err_finite_diff"].max():
        return fact
    fact += (
        f" Every other network and initialisation stays below {number(elsewhere['rel_err_finite_diff'].max())}. The "
        "likely cause is the ReLU's kink at zero: at small initial weights its inputs lie close to it, and a central "
        "difference that straddles the kink measures neither of its one-sided slopes."
    )
    smaller = elsewhere[elsewhere["grad_norm"] < worst["grad_norm"]]
    if not smaller.empty:
        fact += (
            " The gradient's size is not the cause: gradients elsewhere as small as "
            f"{number(smaller['grad_norm'].min())} "
            f"agree to {number(smaller['rel_err_finite_diff'].max())} or better."
        )
    return fact
