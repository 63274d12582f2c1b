"""One look for every figure, and atomic saving."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files; no display is needed or assumed

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

#: Colours per optimiser/activation/model, so a name has the same colour in every figure.
PALETTE = dict(
    zip(
        ["sigmoid", "relu", "leaky_relu", "tanh", "linear", "adam", "rmsprop", "sgd", "momentum", "ols", "ridge", "lasso", "ffnn"],
        sns.color_palette("colorblind", 13),
    )
)


def apply_style() -> None:
    """Seaborn's paper context on a white grid, at a resolution fit for print."""
    sns.set_theme(context="paper", style="whitegrid", font_scale=1.1)
    plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 150, "savefig.bbox": "tight", "axes.titleweight": "bold"})


def save_figure(fig: plt.Figure, path: str | os.PathLike) -> None:
    """Save ``fig`` as PNG through a temporary file, so no half-written figure is left, and close it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".png")
    os.close(handle)
    os.chmod(tmp, 0o644)  # mkstemp makes files owner-only; figures are meant to be shared
    try:
        fig.savefig(tmp, format="png")
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    finally:
        plt.close(fig)
