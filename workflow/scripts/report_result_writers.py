"""Snakemake glue: write which rule wrote each result file (path below results/ -> rule) as JSON."""

from ffnn.io import save_json

save_json(dict(snakemake.params.writers), snakemake.output[0])  # noqa: F821
