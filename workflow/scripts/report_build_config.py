"""Snakemake glue: write the configuration of this build as JSON for the report's Python cells."""

from ffnn.io import save_json

save_json(dict(snakemake.params.config), snakemake.output[0])  # noqa: F821
