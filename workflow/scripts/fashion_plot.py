"""Snakemake glue: draw one FashionMNIST figure from its table with ffnn.plots.fashion."""

import contextlib

import pandas as pd

from ffnn.plots import fashion
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    draw = getattr(fashion, smk.params.function)
    save_figure(draw(pd.read_csv(smk.input[0])), smk.output[0])
