"""The settings of a network's fit by one set of names, shared by the config files, the
estimators (:mod:`ffnn.estimators`) and the Runge and FashionMNIST fitting code.

``hidden_layers`` (list of int), ``activation``, ``leaky_slope`` and ``initializer`` make a dense
network; ``optimizer``, ``learning_rate``, ``batch_size`` (int, or None for full batch),
``epochs``, ``penalty`` (``"l1"``, ``"l2"`` or None) and ``lam`` (its strength, the lambda of
Eq. 11) train any :class:`~ffnn.training.Trainable`. A mapping may carry other keys (a grid's
``depth``, the CNN's ``channels`` ...); these functions read only their own.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .losses import Loss
from .network import Network
from .optimizers import get_optimizer
from .regularizers import get_regularizer
from .training import History, Trainable, train

NETWORK_KEYS = ("hidden_layers", "activation", "leaky_slope", "initializer")
TRAINING_KEYS = ("optimizer", "learning_rate", "batch_size", "epochs", "penalty", "lam")

#: The study's values of the keys a mapping may leave out: N(0, 0.01) weights, no penalty.
DEFAULTS = {"leaky_slope": 0.01, "initializer": "normal", "penalty": None, "lam": 0.0}

#: The keys without a default, which every mapping must hold.
REQUIRED_KEYS = tuple(key for key in NETWORK_KEYS + TRAINING_KEYS if key not in DEFAULTS)


def _setting(settings: Mapping, key: str):
    return settings[key] if key in settings else DEFAULTS[key]


def check_settings(settings: Mapping, required=REQUIRED_KEYS) -> Mapping:
    """``settings`` itself, once it holds every key of ``required``.

    Raises
    ------
    ValueError
        Naming the keys it lacks.
    """
    missing = [key for key in required if key not in settings]
    if missing:
        raise ValueError(f"settings lack {missing}: {dict(settings)}")
    return settings


def dense_network(
    settings: Mapping, n_inputs: int, n_outputs: int, rng: np.random.Generator, dtype=np.float64
) -> Network:
    """The ``[n_inputs, *hidden_layers, n_outputs]`` network of ``settings``, linear output (logits
    or a regression's values), its initial weights drawn from ``rng``."""
    check_settings(settings, tuple(key for key in REQUIRED_KEYS if key in NETWORK_KEYS))
    return Network(
        [n_inputs, *settings["hidden_layers"], n_outputs],
        hidden_activation=settings["activation"],
        output_activation="linear",
        initializer=_setting(settings, "initializer"),
        rng=rng,
        dtype=dtype,
        leaky_slope=_setting(settings, "leaky_slope"),
    )


def train_with_settings(
    network: Trainable,
    settings: Mapping,
    X: np.ndarray,
    y: np.ndarray,
    *,
    loss: str | Loss,
    rng: np.random.Generator,
    **curves,
) -> History:
    """:func:`ffnn.training.train` of ``network`` on ``(X, y)`` with the optimiser, step size, batch
    size, epochs and penalty of ``settings``; ``curves`` (``validation``, ``test``, ``metric``,
    ``record_every``) go to :func:`~ffnn.training.train` as they are."""
    check_settings(settings, tuple(key for key in REQUIRED_KEYS if key in TRAINING_KEYS))
    return train(
        network,
        X,
        y,
        loss=loss,
        optimizer=get_optimizer(settings["optimizer"], settings["learning_rate"]),
        epochs=settings["epochs"],
        rng=rng,
        batch_size=settings["batch_size"],
        regularizer=get_regularizer(_setting(settings, "penalty"), _setting(settings, "lam")),
        **curves,
    )
