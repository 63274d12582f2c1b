"""Snakemake glue: the validation grids of the polynomial baselines, the chosen model of each marked."""

import pandas as pd

from ffnn.io import load_json, logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    frames = []
    for path in smk.input.baselines:
        result = load_json(path)
        grid = pd.DataFrame(result["grid"])
        grid.insert(1, "noise_std", result["noise_std"])
        grid["chosen"] = (grid["degree"] == result["best"]["degree"]) & (grid["lam"] == result["best"]["lam"])
        frames.append(grid)
    table = pd.concat(frames, ignore_index=True)
    save_table(table, smk.output[0])
    print(f"{len(table)} baseline fits, {int(table['chosen'].sum())} chosen")
