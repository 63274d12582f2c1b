"""Snakemake glue: the study's qualitative claims, each tested against our result tables."""

import pandas as pd

from ffnn.claims import claim_tables, claims_table, load_claims, verdict_counts
from ffnn.io import logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    claims = load_claims(smk.input.claims)
    read = {name: pd.read_csv(path) for name, path in zip(smk.params.names, smk.input.tables, strict=True)}
    table = claims_table(claims, claim_tables(read))
    save_table(table, smk.output[0])
    print(table.to_string(index=False))
    print(verdict_counts(table))
