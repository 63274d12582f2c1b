"""Snakemake glue: the chosen model's confusion matrices and per-class scores, and the learning
curves of its selection fit (training seed 0, the study's stream)."""

from ffnn.fashion.tables import confusion_table, history_frame, per_class_table
from ffnn.io import load_json, logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    chosen, selection = load_json(smk.input.chosen), load_json(smk.input.selection)
    save_table(confusion_table(chosen["test"]["confusion"]), smk.output.confusion_raw)
    save_table(confusion_table(chosen["test"]["confusion"], normalise=True), smk.output.confusion_normalised)
    save_table(per_class_table(chosen["test"]["per_class"]), smk.output.per_class)
    curves = history_frame(selection["history"])
    curves["chosen_epoch"] = curves["epoch"] == chosen["settings"]["epochs"]
    save_table(curves, smk.output.curves)
