"""Grids of settings: one cell per combination of the values of some axes, named by its values.

A study's grid job writes one file per cell, named by the cell's id; the ids hold only the varied
values, so changing a shared base value changes every cell's settings (and the workflow reruns
them), while adding one value to an axis adds only its cells.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence


def cell_id(values: Mapping) -> str:
    """Readable, unique id of one grid cell, e.g. ``activation-relu_depth-3_width-32``."""
    return "_".join(f"{key}-{value}" for key, value in values.items())


def expand_grid(base: Mapping, axes: Mapping[str, Sequence]) -> dict[str, dict]:
    """Cells of a grid: ``{cell id: settings}`` for the product of ``axes`` over the ``base`` settings.

    Parameters
    ----------
    base : mapping
        Settings every cell shares.
    axes : mapping of str to sequence
        Each varied setting with the list of its values, in the order the ids name them.
    """
    names = list(axes)
    cells = {}
    for values in itertools.product(*(axes[name] for name in names)):
        varied = dict(zip(names, values, strict=True))
        cells[cell_id(varied)] = {**base, **varied}
    return cells
