"""After the quick build: every FashionMNIST table and figure exists and holds real results."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ffnn.data.fashion_mnist import CLASS_NAMES

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results" / "fashion"
TABLES = RESULTS / "tables"
FIGURES = RESULTS / "figures"
FASHION = yaml.safe_load((ROOT / "config" / "quick.yaml").read_text())["fashion"]

GRIDS = {
    "pyramid": (["first_width", "depth"], len(FASHION["pyramid"]["first_width"]) * len(FASHION["pyramid"]["depth"])),
    "uniform": (["width", "depth"], len(FASHION["uniform"]["width"]) * len(FASHION["uniform"]["depth"])),
    "lr_batch": (["learning_rate", "batch_size"], len(FASHION["lr_batch"]["learning_rate"]) * len(FASHION["lr_batch"]["batch_size"])),
    "optimizer_lambda": (["optimizer", "lam"], len(FASHION["optimizer_lambda"]["optimizer"]) * len(FASHION["optimizer_lambda"]["lam"])),
    "activation": (["activation"], len(FASHION["activation"])),
}
FIGURE_NAMES = [
    "class_samples",
    "pyramid_accuracy",
    "uniform_accuracy",
    "lr_batch_accuracy",
    "optimizer_lambda_accuracy",
    "activation_curves",
    "confusion_normalised",
    "confusion_raw",
    "chosen_curves",
]


def table(name: str) -> pd.DataFrame:
    path = TABLES / f"fashion_{name}.csv"
    assert path.is_file(), f"{path} missing: run the quick build first"
    return pd.read_csv(path)


def test_split_sizes_follow_the_config():
    sizes = table("split_sizes").set_index("part")
    assert sizes.loc["train", "n"] == FASHION["split"]["train_samples"]
    assert sizes.loc["validation", "n"] == FASHION["split"]["validation_samples"]
    assert sizes.loc["test", "n"] == 10_000
    assert (sizes[list(CLASS_NAMES)].sum(axis=1) == sizes["n"]).all()
    # Stratified: every class holds a tenth of each part.
    assert (sizes[list(CLASS_NAMES)].to_numpy() == sizes[["n"]].to_numpy() // 10).all()


@pytest.mark.parametrize("grid", GRIDS)
def test_grid_tables_hold_one_trained_row_per_cell(grid):
    axes, n_cells = GRIDS[grid]
    accuracy = table(f"{grid}_accuracy")
    assert len(accuracy) == n_cells and accuracy["cell"].is_unique
    assert set(axes) <= set(accuracy.columns)
    finite = accuracy[~accuracy["diverged"]]
    assert len(finite) and finite["val_accuracy"].between(0, 1).all()
    assert finite["val_accuracy"].max() > 0.3  # real learning: chance is 0.1
    assert (accuracy["epochs_run"] <= FASHION["model"]["epochs"]).all() and (accuracy["seconds"] > 0).all()
    assert accuracy["selected"].sum() == 1
    assert accuracy.loc[accuracy["selected"], "val_accuracy"].item() == accuracy["val_accuracy"].max()
    curves = table(f"{grid}_curves")
    assert set(curves["cell"]) == set(accuracy["cell"])
    assert curves.groupby("cell")["epoch"].max().max() == FASHION["model"]["epochs"]


def test_cells_that_train_the_same_model_agree_exactly():
    """Every grid holds the study's model once in the quick config; all its fits use one seed."""
    study = [table(f"{grid}_accuracy").query("study_choice") for grid in GRIDS]
    assert all(len(rows) == 1 for rows in study)
    values = {rows["val_accuracy"].item() for rows in study}
    assert len(values) == 1, values


def test_selection_table_reports_each_grid_against_the_study():
    selection = table("selection").set_index("grid")
    assert list(selection.index) == list(GRIDS)
    for grid in GRIDS:
        accuracy = table(f"{grid}_accuracy")
        assert selection.loc[grid, "selected_val_accuracy"] == pytest.approx(accuracy["val_accuracy"].max())
        assert selection.loc[grid, "agrees"] == bool(accuracy.loc[accuracy["selected"], "study_choice"].item())
    assert (selection["val_accuracy_gap"] >= 0).all()


def test_table5_holds_both_models_with_our_and_the_study_numbers():
    table5 = table("table5_models").set_index("model")
    assert len(table5) == 2
    logistic = table5.loc["Logistic regression (scikit-learn)"]
    network = table5.loc[[name for name in table5.index if name.startswith("Neural network")][0]]
    for row in (logistic, network):
        assert 0.5 < row["accuracy"] <= 1 and 0 < row["f1"] <= 1 and row["seconds"] > 0
        assert row["recall"] == pytest.approx(row["accuracy"])  # macro recall on a balanced test set
    assert bool(logistic["converged"]) and logistic["n_iter"] < logistic["max_iter"]
    assert network["n_iter"] == FASHION["model"]["epochs"]
    assert logistic["study_accuracy"] == FASHION["study_reference"]["logistic_regression"]["accuracy"]
    assert network["study_f1"] == FASHION["study_reference"]["neural_network"]["f1"]
    assert logistic["accuracy"] != logistic["study_accuracy"]


def test_confusion_tables_cover_the_test_set_and_match_table5():
    raw = table("confusion_raw").set_index("true_class")
    assert list(raw.index) == list(CLASS_NAMES) and list(raw.columns) == list(CLASS_NAMES)
    counts = raw.to_numpy()
    assert counts.sum() == 10_000 and (counts.sum(axis=1) == 1000).all()
    network = table("table5_models").iloc[1]
    assert np.trace(counts) / counts.sum() == pytest.approx(network["accuracy"])
    normalised = table("confusion_normalised").set_index("true_class").to_numpy()
    assert np.allclose(normalised.sum(axis=1), 1) and np.allclose(normalised, counts / 1000)


def test_chosen_model_record_curves_and_weights():
    record = json.loads((RESULTS / "models" / "chosen_ffnn.json").read_text())
    assert record["settings"] == FASHION["model"] and record["n_test"] == 10_000
    curves = table("chosen_curves")
    assert curves["epoch"].tolist() == list(range(1, FASHION["model"]["epochs"] + 1))
    assert curves["val_accuracy"].iloc[-1] == pytest.approx(table("table5_models").iloc[1]["val_accuracy"])
    with np.load(RESULTS / "models" / "chosen_ffnn_weights.npz") as weights:
        assert weights["param_0"].shape == (784, FASHION["model"]["hidden_layers"][0])
    per_class = table("per_class_scores")
    assert per_class["support"].tolist() == [1000] * 10


def test_class_samples_table_has_one_image_per_class():
    samples = table("class_samples")
    assert samples["label"].tolist() == list(range(10)) and samples["class_name"].tolist() == list(CLASS_NAMES)
    pixels = samples.filter(like="pixel_").to_numpy()
    assert pixels.shape == (10, 784) and pixels.min() >= 0 and pixels.max() <= 255 and pixels.std() > 0


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_figures_exist_as_png_newer_than_their_table(name):
    path = FIGURES / f"fashion_{name}.png"
    assert path.is_file(), f"{path} missing"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    source = TABLES / f"fashion_{name}.csv"  # each figure is drawn from the table of its name
    assert path.stat().st_mtime >= source.stat().st_mtime
