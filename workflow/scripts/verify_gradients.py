"""Snakemake glue: backpropagation against autograd and central finite differences on Runge data (Table III)."""

import numpy as np

from ffnn.data.runge import RungeSplit
from ffnn.io import logged, save_table
from ffnn.verify.gradients import gradient_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings = smk.params.settings

with logged(smk.log):
    split = RungeSplit.load(smk.input.data)
    table = gradient_table(
        split.z_train,
        split.y_train,
        settings["networks"],
        step=settings["step"],
        rng=np.random.default_rng(smk.params.seed),
    )
    print(table.to_string())
    save_table(table, smk.output.table)
