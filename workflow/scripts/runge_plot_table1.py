"""Snakemake glue: Table I as a chart, our test MSE beside the study's (from the table)."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots.runge import plot_table1
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    save_figure(plot_table1(pd.read_csv(smk.input[0])), smk.output[0])
