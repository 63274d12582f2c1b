"""The CNN part's cells, grid table, choice, comparison tables and figures, on small made-up records."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ffnn.data.fashion_mnist import CLASS_NAMES
from ffnn.cnn.model import build_cnn
from ffnn.cnn.study import (
    architecture_table,
    cnn_cells,
    cnn_grid_table,
    comparison_table,
    confusions_within,
    per_class_f1_table,
    selected_cell,
)
from ffnn.fashion.tables import SUMMARY_COLUMNS, confusion_table
from ffnn.plots import cnn as cnn_plots

MODEL = {
    "channels": [4, 8],
    "kernel_size": 3,
    "dense": [16],
    "dropout": 0.0,
    "conv_dropout": 0.0,
    "batch_norm": False,
    "max_shift": 0,
    "activation": "relu",
    "initializer": "he",
    "optimizer": "adam",
    "learning_rate": 1e-3,
    "batch_size": 32,
    "epochs": 2,
    "penalty": None,
    "lam": 0.0,
    "record_every": 1,
}


def record(cell, axes, settings, best, diverged=False):
    summary = {column: 0.0 for column in SUMMARY_COLUMNS} | {"best_val_accuracy": best, "diverged": diverged}
    return {"cell": cell, "axes": axes, "settings": settings, "summary": summary}


def test_cnn_cells_cross_the_grids_axes_with_readable_ids():
    cells = cnn_cells(MODEL, {"channels": [[4, 8], [8, 16]], "dropout": [0.0, 0.25], "batch_norm": [False, True]})
    assert list(cells)[:3] == [
        "channels-4-8_dropout-0_batchnorm-no",
        "channels-4-8_dropout-0_batchnorm-yes",
        "channels-4-8_dropout-0.25_batchnorm-no",
    ]
    assert len(cells) == 8
    cell = cells["channels-8-16_dropout-0.25_batchnorm-yes"]
    assert cell["axes"] == {"channels": "8-16", "dropout": 0.25, "batch_norm": True}
    assert cell["settings"] == {**MODEL, "channels": [8, 16], "dropout": 0.25, "batch_norm": True}
    (only,) = cnn_cells(MODEL, {"conv_dropout": [0.2]}).items()
    assert only == ("convdropout-0.2", {"axes": {"conv_dropout": 0.2}, "settings": {**MODEL, "conv_dropout": 0.2}})


def test_grid_table_selects_the_best_validation_accuracy_and_never_a_diverged_cell():
    cells = cnn_cells(MODEL, {"channels": [[4, 8], [8, 16]], "dropout": [0.0], "batch_norm": [False]})
    records = [
        record(cell, c["axes"], c["settings"], best) for (cell, c), best in zip(cells.items(), (0.8, 0.9), strict=True)
    ]
    table = cnn_grid_table(records)
    assert selected_cell(table) == "channels-8-16_dropout-0_batchnorm-no"
    assert table["architecture"].tolist() == ["conv 4-8, dense 16-10", "conv 8-16, dense 16-10"]
    records[1]["summary"]["diverged"] = True
    assert selected_cell(cnn_grid_table(records)) == "channels-4-8_dropout-0_batchnorm-no"
    records[0]["summary"]["diverged"] = True
    with pytest.raises(ValueError, match="diverged"):
        cnn_grid_table(records)
    with pytest.raises(ValueError, match="at least one"):
        cnn_grid_table([])


def final_record(accuracy, seconds, epochs, confusion):
    f1 = np.linspace(0.5, 0.9, len(CLASS_NAMES)).tolist()
    test = {
        "accuracy": accuracy,
        "precision": accuracy,
        "recall": accuracy,
        "f1": accuracy,
        "per_class": {"f1": f1},
        "confusion": confusion,
    }
    return {"summary": {"n_params": 100, "epochs_run": epochs, "seconds": seconds}, "n_train": 60, "test": test}


def test_comparison_and_per_class_tables_put_the_networks_side_by_side():
    confusion = np.eye(10, dtype=int).tolist()
    records = {"dense": final_record(0.8, 10.0, 5, confusion), "cnn": final_record(0.9, 30.0, 3, confusion)}
    comparison = comparison_table(records).set_index("network")
    assert comparison.loc["cnn", "seconds_per_epoch"] == 10.0 and comparison.loc["dense", "accuracy"] == 0.8
    f1 = per_class_f1_table(records)
    assert list(f1.columns) == ["label", "class_name", "dense", "cnn"] and len(f1) == 10


def test_confusions_within_counts_off_diagonal_errors_among_the_upper_body_garments():
    confusion = np.zeros((10, 10), dtype=int)
    shirt, coat, pullover, bag = (CLASS_NAMES.index(name) for name in ("Shirt", "Coat", "Pullover", "Bag"))
    confusion[shirt, coat] = 5
    confusion[coat, pullover] = 3
    confusion[shirt, shirt] = 50  # correct: not counted
    confusion[shirt, bag] = 7  # outside the group: not counted
    assert confusions_within(confusion) == 8


def test_architecture_table_lists_every_layer_with_shapes_and_parameters(rng):
    network = build_cnn(MODEL, 784, rng)
    table = architecture_table(network)
    assert table["n_params"].sum() == network.n_params
    assert table["output_shape"].iloc[1] == "4x28x28" and table["output_shape"].iloc[-1] == "10"
    with_batch_norm = architecture_table(build_cnn({**MODEL, "batch_norm": True}, 784, rng))
    assert with_batch_norm["kind"].tolist().count("BatchNorm") == 2
    assert with_batch_norm["n_params"].sum() == table["n_params"].sum() + 2 * (4 + 8)  # a scale and a shift per channel
    with_conv_dropout = architecture_table(build_cnn({**MODEL, "conv_dropout": 0.2}, 784, rng))
    assert (
        with_conv_dropout["kind"].tolist().count("Dropout") == 2
        and with_conv_dropout["n_params"].sum() == table["n_params"].sum()
    )


def test_architecture_figure_labels_each_box_with_its_layer_and_activation(rng):
    figure = cnn_plots.architecture_figure(architecture_table(build_cnn(MODEL, 784, rng)))
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert "Conv2D 1->4 3x3 ReLU" in labels and "Conv2D 4->8 3x3 ReLU" in labels
    assert "MaxPool 2x2" in labels and "Dense 392->16 ReLU" in labels and "Dense 16->10" in labels


def test_figures_draw_from_their_tables(rng):
    network = build_cnn({**MODEL, "dropout": 0.3, "conv_dropout": 0.2, "batch_norm": True}, 784, rng)
    curves = pd.DataFrame(
        {
            "cell": ["a", "a", "b", "b"],
            "architecture": ["conv 4-8"] * 2 + ["conv 4-8, batch norm"] * 2,
            "epoch": [1, 2, 1, 2],
            "train_accuracy": [0.5, 0.6, 0.5, 0.55],
            "val_accuracy": [0.5, 0.58, 0.5, 0.52],
        }
    )
    f1 = pd.DataFrame(
        {"class_name": list(CLASS_NAMES), "dense": np.linspace(0.5, 0.9, 10), "cnn": np.linspace(0.6, 0.95, 10)}
    )
    confusion = confusion_table((np.eye(10, dtype=int) * 90 + 1).tolist())
    figures = [
        cnn_plots.architecture_figure(architecture_table(network)),
        cnn_plots.grid_curves_figure(curves),
        cnn_plots.per_class_f1_figure(f1),
        cnn_plots.confusions_figure(confusion, confusion),
    ]
    assert "parameters" in figures[0].axes[0].get_title()
    assert len(figures[3].axes) == 2
    for figure in figures:
        plt.close(figure)
