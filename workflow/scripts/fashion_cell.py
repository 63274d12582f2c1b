"""Snakemake glue: train one grid cell on the training part, score it on the validation part."""

import contextlib

import numpy as np
from threadpoolctl import threadpool_limits

from ffnn.fashion.fitting import fit_on_split
from ffnn.fashion.splits import load_split
from ffnn.io import save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with (
    open(smk.log[0], "w") as log,
    contextlib.redirect_stdout(log),
    contextlib.redirect_stderr(log),
    # The config fixes the BLAS threads, not Snakemake's grant: sums split over threads round differently.
    threadpool_limits(smk.params.blas_threads, user_api="blas"),
):
    cell = smk.params.cell
    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype)
    # The same seed in every cell: cells of a grid share initial weights (where shapes agree)
    # and batch order, so they differ only in the setting the grid varies.
    _, record = fit_on_split(cell["settings"], split, np.random.default_rng(smk.params.seed), dtype=smk.params.dtype)
    print(f"{smk.wildcards.grid}/{smk.wildcards.cell}: {record['summary']}")
    save_json({"grid": smk.wildcards.grid, "cell": smk.wildcards.cell, "axes": cell["axes"], **record}, smk.output[0])
