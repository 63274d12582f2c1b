"""Give BLAS the thread count of a benchmark's ``--threads`` flag; import before NumPy.

BLAS reads its thread count when NumPy is first imported, so the value of ``--threads`` (or
``DEFAULT_THREADS``, so that BLAS and PyTorch always get the same count) goes into the
environment on import of this module; the benchmark's own argument parser checks it.
"""

import argparse
import os

DEFAULT_THREADS = 2

_threads_flag = argparse.ArgumentParser(add_help=False)
_threads_flag.add_argument("--threads", default=str(DEFAULT_THREADS))
os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = _threads_flag.parse_known_args()[0].threads
