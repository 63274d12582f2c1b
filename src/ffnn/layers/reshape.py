"""Layers that only reshape: images to rows and rows to images."""

from __future__ import annotations

import math

from .base import Layer


class Reshape(Layer):
    """Gives each sample the shape ``shape``, e.g. rows of 784 pixels to ``(1, 28, 28)`` images."""

    def __init__(self, shape: tuple[int, ...]):
        self.shape = tuple(int(size) for size in shape)

    def output_shape(self, input_shape):
        if math.prod(input_shape) != math.prod(self.shape):
            raise ValueError(f"cannot reshape samples of shape {tuple(input_shape)} to {self.shape}")
        return self.shape

    def forward(self, x, training=False):
        if training:
            self._input_shape = x.shape
        return x.reshape(len(x), *self.shape)

    def backward(self, grad_output, grads, input_gradient=True):
        return grad_output.reshape(self._input_shape) if input_gradient else None

    def __repr__(self) -> str:
        return f"Reshape({self.shape})"


class Flatten(Reshape):
    """``(n, C, H, W)`` (or any ``(n, ...)``) to rows ``(n, C * H * W)``, in C, H, W order."""

    def __init__(self):
        super().__init__((-1,))

    def output_shape(self, input_shape):
        return (math.prod(input_shape),)

    def __repr__(self) -> str:
        return "Flatten()"
