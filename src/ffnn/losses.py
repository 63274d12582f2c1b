"""Loss functions on network outputs, each with its gradient.

``output`` is the network's final-layer output of shape ``(n_samples, n_outputs)``.
The classification losses take raw logits and apply sigmoid/softmax inside, the stable
formulation of Sections II.A.3 (Eqs. 12-15). Softmax cross-entropy on integer labels computes
its value and gradient with a fused kernel of :mod:`ffnn.kernels.losses` unless inside
:func:`ffnn.kernels.numpy_reference`.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .kernels import losses as fused


class Loss:
    name = "loss"

    def __call__(self, output: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    def gradient(self, output: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Gradient of the mean loss with respect to ``output``, same shape as ``output``."""
        raise NotImplementedError

    def value_and_gradient(self, output: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """``(loss(output, y), gradient(output, y))``; subclasses share work between the two."""
        return self(output, y), self.gradient(output, y)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """``1/(2n) sum (output - y)^2`` (Eq. 10); ``y`` has the shape of ``output``.

    With a single output column this is half the usual MSE of Eq. 1, which is the
    convention of scikit-learn's ``MLPRegressor`` too.
    """

    name = "mse"

    def __call__(self, output, y):
        residual = output - y.reshape(output.shape)
        return float(0.5 * np.mean(np.sum(residual**2, axis=1)))

    def gradient(self, output, y):
        # Cast so that float64 (or integer) targets do not promote a float32 network's gradients.
        return (output - y.reshape(output.shape).astype(output.dtype, copy=False)) / output.shape[0]


class BinaryCrossEntropy(Loss):
    """Log loss on logits (Eq. 12), ``y`` in {0, 1} with the shape of ``output``.

    Uses ``log(1 + exp(-|z|))`` so that large logits neither overflow nor give log(0).
    The gradient with respect to the logits is ``(sigmoid(z) - y) / n`` (Eq. 13).
    """

    name = "bce"

    def __call__(self, output, y):
        y = y.reshape(output.shape)
        per_sample = np.maximum(output, 0) - output * y + np.log1p(np.exp(-np.abs(output)))
        return float(np.mean(np.sum(per_sample, axis=1)))

    def gradient(self, output, y):
        probability = 0.5 * (1.0 + np.tanh(0.5 * output))  # stable sigmoid
        return (probability - y.reshape(output.shape).astype(output.dtype, copy=False)) / output.shape[0]


class SoftmaxCrossEntropy(Loss):
    """Softmax cross-entropy on logits (Eqs. 14-15).

    ``y`` is either integer class labels of shape ``(n,)`` or one-hot rows ``(n, K)``.
    The gradient with respect to the logits is ``(softmax(z) - onehot(y)) / n``.
    """

    name = "softmax_ce"

    @staticmethod
    def _log_softmax(output):
        shifted = output - output.max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

    @staticmethod
    def _labels(y, n_classes):
        if y.ndim == 2 and y.shape[1] == n_classes and n_classes > 1:
            return None  # already one-hot
        return y.reshape(-1).astype(np.intp)

    def __call__(self, output, y):
        return self._value(self._log_softmax(output), y)

    def gradient(self, output, y):
        return self._gradient(self._log_softmax(output), y)

    def value_and_gradient(self, output, y):
        # The training loop needs the two on every batch: one pass of the fused kernel, or
        # one log-softmax for both in the reference (also for one-hot targets).
        labels = self._labels(y, output.shape[1])
        if labels is not None and kernels.fused_enabled():
            grad = np.empty_like(output)
            return fused.softmax_cross_entropy(output, labels, grad), grad
        log_p = self._log_softmax(output)
        return self._value(log_p, y), self._gradient(log_p, y)

    def _value(self, log_p, y):
        labels = self._labels(y, log_p.shape[1])
        if labels is None:
            return float(-np.mean(np.sum(y * log_p, axis=1)))
        return float(-np.mean(log_p[np.arange(len(labels)), labels]))

    def _gradient(self, log_p, y):
        grad = np.exp(log_p)
        labels = self._labels(y, log_p.shape[1])
        if labels is None:
            grad -= y
        else:
            grad[np.arange(len(labels)), labels] -= 1
        grad /= log_p.shape[0]
        return grad


LOSSES = {cls.name: cls for cls in (MeanSquaredError, BinaryCrossEntropy, SoftmaxCrossEntropy)}


def get_loss(spec: str | Loss) -> Loss:
    """Return a loss from its name (``"mse"``, ``"bce"``, ``"softmax_ce"``) or pass an instance through."""
    if isinstance(spec, Loss):
        return spec
    try:
        return LOSSES[spec]()
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {spec!r}; choose one of {sorted(LOSSES)}") from None
