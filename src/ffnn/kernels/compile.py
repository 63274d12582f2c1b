"""The Numba decorators every kernel uses."""

from numba import njit

# fastmath without "nnan" and "ninf": a diverging fit must still see its NaN and inf values,
# which the training loop checks for. error_model="numpy" lets division by zero give inf
# instead of raising, as in NumPy, and keeps the loops free of checks so that they vectorise.
FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}

kernel = njit(cache=True, fastmath=FASTMATH, error_model="numpy")

# For kernels whose ``prange`` loop runs over samples, each writing only its own sample's entries:
# no sum crosses threads, so the results do not depend on the thread count.
parallel_kernel = njit(cache=True, fastmath=FASTMATH, error_model="numpy", parallel=True)
