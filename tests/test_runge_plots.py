"""Each Runge figure function draws from a tiny table of the documented shape, and refuses a table
that lacks its columns."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ffnn.data.runge import runge
from ffnn.plots import runge as plots


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def curves_table(grid: dict[str, list]) -> pd.DataFrame:
    """Learning curves for every combination of ``grid``, two repeats, epochs 1..5."""
    rows = []
    for values in itertools.product(*grid.values()):
        for repeat, epoch in itertools.product((0, 1), range(1, 6)):
            rows.append(
                {
                    **dict(zip(grid, values, strict=True)),
                    "repeat": repeat,
                    "epoch": epoch,
                    "train_mse": 1.0 / epoch,
                    "val_mse": 2.0 / epoch + repeat,
                }
            )
    return pd.DataFrame(rows)


def summary_table(grid: dict[str, list]) -> pd.DataFrame:
    rows = []
    for index, values in enumerate(itertools.product(*grid.values())):
        median = 10.0 ** -(index % 4 + 2)
        rows.append(
            {
                **dict(zip(grid, values, strict=True)),
                "val_mse_median": median,
                "val_mse_min": median / 2,
                "val_mse_max": median * 3,
            }
        )
    table = pd.DataFrame(rows)
    table["chosen"] = table["val_mse_median"] == table["val_mse_median"].min()
    return table


def n_drawn_axes(fig) -> int:
    return sum(ax.get_visible() and bool(ax.lines or ax.collections or ax.images) for ax in fig.axes)


def test_median_curves_takes_the_median_over_repeats():
    medians = plots.median_curves(curves_table({"optimizer": ["adam"]}), ["optimizer"], "val_mse")
    assert len(medians) == 5
    assert medians.loc[medians["epoch"] == 1, "val_mse"].item() == pytest.approx(2.5)  # median of 2 and 3


def test_learning_curves_one_panel_per_value():
    fig = plots.plot_learning_curves(
        curves_table({"optimizer": ["adam", "sgd"], "learning_rate": [0.01, 0.1]}), "optimizer", "learning_rate"
    )
    assert n_drawn_axes(fig) == 2
    assert all(len(ax.lines) == 2 for ax in fig.axes)


def test_learning_curves_with_different_lines_per_panel_get_a_legend_each():
    table = pd.concat(
        [
            curves_table({"sweep": ["lambda"], "value": [1e-5, 1e-3]}),
            curves_table({"sweep": ["b"], "value": [16, 32, 64]}),
        ]
    )
    fig = plots.plot_learning_curves(table, "sweep", "value", metric="train_mse")
    assert [len(ax.lines) for ax in fig.axes] == [2, 3]
    assert all(ax.get_legend() is not None for ax in fig.axes)


def test_depth_sweep():
    fig = plots.plot_depth_sweep(summary_table({"activation": ["sigmoid", "relu"], "depth": [1, 2, 3], "width": [32]}))
    assert n_drawn_axes(fig) == 1 and fig.axes[0].get_yscale() == "log"


def test_depth_width_heatmaps_one_per_activation():
    table = summary_table({"activation": ["sigmoid", "relu", "leaky_relu"], "depth": [1, 2], "width": [8, 16]})
    fig = plots.plot_depth_width_heatmaps(table)
    heatmap_axes = [ax for ax in fig.axes if ax.collections and ax.get_title()]
    assert [ax.get_title() for ax in heatmap_axes] == ["Sigmoid", "ReLU", "Leaky ReLU"]
    # each cell's colour is its median; its label the spread over restarts as max/min (3 / 0.5 = 6 here)
    texts = [text.get_text() for text in heatmap_axes[0].texts]
    assert texts == ["×6"] * 4


def test_sweeps_one_panel_per_hyperparameter_with_the_choice_starred():
    tables = {
        "lam": summary_table({"lam": [1e-5, 1e-4, 1e-3]}),
        "learning_rate": summary_table({"learning_rate": [1e-3, 1e-2]}),
        "batch_size": summary_table({"batch_size": [16, 32, 64]}),
    }
    fig = plots.plot_sweeps(tables)
    assert n_drawn_axes(fig) == 3
    assert all(any(line.get_marker() == "*" for line in ax.lines) for ax in fig.axes)


def test_fitted_curves_with_and_without_truth_panel():
    x = np.linspace(-1, 1, 21)
    curves = pd.concat(
        [
            pd.DataFrame({"row": "runge", "model": "Runge function", "noise_std": 0.0, "x": x, "y": runge(x)}),
            pd.DataFrame({"row": "ols", "model": "OLS", "noise_std": 0.0, "x": x, "y": runge(x) + 0.01}),
            pd.DataFrame({"row": "ffnn1", "model": "FFNN1", "noise_std": 0.0, "x": x, "y": runge(x) - 0.01}),
        ]
    )
    points = pd.DataFrame({"noise_std": 0.0, "part": ["train", "val", "test"] * 3, "x": x[:9], "y": runge(x[:9])})
    fig = plots.plot_fitted_curves(curves, points, ["ols", "ffnn1"])
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 3  # truth + two models
    assert len(plots.plot_fitted_curves(curves, points, ["ols"], truth_panel=True).axes) == 2
    with pytest.raises(ValueError, match="lasso"):
        plots.plot_fitted_curves(curves, points, ["lasso"])


def test_table1_chart():
    table = pd.DataFrame(
        {
            "model": ["NN", "OLS"],
            "test_mse": [1e-4, 1e-2],
            "test_mse_min": [5e-5, 1e-2],
            "test_mse_max": [2e-4, 1e-2],
            "study_test_mse": [7.77e-5, 1.06e-2],
        }
    )
    fig = plots.plot_table1(table)
    assert fig.axes[0].get_xscale() == "log"
    assert [tick.get_text() for tick in fig.axes[0].get_yticklabels()] == ["NN", "OLS"]


def test_baseline_selection_one_panel_per_noise_level():
    rows = [
        {
            "kind": kind,
            "noise_std": noise,
            "degree": degree,
            "lam": lam,
            "val_mse": 1.0 / degree + lam,
            "chosen": degree == 3 and lam <= 1e-4,
        }
        for kind, lams in (("ols", [0.0]), ("ridge", [1e-4, 1e-2]))
        for noise in (0.0, 0.01)
        for degree in (1, 2, 3)
        for lam in lams
    ]
    fig = plots.plot_baseline_selection(pd.DataFrame(rows))
    assert n_drawn_axes(fig) == 2


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="val_mse_max"):
        plots.plot_depth_sweep(
            pd.DataFrame(
                {"activation": ["relu"], "depth": [1], "width": [8], "val_mse_median": [1.0], "val_mse_min": [1.0]}
            )
        )
