"""Snakemake glue: draw one verification figure from its table (never retrains)."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots import verify
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    draw = getattr(verify, f"{smk.params.figure}_figure")
    save_figure(draw(pd.read_csv(smk.input.table)), smk.output.figure)
