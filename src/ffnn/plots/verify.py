"""Figures of the verification part, each drawn from one result table (no training here).

- :func:`sklearn_parity_figure`: ours vs scikit-learn predictions on the test inputs (Fig. 5).
- :func:`sklearn_curves_figure`: both fitted curves against Runge's function (Fig. 19).
- :func:`torch_drift_figure`: float64 drift between ours and PyTorch over training steps.
- :func:`torch_curves_figure`: float32 accuracy curves of both (Section III.B.4).
- :func:`torch_logits_figure`: ours vs PyTorch logits (Fig. 15).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .style import apply_style, figure_size, legend_below, panels_size, tidy_log_axes

SETTING_TITLES = {
    "independent": "Own initial weights each, Adam\n(the study's setting)",
    "shared": "Same initial weights,\nplain full-batch GD",
}
#: Ours in one colour, the reference library (scikit-learn or PyTorch) in another, in every figure.
_OURS, _REFERENCE = sns.color_palette("colorblind")[0], sns.color_palette("colorblind")[3]
FRAMEWORK_COLORS = {"ours": _OURS, "sklearn": _REFERENCE, "torch": _REFERENCE}
FRAMEWORK_LABELS = {"ours": "ours (NumPy)", "torch": "PyTorch"}


def _require(table: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing or table.empty:
        raise ValueError(f"{what}: table is empty or lacks columns {missing}")


def _identity_line(ax, values: np.ndarray) -> None:
    low, high = float(np.min(values)), float(np.max(values))
    pad = 0.03 * (high - low or 1.0)
    ax.plot([low - pad, high + pad], [low - pad, high + pad], "--", color="red", lw=1, label="y = x", zorder=0)


def sklearn_parity_figure(predictions: pd.DataFrame) -> plt.Figure:
    """Scatter of our test predictions against ``MLPRegressor``'s, one panel per setting (Fig. 5).

    Parameters
    ----------
    predictions : DataFrame
        Columns ``setting``, ``architecture``, ``part``, ``ours``, ``sklearn`` (rows with
        ``part == "test"`` are drawn).
    """
    _require(predictions, ["setting", "architecture", "part", "ours", "sklearn"], "sklearn parity figure")
    apply_style()
    test = predictions[predictions["part"] == "test"]
    settings = [s for s in SETTING_TITLES if s in set(test["setting"])]
    fig, axes = plt.subplots(1, len(settings), figsize=panels_size(len(settings), 1, 1.0), squeeze=False)
    for ax, setting in zip(axes[0], settings, strict=True):
        part = test[test["setting"] == setting]
        _identity_line(ax, part[["ours", "sklearn"]].to_numpy())
        sns.scatterplot(
            data=part,
            x="sklearn",
            y="ours",
            hue="architecture",
            style="architecture",
            s=25,
            ax=ax,
            legend=ax is axes[0, 0],
        )
        ax.set(title=SETTING_TITLES[setting], xlabel="scikit-learn prediction", ylabel="our FFNN prediction")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    axes[0, 0].get_legend().remove()
    fig.suptitle("Runge test set: our network against scikit-learn's MLPRegressor")
    fig.tight_layout()
    legend_below(fig, handles, labels)
    return fig


def sklearn_curves_figure(predictions: pd.DataFrame) -> plt.Figure:
    """Fitted curves of ours and ``MLPRegressor`` against Runge's function (Fig. 19).

    One row per setting, one column per architecture; the test points are marked.

    Parameters
    ----------
    predictions : DataFrame
        Columns ``setting``, ``architecture``, ``part`` (``"curve"`` and ``"test"``), ``x``,
        ``y_true``, ``ours``, ``sklearn``.
    """
    _require(
        predictions, ["setting", "architecture", "part", "x", "y_true", "ours", "sklearn"], "sklearn curves figure"
    )
    apply_style()
    settings = [s for s in SETTING_TITLES if s in set(predictions["setting"])]
    architectures = list(dict.fromkeys(predictions["architecture"]))
    fig, axes = plt.subplots(
        len(settings),
        len(architectures),
        figsize=panels_size(len(architectures), len(settings), 0.95),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    for row, setting in enumerate(settings):
        for col, arch in enumerate(architectures):
            ax = axes[row, col]
            cell = predictions[(predictions["setting"] == setting) & (predictions["architecture"] == arch)]
            curve = cell[cell["part"] == "curve"].sort_values("x")
            test = cell[cell["part"] == "test"]
            ax.plot(curve["x"], curve["y_true"], color="black", lw=1, label="Runge f(x)")
            ax.plot(curve["x"], curve["ours"], color=FRAMEWORK_COLORS["ours"], lw=2, label="our FFNN")
            ax.plot(curve["x"], curve["sklearn"], "--", color=FRAMEWORK_COLORS["sklearn"], lw=1.5, label="scikit-learn")
            ax.scatter(test["x"], test["y_true"], s=12, color="grey", zorder=3, label="test points")
            if row == 0:
                ax.set_title(arch)
            if col == 0:
                ax.set_ylabel(f"{setting} start\ny")
            if row == len(settings) - 1:
                ax.set_xlabel("x")
    fig.suptitle("Runge's function fitted by our FFNN and scikit-learn's MLPRegressor")
    fig.tight_layout()
    legend_below(fig, *axes[0, 0].get_legend_handles_labels())
    return fig


def torch_drift_figure(drift: pd.DataFrame) -> plt.Figure:
    """Largest absolute logit and parameter differences, ours vs PyTorch, over float64 training steps.

    Parameters
    ----------
    drift : DataFrame
        Columns ``step``, ``max_abs_logit_diff``, ``max_abs_param_diff``.
    """
    _require(drift, ["step", "max_abs_logit_diff", "max_abs_param_diff"], "torch drift figure")
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.7, 0.62))
    exact = False
    for column, label in (("max_abs_logit_diff", "logits (probe samples)"), ("max_abs_param_diff", "parameters")):
        values = drift[column].to_numpy(dtype=float)
        # Exact agreement (0) has no place on a log axis: it is left out and said in the title.
        exact |= bool(np.any(values == 0))
        ax.plot(drift["step"], np.where(values > 0, values, np.nan), marker=".", label=label)
    ax.axhline(np.finfo(np.float64).eps, color="grey", ls=":", lw=1, label="float64 machine epsilon")
    title = "Same weights, same batches, float64"
    ax.set(
        yscale="log",
        xlabel="Adam step",
        ylabel="max |ours - PyTorch|",
        title=title + ("\n(exact zeros not drawn)" if exact else ""),
    )
    tidy_log_axes(ax)
    ax.legend()
    return fig


def torch_curves_figure(curves: pd.DataFrame) -> plt.Figure:
    """Training and validation accuracy per epoch of ours and PyTorch (float32).

    Parameters
    ----------
    curves : DataFrame
        Columns ``framework`` (``"ours"``, ``"torch"``), ``epoch``, ``train_accuracy``, ``val_accuracy``.
    """
    _require(curves, ["framework", "epoch", "train_accuracy", "val_accuracy"], "torch curves figure")
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.75, 0.6))
    # Ours drawn wide and pale beneath, so that where the two coincide both stay visible.
    widths = {"ours": dict(lw=4, alpha=0.45), "torch": dict(lw=1.3)}
    for framework, part in curves.groupby("framework", sort=False):
        style = {"color": FRAMEWORK_COLORS.get(framework), **widths.get(framework, {})}
        label = FRAMEWORK_LABELS.get(framework, framework)
        ax.plot(part["epoch"], part["train_accuracy"], ls="--", label=f"{label}, training", **style)
        ax.plot(part["epoch"], part["val_accuracy"], ls="-", label=f"{label}, validation", **style)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set(xlabel="epoch", ylabel="accuracy", title="[512-10] ReLU, Adam, L2: same initial weights and batches")
    ax.legend()
    return fig


def torch_logits_figure(logits: pd.DataFrame) -> plt.Figure:
    """Our logits against PyTorch's after float32 training (Fig. 15).

    Parameters
    ----------
    logits : DataFrame
        Columns ``ours`` and ``torch`` (one row per sample and class).
    """
    _require(logits, ["ours", "torch"], "torch logits figure")
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.55, 1.0))
    _identity_line(ax, logits[["ours", "torch"]].to_numpy())
    ax.scatter(
        logits["torch"],
        logits["ours"],
        s=4,
        alpha=0.3,
        color=FRAMEWORK_COLORS["ours"],
        label="logit of one sample and class",
    )
    largest = np.max(np.abs(logits["ours"] - logits["torch"]))
    ax.text(0.97, 0.03, f"max |difference| = {largest:.2g}", transform=ax.transAxes, ha="right", va="bottom")
    ax.set(xlabel="PyTorch logit", ylabel="our logit", title="FashionMNIST test logits, ours vs PyTorch")
    ax.legend(loc="upper left")
    return fig
