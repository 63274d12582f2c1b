"""FashionMNIST figures drawn from small hand-made tables of the workflow's formats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from ffnn.data.fashion_mnist import CLASS_NAMES, N_PIXELS
from ffnn.fashion.tables import confusion_table
from ffnn.plots import fashion
from ffnn.plots.style import save_figure


def _grid(rows: str, row_values, cols: str, col_values) -> pd.DataFrame:
    cells = [(r, c) for r in row_values for c in col_values]
    table = pd.DataFrame(cells, columns=[rows, cols])
    table["val_accuracy"] = np.linspace(0.5, 0.9, len(cells))
    table["epochs_run"] = 3
    table.loc[1, ["val_accuracy", "epochs_run"]] = [np.nan, 2]  # a cell that diverged in epoch 2
    table["selected"] = table["val_accuracy"] == table["val_accuracy"].max()
    table["study_choice"] = False
    table.loc[0, "study_choice"] = True
    return table


def _texts(fig) -> list[str]:
    return [text.get_text() for ax in fig.axes for text in ax.texts]


@pytest.mark.parametrize(
    "draw, rows, row_values, cols, col_values",
    [
        (fashion.pyramid_heatmap, "depth", [1, 2, 3], "first_width", [64, 512]),
        (fashion.uniform_heatmap, "depth", [1, 2], "width", [32, 64, 128]),
        (fashion.lr_batch_heatmap, "learning_rate", [5e-4, 5e-3], "batch_size", [64, 128]),
    ],
)
def test_heatmaps_annotate_every_cell_and_frame_the_picks(draw, rows, row_values, cols, col_values, tmp_path):
    table = _grid(rows, row_values, cols, col_values)
    fig = draw(table)
    texts = _texts(fig)
    assert len(texts) == len(table)
    assert "diverged\nepoch 2" in texts and f"{table['val_accuracy'].max():.3f}" in texts
    frames = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert len(frames) == 2  # the validation pick and the study's choice
    save_figure(fig, tmp_path / "heatmap.png")
    assert (tmp_path / "heatmap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_optimizer_lambda_curves_draw_one_line_per_optimizer():
    table = pd.DataFrame(
        [
            (opt, lam, acc)
            for opt, base in (("adam", 0.8), ("momentum", 0.7), ("sgd", 0.5))
            for lam, acc in ((1e-5, base), (1e-2, base - 0.1))
        ],
        columns=["optimizer", "lam", "val_accuracy"],
    )
    table["selected"] = table.index == 0
    table["study_choice"] = table.index == 0
    fig = fashion.optimizer_lambda_curves(table)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["Adam", "Momentum", "Plain GD"]
    assert ax.get_xscale() == "log"


def test_activation_curves_plot_validation_and_training_per_variant():
    variants = ["relu", "leaky_relu_0.01", "leaky_relu_0.05", "sigmoid", "linear"]
    table = pd.DataFrame(
        [(v, e, 0.5 + 0.1 * e, 0.55 + 0.1 * e) for v in variants for e in (1, 2, 3)],
        columns=["activation", "epoch", "val_accuracy", "train_accuracy"],
    )
    fig = fashion.activation_curves(table)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2 * len(variants)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "ReLU",
        "Leaky ReLU (\u03b1\u00a0=\u00a00.01)",
        "Leaky ReLU (\u03b1\u00a0=\u00a00.05)",
        "Sigmoid",
        "Linear",
    ]
    # Both leaky variants share the Leaky ReLU colour and differ in line style.
    leaky = [line for line in lines if line.get_label().startswith("Leaky ReLU")]
    assert leaky[0].get_color() == leaky[1].get_color() and leaky[0].get_linestyle() != leaky[1].get_linestyle()


@pytest.mark.parametrize("normalise", [False, True])
def test_confusion_figures_show_all_hundred_cells(normalise):
    table = confusion_table(np.full((10, 10), 2) + np.diag(np.full(10, 80)), normalise=normalise)  # rows sum to 100
    fig = (fashion.confusion_normalised if normalise else fashion.confusion_raw)(table)
    texts = _texts(fig)
    assert len(texts) == 100
    assert ("0.82" if normalise else "82") in texts
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(CLASS_NAMES)


def test_class_samples_shows_ten_titled_images():
    table = pd.DataFrame(
        [[k, name, k, *([k * 20] * N_PIXELS)] for k, name in enumerate(CLASS_NAMES)],
        columns=["label", "class_name", "index", *(f"pixel_{i:03d}" for i in range(N_PIXELS))],
    )
    fig = fashion.class_samples(table)
    titled = [ax.get_title() for ax in fig.axes if ax.images]
    assert titled == [f"{k}: {name}" for k, name in enumerate(CLASS_NAMES)]
    assert fig.axes[3].images[0].get_array().shape == (28, 28)


def test_learning_curves_have_accuracy_and_loss_panels():
    table = pd.DataFrame(
        {
            "epoch": [1, 2, 3],
            "train_accuracy": [0.5, 0.6, 0.7],
            "val_accuracy": [0.5, 0.55, 0.6],
            "train_loss": [1.0, 0.8, 0.6],
            "val_loss": [1.1, 0.9, 0.8],
        }
    )
    fig = fashion.learning_curves(table)
    left, right = fig.axes
    assert left.get_ylabel() == "accuracy" and right.get_ylabel() == "cross-entropy"
    assert list(right.get_lines()[1].get_ydata()) == [1.1, 0.9, 0.8]


def test_learning_curves_mark_the_chosen_epoch_count():
    table = pd.DataFrame(
        {
            "epoch": [1, 2, 3],
            "train_accuracy": [0.5, 0.6, 0.7],
            "val_accuracy": [0.5, 0.65, 0.6],
            "train_loss": [1.0, 0.8, 0.6],
            "val_loss": [1.1, 0.9, 0.95],
            "chosen_epoch": [False, True, False],
        }
    )
    for ax in fashion.learning_curves(table).axes:
        marks = [line for line in ax.get_lines() if line.get_label() == "chosen epochs"]
        assert len(marks) == 1 and list(marks[0].get_xdata()) == [2, 2]
