"""Snakemake glue: fitted curves of final models against Runge's function (from the tables)."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots.runge import plot_fitted_curves
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    fig = plot_fitted_curves(
        pd.read_csv(smk.input.curves),
        pd.read_csv(smk.input.points),
        list(smk.params.rows),
        truth_panel=smk.params.truth_panel,
    )
    save_figure(fig, smk.output[0])
