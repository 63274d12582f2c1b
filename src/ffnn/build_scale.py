"""How large a build is beside the full study: the sizes that set how far its numbers can go.

A smaller build (the quick one that continuous integration runs) trains on fewer images, for fewer
epochs, over smaller grids and fewer training seeds. Its verdicts test the pipeline, not the study,
and the report says so in numbers: :func:`build_scale` lists every size in which a build differs
from the full study's configuration (``config/config.yaml``).
"""

from __future__ import annotations

from math import prod
from collections.abc import Callable, Mapping

import pandas as pd

from .number_sources import count_items

#: The published FashionMNIST training images, which the split divides into training and validation parts.
FASHION_TRAINING_IMAGES = 60_000


def _path(*keys: str) -> Callable[[Mapping], float]:
    def read(config: Mapping) -> float:
        value = config
        for key in keys:
            value = value[key]
        return value

    return read


def _count(*keys: str) -> Callable[[Mapping], int]:
    return lambda config: count_items(_path(*keys)(config))


def _fashion_part(name: str) -> Callable[[Mapping], int]:
    """Images of the training or validation part: the configured subset, or the whole part (``null``)."""

    def read(config: Mapping) -> int:
        split = config["fashion"]["split"]
        validation = round(split["validation_fraction"] * FASHION_TRAINING_IMAGES)
        whole = validation if name == "validation" else FASHION_TRAINING_IMAGES - validation
        return split[f"{name}_samples"] or whole

    return read


def _fashion_grid_cells(config: Mapping) -> int:
    """Cells of every FashionMNIST grid together (each grid the product of its axes' values)."""
    fashion = config["fashion"]
    axes = {
        "pyramid": ("first_width", "depth"),
        "uniform": ("width", "depth"),
        "lr_batch": ("learning_rate", "batch_size"),
        "optimizer_lambda": ("optimizer", "lam"),
    }
    cells = sum(prod(count_items(fashion[grid][axis]) for axis in names) for grid, names in axes.items())
    return cells + count_items(fashion["activation"])


def _runge_grid_cells(config: Mapping) -> int:
    """Cells of the Runge network grids together (optimisers x learning rates, depth x activation,
    depth x width x activation, and the three sweeps of each penalty)."""
    runge = config["runge"]
    optimizers = runge["optimizer_lr"]
    depth_activation, depth_width, penalties = runge["depth_activation"], runge["depth_width"], runge["regularization"]
    return (
        count_items(optimizers["optimizers"]) * count_items(optimizers["learning_rates"])
        + count_items(depth_activation["depths"]) * count_items(depth_activation["activations"])
        + count_items(depth_width["depths"])
        * count_items(depth_width["widths"])
        * count_items(depth_width["activations"])
        + 2 * sum(count_items(penalties[axis]) for axis in ("lambdas", "learning_rates", "batch_sizes"))
    )


#: What is measured, and how to read it from a configuration (the merged config of a build).
SIZES: dict[str, Callable[[Mapping], float]] = {
    "FashionMNIST training images": _fashion_part("train"),
    "FashionMNIST validation images": _fashion_part("validation"),
    "epochs of every FashionMNIST network": _path("fashion", "model", "epochs"),
    "cells of the FashionMNIST grids": _fashion_grid_cells,
    "epochs of the convolutional network": _path("cnn", "model", "epochs"),
    "training seeds of every headline network": _path("seeds"),
    "restarts of every Runge grid cell": _path("runge", "repeats"),
    "cells of the Runge network grids": _runge_grid_cells,
    "epochs of the Runge depth and width grids": _path("runge", "depth_width", "training", "epochs"),
    "epochs of the Runge penalty sweeps": _path("runge", "regularization", "epochs"),
    "epochs of the untuned Runge network": _path("runge", "final_models", "untuned", "epochs"),
    "polynomial degrees of the baselines": _count("runge", "baselines", "degrees"),
}


def build_scale(build: Mapping, full: Mapping, only_differences: bool = True) -> pd.DataFrame:
    """Every size of :data:`SIZES` in which ``build`` differs from ``full`` (or every size).

    Parameters
    ----------
    build, full : mapping
        The configuration a build ran with, and the full study's (``config/config.yaml``).
    only_differences : bool, default True
        Leave out the sizes the two share (False: every size, as for the full build itself).

    Returns
    -------
    pandas.DataFrame
        Columns ``size`` (what is measured), ``build``, ``full`` and ``fraction`` (build / full),
        in the order of :data:`SIZES`; with ``only_differences``, no rows when the build is the full study.
    """
    rows = []
    for size, read in SIZES.items():
        ours, study = read(build), read(full)
        if ours != study or not only_differences:
            rows.append({"size": size, "build": ours, "full": study, "fraction": ours / study})
    # object columns keep the numbers as read, with their sources where the report's config carries them
    return pd.DataFrame(rows, columns=["size", "build", "full", "fraction"], dtype=object)
