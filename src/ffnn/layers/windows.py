"""Sliding windows over images and their adjoint: the im2col and col2im of convolution and pooling.

Images are ``(n, C, H, W)``; a ``(k_h, k_w)`` window moved by ``stride`` gives
``H_out = (H - k_h) // stride + 1`` positions down and ``W_out = (W - k_w) // stride + 1`` across.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def windows(x: np.ndarray, size: tuple[int, int], stride: int) -> np.ndarray:
    """Read-only view ``(n, C, H_out, W_out, k_h, k_w)`` of every window of ``x`` ``(n, C, H, W)``; no copy."""
    return sliding_window_view(x, size, axis=(2, 3))[:, :, ::stride, ::stride]


def add_windows(window_grads: np.ndarray, image_shape: tuple[int, ...], stride: int) -> np.ndarray:
    """The adjoint of :func:`windows`: sum ``(n, C, H_out, W_out, k_h, k_w)`` back onto ``(n, C, H, W)``.

    Overlapping windows add up. One strided addition per kernel offset (``k_h * k_w`` of them),
    each over every sample, channel and position at once.
    """
    out = np.zeros(image_shape, dtype=window_grads.dtype)
    _, _, h_out, w_out, k_h, k_w = window_grads.shape
    for i in range(k_h):
        for j in range(k_w):
            out[:, :, i : i + stride * h_out : stride, j : j + stride * w_out : stride] += window_grads[..., i, j]
    return out


def output_size(size: int, kernel: int, stride: int) -> int:
    """Window positions along an axis of ``size`` pixels (at least one needed)."""
    if size < kernel:
        raise ValueError(f"a window of {kernel} does not fit in {size} pixels")
    return (size - kernel) // stride + 1
