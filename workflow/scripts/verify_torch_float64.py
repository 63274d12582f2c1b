"""Snakemake glue: ours and PyTorch from the same weights and batches in float64, step by step."""

import numpy as np
import pandas as pd
import torch

from ffnn.io import logged, save_table
from ffnn.verify.torch_parity import starting_point, step_parity

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings, run = smk.params.settings, smk.params.settings["float64"]
torch.set_num_threads(settings["threads"])

with logged(smk.log, blas_threads=settings["threads"]):
    rng = np.random.default_rng(smk.params.seed)
    parts, network = starting_point(
        smk.input.data, smk.input.splits, settings, train_samples=run["train_samples"], dtype=np.float64, rng=rng
    )
    rows = step_parity(
        network,
        parts["X_train"],
        parts["y_train"],
        parts["X_val"][: run["probe_samples"]],
        steps=run["steps"],
        batch_size=settings["batch_size"],
        learning_rate=settings["learning_rate"],
        l2_lambda=settings["l2_lambda"],
        rng=rng,
        record_every=run["record_every"],
    )
    table = pd.DataFrame(rows)
    print(table.to_string())
    save_table(table, smk.output.table)
