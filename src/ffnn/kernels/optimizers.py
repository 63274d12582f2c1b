"""One-pass optimiser updates with the L2/L1 penalty gradient folded in.

Every kernel updates a flat (1-D, contiguous) parameter array in place from the gradient of
the data loss ``grad``, to which it adds the penalty gradient ``l2 * w + l1 * sign(w)``
element by element (``l2 = 2 lambda`` for the L2 penalty, ``l1 = lambda`` for L1, both 0 for
none or for a bias). The state arrays (velocity, moments) have the parameter's shape and are
updated in place too. All scalars must have the arrays' dtype. The formulas are those of the
reference classes in :mod:`ffnn.optimizers`.
"""

from __future__ import annotations

import numpy as np

from .compile import kernel


@kernel
def penalised(g, w, l2, l1):
    """``g + l2 * w + l1 * sign(w)`` for scalars of one dtype."""
    g += l2 * w
    if w > 0:
        g += l1
    elif w < 0:
        g -= l1
    return g


@kernel
def sgd(param, grad, learning_rate, l2, l1):
    """``w <- w - eta g``."""
    for i in range(param.size):
        param[i] -= learning_rate * penalised(grad[i], param[i], l2, l1)


@kernel
def momentum(param, grad, velocity, learning_rate, mu, l2, l1):
    """``v <- mu v - eta g; w <- w + v``."""
    for i in range(param.size):
        v = mu * velocity[i] - learning_rate * penalised(grad[i], param[i], l2, l1)
        velocity[i] = v
        param[i] += v


@kernel
def adagrad(param, grad, sum_squares, learning_rate, eps, l2, l1):
    """``G <- G + g^2; w <- w - eta g / (sqrt(G) + eps)``."""
    for i in range(param.size):
        g = penalised(grad[i], param[i], l2, l1)
        s = sum_squares[i] + g * g
        sum_squares[i] = s
        param[i] -= learning_rate * g / (np.sqrt(s) + eps)


@kernel
def rmsprop(param, grad, mean_square, learning_rate, beta, eps, l2, l1):
    """``v <- beta v + (1 - beta) g^2; w <- w - eta g / (sqrt(v) + eps)``."""
    one_minus_beta = param.dtype.type(1) - beta
    for i in range(param.size):
        g = penalised(grad[i], param[i], l2, l1)
        v = beta * mean_square[i] + one_minus_beta * (g * g)
        mean_square[i] = v
        param[i] -= learning_rate * g / (np.sqrt(v) + eps)


@kernel
def adam(param, grad, m, v, step, beta1, beta2, eps, l2, l1):
    """Adam with the bias corrections folded into the scalars, as the reference does:
    ``m <- beta1 (m - g) + g; v <- beta2 (v - g^2) + g^2; w <- w - step m / (sqrt(v) + eps)``,
    with ``step = eta sqrt(1 - beta2^t) / (1 - beta1^t)`` and ``eps`` already multiplied by
    ``sqrt(1 - beta2^t)``."""
    for i in range(param.size):
        g = penalised(grad[i], param[i], l2, l1)
        m_i = beta1 * (m[i] - g) + g
        g2 = g * g
        v_i = beta2 * (v[i] - g2) + g2
        m[i] = m_i
        v[i] = v_i
        param[i] -= step * m_i / (np.sqrt(v_i) + eps)
