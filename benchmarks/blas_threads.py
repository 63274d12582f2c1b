"""Start BLAS with the most threads a benchmark's ``--threads`` flag asks for; import before NumPy.

BLAS reads its thread count when NumPy is first imported, so the largest count of ``--threads``
(a comma-separated list such as ``1,2``; ``DEFAULT_THREADS`` without the flag) goes into the
environment on import of this module. A benchmark then runs each count in turn through
threadpoolctl, which lowers BLAS's count at run time; its argument parser checks the flag.
"""

import argparse
import os

import ffnn  # noqa: F401  sets OpenBLAS's thread timeout, as in the build, before NumPy loads OpenBLAS

DEFAULT_THREADS = "1,2"


def thread_counts(text: str) -> list[int]:
    """``"1,2"`` -> ``[1, 2]``; ValueError unless every entry is a whole number >= 1."""
    counts = [int(entry) for entry in text.split(",")]
    if not counts or min(counts) < 1:
        raise ValueError(f"thread counts must be whole numbers >= 1, got {text!r}")
    return counts


_threads_flag = argparse.ArgumentParser(add_help=False)
_threads_flag.add_argument("--threads", default=DEFAULT_THREADS)
try:
    _most = max(thread_counts(_threads_flag.parse_known_args()[0].threads))
except ValueError:
    _most = 1  # the benchmark's own parser names the problem
os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = str(_most)
