"""Figures of the FashionMNIST study (Figs. 12-14, 24-28), each drawn from one result table.

Every function takes the table as written by the workflow and returns a matplotlib Figure;
saving is left to :func:`ffnn.plots.style.save_figure`. Heatmaps and curves show validation
accuracy, on which all choices are made; a solid frame marks the cell validation selects, a
dashed one the study's choice.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from ..data.fashion_mnist import IMAGE_SHAPE
from ..labels import value_label
from .style import PALETTE, apply_style, figure_size, legend_below, panels_size, tidy_log_axes


def class_samples(table: pd.DataFrame) -> plt.Figure:
    """Fig. 12: one image per class, from the ``pixel_*`` columns of the class-samples table."""
    apply_style()
    pixels = table.filter(like="pixel_").to_numpy()
    n = len(table)
    n_cols = min(5, n)
    n_rows = int(np.ceil(n / n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=panels_size(n_cols, n_rows, 1.1, width=0.85), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, (_, row) in zip(axes.flat, pixels, table.iterrows(), strict=True):
        ax.imshow(image.reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0, vmax=255)
        ax.set_title(f"{row['label']}: {row['class_name']}", fontweight="normal")
    fig.suptitle("FashionMNIST: one training image per class")
    return fig


def _frame_cell(ax, row: int, col: int, linestyle: str) -> None:
    ax.add_patch(Rectangle((col, row), 1, 1, fill=False, edgecolor="black", linewidth=2.2, linestyle=linestyle))


def _accuracy_heatmap(
    table: pd.DataFrame, rows: str, cols: str, title: str, row_label: str, col_label: str
) -> plt.Figure:
    apply_style()
    grid = table.pivot(index=rows, columns=cols, values="val_accuracy").sort_index().sort_index(axis=1)
    width = min(1.0, 0.3 + 0.1 * grid.shape[1])
    fig, ax = plt.subplots(figsize=(figure_size(width)[0], 0.3 * grid.shape[0] + 1.1))
    sns.heatmap(grid, annot=True, fmt=".3f", cmap="viridis", ax=ax, cbar_kws={"label": "validation accuracy"})
    # seaborn leaves NaN (diverged) cells blank and unlabelled; say what they are, and when.
    diverged_at = table.pivot(index=rows, columns=cols, values="epochs_run").reindex_like(grid)
    for row, col in zip(*np.nonzero(grid.isna().to_numpy()), strict=True):
        ax.text(
            col + 0.5,
            row + 0.5,
            f"diverged\nepoch {diverged_at.iat[row, col]:.0f}",
            ha="center",
            va="center",
            color="dimgray",
            fontsize=8,
        )
    for flag, linestyle in (("selected", "-"), ("study_choice", "--")):
        for _, cell in table[table[flag].astype(bool)].iterrows():
            _frame_cell(ax, grid.index.get_loc(cell[rows]), grid.columns.get_loc(cell[cols]), linestyle)
    ax.set_xlabel(col_label)
    ax.set_ylabel(row_label)
    ax.tick_params(axis="y", rotation=0)
    ax.set_title(title)
    fig.tight_layout()
    frames = [
        Rectangle((0, 0), 1, 1, fill=False, edgecolor="black", linewidth=1.5, linestyle=style) for style in ("-", "--")
    ]
    legend_below(fig, frames, ["validation pick", "the study's choice"])
    return fig


def pyramid_heatmap(table: pd.DataFrame) -> plt.Figure:
    """Fig. 13: validation accuracy of pyramid architectures over first width and depth."""
    return _accuracy_heatmap(
        table, "depth", "first_width", "Pyramid architectures", "hidden layers D", "first width $W_1$"
    )


def uniform_heatmap(table: pd.DataFrame) -> plt.Figure:
    """Fig. 24: validation accuracy of equal-width architectures over width and depth."""
    return _accuracy_heatmap(table, "depth", "width", "Equal-width architectures", "hidden layers", "width")


def lr_batch_heatmap(table: pd.DataFrame) -> plt.Figure:
    """Fig. 25: validation accuracy over learning rate and batch size."""
    return _accuracy_heatmap(
        table, "learning_rate", "batch_size", "Learning rate and batch size", r"learning rate $\eta$", "batch size $b$"
    )


def optimizer_lambda_curves(table: pd.DataFrame) -> plt.Figure:
    """Fig. 26: validation accuracy against the L2 strength, one line per optimiser."""
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.65, 0.62))
    for optimizer, group in table.groupby("optimizer", sort=False):
        group = group.sort_values("lam")
        ax.plot(
            group["lam"], group["val_accuracy"], marker="o", label=value_label(optimizer), color=PALETTE.get(optimizer)
        )
    for flag, marker in (("selected", "*"), ("study_choice", "s")):
        chosen = table[table[flag].astype(bool)]
        ax.scatter(
            chosen["lam"],
            chosen["val_accuracy"],
            marker=marker,
            s=160,
            facecolors="none",
            edgecolors="black",
            zorder=3,
            label="validation pick" if flag == "selected" else "study's choice",
        )
    ax.set_xscale("log")
    tidy_log_axes(ax)
    ax.set_xlabel(r"$L_2$ strength $\lambda$")
    ax.set_ylabel("validation accuracy")
    ax.set_title("Optimiser and L2 penalty")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def _base_activation(variant: str) -> str:
    """The activation a variant name starts with, e.g. ``leaky_relu`` for ``leaky_relu_0.05``."""
    matches = [name for name in PALETTE if variant.startswith(name)]
    return max(matches, key=len) if matches else variant


def activation_curves(table: pd.DataFrame) -> plt.Figure:
    """Fig. 28: validation accuracy per epoch for each activation (training accuracy dotted)."""
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.7, 0.6))
    linestyles = iter(["-", "--", "-.", (0, (5, 1)), (0, (3, 1, 1, 1))] * 4)
    for variant, group in table.groupby("activation", sort=False):
        color = PALETTE.get(_base_activation(variant))
        linestyle = next(linestyles)
        ax.plot(group["epoch"], group["val_accuracy"], color=color, linestyle=linestyle, label=value_label(variant))
        ax.plot(group["epoch"], group["train_accuracy"], color=color, linestyle=":", alpha=0.6)
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("accuracy (validation; training dotted)")
    ax.set_title("Hidden-layer activations")
    ax.legend(title="activation", loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def _confusion(table: pd.DataFrame, normalised: bool) -> plt.Figure:
    apply_style()
    matrix = table.set_index("true_class")
    fig, ax = plt.subplots(figsize=figure_size(0.85, 0.8))
    sns.heatmap(
        matrix,
        annot=True,
        fmt=".2f" if normalised else "d",
        cmap="Blues",
        ax=ax,
        cbar_kws={"label": "share of the true class" if normalised else "test images"},
    )
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("Confusion matrix on the test set" + (", rows normalised" if normalised else ""))
    return fig


def confusion_normalised(table: pd.DataFrame) -> plt.Figure:
    """Fig. 14: confusion matrix with rows summing to one."""
    return _confusion(table, normalised=True)


def confusion_raw(table: pd.DataFrame) -> plt.Figure:
    """Fig. 27: confusion matrix of counts."""
    return _confusion(table, normalised=False)


def learning_curves(table: pd.DataFrame) -> plt.Figure:
    """Accuracy and loss of the chosen model per epoch on the training and validation parts.

    A boolean ``chosen_epoch`` column, where present, marks the epoch count of the final fit
    with a dotted vertical line.
    """
    apply_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=panels_size(2, 1, 0.75))
    for part, linestyle in (("train", "-"), ("val", "--")):
        label = "training" if part == "train" else "validation"
        left.plot(table["epoch"], table[f"{part}_accuracy"], linestyle=linestyle, label=label)
        right.plot(table["epoch"], table[f"{part}_loss"], linestyle=linestyle, label=label)
    left.set_ylabel("accuracy")
    right.set_ylabel("cross-entropy")
    chosen = table.loc[table["chosen_epoch"].astype(bool), "epoch"] if "chosen_epoch" in table else []
    for ax in (left, right):
        for epoch in chosen:
            ax.axvline(epoch, color="0.4", linestyle=":", label="chosen epochs")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend()
    fig.suptitle("Learning curves of the chosen settings on the training part")
    return fig
