"""Snakemake glue: the chosen dense and convolutional networks side by side on the test images."""

from ffnn.cnn.study import comparison_table, per_class_f1_table
from ffnn.fashion.tables import confusion_table
from ffnn.io import load_json, logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    records = {"dense": load_json(smk.input.dense), "cnn": load_json(smk.input.cnn)}
    comparison = comparison_table(records)
    save_table(comparison, smk.output.comparison)
    save_table(per_class_f1_table(records), smk.output.per_class_f1)
    save_table(confusion_table(records["cnn"]["test"]["confusion"]), smk.output.confusion)
    print(comparison.to_string(index=False))
