"""Fully connected layer, with its activation fused into the bias pass."""

from __future__ import annotations

import numpy as np

from ..activations import Activation, get_activation
from ..initializers import get_initializer
from .base import WeightedLayer


class Dense(WeightedLayer):
    """``f(x @ W + b)`` for ``x`` of shape ``(n, n_in)``, ``W`` of shape ``(n_in, n_out)``, ``b`` of shape ``(n_out,)``.

    The bias and the activation ``f`` go through :meth:`Activation.forward_with_bias` and
    :meth:`Activation.backward_with_bias_gradient`: one fused pass each way for ReLU, leaky ReLU,
    sigmoid and tanh instead of separate passes for the bias, the activation and the bias gradient.

    Parameters
    ----------
    n_in, n_out : int
    rng : numpy.random.Generator
        Draws the initial weights (one ``initializer(n_in, n_out, rng, dtype)`` call); biases start at zero.
    activation : str or Activation, default "linear"
        A name of :func:`ffnn.activations.get_activation` or an instance; ``"linear"`` is the
        affine map alone, e.g. for logits.
    initializer : str or callable, default "he"
    dtype : numpy dtype, default float64
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        rng: np.random.Generator,
        activation: str | Activation = "linear",
        initializer="he",
        dtype=np.float64,
    ):
        if min(n_in, n_out) < 1:
            raise ValueError(f"Dense needs n_in and n_out >= 1, got {n_in} and {n_out}")
        self.activation = get_activation(activation)
        self.W = get_initializer(initializer)(n_in, n_out, rng, np.dtype(dtype))
        self.b = np.zeros(n_out, dtype=dtype)

    def output_shape(self, input_shape):
        if tuple(input_shape) != (len(self.W),):
            raise ValueError(f"Dense expects samples of shape ({len(self.W)},), got {tuple(input_shape)}")
        return (self.W.shape[1],)

    def forward(self, x, training=False):
        z = x @ self.W
        out = self.activation.forward_with_bias(z, self.b)  # adds b to z in place
        if training:
            self._input, self._z = x, z
        return out

    def backward(self, grad_output, grads, input_gradient=True):
        delta = self.activation.backward_with_bias_gradient(self._z, grad_output, grads[1])
        np.matmul(self._input.T, delta, out=grads[0])
        return delta @ self.W.T if input_gradient else None

    def __repr__(self) -> str:
        shape = f"{self.W.shape[0]}->{self.W.shape[1]}"
        return f"Dense({shape})" if self.activation.name == "linear" else f"Dense({shape}, {self.activation!r})"
