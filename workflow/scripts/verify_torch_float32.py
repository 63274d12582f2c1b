"""Snakemake glue: ours and PyTorch trained at full length in float32 from the same weights (Fig. 15).

One training seed per job draws the shared starting weights, the batch order and the logit
samples; seed 0 (the study's stream) also writes the curves and logits the figures show.
"""

import numpy as np
import torch

from ffnn.io import logged, save_table
from ffnn.selection import training_rng
from ffnn.verify.torch_parity import comparison_tables, starting_point

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings, run = smk.params.settings, smk.params.settings["float32"]
torch.set_num_threads(settings["threads"])

with logged(smk.log, blas_threads=settings["threads"]):
    rng = training_rng(smk.params.seed, smk.params.training_seed)
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
    save_table(summary, smk.output.summary)
    if smk.output.get("curves") is not None:
        save_table(curves, smk.output.curves)
        save_table(logits, smk.output.logits)
