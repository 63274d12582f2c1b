"""Our CNN against its torch twin in training: same weights, same batches, same dropout masks and shifts."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ffnn.cnn.model import build_cnn, cnn_label
from ffnn.verify.torch_parity import compare_training, step_parity
from ffnn.verify.torch_twin import torch_twin

SETTINGS = {
    "channels": [3, 4],
    "kernel_size": 3,
    "dense": [16],
    "dropout": 0.25,
    "conv_dropout": 0.2,
    "batch_norm": True,
    "max_shift": 2,
    "activation": "relu",
    "initializer": "he",
    "optimizer": "adam",
    "learning_rate": 1e-3,
    "batch_size": 16,
    "epochs": 1,
    "penalty": "l2",
    "lam": 1e-4,
    "record_every": 1,
}


def test_cnn_and_its_torch_twin_agree_to_rounding_over_float64_adam_steps(rng):
    torch.set_num_threads(1)
    network = build_cnn(SETTINGS, 784, rng, np.float64)
    X, y = rng.random((64, 784)), rng.integers(0, 10, 64)
    rows = step_parity(
        network, X, y, X[:16], steps=12, batch_size=16, learning_rate=1e-3, l2_lambda=1e-4, rng=rng, record_every=4
    )
    assert [row["step"] for row in rows] == [0, 4, 8, 12]
    assert max(row["max_abs_logit_diff"] for row in rows) < 1e-12
    assert max(row["max_abs_param_diff"] for row in rows) < 1e-12


def test_twin_dropout_without_the_shared_generator_copy_would_disagree(rng):
    """The float64 agreement rests on identical masks: a twin drawing other masks parts at once."""
    network = build_cnn(SETTINGS, 784, rng, np.float64)
    model = torch_twin(network)
    for module in model:
        if hasattr(module, "rng"):
            module.rng = np.random.default_rng(99)
    X, y = rng.random((16, 784)), rng.integers(0, 10, 16)
    _, grads = network.loss_and_gradients(X, y, "softmax_ce")
    torch.nn.functional.cross_entropy(model(torch.from_numpy(X)), torch.from_numpy(y)).backward()
    last_weight_grad = list(model.parameters())[-2].grad.numpy().T
    assert not np.allclose(grads[-2], last_weight_grad)


def test_float32_training_of_cnn_and_twin_reaches_similar_accuracy(rng):
    torch.set_num_threads(1)
    settings = {**SETTINGS, "dropout": 0.0, "conv_dropout": 0.0}
    network = build_cnn(settings, 784, rng, np.float32)
    # Two separable classes: bright left half or bright right half.
    X = rng.random((192, 28, 28)).astype(np.float32) * 0.5
    y = rng.integers(0, 2, 192)
    X[y == 0, :, :14] += 0.5
    X[y == 1, :, 14:] += 0.5
    X = X.reshape(192, 784)
    _, curves = compare_training(
        network,
        X[:128],
        y[:128],
        X[128:],
        y[128:],
        epochs=3,
        batch_size=16,
        learning_rate=3e-3,
        l2_lambda=1e-4,
        rng=rng,
    )
    ours, theirs = curves["ours"]["val_accuracy"][-1], curves["torch"]["val_accuracy"][-1]
    assert ours > 0.9 and theirs > 0.9
    assert abs(ours - theirs) <= 0.05


def test_cnn_label_names_the_architecture():
    assert cnn_label(SETTINGS) == "shifts ±2 px, conv 3-4, batch norm, dropout 0.2, dense 16-10, dropout 0.25"
    plain = {**SETTINGS, "dropout": 0.0, "conv_dropout": 0.0, "batch_norm": False, "max_shift": 0}
    assert cnn_label(plain) == "conv 3-4, dense 16-10"


def test_build_cnn_checks_settings_and_input_width(rng):
    with pytest.raises(ValueError, match="lack"):
        build_cnn({"channels": [4]}, 784, rng)
    with pytest.raises(ValueError, match="784"):
        build_cnn(SETTINGS, 100, rng)
