"""Snakemake glue: Table I, the test MSE of every final model over training seeds, the study's
published value beside ours.

``test_mse`` and the columns beside it are those of training seed 0 (the study's stream);
``test_mse_mean``/``_sd``/``_ci_low``/``_ci_high`` summarise every seed (Student-t, 95 %).
A polynomial baseline is deterministic: one value, marked ``deterministic``.
"""

import math

import pandas as pd

from ffnn.io import load_json, logged, save_table
from ffnn.stats import deterministic_columns, spread_columns

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive


def baseline_settings(best: dict) -> str:
    text = f"p = {best['degree']}"
    return text if best["kind"] == "ols" else f"{text}, lambda = {best['lam']:g}"


with logged(smk.log):
    rows, seed_rows = [], []
    for spec in smk.params.rows:
        results = [load_json(path) for path in getattr(smk.input, spec["row"])]
        result = results[0]
        reference = smk.params.reference.get(spec["row"], {})
        if "kind" in result:  # a polynomial baseline: one deterministic fit
            settings, repeats = baseline_settings(result["best"]), 1
            spread = {f"test_mse_{stat}": result["test_mse"] for stat in ("median", "min", "max")}
            val_mse = result["best"]["val_mse"]
            over_seeds = deterministic_columns({"test_mse": result["test_mse"]})
        else:
            settings, repeats = result["description"], len(result["fits"])
            spread = {f"test_mse_{stat}": result[f"test_mse_{stat}"] for stat in ("median", "min", "max")}
            val_mse = result["val_mse"]
            over_seeds = spread_columns({"test_mse": [seeded["test_mse"] for seeded in results]})
            seed_rows += [
                {"row": spec["row"], "training_seed": seeded["training_seed"], "test_mse": seeded["test_mse"]}
                for seeded in results
            ]
        rows.append(
            {
                "row": spec["row"],
                "model": spec["model"],
                "settings": settings,
                "noise_std": result["noise_std"],
                "test_mse": result["test_mse"],
                **spread,
                **over_seeds,
                "test_mse_true_function": result["test_mse_true_function"],
                "val_mse": val_mse,
                "repeats": repeats,
                "study_settings": reference.get("settings", ""),
                "study_test_mse": reference.get("test_mse", math.nan),
            }
        )
    table = pd.DataFrame(rows)
    save_table(table, smk.output.table)
    save_table(pd.DataFrame(seed_rows, columns=["row", "training_seed", "test_mse"]), smk.output.seeds)
    print(
        table[["model", "test_mse", "test_mse_mean", "test_mse_sd", "n_seeds", "study_test_mse"]].to_string(index=False)
    )
