"""Two-dimensional convolution as one matrix product per batch (im2col)."""

from __future__ import annotations

import math

import numpy as np

from ..activations import Activation, get_activation
from ..initializers import get_initializer
from .base import WeightedLayer
from .windows import offset_views, output_size, windows

PADDINGS = ("valid", "same")


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Zeros ``(before, after)`` along an axis so that ``ceil(size / stride)`` windows fit (TensorFlow's "same")."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv2D(WeightedLayer):
    """``f(x * W + b)``: cross-correlation of ``(n, C_in, H, W)`` images with ``C_out`` kernels, plus a
    bias per kernel, through an activation ``f``.

    The forward pass copies every window (through a strided view, :func:`~ffnn.layers.windows.windows`)
    into a matrix of shape ``(n H_out W_out, k_h k_w C_in)`` and multiplies it by the kernels as a
    ``(k_h k_w C_in, C_out)`` matrix: one product per batch. The bias and the activation are one fused
    pass over that product each way, as in :class:`~ffnn.layers.Dense`. The backward pass reuses the
    window matrix for the kernel gradient. The input's gradient is added back onto the pixels the
    windows were copied from (col2im) one window offset at a time: the output's gradient times that
    offset's ``(C_out, C_in)`` slice of the kernels, added onto the image shifted by the offset. Each
    product stays in cache until its addition, where one product for all offsets would write a
    window-matrix-sized array to memory and read it back.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int or (int, int)
    rng : numpy.random.Generator
        Draws the initial kernels.
    stride : int, default 1
    padding : {"valid", "same"}, default "valid"
        ``"valid"`` adds no zeros; ``"same"`` adds zeros so that ``H_out = ceil(H / stride)``.
    activation : str or Activation, default "linear"
        A name of :func:`ffnn.activations.get_activation` or an instance.
    initializer : str or callable, default "he"
        Called with ``fan_in = C_in k_h k_w`` and ``fan_out = C_out``.
    dtype : numpy dtype, default float64
    """

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        rng,
        stride=1,
        padding="valid",
        activation: str | Activation = "linear",
        initializer="he",
        dtype=np.float64,
    ):
        kernel = (kernel_size, kernel_size) if np.isscalar(kernel_size) else tuple(kernel_size)
        if min(in_channels, out_channels, *kernel, stride) < 1:
            raise ValueError(
                f"channels, kernel size and stride must be >= 1, got {in_channels}, {out_channels}, {kernel}, {stride}"
            )
        if padding not in PADDINGS:
            raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}")
        self.kernel_size, self.stride, self.padding = kernel, int(stride), padding
        self.activation = get_activation(activation)
        fan_in = in_channels * kernel[0] * kernel[1]
        matrix = get_initializer(initializer)(fan_in, out_channels, rng, np.dtype(dtype))
        self.W = np.ascontiguousarray(matrix.T).reshape(out_channels, in_channels, *kernel)
        self.b = np.zeros(out_channels, dtype=dtype)

    def _pads(self, height: int, width: int) -> tuple[tuple[int, int], tuple[int, int]]:
        if self.padding == "valid":
            return (0, 0), (0, 0)
        return same_padding(height, self.kernel_size[0], self.stride), same_padding(
            width, self.kernel_size[1], self.stride
        )

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
        (top, bottom), (left, right) = pads = self._pads(height, width)
        image = x.transpose(0, 2, 3, 1)
        if top + bottom + left + right:
            image = np.pad(image, ((0, 0), (top, bottom), (left, right), (0, 0)))
        view = windows(image, self.kernel_size, self.stride)
        _, h_out, w_out = view.shape[:3]
        # Rows are windows, ordered (k_h, k_w, C_in) so that each copied run is a pixel's channels.
        columns = view.transpose(0, 1, 2, 4, 5, 3).reshape(n * h_out * w_out, -1)
        z = columns @ self._kernel_matrix()
        out = self.activation.forward_with_bias(z, self.b)  # adds b to z in place
        if training:
            self._cache = (columns, z, image.shape, pads)
        # NCHW view of the (n, H_out, W_out, C_out) product: no copy, and the next layers keep its memory order.
        return out.reshape(n, h_out, w_out, -1).transpose(0, 3, 1, 2)

    def _kernel_matrix(self) -> np.ndarray:
        """The kernels as a ``(k_h k_w C_in, C_out)`` matrix, rows in the order of the window matrix's columns."""
        return self.W.transpose(2, 3, 1, 0).reshape(-1, len(self.W))

    def backward(self, grad_output, grads, input_gradient=True):
        columns, z, padded_shape, ((top, bottom), (left, right)) = self._cache
        n, out_channels, h_out, w_out = grad_output.shape
        k_h, k_w = self.kernel_size
        grad_rows = grad_output.transpose(0, 2, 3, 1).reshape(-1, out_channels)
        delta = self.activation.backward_with_bias_gradient(z, grad_rows, grads[1])
        grad_kernels = (columns.T @ delta).reshape(k_h, k_w, -1, out_channels)
        grads[0][...] = grad_kernels.transpose(3, 2, 0, 1)
        if not input_gradient:
            return None
        in_channels = padded_shape[3]
        offset_kernels = self._kernel_matrix().reshape(k_h, k_w, in_channels, out_channels)
        grad_image = np.zeros(padded_shape, dtype=delta.dtype)
        grad_pixels = np.empty((len(delta), in_channels), dtype=delta.dtype)
        for i, j, pixels in offset_views(grad_image, self.kernel_size, self.stride, (h_out, w_out)):
            np.matmul(delta, offset_kernels[i, j].T, out=grad_pixels)
            pixels += grad_pixels.reshape(pixels.shape)
        height, width = padded_shape[1:3]
        return grad_image[:, top : height - bottom, left : width - right].transpose(0, 3, 1, 2)

    def __repr__(self) -> str:
        out_channels, in_channels, k_h, k_w = self.W.shape
        activation = "" if self.activation.name == "linear" else f", {self.activation!r}"
        return (
            f"Conv2D({in_channels}->{out_channels}, {k_h}x{k_w}, stride={self.stride}, "
            f"padding={self.padding!r}{activation})"
        )
