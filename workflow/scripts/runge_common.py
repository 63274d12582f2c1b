"""Shared glue of the Runge scripts: train one network setting over several seeds, summarise
the repeats, and choose settings on validation MSE.

Nothing here knows Snakemake, so the tests import it directly. A *setting* is a dict with keys
``hidden_layers`` (list of int), ``activation``, ``optimizer``, ``learning_rate``,
``batch_size`` (int or None for full batch), ``epochs`` and optionally ``penalty``
(``"l1"``/``"l2"``/None) and ``lam``; other keys (``depth``, ``width``, ...) are carried along
for the tables. MSE here is Eq. 1 of the study, ``mean((y - y_pred)^2)``, which is twice the
training cost of Eq. 10.
"""

from __future__ import annotations

import contextlib
import math
import traceback
from typing import Iterable

import numpy as np

from ffnn.data.runge import RungeSplit, runge
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.regularizers import get_regularizer
from ffnn.training import History, train

SETTING_KEYS = ("hidden_layers", "activation", "optimizer", "learning_rate", "batch_size", "epochs")


def repeat_rng(seed: int, repeat: int) -> np.random.Generator:
    """Generator of repeat ``repeat``: ``default_rng([seed, repeat])``.

    Every cell uses the same stream for a given repeat, so cells of a grid differ only by their
    settings (common random numbers), and a cell's result does not depend on the others.
    """
    return np.random.default_rng([int(seed), int(repeat)])


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

    The validation part gives the validation curve; the test part is not read.

    Returns
    -------
    network : Network
        Trained in place; weights may be non-finite if the fit diverged.
    history : History
        Curves of the Eq. 10 cost every ``record_every`` epochs.
    """
    missing = [key for key in SETTING_KEYS if key not in settings]
    if missing:
        raise ValueError(f"network setting lacks {missing}: {settings}")
    network = Network(
        [1, *settings["hidden_layers"], 1],
        hidden_activation=settings["activation"],
        output_activation="linear",
        initializer="normal",
        rng=rng,
    )
    history = train(
        network,
        split.z_train,
        split.y_train,
        loss="mse",
        optimizer=get_optimizer(settings["optimizer"], settings["learning_rate"]),
        epochs=int(settings["epochs"]),
        rng=rng,
        batch_size=settings["batch_size"],
        regularizer=get_regularizer(settings.get("penalty"), settings.get("lam", 0.0)),
        validation=(split.z_val, split.y_val),
        record_every=record_every,
    )
    return network, history


def curves_as_mse(history: History) -> dict:
    """Learning curves as Eq. 1 MSE (twice the recorded Eq. 10 cost): epoch, train_mse, val_mse lists."""
    return {
        "epoch": list(history.epoch),
        "train_mse": [2.0 * value for value in history.train_loss],
        "val_mse": [2.0 * value for value in history.val_loss],
    }


def fit_repeats(
    settings: dict,
    split: RungeSplit,
    seed: int,
    repeats: int,
    record_every: int = 1,
    evaluate_test: bool = False,
    x_dense: np.ndarray | None = None,
) -> list[dict]:
    """Train ``settings`` once per repeat and report each fit.

    Parameters
    ----------
    evaluate_test : bool, default False
        Also score the test part (Eq. 1 against the noisy test targets and against Runge's
        function itself). Only the final models of Table I set this.
    x_dense : ndarray of shape (m,) or None
        Raw inputs on which to record each fit's predictions (for fitted-curve figures).

    Returns
    -------
    list of dict
        Per repeat: repeat, train_mse, val_mse, diverged, epochs_run, seconds, curves
        (see :func:`curves_as_mse`), and test_mse, test_mse_true_function, prediction when asked.
    """
    fits = []
    for repeat in range(repeats):
        network, history = train_setting(settings, split, repeat_rng(seed, repeat), record_every)
        fit = {
            "repeat": repeat,
            "train_mse": mse(split.y_train, network.forward(split.z_train)),
            "val_mse": mse(split.y_val, network.forward(split.z_val)),
            "diverged": bool(history.diverged),
            "epochs_run": history.epochs_run,
            "seconds": history.seconds,
            "curves": curves_as_mse(history),
        }
        if evaluate_test:
            test_prediction = network.forward(split.z_test)
            fit["test_mse"] = mse(split.y_test, test_prediction)
            fit["test_mse_true_function"] = mse(runge(split.x_test), test_prediction)
        if x_dense is not None:
            fit["prediction"] = network.forward(split.scale(x_dense)).ravel().tolist()
        fits.append(fit)
    return fits


def as_score(value) -> float:
    """A validation MSE for ranking: a missing or non-finite one (a diverged fit) ranks last as +inf."""
    if value is None or not math.isfinite(value):
        return math.inf
    return float(value)


def summarise(fits: Iterable[dict], key: str) -> dict:
    """Median, min and max of ``key`` over repeats, a diverged fit counting as +inf.

    Returns ``{key_median, key_min, key_max}``; with three repeats one divergence raises the
    median to the worse of the other two, two divergences make it inf.
    """
    values = np.array([math.inf if fit["diverged"] else as_score(fit[key]) for fit in fits])
    return {f"{key}_median": float(np.median(values)), f"{key}_min": float(values.min()), f"{key}_max": float(values.max())}


def choose_best(cells: dict[str, dict]) -> str:
    """Id of the cell with the smallest median validation MSE (the first listed wins a tie).

    ``cells`` maps a cell id to its result, a dict with a ``fits`` list as written by the cell script.
    """
    if not cells:
        raise ValueError("no cells to choose from")
    scores = {cell: summarise(result["fits"], "val_mse")["val_mse_median"] for cell, result in cells.items()}
    return min(scores, key=scores.get)


@contextlib.contextmanager
def logged(log_files):
    """Send stdout and stderr to the first of Snakemake's ``log`` files (or leave them if none)."""
    if not log_files:
        yield
        return
    with open(log_files[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        try:
            yield
        except BaseException:
            traceback.print_exc(file=log)
            raise


def describe(settings: dict) -> str:
    """Short human description of a network setting, e.g. ``[50-50-1] sigmoid, adam, eta=0.01, b=32, 500 epochs``."""
    layers = "-".join(str(width) for width in [*settings["hidden_layers"], 1])
    batch = "full batch" if settings["batch_size"] is None else f"b={settings['batch_size']}"
    text = f"[{layers}] {settings['activation']}, {settings['optimizer']}, eta={settings['learning_rate']:g}, {batch}, {settings['epochs']} epochs"
    if settings.get("penalty"):
        text += f", {settings['penalty'].upper()} lambda={settings['lam']:g}"
    return text

