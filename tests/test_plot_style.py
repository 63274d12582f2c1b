"""Figures are drawn at their printed size: the text-width helpers and the check in save_figure."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from ffnn.plots.style import (
    MIN_FONT_PT,
    SAVE_DPI,
    TEXT_WIDTH_IN,
    apply_style,
    figure_size,
    panels_size,
    printed_scale,
    save_figure,
    smallest_printed_font,
)

ROOT = Path(__file__).resolve().parents[1]


def png_size_inches(data: bytes) -> tuple[float, float]:
    """Width and height in inches that a PNG's pixel count and its pHYs resolution give."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width_px, height_px = struct.unpack(">II", data[16:24])
    position = 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"pHYs":
            x_per_m, y_per_m, unit = struct.unpack(">IIB", data[position + 8 : position + 17])
            assert unit == 1, "pHYs in unknown units"
            return width_px / (x_per_m * 0.0254), height_px / (y_per_m * 0.0254)
        position += 12 + length
    raise AssertionError("the PNG states no resolution (pHYs)")


def test_text_width_is_that_of_the_report_page():
    assert pytest.approx(17.0 / 2.54) == TEXT_WIDTH_IN
    assert figure_size() == pytest.approx((TEXT_WIDTH_IN, 0.6 * TEXT_WIDTH_IN))
    assert panels_size(3, 2, panel_aspect=0.5) == pytest.approx((TEXT_WIDTH_IN, 2 * 0.5 * TEXT_WIDTH_IN / 3))
    with pytest.raises(ValueError, match="fraction"):
        figure_size(1.5)


def test_a_figure_at_text_width_prints_its_text_as_drawn(tmp_path):
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.9))
    ax.plot([0, 1], [0, 1], label="line")
    ax.set(xlabel="x", ylabel="y", title="A title")
    ax.legend()
    fig.canvas.draw()
    assert printed_scale(fig) == 1.0
    assert smallest_printed_font(fig) >= MIN_FONT_PT
    save_figure(fig, tmp_path / "ok.png")
    width, _ = png_size_inches((tmp_path / "ok.png").read_bytes())
    assert width <= TEXT_WIDTH_IN


def test_save_figure_refuses_a_figure_whose_text_would_print_too_small(tmp_path):
    apply_style()
    fig, ax = plt.subplots(figsize=(3 * TEXT_WIDTH_IN, 4))  # shrunk to a third of its size on the page
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("x")
    with pytest.raises(ValueError, match=r"would print at \d\.\d pt"):
        save_figure(fig, tmp_path / "small.png")
    assert not list(tmp_path.iterdir()), "a refused figure left a file behind"


def test_save_figure_refuses_tiny_text_on_a_figure_that_fits(tmp_path):
    apply_style()
    fig, ax = plt.subplots(figsize=figure_size(0.5))
    ax.text(0.5, 0.5, "footnote", fontsize=5)
    with pytest.raises(ValueError, match="5.0 pt"):
        save_figure(fig, tmp_path / "tiny.png")


def test_png_size_reader_reads_the_resolution():
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    dots_per_metre = round(SAVE_DPI / 0.0254)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 400, 200, 8, 2, 0, 0, 0))
    data += chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1))
    assert png_size_inches(data) == pytest.approx((400 / SAVE_DPI, 200 / SAVE_DPI), rel=1e-3)


@pytest.mark.build
def test_every_figure_of_the_build_prints_within_the_text_width():
    figures = sorted((ROOT / "results").glob("*/figures/*.png"))
    assert len(figures) > 20, f"only {len(figures)} figures under results/*/figures"
    too_wide = {}
    for path in figures:
        width, _ = png_size_inches(path.read_bytes())
        if width > TEXT_WIDTH_IN + 0.01:
            too_wide[str(path.relative_to(ROOT))] = round(width, 2)
    assert not too_wide, f"figures wider than the {TEXT_WIDTH_IN:.2f} in text (inches): {too_wide}"


def test_the_grid_figures_of_the_full_study_print_legibly(tmp_path, rng):
    """The figures whose size grows with a grid, at the grid sizes of config/config.yaml: save_figure
    would refuse any of them that printed text below MIN_FONT_PT or ran wider than the text."""
    import itertools

    import pandas as pd

    from ffnn.plots.fashion import pyramid_heatmap
    from ffnn.plots.runge import plot_depth_width_heatmaps, plot_learning_curves, plot_sweeps

    depth_width = pd.DataFrame(
        [
            {"activation": a, "depth": d, "width": w, "val_mse_median": rng.uniform(1e-6, 1e-1)}
            for a, d, w in itertools.product(["sigmoid", "relu", "leaky_relu"], [1, 2, 3, 4], [8, 16, 32, 64, 128])
        ]
    )
    pyramid = pd.DataFrame(
        [
            {
                "depth": d,
                "first_width": w,
                "val_accuracy": rng.uniform(0.8, 0.9),
                "epochs_run": 60,
                "selected": (d, w) == (1, 512),
                "study_choice": (d, w) == (1, 512),
            }
            for d, w in itertools.product([1, 2, 3, 4, 5], [32, 64, 128, 256, 512, 1024])
        ]
    )
    curves = pd.DataFrame(
        [
            {"optimizer": o, "learning_rate": lr, "repeat": r, "epoch": e, "val_mse": rng.uniform(1e-5, 1e-1)}
            for o, lr, r, e in itertools.product(
                ["adam", "rmsprop", "sgd"], [0.001, 0.005, 0.01, 0.05, 0.1], [0, 1, 2], range(0, 500, 5)
            )
        ]
    )
    sweep = {
        column: pd.DataFrame(
            {
                column: values,
                "val_mse_median": 1e-4,
                "val_mse_min": 5e-5,
                "val_mse_max": 2e-4,
                "chosen": [i == 2 for i in range(len(values))],
            }
        )
        for column, values in {
            "lam": [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1],
            "learning_rate": [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2],
            "batch_size": [4, 8, 16, 32, 50, 64],
        }.items()
    }
    figures = {
        "heatmaps": plot_depth_width_heatmaps(depth_width),
        "pyramid": pyramid_heatmap(pyramid),
        "curves": plot_learning_curves(curves, "optimizer", "learning_rate", line_title="eta"),
        "sweeps": plot_sweeps(sweep, title="L2 penalty"),
    }
    for name, fig in figures.items():
        save_figure(fig, tmp_path / f"{name}.png")
        width, _ = png_size_inches((tmp_path / f"{name}.png").read_bytes())
        assert width <= TEXT_WIDTH_IN + 0.01, name
