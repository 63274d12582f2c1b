"""The FashionMNIST network our validation data choose: the grids' winners combined as the study combined its own.

The study read its final network off its grids one setting at a time: the architecture from the
pyramid and equal-width grids (its Figs. 13 and 24), the learning rate and batch size from Fig. 25,
the optimiser and the penalty from Fig. 26 and the hidden activation from Fig. 28, each grid varying
its own settings around the others. :func:`validation_choice` does the same with our grids, whose
winners are chosen on validation accuracy; no test score enters.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

#: Grids that choose the architecture; the one whose winner validates better gives the hidden layers.
ARCHITECTURE_GRIDS = ("pyramid", "uniform")
#: Grid -> the settings its winner gives the combined network.
SETTINGS_FROM_GRID = {
    "lr_batch": ("learning_rate", "batch_size"),
    "optimizer_lambda": ("optimizer", "lam"),
    "activation": ("activation", "leaky_slope"),
}
#: The selection table's column that ranks the two architecture grids' winners: validation accuracy,
#: mean over the training seeds of their refits.
ARCHITECTURE_SCORE = "winner_val_accuracy_mean"


def validation_choice(
    selection: pd.DataFrame, cells: Mapping[str, Mapping[str, Mapping]], base: Mapping
) -> tuple[dict, dict]:
    """The grids' validation winners combined into one network's settings.

    Parameters
    ----------
    selection : DataFrame
        ``fashion_selection.csv``: one row per grid with ``grid``, ``winner_cell`` (the cell of highest
        validation accuracy) and :data:`ARCHITECTURE_SCORE`.
    cells : mapping
        ``{grid: {cell id: settings}}``, the settings every grid cell was trained with.
    base : mapping
        The settings every grid varies (``fashion.model``); the combined network keeps those that no
        grid chooses (initialiser, penalty kind, epochs, ...).

    Returns
    -------
    settings : dict
        ``base`` with ``hidden_layers`` from the better of the :data:`ARCHITECTURE_GRIDS` winners (the
        first on a tie) and the settings of :data:`SETTINGS_FROM_GRID` from their grids' winners; a
        setting a winner does not name (``leaky_slope`` of a ReLU cell) stays ``base``'s.
    sources : dict
        ``{setting: "grid: winner cell"}`` for every setting a grid chose.

    Raises
    ------
    ValueError
        If a grid the choice needs is missing from ``selection`` or its winner from ``cells``.
    """
    rows = selection.set_index("grid")
    needed = [*ARCHITECTURE_GRIDS, *SETTINGS_FROM_GRID]
    missing = [grid for grid in needed if grid not in rows.index or grid not in cells]
    if missing:
        raise ValueError(f"the validation choice needs the grids {missing}, which the selection or the cells lack")

    def winner(grid):
        cell = rows.loc[grid, "winner_cell"]
        if cell not in cells[grid]:
            raise ValueError(f"grid {grid!r}: its winner {cell!r} is none of its cells")
        return cell, cells[grid][cell]

    settings, sources = dict(base), {}
    scores = [float(rows.loc[grid, ARCHITECTURE_SCORE]) for grid in ARCHITECTURE_GRIDS]
    architecture_grid = ARCHITECTURE_GRIDS[scores.index(max(scores))]
    cell, chosen = winner(architecture_grid)
    settings["hidden_layers"] = list(chosen["hidden_layers"])
    sources["hidden_layers"] = f"{architecture_grid}: {cell}"
    for grid, names in SETTINGS_FROM_GRID.items():
        cell, chosen = winner(grid)
        for name in names:
            if name in chosen:
                settings[name] = chosen[name]
                sources[name] = f"{grid}: {cell}"
    return settings, sources
