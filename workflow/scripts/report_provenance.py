"""Snakemake glue: write what built this build's results (code, configuration, software, machine) as JSON."""

from ffnn.io import save_json
from ffnn.provenance import collect_provenance

save_json(
    collect_provenance(
        dict(snakemake.params.config),  # noqa: F821
        snakemake.params.config_files,  # noqa: F821
    ),
    snakemake.output[0],  # noqa: F821
)
