"""The FashionMNIST study's library pieces: splits, single fits, result tables, scores, baseline."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import TINY_FASHION_MODEL

from ffnn.baselines_classification import fit_logistic_regression
from ffnn.data.fashion_mnist import CLASS_NAMES, N_PIXELS
from ffnn.fashion.fitting import (
    SETTINGS_KEYS,
    build_network,
    fit_classifier,
    fit_summary,
)
from ffnn.fashion.metrics import classification_scores
from ffnn.fashion.splits import load_split, load_splits, make_splits, save_splits
from ffnn.fashion.tables import (
    architecture_label,
    class_samples_table,
    confusion_table,
    curves_table,
    grid_table,
    is_same_model,
    model_row,
    selection_row,
)
from ffnn.training import History

MODEL = TINY_FASHION_MODEL


@pytest.fixture
def labels() -> np.ndarray:
    """600 labels, 60 per class, in a shuffled order."""
    return np.random.default_rng(1).permutation(np.repeat(np.arange(10), 60))


@pytest.fixture
def fake_data(tmp_path, labels):
    """An npz shaped like the workflow's Fashion-MNIST file, with class-dependent pixel means."""
    rng = np.random.default_rng(2)

    def images(y):
        means = 20 + 20 * y[:, None] * (np.arange(N_PIXELS) % 10 == y[:, None])
        return np.clip(rng.normal(means, 10), 0, 255).astype(np.uint8)

    y_test = np.repeat(np.arange(10, dtype=np.uint8), 5)
    path = tmp_path / "fashion.npz"
    np.savez(path, x_train=images(labels), y_train=labels.astype(np.uint8), x_test=images(y_test), y_test=y_test)
    return path


def test_make_splits_is_stratified_disjoint_and_seeded(labels):
    parts = make_splits(labels, 1 / 6, np.random.default_rng(6114))
    assert parts["val_idx"].size == 100 and parts["train_idx"].size == 500
    assert np.intersect1d(parts["train_idx"], parts["val_idx"]).size == 0
    assert np.array_equal(np.bincount(labels[parts["val_idx"]]), np.full(10, 10))
    again = make_splits(labels, 1 / 6, np.random.default_rng(6114))
    assert all(np.array_equal(parts[key], again[key]) for key in parts)


def test_make_splits_subsets_keep_class_balance_and_reject_too_many(labels):
    parts = make_splits(labels, 1 / 6, np.random.default_rng(0), train_samples=200, validation_samples=50)
    assert np.array_equal(np.bincount(labels[parts["train_idx"]]), np.full(10, 20))
    assert np.array_equal(np.bincount(labels[parts["val_idx"]]), np.full(10, 5))
    with pytest.raises(ValueError, match="asked for 501 samples but the part has only 500"):
        make_splits(labels, 1 / 6, np.random.default_rng(0), train_samples=501)


def test_load_split_scales_and_keeps_test_out_unless_asked(tmp_path, fake_data, labels):
    parts = make_splits(labels, 1 / 6, np.random.default_rng(0))
    save_splits(parts, tmp_path / "splits.npz")
    assert all(np.array_equal(load_splits(tmp_path / "splits.npz")[k], parts[k]) for k in parts)
    split = load_split(fake_data, tmp_path / "splits.npz")
    assert split.X_train.shape == (500, N_PIXELS) and split.X_train.dtype == np.float32
    assert split.X_train.min() >= 0 and split.X_train.max() <= 1
    assert np.array_equal(split.y_val, labels[parts["val_idx"]])
    assert split.X_test is None
    assert load_split(fake_data, tmp_path / "splits.npz", include_test=True).X_test.shape == (50, N_PIXELS)


def test_load_split_rejects_indices_outside_the_training_set(tmp_path, fake_data):
    save_splits({"train_idx": np.arange(10), "val_idx": np.array([600])}, tmp_path / "splits.npz")
    with pytest.raises(ValueError, match="val_idx points outside the 600 training images"):
        load_split(fake_data, tmp_path / "splits.npz")


def test_fit_classifier_learns_and_is_reproducible(tmp_path, fake_data, labels):
    save_splits(make_splits(labels, 1 / 6, np.random.default_rng(0)), tmp_path / "splits.npz")
    split = load_split(fake_data, tmp_path / "splits.npz")
    fits = [
        fit_classifier(MODEL, split.X_train, split.y_train, split.X_val, split.y_val, np.random.default_rng(5))
        for _ in range(2)
    ]
    (network, history), (_, again) = fits
    assert network.layer_sizes == [N_PIXELS, 16, 10]
    assert history.epoch == [1, 2, 3] and len(history.val_metric) == 3
    assert history.val_metric == again.val_metric
    summary = fit_summary(network, history)
    assert summary["val_accuracy"] > 0.5  # the fake classes are easy to tell apart; chance is 0.1
    assert summary["n_params"] == N_PIXELS * 16 + 16 + 16 * 10 + 10
    assert summary["best_val_accuracy"] == max(history.val_metric)


def test_fit_summary_of_a_diverged_fit_has_no_final_scores():
    network = build_network(MODEL, N_PIXELS, np.random.default_rng(0))
    history = History(
        epoch=[1], train_loss=[1.0], val_loss=[1.0], train_metric=[0.5], val_metric=[0.4], diverged=True, epochs_run=2
    )
    summary = fit_summary(network, history)
    assert math.isnan(summary["val_accuracy"]) and summary["diverged"] is True and summary["epochs_run"] == 2


def test_build_network_names_missing_settings():
    settings = {key: MODEL[key] for key in SETTINGS_KEYS if key != "lam"}
    with pytest.raises(ValueError, match=r"settings lack \['lam'\]"):
        build_network(settings, N_PIXELS, np.random.default_rng(0))


def _record(cell, axes, val_accuracy, **changes):
    history = {
        "epoch": [1, 2],
        "train_metric": [0.1, 0.2],
        "val_metric": [0.1, val_accuracy],
        "train_loss": [2.0, 1.0],
        "val_loss": [2.1, 1.1],
    }
    summary = {
        "val_accuracy": val_accuracy,
        "val_loss": 1.1,
        "train_accuracy": 0.2,
        "train_loss": 1.0,
        "best_val_accuracy": val_accuracy,
        "best_epoch": 2,
        "diverged": math.isnan(val_accuracy),
        "epochs_run": 2,
        "seconds": 1.0,
        "n_params": 10,
    }
    return {"cell": cell, "axes": axes, "settings": {**MODEL, **changes}, "summary": summary, "history": history}


def test_grid_table_flags_the_best_validation_cell_and_the_study_model():
    records = [
        _record("lr-a", {"learning_rate": 5e-3}, 0.80),
        _record("lr-b", {"learning_rate": 1e-2}, 0.85, learning_rate=1e-2),
        _record("lr-c", {"learning_rate": 1.0}, math.nan, learning_rate=1.0),
    ]
    table = grid_table(records, ["learning_rate"], MODEL)
    assert table["selected"].tolist() == [False, True, False]
    assert table["study_choice"].tolist() == [True, False, False]
    assert table["architecture"].iloc[0] == "[16-10]"
    row = selection_row("lr", table, ["learning_rate"])
    assert row["selected_setting"] == "learning_rate=0.01" and row["study_setting"] == "learning_rate=0.005"
    assert row["agrees"] is False and row["val_accuracy_gap"] == pytest.approx(0.05)


def test_selection_row_without_the_study_model_leaves_its_side_empty():
    table = grid_table([_record("w", {"width": 8}, 0.7, hidden_layers=[8])], ["width"], MODEL)
    row = selection_row("uniform", table, ["width"])
    assert row["study_setting"] == "" and math.isnan(row["study_val_accuracy"]) and row["agrees"] is False


def test_grid_table_with_every_cell_diverged_selects_none():
    table = grid_table([_record("x", {"lam": 1.0}, math.nan, lam=1.0)], ["lam"], MODEL)
    assert not table["selected"].any()


def test_curves_table_is_long_with_one_row_per_cell_and_epoch():
    records = [_record("a", {"activation": "relu"}, 0.8), _record("b", {"activation": "sigmoid"}, 0.7)]
    curves = curves_table(records, ["activation"])
    assert list(curves.columns) == [
        "cell",
        "activation",
        "epoch",
        "train_accuracy",
        "val_accuracy",
        "train_loss",
        "val_loss",
    ]
    assert len(curves) == 4 and curves["val_accuracy"].iloc[-1] == 0.7


def test_is_same_model_ignores_only_the_recording_interval():
    assert is_same_model({**MODEL, "record_every": 7}, MODEL)
    assert not is_same_model({**MODEL, "hidden_layers": (16, 8)}, MODEL)
    assert is_same_model({**MODEL, "hidden_layers": (16,)}, MODEL)


def test_architecture_label_uses_the_study_notation():
    assert architecture_label([512, 256]) == "[512-256-10]"


def test_classification_scores_by_hand():
    scores = classification_scores(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]), n_classes=2)
    assert scores["accuracy"] == 0.75
    assert scores["precision"] == pytest.approx((1 + 2 / 3) / 2)
    assert scores["recall"] == pytest.approx((0.5 + 1) / 2)
    assert scores["f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert scores["confusion"] == [[1, 1], [0, 2]]
    assert scores["per_class"]["support"] == [2, 2]


def test_confusion_tables_counts_and_row_shares():
    confusion = np.diag(np.arange(1, 11)) + 1
    raw = confusion_table(confusion)
    assert list(raw.columns) == ["true_class", *CLASS_NAMES]
    assert raw.iloc[:, 1:].to_numpy().sum() == confusion.sum()
    shares = confusion_table(confusion, normalise=True).iloc[:, 1:].to_numpy()
    assert np.allclose(shares.sum(axis=1), 1)
    with pytest.raises(ValueError, match="must be 10x10"):
        confusion_table(np.eye(3))


def test_class_samples_table_picks_one_image_of_each_class(labels):
    x = np.repeat(labels[:, None].astype(np.uint8), N_PIXELS, axis=1)  # every pixel holds the label
    table = class_samples_table(x, labels, np.random.default_rng(0))
    assert table["label"].tolist() == list(range(10))
    assert (labels[table["index"]] == table["label"]).all()
    assert (table.filter(like="pixel_").to_numpy() == table[["label"]].to_numpy()).all()


def test_model_row_keeps_the_study_numbers_apart():
    scores = {"accuracy": 0.9, "precision": 0.91, "recall": 0.9, "f1": 0.905}
    reference = {"accuracy": 0.8918, "precision": 0.8933, "recall": 0.8918, "f1": 0.8921, "seconds": 175.2}
    row = model_row("net", scores, {"seconds": 12.0}, reference)
    assert row["accuracy"] == 0.9 and row["seconds"] == 12.0
    assert row["study_accuracy"] == 0.8918 and row["study_seconds"] == 175.2
    assert math.isnan(model_row("net", scores, {}, None)["study_f1"])


def test_logistic_regression_reports_convergence_honestly():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-2, 1, (50, 3)), rng.normal(2, 1, (50, 3))])
    y = np.repeat([0, 1], 50)
    model, info = fit_logistic_regression(X, y, rng=np.random.default_rng(1))
    assert info["converged"] and info["n_iter"] < info["max_iter"] and model.score(X, y) > 0.95
    _, capped = fit_logistic_regression(X, y, max_iter=1)
    assert capped["converged"] is False and capped["n_iter"] == 1
    with pytest.raises(ValueError, match="need C > 0"):
        fit_logistic_regression(X, y, C=0)
