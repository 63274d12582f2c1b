"""Snakemake glue: train one grid cell on the training part, score it on the validation part (and
record its test scores, which no choice reads)."""

import numpy as np

from ffnn.fashion.fitting import fit_on_split
from ffnn.fashion.splits import load_split
from ffnn.io import logged, save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log, blas_threads=smk.params.blas_threads):
    cell = smk.params.cell
    # The test images too: their scores are recorded for the audit, beside the validation
    # scores that every choice reads.
    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype, include_test=True)
    # The same seed in every cell: cells of a grid share initial weights (where shapes agree)
    # and batch order, so they differ only in the setting the grid varies.
    _, record = fit_on_split(cell["settings"], split, np.random.default_rng(smk.params.seed), dtype=smk.params.dtype)
    print(f"{smk.wildcards.grid}/{smk.wildcards.cell}: {record['summary']}")
    save_json({"grid": smk.wildcards.grid, "cell": smk.wildcards.cell, "axes": cell["axes"], **record}, smk.output[0])
