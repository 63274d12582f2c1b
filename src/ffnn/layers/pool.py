"""Max pooling over square windows."""

from __future__ import annotations

import numpy as np

from .base import Layer
from .windows import add_windows, output_size, windows


class MaxPool2D(Layer):
    """Largest value of each ``pool_size x pool_size`` window of ``(n, C, H, W)`` images.

    The gradient goes to the window's first largest entry. Windows that would run past the
    image are dropped (PyTorch's default ``ceil_mode=False``).

    Parameters
    ----------
    pool_size : int, default 2
    stride : int or None, default None
        ``None`` moves by ``pool_size`` (windows do not overlap).
    """

    def __init__(self, pool_size: int = 2, stride: int | None = None):
        self.pool_size = int(pool_size)
        self.stride = self.pool_size if stride is None else int(stride)
        if min(self.pool_size, self.stride) < 1:
            raise ValueError(f"pool_size and stride must be >= 1, got {pool_size} and {stride}")

    def output_shape(self, input_shape):
        channels, height, width = input_shape
        return channels, output_size(height, self.pool_size, self.stride), output_size(width, self.pool_size, self.stride)

    def forward(self, x, training=False):
        view = windows(x, (self.pool_size, self.pool_size), self.stride)
        flat = view.reshape(*view.shape[:4], -1)
        where = np.argmax(flat, axis=-1)[..., None]
        if training:
            self._cache = (where, x.shape)
        return np.take_along_axis(flat, where, axis=-1)[..., 0]

    def backward(self, grad_output, grads, input_gradient=True):
        if not input_gradient:
            return None
        where, input_shape = self._cache
        window_grads = np.zeros((*grad_output.shape, self.pool_size**2), dtype=grad_output.dtype)
        np.put_along_axis(window_grads, where, grad_output[..., None], axis=-1)
        window_grads = window_grads.reshape(*grad_output.shape, self.pool_size, self.pool_size)
        return add_windows(window_grads, input_shape, self.stride)

    def __repr__(self) -> str:
        return f"MaxPool2D({self.pool_size}, stride={self.stride})"
