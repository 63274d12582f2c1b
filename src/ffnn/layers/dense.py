"""Fully connected layer."""

from __future__ import annotations

import numpy as np

from ..initializers import get_initializer
from .base import WeightedLayer


class Dense(WeightedLayer):
    """``x @ W + b`` for ``x`` of shape ``(n, n_in)``, ``W`` of shape ``(n_in, n_out)``, ``b`` of shape ``(n_out,)``.

    Parameters
    ----------
    n_in, n_out : int
    rng : numpy.random.Generator
        Draws the initial weights; biases start at zero.
    initializer : str or callable, default "he"
    dtype : numpy dtype, default float64
    """

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator, initializer="he", dtype=np.float64):
        if min(n_in, n_out) < 1:
            raise ValueError(f"Dense needs n_in and n_out >= 1, got {n_in} and {n_out}")
        self.W = get_initializer(initializer)(n_in, n_out, rng, np.dtype(dtype))
        self.b = np.zeros(n_out, dtype=dtype)

    def output_shape(self, input_shape):
        if tuple(input_shape) != (len(self.W),):
            raise ValueError(f"Dense expects samples of shape ({len(self.W)},), got {tuple(input_shape)}")
        return (self.W.shape[1],)

    def forward(self, x, training=False):
        out = x @ self.W
        out += self.b
        if training:
            self._input = x
        return out

    def backward(self, grad_output, grads, input_gradient=True):
        np.matmul(self._input.T, grad_output, out=grads[0])
        grad_output.sum(axis=0, out=grads[1])
        return grad_output @ self.W.T if input_gradient else None

    def __repr__(self) -> str:
        return f"Dense({self.W.shape[0]}->{self.W.shape[1]})"
