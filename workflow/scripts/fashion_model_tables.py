"""Snakemake glue: Table V (with the chosen CNN's row), the chosen model's confusion matrices and
per-class scores, and the learning curves of its selection fit."""

import contextlib

import pandas as pd

from ffnn.data.fashion_mnist import N_CLASSES, N_PIXELS
from ffnn.fashion.tables import confusion_table, history_frame, model_row, network_model_label, per_class_table
from ffnn.io import load_json, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    chosen, protocol, logistic = (load_json(path) for path in (smk.input.chosen, smk.input.protocol, smk.input.logistic))
    selection, cnn = load_json(smk.input.selection), load_json(smk.input.cnn)
    reference = smk.params.reference
    switches = chosen["protocol"]
    layers = chosen["settings"]["hidden_layers"]

    def network_extra(role, record, epochs, val_accuracy):
        return {
            "role": role,
            "seconds": record["summary"]["seconds"],
            "val_accuracy": val_accuracy,
            "n_train": record["n_train"],
            "n_iter": epochs,
            "iteration_unit": "epochs",
            "max_iter": protocol["settings"]["epochs"],
            "converged": None,  # a fixed number of epochs; no convergence test applies
            "n_params": record["summary"]["n_params"],
        }

    # The baseline, then the chosen procedure (the headline network) before the study's protocol.
    rows = [
        model_row(
            "Logistic regression (scikit-learn)",
            logistic["test"],
            {
                "role": "baseline",
                "seconds": logistic["fit"]["seconds"],
                "val_accuracy": logistic["val_accuracy"],
                "n_train": logistic["n_train"],
                "n_iter": logistic["fit"]["n_iter"],
                "iteration_unit": "L-BFGS iterations",
                "max_iter": logistic["fit"]["max_iter"],
                "converged": logistic["fit"]["converged"],
                "n_params": (N_PIXELS + 1) * N_CLASSES,  # a weight per pixel and a bias, per class
            },
            reference["logistic_regression"],
        ),
        model_row(
            network_model_label(
                layers, "chosen", chosen["settings"]["epochs"], switches["epochs_from_validation"],
                switches["refit_on_full_train"],
            ),
            chosen["test"],
            network_extra("chosen", chosen, chosen["settings"]["epochs"], chosen["selection_val_accuracy"]),
            reference["neural_network"],
        ),
        model_row(
            network_model_label(layers, "study protocol", protocol["settings"]["epochs"], False, False),
            protocol["test"],
            network_extra("study protocol", protocol, protocol["settings"]["epochs"], protocol["summary"]["val_accuracy"]),
            reference["neural_network"],
        ),
        model_row(
            network_model_label(
                None, "chosen", cnn["settings"]["epochs"], cnn["protocol"]["epochs_from_validation"],
                cnn["protocol"]["refit_on_full_train"], name=f"Convolutional network ({cnn['architecture']})",
            ),
            cnn["test"],
            network_extra("convolutional", cnn, cnn["settings"]["epochs"], cnn["selection_val_accuracy"])
            | {"max_iter": cnn["max_epochs"]},
            None,
        ),
    ]
    table5 = pd.DataFrame(rows)
    table5.insert(1, "role", table5.pop("role"))
    save_table(table5, smk.output.table5)
    print(table5.to_string(index=False))

    save_table(confusion_table(chosen["test"]["confusion"]), smk.output.confusion_raw)
    save_table(confusion_table(chosen["test"]["confusion"], normalise=True), smk.output.confusion_normalised)
    save_table(per_class_table(chosen["test"]["per_class"]), smk.output.per_class)
    curves = history_frame(selection["history"])
    curves["chosen_epoch"] = curves["epoch"] == chosen["settings"]["epochs"]
    save_table(curves, smk.output.curves)
