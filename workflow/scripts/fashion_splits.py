"""Snakemake glue: the training/validation split, its class counts and the images of Fig. 12."""

import numpy as np
import pandas as pd

from ffnn.data.fashion_mnist import CLASS_NAMES, load_fashion_mnist
from ffnn.fashion.splits import make_splits, save_splits
from ffnn.fashion.tables import class_samples_table
from ffnn.io import logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    data = load_fashion_mnist(smk.input.data)
    split = smk.params.split
    parts = make_splits(
        data["y_train"],
        split["validation_fraction"],
        np.random.default_rng(smk.params.seed),
        split["train_samples"],
        split["validation_samples"],
    )
    save_splits(parts, smk.output.splits)

    labels = {
        "train": data["y_train"][parts["train_idx"]],
        "validation": data["y_train"][parts["val_idx"]],
        "test": data["y_test"],
    }
    sizes = pd.DataFrame(
        [
            {
                "part": part,
                "n": len(y),
                **dict(zip(CLASS_NAMES, np.bincount(y, minlength=len(CLASS_NAMES)), strict=True)),
            }
            for part, y in labels.items()
        ]
    )
    save_table(sizes, smk.output.sizes)
    print(sizes.to_string(index=False))

    samples = class_samples_table(data["x_train"], data["y_train"], np.random.default_rng(smk.params.samples_seed))
    save_table(samples, smk.output.samples)
