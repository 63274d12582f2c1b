"""Runge's function sampled on [-1, 1] and split into train / validation / test parts.

The study (Section II.A.2) used 100 equally spaced points, an 80/20 train/test split and
inputs standardised with scikit-learn's ``StandardScaler``; it tuned hyperparameters on the
test part. Here a validation part is carved out of the training part for tuning, so the
test part is only used for the final numbers of chosen models.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from sklearn.preprocessing import StandardScaler

from ..io import save_npz

__all__ = ["runge", "make_runge_split", "RungeSplit"]

_ARRAY_NAMES = ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")


def runge(x: ArrayLike) -> np.ndarray:
    """Runge's function ``f(x) = 1 / (1 + 25 x^2)``, elementwise.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    numpy.ndarray of float, same shape as ``x``
    """
    x = np.asarray(x, dtype=np.float64)
    return 1.0 / (1.0 + 25.0 * np.square(x))


@dataclass(frozen=True, eq=False)
class RungeSplit:
    """Raw inputs and targets of the three parts, and the scaler fitted on training inputs.

    Attributes
    ----------
    x_train, x_val, x_test : numpy.ndarray, shape (n_part, 1)
        Raw inputs in [-1, 1].
    y_train, y_val, y_test : numpy.ndarray, shape (n_part, 1)
        Targets (Runge's function plus any noise).
    scaler : sklearn.preprocessing.StandardScaler
        Fitted on ``x_train`` only, so nothing of the validation or test inputs leaks
        into training (Eq. 6 of the study).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    scaler: StandardScaler

    def __post_init__(self) -> None:
        for part in ("train", "val", "test"):
            x, y = getattr(self, f"x_{part}"), getattr(self, f"y_{part}")
            if x.ndim != 2 or x.shape[1] != 1 or x.shape[0] == 0:
                raise ValueError(f"x_{part} must have shape (n, 1) with n >= 1, got {x.shape}")
            if y.shape != x.shape:
                raise ValueError(f"y_{part} must have the shape of x_{part} {x.shape}, got {y.shape}")

    @classmethod
    def from_arrays(
        cls,
        x_train: ArrayLike,
        y_train: ArrayLike,
        x_val: ArrayLike,
        y_val: ArrayLike,
        x_test: ArrayLike,
        y_test: ArrayLike,
    ) -> RungeSplit:
        """Build a split from raw arrays, fitting the scaler on ``x_train``.

        Each array may have shape (n,) or (n, 1); it is stored as float64 of shape (n, 1).
        """
        arrays = [
            np.asarray(a, dtype=np.float64).reshape(-1, 1) for a in (x_train, y_train, x_val, y_val, x_test, y_test)
        ]
        scaler = StandardScaler().fit(arrays[0])
        return cls(*arrays, scaler=scaler)

    def scale(self, x: ArrayLike) -> np.ndarray:
        """Standardise raw inputs with the training scaler.

        Parameters
        ----------
        x : array_like, shape (n,) or (n, 1)
            Raw inputs, e.g. a dense grid on [-1, 1] for plotting.

        Returns
        -------
        numpy.ndarray, shape (n, 1)
        """
        return self.scaler.transform(np.asarray(x, dtype=np.float64).reshape(-1, 1))

    @property
    def z_train(self) -> np.ndarray:
        """Standardised training inputs, shape (n_train, 1)."""
        return self.scale(self.x_train)

    @property
    def z_val(self) -> np.ndarray:
        """Standardised validation inputs, shape (n_val, 1)."""
        return self.scale(self.x_val)

    @property
    def z_test(self) -> np.ndarray:
        """Standardised test inputs, shape (n_test, 1)."""
        return self.scale(self.x_test)

    def save(self, path: str | os.PathLike) -> None:
        """Write the six raw arrays to an ``.npz`` file atomically (:func:`ffnn.io.save_npz`).

        The scaler is not stored: :meth:`load` refits it on ``x_train``, which reproduces it exactly.
        """
        save_npz({name: getattr(self, name) for name in _ARRAY_NAMES}, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> RungeSplit:
        """Read a split written by :meth:`save`.

        Raises
        ------
        FileNotFoundError
            If ``path`` does not exist.
        ValueError
            If the file lacks one of the arrays or an array has the wrong shape.
        """
        with np.load(path) as stored:
            missing = [name for name in _ARRAY_NAMES if name not in stored.files]
            if missing:
                raise ValueError(f"{path}: not a Runge split, missing arrays {missing}")
            arrays = {name: stored[name] for name in _ARRAY_NAMES}
        try:
            return cls.from_arrays(**arrays)
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from error


def _part_size(fraction: float, n: int) -> int:
    # round, not ceil: 0.2 * 80 is 16.000000000000004 in floating point
    return int(round(fraction * n))


def make_runge_split(
    n_points: int = 100,
    noise_std: float = 0.0,
    test_fraction: float = 0.2,
    validation_fraction: float = 0.2,
    *,
    rng: np.random.Generator,
) -> RungeSplit:
    """Sample Runge's function on an equally spaced grid and split it at random.

    The ``n_points`` inputs are ``numpy.linspace(-1, 1, n_points)``; targets are
    ``runge(x) + noise_std * N(0, 1)``. A random permutation puts
    ``round(test_fraction * n_points)`` points in the test part; of the rest,
    ``round(validation_fraction * n_rest)`` go to validation and the remainder to training.
    With the defaults this gives 64 training, 16 validation and 20 test points.

    Parameters
    ----------
    n_points : int, default 100
        Number of grid points, at least 10.
    noise_std : float, default 0.0
        Standard deviation of the Gaussian noise added to the targets (the study's
        ``noise_scale``, 0.01 in its noisy runs); must be >= 0.
    test_fraction : float, default 0.2
        Fraction of all points held out for testing, in (0, 1).
    validation_fraction : float, default 0.2
        Fraction of the non-test points held out for validation, in (0, 1).
    rng : numpy.random.Generator
        Source of the permutation (drawn first) and the noise (drawn second), so a
        given seed yields the same partition of x for every noise level.

    Returns
    -------
    RungeSplit
        Arrays of shape (n_part, 1); the scaler is fitted on the training inputs.

    Raises
    ------
    ValueError
        If an argument is out of range or a part would hold fewer than 1 point
        (fewer than 2 for training).
    TypeError
        If ``rng`` is not a ``numpy.random.Generator``.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if int(n_points) != n_points or n_points < 10:
        raise ValueError(f"n_points must be an integer >= 10, got {n_points!r}")
    if not noise_std >= 0:
        raise ValueError(f"noise_std must be >= 0, got {noise_std!r}")
    for name, fraction in (("test_fraction", test_fraction), ("validation_fraction", validation_fraction)):
        if not 0 < fraction < 1:
            raise ValueError(f"{name} must lie in (0, 1), got {fraction!r}")
    n_points = int(n_points)
    n_test = _part_size(test_fraction, n_points)
    n_val = _part_size(validation_fraction, n_points - n_test)
    n_train = n_points - n_test - n_val
    if n_test < 1 or n_val < 1 or n_train < 2:
        raise ValueError(
            f"n_points={n_points}, test_fraction={test_fraction}, validation_fraction={validation_fraction} "
            f"give {n_train} train / {n_val} validation / {n_test} test points; "
            "need at least 2 / 1 / 1"
        )

    order = rng.permutation(n_points)
    x = np.linspace(-1.0, 1.0, n_points)
    y = runge(x) + noise_std * rng.normal(size=n_points)
    test, val, train = np.split(order, [n_test, n_test + n_val])
    return RungeSplit.from_arrays(x[train], y[train], x[val], y[val], x[test], y[test])
