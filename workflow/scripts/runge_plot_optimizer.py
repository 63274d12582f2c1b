"""Snakemake glue: Figs. 3/17, validation learning curves by optimiser and learning rate (from the tables)."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots.runge import plot_learning_curves
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    curves = pd.read_csv(smk.input.curves)
    chosen = pd.read_csv(smk.input.mse).query("chosen").iloc[0]
    layers = "-".join(str(width) for width in [*smk.params.hidden_layers, 1])
    title = (
        f"[{layers}] {smk.params.activation}; chosen on validation: {chosen['optimizer']}, "
        f"eta = {chosen['learning_rate']:g}"
    )
    fig = plot_learning_curves(
        curves, panel="optimizer", line="learning_rate", metric="val_mse", title=title, line_title="eta"
    )
    save_figure(fig, smk.output[0])
