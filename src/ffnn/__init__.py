"""A feed-forward neural network written from scratch in NumPy, and the study built on it."""

import os

# OpenBLAS's idle threads spin for 2**28 clock cycles (about a tenth of a second) after each matrix
# product before they sleep. Between the products of a training step the main thread runs the
# elementwise kernels, and on a 2-core machine the spinning made an epoch on two BLAS threads 1.3
# times slower than on one; 2**18 cycles (about 0.1 ms) still spans the gaps between a step's
# products (benchmarks/fashion_epoch.py measured 2**4 to 2**24 alike, 2**28 far slower). OpenBLAS
# reads it when NumPy first loads it, so it is set on import of the package, before NumPy, and a
# Snakemake run that imports the package hands it to every job.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "18")
# Numba's own thread pool for the parallel kernels: its OpenMP layer (the default where TBB is
# missing) keeps its threads spinning after a kernel, into the next matrix product, where they
# fight OpenBLAS's threads for the cores (a max-pooling step after a product measured 1.5 times
# slower on two threads); the workqueue layer's threads sleep.
os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")

from .allocator import keep_freed_memory  # noqa: E402 (after the settings above, which must precede NumPy)

keep_freed_memory()

__version__ = "0.1.0"
