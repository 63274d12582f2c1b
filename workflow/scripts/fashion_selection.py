"""Snakemake glue: what validation accuracy selects in each grid, and the chosen model's epoch
count, beside the study's choices; per grid, its two best cells compared over training seeds."""

import pandas as pd

from ffnn.fashion.seeds import top_cells_row
from ffnn.fashion.tables import epochs_selection_row, selection_row
from ffnn.io import load_json, logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    top_cells = {}
    for path in smk.input.top_cells:
        record = load_json(path)
        top_cells.setdefault((record["grid"], record["rank"]), []).append(record)
    rows = []
    for grid, path in zip(smk.params.grids, smk.input.grids, strict=True):
        row = selection_row(grid, pd.read_csv(path), smk.params.axes[grid])
        winner, runner_up = (
            sorted(top_cells[grid, rank], key=lambda r: r["training_seed"]) for rank in smk.params.ranks
        )
        rows.append({"study_figure": smk.params.figures[grid], **row, **top_cells_row(winner, runner_up)})
    selection_fit = load_json(smk.input.chosen_selection)
    epochs_row = epochs_selection_row(
        selection_fit["history"], selection_fit["settings"], smk.params.epochs_from_validation, smk.params.study_epochs
    )
    rows.append({"study_figure": smk.params.figures["epochs"], **epochs_row})
    table = pd.DataFrame(rows)
    save_table(table, smk.output[0])
    print(table.to_string(index=False))
