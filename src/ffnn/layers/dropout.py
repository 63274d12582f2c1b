"""Inverted dropout: active in training only."""

from __future__ import annotations

import numpy as np

from .base import Layer


class Dropout(Layer):
    """In training, zero each entry with probability ``rate`` and scale the rest by ``1 / (1 - rate)``.

    Outside training it is the identity, so predictions need no rescaling.

    Parameters
    ----------
    rate : float
        Share of entries dropped, in [0, 1).
    rng : numpy.random.Generator
        Draws the masks, one per training forward pass.
    """

    def __init__(self, rate: float, rng: np.random.Generator):
        if not 0 <= rate < 1:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate!r}")
        self.rate, self.rng = float(rate), rng

    def forward(self, x, training=False):
        if not training:
            return x
        keep = self.rng.random(x.shape, dtype=x.dtype) >= self.rate
        self._mask = np.multiply(keep, 1 / (1 - self.rate), dtype=x.dtype)
        return x * self._mask

    def backward(self, grad_output, grads, input_gradient=True):
        return grad_output * self._mask if input_gradient else None

    def __repr__(self) -> str:
        return f"Dropout({self.rate})"
