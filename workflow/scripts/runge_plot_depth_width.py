"""Snakemake glue: Fig. 7 (depth x width heatmaps) and Fig. 18 (training curves by depth), from the tables."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots.runge import plot_depth_width_heatmaps, plot_learning_curves
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    save_figure(
        plot_depth_width_heatmaps(pd.read_csv(smk.input.mse), title="Median validation MSE"), smk.output.heatmaps
    )
    width = smk.params.curves_width
    curves = pd.read_csv(smk.input.curves).query("width == @width")
    fig = plot_learning_curves(
        curves,
        panel="activation",
        line="depth",
        metric="train_mse",
        title=f"Training curves, {width} nodes per hidden layer",
        line_title="hidden layers",
    )
    save_figure(fig, smk.output.curves)
