"""The verification tools: scikit-learn parity from shared weights, gradients, PyTorch parity, figures."""

from __future__ import annotations

import copy
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import update_config, validate

from ffnn.losses import get_loss
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.plots import verify as verify_plots
from ffnn.study_numbers import load_study_numbers, table2_reference, table3_reference
from ffnn.training import epoch_batches, run_epoch
from ffnn.verify import layers_label, network_label
from ffnn.verify.gradients import autograd_gradients, finite_difference_gradients, gradient_check, relative_error
from ffnn.verify.sklearn_parity import (
    fit_independent,
    fit_shared,
    mlp_from_network,
    prediction_differences,
    sklearn_activation,
)
from ffnn.verify.study_reference import STUDY_INITIALIZER, with_study_gradients, with_study_parity
from ffnn.verify.torch_parity import (
    compare_training,
    fashion_parts,
    step_parity,
    torch_adam,
    torch_logits,
)
from ffnn.verify.torch_twin import torch_twin


@pytest.fixture
def regression_data(rng):
    x = rng.uniform(-1, 1, (40, 1))
    return x, 1.0 / (1.0 + 25.0 * x**2)


# --- scikit-learn -------------------------------------------------------------------------


def test_prediction_differences_follow_eqs_3_to_5():
    ours = np.array([1.0, 2.0, 3.0, 4.0])
    theirs = np.array([[1.0], [0.0], [3.0], [5.0]])  # differences 0, 2, 0, -1
    got = prediction_differences(ours, theirs)
    assert got == pytest.approx({"l2_norm": np.sqrt(5.0), "l1_norm": 3.0, "mad": 0.75, "max_abs_diff": 2.0}, rel=1e-15)


def test_prediction_differences_reject_mismatched_lengths():
    with pytest.raises(ValueError, match="one length"):
        prediction_differences(np.zeros(3), np.zeros(4))


def test_unknown_sklearn_activation_is_named():
    assert sklearn_activation("sigmoid") == "logistic"
    with pytest.raises(ValueError, match="leaky_relu"):
        sklearn_activation("leaky_relu")


@pytest.mark.parametrize(("hidden", "activation"), [([8], "sigmoid"), ([6, 6], "relu"), ([5, 4], "tanh")])
def test_shared_initial_weights_give_sklearn_predictions_to_rounding(hidden, activation, regression_data, rng):
    X, y = regression_data
    net, mlp = fit_shared(hidden, activation, X, y, learning_rate=0.3, epochs=60, initializer="xavier", rng=rng)
    ours, theirs = net.forward(X).ravel(), mlp.predict(X)
    assert mlp.n_iter_ == 60
    assert prediction_differences(ours, theirs)["max_abs_diff"] < 1e-12
    # It trained: the fit is better than the initial, untrained network's.
    untrained = Network(
        [1, *hidden, 1], hidden_activation=activation, initializer="xavier", rng=np.random.default_rng(6114)
    )
    assert np.mean((ours - y.ravel()) ** 2) < np.mean((untrained.forward(X).ravel() - y.ravel()) ** 2)


def test_weights_really_go_into_mlp_and_network_is_left_alone(regression_data, rng):
    X, y = regression_data
    net = Network([1, 7, 1], hidden_activation="relu", initializer="he", rng=rng)
    before = [p.copy() for p in net.params]
    one_step = mlp_from_network(net, X, y, learning_rate=1e-9, epochs=1)
    for ours, theirs in zip(net.weights + net.biases, one_step.coefs_ + one_step.intercepts_, strict=True):
        np.testing.assert_allclose(theirs, ours, atol=1e-8)
    for p, q in zip(net.params, before, strict=True):
        np.testing.assert_array_equal(p, q)


def test_independent_initialisations_differ_from_each_other(regression_data, rng):
    X, y = regression_data
    net, mlp = fit_independent(
        [10],
        "sigmoid",
        X,
        y,
        optimizer="adam",
        learning_rate=0.01,
        batch_size=16,
        epochs=20,
        initializer="normal",
        rng=rng,
    )
    assert prediction_differences(net.forward(X), mlp.predict(X))["max_abs_diff"] > 1e-6


def test_layers_label_uses_the_study_notation():
    assert layers_label([50, 50]) == "[50-50-1]"
    assert layers_label([512], n_outputs=10) == "[512-10]"


# --- gradients ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activation", "initializer"), [("sigmoid", "xavier"), ("relu", "he"), ("leaky_relu", "he"), ("tanh", "xavier")]
)
def test_backprop_matches_autograd_and_finite_differences(activation, initializer, regression_data, rng):
    X, y = regression_data
    net = Network([1, 6, 5, 1], hidden_activation=activation, initializer=initializer, rng=rng)
    rows = gradient_check(net, X, y)
    assert [(r["layer"], r["param"]) for r in rows] == [(0, "W"), (0, "b"), (1, "W"), (1, "b"), (2, "W"), (2, "b")]
    for row in rows:
        assert row["grad_norm"] > 0
        assert row["l2_diff_autograd"] <= 1e-14 * max(1.0, row["grad_norm"])
        assert row["rel_err_finite_diff"] < 1e-6


def test_gradient_check_catches_a_wrong_gradient(regression_data, rng, monkeypatch):
    X, y = regression_data
    net = Network([1, 4, 1], hidden_activation="sigmoid", initializer="xavier", rng=rng)
    true_backward = Network.backward
    # A typical bug: the first layer's weight gradient off by a factor.
    monkeypatch.setattr(
        Network,
        "backward",
        lambda self, *args, **kwargs: [
            g * (1.1 if i == 0 else 1.0) for i, g in enumerate(true_backward(self, *args, **kwargs))
        ],
    )
    rows = {(r["layer"], r["param"]): r for r in gradient_check(net, X, y)}
    assert rows[(0, "W")]["l2_diff_autograd"] > 1e-3 * rows[(0, "W")]["grad_norm"]
    assert rows[(0, "W")]["rel_err_finite_diff"] > 1e-2
    assert rows[(1, "W")]["rel_err_finite_diff"] < 1e-6


def test_finite_differences_leave_the_network_unchanged(regression_data, rng):
    X, y = regression_data
    net = Network([1, 3, 1], hidden_activation="tanh", initializer="xavier", rng=rng)
    before = [p.copy() for p in net.params]
    finite_difference_gradients(net, X, y)
    for p, q in zip(net.params, before, strict=True):
        np.testing.assert_array_equal(p, q)


def test_autograd_reference_is_independent_of_the_network_code(regression_data, rng):
    # A one-hidden-unit linear network has the closed-form gradient of least squares.
    X, y = regression_data
    net = Network([1, 1, 1], hidden_activation="linear", initializer="xavier", rng=rng)
    (w1,), (w2,) = net.weights[0][0], net.weights[1][0]
    residual = (X * w1 * w2 - y).ravel()
    dW0, db0, dW1, db1 = autograd_gradients(net, X, y)
    assert dW0[0, 0] == pytest.approx(np.mean(residual * X.ravel()) * w2, rel=1e-12)
    assert db1[0] == pytest.approx(np.mean(residual), rel=1e-12)


def test_relative_error_bounds():
    a = np.array([1.0, 2.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0


# --- the study's published tables beside ours ----------------------------------------------


def test_study_parity_values_stand_on_the_study_setting_only():
    ours = pd.DataFrame(
        {
            "setting": ["independent", "shared", "independent", "shared"],
            "architecture": ["Arch 1", "Arch 1", "Mine", "Mine"],
            "l2_norm": [0.5, 1e-16, 0.2, 0.0],
        }
    )
    table = with_study_parity(
        ours, {"Arch 1": {"l2_norm": 0.345, "mad": 0.0672}, "Arch 4": {"l2_norm": 1.0, "mad": 2.0}}
    )
    pd.testing.assert_frame_equal(table[ours.columns], ours)  # our rows, in order, untouched
    assert table["study_l2_norm"].iloc[0] == 0.345 and table["study_mad"].iloc[0] == 0.0672
    assert table[["study_l2_norm", "study_mad"]].iloc[1:].isna().all().all()
    assert with_study_parity(ours, {})["study_mad"].isna().all()


def _gradient_rows(network: str, initializer: str, n_layers: int) -> list[dict]:
    return [
        {"network": network, "initializer": initializer, "layer": layer, "param": param, "l2_diff_autograd": 0.0}
        for layer in range(n_layers)
        for param in ("W", "b")
    ]


def test_study_gradient_values_stand_on_the_weight_rows_of_the_study_network():
    ours = pd.DataFrame(
        _gradient_rows("[50-50-1] sigmoid", "normal", 3)
        + _gradient_rows("[50-50-1] sigmoid", "xavier", 3)
        + _gradient_rows("[4-1] relu", "normal", 2)
    )
    table = with_study_gradients(ours, {"[50-50-1] sigmoid": [1e-21, 2e-18, 3e-16]})
    pd.testing.assert_frame_equal(table[ours.columns], ours)
    filled = table.dropna(subset=["study_l2_diff"])
    assert list(zip(filled["network"], filled["initializer"], filled["layer"], filled["param"], strict=True)) == [
        ("[50-50-1] sigmoid", "normal", layer, "W") for layer in range(3)
    ]
    assert filled["study_l2_diff"].tolist() == [1e-21, 2e-18, 3e-16]


# --- PyTorch -----------------------------------------------------------------------------


@pytest.fixture
def classification_data(rng):
    X = rng.standard_normal((96, 12))
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0.5)
    return X, y


def test_torch_twin_of_a_network_has_our_forward_pass(classification_data, rng):
    X, _ = classification_data
    net = Network([12, 16, 8, 3], hidden_activation="relu", initializer="he", rng=rng)
    model = torch_twin(net)
    assert tuple(model[0].weight.shape) == (16, 12)  # torch stores (out, in)
    np.testing.assert_allclose(torch_logits(model, X), net.forward(X), rtol=0, atol=1e-13)


def test_torch_parity_on_a_small_batch_in_float64(classification_data, rng):
    X, y = classification_data
    net = Network([12, 16, 3], hidden_activation="relu", initializer="he", rng=rng)
    start = [p.copy() for p in net.params]
    rows = step_parity(
        net, X, y, X[:10], steps=40, batch_size=16, learning_rate=1e-2, l2_lambda=1e-3, rng=rng, record_every=10
    )
    assert [r["step"] for r in rows] == [0, 10, 20, 30, 40]
    assert max(r["max_abs_logit_diff"] for r in rows) < 1e-12
    assert max(r["max_abs_param_diff"] for r in rows) < 1e-12
    moved = max(np.max(np.abs(p - q)) for p, q in zip(net.params, start, strict=True))
    assert moved > 1e-2  # 40 Adam steps of 1e-2 really moved the weights


def test_torch_adam_penalises_weights_only(rng):
    model = torch_twin(Network([3, 4, 2], hidden_activation="relu", initializer="he", rng=rng))
    weights, biases = torch_adam(model, learning_rate=1e-3, l2_lambda=1e-5).param_groups
    # Eq. 11's gradient 2 lambda W on weights; biases are not penalised.
    assert (weights["weight_decay"], biases["weight_decay"]) == (2e-5, 0.0)
    assert [p.ndim for p in weights["params"]] == [2, 2] and [p.ndim for p in biases["params"]] == [1, 1]


def test_epoch_batches_draw_as_run_epoch_does(rng):
    class RecordingNetwork(Network):
        """A network that notes which rows each training step sees."""

        def loss_and_gradients(self, X, y, *args, **kwargs):
            self.batches.append(X[:, 0].astype(int))
            return super().loss_and_gradients(X, y, *args, **kwargs)

    n, batch = 50, 16
    X = np.arange(n, dtype=float).reshape(-1, 1)
    net = RecordingNetwork([1, 2, 1], rng=rng)
    net.batches = []
    twin = copy.deepcopy(rng)
    for _ in range(2):
        run_epoch(net, X, X, get_loss("mse"), get_optimizer("sgd", 1e-6), rng, batch)
    expected = [b for _ in range(2) for b in epoch_batches(n, batch, twin)]
    assert len(net.batches) == len(expected) == 8
    for seen, drawn in zip(net.batches, expected, strict=True):
        np.testing.assert_array_equal(seen, drawn)


def test_float32_training_comparison_runs_both_from_the_same_weights(classification_data, rng):
    X, y = classification_data
    X32 = X.astype(np.float32)
    net = Network([12, 16, 3], hidden_activation="relu", initializer="he", rng=rng, dtype=np.float32)
    model, curves = compare_training(
        net, X32[:64], y[:64], X32[64:], y[64:], epochs=3, batch_size=16, learning_rate=1e-2, l2_lambda=1e-5, rng=rng
    )
    for framework in ("ours", "torch"):
        assert len(curves[framework]["train_accuracy"]) == len(curves[framework]["val_accuracy"]) == 3
        assert curves[framework]["seconds"] > 0
    np.testing.assert_allclose(curves["ours"]["val_accuracy"], curves["torch"]["val_accuracy"], atol=1 / 32)
    np.testing.assert_allclose(torch_logits(model, X32), net.forward(X32), atol=1e-3)


def test_fashion_parts_take_the_fashion_split_and_subsample_its_training_part(rng):
    labels = np.repeat(np.arange(10, dtype=np.int64), 25)
    arrays = {
        # Each image's pixels hold its index, so the parts can be traced back to the images.
        "x_train": np.tile(np.arange(250, dtype=np.uint8)[:, None], (1, 784)),
        "y_train": labels,
        "x_test": np.zeros((20, 784), dtype=np.uint8),
        "y_test": np.arange(20, dtype=np.int64) % 10,
    }
    within_class = np.arange(250) % 25
    splits = {"train_idx": np.flatnonzero(within_class < 20), "val_idx": np.flatnonzero(within_class >= 20)}
    parts = fashion_parts(arrays, splits, train_samples=100, dtype=np.float32, rng=rng)
    assert parts["X_train"].shape == (100, 784) and parts["X_val"].shape == (50, 784)
    assert parts["X_train"].dtype == np.float32 and parts["X_train"].max() <= 1.0
    train_ids = np.round(parts["X_train"][:, 0] * 255).astype(int)
    val_ids = np.round(parts["X_val"][:, 0] * 255).astype(int)
    assert set(train_ids) <= set(splits["train_idx"]) and len(set(train_ids)) == 100
    assert val_ids.tolist() == splits["val_idx"].tolist()
    assert np.bincount(parts["y_train"]).tolist() == [10] * 10  # stratified: half of each class's 20
    assert (labels[train_ids] == parts["y_train"]).all()
    whole = fashion_parts(arrays, splits, train_samples=None, dtype=np.float64, rng=rng)
    assert np.round(whole["X_train"][:, 0] * 255).astype(int).tolist() == splits["train_idx"].tolist()
    with pytest.raises(ValueError, match="train_samples=201 exceeds the 200 images of the training part"):
        fashion_parts(arrays, splits, train_samples=201, dtype=np.float32, rng=rng)


# --- figures -----------------------------------------------------------------------------


def _predictions():
    x = np.linspace(-1, 1, 5)
    frames = []
    for setting in ("independent", "shared"):
        for arch in ("Arch 1", "Arch 2"):
            for part in ("test", "curve"):
                frames.append(
                    pd.DataFrame(
                        {
                            "setting": setting,
                            "architecture": arch,
                            "part": part,
                            "x": x,
                            "y_true": x**2,
                            "ours": x,
                            "sklearn": x + 0.01,
                        }
                    )
                )
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("sklearn_parity", _predictions()),
        ("sklearn_curves", _predictions()),
        (
            "torch_drift",
            pd.DataFrame(
                {
                    "step": [0, 5, 10],
                    "max_abs_logit_diff": [0.0, 1e-15, 2e-15],
                    "max_abs_param_diff": [0.0, 1e-16, 3e-16],
                }
            ),
        ),
        (
            "torch_curves",
            pd.DataFrame(
                {
                    "framework": ["ours", "ours", "torch", "torch"],
                    "epoch": [1, 2, 1, 2],
                    "train_accuracy": [0.5, 0.6, 0.5, 0.6],
                    "val_accuracy": [0.4, 0.5, 0.4, 0.5],
                }
            ),
        ),
        ("torch_logits", pd.DataFrame({"ours": [0.0, 1.0, -2.0], "torch": [0.0, 1.1, -2.0]})),
    ],
)
def test_figures_draw_from_their_tables(name, table):
    fig = getattr(verify_plots, f"{name}_figure")(table)
    assert isinstance(fig, plt.Figure) and fig.axes
    plt.close(fig)


def test_figure_names_a_missing_column():
    with pytest.raises(ValueError, match="torch"):
        verify_plots.torch_logits_figure(pd.DataFrame({"ours": [1.0]}))


# --- configuration -----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = str(ROOT / "workflow" / "schemas" / "verify.schema.yaml")


def _verify_config(name: str) -> dict:
    """The verify section as Snakemake sees it: config/<name> merged over config/config.yaml."""
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    update_config(config, yaml.safe_load((ROOT / "config" / name).read_text(encoding="utf-8")))
    return config["verify"]


@pytest.mark.parametrize("name", ["config.yaml", "quick.yaml"])
def test_config_files_pass_the_verify_schema(name):
    validate(_verify_config(name), SCHEMA)


def test_the_study_numbers_name_the_configured_networks():
    # A renamed architecture or a changed network would leave the study's numbers on no row.
    config = _verify_config("config.yaml")
    numbers = load_study_numbers(ROOT / "report" / "study_numbers.csv")
    assert set(table2_reference(numbers)) == {arch["name"] for arch in config["sklearn"]["architectures"]}
    networks = {
        network_label(n["hidden_layers"], n["activation"])
        for n in config["gradients"]["networks"]
        if n["initializer"] == STUDY_INITIALIZER
    }
    assert set(table3_reference(numbers)) <= networks


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda c: c["torch"].update(batch_sise=3), "batch_sise"),
        (lambda c: c["sklearn"]["independent"].update(learning_rate=-0.1), "-0.1"),
        (lambda c: c["sklearn"]["architectures"][0].update(activation="leaky_relu"), "leaky_relu"),
        (lambda c: c["gradients"]["networks"][0].update(initializer="zeros"), "zeros"),
        (lambda c: c["torch"]["float32"].update(epochs=0), "epochs"),
    ],
)
def test_verify_schema_rejects_bad_settings_by_name(edit, named):
    config = _verify_config("quick.yaml")
    edit(config)
    with pytest.raises(WorkflowError, match=named):
        validate(config, SCHEMA)
