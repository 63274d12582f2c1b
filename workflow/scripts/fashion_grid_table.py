"""Snakemake glue: gather the cells of one grid into its accuracy table and its learning curves."""

from ffnn.fashion.tables import CELL_KEYS, curves_table, grid_table
from ffnn.io import load_json, logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    records = [load_json(path, required=CELL_KEYS) for path in smk.input.cells]
    table = grid_table(records, smk.params.axes, smk.params.reference)
    save_table(table, smk.output.table)
    save_table(curves_table(records, smk.params.axes), smk.output.curves)
    print(table.to_string(index=False))
