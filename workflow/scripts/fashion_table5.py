"""Snakemake glue: Table V over training seeds (with the chosen CNN's row), and the chosen model's
fits one row per seed.

Our scores in the plain columns are those of training seed 0 (the study's stream); the
``*_mean``/``*_sd``/``*_ci_*`` columns summarise every seed (Student-t interval, 95 %).
"""

import pandas as pd

from ffnn.data.fashion_mnist import N_CLASSES, N_PIXELS
from ffnn.fashion.seeds import chosen_seed_row
from ffnn.fashion.tables import architecture_label, model_row, network_model_label
from ffnn.io import load_json, logged, save_table
from ffnn.stats import deterministic_columns, spread_columns

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
SCORES = ("accuracy", "precision", "recall", "f1")

with logged(smk.log):
    chosen = [load_json(path) for path in smk.input.chosen]
    validation = [load_json(path) for path in smk.input.validation]
    sources = load_json(smk.input.choice)["sources"]
    protocol = [load_json(path) for path in smk.input.protocol]
    logistic, cnn = load_json(smk.input.logistic), load_json(smk.input.cnn)
    reference = smk.params.reference  # the study's Table V by our roles of its two models: baseline, study_settings
    seeds = pd.DataFrame(
        [
            chosen_seed_row(seed, *records)
            for seed, records in zip(smk.params.training_seeds, zip(chosen, protocol, strict=True), strict=True)
        ]
    )
    save_table(seeds, smk.output.seeds)
    print(seeds.to_string(index=False))

    first, first_protocol, first_validation = chosen[0], protocol[0], validation[0]
    switches = first["protocol"]

    def dense_name(record):
        settings = record["settings"]
        return f"Neural network {architecture_label(settings['hidden_layers'])} {settings['activation']}"

    def network_extra(role, record, epochs, val_accuracy):
        return {
            "role": role,
            "seconds": record["summary"]["seconds"],
            "val_accuracy": val_accuracy,
            "n_train": record["n_train"],
            "n_iter": epochs,
            "iteration_unit": "epochs",
            "max_iter": first_protocol["settings"]["epochs"],
            "converged": None,  # a fixed number of epochs; no convergence test applies
            "n_params": record["summary"]["n_params"],
        }

    # The baseline; the study's settings through our procedure, then the network our validation chose
    # through the same procedure; the study's settings under the study's protocol; the CNN.
    rows = [
        {
            **model_row(
                "Logistic regression (scikit-learn)",
                logistic["test"],
                {
                    "role": "baseline",
                    "seconds": logistic["fit"]["seconds"],
                    "val_accuracy": logistic["val_accuracy"],
                    "n_train": logistic["n_train"],
                    "n_iter": logistic["fit"]["n_iter"],
                    "iteration_unit": "L-BFGS iterations",
                    "max_iter": logistic["fit"]["max_iter"],
                    "converged": logistic["fit"]["converged"],
                    "n_params": (N_PIXELS + 1) * N_CLASSES,  # a weight per pixel and a bias, per class
                },
                reference["baseline"],
            ),
            **deterministic_columns(
                {**{key: logistic["test"][key] for key in SCORES}, "seconds": logistic["fit"]["seconds"]}
            ),
        },
        {
            **model_row(
                network_model_label(
                    None,
                    "study settings",
                    first["settings"]["epochs"],
                    switches["epochs_from_validation"],
                    switches["refit_on_full_train"],
                    name=dense_name(first),
                ),
                first["test"],
                network_extra("study settings", first, first["settings"]["epochs"], first["selection_val_accuracy"]),
                reference["study_settings"],
            ),
            **spread_columns({**{key: seeds[f"test_{key}"] for key in SCORES}, "seconds": seeds["seconds"]}),
        },
        {
            **model_row(
                network_model_label(
                    None,
                    "validation choice",
                    first_validation["settings"]["epochs"],
                    switches["epochs_from_validation"],
                    switches["refit_on_full_train"],
                    name=dense_name(first_validation),
                ),
                first_validation["test"],
                network_extra(
                    "validation choice",
                    first_validation,
                    first_validation["settings"]["epochs"],
                    first_validation["selection_val_accuracy"],
                ),
                reference["study_settings"],
            ),
            **spread_columns(
                {
                    **{key: [record["test"][key] for record in validation] for key in SCORES},
                    "seconds": [record["summary"]["seconds"] for record in validation],
                }
            ),
        },
        {
            **model_row(
                network_model_label(
                    None,
                    "study protocol",
                    first_protocol["settings"]["epochs"],
                    False,
                    False,
                    name=dense_name(first_protocol),
                ),
                first_protocol["test"],
                network_extra(
                    "study protocol",
                    first_protocol,
                    first_protocol["settings"]["epochs"],
                    first_protocol["summary"]["val_accuracy"],
                ),
                reference["study_settings"],
            ),
            **spread_columns(
                {**{key: seeds[f"protocol_test_{key}"] for key in SCORES}, "seconds": seeds["protocol_seconds"]}
            ),
        },
        {
            # One training seed: the CNN has no spread over seeds yet (its columns say n_seeds 1).
            **model_row(
                network_model_label(
                    None,
                    "chosen",
                    cnn["settings"]["epochs"],
                    cnn["protocol"]["epochs_from_validation"],
                    cnn["protocol"]["refit_on_full_train"],
                    name=f"Convolutional network ({cnn['architecture']})",
                ),
                cnn["test"],
                network_extra("convolutional", cnn, cnn["settings"]["epochs"], cnn["selection_val_accuracy"])
                | {"max_iter": cnn["max_epochs"]},
                None,
            ),
            **spread_columns({**{key: [cnn["test"][key]] for key in SCORES}, "seconds": [cnn["summary"]["seconds"]]}),
        },
    ]
    table5 = pd.DataFrame(rows)
    table5.insert(1, "role", table5.pop("role"))
    table5["settings_sources"] = None
    table5.loc[table5["role"] == "validation choice", "settings_sources"] = "; ".join(
        f"{name} from {source}" for name, source in sources.items()
    )
    save_table(table5, smk.output.table5)
    print(table5.to_string(index=False))
