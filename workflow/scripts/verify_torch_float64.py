"""Snakemake glue: ours and PyTorch from the same weights and batches in float64, step by step."""

import contextlib

import numpy as np
import pandas as pd
import torch
from threadpoolctl import threadpool_limits

from ffnn.io import save_table
from ffnn.verify.torch_parity import starting_point, step_parity

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings, run = smk.params.settings, smk.params.settings["float64"]
torch.set_num_threads(settings["threads"])

with (
    open(smk.log[0], "w") as log,
    contextlib.redirect_stdout(log),
    contextlib.redirect_stderr(log),
    # The config fixes the BLAS threads, not Snakemake's grant: sums split over threads round differently.
    threadpool_limits(settings["threads"], user_api="blas"),
):
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
