"""Snakemake glue: the chosen CNN's final fit and its one evaluation on the test images.

The grid cell of highest validation accuracy is the selection fit: its validation curve gives the
epoch count (or the configured count stays), and a fresh network of its settings, seeded as the
cell, trains on the training and validation parts together (or the training part alone), as
`fashion.chosen` says for the dense network.
"""

import numpy as np
import pandas as pd

from ffnn.fashion.chosen import epochs_by_validation, refit_and_score
from ffnn.cnn.model import build_cnn, cnn_label
from ffnn.cnn.study import architecture_table, selected_cell
from ffnn.fashion.splits import load_split
from ffnn.io import load_json, logged, save_json, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log, blas_threads=smk.params.blas_threads):
    cell = selected_cell(pd.read_csv(smk.input.grid))
    selection = next(record for record in map(load_json, smk.input.cells) if record["cell"] == cell)
    settings, history = selection["settings"], selection["history"]
    print(f"chosen cell {cell}; best validation accuracy {epochs_by_validation(history)[1]:.4f}")

    split = load_split(smk.input.data, smk.input.splits, dtype=smk.params.dtype, include_test=True)
    rng = np.random.default_rng(smk.params.seed)
    network, record = refit_and_score(
        settings, history, smk.params.protocol, split, rng, dtype=smk.params.dtype, build=build_cnn
    )
    test, fit = record["test"], record["summary"]
    print(
        f"{record['n_train']} images, {record['settings']['epochs']} epochs, {fit['seconds']:.1f} s: "
        f"test accuracy {test['accuracy']:.4f}, macro F1 {test['f1']:.4f}"
    )
    save_json({"model": "chosen_cnn", "cell": cell, "architecture": cnn_label(settings), **record}, smk.output.record)
    save_table(architecture_table(network), smk.output.architecture)
