"""Training, validation and test parts of Fashion-MNIST.

The published 60,000/10,000 train/test split is kept. A stratified, seeded validation part is
carved from the 60,000 training images: every choice of the study (architecture, learning rate,
batch size, penalty, optimiser, activation) is made on it; the test images score the chosen
models, and grid cells record their test scores for the audit, which no choice reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data.fashion_mnist import (
    load_fashion_mnist,
    scale_pixels,
    stratified_validation_split,
    subsample_stratified,
)
from ..io import save_npz

SPLIT_KEYS = ("train_idx", "val_idx")


def make_splits(
    y_train: np.ndarray,
    validation_fraction: float,
    rng: np.random.Generator,
    train_samples: int | None = None,
    validation_samples: int | None = None,
) -> dict[str, np.ndarray]:
    """Indices of the training and validation parts, both into the published training set.

    Parameters
    ----------
    y_train : ndarray of int, shape (n,)
        Labels of the published training set (n = 60,000).
    validation_fraction : float
        Share of ``y_train`` held out for validation, in (0, 1), stratified by class.
    rng : numpy.random.Generator
        Source of every random choice here.
    train_samples, validation_samples : int or None, default None
        Keep only a stratified random subset of this many from each part (for small runs);
        ``None`` keeps the whole part.

    Returns
    -------
    dict
        ``train_idx`` and ``val_idx``: sorted, disjoint int64 index arrays.

    Raises
    ------
    ValueError
        If a subset size exceeds its part.
    """
    train_idx, val_idx = stratified_validation_split(y_train, validation_fraction, rng)
    parts = {"train_idx": train_idx, "val_idx": val_idx}
    for key, n in (("train_idx", train_samples), ("val_idx", validation_samples)):
        if n is None:
            continue
        if n > parts[key].size:
            raise ValueError(f"{key}: asked for {n} samples but the part has only {parts[key].size}")
        parts[key] = parts[key][subsample_stratified(y_train[parts[key]], n, rng)]
    return parts


@dataclass(frozen=True)
class FashionSplit:
    """Scaled images (rows of 784 pixels in [0, 1]) and integer labels of each part.

    ``X_test``/``y_test`` are ``None`` unless the test part was asked for.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray | None = None
    y_test: np.ndarray | None = None


def save_splits(parts: dict[str, np.ndarray], path: str | os.PathLike) -> None:
    """Write the index arrays of :func:`make_splits` to an npz, atomically."""
    save_npz({key: parts[key] for key in SPLIT_KEYS}, path)


def load_splits(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read the index arrays written by :func:`save_splits`."""
    path = Path(path)
    with np.load(path, allow_pickle=False) as npz:
        missing = [key for key in SPLIT_KEYS if key not in npz.files]
        if missing:
            raise ValueError(f"{path}: missing index arrays {missing}")
        return {key: npz[key] for key in SPLIT_KEYS}


def load_split(
    data_path: str | os.PathLike,
    splits_path: str | os.PathLike,
    dtype=np.float32,
    include_test: bool = False,
) -> FashionSplit:
    """The parts of Fashion-MNIST named by a splits file, scaled to [0, 1] in ``dtype``.

    Parameters
    ----------
    data_path : path-like
        npz of :func:`ffnn.data.fashion_mnist.prepare_fashion_mnist`.
    splits_path : path-like
        npz with ``train_idx`` and ``val_idx`` (see :func:`make_splits`).
    dtype : floating dtype, default float32
    include_test : bool, default False
        Also load the 10,000 test images: to score a chosen model, or to record a grid cell's test
        scores (which no choice reads).
    """
    data = load_fashion_mnist(data_path)
    parts = load_splits(splits_path)
    n_train = len(data["y_train"])
    for key, index in parts.items():
        if index.size and (index.min() < 0 or index.max() >= n_train):
            raise ValueError(f"{splits_path}: {key} points outside the {n_train} training images")
    x, y = data["x_train"], data["y_train"]
    test = {}
    if include_test:
        test = {"X_test": scale_pixels(data["x_test"], dtype), "y_test": data["y_test"]}
    return FashionSplit(
        X_train=scale_pixels(x[parts["train_idx"]], dtype),
        y_train=y[parts["train_idx"]],
        X_val=scale_pixels(x[parts["val_idx"]], dtype),
        y_val=y[parts["val_idx"]],
        **test,
    )
