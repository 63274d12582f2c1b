"""Snakemake glue: choose the cell of a grid with the smallest median validation MSE."""

from ffnn.io import load_json, logged, save_json
from ffnn.selection import choose_best, summarise

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    cells = {}
    for path in smk.input.cells:
        cell = load_json(path)
        cells[cell["cell"]] = cell
    best = choose_best({name: summarise(cell["fits"], "val_mse")["val_mse_median"] for name, cell in cells.items()})
    result = {
        "grid": smk.wildcards.grid,
        "criterion": "smallest median validation MSE over repeats (a diverged fit counts as +inf)",
        "chosen_cell": best,
        "settings": cells[best]["settings"],
        **summarise(cells[best]["fits"], "val_mse"),
    }
    save_json(result, smk.output[0])
    print(f"{smk.wildcards.grid}: chose {best} (median validation MSE {result['val_mse_median']:.3g})")
