"""Snakemake glue: train the study's chosen network, then score it once on the test images."""

import contextlib

import numpy as np

from ffnn.fashion.fitting import fit_classifier, fit_summary
from ffnn.fashion.metrics import classification_scores
from ffnn.fashion.npz import save_npz
from ffnn.fashion.splits import load_split
from ffnn.io import save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype, include_test=True)
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
    test = classification_scores(split.y_test, np.argmax(network.forward(split.X_test), axis=1))
    print(f"summary: {summary}\ntest accuracy {test['accuracy']:.4f}, macro F1 {test['f1']:.4f}")
    save_json(
        {
            "model": "chosen_ffnn",
            "settings": smk.params.settings,
            "n_train": len(split.y_train),
            "n_validation": len(split.y_val),
            "n_test": len(split.y_test),
            "summary": summary,
            "test": test,
            "history": history.to_dict(),
        },
        smk.output.record,
    )
    save_npz({f"param_{i}": p for i, p in enumerate(network.params)}, smk.output.weights)
