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
SEEDS = yaml.safe_load((ROOT / "config" / "quick.yaml").read_text())["seeds"]

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


def test_selection_table_reports_each_grid_and_the_epoch_count_against_the_study():
    selection = table("selection").set_index("grid")
    assert list(selection.index) == [*GRIDS, "epochs"]
    for grid in GRIDS:
        accuracy = table(f"{grid}_accuracy")
        assert selection.loc[grid, "selected_val_accuracy"] == pytest.approx(accuracy["val_accuracy"].max())
        assert selection.loc[grid, "agrees"] == bool(accuracy.loc[accuracy["selected"], "study_choice"].item())
    assert (selection["val_accuracy_gap"] >= 0).all()
    curves = table("chosen_curves")
    epochs = selection.loc["epochs"]
    assert epochs["selected_setting"] == f"epochs={curves.loc[curves['val_accuracy'].idxmax(), 'epoch']}"
    assert epochs["selected_val_accuracy"] == pytest.approx(curves["val_accuracy"].max())
    assert epochs["study_setting"] == f"epochs={FASHION['model']['epochs']}"
    assert epochs["study_val_accuracy"] == pytest.approx(curves["val_accuracy"].iloc[-1])


def network_rows() -> tuple[pd.Series, pd.Series]:
    table5 = table("table5_models").set_index("role")
    return table5.loc["chosen"], table5.loc["study protocol"]


def test_table5_holds_the_baseline_the_chosen_network_and_the_study_protocol():
    table5 = table("table5_models")
    assert table5["role"].tolist() == ["baseline", "chosen", "study protocol", "convolutional"]  # CNN row: test_cnn_outputs.py
    assert table5["model"].is_unique
    logistic = table5.set_index("role").loc["baseline"]
    chosen, protocol = network_rows()
    for row in (logistic, chosen, protocol):
        assert 0.5 < row["accuracy"] <= 1 and 0 < row["f1"] <= 1 and row["seconds"] > 0
        assert row["recall"] == pytest.approx(row["accuracy"])  # macro recall on a balanced test set
    assert bool(logistic["converged"]) and logistic["n_iter"] < logistic["max_iter"]
    sizes = table("split_sizes").set_index("part")["n"]
    # The chosen procedure as the quick config sets it: epochs on validation, refit on train + validation.
    assert FASHION["chosen"] == {"epochs_from_validation": True, "refit_on_full_train": True}
    assert chosen["n_train"] == sizes["train"] + sizes["validation"] and protocol["n_train"] == sizes["train"]
    curves = table("chosen_curves")
    assert chosen["n_iter"] == curves.loc[curves["val_accuracy"].idxmax(), "epoch"]
    assert chosen["val_accuracy"] == pytest.approx(curves["val_accuracy"].max())
    assert protocol["n_iter"] == chosen["max_iter"] == protocol["max_iter"] == FASHION["model"]["epochs"]
    assert protocol["val_accuracy"] == pytest.approx(curves["val_accuracy"].iloc[-1])
    assert chosen["model"].startswith("Neural network") and "refit on train + validation" in chosen["model"]
    assert logistic["study_accuracy"] == FASHION["study_reference"]["logistic_regression"]["accuracy"]
    assert chosen["study_f1"] == protocol["study_f1"] == FASHION["study_reference"]["neural_network"]["f1"]
    assert logistic["accuracy"] != logistic["study_accuracy"]


def test_chosen_network_over_training_seeds():
    """One row per seed, Table V's spread columns computed from them, seed 0 the plain columns."""
    from ffnn.stats import spread

    seeds = table("chosen_seeds")
    assert seeds["training_seed"].tolist() == list(range(SEEDS))
    assert seeds["epochs"].between(1, FASHION["model"]["epochs"]).all()
    assert seeds["test_accuracy"].nunique() == SEEDS  # each seed its own fit
    chosen, protocol = network_rows()
    assert chosen["accuracy"] == pytest.approx(seeds["test_accuracy"].iloc[0])
    for row, prefix in ((chosen, "test_"), (protocol, "protocol_test_")):
        expected = spread(seeds[f"{prefix}accuracy"])
        assert row["n_seeds"] == SEEDS and not row["deterministic"]
        assert row["accuracy_mean"] == pytest.approx(expected["mean"]) and row["accuracy_sd"] == pytest.approx(expected["sd"])
        assert row["accuracy_ci_low"] == pytest.approx(expected["ci_low"]) and row["f1_ci_high"] > row["f1_mean"]
    logistic = table("table5_models").set_index("role").loc["baseline"]
    assert logistic["deterministic"] and logistic["n_seeds"] == 1 and logistic["accuracy_mean"] == logistic["accuracy"]


def test_selection_compares_each_grids_two_best_cells_over_seeds():
    selection = table("selection").set_index("grid").loc[list(GRIDS)]
    for grid, row in selection.iterrows():
        accuracy = table(f"{grid}_accuracy").sort_values("val_accuracy", ascending=False, kind="stable")
        assert [row["winner_cell"], row["runner_up_cell"]] == accuracy["cell"].iloc[:2].tolist()
        fits = {rank: [json.loads((RESULTS / "top_cells" / grid / f"rank-{rank}_seed-{seed}.json").read_text()) for seed in range(SEEDS)]
                for rank in (1, 2)}
        # seed 0 is the grid's own fit
        assert fits[1][0]["summary"]["val_accuracy"] == pytest.approx(accuracy["val_accuracy"].iloc[0])
        differences = [a["summary"]["val_accuracy"] - b["summary"]["val_accuracy"] for a, b in zip(fits[1], fits[2])]
        assert row["difference_mean"] == pytest.approx(np.mean(differences)) and row["n_seeds"] == SEEDS
        assert row["winner_beats_runner_up"] == (row["difference_ci_low"] > 0)
        assert row["paired_test"].startswith("paired t-test")


def test_confusion_tables_cover_the_test_set_and_match_the_chosen_network():
    raw = table("confusion_raw").set_index("true_class")
    assert list(raw.index) == list(CLASS_NAMES) and list(raw.columns) == list(CLASS_NAMES)
    counts = raw.to_numpy()
    assert counts.sum() == 10_000 and (counts.sum(axis=1) == 1000).all()
    chosen, _ = network_rows()
    assert np.trace(counts) / counts.sum() == pytest.approx(chosen["accuracy"])
    normalised = table("confusion_normalised").set_index("true_class").to_numpy()
    assert np.allclose(normalised.sum(axis=1), 1) and np.allclose(normalised, counts / 1000)
    per_class = table("per_class_scores")
    assert per_class["support"].tolist() == [1000] * 10
    assert per_class["recall"].mean() == pytest.approx(chosen["recall"])


def test_chosen_model_records_curves_and_weights():
    models = RESULTS / "models"
    selection = json.loads((models / "chosen_ffnn_selection_seed-0.json").read_text())
    final = json.loads((models / "chosen_ffnn_seed-0.json").read_text())
    protocol = json.loads((models / "chosen_ffnn_study_protocol_seed-0.json").read_text())
    assert selection["settings"] == protocol["settings"] == FASHION["model"] and "test" not in selection
    assert final["settings"] == {**FASHION["model"], "epochs": final["settings"]["epochs"]}
    assert final["protocol"] == FASHION["chosen"] and final["n_test"] == protocol["n_test"] == 10_000
    assert final["history"]["val_metric"] == [] and final["summary"]["epochs_run"] == final["settings"]["epochs"]
    curves = table("chosen_curves")
    assert curves["epoch"].tolist() == list(range(1, FASHION["model"]["epochs"] + 1))
    assert curves.loc[curves["chosen_epoch"], "epoch"].tolist() == [final["settings"]["epochs"]]
    for name in ("chosen_ffnn_weights_seed-0.npz", "chosen_ffnn_selection_weights_seed-0.npz"):
        with np.load(models / name) as weights:
            assert weights["param_0"].shape == (784, FASHION["model"]["hidden_layers"][0])


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
