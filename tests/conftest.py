"""Shared fixtures for the unit tests of the core library."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

SEED = 6114  # the study's seed (Section II.A.2)

# A FashionMNIST model's settings (the config's `fashion.model` keys), small enough for unit tests.
TINY_FASHION_MODEL = {
    "hidden_layers": [16],
    "activation": "relu",
    "leaky_slope": 0.01,
    "initializer": "normal",
    "optimizer": "adam",
    "learning_rate": 5e-3,
    "batch_size": 32,
    "epochs": 3,
    "penalty": "l2",
    "lam": 1e-5,
    "record_every": 1,
}


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh seeded generator per test, so tests never share random state."""
    return np.random.default_rng(SEED)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``render`` check the rendered report and need Quarto: they run only when the marker
    expression names them (``pytest -m render``, as ``make render`` does); otherwise they are
    deselected, which pytest counts in its summary, rather than skipped or failed for want of Quarto."""
    if "render" in (config.option.markexpr or ""):
        return
    deselected = [item for item in items if item.get_closest_marker("render")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("render")]


def central_difference(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Gradient of the scalar function ``f`` at ``x`` by central differences, shape of ``x``.

    ``x`` is perturbed in place one entry at a time and restored, so ``f`` may close over it.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        upper = f()
        x[index] = original - h
        lower = f()
        x[index] = original
        grad[index] = (upper - lower) / (2 * h)
    return grad


@pytest.fixture
def numerical_gradient():
    """The :func:`central_difference` helper as a fixture."""
    return central_difference


@pytest.fixture(scope="session")
def copy_workflow():
    """``copy(folder) -> folder``: the workflow (Snakefile, rules, scripts, schemas, configs, report
    sources, library) copied into ``folder``, so a test can run snakemake there without touching
    the repository's results."""
    root = Path(__file__).resolve().parents[1]

    def copy(folder: Path) -> Path:
        for name in ("Snakefile", "workflow", "config", "report", "src"):
            if (root / name).is_dir():
                shutil.copytree(
                    root / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", "_output", ".quarto")
                )
            else:
                shutil.copy2(root / name, folder / name)
        return folder

    return copy
