"""Snakemake glue: draw the audit's figure from the audit table (never recomputes a verdict)."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots.audit import audit_figure
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    save_figure(audit_figure(pd.read_csv(smk.input.audit)), smk.output[0])
