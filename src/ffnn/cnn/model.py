"""The convolutional network of the FashionMNIST study, built from a dictionary of settings.

Input rows of 784 pixels become ``(1, 28, 28)`` images, which with ``max_shift > 0`` a
``RandomShift`` moves in training (data augmentation: each image by its own random offset of up
to ``max_shift`` pixels along each axis). Each entry of ``channels`` adds a block
``Conv2D(3x3 or kernel_size, "same")`` with the activation fused in, then ``MaxPool2D(2)``, which halves the image
(28 -> 14 -> 7 ...), then with ``batch_norm`` a ``BatchNorm`` of the pooled maps, and with
``conv_dropout > 0`` a ``Dropout`` of that rate. Then ``Flatten``, and for each width in ``dense``
a ``Dense`` layer with the activation fused in, before the ``Dense`` layer of 10 logits. With
``dropout > 0`` a ``Dropout`` layer precedes every ``Dense`` layer.

Batch normalisation comes after the pooling rather than before the activation (Ioffe and
Szegedy's place): it still hands the next layer inputs of zero mean and unit variance per channel,
and it touches a quarter of the values, which keeps its cost per epoch small beside the convolutions'.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..data.fashion_mnist import IMAGE_SHAPE, N_CLASSES, N_PIXELS
from ..layers import (
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
from ..settings import TRAINING_KEYS

#: The keys every CNN settings mapping must hold (the config's ``cnn.model`` and its grid cells):
#: the architecture's, then the training keys of :mod:`ffnn.settings` and ``record_every``, as the
#: dense network's settings end.
CNN_SETTINGS_KEYS = (
    "channels",
    "kernel_size",
    "dense",
    "dropout",
    "conv_dropout",
    "batch_norm",
    "max_shift",
    "activation",
    "initializer",
    *TRAINING_KEYS,
    "record_every",
)


def build_cnn(settings: Mapping, n_inputs: int, rng: np.random.Generator, dtype=np.float32) -> Sequential:
    """The CNN of ``settings`` taking rows of ``n_inputs = 784`` pixels and giving 10 logits.

    ``rng`` draws the initial weights layer by layer; the dropout layers share a child generator
    spawned from it (:meth:`numpy.random.Generator.spawn`) and the shifts draw from a second one, so
    that their masks, the offsets and the mini-batch order that ``rng`` goes on to draw in training
    are independent streams.
    """
    missing = [key for key in CNN_SETTINGS_KEYS if key not in settings]
    if missing:
        raise ValueError(f"CNN settings lack {missing}")
    if n_inputs != N_PIXELS:
        raise ValueError(f"the CNN takes rows of {N_PIXELS} pixels, got {n_inputs}")
    activation, init, rate = settings["activation"], settings["initializer"], settings["dropout"]
    dropout_rng, shift_rng = rng.spawn(2)
    layers = [Reshape((1, *IMAGE_SHAPE))]
    layers += [RandomShift(settings["max_shift"], shift_rng)] if settings["max_shift"] > 0 else []
    in_channels = 1
    for out_channels in settings["channels"]:
        conv = Conv2D(
            in_channels,
            out_channels,
            settings["kernel_size"],
            rng,
            padding="same",
            activation=activation,
            initializer=init,
            dtype=dtype,
        )
        layers += [conv, MaxPool2D(2)]
        layers += [BatchNorm(out_channels, dtype=dtype)] if settings["batch_norm"] else []
        layers += [Dropout(settings["conv_dropout"], dropout_rng)] if settings["conv_dropout"] > 0 else []
        in_channels = out_channels
    layers.append(Flatten())
    (width,) = Sequential(layers, (N_PIXELS,), dtype=dtype).shapes[-1]
    widths = [*settings["dense"], N_CLASSES]
    activations = [activation] * len(settings["dense"]) + ["linear"]  # the last layer gives logits
    for n_out, layer_activation in zip(widths, activations, strict=True):
        layers += [Dropout(rate, dropout_rng)] if rate > 0 else []
        layers.append(Dense(width, n_out, rng, activation=layer_activation, initializer=init, dtype=dtype))
        width = n_out
    return Sequential(layers, (N_PIXELS,), dtype=dtype)


def cnn_label(settings: Mapping) -> str:
    """Short name of an architecture, e.g.
    ``shifts ±2 px, conv 16-32, batch norm, dropout 0.2, dense 128-10, dropout 0.25``."""
    shifts = f"shifts ±{settings['max_shift']} px, " if settings["max_shift"] > 0 else ""
    channels = "-".join(str(c) for c in settings["channels"])
    batch_norm = ", batch norm" if settings["batch_norm"] else ""
    conv_dropout = f", dropout {settings['conv_dropout']:g}" if settings["conv_dropout"] > 0 else ""
    dense = "-".join(str(w) for w in (*settings["dense"], N_CLASSES))
    dropout = f", dropout {settings['dropout']:g}" if settings["dropout"] > 0 else ""
    return f"{shifts}conv {channels}{batch_norm}{conv_dropout}, dense {dense}{dropout}"
