"""Train one Runge network setting over restarts and score it in MSE.

A *setting* is a dict with the keys of :mod:`ffnn.settings`: ``hidden_layers`` (list of int),
``activation``, ``optimizer``, ``learning_rate``, ``batch_size`` (int or None for full batch),
``epochs`` and optionally ``penalty`` (``"l1"``/``"l2"``/None), ``lam``, ``initializer`` and
``leaky_slope`` (the study's defaults, :data:`ffnn.settings.DEFAULTS`, where left out); other keys
(``depth``, ``width``, ...) are carried along for the tables. MSE here is Eq. 1 of the study,
``mean((y - y_pred)^2)``, which is twice the training cost of Eq. 10.
"""

from __future__ import annotations

import math

import numpy as np

from ..data.runge import RungeSplit, runge
from ..network import Network
from ..selection import training_rng
from ..settings import dense_network, train_with_settings
from ..training import History


def mse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Eq. 1, ``mean((y_true - y_pred)^2)`` over arrays of equal size; NaN if a prediction is not finite."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    if not np.all(np.isfinite(y_pred)):
        return math.nan
    return float(np.mean((y_true - y_pred) ** 2))


def train_setting(
    settings: dict, split: RungeSplit, rng: np.random.Generator, record_every: int = 1
) -> tuple[Network, History]:
    """Train one network of ``settings`` on the standardised training part of ``split``.

    The validation and test parts give the validation and test curves; the test curve is only
    recorded (see :func:`ffnn.training.train`), for figures the study drew on its test set.

    Returns
    -------
    network : Network
        Trained in place; weights may be non-finite if the fit diverged.
    history : History
        Curves of the Eq. 10 cost every ``record_every`` epochs.
    """
    network = dense_network(settings, 1, 1, rng)
    history = train_with_settings(
        network,
        settings,
        split.z_train,
        split.y_train,
        loss="mse",
        rng=rng,
        validation=(split.z_val, split.y_val),
        record_every=record_every,
        test=(split.z_test, split.y_test),
    )
    return network, history


def curves_as_mse(history: History) -> dict:
    """Learning curves as Eq. 1 MSE (twice the recorded Eq. 10 cost): epoch, train_mse, val_mse, test_mse lists."""
    return {
        "epoch": list(history.epoch),
        **{
            f"{part}_mse": [2.0 * value for value in getattr(history, f"{part}_loss")]
            for part in ("train", "val", "test")
        },
    }


def fit_repeats(
    settings: dict,
    split: RungeSplit,
    seed: int,
    repeats: int,
    record_every: int = 1,
    x_dense: np.ndarray | None = None,
    training_seed: int = 0,
) -> list[dict]:
    """Train ``settings`` once per repeat (restart) and report each fit.

    Parameters
    ----------
    seed : int
        The study's seed; restart ``r`` draws from ``training_rng(seed, training_seed, r)``.
    x_dense : ndarray of shape (m,) or None
        Raw inputs on which to record each fit's predictions (for fitted-curve figures).
    training_seed : int, default 0
        Redraws initial weights and batch order of every restart (see :mod:`ffnn.selection`).

    Returns
    -------
    list of dict
        Per repeat: repeat, train_mse, val_mse, test_mse (Eq. 1 against the noisy test
        targets), test_mse_true_function (against Runge's function itself), diverged,
        epochs_run, seconds, curves (see :func:`curves_as_mse`), and prediction when asked.
        The test scores are recorded beside the others for the audit; every choice of the
        study reads validation scores only.
    """
    fits = []
    for repeat in range(repeats):
        network, history = train_setting(settings, split, training_rng(seed, training_seed, repeat), record_every)
        test_prediction = network.forward(split.z_test)
        fit = {
            "repeat": repeat,
            "train_mse": mse(split.y_train, network.forward(split.z_train)),
            "val_mse": mse(split.y_val, network.forward(split.z_val)),
            "test_mse": mse(split.y_test, test_prediction),
            "test_mse_true_function": mse(runge(split.x_test), test_prediction),
            "diverged": bool(history.diverged),
            "epochs_run": history.epochs_run,
            "seconds": history.seconds,
            "curves": curves_as_mse(history),
        }
        if x_dense is not None:
            fit["prediction"] = network.forward(split.scale(x_dense)).ravel().tolist()
        fits.append(fit)
    return fits


def describe(settings: dict) -> str:
    """Short human description of a network setting, e.g. ``[50-50-1] sigmoid, adam, eta=0.01, b=32, 500 epochs``."""
    layers = "-".join(str(width) for width in [*settings["hidden_layers"], 1])
    batch = "full batch" if settings["batch_size"] is None else f"b={settings['batch_size']}"
    text = (
        f"[{layers}] {settings['activation']}, {settings['optimizer']}, eta={settings['learning_rate']:g}, "
        f"{batch}, {settings['epochs']} epochs"
    )
    if settings.get("penalty"):
        text += f", {settings['penalty'].upper()} lambda={settings['lam']:g}"
    return text
