"""Figures of the convolutional network, each drawn from its result table(s)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import MaxNLocator

from . import verify
from .style import FONT_PT, PALETTE, apply_style, figure_size, panels_size

# Colour of a layer box by the kind of layer.
_KIND_COLOURS = {
    "Reshape": PALETTE["ols"],
    "RandomShift": PALETTE["rmsprop"],
    "Conv2D": PALETTE["ffnn"],
    "ActivationLayer": PALETTE["relu"],
    "MaxPool2D": PALETTE["adam"],
    "BatchNorm": PALETTE["momentum"],
    "Flatten": PALETTE["ols"],
    "Dropout": PALETTE["linear"],
    "Dense": PALETTE["sigmoid"],
}
_FRAMEWORK_TITLE = "Our CNN and its torch.nn twin: same initial weights, batches and random draws"


def architecture_figure(table: pd.DataFrame) -> plt.Figure:
    """The layers as a chain of boxes, like Figure 1 for the dense network: kind, output shape, parameters.

    Parameters
    ----------
    table : DataFrame
        Columns ``kind``, ``layer``, ``output_shape``, ``units`` and ``n_params``, one row per layer in order
        (:func:`ffnn.cnn.study.architecture_table`).
    """
    apply_style()
    n = len(table)
    fig, ax = plt.subplots(figsize=figure_size(1.0, 0.55))
    # Box height grows with the log of the layer's output size, so 12,544 and 10 units both stay visible.
    heights = 0.6 + 2.2 * np.log10(table["units"].to_numpy(dtype=float)) / np.log10(table["units"].max())
    for x, ((_, row), height) in enumerate(zip(table.iterrows(), heights, strict=True)):
        box = FancyBboxPatch(
            (x - 0.38, -height / 2),
            0.76,
            height,
            boxstyle="round,pad=0.02",
            facecolor=_KIND_COLOURS.get(row["kind"], "0.8"),
            edgecolor="black",
            alpha=0.85,
        )
        ax.add_patch(box)
        ax.text(
            x - 0.2,
            heights.max() / 2 + 0.15,
            _short_name(row["layer"]),
            ha="left",
            va="bottom",
            fontsize=FONT_PT["small"],
            rotation=45,
            rotation_mode="anchor",
        )
        ax.text(
            x + 0.2,
            -heights.max() / 2 - 0.15,
            row["output_shape"],
            ha="right",
            va="top",
            fontsize=FONT_PT["small"],
            rotation=45,
            rotation_mode="anchor",
        )
        if row["n_params"]:
            ax.text(x, 0, f"{row['n_params']:,}", ha="center", va="center", fontsize=FONT_PT["small"], rotation=90)
        if x:
            ax.annotate("", xy=(x - 0.4, 0), xytext=(x - 0.6, 0), arrowprops=dict(arrowstyle="->", color="0.3"))
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(-heights.max() / 2 - 1.2, heights.max() / 2 + 2.3)
    ax.axis("off")
    ax.set_title(f"The chosen CNN: {int(table['n_params'].sum()):,} parameters (in the boxes); output shapes below")
    return fig


def _short_name(layer: str) -> str:
    """A layer's label over its box, e.g. ``Conv2D(1->16, 3x3, stride=1, padding='same', ReLU())`` ->
    ``Conv2D 1->16 3x3 ReLU``, ``Dense(1568->128, ReLU())`` -> ``Dense 1568->128 ReLU``."""
    kind, _, inner = layer.partition("(")
    inner = inner.rstrip(")")
    if kind == "ActivationLayer":
        return inner.split("(")[0]
    if kind == "Conv2D":
        shape, kernel, *_, last = inner.split(", ")
        activation = "" if last.startswith("padding") else last.split("(")[0]
        return f"Conv2D {shape} {kernel} {activation}".rstrip()
    if kind == "Dense":
        shape, _, activation = inner.partition(", ")
        return f"Dense {shape} {activation.split('(')[0]}".rstrip()
    if kind == "Dropout":
        return f"Dropout {inner}"
    if kind == "RandomShift":
        return f"RandomShift ±{inner}"
    if kind == "MaxPool2D":
        size = inner.split(",")[0]
        return f"MaxPool {size}x{size}"
    return kind


def grid_curves_figure(curves: pd.DataFrame) -> plt.Figure:
    """Validation accuracy per epoch of every grid cell (training accuracy dotted)."""
    apply_style()
    n_cells = curves["cell"].nunique()
    fig, ax = plt.subplots(figsize=figure_size(0.75, 0.62 + 0.05 * n_cells))
    colours = iter(sns.color_palette("colorblind", n_cells))
    for _, group in curves.groupby("cell", sort=False):
        colour = next(colours)
        label = group["architecture"].iloc[0]
        ax.plot(group["epoch"], group["val_accuracy"], color=colour, marker=".", label=label)
        ax.plot(group["epoch"], group["train_accuracy"], color=colour, linestyle=":", alpha=0.7)
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))  # one epoch: the tick 1, not fractions
    ax.set_ylabel("accuracy (validation; training dotted)")
    ax.set_title("CNN grid: learning curves on the training part")
    # Below the axes: the architectures' names are long, and the curves fill the plot's corners.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
    fig.tight_layout()
    return fig


def per_class_f1_figure(table: pd.DataFrame) -> plt.Figure:
    """Test F1 per class of the dense and convolutional networks as paired bars."""
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.8, 0.55))
    positions = np.arange(len(table))
    for offset, (column, label, colour) in zip(
        (-0.2, 0.2), (("dense", "dense network", PALETTE["ffnn"]), ("cnn", "CNN", PALETTE["relu"])), strict=True
    ):
        ax.bar(positions + offset, table[column], width=0.4, label=label, color=colour)
    ax.set_xticks(positions, table["class_name"], rotation=30, ha="right")
    ax.set_ylim(max(0.0, float(table[["dense", "cnn"]].min().min()) - 0.1), 1.0)
    ax.set_ylabel("test F1")
    ax.set_title("Per-class F1 on the test images")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig


def confusions_figure(dense: pd.DataFrame, cnn: pd.DataFrame) -> plt.Figure:
    """The two test confusion matrices (counts), dense left and CNN right, on one colour scale."""
    apply_style()
    # One above the other at most of the text width: side by side, four-digit counts overflow their cells.
    fig, axes = plt.subplots(2, 1, figsize=panels_size(1, 2, 0.75, width=0.85))
    matrices = [table.set_index("true_class") for table in (dense, cnn)]
    off_diagonal = max(int((m.to_numpy() * (1 - np.eye(len(m)))).max()) for m in matrices)
    for ax, matrix, title in zip(axes, matrices, ("Dense network", "CNN"), strict=True):
        # The colour scale stops at the largest confusion, so the errors stand out, not the diagonal.
        sns.heatmap(
            matrix,
            annot=True,
            fmt="d",
            cmap="Blues",
            vmin=0,
            vmax=off_diagonal,
            cbar=False,
            ax=ax,
            annot_kws={"fontsize": FONT_PT["small"]},
        )
        ax.set_xlabel("predicted class")
        ax.set_ylabel("true class")
        ax.set_title(f"{title}, test images")
    axes[0].set_xlabel("")
    axes[0].set_xticklabels([])  # the classes are read off the lower panel's axis
    fig.tight_layout()
    return fig


def torch_drift_figure(drift: pd.DataFrame) -> plt.Figure:
    """Largest logit and parameter differences, our CNN vs its torch twin, over float64 Adam steps."""
    fig = verify.torch_drift_figure(drift)
    fig.axes[0].set_title("CNN, same weights, batches and random draws, float64")
    return fig


def torch_curves_figure(curves: pd.DataFrame) -> plt.Figure:
    """Accuracy per epoch of our CNN and its torch twin trained in float32."""
    fig = verify.torch_curves_figure(curves)
    fig.axes[0].set_title(_FRAMEWORK_TITLE)
    return fig
