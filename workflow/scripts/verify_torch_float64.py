"""Snakemake glue: ours and PyTorch from the same weights and batches in float64, step by step."""

import contextlib

import numpy as np
import pandas as pd
import torch

from ffnn.data.fashion_mnist import N_CLASSES, N_PIXELS, load_fashion_mnist
from ffnn.fashion.splits import load_splits
from ffnn.io import save_table
from ffnn.network import Network
from ffnn.verify.torch_parity import fashion_parts, step_parity

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings, run = smk.params.settings, smk.params.settings["float64"]
torch.set_num_threads(smk.threads)

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    rng = np.random.default_rng(smk.params.seed)
    parts = fashion_parts(
        load_fashion_mnist(smk.input.data),
        load_splits(smk.input.splits),
        train_samples=run["train_samples"],
        dtype=np.float64,
        rng=rng,
    )
    network = Network(
        [N_PIXELS, *settings["hidden_layers"], N_CLASSES],
        hidden_activation=settings["activation"],
        initializer=settings["initializer"],
        rng=rng,
        dtype=np.float64,
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
