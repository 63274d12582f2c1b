"""Snakemake glue: a polynomial baseline with degree (and lambda) chosen on validation MSE, scored on test."""

import numpy as np

from ffnn.baselines import PolynomialModel, select_polynomial_model
from ffnn.data.runge import RungeSplit, runge
from ffnn.io import logged, save_json
from ffnn.runge.fitting import mse

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    split = RungeSplit.load(smk.input.data)
    kind = smk.wildcards.kind
    best, grid = select_polynomial_model(kind, smk.params.degrees, smk.params.lambdas, split)
    model = PolynomialModel(kind=kind, degree=best["degree"], lam=best["lam"]).fit(split.z_train, split.y_train)
    test_prediction = model.predict(split.z_test)
    x_dense = np.linspace(-1.0, 1.0, smk.params.dense_points)
    result = {
        "kind": kind,
        "noise_std": float(smk.wildcards.noise),
        "best": best,
        "grid": grid.to_dict("records"),
        "test_mse": mse(split.y_test, test_prediction),
        "test_mse_true_function": mse(runge(split.x_test), test_prediction),
        "x_dense": x_dense,
        "prediction": np.ravel(model.predict(split.scale(x_dense))),
    }
    save_json(result, smk.output[0])
    print(f"{kind}: chose degree {best['degree']}, lambda {best['lam']:g} (validation MSE {best['val_mse']:.3g})")
