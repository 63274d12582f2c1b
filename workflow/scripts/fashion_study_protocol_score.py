"""Snakemake glue: the selection fit's network (the study's protocol) scored on the test images."""

import numpy as np

from ffnn.data.fashion_mnist import load_fashion_mnist, scale_pixels
from ffnn.fashion.metrics import classification_scores
from ffnn.fashion.weights import load_network
from ffnn.io import load_json, logged, save_json

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    selection = load_json(smk.input.selection)
    network = load_network(selection["settings"], smk.input.weights, dtype=smk.params.dtype)
    data = load_fashion_mnist(smk.input.data)
    logits = network.forward(scale_pixels(data["x_test"], smk.params.dtype))
    test = classification_scores(data["y_test"], np.argmax(logits, axis=1))
    print(f"test accuracy {test['accuracy']:.4f}, macro F1 {test['f1']:.4f}")
    save_json(
        {
            "model": "chosen_ffnn_study_protocol",
            "training_seed": selection["training_seed"],
            "settings": selection["settings"],
            "n_train": selection["n_train"],
            "n_test": len(data["y_test"]),
            "summary": selection["summary"],
            "test": test,
        },
        smk.output.record,
    )
