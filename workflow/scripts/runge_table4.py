"""Snakemake glue: Table IV, the penalty, learning rate and batch size chosen on validation."""

import math

import pandas as pd

from ffnn.io import load_json, logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    rows = []
    for penalty in ("l2", "l1"):
        selection = load_json(smk.input[penalty])
        settings = selection["settings"]
        reference = smk.params.reference.get(penalty, {})
        rows.append(
            {
                "penalty": penalty,
                "lam": settings["lam"],
                "learning_rate": settings["learning_rate"],
                "batch_size": settings["batch_size"],
                "epochs": settings["epochs"],
                "val_mse_median": selection["val_mse_median"],
                **{f"study_{key}": reference.get(key, math.nan) for key in ("lam", "learning_rate", "batch_size")},
            }
        )
    table = pd.DataFrame(rows)
    save_table(table, smk.output[0])
    print(table.to_string(index=False))
