"""Snakemake glue: one of a grid's two best cells by validation accuracy, fitted with one training seed.

Training seed 0 is the study's stream, the one the grid's own fit drew from, so its record is
that cell's file rather than a second, identical fit.
"""

from pathlib import Path

import pandas as pd

from ffnn.fashion.fitting import fit_on_split
from ffnn.fashion.splits import load_split
from ffnn.io import load_json, logged, save_json
from ffnn.selection import ranked, training_rng

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
rank, training_seed = int(smk.wildcards.rank), int(smk.wildcards.training_seed)

with logged(smk.log, blas_threads=smk.params.blas_threads):
    table = pd.read_csv(smk.input.table)
    cell = ranked(dict(zip(table["cell"], table["val_accuracy"], strict=True)), lower_is_better=False)[rank - 1]
    if training_seed == 0:
        record = load_json(next(path for path in smk.input.cells if Path(path).stem == cell))
    else:
        # The test images too: their scores are recorded for the audit, beside the validation
        # scores that every choice reads.
        split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype, include_test=True)
        settings = smk.params.cells[cell]
        rng = training_rng(smk.params.seed, training_seed)
        _, fit = fit_on_split(settings["settings"], split, rng, dtype=smk.params.dtype)
        record = {"grid": smk.wildcards.grid, "cell": cell, "axes": settings["axes"], **fit}
    print(
        f"{smk.wildcards.grid} rank {rank}, training seed {training_seed}: {cell}, {record['summary']['val_accuracy']}"
    )
    save_json({**record, "rank": rank, "training_seed": training_seed}, smk.output[0])
