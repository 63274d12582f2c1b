"""Figures of the Runge study (Section III.A), drawn from its result tables only.

Each function takes the DataFrame(s) of a table written by the Runge workflow and returns a
Matplotlib figure; none of them trains or fits anything. Column names follow the tables:

* curves tables: grid columns, ``repeat``, ``epoch``, ``train_mse``, ``val_mse``;
* grid summary tables: grid columns, ``val_mse_median``, ``val_mse_min``, ``val_mse_max``
  (and ``chosen`` where a setting was selected);
* ``runge_fitted_curves.csv``: ``row``, ``model``, ``noise_std``, ``x``, ``y``;
* ``runge_data_points.csv``: ``noise_std``, ``part``, ``x``, ``y``;
* ``runge_table1_test_mse.csv`` and ``runge_baseline_selection.csv`` as documented in their rules.

MSE is the study's Eq. 1, ``mean((y - y_pred)^2)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import LogNorm

from ..labels import value_label
from .style import FONT_PT, PALETTE, apply_style, figure_size, legend_below, panels_size, tidy_log_axes

__all__ = [
    "median_curves",
    "plot_learning_curves",
    "plot_depth_sweep",
    "plot_depth_width_heatmaps",
    "plot_sweeps",
    "plot_fitted_curves",
    "plot_table1",
    "plot_baseline_selection",
]

SWEEP_LABELS = {"lam": r"penalty $\lambda$", "learning_rate": r"learning rate $\eta$", "batch_size": "batch size $b$"}
BASELINE_LABELS = {"ols": "OLS", "ridge": "Ridge", "lasso": "LASSO"}
METRIC_LABELS = {"val_mse": "validation MSE", "train_mse": "training MSE"}


def _label(value) -> str:
    if isinstance(value, str):
        return value_label(value)
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    return str(value)


def _require(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"{name} lacks columns {missing}; has {list(table.columns)}")


def _panels(n: int, panel_aspect: float = 0.85, sharey: bool = True, max_cols: int = 3):
    """``n`` panels across the text width, at most ``max_cols`` a row, each ``panel_aspect`` as high as wide."""
    ncols = min(n, max_cols)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=panels_size(ncols, nrows, panel_aspect), sharey=sharey, squeeze=False
    )
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def median_curves(curves: pd.DataFrame, by: Sequence[str], metric: str = "val_mse") -> pd.DataFrame:
    """Median over restarts of ``metric`` per epoch for every combination of the ``by`` columns.

    Returns a DataFrame with columns ``by + ["epoch", metric]``; a repeat that stopped early
    (diverged) simply drops out of the later epochs.
    """
    _require(curves, [*by, "epoch", metric], "curves table")
    return curves.groupby([*by, "epoch"], sort=True, dropna=False)[metric].median().reset_index()


def plot_learning_curves(
    curves: pd.DataFrame,
    panel: str,
    line: str,
    metric: str = "val_mse",
    title: str | None = None,
    line_title: str | None = None,
) -> plt.Figure:
    """Learning curves, one panel per value of ``panel`` and one line per value of ``line``.

    Each line is the median over restarts of ``metric`` (``"val_mse"`` or ``"train_mse"``) per
    epoch, on a log scale (Figs. 3, 17, 18, 21, 23 of the study). Panels whose lines differ
    (e.g. one sweep per panel) get a legend each; otherwise the last panel holds the legend.
    """
    apply_style()
    medians = median_curves(curves, [panel, line], metric)
    panel_values = list(dict.fromkeys(curves[panel]))
    lines_of = {value: sorted(curves.loc[curves[panel] == value, line].unique()) for value in panel_values}
    shared_lines = all(lines == lines_of[panel_values[0]] for lines in lines_of.values())
    fig, axes = _panels(len(panel_values), panel_aspect=1.25)
    for ax, value in zip(axes, panel_values, strict=True):
        colours = sns.color_palette("viridis", len(lines_of[value]))
        for line_value, colour in zip(lines_of[value], colours, strict=True):
            part = medians[(medians[panel] == value) & (medians[line] == line_value)]
            ax.plot(part["epoch"], part[metric], color=colour, label=_label(line_value), lw=1.4)
        ax.set_yscale("log")
        tidy_log_axes(ax)
        ax.set_xlabel("epoch")
        ax.set_title(_label(value))
        if not shared_lines:
            ax.legend(title=line_title or line, loc="best")
    if shared_lines:
        axes[-1].legend(title=line_title or line, loc="best")
    axes[0].set_ylabel(METRIC_LABELS.get(metric, metric))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _errorbar(ax, x, table: pd.DataFrame, colour, label: str, marker: str = "o") -> None:
    median = table["val_mse_median"].to_numpy(dtype=float)
    lower = median - table["val_mse_min"].to_numpy(dtype=float)
    upper = table["val_mse_max"].to_numpy(dtype=float) - median
    ax.errorbar(x, median, yerr=[lower, upper], color=colour, marker=marker, capsize=3, lw=1.4, label=label)


def plot_depth_sweep(table: pd.DataFrame, title: str | None = None) -> plt.Figure:
    """Validation MSE (median, bars from min to max over restarts) against depth, per activation (Fig. 6)."""
    _require(
        table, ["activation", "depth", "width", "val_mse_median", "val_mse_min", "val_mse_max"], "depth sweep table"
    )
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.75, 0.62))
    for activation, part in table.groupby("activation", sort=False):
        part = part.sort_values("depth")
        _errorbar(ax, part["depth"], part, PALETTE.get(activation), _label(activation))
    widths = sorted(table["width"].unique())
    ax.set_yscale("log")
    tidy_log_axes(ax)
    ax.set_xlabel(f"hidden layers (width {', '.join(map(str, widths))})")
    ax.set_ylabel("validation MSE")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.legend()
    ax.set_title(title or "Validation MSE against depth")
    fig.tight_layout()
    return fig


def _restart_spread(cells: pd.DataFrame, grid: pd.DataFrame):
    """Labels ``×f`` of the factor max/min of validation MSE over restarts per cell, laid out as
    ``grid``; False (no labels) where the table has no ``val_mse_min``/``val_mse_max``."""
    if not {"val_mse_min", "val_mse_max"} <= set(cells.columns):
        return False
    factor = cells.assign(factor=cells["val_mse_max"] / cells["val_mse_min"])
    factor = factor.pivot(index="depth", columns="width", values="factor").reindex_like(grid)
    return factor.map(lambda f: (f"×{f:.2g}" if f < 10 else f"×{f:.0f}") if np.isfinite(f) else "")


def plot_depth_width_heatmaps(table: pd.DataFrame, title: str | None = None) -> plt.Figure:
    """One heatmap of median validation MSE per activation, depth on rows and width on columns (Fig. 7).

    The colour scale is logarithmic and shared (one colour bar), and each panel's best cell is framed;
    the panels sit side by side at print size, so they show the median's colour, not its number, which
    the report's table of the same grid gives. With ``val_mse_min`` and ``val_mse_max`` columns each
    cell is labelled with the spread over restarts as the factor max/min (e.g. ``×3.2``).
    """
    _require(table, ["activation", "depth", "width", "val_mse_median"], "depth-width table")
    apply_style()
    activations = list(dict.fromkeys(table["activation"]))
    finite = table["val_mse_median"].replace([np.inf, -np.inf], np.nan).dropna()
    norm = LogNorm(vmin=finite.min(), vmax=finite.max()) if len(finite) and finite.min() > 0 else None
    fig, axes = plt.subplots(
        1, len(activations), figsize=panels_size(len(activations), 1, 1.0), squeeze=False, layout="constrained"
    )
    axes = list(axes.flat)
    for ax, activation in zip(axes, activations, strict=True):
        grid = table[table["activation"] == activation].pivot(index="depth", columns="width", values="val_mse_median")
        grid = grid.sort_index().sort_index(axis=1)
        spread = _restart_spread(table[table["activation"] == activation], grid)
        sns.heatmap(
            grid,
            ax=ax,
            norm=norm,
            cmap="rocket_r",
            cbar=False,
            square=False,
            annot=spread,
            fmt="",
            annot_kws={"size": FONT_PT["small"]},
        )
        best = np.unravel_index(np.nanargmin(grid.to_numpy(dtype=float)), grid.shape)
        ax.add_patch(plt.Rectangle((best[1], best[0]), 1, 1, fill=False, edgecolor="cyan", lw=2.0))
        ax.set_title(_label(activation))
        ax.set_xlabel("nodes per layer")
        ax.set_ylabel("hidden layers" if ax is axes[0] else "")
        ax.tick_params(axis="y", rotation=0)
    colorbar = fig.colorbar(axes[0].collections[0], ax=axes, label="validation MSE", shrink=0.9)
    tidy_log_axes(colorbar.ax)
    if title:
        fig.suptitle(title)
    return fig


def plot_sweeps(tables: dict[str, pd.DataFrame], title: str | None = None) -> plt.Figure:
    """Validation MSE against each swept hyperparameter, one panel per sweep (Figs. 8-10, 22).

    ``tables`` maps the swept column (``"lam"``, ``"learning_rate"``, ``"batch_size"``) to its
    summary table; the chosen setting (column ``chosen``) is starred.
    """
    apply_style()
    fig, axes = _panels(len(tables), sharey=False)
    for ax, (column, table) in zip(axes, tables.items(), strict=True):
        _require(table, [column, "val_mse_median", "val_mse_min", "val_mse_max"], f"{column} sweep table")
        table = table.sort_values(column)
        _errorbar(ax, table[column], table, PALETTE["leaky_relu"], "median (range) over restarts")
        if "chosen" in table and table["chosen"].any():
            best = table[table["chosen"].astype(bool)]
            ax.plot(best[column], best["val_mse_median"], "*", color="crimson", ms=14, label="chosen", zorder=5)
        ax.set_xscale("log", base=2 if column == "batch_size" else 10)
        ax.set_yscale("log")
        tidy_log_axes(ax)
        ax.set_xlabel(SWEEP_LABELS.get(column, column))
        if column == "batch_size":
            ax.set_xticks(table[column], [str(v) for v in table[column]])
            ax.xaxis.set_minor_formatter(plt.NullFormatter())
    axes[0].set_ylabel("validation MSE")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    legend_below(fig, *axes[0].get_legend_handles_labels())
    return fig


def plot_fitted_curves(
    curves: pd.DataFrame,
    points: pd.DataFrame,
    rows: Sequence[str],
    truth_panel: bool = False,
    title: str | None = None,
) -> plt.Figure:
    """Fitted curves of the given Table I ``rows`` against Runge's function (Figs. 2, 4, 11, 16, 20).

    The training points of the rows' noise level are scattered beneath. With ``truth_panel``
    an upper panel shows Runge's function and all data points alone (Fig. 16).
    """
    _require(curves, ["row", "model", "noise_std", "x", "y"], "fitted curves table")
    _require(points, ["noise_std", "part", "x", "y"], "data points table")
    unknown = sorted(set(rows) - set(curves["row"]))
    if unknown:
        raise ValueError(f"rows {unknown} are not in the fitted curves table")
    apply_style()
    truth = curves[curves["row"] == "runge"].sort_values("x")
    selected = curves[curves["row"].isin(rows)]
    noise = float(selected["noise_std"].max())
    train = points[np.isclose(points["noise_std"], noise) & (points["part"] == "train")]
    nrows = 2 if truth_panel else 1
    fig, axes = plt.subplots(nrows, 1, figsize=panels_size(1, nrows, 0.5, width=0.8), sharex=True, squeeze=False)
    axes = list(axes.flat)
    if truth_panel:
        ax = axes[0]
        ax.plot(truth["x"], truth["y"], color="black", lw=1.6, label=r"$f(x) = 1/(1+25x^2)$")
        for part, marker in (("train", "o"), ("val", "s"), ("test", "^")):
            data = points[np.isclose(points["noise_std"], noise) & (points["part"] == part)]
            ax.scatter(data["x"], data["y"], s=14, marker=marker, alpha=0.7, label=f"{part} points")
        ax.set_ylabel("y")
        ax.legend()
        ax.set_title("Runge's function and the data")
    ax = axes[-1]
    ax.scatter(train["x"], train["y"], s=12, color="grey", alpha=0.5, label="training points")
    ax.plot(truth["x"], truth["y"], color="black", lw=1.4, ls="--", label="Runge function")
    colours = sns.color_palette("colorblind", len(rows) + 3)[3:]
    for row, colour in zip(rows, colours, strict=True):
        part = selected[selected["row"] == row].sort_values("x")
        kind = row.split("_")[0]
        ax.plot(part["x"], part["y"], lw=1.6, color=PALETTE.get(kind, colour), label=part["model"].iloc[0])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_table1(table: pd.DataFrame, title: str | None = None) -> plt.Figure:
    """Test MSE of each Table I model on a log axis: ours (median and range over restarts) beside the study's."""
    _require(table, ["model", "test_mse", "test_mse_min", "test_mse_max", "study_test_mse"], "Table I")
    apply_style()
    fig, ax = plt.subplots(figsize=(figure_size()[0], 0.24 * len(table) + 0.9))
    y = np.arange(len(table))
    ours = table["test_mse"].to_numpy(dtype=float)
    spread = [ours - table["test_mse_min"].to_numpy(dtype=float), table["test_mse_max"].to_numpy(dtype=float) - ours]
    ax.errorbar(
        ours,
        y,
        xerr=np.clip(spread, 0, None),
        fmt="o",
        color=PALETTE["ffnn"],
        capsize=3,
        label="this rebuild (range over restarts)",
    )
    ax.plot(
        table["study_test_mse"].to_numpy(dtype=float), y, "x", color="crimson", ms=8, mew=2, label="study (published)"
    )
    ax.set_yticks(y, table["model"])
    ax.invert_yaxis()
    ax.set_xscale("log")
    tidy_log_axes(ax)
    ax.set_xlabel("test MSE")
    ax.legend(loc="lower right")
    ax.set_title(title or "Table I: test MSE")
    fig.tight_layout()
    return fig


def plot_baseline_selection(table: pd.DataFrame, title: str | None = None) -> plt.Figure:
    """Validation MSE against polynomial degree for OLS, Ridge and LASSO (best lambda per degree), per noise level."""
    _require(table, ["kind", "noise_std", "degree", "lam", "val_mse", "chosen"], "baseline selection table")
    apply_style()
    levels = sorted(table["noise_std"].unique())
    fig, axes = _panels(len(levels), panel_aspect=0.7)
    for ax, level in zip(axes, levels, strict=True):
        at_level = table[np.isclose(table["noise_std"], level)]
        for kind, part in at_level.groupby("kind", sort=False):
            best = part.loc[part.groupby("degree")["val_mse"].idxmin()].sort_values("degree")
            # OLS is Ridge at lambda = 0 and often lies on it: dash it on top to keep both visible
            style = {"ls": "--", "zorder": 3} if kind == "ols" else {}
            ax.plot(
                best["degree"],
                best["val_mse"],
                marker="o",
                ms=3,
                color=PALETTE.get(kind),
                label=BASELINE_LABELS.get(kind, kind),
                **style,
            )
            chosen = part[part["chosen"].astype(bool)]
            ax.plot(chosen["degree"], chosen["val_mse"], "*", color=PALETTE.get(kind), ms=13, mec="black")
        ax.set_yscale("log")
        tidy_log_axes(ax)
        ax.set_xlabel("polynomial degree $p$")
        ax.set_title(f"noise std {level:g}")
    axes[0].set_ylabel(r"validation MSE (best $\lambda$ per $p$)")
    axes[0].legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
