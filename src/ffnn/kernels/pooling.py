"""Max pooling in one pass each way, over channels-last ``(n, H, W, C)`` arrays of any strides,
the samples shared out among the kernels' threads (:func:`ffnn.kernels.threads`).

The forward pass notes where each window's maximum lies, so that the backward pass routes each
window's gradient to that pixel without comparing values again. The results equal those of
:class:`ffnn.layers.MaxPool2D`'s NumPy code exactly for finite gradients: the kernels compare and
copy values, and where windows overlap (stride < size) the gradients a pixel receives are summed
in the reference's order, offset by offset.
"""

from __future__ import annotations

from numba import prange

from .compile import parallel_kernel


@parallel_kernel
def max_pool_forward(image, size, stride, out, first_max):
    """The largest entry of each ``size x size`` window into ``out`` ``(n, H_out, W_out, C)``; NaN wins, as
    in ``np.maximum``. ``first_max`` (integers, shape of ``out``) gets the row-major offset within the
    window of the first entry equal to the maximum, or -1 where the maximum is NaN (no entry equals it)."""
    n, h_out, w_out, channels = out.shape
    for sample in prange(n):
        for i in range(h_out):
            for j in range(w_out):
                y, x = i * stride, j * stride
                for c in range(channels):
                    out[sample, i, j, c] = image[sample, y, x, c]
                    first_max[sample, i, j, c] = 0
                for offset in range(1, size * size):
                    di, dj = divmod(offset, size)
                    for c in range(channels):
                        value, best = image[sample, y + di, x + dj, c], out[sample, i, j, c]
                        if value > best or (value != value and best == best):
                            out[sample, i, j, c] = value
                            first_max[sample, i, j, c] = offset
                for c in range(channels):
                    if out[sample, i, j, c] != out[sample, i, j, c]:
                        first_max[sample, i, j, c] = -1


@parallel_kernel
def max_pool_backward(grad_out, first_max, size, stride, grad_image):
    """Write into ``grad_image`` (overwritten) each window's gradient ``grad_out`` at the pixel ``first_max``
    names, zero elsewhere. Windows that do not overlap take one pass; overlapping ones one pass per
    offset, adding up what a pixel receives."""
    n, h_out, w_out, channels = grad_out.shape
    passes = 1 if stride >= size else size * size
    for sample in prange(n):
        grad_image[sample] = 0
        for offset_pass in range(passes):
            for i in range(h_out):
                for j in range(w_out):
                    for c in range(channels):
                        offset = first_max[sample, i, j, c]
                        if offset >= 0 and (passes == 1 or offset == offset_pass):
                            di, dj = divmod(offset, size)
                            grad_image[sample, i * stride + di, j * stride + dj, c] += grad_out[sample, i, j, c]
