"""Snakemake glue: train one CNN grid cell on the training part, with validation curves."""

import numpy as np

from ffnn.cnn.model import build_cnn
from ffnn.fashion.fitting import fit_on_split
from ffnn.fashion.splits import load_split
from ffnn.io import logged, save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log, blas_threads=smk.params.blas_threads):
    cell = smk.params.cell
    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype)
    rng = np.random.default_rng(smk.params.seed)
    _, record = fit_on_split(cell["settings"], split, rng, dtype=smk.params.dtype, build=build_cnn)
    print(f"{smk.wildcards.cell}: {record['summary']}")
    save_json({"cell": smk.wildcards.cell, "axes": cell["axes"], **record}, smk.output[0])
