"""Snakemake glue: Table V, the confusion matrices, per-class scores and learning curves of the chosen model."""

import contextlib

import pandas as pd

from ffnn.fashion.tables import architecture_label, confusion_table, history_frame, model_row, per_class_table
from ffnn.io import load_json, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.log[0], "w") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
    chosen, logistic = load_json(smk.input.chosen), load_json(smk.input.logistic)
    reference = smk.params.reference
    rows = [
        model_row(
            "Logistic regression (scikit-learn)",
            logistic["test"],
            {
                "seconds": logistic["fit"]["seconds"],
                "val_accuracy": logistic["val_accuracy"],
                "n_train": logistic["n_train"],
                "n_iter": logistic["fit"]["n_iter"],
                "iteration_unit": "L-BFGS iterations",
                "max_iter": logistic["fit"]["max_iter"],
                "converged": logistic["fit"]["converged"],
            },
            reference["logistic_regression"],
        ),
        model_row(
            f"Neural network {architecture_label(chosen['settings']['hidden_layers'])}",
            chosen["test"],
            {
                "seconds": chosen["summary"]["seconds"],
                "val_accuracy": chosen["summary"]["val_accuracy"],
                "n_train": chosen["n_train"],
                "n_iter": chosen["summary"]["epochs_run"],
                "iteration_unit": "epochs",
                "max_iter": chosen["settings"]["epochs"],
                "converged": None,  # a fixed number of epochs; no convergence test applies
            },
            reference["neural_network"],
        ),
    ]
    table5 = pd.DataFrame(rows)
    save_table(table5, smk.output.table5)
    print(table5.to_string(index=False))

    save_table(confusion_table(chosen["test"]["confusion"]), smk.output.confusion_raw)
    save_table(confusion_table(chosen["test"]["confusion"], normalise=True), smk.output.confusion_normalised)
    save_table(per_class_table(chosen["test"]["per_class"]), smk.output.per_class)
    save_table(history_frame(chosen["history"]), smk.output.curves)
