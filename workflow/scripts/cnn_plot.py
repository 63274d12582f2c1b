"""Snakemake glue: draw one CNN figure from its table(s) with ffnn.plots.cnn (never retrains)."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots import cnn
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    draw = getattr(cnn, smk.params.function)
    save_figure(draw(*(pd.read_csv(path) for path in smk.input.tables)), smk.output[0])
