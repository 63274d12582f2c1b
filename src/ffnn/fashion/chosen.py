"""The chosen model's final fit: the epoch count chosen on validation, then a refit on all labelled images.

The procedure is fixed before any test image is read: (a) train the chosen settings on the
training part with validation curves for up to ``settings["epochs"]`` epochs; (b) take the
recorded epoch of highest validation accuracy (early stopping on validation); (c) refit a fresh
network with the same seed and settings on the training and validation parts together for that
many epochs; (d) score the refit network once on the test images.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from .fitting import build_network, fit_classifier, fit_summary
from .metrics import classification_scores
from .splits import FashionSplit


def epochs_by_validation(history: Mapping) -> tuple[int, float]:
    """The recorded epoch of highest validation accuracy (the earliest on a tie) and that accuracy.

    Parameters
    ----------
    history : mapping
        :meth:`ffnn.training.History.to_dict` of a fit with validation accuracy as its metric;
        only recorded epochs (see ``record_every``) are candidates.

    Raises
    ------
    ValueError
        If the fit diverged or recorded no validation accuracy.
    """
    if history["diverged"]:
        raise ValueError(f"the selection fit diverged after {history['epochs_run']} epochs: no epoch count to choose")
    accuracy = history["val_metric"]
    if not accuracy:
        raise ValueError("the selection fit recorded no validation accuracy to choose the epoch count on")
    best = int(np.argmax(accuracy))
    return int(history["epoch"][best]), float(accuracy[best])


def final_epochs(history: Mapping, settings: Mapping, from_validation: bool) -> int:
    """Epochs of the final fit: chosen on validation, or the ``settings["epochs"]`` the selection fit ran."""
    return epochs_by_validation(history)[0] if from_validation else int(settings["epochs"])


def final_training_part(split: FashionSplit, refit_on_full_train: bool) -> tuple[np.ndarray, np.ndarray]:
    """Images ``(n, 784)`` and labels ``(n,)`` of the final fit.

    The training and validation parts together (every labelled image of the split) when
    ``refit_on_full_train``, else the training part alone.
    """
    if not refit_on_full_train:
        return split.X_train, split.y_train
    return np.concatenate([split.X_train, split.X_val]), np.concatenate([split.y_train, split.y_val])


def final_fit(
    settings: Mapping,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    rng: np.random.Generator,
    dtype=np.float32,
    build: Callable = build_network,
):
    """A fresh network of ``settings`` trained on ``(X, y)`` for ``epochs`` epochs, with no validation data.

    Parameters
    ----------
    settings : mapping
        The keys of :data:`ffnn.fashion.fitting.SETTINGS_KEYS`; ``epochs`` and ``record_every``
        are replaced, so that the training curves are evaluated once, after the last epoch.
    X : ndarray of shape (n, 784); y : int ndarray of shape (n,)
    epochs : int
    rng : numpy.random.Generator
        Seeded as for the selection fit, it draws the same initial weights.
    dtype : floating dtype, default float32
    build : callable, default :func:`ffnn.fashion.fitting.build_network`
        Makes the network from ``settings`` (see :func:`ffnn.fashion.fitting.fit_classifier`).

    Returns
    -------
    network, history
        As :func:`ffnn.fashion.fitting.fit_classifier`; the history's validation lists stay empty.
    """
    final = {**settings, "epochs": int(epochs), "record_every": int(epochs)}
    return fit_classifier(final, X, y, None, None, rng, dtype=dtype, build=build)


def refit_and_score(
    settings: Mapping,
    history: Mapping,
    protocol: Mapping,
    split: FashionSplit,
    rng: np.random.Generator,
    dtype=np.float32,
    build: Callable = build_network,
):
    """Steps (b) to (d): the final fit's epochs and images from ``protocol``, the refit, the test scores.

    Parameters
    ----------
    settings : mapping
        The chosen settings (of the selection fit).
    history : mapping
        The selection fit's :meth:`ffnn.training.History.to_dict`.
    protocol : mapping
        ``epochs_from_validation`` and ``refit_on_full_train`` (the config's ``fashion.chosen``).
    split : FashionSplit
        With the test part.
    rng : numpy.random.Generator
        Seeded as the selection fit's.
    dtype : floating dtype, default float32
    build : callable, default :func:`ffnn.fashion.fitting.build_network`

    Returns
    -------
    network
        The refit network.
    record : dict
        ``settings`` (with the final ``epochs``), ``protocol``, ``max_epochs``, ``selection_val_accuracy``
        (the selection fit's after that many epochs), ``n_train``, ``n_test``, ``summary``, ``test``
        (:func:`ffnn.fashion.metrics.classification_scores`) and ``history`` of the refit.

    Raises
    ------
    RuntimeError
        If the refit diverged.
    """
    epochs = final_epochs(history, settings, protocol["epochs_from_validation"])
    X, y = final_training_part(split, protocol["refit_on_full_train"])
    network, fit = final_fit(settings, X, y, epochs, rng, dtype=dtype, build=build)
    if fit.diverged:
        raise RuntimeError(f"the final fit diverged after {fit.epochs_run} epochs")
    test = classification_scores(split.y_test, np.argmax(network.forward(split.X_test), axis=1))
    record = {
        "settings": {**settings, "epochs": epochs},
        "protocol": dict(protocol),
        "max_epochs": settings["epochs"],
        "selection_val_accuracy": dict(zip(history["epoch"], history["val_metric"], strict=True)).get(
            epochs, float("nan")
        ),
        "n_train": len(y),
        "n_test": len(split.y_test),
        "summary": fit_summary(network, fit),
        "test": test,
        "history": fit.to_dict(),
    }
    return network, record
