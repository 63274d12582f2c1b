"""One vocabulary of settings: the estimators, the Runge and the FashionMNIST fitting code read the same names."""

from __future__ import annotations

import numpy as np
import pytest

from ffnn.estimators import FFNNRegressor
from ffnn.cnn.model import CNN_SETTINGS_KEYS
from ffnn.fashion.fitting import SETTINGS_KEYS
from ffnn.settings import DEFAULTS, NETWORK_KEYS, REQUIRED_KEYS, TRAINING_KEYS, dense_network, train_with_settings


def test_every_reader_spells_the_settings_alike():
    assert set(NETWORK_KEYS + TRAINING_KEYS) <= set(FFNNRegressor().get_params())
    assert SETTINGS_KEYS[: len(NETWORK_KEYS + TRAINING_KEYS)] == NETWORK_KEYS + TRAINING_KEYS
    assert set(TRAINING_KEYS) <= set(CNN_SETTINGS_KEYS)
    assert REQUIRED_KEYS == ("hidden_layers", "activation", "optimizer", "learning_rate", "batch_size", "epochs")


def test_left_out_keys_take_the_study_defaults(rng):
    network = dense_network({"hidden_layers": [3], "activation": "leaky_relu"}, 2, 1, rng)
    assert network.layer_sizes == [2, 3, 1] and network.hidden_activation.alpha == DEFAULTS["leaky_slope"]
    assert network.output_activation.name == "linear"
    assert abs(float(np.std(network.weights[0]))) < 0.05  # the study's N(0, 0.01), not He's N(0, 1)


def test_a_missing_key_is_named(rng):
    with pytest.raises(ValueError, match="lack.*'activation'"):
        dense_network({"hidden_layers": [3]}, 2, 1, rng)
    with pytest.raises(ValueError, match="lack.*'epochs'"):
        train_with_settings(
            dense_network({"hidden_layers": [3], "activation": "relu"}, 2, 1, rng),
            {"optimizer": "adam", "learning_rate": 0.1, "batch_size": 4},
            np.zeros((4, 2)),
            np.zeros((4, 1)),
            loss="mse",
            rng=rng,
        )
