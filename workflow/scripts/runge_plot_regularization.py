"""Snakemake glue: the lambda, eta and b sweeps of one penalty and their training curves, from the tables."""

import pandas as pd

from ffnn.io import logged
from ffnn.plots.runge import plot_learning_curves, plot_sweeps
from ffnn.plots.style import save_figure

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

SWEPT = ("lam", "learning_rate", "batch_size")  # the order of the rule's inputs
STAGE_TITLES = {"lam": "lambda", "learning_rate": "eta", "batch_size": "b"}

with logged(smk.log):
    penalty = smk.wildcards.penalty.upper()
    tables = {column: pd.read_csv(path) for column, path in zip(SWEPT, smk.input.mse, strict=True)}
    save_figure(plot_sweeps(tables, title=f"{penalty} penalty, [32-32-32-1] Leaky ReLU"), smk.output.sweeps)

    frames = []
    for column, path in zip(SWEPT, smk.input.curves, strict=True):
        curves = pd.read_csv(path)
        frames.append(curves.assign(sweep=f"varying {STAGE_TITLES[column]}", value=curves[column]))
    fig = plot_learning_curves(
        pd.concat(frames, ignore_index=True),
        panel="sweep",
        line="value",
        metric="train_mse",
        title=f"{penalty} penalty: training curves",
        line_title="value",
    )
    save_figure(fig, smk.output.curves)
