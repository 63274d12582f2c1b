"""Snakemake glue: ours and PyTorch trained at full length in float32 from the same weights (Fig. 15)."""

import contextlib

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from ffnn.io import save_table
from ffnn.verify.torch_parity import comparison_tables, starting_point

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings, run = smk.params.settings, smk.params.settings["float32"]
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
        smk.input.data, smk.input.splits, settings, train_samples=run["train_samples"], dtype=np.float32, rng=rng
    )
    curves, summary, logits = comparison_tables(
        network,
        parts,
        epochs=run["epochs"],
        batch_size=settings["batch_size"],
        learning_rate=settings["learning_rate"],
        l2_lambda=settings["l2_lambda"],
        logit_samples=run["logit_samples"],
        rng=rng,
    )
    print(summary.to_string())
    save_table(curves, smk.output.curves)
    save_table(summary, smk.output.summary)
    save_table(logits, smk.output.logits)
