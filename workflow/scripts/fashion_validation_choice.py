"""Snakemake glue: the grids' validation winners combined into one network's settings (no test score read)."""

import pandas as pd

from ffnn.fashion.validation_choice import validation_choice
from ffnn.io import logged, save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    settings, sources = validation_choice(pd.read_csv(smk.input.selection), smk.params.cells, smk.params.base)
    for name, source in sources.items():
        print(f"{name} = {settings[name]!r} from {source}")
    save_json({"settings": settings, "sources": sources}, smk.output.record)
