"""Snakemake glue: write the configuration of this build as JSON for the report's Python cells, with
the full study's configuration under ``full_build``."""

import yaml

from ffnn.io import save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.input.full_config, encoding="utf-8") as full:
    save_json({**smk.params.config, "full_build": yaml.safe_load(full)}, smk.output[0])
