"""Snakemake glue: a final network of Table I with one training seed, fitted once per repeat; test MSE reported.

The repeat with the smallest validation MSE is the model (restarts chosen on validation);
the spread of test MSE over all repeats is reported beside it.
"""

import numpy as np

from ffnn.data.runge import RungeSplit
from ffnn.io import load_json, logged, save_json
from ffnn.selection import best_of, summarise
from ffnn.runge.fitting import describe, fit_repeats

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    split = RungeSplit.load(smk.input.data)
    settings = dict(smk.params.settings)
    if smk.input.get("selection") is not None:
        settings.update(load_json(smk.input.selection)["settings"])
    x_dense = np.linspace(-1.0, 1.0, smk.params.dense_points)
    training_seed = int(smk.wildcards.training_seed)
    fits = fit_repeats(
        settings,
        split,
        smk.params.seed,
        smk.params.repeats,
        smk.params.record_every,
        x_dense=x_dense,
        training_seed=training_seed,
    )
    selected = best_of(fits, "val_mse")
    result = {
        "row": smk.wildcards.row,
        "training_seed": training_seed,
        "noise_std": smk.params.noise_std,
        "settings": settings,
        "description": describe(settings),
        "selected_repeat": selected["repeat"],
        "val_mse": selected["val_mse"],
        "test_mse": selected["test_mse"],
        "test_mse_true_function": selected["test_mse_true_function"],
        **summarise(fits, "test_mse"),
        "x_dense": x_dense,
        "prediction": selected["prediction"],
        "fits": fits,
    }
    save_json(result, smk.output[0])
    print(f"{smk.wildcards.row}: {result['description']}: test MSE {result['test_mse']:.3g}")
