"""Snakemake glue: one cell of a network grid, fitted once per repeat (train and validation parts only)."""

from ffnn.data.runge import RungeSplit
from ffnn.io import load_json, logged, save_json
from ffnn.selection import summarise
from ffnn.runge.fitting import fit_repeats

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    split = RungeSplit.load(smk.input.data)
    settings = dict(smk.params.settings)
    if smk.params.inherit:
        # A later sweep of a chain: the values chosen on validation by the previous sweep.
        chosen = load_json(smk.input.selection)["settings"]
        settings.update({key: chosen[key] for key in smk.params.inherit})
    fits = fit_repeats(settings, split, smk.params.seed, smk.params.repeats, smk.params.record_every)
    result = {
        "grid": smk.wildcards.grid,
        "cell": smk.wildcards.cell,
        "settings": settings,
        "fits": fits,
        **summarise(fits, "val_mse"),
    }
    save_json(result, smk.output[0])
    print(f"{smk.wildcards.grid}/{smk.wildcards.cell}: median validation MSE {result['val_mse_median']:.3g}")
