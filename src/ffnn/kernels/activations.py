"""A layer's elementwise work in one pass each way: bias and activation forward, activation
derivative and bias gradient backward.

Forward kernels ``f(z, b, a)`` add the bias ``b`` of shape ``(n_units,)`` to the
pre-activations ``z`` of shape ``(n_samples, n_units)`` in place (backprop keeps them) and
write the activation into ``a``. Backward kernels ``f(z, grad_a, delta, bias_grad)`` write the
gradient with respect to ``z``, ``delta = grad_a * f'(z)``, and its column sums, the bias
gradient of shape ``(n_units,)``. Leaky ReLU takes its slope ``alpha`` as a last argument in the
arrays' dtype. The formulas are those of :mod:`ffnn.activations`, including its conventions
(ReLU'(0) = 0, leaky ReLU'(0) = 1) and NaN propagating as in NumPy.

Each activation writes out its own two loops on purpose: one generic loop taking the scalar
function as an argument is neither cached on disk by Numba nor as fast (measured 2-3x slower).
"""

from __future__ import annotations

import numpy as np

from .compile import kernel


@kernel
def relu_forward(z, b, a):
    zero = z.dtype.type(0)
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            value = z[i, j] + b[j]
            z[i, j] = value
            a[i, j] = np.maximum(value, zero)


@kernel
def relu_backward(z, grad_a, delta, bias_grad):
    zero = delta.dtype.type(0)
    bias_grad[:] = 0
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            d = grad_a[i, j] if z[i, j] > 0 else grad_a[i, j] * zero  # keeps NaN, like grad * (z > 0)
            delta[i, j] = d
            bias_grad[j] += d


@kernel
def leaky_relu_forward(z, b, a, alpha):
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            value = z[i, j] + b[j]
            z[i, j] = value
            a[i, j] = value if value >= 0 else alpha * value


@kernel
def leaky_relu_backward(z, grad_a, delta, bias_grad, alpha):
    bias_grad[:] = 0
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            d = grad_a[i, j] if z[i, j] >= 0 else alpha * grad_a[i, j]
            delta[i, j] = d
            bias_grad[j] += d


@kernel
def sigmoid(z, one):
    """Logistic function of a scalar, in the sign-split form whose exp() never overflows;
    ``one`` is 1 in the dtype of ``z``."""
    e = np.exp(-np.abs(z))
    return (one if z >= 0 else e) / (one + e)


@kernel
def sigmoid_forward(z, b, a):
    one = a.dtype.type(1)
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            value = z[i, j] + b[j]
            z[i, j] = value
            a[i, j] = sigmoid(value, one)


@kernel
def sigmoid_backward(z, grad_a, delta, bias_grad):
    one = delta.dtype.type(1)
    bias_grad[:] = 0
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            s = sigmoid(z[i, j], one)
            d = grad_a[i, j] * (s * (one - s))
            delta[i, j] = d
            bias_grad[j] += d


@kernel
def tanh_forward(z, b, a):
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            value = z[i, j] + b[j]
            z[i, j] = value
            a[i, j] = np.tanh(value)


@kernel
def tanh_backward(z, grad_a, delta, bias_grad):
    one = delta.dtype.type(1)
    bias_grad[:] = 0
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            t = np.tanh(z[i, j])
            d = grad_a[i, j] * (one - t * t)
            delta[i, j] = d
            bias_grad[j] += d


# Activation name -> (forward kernel, backward kernel); activations not listed have none.
KERNELS = {
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
}
