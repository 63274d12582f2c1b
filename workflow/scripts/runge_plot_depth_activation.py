"""Snakemake glue: Fig. 6, validation MSE against depth per activation (from the table)."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots.runge import plot_depth_sweep
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    save_figure(plot_depth_sweep(pd.read_csv(smk.input[0])), smk.output[0])
