"""Backpropagation against automatic differentiation and central finite differences (Table III).

The reference forward pass is written a second time in ``autograd.numpy`` from the network's
weights and activation names, so it shares no code with :mod:`ffnn.network` beyond the
parameters it reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import autograd.numpy as anp
import numpy as np
import pandas as pd
from autograd import grad

from ..losses import get_loss
from ..network import Network
from . import network_label


def _autograd_activation(activation):
    """The activation ``activation`` (an :class:`ffnn.activations.Activation`) in ``autograd.numpy``.

    The kinks follow ours: ReLU has slope 0 at 0, leaky ReLU slope 1.
    """
    name = activation.name
    if name == "sigmoid":
        return lambda z: 1.0 / (1.0 + anp.exp(-z))
    if name == "relu":
        return lambda z: anp.where(z > 0, z, 0.0)
    if name == "leaky_relu":
        return lambda z: anp.where(z >= 0, z, activation.alpha * z)
    if name == "tanh":
        return anp.tanh
    if name == "linear":
        return lambda z: z
    raise ValueError(f"no autograd reference for activation {name!r}")


def _mse(output, y):
    # Eq. 10: 1/(2n) sum of squared residuals.
    return 0.5 * anp.mean(anp.sum((output - y) ** 2, axis=1))


def autograd_gradients(network: Network, X: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Gradient of the MSE (Eq. 10) with respect to ``network.params``, by ``autograd``.

    Parameters
    ----------
    network : Network
        Any depth; its hidden and output activations must be elementwise.
    X : ndarray of shape (n, n_inputs)
    y : ndarray of shape (n, n_outputs)

    Returns
    -------
    list of ndarray
        ``[dW0, db0, dW1, db1, ...]``, shapes of ``network.params``.
    """
    hidden = _autograd_activation(network.hidden_activation)
    output = _autograd_activation(network.output_activation)
    last = network.n_layers - 1
    y = np.asarray(y, dtype=np.float64).reshape(len(X), -1)

    def loss(params):
        a = np.asarray(X, dtype=np.float64)
        for layer in range(network.n_layers):
            W, b = params[2 * layer], params[2 * layer + 1]
            a = (output if layer == last else hidden)(anp.dot(a, W) + b)
        return _mse(a, y)

    return list(grad(loss)([p.astype(np.float64) for p in network.params]))


def finite_difference_gradients(network: Network, X: np.ndarray, y: np.ndarray, step: float = 1e-6) -> list[np.ndarray]:
    """Gradient of the MSE (Eq. 10) with respect to ``network.params`` by central differences.

    Each parameter is moved by ``+-step`` in turn (two forward passes over all of ``X`` per
    parameter) and restored, so ``network`` is unchanged afterwards. The truncation error is
    ``O(step^2)`` and the rounding error ``O(eps / step)``; ``1e-6`` balances them in float64.

    Parameters
    ----------
    network : Network
        A float64 network.
    X : ndarray of shape (n, n_inputs)
    y : ndarray of shape (n, n_outputs)
    step : float, default 1e-6

    Returns
    -------
    list of ndarray
        ``[dW0, db0, dW1, db1, ...]``, shapes of ``network.params``.
    """
    if network.dtype != np.float64:
        raise ValueError(f"finite differences need a float64 network, got {network.dtype}")
    if not step > 0:
        raise ValueError(f"step must be > 0, got {step!r}")
    mse = get_loss("mse")
    y = np.asarray(y, dtype=np.float64).reshape(len(X), -1)
    grads = []
    for param in network.params:
        flat = param.reshape(-1)  # a view: writing into it moves the live parameter
        g = np.empty(flat.size)
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + step
            upper = mse(network.forward(X), y)
            flat[i] = original - step
            lower = mse(network.forward(X), y)
            flat[i] = original
            g[i] = (upper - lower) / (2 * step)
        grads.append(g.reshape(param.shape))
    return grads


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``||a - b|| / (||a|| + ||b||)`` in the L2 norm: 0 for equal arrays, 1 at most; 0 when both are zero."""
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


def gradient_check(network: Network, X: np.ndarray, y: np.ndarray, step: float = 1e-6) -> list[dict]:
    """Per layer and parameter kind, our backprop gradient against autograd and finite differences.

    Parameters
    ----------
    network : Network
        float64, elementwise activations, MSE loss (Eq. 10), no penalty.
    X : ndarray of shape (n, n_inputs)
    y : ndarray of shape (n, n_outputs)
    step : float, default 1e-6
        Step of the central differences.

    Returns
    -------
    list of dict
        One row per layer and ``param`` (``"W"`` or ``"b"``): ``layer`` (0 = first weight layer),
        ``param``, ``grad_norm`` (L2 norm of our gradient), ``l2_diff_autograd`` (L2 norm of ours
        minus autograd's, as in Table III) and ``rel_err_finite_diff`` (:func:`relative_error`
        of ours against central differences).
    """
    y = np.asarray(y, dtype=np.float64).reshape(len(X), -1)
    _, ours = network.loss_and_gradients(X, y, "mse")
    reference = autograd_gradients(network, X, y)
    numerical = finite_difference_gradients(network, X, y, step)
    rows = []
    for index, (g, g_auto, g_fd) in enumerate(zip(ours, reference, numerical, strict=True)):
        rows.append(
            {
                "layer": index // 2,
                "param": "W" if index % 2 == 0 else "b",
                "grad_norm": float(np.linalg.norm(g)),
                "l2_diff_autograd": float(np.linalg.norm(g - g_auto)),
                "rel_err_finite_diff": relative_error(g, g_fd),
            }
        )
    return rows


def gradient_table(
    X: np.ndarray, y: np.ndarray, networks: Sequence[dict], *, step: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Table III: :func:`gradient_check` of freshly initialised regression networks on ``(X, y)``.

    Parameters
    ----------
    X : ndarray of shape (n, n_inputs)
    y : ndarray of shape (n, 1)
    networks : sequence of dict
        Each with ``hidden_layers``, ``activation`` (hidden; the output is linear) and ``initializer``.
    step : float
        Step of the central differences.
    rng : numpy.random.Generator
        Split into one child per network for its initial weights.

    Returns
    -------
    DataFrame
        ``network`` (:func:`network_label`), ``initializer`` and the columns of
        :func:`gradient_check`, one row per network, layer and parameter kind.
    """
    rows = []
    for spec, child in zip(networks, rng.spawn(len(networks)), strict=True):
        hidden, activation = spec["hidden_layers"], spec["activation"]
        network = Network(
            [X.shape[1], *hidden, 1], hidden_activation=activation, initializer=spec["initializer"], rng=child
        )
        labels = {"network": network_label(hidden, activation), "initializer": spec["initializer"]}
        rows.extend({**labels, **row} for row in gradient_check(network, X, y, step))
    return pd.DataFrame(rows)
