"""An activation function of :mod:`ffnn.activations` as a layer."""

from __future__ import annotations

from ..activations import Activation, get_activation
from .base import Layer


class ActivationLayer(Layer):
    """Applies an activation to its input of any shape; no parameters.

    Parameters
    ----------
    activation : str or Activation
        A name of :func:`ffnn.activations.get_activation` (``"relu"``, ``"sigmoid"`` ...) or an instance.
    """

    def __init__(self, activation: str | Activation):
        self.activation = get_activation(activation)

    def forward(self, x, training=False):
        if training:
            self._input = x
        return self.activation.forward(x)

    def backward(self, grad_output, grads, input_gradient=True):
        return self.activation.backward(self._input, grad_output) if input_gradient else None

    def __repr__(self) -> str:
        return f"ActivationLayer({self.activation!r})"
