"""Snakemake glue: draw one CNN figure from its table(s) with ffnn.plots.cnn (never retrains)."""

import contextlib

import pandas as pd

from ffnn.plots import cnn
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    draw = getattr(cnn, smk.params.function)
    save_figure(draw(*(pd.read_csv(path) for path in smk.input.tables)), smk.output[0])
