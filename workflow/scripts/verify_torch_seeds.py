"""Snakemake glue: ours against PyTorch in float32 over training seeds: the gap per seed against
the spread of either."""

import pandas as pd

from ffnn.io import logged, save_table
from ffnn.stats import PAIRED_TEST, paired_comparison, spread

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    rows = []
    for training_seed, path in zip(smk.params.training_seeds, smk.input.summaries, strict=True):
        summary = pd.read_csv(path).set_index("framework")
        row = {"training_seed": training_seed}
        for metric in ("test_accuracy", "val_accuracy"):
            row.update({f"{framework}_{metric}": summary.loc[framework, metric] for framework in ("ours", "torch")})
            row[f"gap_{metric}"] = row[f"ours_{metric}"] - row[f"torch_{metric}"]
        rows.append(row)
    seeds = pd.DataFrame(rows)
    save_table(seeds, smk.output.seeds)

    spreads = []
    for metric in ("test_accuracy", "val_accuracy"):
        for quantity in (f"ours_{metric}", f"torch_{metric}", f"gap_{metric}"):
            spreads.append({"quantity": quantity, **spread(seeds[quantity])})
        comparison = paired_comparison(seeds[f"ours_{metric}"], seeds[f"torch_{metric}"])
        spreads[-1].update(p_value=comparison["p_value"], paired_test=PAIRED_TEST)
    table = pd.DataFrame(spreads).rename(columns={"n": "n_seeds"})
    save_table(table, smk.output.spread)
    print(seeds.to_string(index=False))
    print(table.to_string(index=False))
