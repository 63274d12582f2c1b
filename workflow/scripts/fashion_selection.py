"""Snakemake glue: what validation accuracy selects in each grid, beside the study's choice."""

import contextlib

import pandas as pd

from ffnn.fashion.tables import selection_row
from ffnn.io import save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    rows = []
    for grid, path in zip(smk.params.grids, smk.input):
        row = selection_row(grid, pd.read_csv(path), smk.params.axes[grid])
        rows.append({"study_figure": smk.params.figures[grid], **row})
    table = pd.DataFrame(rows)
    save_table(table, smk.output[0])
    print(table.to_string(index=False))
