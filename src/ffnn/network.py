"""A fully connected feed-forward network: forward pass and backpropagation (Eqs. 8-9, 16-17).

Samples are rows: a layer maps activations ``A`` of shape ``(n, fan_in)`` to
``Z = A @ W + b`` of shape ``(n, fan_out)``, the transpose of the study's column
convention, so that a mini-batch is one matrix product per layer.

:class:`Network` is the :class:`~ffnn.layers.Sequential` of one :class:`~ffnn.layers.Dense`
layer per weight matrix, each with its activation fused in; it only names the study's
settings (layer widths, one hidden and one output activation) and exposes the layers'
arrays as ``weights`` and ``biases``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import Activation, get_activation
from .layers import Dense, Sequential


class Network(Sequential):
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
        Source of the initial weights, drawn layer by layer from the input side.
    dtype : numpy dtype, default float64
    leaky_slope : float, default 0.01
        Negative slope when ``hidden_activation="leaky_relu"``.

    Notes
    -----
    ``params`` is ``[W0, b0, W1, b1, ...]`` with ``W_l`` of shape ``(layer_sizes[l], layer_sizes[l + 1])``.
    :meth:`forward` takes the whole input in one pass (no chunks): a dense layer's activations
    are small, and one product per layer is what its predictions have always been computed with.
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
            raise ValueError(
                f"layer_sizes needs at least an input and an output width, all integers >= 1; got {list(layer_sizes)}"
            )
        if rng is None:
            raise ValueError("Network needs rng=numpy.random.Generator for its initial weights")
        self.layer_sizes = sizes
        kwargs = {"alpha": leaky_slope} if hidden_activation == "leaky_relu" else {}
        self.hidden_activation = get_activation(hidden_activation, **kwargs)
        self.output_activation = get_activation(output_activation)
        activations = [self.hidden_activation] * (len(sizes) - 2) + [self.output_activation]
        layers = [
            Dense(n_in, n_out, rng, activation=activation, initializer=initializer, dtype=dtype)
            for n_in, n_out, activation in zip(sizes[:-1], sizes[1:], activations, strict=True)
        ]
        super().__init__(layers, (sizes[0],), dtype=dtype, inference_batch=None)

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + output layer)."""
        return len(self.layers)

    @property
    def biases(self) -> list[np.ndarray]:
        """The live bias arrays ``[b0, b1, ...]``, each of shape ``(layer_sizes[l + 1],)``; ``weights``
        (from :class:`~ffnn.layers.Sequential`) are ``[W0, W1, ...]``."""
        return [layer.b for layer in self.layers]

    def __repr__(self) -> str:
        hidden = "-".join(str(s) for s in self.layer_sizes[1:])
        return f"Network([{hidden}], {self.hidden_activation!r}, {self.output_activation!r}, {self.dtype})"
