"""A fully connected feed-forward network: forward pass and backpropagation (Eqs. 8-9, 16-17).

Samples are rows: a layer maps activations ``A`` of shape ``(n, fan_in)`` to
``Z = A @ W + b`` of shape ``(n, fan_out)``, the transpose of the study's column
convention, so that a mini-batch is one matrix product per layer.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .activations import Activation, get_activation
from .initializers import get_initializer
from .losses import Loss, get_loss
from .regularizers import Regularizer


class Network:
    """Dense feed-forward network.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_inputs, h_1, ..., h_L, n_outputs]``; the study's ``[h_1-...-h_L-n_outputs]``
        notation omits the input width.
    hidden_activation : str or Activation, default "sigmoid"
    output_activation : str or Activation, default "linear"
        Keep ``"linear"`` when the loss works on logits (``"bce"``, ``"softmax_ce"``).
    initializer : str or callable, default "normal"
        ``"normal"`` is the study's N(0, 0.01); ``"xavier"`` and ``"he"`` are also available.
    rng : numpy.random.Generator
        Source of the initial weights.
    dtype : numpy dtype, default float64
    leaky_slope : float, default 0.01
        Negative slope when ``hidden_activation="leaky_relu"``.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        hidden_activation: str | Activation = "sigmoid",
        output_activation: str | Activation = "linear",
        initializer="normal",
        rng: np.random.Generator | None = None,
        dtype=np.float64,
        leaky_slope: float = 0.01,
    ):
        sizes = [int(size) for size in layer_sizes]
        if len(sizes) < 2 or min(sizes) < 1 or sizes != list(layer_sizes):  # the last catches 2.5 -> 2
            raise ValueError(f"layer_sizes needs at least an input and an output width, all integers >= 1; got {list(layer_sizes)}")
        if rng is None:
            raise ValueError("Network needs rng=numpy.random.Generator for its initial weights")
        self.layer_sizes = sizes
        self.dtype = np.dtype(dtype)
        kwargs = {"alpha": leaky_slope} if hidden_activation == "leaky_relu" else {}
        self.hidden_activation = get_activation(hidden_activation, **kwargs)
        self.output_activation = get_activation(output_activation)
        init = get_initializer(initializer)
        self.weights = [init(n_in, n_out, rng, self.dtype) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n_out, dtype=self.dtype) for n_out in sizes[1:]]

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + output layer)."""
        return len(self.weights)

    @property
    def params(self) -> list[np.ndarray]:
        """The live parameter arrays ``[W0, b0, W1, b1, ...]``; optimisers update them in place."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    @property
    def n_params(self) -> int:
        return sum(p.size for p in self.params)

    @property
    def penalised(self) -> list[bool]:
        """Per entry of ``params``, whether an L1/L2 penalty applies to it: weights yes, biases no."""
        return [True, False] * self.n_layers

    def _activation(self, layer: int) -> Activation:
        return self.output_activation if layer == self.n_layers - 1 else self.hidden_activation

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Network output of shape ``(n_samples, n_outputs)`` for inputs ``X`` of shape ``(n_samples, n_inputs)``."""
        a = np.asarray(X, dtype=self.dtype)
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            a = self._activation(layer).forward_with_bias(a @ W, b)
        return a

    def forward_with_cache(self, X: np.ndarray) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """Output and, per layer, the pair ``(input activation, pre-activation z)`` backprop needs."""
        a = np.asarray(X, dtype=self.dtype)
        cache = []
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W
            cache.append((a, z))
            a = self._activation(layer).forward_with_bias(z, b)
        return a, cache

    def backward(self, cache, grad_output: np.ndarray, out: list[np.ndarray] | None = None) -> list[np.ndarray]:
        """Gradients ``[dW0, db0, dW1, db1, ...]`` from the gradient with respect to the output.

        The gradient with respect to the network input is never formed: for a
        784-input first layer it would be the most expensive product of the step.

        ``out``, if given, is a list of arrays shaped like ``params`` (e.g. from
        :meth:`gradient_buffers`) that receives the gradients and is returned; a training loop
        reuses it so that no step allocates gradient arrays.
        """
        grads = self.gradient_buffers() if out is None else out
        grad_a = grad_output
        for layer in reversed(range(self.n_layers)):
            a_in, z = cache[layer]
            delta = self._activation(layer).backward_with_bias_gradient(z, grad_a, grads[2 * layer + 1])
            np.matmul(a_in.T, delta, out=grads[2 * layer])
            if layer > 0:
                grad_a = delta @ self.weights[layer].T
        return grads

    def gradient_buffers(self) -> list[np.ndarray]:
        """Uninitialised arrays shaped like ``params``, for the ``out`` argument of :meth:`backward`."""
        return [np.empty_like(p) for p in self.params]

    def loss_and_gradients(
        self,
        X: np.ndarray,
        y: np.ndarray,
        loss: str | Loss,
        regularizer: Regularizer | None = None,
        *,
        out: list[np.ndarray] | None = None,
    ) -> tuple[float, list[np.ndarray]]:
        """Penalised loss on ``(X, y)`` and its gradient with respect to ``params``.

        ``out`` is passed to :meth:`backward`. The training loop passes no ``regularizer`` and
        lets the optimiser add the penalty gradient instead (see :meth:`Optimizer.step`).
        """
        loss = get_loss(loss)
        output, cache = self.forward_with_cache(X)
        value, grad_output = loss.value_and_gradient(output, y)
        grads = self.backward(cache, grad_output, out=out)
        if regularizer is not None:
            value = regularizer.add_to(value, self.params, grads, self.penalised)
        return value, grads

    def __repr__(self) -> str:
        hidden = "-".join(str(s) for s in self.layer_sizes[1:])
        return f"Network([{hidden}], {self.hidden_activation!r}, {self.output_activation!r}, {self.dtype})"
