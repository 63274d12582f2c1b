"""One FashionMNIST fit from a dictionary of settings: the unit of every grid cell."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from ..data.fashion_mnist import N_CLASSES
from ..estimators import accuracy_from_logits
from ..layers import Sequential
from ..network import Network
from ..settings import NETWORK_KEYS, TRAINING_KEYS, check_settings, dense_network, train_with_settings
from ..training import History
from .splits import FashionSplit

#: The keys every settings mapping must hold (the config's ``fashion.model`` and its variations):
#: every key of :mod:`ffnn.settings`, none left to its default, and how often the curves are recorded.
SETTINGS_KEYS = (*NETWORK_KEYS, *TRAINING_KEYS, "record_every")


def build_network(settings: Mapping, n_inputs: int, rng: np.random.Generator, dtype=np.float32) -> Network:
    """The ``[n_inputs, *hidden_layers, 10]`` network of ``settings`` with logits as output."""
    return dense_network(check_settings(settings, SETTINGS_KEYS), n_inputs, N_CLASSES, rng, dtype)


def fit_classifier(
    settings: Mapping,
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray | None,
    y_val: np.ndarray | None,
    rng: np.random.Generator,
    dtype=np.float32,
    build: Callable = build_network,
    test: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[Sequential, History]:
    """Train a fresh network of ``settings`` on softmax cross-entropy, with validation curves.

    Parameters
    ----------
    settings : mapping
        The keys of :data:`SETTINGS_KEYS`; ``penalty`` is ``"l1"``, ``"l2"`` or ``None`` with
        strength ``lam``.
    X_train : ndarray of shape (n_train, 784); y_train : int ndarray of shape (n_train,)
    X_val : ndarray of shape (n_val, 784) or None; y_val : int ndarray of shape (n_val,) or None
        ``None`` trains without validation curves (a final refit on every labelled image).
    rng : numpy.random.Generator
        Draws the initial weights, then the mini-batch order of every epoch.
    dtype : floating dtype, default float32
    build : callable ``build(settings, n_inputs, rng, dtype)``, default :func:`build_network`
        Makes the network; :func:`ffnn.cnn.model.build_cnn` makes the convolutional one.
    test : (X_test, y_test) or None, default None
        Test images whose curves are recorded beside validation's (:func:`ffnn.training.train`):
        a grid reports the test scores the study published for it; no choice reads them.

    Returns
    -------
    network : Network (or what ``build`` returns)
        The trained network.
    history : History
        Loss and accuracy (``*_metric``) on both parts (on the training part alone without
        validation data) after every ``record_every`` epochs.
    """
    network = build(settings, X_train.shape[1], rng, dtype)
    history = train_with_settings(
        network,
        settings,
        X_train,
        y_train,
        loss="softmax_ce",
        rng=rng,
        validation=None if X_val is None else (X_val, y_val),
        metric=accuracy_from_logits,
        record_every=settings["record_every"],
        test=test,
    )
    return network, history


def fit_summary(network: Sequential, history: History) -> dict:
    """Final-epoch numbers of a fit: ``val_accuracy``, ``val_loss``, ``train_accuracy``,
    ``train_loss`` (NaN after divergence), best validation accuracy and its epoch,
    ``diverged``, ``epochs_run``, ``seconds`` and ``n_params``; and ``test_accuracy``,
    ``test_loss`` where the fit recorded test curves."""

    def last(values: list[float]) -> float:
        return values[-1] if values and not history.diverged else math.nan

    best = int(np.argmax(history.val_metric)) if history.val_metric else None
    return {
        "val_accuracy": last(history.val_metric),
        "val_loss": last(history.val_loss),
        "train_accuracy": last(history.train_metric),
        "train_loss": last(history.train_loss),
        "best_val_accuracy": history.val_metric[best] if best is not None else math.nan,
        "best_epoch": history.epoch[best] if best is not None else None,
        "diverged": history.diverged,
        "epochs_run": history.epochs_run,
        "seconds": history.seconds,
        "n_params": network.n_params,
        **(
            {"test_accuracy": last(history.test_metric), "test_loss": last(history.test_loss)}
            if history.test_metric
            else {}
        ),
    }


def fit_on_split(
    settings: Mapping, split: FashionSplit, rng: np.random.Generator, dtype=np.float32, build: Callable = build_network
) -> tuple[Sequential, dict]:
    """:func:`fit_classifier` (with ``build``) on the split's training part, with curves on its
    validation part, and on its test part where the split holds one (recorded only).

    Returns the trained network and the record the workflow saves of the fit: ``settings``,
    ``n_train``, ``n_validation``, ``summary`` (:func:`fit_summary`) and ``history``.
    """
    test = None if split.X_test is None else (split.X_test, split.y_test)
    network, history = fit_classifier(
        settings, split.X_train, split.y_train, split.X_val, split.y_val, rng, dtype=dtype, build=build, test=test
    )
    record = {
        "settings": settings,
        "n_train": len(split.y_train),
        "n_validation": len(split.y_val),
        "summary": fit_summary(network, history),
        "history": history.to_dict(),
    }
    return network, record
