"""Snakemake glue: the logistic-regression baseline of Table V, fitted to convergence."""

import numpy as np

from ffnn.baselines_classification import fit_logistic_regression
from ffnn.fashion.metrics import classification_scores
from ffnn.fashion.splits import load_split
from ffnn.io import logged, save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log, blas_threads=smk.params.blas_threads):
    settings = smk.params.settings
    split = load_split(smk.input.data, smk.input.splits, dtype=np.float64, include_test=True)
    model, info = fit_logistic_regression(
        split.X_train,
        split.y_train,
        C=settings["C"],
        max_iter=settings["max_iter"],
        tol=settings["tol"],
        rng=np.random.default_rng(smk.params.seed),
    )
    val_accuracy = float(np.mean(model.predict(split.X_val) == split.y_val))
    test = classification_scores(split.y_test, model.predict(split.X_test))
    print(f"{info}\nvalidation accuracy {val_accuracy:.4f}, test accuracy {test['accuracy']:.4f}")
    save_json(
        {
            "model": "logistic_regression",
            "settings": settings,
            "n_train": len(split.y_train),
            "n_validation": len(split.y_val),
            "n_test": len(split.y_test),
            "fit": info,
            "val_accuracy": val_accuracy,
            "test": test,
        },
        smk.output.record,
    )
