"""Snakemake glue: the audit table, the study's numbers joined with ours and judged."""

import pandas as pd

from ffnn.audit import audit_table, our_numbers, verdict_counts
from ffnn.io import logged, save_table
from ffnn.study_numbers import load_study_numbers

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    tables = {name: pd.read_csv(path) for name, path in zip(smk.params.names, smk.input.tables, strict=True)}
    audit = audit_table(
        load_study_numbers(smk.input.study),
        our_numbers(tables),
        smk.params.relative_tolerance,
        smk.params.absolute_tolerance,
    )
    save_table(audit, smk.output[0])
    print(audit.to_string(index=False))
    print(verdict_counts(audit))
