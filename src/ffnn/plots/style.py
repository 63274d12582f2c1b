"""One look for every figure, drawn at the size it is printed, and atomic saving.

Figures are drawn at the width they take in the report's PDF (the text width of an A4 page with
2 cm margins, or a fraction of it) with text sizes in points, and saved with that size in the PNG;
Quarto prints them at that size, so a 7-point label in Matplotlib is a 7-point label on paper.
:func:`save_figure` refuses a figure that would print wider than the text or with smaller text.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files; no display is needed or assumed

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.text  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import LogLocator, NullFormatter  # noqa: E402

from ..io import atomic_path  # noqa: E402

#: Colours per optimiser/activation/model, so a name has the same colour in every figure.
PALETTE = dict(
    zip(
        [
            "sigmoid",
            "relu",
            "leaky_relu",
            "tanh",
            "linear",
            "adam",
            "rmsprop",
            "sgd",
            "momentum",
            "ols",
            "ridge",
            "lasso",
            "ffnn",
        ],
        sns.color_palette("colorblind", 13),
        strict=True,
    )
)

#: Width of the PDF's text block in inches: A4 (21 cm) less the 2 cm margins of report/_quarto.yml.
TEXT_WIDTH_IN = (21.0 - 2 * 2.0) / 2.54
#: The smallest text allowed in a figure, in points at its printed size.
MIN_FONT_PT = 7.0
#: Text sizes in points: body of the figure, tick and legend labels, titles.
FONT_PT = {"body": 8.0, "small": 7.5, "title": 8.5}
#: Resolution of the saved PNGs; it is written into the file, which sets the printed size.
SAVE_DPI = 200


def apply_style() -> None:
    """Seaborn's white grid with text sized in points for the printed page (:data:`FONT_PT`)."""
    sns.set_theme(context="paper", style="whitegrid")
    plt.rcParams.update(
        {
            "font.size": FONT_PT["body"],
            "axes.labelsize": FONT_PT["body"],
            "axes.titlesize": FONT_PT["title"],
            "axes.titleweight": "bold",
            "figure.titlesize": FONT_PT["title"],
            "figure.titleweight": "bold",
            "xtick.labelsize": FONT_PT["small"],
            "ytick.labelsize": FONT_PT["small"],
            "legend.fontsize": FONT_PT["small"],
            "legend.title_fontsize": FONT_PT["small"],
            "figure.dpi": 110,
            "savefig.dpi": SAVE_DPI,
            "savefig.bbox": "tight",
            "savefig.pad_inches": 0.03,
        }
    )


def figure_size(width: float = 1.0, aspect: float = 0.6) -> tuple[float, float]:
    """``(width, height)`` in inches of a figure printed at ``width`` times the text width.

    Parameters
    ----------
    width : float, default 1.0
        Fraction of :data:`TEXT_WIDTH_IN`, in (0, 1].
    aspect : float, default 0.6
        Height over width.
    """
    if not 0 < width <= 1:
        raise ValueError(f"width is a fraction of the text width in (0, 1], got {width}")
    inches = width * TEXT_WIDTH_IN
    return inches, aspect * inches


def panels_size(ncols: int, nrows: int = 1, panel_aspect: float = 0.8, width: float = 1.0) -> tuple[float, float]:
    """``(width, height)`` in inches of ``nrows`` x ``ncols`` panels sharing ``width`` times the text
    width, each ``panel_aspect`` as high as it is wide (titles and labels included)."""
    inches, _ = figure_size(width)
    return inches, nrows * panel_aspect * inches / ncols


def tidy_log_axes(ax: plt.Axes) -> None:
    """Label the log-scaled axes of ``ax`` at powers of ten only, or at 1, 2 and 5 times them where an
    axis spans under two decades, and never at minor ticks, whose labels crowd each other in print.
    Call it once the data are drawn; explicitly set ticks (e.g. batch sizes) are left alone."""
    for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        if axis.get_scale() != "log":
            continue
        axis.set_minor_formatter(NullFormatter())
        low, high = sorted(limits)
        if low > 0 and np.log10(high / low) < 2:
            axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))


def legend_below(fig: plt.Figure, handles: list, labels: list[str]) -> None:
    """One legend for all panels of ``fig``, in a row under them, so that it covers no panel's data.
    Call it after the layout is final (``tight_layout``); the saved figure grows to hold it."""
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(labels), frameon=False)


def printed_scale(fig: plt.Figure) -> float:
    """The factor the report scales ``fig`` by to fit the text width: 1 where it fits as drawn."""
    renderer = fig.canvas.get_renderer()
    bbox = fig.get_tightbbox(renderer)
    return min(1.0, TEXT_WIDTH_IN / bbox.width)


def smallest_printed_font(fig: plt.Figure) -> float:
    """The size in points of the smallest visible text of ``fig`` as printed in the report."""
    sizes = [
        text.get_fontsize()
        for text in fig.findobj(matplotlib.text.Text)
        if text.get_visible() and text.get_text().strip()
    ]
    return min(sizes, default=FONT_PT["body"]) * printed_scale(fig)


def check_printable(fig: plt.Figure, name: str = "figure") -> None:
    """Raise ``ValueError`` when ``fig`` would print with text below :data:`MIN_FONT_PT` points."""
    fig.canvas.draw()
    smallest = smallest_printed_font(fig)
    if smallest < MIN_FONT_PT - 0.05:
        raise ValueError(
            f"{name}: its smallest text would print at {smallest:.1f} pt (at least {MIN_FONT_PT:g} pt needed); "
            f"draw it at most {TEXT_WIDTH_IN:.2f} in wide (figure_size) with the sizes of apply_style"
        )


def save_figure(fig: plt.Figure, path: str | os.PathLike) -> None:
    """Save ``fig`` as PNG atomically (:func:`ffnn.io.atomic_path`), so no half-written figure is left, and close it.

    Raises ``ValueError`` before writing anything where the figure would print with text smaller than
    :data:`MIN_FONT_PT` (see :func:`check_printable`).
    """
    path = Path(path)
    try:
        check_printable(fig, path.name)
    except ValueError:
        plt.close(fig)
        raise
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
