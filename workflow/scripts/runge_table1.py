"""Snakemake glue: Table I, the test MSE of every final model beside the study's published value."""

import math

import pandas as pd

from ffnn.io import load_json, save_table
from runge_common import logged

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive


def baseline_settings(best: dict) -> str:
    text = f"p = {best['degree']}"
    return text if best["kind"] == "ols" else f"{text}, lambda = {best['lam']:g}"


with logged(smk.log):
    rows = []
    for spec, path in zip(smk.params.rows, smk.input.rows, strict=True):
        result = load_json(path)
        reference = smk.params.reference.get(spec["row"], {})
        if "kind" in result:  # a polynomial baseline: one deterministic fit
            settings, repeats = baseline_settings(result["best"]), 1
            spread = {f"test_mse_{stat}": result["test_mse"] for stat in ("median", "min", "max")}
            val_mse = result["best"]["val_mse"]
        else:
            settings, repeats = result["description"], len(result["fits"])
            spread = {f"test_mse_{stat}": result[f"test_mse_{stat}"] for stat in ("median", "min", "max")}
            val_mse = result["val_mse"]
        rows.append(
            {
                "row": spec["row"],
                "model": spec["model"],
                "settings": settings,
                "noise_std": result["noise_std"],
                "test_mse": result["test_mse"],
                **spread,
                "test_mse_true_function": result["test_mse_true_function"],
                "val_mse": val_mse,
                "repeats": repeats,
                "study_settings": reference.get("settings", ""),
                "study_test_mse": reference.get("test_mse", math.nan),
            }
        )
    table = pd.DataFrame(rows)
    save_table(table, smk.output[0])
    print(table[["model", "test_mse", "study_test_mse"]].to_string(index=False))
