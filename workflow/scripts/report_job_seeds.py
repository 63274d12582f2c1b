"""Snakemake glue: write every job of the build with the seeds it drew from (read from the DAG) as JSON."""

from ffnn.io import save_json

save_json({"jobs": snakemake.params.jobs}, snakemake.output[0])  # noqa: F821
