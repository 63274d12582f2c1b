"""Hidden-layer width schedules: the pyramid scheme (Eq. 7, Algorithm 1) and uniform widths."""

from __future__ import annotations

import math
import numbers

# W1 * r**(k-1) is computed in floating point, so e.g. 100 * 0.2**2 gives 4.000000000000001;
# without this slack its ceiling would be 5 instead of the intended 4.
_CEIL_RELATIVE_TOLERANCE = 1e-9


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _tolerant_ceil(value: float) -> int:
    return math.ceil(value - _CEIL_RELATIVE_TOLERANCE * max(1.0, abs(value)))


def pyramid_widths(first_width: int, depth: int, ratio: float = 0.5, min_width: int = 1) -> list[int]:
    """Widths of a pyramid-shaped stack of hidden layers (Eq. 7, Algorithm 1).

    ``W_k = max(ceil(W_1 * ratio**(k-1)), min_width)`` for ``k = 1, ..., depth``, and each width is
    clipped so that it never exceeds the previous one (Algorithm 1, line 4).

    Parameters
    ----------
    first_width : int
        Width ``W_1`` of the first hidden layer, >= 1.
    depth : int
        Number of hidden layers ``D``, >= 1.
    ratio : float, default 0.5
        Geometric decay ratio ``r`` in (0, 1]; ``1`` gives uniform widths.
    min_width : int, default 1
        Floor ``W_min`` on every width, >= 1. Because of the clipping, a ``min_width`` above
        ``first_width`` leaves every layer at ``first_width``.

    Returns
    -------
    list of int
        The ``depth`` hidden-layer widths, non-increasing, first entry ``first_width``.

    Raises
    ------
    ValueError
        If a width or the depth is not a positive integer, or ``ratio`` is outside (0, 1].

    Examples
    --------
    >>> pyramid_widths(512, 3)
    [512, 256, 128]
    >>> pyramid_widths(10, 4, ratio=0.5, min_width=3)
    [10, 5, 3, 3]
    """
    first_width = _positive_int(first_width, "first_width")
    depth = _positive_int(depth, "depth")
    min_width = _positive_int(min_width, "min_width")
    if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real) or not 0.0 < ratio <= 1.0:
        raise ValueError(f"ratio must be a number in (0, 1], got {ratio!r}")

    widths = []
    previous = first_width
    for k in range(depth):
        width = max(_tolerant_ceil(first_width * float(ratio) ** k), min_width)
        width = min(width, previous)
        widths.append(width)
        previous = width
    return widths


def uniform_widths(width: int, depth: int) -> list[int]:
    """Widths of ``depth`` hidden layers that all have ``width`` neurons.

    Parameters
    ----------
    width : int
        Neurons per hidden layer, >= 1.
    depth : int
        Number of hidden layers, >= 1.

    Returns
    -------
    list of int
        ``[width] * depth``.

    Raises
    ------
    ValueError
        If ``width`` or ``depth`` is not a positive integer.
    """
    return [_positive_int(width, "width")] * _positive_int(depth, "depth")
