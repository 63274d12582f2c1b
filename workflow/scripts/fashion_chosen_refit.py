"""Snakemake glue: the chosen model's final fit, then its one evaluation on the test images.

The epoch count comes from the selection fit's validation curve (or stays the configured one),
and the fresh network, seeded as the selection fit, trains on the training and validation parts
together (or on the training part alone), as the config's `fashion.chosen` switches say.
"""

import contextlib

import numpy as np
from threadpoolctl import threadpool_limits

from ffnn.fashion.chosen import epochs_by_validation, final_epochs, final_fit, final_training_part
from ffnn.fashion.fitting import fit_summary
from ffnn.fashion.metrics import classification_scores
from ffnn.fashion.splits import load_split
from ffnn.fashion.weights import save_weights
from ffnn.io import load_json, save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings, protocol = smk.params.settings, smk.params.protocol

with (
    open(smk.log[0], "w") as log,
    contextlib.redirect_stdout(log),
    contextlib.redirect_stderr(log),
    # The config fixes the BLAS threads, not Snakemake's grant: sums split over threads round differently.
    threadpool_limits(smk.params.blas_threads, user_api="blas"),
):
    selection = load_json(smk.input.selection)
    if selection["settings"] != settings:
        raise ValueError(f"{smk.input.selection} was fitted with other settings than fashion.model; rerun its rule")
    history = selection["history"]
    epochs = final_epochs(history, settings, protocol["epochs_from_validation"])
    val_accuracy = dict(zip(history["epoch"], history["val_metric"])).get(epochs, float("nan"))
    if protocol["epochs_from_validation"]:
        print(f"validation accuracy peaks after {epochs} of {settings['epochs']} epochs: {epochs_by_validation(history)[1]:.4f}")

    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype, include_test=True)
    X, y = final_training_part(split, protocol["refit_on_full_train"])
    network, fit = final_fit(settings, X, y, epochs, np.random.default_rng(smk.params.seed), dtype=smk.params.dtype)
    if fit.diverged:
        raise RuntimeError(f"the final fit diverged after {fit.epochs_run} epochs")
    test = classification_scores(split.y_test, np.argmax(network.forward(split.X_test), axis=1))
    print(f"{len(y)} images, {epochs} epochs, {fit.seconds:.1f} s: test accuracy {test['accuracy']:.4f}, macro F1 {test['f1']:.4f}")
    save_json(
        {
            "model": "chosen_ffnn",
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
    save_weights(network, smk.output.weights)
