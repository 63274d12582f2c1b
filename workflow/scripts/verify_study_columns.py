"""Snakemake glue: a check's table with the study's published numbers beside ours (Tables II, III)."""

import pandas as pd

from ffnn.io import logged, save_table
from ffnn.verify.study_reference import with_study_gradients, with_study_parity

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
WITH_STUDY = {"sklearn_parity": with_study_parity, "gradients": with_study_gradients}

with logged(smk.log):
    # round_trip: our numbers pass through unchanged to the last digit.
    ours = pd.read_csv(smk.input.table, float_precision="round_trip")
    table = WITH_STUDY[smk.params.table](ours, smk.params.reference)
    print(table.to_string())
    save_table(table, smk.output.table)
