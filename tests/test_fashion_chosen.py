"""The chosen model's final fit: epochs chosen on validation, the refit, saved weights, its table rows."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import TINY_FASHION_MODEL

from ffnn.data.fashion_mnist import N_PIXELS
from ffnn.fashion.chosen import (
    epochs_by_validation,
    final_epochs,
    final_fit,
    final_training_part,
    refit_and_score,
)
from ffnn.fashion.fitting import fit_classifier
from ffnn.fashion.splits import FashionSplit
from ffnn.fashion.tables import epochs_selection_row, network_model_label
from ffnn.fashion.weights import load_network, save_weights

MODEL = {**TINY_FASHION_MODEL, "epochs": 4}


def _history(val_metric, epoch=None, diverged=False):
    epoch = epoch or list(range(1, len(val_metric) + 1))
    return {
        "epoch": epoch,
        "val_metric": val_metric,
        "train_metric": val_metric,
        "train_loss": [1.0] * len(epoch),
        "val_loss": [1.0] * len(epoch),
        "diverged": diverged,
        "epochs_run": epoch[-1] if epoch else 0,
    }


@pytest.fixture
def split() -> FashionSplit:
    """Two easy classes-worth of images: each class lights its own pixels."""
    rng = np.random.default_rng(3)

    def part(n):
        y = np.arange(n) % 10
        X = rng.uniform(0, 0.2, (n, N_PIXELS)).astype(np.float32)
        X[np.arange(n)[:, None], (y[:, None] * 10 + np.arange(10))] += 0.8
        return X, y

    (X_train, y_train), (X_val, y_val), (X_test, y_test) = part(200), part(50), part(50)
    return FashionSplit(X_train, y_train, X_val, y_val, X_test, y_test)


def test_epochs_by_validation_takes_the_earliest_best_recorded_epoch():
    assert epochs_by_validation(_history([0.5, 0.7, 0.7, 0.6])) == (2, 0.7)
    assert epochs_by_validation(_history([0.5, 0.8, 0.6], epoch=[5, 10, 12])) == (10, 0.8)


def test_epochs_by_validation_refuses_diverged_or_curveless_fits():
    with pytest.raises(ValueError, match="diverged after 3 epochs"):
        epochs_by_validation(_history([0.5, 0.6, 0.7], diverged=True))
    with pytest.raises(ValueError, match="no validation accuracy"):
        epochs_by_validation({**_history([0.5]), "val_metric": []})


def test_final_epochs_follows_the_switch():
    history = _history([0.5, 0.7, 0.6, 0.65])
    assert final_epochs(history, MODEL, from_validation=True) == 2
    assert final_epochs(history, MODEL, from_validation=False) == MODEL["epochs"]


def test_final_training_part_adds_the_validation_part_only_when_asked(split):
    X, y = final_training_part(split, refit_on_full_train=True)
    assert X.shape == (250, N_PIXELS) and np.array_equal(y, np.concatenate([split.y_train, split.y_val]))
    assert np.array_equal(X[200:], split.X_val)
    X, y = final_training_part(split, refit_on_full_train=False)
    assert X is split.X_train and y is split.y_train


def test_final_fit_on_the_training_part_is_the_selection_fit_stopped_early(split):
    """Same seed, same images: the final fit for e epochs is the selection fit after e epochs."""
    two = {**MODEL, "epochs": 2}
    selected, _ = fit_classifier(two, split.X_train, split.y_train, split.X_val, split.y_val, np.random.default_rng(7))
    final, history = final_fit(MODEL, split.X_train, split.y_train, 2, np.random.default_rng(7))
    for ours, theirs in zip(final.params, selected.params, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert history.epoch == [2] and history.val_metric == [] and history.train_metric[0] > 0.5


def test_final_fit_on_train_and_validation_is_seeded_and_learns(split):
    X, y = final_training_part(split, refit_on_full_train=True)
    fits = [final_fit(MODEL, X, y, 3, np.random.default_rng(7)) for _ in range(2)]
    (network, history), (twin, _) = fits
    assert history.epochs_run == 3 and history.epoch == [3] and not history.diverged
    np.testing.assert_array_equal(network.forward(split.X_test), twin.forward(split.X_test))
    assert np.mean(np.argmax(network.forward(split.X_test), axis=1) == split.y_test) > 0.5  # chance is 0.1


def test_weights_round_trip_and_refuse_another_architecture(tmp_path, split):
    network, _ = fit_classifier(MODEL, split.X_train, split.y_train, split.X_val, split.y_val, np.random.default_rng(1))
    save_weights(network, tmp_path / "w.npz")
    again = load_network(MODEL, tmp_path / "w.npz")
    np.testing.assert_array_equal(again.forward(split.X_test), network.forward(split.X_test))
    with pytest.raises(ValueError, match="param_0 has shape"):
        load_network({**MODEL, "hidden_layers": [8]}, tmp_path / "w.npz")
    with pytest.raises(ValueError, match="needs"):
        load_network({**MODEL, "hidden_layers": [16, 8]}, tmp_path / "w.npz")


def test_epochs_selection_row_sets_the_chosen_count_beside_the_studys():
    history = _history([0.5, 0.7, 0.65, 0.6])
    row = epochs_selection_row(history, MODEL, from_validation=True, study_epochs=4)
    assert row["grid"] == "epochs" and row["selected_setting"] == "epochs=2" and row["study_setting"] == "epochs=4"
    assert row["selected_val_accuracy"] == 0.7 and row["study_val_accuracy"] == 0.6
    assert row["agrees"] is False and row["val_accuracy_gap"] == pytest.approx(0.1)
    assert row["selected_architecture"] == row["study_architecture"] == "[16-10]"
    fixed = epochs_selection_row(history, MODEL, from_validation=False, study_epochs=4)
    assert fixed["agrees"] is True and fixed["val_accuracy_gap"] == 0.0


def test_epochs_selection_row_keeps_the_studys_count_beyond_our_fit():
    """A quick build trains fewer epochs than the study's 60: the study's count stays 60, not ours."""
    row = epochs_selection_row(_history([0.5, 0.7, 0.65, 0.6]), MODEL, from_validation=False, study_epochs=60)
    assert row["study_setting"] == "epochs=60" and row["selected_setting"] == "epochs=4"
    assert row["agrees"] is False and math.isnan(row["study_val_accuracy"])


def test_epochs_selection_row_of_a_diverged_fixed_run_has_no_accuracy():
    row = epochs_selection_row(
        _history([0.5, 0.6], diverged=True), MODEL, from_validation=False, study_epochs=MODEL["epochs"]
    )
    assert math.isnan(row["study_val_accuracy"])


def test_network_model_label_names_the_procedure():
    assert network_model_label([512], "chosen", 37, True, True) == (
        "Neural network [512-10], chosen: 37 epochs by validation, refit on train + validation"
    )
    assert network_model_label([512], "study protocol", 60, False, False) == (
        "Neural network [512-10], study protocol: 60 epochs, train part only"
    )
    assert network_model_label([512], "study settings", 1, True, True).endswith(
        ": 1 epoch by validation, refit on train + validation"
    )


def test_refit_and_score_refits_for_the_validation_epochs_and_scores_the_test_part(split):
    with_test, y_test = split, split.y_test  # the fixture's third part stands in for the test images
    history = _history([0.5, 0.9, 0.7, 0.6])
    protocol = {"epochs_from_validation": True, "refit_on_full_train": True}
    network, record = refit_and_score(MODEL, history, protocol, with_test, np.random.default_rng(1))
    assert record["settings"]["epochs"] == 2 and record["max_epochs"] == MODEL["epochs"]
    assert record["selection_val_accuracy"] == 0.9
    assert record["n_train"] == len(split.y_train) + len(split.y_val) and record["n_test"] == len(y_test)
    assert record["summary"]["epochs_run"] == 2 and record["summary"]["n_params"] == network.n_params
    assert sum(map(sum, record["test"]["confusion"])) == len(y_test)
    fixed = {"epochs_from_validation": False, "refit_on_full_train": False}
    _, record = refit_and_score(MODEL, history, fixed, with_test, np.random.default_rng(1))
    assert record["settings"]["epochs"] == MODEL["epochs"] and record["n_train"] == len(split.y_train)
