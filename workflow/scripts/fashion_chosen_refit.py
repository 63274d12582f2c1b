"""Snakemake glue: a network's final fit, then its one evaluation on the test images.

The epoch count comes from the selection fit's validation curve (or stays the configured one),
and the fresh network, seeded as the selection fit of the same training seed, trains on the
training and validation parts together (or on the training part alone), as the config's
`fashion.chosen` switches say.
"""

from ffnn.fashion.chosen import epochs_by_validation, refit_and_score
from ffnn.fashion.splits import load_split
from ffnn.fashion.weights import save_weights
from ffnn.io import load_json, logged, save_json
from ffnn.selection import training_rng

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
protocol = smk.params.protocol
settings = load_json(smk.input.settings)["settings"] if smk.input.get("settings") is not None else smk.params.settings

with logged(smk.log, blas_threads=smk.params.blas_threads):
    selection = load_json(smk.input.selection)
    if selection["settings"] != settings:
        raise ValueError(f"{smk.input.selection} was fitted with other settings than this network's; rerun its rule")
    history = selection["history"]
    if protocol["epochs_from_validation"]:
        epochs, accuracy = epochs_by_validation(history)
        print(f"validation accuracy peaks after {epochs} of {settings['epochs']} epochs: {accuracy:.4f}")

    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype, include_test=True)
    training_seed = int(smk.wildcards.training_seed)
    rng = training_rng(smk.params.seed, training_seed)
    network, record = refit_and_score(settings, history, protocol, split, rng, dtype=smk.params.dtype)
    test, fit = record["test"], record["summary"]
    print(
        f"{record['n_train']} images, {record['settings']['epochs']} epochs, {fit['seconds']:.1f} s: "
        f"test accuracy {test['accuracy']:.4f}, macro F1 {test['f1']:.4f}"
    )
    save_json({"model": smk.params.model, "training_seed": training_seed, **record}, smk.output.record)
    save_weights(network, smk.output.weights)
