"""The training loop: epochs of shuffled mini-batches, learning curves and divergence."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Protocol
from collections.abc import Callable, Iterator

import numpy as np

from .losses import Loss, get_loss
from .optimizers import Optimizer
from .regularizers import Regularizer

Metric = Callable[[np.ndarray, np.ndarray], float]


class Trainable(Protocol):
    """What :func:`train` uses of a model: :class:`ffnn.layers.Sequential` has it, and so the
    dense :class:`ffnn.network.Network` and the FashionMNIST CNN."""

    dtype: np.dtype

    @property
    def params(self) -> list[np.ndarray]:
        """The live parameter arrays; the optimiser updates them in place."""

    @property
    def penalised(self) -> list[bool]:
        """Per entry of ``params``, whether an L1/L2 penalty applies to it."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Output ``(n_samples, n_outputs)`` in inference mode."""

    def gradient_buffers(self) -> list[np.ndarray]:
        """Arrays shaped like ``params``, for the ``out`` argument of :meth:`loss_and_gradients`."""

    def loss_and_gradients(
        self,
        X: np.ndarray,
        y: np.ndarray,
        loss: str | Loss,
        regularizer: Regularizer | None = None,
        *,
        out: list[np.ndarray] | None = None,
    ) -> tuple[float, list[np.ndarray]]:
        """Loss on ``(X, y)`` in training mode and its gradients with respect to ``params``, into ``out`` if given."""


@dataclass
class History:
    """Per-epoch learning curves of one fit.

    ``epoch`` lists the recorded epochs (1-based); ``train_loss``, ``val_loss`` and ``test_loss``
    are the unpenalised loss (Eq. 10 or 15) on the whole training, validation and test sets after
    each epoch; the metric lists follow the same pattern and stay empty without a metric, and
    the test lists stay empty without test data. A fit whose loss became NaN or infinite stops
    at once with ``diverged = True``.
    """

    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_metric: list[float] = field(default_factory=list)
    val_metric: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_metric: list[float] = field(default_factory=list)
    diverged: bool = False
    epochs_run: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def _predict_in_chunks(network: Trainable, X: np.ndarray, chunk: int = 8192) -> np.ndarray:
    return np.concatenate([network.forward(X[start : start + chunk]) for start in range(0, len(X), chunk)])


def epoch_batches(n_samples: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray | slice]:
    """Row indices of one epoch's mini-batches, in the order training visits them.

    One ``rng.permutation(n_samples)`` per epoch, cut into consecutive batches of ``batch_size``
    (the last may be smaller). When one batch holds every sample no permutation is drawn and the
    batch is ``slice(None)``, so that full-batch training reads ``X`` without copying it.
    :mod:`ffnn.verify.torch_parity` orders PyTorch's batches with it too.
    """
    if batch_size >= n_samples:
        yield slice(None)
        return
    order = rng.permutation(n_samples)
    for first in range(0, n_samples, batch_size):
        yield order[first : first + batch_size]


def run_epoch(
    network: Trainable,
    X: np.ndarray,
    y: np.ndarray,
    loss: Loss,
    optimizer: Optimizer,
    rng: np.random.Generator,
    batch_size: int,
    regularizer: Regularizer | None = None,
) -> bool:
    """One pass of mini-batch updates over ``(X, y)`` in the order of :func:`epoch_batches`.

    ``X`` must already have the network's dtype. Returns False as soon as a batch loss is
    not finite (the update that would follow is skipped), True otherwise.
    """
    params = network.params
    grads = network.gradient_buffers()
    # The optimiser adds the penalty gradient in its own pass over each weight matrix.
    penalties = [regularizer if penalised else None for penalised in network.penalised]
    for index in epoch_batches(len(X), batch_size, rng):
        # A non-finite penalty would come with non-finite outputs, so the data loss alone
        # detects divergence; the penalty's value is not needed.
        batch_loss, _ = network.loss_and_gradients(X[index], y[index], loss, out=grads)
        if not np.isfinite(batch_loss):
            return False
        optimizer.step(params, grads, penalties)
    return True


def train(
    network: Trainable,
    X: np.ndarray,
    y: np.ndarray,
    *,
    loss: str | Loss,
    optimizer: Optimizer,
    epochs: int,
    rng: np.random.Generator,
    batch_size: int | None = None,
    regularizer: Regularizer | None = None,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    metric: Metric | None = None,
    record_every: int = 1,
    test: tuple[np.ndarray, np.ndarray] | None = None,
) -> History:
    """Train ``network`` in place and return its learning curves.

    Parameters
    ----------
    network : Trainable
        A dense :class:`~ffnn.network.Network`, the CNN, or any :class:`~ffnn.layers.Sequential`.
    X : ndarray of shape (n_samples, n_inputs)
    y : ndarray
        Targets in the form ``loss`` expects: ``(n_samples, n_outputs)`` for ``"mse"``,
        integer labels ``(n_samples,)`` for ``"softmax_ce"``.
    epochs : int
        Passes over the training set.
    rng : numpy.random.Generator
        Shuffles the samples at the start of every epoch.
    batch_size : int or None, default None
        Mini-batch size; ``None`` (or a size >= n_samples) is full-batch gradient descent.
    regularizer : Regularizer or None
        Penalty added to the loss being minimised (the recorded curves leave it out).
    validation : (X_val, y_val) or None
        Evaluated after every recorded epoch.
    metric : callable ``metric(y_true, output) -> float`` or None
        Recorded next to the loss, e.g. accuracy on logits.
    record_every : int, default 1
        Evaluate the curves every this many epochs (and after the last); long runs on
        tiny data spend most of their time on evaluation otherwise.
    test : (X_test, y_test) or None
        Scored after every recorded epoch, like ``validation``, so that a grid can report the
        test curves a study published. Only recorded: nothing here reads it, and training and
        its random stream are the same with or without it.
    """
    if epochs < 1 or record_every < 1:
        raise ValueError(f"epochs and record_every must be >= 1, got {epochs} and {record_every}")
    loss = get_loss(loss)
    X = np.ascontiguousarray(X, dtype=network.dtype)
    n_samples = len(X)
    if len(y) != n_samples:
        raise ValueError(f"X has {n_samples} samples but y has {len(y)}")
    if y.dtype.kind == "f":
        y = y.astype(network.dtype, copy=False)
    batch = n_samples if batch_size is None else min(int(batch_size), n_samples)
    if batch < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    held_out = {}  # curve prefix -> (X, y), scored after every recorded epoch
    for prefix, part in (("val", validation), ("test", test)):
        if part is not None:
            held_out[prefix] = (np.ascontiguousarray(part[0], dtype=network.dtype), part[1])

    history = History()
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        history.diverged = not run_epoch(network, X, y, loss, optimizer, rng, batch, regularizer)
        history.epochs_run = epoch
        if history.diverged:
            break
        if epoch % record_every == 0 or epoch == epochs:
            history.epoch.append(epoch)
            output = _predict_in_chunks(network, X)
            history.train_loss.append(loss(output, y))
            if metric is not None:
                history.train_metric.append(metric(y, output))
            for prefix, (X_held, y_held) in held_out.items():
                held_output = _predict_in_chunks(network, X_held)
                getattr(history, f"{prefix}_loss").append(loss(held_output, y_held))
                if metric is not None:
                    getattr(history, f"{prefix}_metric").append(metric(y_held, held_output))
            if not np.isfinite(history.train_loss[-1]):
                history.diverged = True
                break
    history.seconds = time.perf_counter() - start
    return history
