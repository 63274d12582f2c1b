"""Weight initialisers: ``init(fan_in, fan_out, rng, dtype) -> W`` of shape ``(fan_in, fan_out)``.

Biases always start at zero (Section II.B).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Initializer = Callable[[int, int, np.random.Generator, np.dtype], np.ndarray]


def normal(fan_in: int, fan_out: int, rng: np.random.Generator, dtype=np.float64, std: float = 0.01) -> np.ndarray:
    """The study's scheme: ``N(0, std^2)`` with ``std = 0.01``."""
    return (std * rng.standard_normal((fan_in, fan_out))).astype(dtype, copy=False)


def xavier(fan_in: int, fan_out: int, rng: np.random.Generator, dtype=np.float64) -> np.ndarray:
    """Glorot/Xavier uniform: ``U(-a, a)`` with ``a = sqrt(6 / (fan_in + fan_out))``."""
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype, copy=False)


def he(fan_in: int, fan_out: int, rng: np.random.Generator, dtype=np.float64) -> np.ndarray:
    """He/Kaiming normal for ReLU-type layers: ``N(0, 2 / fan_in)``."""
    return (np.sqrt(2.0 / fan_in) * rng.standard_normal((fan_in, fan_out))).astype(dtype, copy=False)


INITIALIZERS: dict[str, Initializer] = {"normal": normal, "xavier": xavier, "he": he}


def get_initializer(spec: str | Initializer) -> Initializer:
    """Return an initialiser from its name (``"normal"``, ``"xavier"``, ``"he"``) or pass a callable through."""
    if callable(spec):
        return spec
    try:
        return INITIALIZERS[spec]
    except (KeyError, TypeError):
        raise ValueError(f"unknown initializer {spec!r}; choose one of {sorted(INITIALIZERS)}") from None
