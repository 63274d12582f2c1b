"""A trained network's parameters on disk, so that a later job can score it without retraining."""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Mapping

import numpy as np

from ..data.fashion_mnist import N_PIXELS
from ..io import save_npz
from ..network import Network
from .fitting import build_network


def save_weights(network: Network, path: str | os.PathLike) -> None:
    """Write ``network.params`` as ``param_0``, ``param_1``, ... (W0, b0, W1, b1, ...) to an npz, atomically."""
    save_npz({f"param_{i}": p for i, p in enumerate(network.params)}, path)


def load_network(settings: Mapping, path: str | os.PathLike, dtype=np.float32) -> Network:
    """The network of ``settings`` (784 inputs, 10 logits) holding the parameters saved at ``path``.

    Raises
    ------
    ValueError
        If the file's arrays do not fit the architecture of ``settings``.
    """
    # The drawn initial weights are overwritten at once, so the generator's seed is immaterial.
    network = build_network(settings, N_PIXELS, np.random.default_rng(0), dtype)
    path = Path(path)
    with np.load(path, allow_pickle=False) as saved:
        names = [f"param_{i}" for i in range(len(network.params))]
        if sorted(saved.files) != sorted(names):
            raise ValueError(f"{path}: holds {sorted(saved.files)}, but the network of these settings needs {names}")
        for name, param in zip(names, network.params, strict=True):
            if saved[name].shape != param.shape:
                raise ValueError(f"{path}: {name} has shape {saved[name].shape}, the network needs {param.shape}")
            param[...] = saved[name]
    return network
