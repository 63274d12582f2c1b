"""Snakemake glue: our CNN and an equal torch.nn CNN from the same weights, batches, dropout masks and shifts.

The architecture and training settings are the selected grid cell's, those of the chosen CNN.

float64: step by step on a subset, recording how far logits and parameters drift apart;
float32: a whole training on the fashion part's training split, curves, accuracies and test logits.
"""

import numpy as np
import pandas as pd
import torch

from ffnn.data.fashion_mnist import N_PIXELS, load_fashion_mnist
from ffnn.cnn.model import build_cnn, cnn_label
from ffnn.cnn.study import selected_cell
from ffnn.fashion.splits import load_splits
from ffnn.io import logged, save_table
from ffnn.verify.torch_parity import comparison_tables, fashion_parts, step_parity

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings, run = smk.params.cells[selected_cell(pd.read_csv(smk.input.grid))]["settings"], smk.params.run
l2_lambda = settings["lam"] if settings["penalty"] == "l2" else 0.0
torch.set_num_threads(smk.params.threads)

with logged(smk.log, blas_threads=smk.params.threads):
    print(f"the selected cell's CNN: {cnn_label(settings)}")
    arrays, splits = load_fashion_mnist(smk.input.data), load_splits(smk.input.splits)
    training = dict(batch_size=settings["batch_size"], learning_rate=settings["learning_rate"], l2_lambda=l2_lambda)

    rng = np.random.default_rng(smk.params.seed)
    float64 = run["float64"]
    parts = fashion_parts(arrays, splits, train_samples=float64["train_samples"], dtype=np.float64, rng=rng)
    network = build_cnn(settings, N_PIXELS, rng, np.float64)
    drift = pd.DataFrame(
        step_parity(
            network,
            parts["X_train"],
            parts["y_train"],
            parts["X_val"][: float64["probe_samples"]],
            steps=float64["steps"],
            rng=rng,
            record_every=float64["record_every"],
            **training,
        )
    )
    print(drift.to_string())
    save_table(drift, smk.output.float64)

    rng = np.random.default_rng(smk.params.seed)
    float32 = run["float32"]
    parts = fashion_parts(arrays, splits, train_samples=float32["train_samples"], dtype=np.float32, rng=rng)
    network = build_cnn(settings, N_PIXELS, rng, np.float32)
    curves, summary, logits = comparison_tables(
        network, parts, epochs=float32["epochs"], logit_samples=float32["logit_samples"], rng=rng, **training
    )
    summary.insert(1, "architecture", cnn_label(settings))
    print(summary.to_string())
    save_table(curves, smk.output.curves)
    save_table(summary, smk.output.summary)
    save_table(logits, smk.output.logits)
