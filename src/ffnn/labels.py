"""How settings' values read in figures and tables: ``leaky_relu_0.05`` as ``Leaky ReLU (α = 0.05)``."""

from __future__ import annotations

import re

ACTIVATION_LABELS = {
    "sigmoid": "Sigmoid",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "tanh": "tanh",
    "linear": "Linear",
}
OPTIMIZER_LABELS = {
    "adam": "Adam",
    "rmsprop": "RMSProp",
    "sgd": "Plain GD",
    "momentum": "Momentum",
    "adagrad": "Adagrad",
}


def value_label(value: str) -> str:
    """An activation or optimiser name as a reader writes it; a config variant such as
    ``leaky_relu_0.05`` (the activation and its slope) as ``Leaky ReLU (α = 0.05)``; anything else unchanged."""
    if value in ACTIVATION_LABELS:
        return ACTIVATION_LABELS[value]
    if value in OPTIMIZER_LABELS:
        return OPTIMIZER_LABELS[value]
    variant = re.fullmatch(r"leaky_relu_([0-9.eE+-]+)", value)
    if variant:
        return f"{ACTIVATION_LABELS['leaky_relu']} (\u03b1\u00a0=\u00a0{variant.group(1)})"
    return value
