"""Snakemake glue: a network's settings on the training part with validation curves (no test images).

The settings are the rule's `settings` param, or those of its `settings` input file where it has one
(the validation choice, known only once the grids have run).

Its curves choose the final fit's epoch count; its network is the study's protocol (every epoch,
training part only), scored on the test images by a rule of its own.
"""

from ffnn.fashion.fitting import fit_on_split
from ffnn.fashion.splits import load_split
from ffnn.fashion.weights import save_weights
from ffnn.io import load_json, logged, save_json
from ffnn.selection import training_rng

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log, blas_threads=smk.params.blas_threads):
    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype)
    training_seed = int(smk.wildcards.training_seed)
    rng = training_rng(smk.params.seed, training_seed)
    settings = (
        load_json(smk.input.settings)["settings"] if smk.input.get("settings") is not None else smk.params.settings
    )
    network, record = fit_on_split(settings, split, rng, dtype=smk.params.dtype)
    print(f"summary: {record['summary']}")
    save_json({"model": f"{smk.params.model}_selection", "training_seed": training_seed, **record}, smk.output.record)
    save_weights(network, smk.output.weights)
