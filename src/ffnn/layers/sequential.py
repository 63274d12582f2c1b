"""A stack of layers trained as one network: the library's one trainable container.

The dense :class:`ffnn.network.Network` is a :class:`Sequential` of :class:`~ffnn.layers.Dense`
layers, and the FashionMNIST CNN one of convolutions, pooling and dense layers. What
:func:`ffnn.training.train`, the optimisers and the penalties use of it (``dtype``, ``params``,
``penalised``, ``forward``, ``gradient_buffers``, ``loss_and_gradients``) is
:class:`ffnn.training.Trainable`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..losses import Loss, get_loss
from ..regularizers import Regularizer
from .base import Layer


class Sequential:
    """Layers applied in order.

    Parameters
    ----------
    layers : sequence of Layer
        Their parameters must already have ``dtype``.
    input_shape : tuple of int
        Shape of one input sample, e.g. ``(784,)``; every layer's output shape is checked from it.
    dtype : numpy dtype, default float64
    inference_batch : int or None, default 128
        :meth:`forward` runs in chunks of this many samples, which bounds the memory of the
        convolutions' window matrices when whole data sets are predicted; small chunks stay in
        cache (a FashionMNIST CNN predicted a third faster in chunks of 128 than of 1024).
        ``None`` takes the whole input in one pass.
    """

    def __init__(
        self, layers: Sequence[Layer], input_shape: tuple[int, ...], dtype=np.float64, inference_batch: int | None = 128
    ):
        self.layers = list(layers)
        self.dtype = np.dtype(dtype)
        self.inference_batch = None if inference_batch is None else int(inference_batch)
        self.shapes = [tuple(input_shape)]
        for layer in self.layers:
            self.shapes.append(tuple(layer.output_shape(self.shapes[-1])))
        wrong = [p.dtype for p in self.params if p.dtype != self.dtype]
        if wrong:
            raise ValueError(f"Sequential of dtype {self.dtype} holds parameters of dtype {wrong[0]}")
        # Where each layer's parameters start in `params`, and which entries are penalised weights.
        sizes = [len(layer.params) for layer in self.layers]
        self._offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist()
        # Below the first layer with parameters no gradient is needed (a Reshape of the input, say).
        self._first_trainable = next((i for i, size in enumerate(sizes) if size), len(sizes))
        weight_ids = {id(w) for w in self.weights}
        self._penalised = [id(p) in weight_ids for p in self.params]

    @property
    def params(self) -> list[np.ndarray]:
        """The live parameter arrays, layer by layer: ``[W, b]`` for each Dense and Conv2D,
        ``[gamma, beta]`` for each BatchNorm."""
        return [p for layer in self.layers for p in layer.params]

    @property
    def weights(self) -> list[np.ndarray]:
        """The penalised subset of ``params``: weights and kernels, not biases."""
        return [w for layer in self.layers for w in layer.weights]

    @property
    def n_params(self) -> int:
        return sum(p.size for p in self.params)

    @property
    def penalised(self) -> list[bool]:
        """Per entry of ``params``, whether an L1/L2 penalty applies to it: weights and kernels, not biases."""
        return list(self._penalised)

    def _forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Output ``(n, *shapes[-1])`` for ``X`` of shape ``(n, *input_shape)``, in inference mode (no dropout)."""
        X = np.asarray(X, dtype=self.dtype)
        if self.inference_batch is None:
            return np.ascontiguousarray(self._forward(X, False))
        chunks = [
            self._forward(X[first : first + self.inference_batch], False)
            for first in range(0, len(X), self.inference_batch)
        ]
        return np.concatenate(chunks) if len(chunks) != 1 else np.ascontiguousarray(chunks[0])

    def gradient_buffers(self) -> list[np.ndarray]:
        """Uninitialised arrays shaped like ``params``, for the ``out`` argument of :meth:`backward`."""
        return [np.empty_like(p) for p in self.params]

    def backward(self, grad_output: np.ndarray, out: list[np.ndarray] | None = None) -> list[np.ndarray]:
        """Gradients shaped like ``params`` after a training forward pass, from the output's gradient.

        ``out``, if given, receives the gradients and is returned. The gradient with respect to the
        first layer with parameters' input is never formed: for a first convolution it would cost
        as much as the kernels' gradient.
        """
        grads = self.gradient_buffers() if out is None else out
        grad = grad_output
        for index in reversed(range(self._first_trainable, len(self.layers))):
            layer_grads = grads[self._offsets[index] : self._offsets[index + 1]]
            grad = self.layers[index].backward(grad, layer_grads, input_gradient=index > self._first_trainable)
        return grads

    def loss_and_gradients(
        self,
        X: np.ndarray,
        y: np.ndarray,
        loss: str | Loss,
        regularizer: Regularizer | None = None,
        *,
        out: list[np.ndarray] | None = None,
    ) -> tuple[float, list[np.ndarray]]:
        """Penalised loss on ``(X, y)`` in training mode and its gradient with respect to ``params``.

        ``out`` is passed to :meth:`backward`. The training loop passes no ``regularizer`` and
        lets the optimiser add the penalty gradient instead (see :meth:`Optimizer.step`).
        """
        output = self._forward(np.asarray(X, dtype=self.dtype), True)
        value, grad_output = get_loss(loss).value_and_gradient(output, y)
        grads = self.backward(grad_output, out=out)
        if regularizer is not None:
            value = regularizer.add_to(value, self.params, grads, self.penalised)
        return value, grads

    def __repr__(self) -> str:
        return "Sequential([" + ", ".join(repr(layer) for layer in self.layers) + "])"
