"""Snakemake glue: train one CNN grid cell on the training part, with validation curves."""

import contextlib

import numpy as np
from threadpoolctl import threadpool_limits

from ffnn.fashion.cnn import build_cnn
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
    rng = np.random.default_rng(smk.params.seed)
    _, record = fit_on_split(cell["settings"], split, rng, dtype=smk.params.dtype, build=build_cnn)
    print(f"{smk.wildcards.cell}: {record['summary']}")
    save_json({"cell": smk.wildcards.cell, "axes": cell["axes"], **record}, smk.output[0])
