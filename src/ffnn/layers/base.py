"""The interface every layer implements."""

from __future__ import annotations

import numpy as np


class Layer:
    """Base class: a stateless map with no parameters unless a subclass adds them.

    ``forward(x, training=True)`` keeps what ``backward`` needs on the layer itself; the
    following ``backward`` reads it. ``params`` are the live arrays optimisers update in place,
    ``weights`` the subset a penalty applies to (never biases).
    """

    @property
    def params(self) -> list[np.ndarray]:
        return []

    @property
    def weights(self) -> list[np.ndarray]:
        return []

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one output sample for one input sample of ``input_shape`` (no batch axis)."""
        return tuple(input_shape)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(
        self, grad_output: np.ndarray, grads: list[np.ndarray], input_gradient: bool = True
    ) -> np.ndarray | None:
        """Gradient with respect to the last training ``forward``'s input.

        Parameters
        ----------
        grad_output : ndarray
            Gradient of the loss with respect to the layer's output, the output's shape.
        grads : list of ndarray
            Arrays shaped like ``params``; the parameter gradients are written into them.
        input_gradient : bool, default True
            ``False`` skips the input gradient (the first layer never needs it) and returns ``None``.
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class WeightedLayer(Layer):
    """A layer with weights ``W`` (penalised) and biases ``b`` (not), set by the subclass."""

    W: np.ndarray
    b: np.ndarray

    @property
    def params(self) -> list[np.ndarray]:
        return [self.W, self.b]

    @property
    def weights(self) -> list[np.ndarray]:
        return [self.W]
