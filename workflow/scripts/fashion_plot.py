"""Snakemake glue: draw one FashionMNIST figure from its table with ffnn.plots.fashion."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots import fashion
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    draw = getattr(fashion, smk.params.function)
    save_figure(draw(pd.read_csv(smk.input[0])), smk.output[0])
