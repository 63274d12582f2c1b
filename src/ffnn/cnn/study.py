"""The convolutional network's part of the FashionMNIST study: grid cells, choice, result tables.

A CNN cell record is what a grid-cell job writes: ``cell``, ``axes`` (the grid's values of the cell,
``channels`` as text such as ``"16-32"``), ``settings`` (see :data:`ffnn.cnn.model.CNN_SETTINGS_KEYS`),
``summary`` (:func:`ffnn.fashion.fitting.fit_summary`) and ``history``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..data.fashion_mnist import CLASS_NAMES
from ..fashion.tables import SUMMARY_COLUMNS
from ..layers import Sequential
from .model import cnn_label

#: Every final table, by its name (``results/cnn/tables/cnn_<name>.csv``).
TABLES = (
    "grid_accuracy",
    "grid_curves",
    "architecture",
    "comparison",
    "per_class_f1",
    "confusion_raw",
    "torch_parity_float64",
    "torch_curves",
    "torch_summary",
    "torch_logits",
)
#: Figure name (``results/cnn/figures/cnn_<name>.png``) -> the tables it is drawn from, as
#: ``(part, table name)``, and its drawing function in :mod:`ffnn.plots.cnn`.
PLOTS = {
    "architecture": ((("cnn", "architecture"),), "architecture_figure"),
    "grid_curves": ((("cnn", "grid_curves"),), "grid_curves_figure"),
    "per_class_f1": ((("cnn", "per_class_f1"),), "per_class_f1_figure"),
    "confusions": ((("fashion", "confusion_raw"), ("cnn", "confusion_raw")), "confusions_figure"),
    "torch_parity_float64": ((("cnn", "torch_parity_float64"),), "torch_drift_figure"),
    "torch_curves": ((("cnn", "torch_curves"),), "torch_curves_figure"),
}

#: The four upper-body garments the dense network confuses most (Section III.B, Fig. 14).
UPPER_BODY = ("T-shirt/top", "Pullover", "Coat", "Shirt")


def channels_text(channels: Sequence[int]) -> str:
    """``[16, 32]`` -> ``"16-32"``."""
    return "-".join(str(c) for c in channels)


def _axis_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return channels_text(value) if isinstance(value, (list, tuple)) else f"{value:g}"


def cnn_cells(model: Mapping, grid: Mapping[str, Sequence]) -> dict[str, dict]:
    """``{cell id: {"axes": ..., "settings": ...}}`` for every combination of the ``grid``'s values.

    Each grid key is a settings key (``channels``, ``dropout``, ``conv_dropout``, ``batch_norm``)
    with the list of values to try; each cell's settings are ``model`` with one value of each.
    Ids join the axes in the grid's order, e.g. ``channels-16-32_dropout-0.3_batchnorm-yes``
    (underscores dropped from the keys); ``axes`` holds ``channels`` as text (``"16-32"``).
    """
    cells = {}
    for values in itertools.product(*grid.values()):
        chosen = dict(zip(grid, values, strict=True))
        cell = "_".join(f"{key.replace('_', '')}-{_axis_text(value)}" for key, value in chosen.items())
        axes = {key: channels_text(value) if key == "channels" else value for key, value in chosen.items()}
        settings = {**model, **{key: list(value) if key == "channels" else value for key, value in chosen.items()}}
        cells[cell] = {"axes": axes, "settings": settings}
    return cells


def cnn_grid_table(records: Sequence[Mapping]) -> pd.DataFrame:
    """One row per cell: ``cell``, the grid's axes, ``architecture``, :data:`SUMMARY_COLUMNS`, ``selected``.

    ``selected`` marks the highest ``best_val_accuracy`` (the best recorded epoch, as the final fit
    stops at the best epoch too); a diverged cell is never selected.
    """
    if not records:
        raise ValueError("the CNN grid table needs at least one cell record")
    rows = [
        {
            "cell": record["cell"],
            **record["axes"],
            "architecture": cnn_label(record["settings"]),
            **{column: record["summary"][column] for column in SUMMARY_COLUMNS},
        }
        for record in records
    ]
    table = pd.DataFrame(rows)
    score = table["best_val_accuracy"].astype(float).where(~table["diverged"].astype(bool))
    if score.isna().all():
        raise ValueError("every CNN grid cell diverged: nothing to choose")
    table["selected"] = False
    table.loc[score.idxmax(), "selected"] = True
    return table


def selected_cell(table: pd.DataFrame) -> str:
    """The id of the cell :func:`cnn_grid_table` selected."""
    return str(table.loc[table["selected"].astype(bool), "cell"].iloc[0])


def architecture_table(network: Sequential) -> pd.DataFrame:
    """The layers of ``network``: ``position``, ``layer`` (its repr), ``kind`` (class name),
    ``output_shape`` (one sample's, as text), ``units`` (its size) and ``n_params``."""
    rows = []
    for position, (layer, shape) in enumerate(zip(network.layers, network.shapes[1:], strict=True), start=1):
        rows.append(
            {
                "position": position,
                "layer": repr(layer),
                "kind": type(layer).__name__,
                "output_shape": "x".join(str(size) for size in shape),
                "units": int(np.prod(shape)),
                "n_params": sum(p.size for p in layer.params),
            }
        )
    return pd.DataFrame(rows)


def comparison_table(records: Mapping[str, Mapping]) -> pd.DataFrame:
    """The final fits side by side, one row per ``{name: final-fit record}``.

    Columns ``network``, ``n_params``, ``epochs``, ``n_train``, ``seconds`` (training), ``seconds_per_epoch``
    and the test ``accuracy``, ``precision``, ``recall``, ``f1`` (macro).
    """
    rows = []
    for name, record in records.items():
        summary, test = record["summary"], record["test"]
        rows.append(
            {
                "network": name,
                "n_params": summary["n_params"],
                "epochs": summary["epochs_run"],
                "n_train": record["n_train"],
                "seconds": summary["seconds"],
                "seconds_per_epoch": summary["seconds"] / summary["epochs_run"],
                **{key: test[key] for key in ("accuracy", "precision", "recall", "f1")},
            }
        )
    return pd.DataFrame(rows)


def per_class_f1_table(records: Mapping[str, Mapping]) -> pd.DataFrame:
    """Test F1 per class of each ``{name: final-fit record}``: ``label``, ``class_name``, then one column per name."""
    table = pd.DataFrame({"label": range(len(CLASS_NAMES)), "class_name": list(CLASS_NAMES)})
    for name, record in records.items():
        table[name] = record["test"]["per_class"]["f1"]
    return table


def confusions_within(confusion: Sequence[Sequence[int]], classes: Sequence[str] = UPPER_BODY) -> int:
    """Test images of one of ``classes`` predicted as another of them (off-diagonal count within the group)."""
    index = [CLASS_NAMES.index(name) for name in classes]
    block = np.asarray(confusion)[np.ix_(index, index)]
    return int(block.sum() - np.trace(block))
