"""Snakemake glue: our network against scikit-learn's MLPRegressor on Runge data (Table II, Figs. 5, 19)."""

import numpy as np

from ffnn.data.runge import RungeSplit
from ffnn.io import logged, save_table
from ffnn.verify.sklearn_parity import parity_tables

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
settings = smk.params.settings

with logged(smk.log):
    differences, predictions = parity_tables(
        RungeSplit.load(smk.input.data),
        settings["architectures"],
        independent=settings["independent"],
        shared=settings["shared"],
        curve_points=settings["curve_points"],
        rng=np.random.default_rng(smk.params.seed),
    )
    print(differences.to_string())
    save_table(differences, smk.output.differences)
    save_table(predictions, smk.output.predictions)
