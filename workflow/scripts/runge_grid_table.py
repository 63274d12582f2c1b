"""Snakemake glue: gather the cells of a grid into a summary table, a table of every fit and a long
learning-curve table. Test scores are recorded beside validation's; the selection reads the cells'
validation scores only."""

import pandas as pd

from ffnn.io import load_json, logged, save_table
from ffnn.selection import summarise

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive
FIT_COLUMNS = ("repeat", "train_mse", "val_mse", "test_mse", "test_mse_true_function", "diverged")


with logged(smk.log):
    columns = list(smk.params.columns)
    summary_rows, fit_rows, curve_frames = [], [], []
    for path in smk.input.cells:
        cell = load_json(path)
        fits = cell["fits"]
        keys = {column: cell["settings"].get(column) for column in columns}
        summary_rows.append(
            {
                **keys,
                "cell": cell["cell"],
                "repeats": len(fits),
                "train_mse_median": summarise(fits, "train_mse")["train_mse_median"],
                **summarise(fits, "val_mse"),
                **summarise(fits, "test_mse"),
                "n_diverged": sum(fit["diverged"] for fit in fits),
                "seconds": sum(fit["seconds"] for fit in fits),
            }
        )
        for fit in fits:
            fit_rows.append({**keys, "cell": cell["cell"], **{key: fit[key] for key in FIT_COLUMNS}})
            curve = pd.DataFrame(fit["curves"], columns=["epoch", "train_mse", "val_mse", "test_mse"])
            curve.insert(0, "repeat", fit["repeat"])
            for position, (column, value) in enumerate(keys.items()):
                curve.insert(position, column, value)
            curve_frames.append(curve)

    summary, fit_table = pd.DataFrame(summary_rows), pd.DataFrame(fit_rows)
    for column in ("depth", "width", "epochs", "batch_size"):
        for table in (summary, fit_table):
            if column in table:  # a full-batch None would otherwise turn 32 into 32.0
                table[column] = table[column].astype("Int64")
    if smk.input.selection:
        summary["chosen"] = summary["cell"] == load_json(smk.input.selection[0])["chosen_cell"]
    if smk.params.reference:  # the study's Table VI, one cell a row (ffnn.study_numbers.table6_reference)
        study = pd.DataFrame(smk.params.reference, columns=["activation", "depth", "width", "study_test_mse"])
        summary = summary.merge(study, on=["activation", "depth", "width"], how="left")
    save_table(summary, smk.output.mse)
    save_table(fit_table, smk.output.fits)
    save_table(pd.concat(curve_frames, ignore_index=True), smk.output.curves)
    print(f"{len(summary)} cells, {sum(len(frame) for frame in curve_frames)} curve points")
