"""Activation functions and their derivatives.

Every activation maps pre-activations ``z`` of shape ``(n_samples, n_units)`` to
activations of the same shape. ``backward(z, grad_a)`` turns the gradient with respect
to the activations into the gradient with respect to ``z``; for elementwise functions it
is ``grad_a * derivative(z)``, softmax overrides it with its Jacobian-vector product.

A network layer calls ``forward_with_bias`` and ``backward_with_bias_gradient``, which fold
the bias into the same pass; for ReLU, leaky ReLU, sigmoid and tanh they run the fused kernels
of :mod:`ffnn.kernels.activations` unless inside :func:`ffnn.kernels.numpy_reference`.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .kernels.activations import KERNELS


class Activation:
    """Base class: elementwise activation ``a = f(z)``."""

    name = "activation"

    def forward(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """Elementwise derivative ``f'(z)``, same shape as ``z``."""
        raise NotImplementedError

    def backward(self, z: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """Gradient with respect to ``z`` given the gradient with respect to ``f(z)``."""
        return grad_a * self.derivative(z)

    def forward_with_bias(self, z: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``f(z + b)`` for a bias ``b`` of shape ``(n_units,)``; adds ``b`` to ``z`` in place."""
        if self.name in KERNELS and kernels.fused_enabled():
            a = np.empty_like(z)
            KERNELS[self.name][0](z, b, a, *self._kernel_scalars(z.dtype))
            return a
        z += b
        return self.forward(z)

    def backward_with_bias_gradient(self, z: np.ndarray, grad_a: np.ndarray, bias_grad: np.ndarray) -> np.ndarray:
        """``backward(z, grad_a)``, also writing its column sums (the bias gradient) into ``bias_grad``."""
        if self.name in KERNELS and kernels.fused_enabled():
            delta = np.empty_like(grad_a)
            KERNELS[self.name][1](z, grad_a, delta, bias_grad, *self._kernel_scalars(delta.dtype))
            return delta
        delta = self.backward(z, grad_a)
        delta.sum(axis=0, out=bias_grad)
        return delta

    def _kernel_scalars(self, dtype: np.dtype) -> tuple:
        """Parameters the fused kernels take after the arrays, in ``dtype``."""
        return ()

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.forward(z)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """Logistic function ``1 / (1 + exp(-z))`` (Eq. 18), derivative ``s (1 - s)`` (Eq. 19)."""

    name = "sigmoid"

    def forward(self, z):
        # 1 / (1 + exp(-z)) for z >= 0 and exp(z) / (1 + exp(z)) otherwise, so exp() never
        # overflows. With e = exp(-|z|) <= 1 the numerator is max(e, [z >= 0]); this gives the
        # same numbers as masked assignment, which is an order of magnitude slower.
        e = np.exp(-np.abs(z))
        out = np.maximum(e, z >= 0)
        out /= 1.0 + e
        return out

    def derivative(self, z):
        s = self.forward(z)
        return s * (1.0 - s)


class ReLU(Activation):
    """Rectified linear unit ``max(0, z)`` (Eqs. 20-21); the derivative at 0 is taken as 0."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0)

    def derivative(self, z):
        return (z > 0).astype(z.dtype)

    def backward(self, z, grad_a):
        # Multiplying by the mask is much faster than np.where with its data-dependent branches.
        return grad_a * (z > 0)


class LeakyReLU(Activation):
    """Leaky ReLU ``z`` for ``z >= 0`` and ``alpha * z`` otherwise (Eq. 22).

    Parameters
    ----------
    alpha : float, default 0.01
        Slope for negative inputs.
    """

    name = "leaky_relu"

    def __init__(self, alpha: float = 0.01):
        if not alpha >= 0:
            raise ValueError(f"LeakyReLU alpha must be >= 0, got {alpha!r}")
        self.alpha = alpha

    def forward(self, z):
        # z and alpha z are the two branches; the larger one is right for alpha <= 1 and the
        # smaller one for alpha > 1. Much faster than np.where, same numbers.
        pick = np.maximum if self.alpha <= 1 else np.minimum
        return pick(z, self.alpha * z)

    def derivative(self, z):
        nonnegative = z >= 0
        slope = np.multiply(~nonnegative, self.alpha, dtype=z.dtype)  # alpha where z < 0, else 0
        slope += nonnegative  # exact: one of the two terms is zero
        return slope

    def _kernel_scalars(self, dtype):
        return (dtype.type(self.alpha),)

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha})"


class Tanh(Activation):
    """Hyperbolic tangent, derivative ``1 - tanh(z)^2``."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z):
        return 1.0 - np.tanh(z) ** 2


class Linear(Activation):
    """Identity, used on the output layer of regression networks and for logits."""

    name = "linear"

    def forward(self, z):
        return z

    def derivative(self, z):
        return np.ones_like(z)

    def backward(self, z, grad_a):
        return grad_a


class Softmax(Activation):
    """Row-wise softmax (Eq. 14).

    Its Jacobian is not diagonal, so ``derivative`` is undefined and ``backward`` applies
    ``J^T g = s * (g - sum(g * s))`` per row. Networks trained with
    :class:`ffnn.losses.SoftmaxCrossEntropy` keep a linear output and let the loss apply
    softmax, which is cheaper and numerically stable.
    """

    name = "softmax"

    def forward(self, z):
        shifted = z - z.max(axis=1, keepdims=True)
        exp_z = np.exp(shifted)
        return exp_z / exp_z.sum(axis=1, keepdims=True)

    def derivative(self, z):
        raise NotImplementedError("softmax has a full Jacobian; use backward(z, grad_a)")

    def backward(self, z, grad_a):
        s = self.forward(z)
        return s * (grad_a - np.sum(grad_a * s, axis=1, keepdims=True))


ACTIVATIONS = {cls.name: cls for cls in (Sigmoid, ReLU, LeakyReLU, Tanh, Linear, Softmax)}


def get_activation(spec: str | Activation, **kwargs) -> Activation:
    """Return an activation from its name (``"sigmoid"``, ``"relu"``, ``"leaky_relu"``,
    ``"tanh"``, ``"linear"``, ``"softmax"``) or pass an instance through.

    Keyword arguments go to the constructor (``alpha`` for ``"leaky_relu"``).
    """
    if isinstance(spec, Activation):
        return spec
    try:
        cls = ACTIVATIONS[spec]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {spec!r}; choose one of {sorted(ACTIVATIONS)}") from None
    return cls(**kwargs)
