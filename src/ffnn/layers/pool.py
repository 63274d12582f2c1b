"""Max pooling over square windows."""

from __future__ import annotations

import functools

import numpy as np

from .. import kernels
from ..kernels.pooling import max_pool_backward, max_pool_forward
from .base import Layer
from .windows import offset_views, output_size


class MaxPool2D(Layer):
    """Largest value of each ``pool_size x pool_size`` window of ``(n, C, H, W)`` images.

    The maximum is taken across the window's offsets, one elementwise ``maximum`` per offset over
    all samples, channels and positions at once. The gradient goes to each window's first largest
    entry (in row-major order within the window). Windows that would run past the image are
    dropped (PyTorch's default ``ceil_mode=False``). The fused kernels of
    :mod:`ffnn.kernels.pooling` do each pass in one loop with the same results; inside
    :func:`ffnn.kernels.numpy_reference` the NumPy code here runs.

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
        return (
            channels,
            output_size(height, self.pool_size, self.stride),
            output_size(width, self.pool_size, self.stride),
        )

    def _offset_views(self, image: np.ndarray):
        _, h_out, w_out = self.output_shape((None, *image.shape[1:3]))
        return offset_views(image, (self.pool_size, self.pool_size), self.stride, (h_out, w_out))

    def forward(self, x, training=False):
        image = x.transpose(0, 2, 3, 1)
        if kernels.fused_enabled():
            channels, h_out, w_out = self.output_shape(x.shape[1:])
            out = np.empty((len(x), h_out, w_out, channels), dtype=x.dtype)
            first_max = np.empty(out.shape, dtype=np.int32)
            max_pool_forward(image, self.pool_size, self.stride, out, first_max)
        else:
            out = functools.reduce(np.maximum, (view for _, _, view in self._offset_views(image)))
            first_max = None
        if training:
            self._cache = (image, out, first_max)
        return out.transpose(0, 3, 1, 2)

    def backward(self, grad_output, grads, input_gradient=True):
        if not input_gradient:
            return None
        image, out, first_max = self._cache
        grad_out = grad_output.transpose(0, 2, 3, 1)
        if first_max is not None:
            grad_image = np.empty(image.shape, dtype=grad_output.dtype)
            max_pool_backward(grad_out, first_max, self.pool_size, self.stride, grad_image)
            return grad_image.transpose(0, 3, 1, 2)
        grad_image = np.zeros(image.shape, dtype=grad_output.dtype)
        unclaimed = np.ones(out.shape, dtype=bool)
        for (_, _, pixels), (_, _, grad_view) in zip(
            self._offset_views(image), self._offset_views(grad_image), strict=True
        ):
            first = pixels == out
            first &= unclaimed
            unclaimed &= ~first
            grad_view += grad_out * first
        return grad_image.transpose(0, 3, 1, 2)

    def __repr__(self) -> str:
        return f"MaxPool2D({self.pool_size}, stride={self.stride})"
