# Helpers shared by the rule files: cell ids and the grids they index.
import itertools

# Training seeds 0, 1, ...: seed 0 is the study's stream; each is its own job wherever it is used.
TRAINING_SEEDS = list(range(config["seeds"]))


def cell_id(params):
    """Readable, unique id of one grid cell, e.g. `activation-relu_depth-3_width-32`."""
    return "_".join(f"{key}-{value}" for key, value in params.items())


def expand_grid(base, axes):
    """Cells of a grid: {cell_id: params} for the product of `axes` over the `base` settings.

    `axes` maps a parameter name to the list of its values; only the varied parameters go
    into the id, so changing a shared base value changes every cell's params (and Snakemake
    reruns them), while adding one value to an axis adds only its cells.
    """
    names = list(axes)
    cells = {}
    for values in itertools.product(*(axes[name] for name in names)):
        varied = dict(zip(names, values))
        cells[cell_id(varied)] = {**base, **varied}
    return cells


def cell_lookup(cells):
    """Params function for a cell rule: the settings of the cell named by the `cell` wildcard."""

    def lookup(wildcards):
        return cells[wildcards.cell]

    return lookup


def cell_files(pattern, cells):
    """The output files of every cell of a grid, e.g. for an aggregation rule's input."""
    return [pattern.format(cell=cell) for cell in cells]
