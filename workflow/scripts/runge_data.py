"""Snakemake glue: sample Runge's function at one noise level, split it and save the split."""

import numpy as np

from ffnn.data.runge import make_runge_split
from ffnn.io import logged

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    data = smk.params.data
    noise_std = float(smk.wildcards.noise)
    # One seed for every noise level: the permutation is drawn before the noise, so the
    # clean and noisy data sets share their train/validation/test partition of x.
    split = make_runge_split(
        n_points=data["n_points"],
        noise_std=noise_std,
        test_fraction=data["test_fraction"],
        validation_fraction=data["validation_fraction"],
        rng=np.random.default_rng(smk.params.seed),
    )
    split.save(smk.output[0])
    print(
        f"noise_std={noise_std}: {len(split.x_train)} train / {len(split.x_val)} validation / "
        f"{len(split.x_test)} test points"
    )
