"""Layers in the style of numpy-ml, and :class:`Sequential`, the container that trains them.

Data layout: NCHW, samples first, as PyTorch. Every layer maps a batch of ``n`` samples to a
batch of ``n`` samples; the shapes, with ``n`` the batch size:

=====================  ==============================  ==========================================
layer                  input                           output
=====================  ==============================  ==========================================
``Reshape(shape)``     ``(n, *any)``                   ``(n, *shape)``, e.g. ``(n, 784) -> (n, 1, 28, 28)``
``Conv2D``             ``(n, C_in, H, W)``             ``(n, C_out, H_out, W_out)``
``MaxPool2D``          ``(n, C, H, W)``                ``(n, C, H_out, W_out)``
``Flatten``            ``(n, C, H, W)``                ``(n, C * H * W)``, in C, H, W order (as ``torch.flatten``)
``Dense``              ``(n, n_in)``                   ``(n, n_out)``
``Dropout``            any                             same shape
``BatchNorm``          ``(n, C)`` or ``(n, C, H, W)``  same shape
``RandomShift``        ``(n, C, H, W)``                same shape
``ActivationLayer``    any                             same shape
=====================  ==============================  ==========================================

``Conv2D`` weights are ``(C_out, C_in, k_h, k_w)`` and biases ``(C_out,)``, PyTorch's layout;
``Dense`` weights are ``(n_in, n_out)``, the transpose of ``torch.nn.Linear.weight``, as in
:class:`ffnn.network.Network`. For a convolution with stride ``s`` and kernel ``k``,
``H_out = floor((H + pad_total - k) / s) + 1`` with ``pad_total = 0`` for ``"valid"`` and
enough zeros for ``H_out = ceil(H / s)`` for ``"same"`` (one more after than before when odd);
pooling drops a trailing row or column that does not fill a window, as PyTorch's default.
"""

from .activation import ActivationLayer
from .base import Layer
from .batchnorm import BatchNorm
from .conv import Conv2D
from .dense import Dense
from .dropout import Dropout
from .pool import MaxPool2D
from .reshape import Flatten, Reshape
from .sequential import Sequential
from .shift import RandomShift

__all__ = [
    "ActivationLayer",
    "BatchNorm",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "MaxPool2D",
    "RandomShift",
    "Reshape",
    "Sequential",
]
