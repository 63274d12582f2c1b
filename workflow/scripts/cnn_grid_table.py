"""Snakemake glue: gather the CNN grid cells into their accuracy table and learning curves."""

from ffnn.cnn.study import cnn_grid_table
from ffnn.fashion.tables import curves_table
from ffnn.io import load_json, logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    records = [load_json(path) for path in smk.input.cells]
    table = cnn_grid_table(records)
    save_table(table, smk.output.table)
    curves = curves_table(records, list(records[0]["axes"]))
    curves.insert(1, "architecture", curves["cell"].map(table.set_index("cell")["architecture"]))
    save_table(curves, smk.output.curves)
    print(table.to_string(index=False))
