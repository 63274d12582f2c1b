"""Snakemake glue: the chosen settings on the training part with validation curves (no test images).

Its curves choose the final fit's epoch count; its network is the study's protocol (every epoch,
training part only), scored on the test images by a rule of its own.
"""

import contextlib

import numpy as np

from ffnn.fashion.fitting import fit_classifier, fit_summary
from ffnn.fashion.splits import load_split
from ffnn.fashion.weights import save_weights
from ffnn.io import save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype)
    network, history = fit_classifier(
        smk.params.settings,
        split.X_train,
        split.y_train,
        split.X_val,
        split.y_val,
        np.random.default_rng(smk.params.seed),
        dtype=smk.params.dtype,
    )
    summary = fit_summary(network, history)
    print(f"summary: {summary}")
    save_json(
        {
            "model": "chosen_ffnn_selection",
            "settings": smk.params.settings,
            "n_train": len(split.y_train),
            "n_validation": len(split.y_val),
            "summary": summary,
            "history": history.to_dict(),
        },
        smk.output.record,
    )
    save_weights(network, smk.output.weights)
