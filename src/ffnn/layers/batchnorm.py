"""Batch normalisation (Ioffe and Szegedy, 2015) with PyTorch's conventions."""

from __future__ import annotations

import numpy as np

from .base import Layer


class BatchNorm(Layer):
    """Normalise each channel over the batch, then scale by ``gamma`` and shift by ``beta``.

    The channel axis is axis 1: on ``(n, C)`` rows it is ``torch.nn.BatchNorm1d``, on
    ``(n, C, H, W)`` images ``torch.nn.BatchNorm2d``, statistics taken over every other axis.
    In training ``y = gamma (x - mean) / sqrt(var + eps) + beta`` with the batch's mean and biased
    variance, and the running estimates move towards them:
    ``running = (1 - momentum) running + momentum batch``, the variance's unbiased
    (``m / (m - 1)`` for ``m`` values per channel), as torch does. Outside training the running
    estimates replace the batch's, so a prediction does not depend on the rest of its batch.

    Parameters
    ----------
    n_channels : int
        ``C``; ``gamma`` starts at ones, ``beta`` at zeros, the running mean at zeros and the
        running variance at ones (torch's defaults).
    momentum : float, default 0.1
    eps : float, default 1e-5
    dtype : numpy dtype, default float64

    Notes
    -----
    ``gamma`` and ``beta`` are ``params`` (trained) but not ``weights``: no penalty applies to them.
    The running estimates are state, not parameters; they change in every training forward pass.
    """

    def __init__(self, n_channels: int, momentum: float = 0.1, eps: float = 1e-5, dtype=np.float64):
        if n_channels < 1:
            raise ValueError(f"n_channels must be >= 1, got {n_channels}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"momentum must be in [0, 1], got {momentum!r}")
        if eps <= 0:
            raise ValueError(f"eps must be > 0, got {eps!r}")
        self.momentum, self.eps = float(momentum), float(eps)
        self.gamma = np.ones(n_channels, dtype=dtype)
        self.beta = np.zeros(n_channels, dtype=dtype)
        self.running_mean = np.zeros(n_channels, dtype=dtype)
        self.running_var = np.ones(n_channels, dtype=dtype)

    @property
    def params(self) -> list[np.ndarray]:
        return [self.gamma, self.beta]

    def output_shape(self, input_shape):
        if input_shape[0] != len(self.gamma):
            raise ValueError(f"BatchNorm of {len(self.gamma)} channels got samples of shape {input_shape}")
        return tuple(input_shape)

    @staticmethod
    def _rows(x: np.ndarray) -> np.ndarray:
        """``x`` as ``(values per channel, C)``: a view, not a copy, when the channels are the
        fastest axis in memory, as in the NCHW views the convolutions and pooling return."""
        return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])

    @staticmethod
    def _unrows(rows: np.ndarray, like: np.ndarray) -> np.ndarray:
        channels_last = (like.shape[0], *like.shape[2:], like.shape[1])
        return np.moveaxis(rows.reshape(channels_last), -1, 1)

    def forward(self, x, training=False):
        if x.shape[1] != len(self.gamma):
            raise ValueError(f"BatchNorm of {len(self.gamma)} channels got input of shape {x.shape}")
        rows = self._rows(x)
        if training:
            count = len(rows)
            if count < 2:
                raise ValueError(
                    f"BatchNorm needs more than one value per channel in training, got input of shape {x.shape}"
                )
            mean = rows.mean(axis=0)
            centred = rows - mean
            var = np.einsum("ij,ij->j", centred, centred) / count
            self.running_mean *= 1 - self.momentum
            self.running_mean += self.momentum * mean
            self.running_var *= 1 - self.momentum
            self.running_var += self.momentum * var * (count / (count - 1))
        else:
            centred = rows - self.running_mean
            var = self.running_var
        inv_std = (1 / np.sqrt(var + self.eps)).astype(x.dtype)
        normalised = centred
        normalised *= inv_std  # in place: `centred` is this call's own array and not needed again
        if training:
            self._cache = (normalised, inv_std)
        out = normalised * self.gamma
        out += self.beta
        return self._unrows(out, x)

    def backward(self, grad_output, grads, input_gradient=True):
        normalised, inv_std = self._cache
        grad_rows = self._rows(grad_output)
        grad_rows.sum(axis=0, out=grads[1])
        grads[0][...] = np.einsum("ij,ij->j", grad_rows, normalised)
        if not input_gradient:
            return None
        count = len(grad_rows)
        grad = grad_rows - grads[1] / count
        grad -= normalised * (grads[0] / count)
        grad *= self.gamma * inv_std
        return self._unrows(grad, grad_output)

    def __repr__(self) -> str:
        return f"BatchNorm({len(self.gamma)})"
