"""Random shifts of the input images: data augmentation, active in training only."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .base import Layer


class RandomShift(Layer):
    """In training, move each image by its own whole-pixel offset, filling the uncovered border with zeros.

    Each sample of a batch ``(n, C, H, W)`` is moved down by ``dy`` and right by ``dx`` pixels
    (negative: up or left), both drawn uniformly from ``-max_shift, ..., max_shift``; all channels
    of a sample move together. Outside training it is the identity, so predictions see the images
    as they are.

    Parameters
    ----------
    max_shift : int
        Largest move along either axis, in pixels (0: the identity, also in training).
    rng : numpy.random.Generator
        Draws the offsets, ``rng.integers(-max_shift, max_shift + 1, size=(2, n))`` (rows ``dy``,
        ``dx``) per training forward pass.
    """

    def __init__(self, max_shift: int, rng: np.random.Generator):
        if isinstance(max_shift, bool) or not isinstance(max_shift, (int, np.integer)) or max_shift < 0:
            raise ValueError(f"max_shift must be a whole number of pixels >= 0, got {max_shift!r}")
        self.max_shift, self.rng = int(max_shift), rng

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"RandomShift takes images (C, H, W), got samples of shape {tuple(input_shape)}")
        return tuple(input_shape)

    def _own_windows(
        self, padded: np.ndarray, size: tuple[int, int], writeable: bool = False
    ) -> tuple[np.ndarray, tuple]:
        """``(view, index)``: ``view[index]`` is ``(n, C, H, W)``, each sample's window of ``padded``
        ``(n, C, H + 2s, W + 2s)`` whose top left corner is ``(s - dy, s - dx)``."""
        every = sliding_window_view(padded, size, axis=(2, 3), writeable=writeable)  # (n, C, 2s+1, 2s+1, H, W)
        return every, (np.arange(len(padded)), slice(None), *self._corners)

    def forward(self, x, training=False):
        if not training or self.max_shift == 0:
            return x
        s = self.max_shift
        dy, dx = self.rng.integers(-s, s + 1, size=(2, len(x)))
        self._corners = (s - dy, s - dx)
        padded = np.pad(x, ((0, 0), (0, 0), (s, s), (s, s)))
        every, index = self._own_windows(padded, x.shape[2:])
        return every[index]

    def backward(self, grad_output, grads, input_gradient=True):
        if not input_gradient or self.max_shift == 0:
            return grad_output if input_gradient else None
        s = self.max_shift
        n, channels, height, width = grad_output.shape
        padded = np.zeros((n, channels, height + 2 * s, width + 2 * s), dtype=grad_output.dtype)
        every, index = self._own_windows(padded, (height, width), writeable=True)
        every[index] = grad_output  # one window per sample: no two writes meet
        return padded[:, :, s : s + height, s : s + width]

    def __repr__(self) -> str:
        return f"RandomShift({self.max_shift})"
