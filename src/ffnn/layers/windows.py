"""Sliding windows over images, for convolution and pooling.

Both layers work inside on channels-last views ``(n, H, W, C)`` of their NCHW arrays (a transpose,
no copy), so that a window's pixels lie next to each other in memory and every copy below runs over
contiguous channels. A ``(k_h, k_w)`` window moved by ``stride`` has ``H_out = (H - k_h) // stride + 1``
positions down and ``W_out = (W - k_w) // stride + 1`` across.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def windows(image: np.ndarray, size: tuple[int, int], stride: int) -> np.ndarray:
    """Read-only view ``(n, H_out, W_out, C, k_h, k_w)`` of every window of ``image`` ``(n, H, W, C)``; no copy."""
    return sliding_window_view(image, size, axis=(1, 2))[:, ::stride, ::stride]


def offset_views(
    image: np.ndarray, size: tuple[int, int], stride: int, out_size: tuple[int, int]
) -> Iterator[tuple[int, int, np.ndarray]]:
    """``(i, j, view)`` for each offset ``(i, j)`` within a window: the ``(n, H_out, W_out, C)`` view of
    ``image`` ``(n, H, W, C)`` holding every window's pixel at that offset.

    Writing into the views writes into ``image``: summing window gradients onto an image is one
    strided addition per offset (``k_h * k_w`` of them), each over every sample, pixel and channel.
    """
    h_out, w_out = out_size
    for i in range(size[0]):
        for j in range(size[1]):
            yield i, j, image[:, i : i + stride * h_out : stride, j : j + stride * w_out : stride]


def output_size(size: int, kernel: int, stride: int) -> int:
    """Window positions along an axis of ``size`` pixels (at least one needed)."""
    if size < kernel:
        raise ValueError(f"a window of {kernel} does not fit in {size} pixels")
    return (size - kernel) // stride + 1
