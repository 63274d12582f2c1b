"""Numba kernels that fuse the elementwise passes of a training step into one loop each.

The NumPy code in :mod:`ffnn.optimizers`, :mod:`ffnn.activations`, :mod:`ffnn.losses` and
:class:`ffnn.layers.MaxPool2D` is the readable reference; these kernels compute the same numbers
(to rounding; max pooling exactly) in one pass over memory instead of several, which is what most
of an epoch outside the matrix products costs.
The library uses them wherever one exists; inside ``with numpy_reference():`` it runs the NumPy
code instead, which is how the tests compare the two.

Each kernel is compiled on its first call for the dtypes it meets and cached on disk
(``cache=True``), so later processes only load it. Scalars are passed in the arrays' dtype so
that float32 arrays are computed in float32. The pooling kernels share the samples of a batch
out among threads, as many as Numba's default (the machine's cores) or :func:`threads` sets.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numba

_fused = True


def fused_enabled() -> bool:
    """Whether the library currently uses the fused kernels (True unless inside :func:`numpy_reference`)."""
    return _fused


@contextmanager
def numpy_reference() -> Iterator[None]:
    """Run the NumPy reference code instead of the fused kernels within the block."""
    global _fused
    previous, _fused = _fused, False
    try:
        yield
    finally:
        _fused = previous


@contextmanager
def threads(count: int) -> Iterator[None]:
    """Run the parallel kernels on ``count`` threads within the block (at most the machine's cores)."""
    if count < 1:
        raise ValueError(f"threads must be >= 1, got {count}")
    previous = numba.get_num_threads()
    numba.set_num_threads(min(count, numba.config.NUMBA_NUM_THREADS))
    try:
        yield
    finally:
        numba.set_num_threads(previous)
