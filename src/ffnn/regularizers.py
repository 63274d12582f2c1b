"""Weight penalties of Eq. 11, applied to weights only (biases are not penalised)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class Regularizer:
    """Base class: ``penalty(weights)`` sums over all weight matrices, ``gradient(W)`` is per matrix.

    Parameters
    ----------
    lam : float
        Penalty strength lambda >= 0.
    """

    name = "none"

    def __init__(self, lam: float):
        if not (np.isfinite(lam) and lam >= 0):
            raise ValueError(f"penalty strength lambda must be a finite number >= 0, got {lam!r}")
        self.lam = float(lam)

    def penalty(self, weights: Sequence[np.ndarray]) -> float:
        raise NotImplementedError

    def gradient(self, W: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def add_to(
        self, value: float, params: Sequence[np.ndarray], grads: Sequence[np.ndarray], penalised: Sequence[bool]
    ) -> float:
        """``value`` plus the penalty of the ``penalised`` entries of ``params``; their gradients go into
        ``grads`` in place."""
        for param, grad, applies in zip(params, grads, penalised, strict=True):
            if applies:
                grad += self.gradient(param)
        return value + self.penalty([param for param, applies in zip(params, penalised, strict=True) if applies])

    @property
    def gradient_coefficients(self) -> tuple[float, float]:
        """``(a, b)`` with ``gradient(W) = a W + b sign(W)``, for the fused optimiser updates."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lam={self.lam})"


class L2(Regularizer):
    """Ridge penalty ``lam * sum(W^2)``, gradient ``2 lam W``."""

    name = "l2"

    def penalty(self, weights):
        return self.lam * float(sum(np.vdot(W, W) for W in weights))

    def gradient(self, W):
        return (2 * self.lam) * W

    @property
    def gradient_coefficients(self):
        return 2 * self.lam, 0.0


class L1(Regularizer):
    """LASSO penalty ``lam * sum|W|``, (sub)gradient ``lam sign(W)``."""

    name = "l1"

    def penalty(self, weights):
        return self.lam * float(sum(np.abs(W).sum() for W in weights))

    def gradient(self, W):
        return self.lam * np.sign(W)

    @property
    def gradient_coefficients(self):
        return 0.0, self.lam


REGULARIZERS = {cls.name: cls for cls in (L1, L2)}


def get_regularizer(spec: str | Regularizer | None, lam: float = 0.0) -> Regularizer | None:
    """Return ``L1(lam)``/``L2(lam)`` from ``"l1"``/``"l2"``; ``None`` (or ``"none"``) means no penalty."""
    if spec is None or spec == "none":
        return None
    if isinstance(spec, Regularizer):
        return spec
    try:
        return REGULARIZERS[spec](lam)
    except (KeyError, TypeError):
        raise ValueError(f"unknown penalty {spec!r}; choose one of {sorted(REGULARIZERS)} or None") from None
