"""Two-dimensional convolution as one matrix product per batch (im2col)."""

from __future__ import annotations

import math

import numpy as np

from ..initializers import get_initializer
from .base import Layer
from .windows import add_windows, output_size, windows

PADDINGS = ("valid", "same")


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Zeros ``(before, after)`` along an axis so that ``ceil(size / stride)`` windows fit (TensorFlow's "same")."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv2D(Layer):
    """Cross-correlation of ``(n, C_in, H, W)`` images with ``C_out`` kernels, plus a bias per kernel.

    The forward pass copies every window into a matrix of shape ``(n H_out W_out, C_in k_h k_w)``
    and multiplies it by the kernels as a ``(C_in k_h k_w, C_out)`` matrix; the backward pass
    reuses that matrix for the kernel gradient, and a second product gives the windows' gradients,
    summed back onto the image by :func:`~ffnn.layers.windows.add_windows`.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int or (int, int)
    rng : numpy.random.Generator
        Draws the initial kernels.
    stride : int, default 1
    padding : {"valid", "same"}, default "valid"
        ``"valid"`` adds no zeros; ``"same"`` adds zeros so that ``H_out = ceil(H / stride)``.
    initializer : str or callable, default "he"
        Called with ``fan_in = C_in k_h k_w`` and ``fan_out = C_out``.
    dtype : numpy dtype, default float64
    """

    def __init__(self, in_channels, out_channels, kernel_size, rng, stride=1, padding="valid", initializer="he", dtype=np.float64):
        kernel = (kernel_size, kernel_size) if np.isscalar(kernel_size) else tuple(kernel_size)
        if min(in_channels, out_channels, *kernel, stride) < 1:
            raise ValueError(f"channels, kernel size and stride must be >= 1, got {in_channels}, {out_channels}, {kernel}, {stride}")
        if padding not in PADDINGS:
            raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}")
        self.kernel_size, self.stride, self.padding = kernel, int(stride), padding
        fan_in = in_channels * kernel[0] * kernel[1]
        matrix = get_initializer(initializer)(fan_in, out_channels, rng, np.dtype(dtype))
        self.W = np.ascontiguousarray(matrix.T).reshape(out_channels, in_channels, *kernel)
        self.b = np.zeros(out_channels, dtype=dtype)

    @property
    def params(self):
        return [self.W, self.b]

    @property
    def weights(self):
        return [self.W]

    def _pads(self, height: int, width: int) -> tuple[tuple[int, int], tuple[int, int]]:
        if self.padding == "valid":
            return (0, 0), (0, 0)
        return same_padding(height, self.kernel_size[0], self.stride), same_padding(width, self.kernel_size[1], self.stride)

    def output_shape(self, input_shape):
        _, height, width = input_shape
        (top, bottom), (left, right) = self._pads(height, width)
        return (
            self.W.shape[0],
            output_size(height + top + bottom, self.kernel_size[0], self.stride),
            output_size(width + left + right, self.kernel_size[1], self.stride),
        )

    def forward(self, x, training=False):
        n, channels, height, width = x.shape
        if channels != self.W.shape[1]:
            raise ValueError(f"Conv2D expects {self.W.shape[1]} input channels, got input of shape {x.shape}")
        pads = self._pads(height, width)
        padded = np.pad(x, ((0, 0), (0, 0), *pads)) if any(sum(p) for p in pads) else x
        view = windows(padded, self.kernel_size, self.stride)
        _, _, h_out, w_out, _, _ = view.shape
        columns = view.transpose(0, 2, 3, 1, 4, 5).reshape(n * h_out * w_out, -1)
        out = columns @ self.W.reshape(len(self.W), -1).T
        out += self.b
        if training:
            self._cache = (columns, padded.shape, pads, (n, h_out, w_out))
        # A view in NCHW order over the (n, H_out, W_out, C_out) product: no copy here.
        return out.reshape(n, h_out, w_out, -1).transpose(0, 3, 1, 2)

    def backward(self, grad_output, grads, input_gradient=True):
        columns, padded_shape, ((top, bottom), (left, right)), (n, h_out, w_out) = self._cache
        out_channels = len(self.W)
        grad_rows = grad_output.transpose(0, 2, 3, 1).reshape(-1, out_channels)
        np.matmul(grad_rows.T, columns, out=grads[0].reshape(out_channels, -1))
        grad_rows.sum(axis=0, out=grads[1])
        if not input_gradient:
            return None
        grad_columns = grad_rows @ self.W.reshape(out_channels, -1)
        window_grads = grad_columns.reshape(n, h_out, w_out, -1, *self.kernel_size).transpose(0, 3, 1, 2, 4, 5)
        grad_padded = add_windows(window_grads, padded_shape, self.stride)
        return grad_padded[:, :, top : padded_shape[2] - bottom, left : padded_shape[3] - right]

    def __repr__(self) -> str:
        out_channels, in_channels, k_h, k_w = self.W.shape
        return f"Conv2D({in_channels}->{out_channels}, {k_h}x{k_w}, stride={self.stride}, padding={self.padding!r})"
