"""Our classifier against an equal ``torch.nn`` model (Section III.B.4, Fig. 15).

Both start from the same weights (ours copied, transposed, into ``torch.nn.Linear`` layers by
:func:`ffnn.verify.torch_twin.torch_twin`)
and see the same mini-batches in the same order: one ``numpy.random.Generator`` state drives
the shuffling of both, through :func:`ffnn.training.epoch_batches`, the order
:func:`ffnn.training.run_epoch` trains in. The optimiser is Adam on the mean softmax
cross-entropy plus the L2 penalty ``lambda * sum(W^2)`` on weights only (Eq. 11): ours adds
``2 lambda W`` to the gradient, torch's Adam does the same through ``weight_decay=2 lambda``
on the weight parameter group (an L2 term in the gradient, not decoupled decay).
"""

from __future__ import annotations

import copy
import time

import numpy as np
import pandas as pd
import torch

from ..data.fashion_mnist import N_CLASSES, N_PIXELS, load_fashion_mnist, scale_pixels, subsample_stratified
from ..estimators import accuracy_from_logits
from ..fashion.splits import load_splits
from ..layers import Sequential
from ..network import Network
from ..optimizers import get_optimizer
from ..regularizers import get_regularizer
from ..training import epoch_batches, train
from .torch_twin import ours_layout, torch_twin


def fashion_parts(
    arrays: dict[str, np.ndarray],
    splits: dict[str, np.ndarray],
    *,
    train_samples: int | None,
    dtype,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Scaled training, validation and test parts of Fashion-MNIST for the comparison.

    Parameters
    ----------
    arrays : dict
        As returned by :func:`ffnn.data.fashion_mnist.load_fashion_mnist`.
    splits : dict
        ``train_idx`` and ``val_idx`` into the published training set, as the FashionMNIST part
        writes them (:func:`ffnn.fashion.splits.load_splits`), so that both parts train on the
        same images.
    train_samples : int or None
        Stratified subsample of the training part; ``None`` keeps all of it.
    dtype : floating dtype
        Of the pixel arrays (scaled to [0, 1]).
    rng : numpy.random.Generator
        Draws the subsample.

    Returns
    -------
    dict
        ``X_train`` (n_train, 784), ``y_train`` (n_train,), ``X_val``, ``y_val``, ``X_test``, ``y_test``.

    Raises
    ------
    ValueError
        If ``train_samples`` exceeds the training part.
    """
    labels = arrays["y_train"]
    train_idx, val_idx = splits["train_idx"], splits["val_idx"]
    if train_samples is not None:
        if train_samples > train_idx.size:
            raise ValueError(f"train_samples={train_samples} exceeds the {train_idx.size} images of the training part")
        train_idx = train_idx[subsample_stratified(labels[train_idx], train_samples, rng)]
    return {
        "X_train": scale_pixels(arrays["x_train"][train_idx], dtype),
        "y_train": labels[train_idx],
        "X_val": scale_pixels(arrays["x_train"][val_idx], dtype),
        "y_val": labels[val_idx],
        "X_test": scale_pixels(arrays["x_test"], dtype),
        "y_test": arrays["y_test"],
    }


def starting_point(
    data_path, splits_path, settings: dict, *, train_samples: int | None, dtype, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], Network]:
    """The data parts and the initial network both comparisons start from.

    ``settings`` holds ``hidden_layers``, ``activation`` and ``initializer``; ``rng`` draws the
    training subsample first and then the initial weights, so a seed fixes both.
    """
    parts = fashion_parts(
        load_fashion_mnist(data_path), load_splits(splits_path), train_samples=train_samples, dtype=dtype, rng=rng
    )
    network = Network(
        [N_PIXELS, *settings["hidden_layers"], N_CLASSES],
        hidden_activation=settings["activation"],
        initializer=settings["initializer"],
        rng=rng,
        dtype=dtype,
    )
    return parts, network


def torch_adam(model: torch.nn.Sequential, learning_rate: float, l2_lambda: float) -> torch.optim.Adam:
    """Adam with the L2 gradient ``2 lambda W`` on the weights and kernels of ``Linear`` and
    ``Conv2d`` only: not on biases, nor on batch normalisation's scales.

    No betas or eps are passed: this relies on ``torch.optim.Adam``'s defaults ``betas=(0.9, 0.999)``,
    ``eps=1e-8`` being ours (and the study's, Section II), which ``tests/test_optimizers.py``
    checks. PyTorch's defaults for the other optimisers differ from ours (``torch.optim.SGD``
    momentum 0 against our 0.9, ``torch.optim.RMSprop`` alpha 0.99 against our beta 0.9); a
    comparison using them must set them."""
    penalised = {id(m.weight) for m in model.modules() if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d))}
    weights = [p for p in model.parameters() if id(p) in penalised]
    others = [p for p in model.parameters() if id(p) not in penalised]
    return torch.optim.Adam(
        [{"params": weights, "weight_decay": 2 * l2_lambda}, {"params": others, "weight_decay": 0.0}],
        lr=learning_rate,
    )


def torch_logits(model: torch.nn.Sequential, X: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """Logits ``(n, n_classes)`` for ``X`` of shape ``(n, n_inputs)``, evaluated in chunks without
    gradients and in ``eval()`` mode (no dropout), the model's mode restored afterwards."""
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return np.concatenate(
                [model(torch.from_numpy(X[start : start + chunk])).numpy() for start in range(0, len(X), chunk)]
            )
    finally:
        model.train(was_training)


def max_param_diff(network: Sequential, model: torch.nn.Sequential) -> float:
    """Largest absolute difference between any parameter of ``network`` and its copy in ``model``."""
    return float(
        max(np.max(np.abs(ours - theirs)) for ours, theirs in zip(network.params, ours_layout(model), strict=True))
    )


def _torch_step(model, optimizer, loss_fn, X_batch: torch.Tensor, y_batch: torch.Tensor) -> None:
    optimizer.zero_grad()
    loss_fn(model(X_batch), y_batch).backward()
    optimizer.step()


def step_parity(
    network: Sequential,
    X: np.ndarray,
    y: np.ndarray,
    X_probe: np.ndarray,
    *,
    steps: int,
    batch_size: int,
    learning_rate: float,
    l2_lambda: float,
    rng: np.random.Generator,
    record_every: int = 1,
) -> list[dict]:
    """Train ``network`` and its torch copy side by side, step by step, and record how far apart they drift.

    Parameters
    ----------
    network : Sequential
        The starting weights (trained in place); float64 makes the drift rounding only.
    X : ndarray of shape (n, n_inputs), in ``network``'s dtype
    y : ndarray of int, shape (n,)
        Class labels.
    X_probe : ndarray of shape (n_probe, n_inputs)
        Samples whose logits are compared.
    steps : int
        Optimiser steps (mini-batches), over as many epochs as needed.
    batch_size : int
    learning_rate, l2_lambda : float
        Adam's step size and the L2 strength lambda (weights only).
    rng : numpy.random.Generator
        Shuffles the samples each epoch.
    record_every : int, default 1
        Record after every this many steps (and at step 0, before any update, and after the last).

    Returns
    -------
    list of dict
        Rows ``step``, ``max_abs_logit_diff`` (on ``X_probe``), ``max_abs_param_diff``.
    """
    if steps < 1 or record_every < 1:
        raise ValueError(f"steps and record_every must be >= 1, got {steps} and {record_every}")
    model = torch_twin(network)
    torch_optimizer = torch_adam(model, learning_rate, l2_lambda)
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = get_optimizer("adam", learning_rate)
    regularizer = get_regularizer("l2", l2_lambda)
    X_torch, y_torch = torch.from_numpy(X), torch.from_numpy(np.asarray(y, dtype=np.int64))
    params = network.params

    def record(step):
        logit_diff = np.max(np.abs(network.forward(X_probe) - torch_logits(model, X_probe)))
        return {
            "step": step,
            "max_abs_logit_diff": float(logit_diff),
            "max_abs_param_diff": max_param_diff(network, model),
        }

    rows = [record(0)]
    step = 0
    while step < steps:
        for index in epoch_batches(len(X), batch_size, rng):
            _, grads = network.loss_and_gradients(X[index], y[index], "softmax_ce", regularizer)
            optimizer.step(params, grads)
            _torch_step(model, torch_optimizer, loss_fn, X_torch[index], y_torch[index])
            step += 1
            if step % record_every == 0 or step == steps:
                rows.append(record(step))
            if step == steps:
                break
    return rows


def train_torch(
    model: torch.nn.Sequential,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    l2_lambda: float,
    rng: np.random.Generator,
    validation: tuple[np.ndarray, np.ndarray],
) -> dict[str, list]:
    """Train ``model`` as :func:`ffnn.training.train` trains ours, recording accuracies per epoch.

    Parameters
    ----------
    model : torch.nn.Sequential
        Trained in place.
    X : ndarray of shape (n, n_inputs), in the model's dtype
    y : ndarray of int, shape (n,)
    epochs, batch_size : int
    learning_rate, l2_lambda : float
    rng : numpy.random.Generator
        Shuffles each epoch through :func:`ffnn.training.epoch_batches`.
    validation : (X_val, y_val)

    Returns
    -------
    dict
        ``train_accuracy`` and ``val_accuracy`` (lists, one per epoch) and ``seconds`` (training
        plus the per-epoch evaluation, as ours records it).
    """
    optimizer = torch_adam(model, learning_rate, l2_lambda)
    loss_fn = torch.nn.CrossEntropyLoss()
    X_torch, y_torch = torch.from_numpy(X), torch.from_numpy(np.asarray(y, dtype=np.int64))
    X_val, y_val = validation
    curves = {"train_accuracy": [], "val_accuracy": []}
    start = time.perf_counter()
    for _ in range(epochs):
        for index in epoch_batches(len(X), batch_size, rng):
            _torch_step(model, optimizer, loss_fn, X_torch[index], y_torch[index])
        curves["train_accuracy"].append(accuracy_from_logits(y, torch_logits(model, X)))
        curves["val_accuracy"].append(accuracy_from_logits(y_val, torch_logits(model, X_val)))
    curves["seconds"] = time.perf_counter() - start
    return curves


def compare_training(
    network: Sequential,
    X: np.ndarray,
    y: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    l2_lambda: float,
    rng: np.random.Generator,
) -> tuple[torch.nn.Sequential, dict[str, dict]]:
    """Train ``network`` with :func:`ffnn.training.train` and its torch copy with :func:`train_torch`.

    Both start from ``network``'s current weights and draw their batch orders from copies of
    one generator state, so they see the same batches; in float32 their rounding differs and
    the trajectories part slowly, which is what the curves show.

    Parameters
    ----------
    network : Sequential
        Trained in place.
    X, y : training images (n, n_inputs) in ``network``'s dtype and labels (n,)
    X_val, y_val : validation images and labels, for the curves
    epochs, batch_size, learning_rate, l2_lambda
        The study's settings: Adam, L2 on weights.
    rng : numpy.random.Generator
        Its current state orders the batches of both.

    Returns
    -------
    model : torch.nn.Sequential
        The trained torch copy.
    curves : dict
        ``{"ours": ..., "torch": ...}``, each with ``train_accuracy``, ``val_accuracy`` (per epoch)
        and ``seconds``.
    """
    model = torch_twin(network)
    torch_rng = copy.deepcopy(rng)
    history = train(
        network,
        X,
        y,
        loss="softmax_ce",
        optimizer=get_optimizer("adam", learning_rate),
        epochs=epochs,
        rng=rng,
        batch_size=batch_size,
        regularizer=get_regularizer("l2", l2_lambda),
        validation=(X_val, y_val),
        metric=accuracy_from_logits,
    )
    if history.diverged:
        raise RuntimeError(f"our network diverged after {history.epochs_run} epochs")
    ours = {"train_accuracy": history.train_metric, "val_accuracy": history.val_metric, "seconds": history.seconds}
    theirs = train_torch(
        model,
        X,
        y,
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        l2_lambda=l2_lambda,
        rng=torch_rng,
        validation=(X_val, y_val),
    )
    return model, {"ours": ours, "torch": theirs}


def comparison_tables(
    network: Sequential,
    parts: dict[str, np.ndarray],
    *,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    l2_lambda: float,
    logit_samples: int,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Run :func:`compare_training` and tabulate its curves, final accuracies and test logits.

    Parameters
    ----------
    network : Network
        Starting weights for both (trained in place).
    parts : dict
        As returned by :func:`fashion_parts`, in ``network``'s dtype.
    epochs, batch_size, learning_rate, l2_lambda
        Training settings shared by both.
    logit_samples : int
        Test samples (drawn at random, all classes' logits kept) for the logit parity plot.
    rng : numpy.random.Generator
        Orders the batches, then draws the logit samples.

    Returns
    -------
    curves : DataFrame
        ``framework`` (``"ours"``, ``"torch"``), ``epoch``, ``train_accuracy``, ``val_accuracy``.
    summary : DataFrame
        ``framework``, ``test_accuracy``, ``val_accuracy`` (last epoch), ``seconds`` (training and
        per-epoch evaluation), ``epochs``, ``train_samples``, ``val_samples``.
    logits : DataFrame
        ``sample`` (test index), ``label``, ``logit_class``, ``ours``, ``torch``.
    """
    model, curves = compare_training(
        network,
        parts["X_train"],
        parts["y_train"],
        parts["X_val"],
        parts["y_val"],
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        l2_lambda=l2_lambda,
        rng=rng,
    )
    test_logits = {"ours": network.forward(parts["X_test"]), "torch": torch_logits(model, parts["X_test"])}
    curve_rows, summary_rows = [], []
    for framework, curve in curves.items():
        n_epochs = len(curve["train_accuracy"])
        curve_rows.append(
            pd.DataFrame(
                {
                    "framework": framework,
                    "epoch": np.arange(1, n_epochs + 1),
                    "train_accuracy": curve["train_accuracy"],
                    "val_accuracy": curve["val_accuracy"],
                }
            )
        )
        summary_rows.append(
            {
                "framework": framework,
                "test_accuracy": accuracy_from_logits(parts["y_test"], test_logits[framework]),
                "val_accuracy": curve["val_accuracy"][-1],
                "seconds": curve["seconds"],
                "epochs": n_epochs,
                "train_samples": len(parts["X_train"]),
                "val_samples": len(parts["X_val"]),
            }
        )
    n_test, n_classes = test_logits["ours"].shape
    samples = np.sort(rng.choice(n_test, size=min(logit_samples, n_test), replace=False))
    logits = pd.DataFrame(
        {
            "sample": np.repeat(samples, n_classes),
            "label": np.repeat(parts["y_test"][samples], n_classes),
            "logit_class": np.tile(np.arange(n_classes), len(samples)),
            "ours": test_logits["ours"][samples].ravel(),
            "torch": test_logits["torch"][samples].ravel(),
        }
    )
    return pd.concat(curve_rows, ignore_index=True), pd.DataFrame(summary_rows), logits
