"""An equal ``torch.nn`` model for a :class:`ffnn.layers.Sequential` (a dense
:class:`ffnn.network.Network` included), holding copies of its parameters.

Layer by layer: ``Reshape`` -> ``torch.nn.Unflatten``; ``Conv2D`` -> ``torch.nn.ZeroPad2d`` (for
"same" padding, whose zeros may be uneven at stride 2, which torch's own ``padding="same"`` does not
allow) and ``torch.nn.Conv2d``; ``MaxPool2D`` -> ``torch.nn.MaxPool2d``; ``Flatten`` ->
``torch.nn.Flatten``; ``Dense`` -> ``torch.nn.Linear`` (weight transposed); ``Conv2D`` and ``Dense``
are followed by their activation's module unless linear; ``BatchNorm`` -> ``torch.nn.BatchNorm1d``
or ``BatchNorm2d`` (``gamma``, ``beta`` and the running estimates copied); ``ActivationLayer`` -> its
activation's module; ``Dropout`` -> :class:`TwinDropout`, which draws the same masks as ours;
``RandomShift`` -> :class:`TwinRandomShift`, which draws the same offsets.
"""

from __future__ import annotations

import copy

import numpy as np
import torch

from ..activations import Activation
from ..layers import (
    ActivationLayer,
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    RandomShift,
    Reshape,
    Sequential,
)

_TORCH_ACTIVATIONS = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}
_TORCH_DTYPES = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}
_NUMPY_DTYPES = {torch_dtype: numpy_dtype for numpy_dtype, torch_dtype in _TORCH_DTYPES.items()}


class TwinDropout(torch.nn.Module):
    """Inverted dropout whose masks come from a copy of a :class:`ffnn.layers.Dropout`'s generator.

    Called on inputs of the same shapes in the same order as ours, it draws the same masks, so
    that training with dropout can be compared step by step. Identity in ``eval()`` mode.

    Parameters
    ----------
    rate : float
    rng : numpy.random.Generator
        The copy; twins of dropout layers that share a generator must share one copy.
    """

    def __init__(self, rate: float, rng: np.random.Generator):
        super().__init__()
        self.rate, self.rng = rate, rng

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return x
        keep = self.rng.random(tuple(x.shape), dtype=_NUMPY_DTYPES[x.dtype]) >= self.rate
        return x * torch.from_numpy(keep).to(x.dtype) / (1 - self.rate)


class TwinRandomShift(torch.nn.Module):
    """Random whole-pixel shifts whose offsets come from a copy of a :class:`ffnn.layers.RandomShift`'s generator.

    Drawn as ours draws them, so that called on batches of the same sizes in the same order it
    moves every image as ours does. Identity in ``eval()`` mode.
    """

    def __init__(self, max_shift: int, rng: np.random.Generator):
        super().__init__()
        self.max_shift, self.rng = max_shift, rng

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.max_shift == 0:
            return x
        s, (height, width) = self.max_shift, x.shape[2:]
        dy, dx = self.rng.integers(-s, s + 1, size=(2, len(x)))
        padded = torch.nn.functional.pad(x, (s, s, s, s))
        every = padded.unfold(2, height, 1).unfold(3, width, 1)  # (n, C, 2s+1, 2s+1, H, W)
        return every[torch.arange(len(x)), :, torch.from_numpy(s - dy), torch.from_numpy(s - dx)]


def _parameter_copy(module: torch.nn.Module, weight: np.ndarray, bias: np.ndarray) -> torch.nn.Module:
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(weight))
        module.bias.copy_(torch.from_numpy(bias))
    return module


def _generator_copy(rng: np.random.Generator, rng_copies: dict) -> np.random.Generator:
    """The twins' copy of ``rng``, made on first use: twins of layers sharing a generator share a copy."""
    if id(rng) not in rng_copies:
        rng_copies[id(rng)] = copy.deepcopy(rng)
    return rng_copies[id(rng)]


def _activation_modules(activation: Activation, layer) -> list[torch.nn.Module]:
    """The torch module of ``layer``'s activation, none for the identity."""
    if activation.name == "linear":
        return []
    if activation.name not in _TORCH_ACTIVATIONS:
        raise ValueError(
            f"no torch counterpart for {layer!r}; activations with one: linear, {', '.join(sorted(_TORCH_ACTIVATIONS))}"
        )
    return [_TORCH_ACTIVATIONS[activation.name]()]


def _twin_layers(layer, input_shape: tuple[int, ...], dtype: torch.dtype, rng_copies: dict) -> list[torch.nn.Module]:
    if isinstance(layer, Flatten):
        return [torch.nn.Flatten()]
    if isinstance(layer, Reshape):
        return [torch.nn.Unflatten(1, layer.shape)]
    if isinstance(layer, Conv2D):
        out_channels, in_channels = layer.W.shape[:2]
        (top, bottom), (left, right) = layer._pads(*input_shape[1:])
        conv = torch.nn.Conv2d(in_channels, out_channels, layer.kernel_size, stride=layer.stride, dtype=dtype)
        return [
            torch.nn.ZeroPad2d((left, right, top, bottom)),
            _parameter_copy(conv, layer.W, layer.b),
            *_activation_modules(layer.activation, layer),
        ]
    if isinstance(layer, MaxPool2D):
        return [torch.nn.MaxPool2d(layer.pool_size, stride=layer.stride)]
    if isinstance(layer, Dense):
        linear = torch.nn.Linear(*layer.W.shape, dtype=dtype)
        return [_parameter_copy(linear, layer.W.T, layer.b), *_activation_modules(layer.activation, layer)]
    if isinstance(layer, BatchNorm):
        kind = torch.nn.BatchNorm2d if len(input_shape) == 3 else torch.nn.BatchNorm1d
        norm = kind(len(layer.gamma), eps=layer.eps, momentum=layer.momentum, dtype=dtype)
        _parameter_copy(norm, layer.gamma, layer.beta)
        norm.running_mean.copy_(torch.from_numpy(layer.running_mean))
        norm.running_var.copy_(torch.from_numpy(layer.running_var))
        return [norm]
    if isinstance(layer, Dropout):
        return [TwinDropout(layer.rate, _generator_copy(layer.rng, rng_copies))]
    if isinstance(layer, RandomShift):
        return [TwinRandomShift(layer.max_shift, _generator_copy(layer.rng, rng_copies))]
    if isinstance(layer, ActivationLayer):
        return _activation_modules(layer.activation, layer)
    raise ValueError(f"no torch counterpart for {layer!r}")


def torch_twin(network: Sequential) -> torch.nn.Sequential:
    """The ``torch.nn.Sequential`` equal to ``network``, in its dtype, with copies of its parameters.

    Parameters
    ----------
    network : Sequential
        A :class:`~ffnn.network.Network` or any stack of the layers above; activations ``"relu"``,
        ``"sigmoid"``, ``"tanh"`` or ``"linear"``.

    Returns
    -------
    torch.nn.Sequential
        Its ``parameters()`` come in the order of ``network.params``, ``Linear.weight`` as ``W.T`` of
        shape ``(n_out, n_in)``; :func:`ours_layout` maps them back.

    Raises
    ------
    ValueError
        For a layer or activation without a torch counterpart.
    """
    dtype = _TORCH_DTYPES[network.dtype]
    rng_copies: dict[int, np.random.Generator] = {}  # id of our generator -> the twins' copy
    modules = [
        module
        for layer, shape in zip(network.layers, network.shapes[:-1], strict=True)
        for module in _twin_layers(layer, shape, dtype, rng_copies)
    ]
    return torch.nn.Sequential(*modules)


def ours_layout(model: torch.nn.Module) -> list[np.ndarray]:
    """A torch model's parameters as arrays in our layout and order (``Linear`` weights transposed)."""
    arrays = []
    for module in model.modules():
        if isinstance(module, (torch.nn.Linear, torch.nn.Conv2d, torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
            weight = module.weight.detach().numpy()
            arrays += [weight.T if isinstance(module, torch.nn.Linear) else weight, module.bias.detach().numpy()]
    return arrays
