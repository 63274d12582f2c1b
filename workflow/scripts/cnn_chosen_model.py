"""Snakemake glue: the chosen CNN's final fit and its one evaluation on the test images.

The grid cell of highest validation accuracy is the selection fit: its validation curve gives the
epoch count (or the configured count stays), and a fresh network of its settings, seeded as the
cell, trains on the training and validation parts together (or the training part alone), as
`fashion.chosen` says for the dense network.
"""

import contextlib

import numpy as np
import pandas as pd

from ffnn.fashion.chosen import epochs_by_validation, final_epochs, final_fit, final_training_part
from ffnn.fashion.cnn import build_cnn, cnn_label
from ffnn.fashion.cnn_study import architecture_table, selected_cell
from ffnn.fashion.fitting import fit_summary
from ffnn.fashion.metrics import classification_scores
from ffnn.fashion.splits import load_split
from ffnn.io import load_json, save_json, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
protocol = smk.params.protocol

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    cell = selected_cell(pd.read_csv(smk.input.grid))
    selection = next(record for record in map(load_json, smk.input.cells) if record["cell"] == cell)
    settings, history = selection["settings"], selection["history"]
    epochs = final_epochs(history, settings, protocol["epochs_from_validation"])
    val_accuracy = dict(zip(history["epoch"], history["val_metric"])).get(epochs, float("nan"))
    print(f"chosen cell {cell}; best validation accuracy {epochs_by_validation(history)[1]:.4f}; final fit: {epochs} epochs")

    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype, include_test=True)
    X, y = final_training_part(split, protocol["refit_on_full_train"])
    rng = np.random.default_rng(smk.params.seed)
    network, fit = final_fit(settings, X, y, epochs, rng, dtype=smk.params.dtype, build=build_cnn)
    if fit.diverged:
        raise RuntimeError(f"the final CNN fit diverged after {fit.epochs_run} epochs")
    test = classification_scores(split.y_test, np.argmax(network.forward(split.X_test), axis=1))
    print(f"{len(y)} images, {epochs} epochs, {fit.seconds:.1f} s: test accuracy {test['accuracy']:.4f}, macro F1 {test['f1']:.4f}")
    save_json(
        {
            "model": "chosen_cnn",
            "cell": cell,
            "architecture": cnn_label(settings),
            "settings": {**settings, "epochs": epochs},
            "protocol": protocol,
            "max_epochs": settings["epochs"],
            "selection_val_accuracy": val_accuracy,
            "n_train": len(y),
            "n_test": len(split.y_test),
            "summary": fit_summary(network, fit),
            "test": test,
            "history": fit.to_dict(),
        },
        smk.output.record,
    )
    save_table(architecture_table(network), smk.output.architecture)
