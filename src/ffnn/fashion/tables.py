"""Result tables of the FashionMNIST study, built from the records of single fits.

A cell record is the dictionary a grid-cell job writes: ``cell`` (its id), ``axes`` (the values
of the varied settings), ``settings`` (all settings of the fit), ``summary`` (see
:func:`ffnn.fashion.fitting.fit_summary`) and ``history`` (:meth:`ffnn.training.History.to_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..data.fashion_mnist import CLASS_NAMES, IMAGE_SHAPE
from ..selection import choose_best
from .chosen import final_epochs
from .fitting import SETTINGS_KEYS

SUMMARY_COLUMNS = (
    "val_accuracy",
    "val_loss",
    "train_accuracy",
    "train_loss",
    "best_val_accuracy",
    "best_epoch",
    "diverged",
    "epochs_run",
    "seconds",
    "n_params",
)
#: Test scores of a grid cell, recorded beside the others for the audit; no choice reads them.
TEST_COLUMNS = ("test_accuracy", "test_loss")
#: Keys of a grid cell's record (workflow/scripts/fashion_cell.py) that the tables read.
CELL_KEYS = ("cell", "axes", "settings", "summary", "history")
# Settings that make two fits the same model; how often curves were recorded does not.
_MODEL_KEYS = tuple(key for key in SETTINGS_KEYS if key != "record_every")


def architecture_label(hidden_layers: Sequence[int], n_outputs: int = len(CLASS_NAMES)) -> str:
    """The study's notation without the input width, e.g. ``[512-256-10]``."""
    return "[" + "-".join(str(width) for width in (*hidden_layers, n_outputs)) + "]"


def is_same_model(settings: Mapping, reference: Mapping) -> bool:
    """Whether ``settings`` train the same model as ``reference`` (all settings but ``record_every``)."""
    return all(_normalised(settings[key]) == _normalised(reference[key]) for key in _MODEL_KEYS)


def _normalised(value):
    return list(value) if isinstance(value, (list, tuple)) else value


def grid_table(records: Sequence[Mapping], axes: Sequence[str], reference: Mapping) -> pd.DataFrame:
    """One row per cell: its axis values, architecture, final scores and two flags.

    Parameters
    ----------
    records : sequence of cell records
    axes : sequence of str
        Names of the varied settings, in the order of the columns.
    reference : mapping
        Settings of the study's chosen model.

    Returns
    -------
    pandas.DataFrame
        Columns ``cell``, the ``axes``, ``architecture``, :data:`SUMMARY_COLUMNS`,
        :data:`TEST_COLUMNS` where every cell recorded them, ``study_choice`` (the cell trains
        the study's chosen model) and ``selected`` (the highest final validation accuracy of the
        grid; diverged cells never are).
    """
    if not records:
        raise ValueError("a grid table needs at least one cell record")
    rows = []
    tested = all(column in record["summary"] for record in records for column in TEST_COLUMNS)
    summary_columns = SUMMARY_COLUMNS + (TEST_COLUMNS if tested else ())
    for record in records:
        missing = [axis for axis in axes if axis not in record["axes"]]
        if missing:
            raise ValueError(f"cell {record['cell']} has no value for axes {missing}")
        rows.append(
            {
                "cell": record["cell"],
                **{axis: record["axes"][axis] for axis in axes},
                "architecture": architecture_label(record["settings"]["hidden_layers"]),
                **{column: record["summary"][column] for column in summary_columns},
                "study_choice": is_same_model(record["settings"], reference),
            }
        )
    table = pd.DataFrame(rows)
    table["val_accuracy"] = table["val_accuracy"].astype(float)
    table["selected"] = False
    if table["val_accuracy"].notna().any():
        best = choose_best(dict(zip(table["cell"], table["val_accuracy"], strict=True)), lower_is_better=False)
        table["selected"] = table["cell"] == best
    return table


def history_frame(history: Mapping) -> pd.DataFrame:
    """Columns ``epoch``, ``train_accuracy``, ``val_accuracy``, ``train_loss``, ``val_loss`` of
    a :meth:`ffnn.training.History.to_dict` whose metric is accuracy, and ``test_accuracy``,
    ``test_loss`` where it recorded test curves."""
    columns = {
        "epoch": history["epoch"],
        "train_accuracy": history["train_metric"],
        "val_accuracy": history["val_metric"],
        "train_loss": history["train_loss"],
        "val_loss": history["val_loss"],
    }
    if history.get("test_metric"):
        columns.update(test_accuracy=history["test_metric"], test_loss=history["test_loss"])
    return pd.DataFrame(columns)


def curves_table(records: Sequence[Mapping], axes: Sequence[str]) -> pd.DataFrame:
    """Learning curves of every cell in long form.

    Returns
    -------
    pandas.DataFrame
        Columns ``cell``, the ``axes`` and those of :func:`history_frame`: one row per cell and
        recorded epoch.
    """
    frames = []
    for record in records:
        frame = history_frame(record["history"])
        for position, axis in enumerate(axes):
            frame.insert(position, axis, record["axes"][axis])
        frame.insert(0, "cell", record["cell"])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _setting(row: pd.Series, axes: Sequence[str]) -> str:
    return ", ".join(f"{axis}={row[axis]}" for axis in axes)


def selection_row(grid: str, table: pd.DataFrame, axes: Sequence[str]) -> dict:
    """What validation accuracy picks in one grid table, next to the study's choice.

    Returns
    -------
    dict
        ``grid``, ``selected_setting``, ``selected_architecture``, ``selected_val_accuracy``,
        ``study_setting``, ``study_val_accuracy`` (empty/NaN when the grid lacks the study's model),
        ``agrees`` (validation picks the study's model) and ``val_accuracy_gap``
        (selected minus study).
    """
    selected = table[table["selected"]]
    study = table[table["study_choice"]]
    row = {"grid": grid}
    for prefix, rows in (("selected", selected), ("study", study)):
        first = rows.iloc[0] if len(rows) else None
        row[f"{prefix}_setting"] = _setting(first, axes) if first is not None else ""
        row[f"{prefix}_architecture"] = first["architecture"] if first is not None else ""
        row[f"{prefix}_val_accuracy"] = float(first["val_accuracy"]) if first is not None else np.nan
    row["agrees"] = bool(len(selected) and len(study) and selected.index[0] in study.index)
    row["val_accuracy_gap"] = row["selected_val_accuracy"] - row["study_val_accuracy"]
    return row


def epochs_selection_row(history: Mapping, settings: Mapping, from_validation: bool, study_epochs: int) -> dict:
    """The chosen model's epoch count as a row of the selection table (keys of :func:`selection_row`).

    Parameters
    ----------
    history : mapping
        :meth:`ffnn.training.History.to_dict` of the selection fit: the chosen settings on the
        training part, with validation accuracy after each recorded epoch.
    settings : mapping
        The chosen settings; their ``epochs`` is the most the selection fit trained.
    from_validation : bool
        Whether the epoch count is chosen on validation (else ``settings["epochs"]`` is kept).
    study_epochs : int
        The epoch count the study trained its networks for (its Figs. 24-28).

    Returns
    -------
    dict
        ``grid`` (``"epochs"``), ``selected_setting`` and ``study_setting`` (``"epochs=<n>"``), the
        architectures, the validation accuracy after each of the two epoch counts (NaN after one the
        selection fit did not reach), ``agrees`` and ``val_accuracy_gap`` (selected minus study).
    """
    accuracy_after = dict(zip(history["epoch"], history["val_metric"], strict=True))
    chosen, study = final_epochs(history, settings, from_validation), int(study_epochs)
    architecture = architecture_label(settings["hidden_layers"])
    row = {"grid": "epochs"}
    for prefix, epochs in (("selected", chosen), ("study", study)):
        row[f"{prefix}_setting"] = f"epochs={epochs}"
        row[f"{prefix}_architecture"] = architecture
        row[f"{prefix}_val_accuracy"] = float(accuracy_after.get(epochs, np.nan))
    row["agrees"] = chosen == study
    row["val_accuracy_gap"] = row["selected_val_accuracy"] - row["study_val_accuracy"]
    return row


def network_model_label(
    hidden_layers: Sequence[int] | None,
    role: str,
    epochs: int,
    from_validation: bool,
    on_full_train: bool,
    name: str | None = None,
) -> str:
    """Name of a network's row in Table V.

    E.g. ``Neural network [512-10], chosen: 37 epochs by validation, refit on train + validation``
    or ``Neural network [512-10], study protocol: 60 epochs, train part only``; ``name``, if given,
    replaces ``Neural network [...]`` (and ``hidden_layers`` is not used).
    """
    how = " by validation" if from_validation else ""
    images = "refit on train + validation" if on_full_train else "train part only"
    name = f"Neural network {architecture_label(hidden_layers)}" if name is None else name
    return f"{name}, {role}: {epochs} epoch{'' if epochs == 1 else 's'}{how}, {images}"


def confusion_table(confusion: Sequence[Sequence[int]], normalise: bool = False) -> pd.DataFrame:
    """Confusion matrix with a ``true_class`` column and one column per predicted class.

    With ``normalise``, each row is divided by its total so that it sums to one (Fig. 14);
    otherwise the counts are kept (Fig. 27).
    """
    matrix = np.asarray(confusion, dtype=float if normalise else int)
    if matrix.shape != (len(CLASS_NAMES),) * 2:
        raise ValueError(f"confusion matrix must be {len(CLASS_NAMES)}x{len(CLASS_NAMES)}, got {matrix.shape}")
    if normalise:
        totals = matrix.sum(axis=1, keepdims=True)
        matrix = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
    table = pd.DataFrame(matrix, columns=list(CLASS_NAMES))
    table.insert(0, "true_class", list(CLASS_NAMES))
    return table


def per_class_table(per_class: Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """Precision, recall, F1 and support per class (from ``classification_scores``)."""
    table = pd.DataFrame({key: per_class[key] for key in ("precision", "recall", "f1", "support")})
    table.insert(0, "class_name", list(CLASS_NAMES))
    table.insert(0, "label", range(len(CLASS_NAMES)))
    return table


def class_samples_table(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """One randomly chosen image per class (Fig. 12).

    Parameters
    ----------
    x : uint8 ndarray of shape (n, 784); y : int ndarray of shape (n,)
    rng : numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        Columns ``label``, ``class_name``, ``index`` (row in ``x``) and ``pixel_000`` ...
        ``pixel_783`` (0-255), one row per class in label order.
    """
    n_pixels = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
    rows = []
    for label, name in enumerate(CLASS_NAMES):
        members = np.flatnonzero(y == label)
        if members.size == 0:
            raise ValueError(f"no image of class {label} ({name})")
        index = int(rng.choice(members))
        rows.append([label, name, index, *x[index].tolist()])
    return pd.DataFrame(rows, columns=["label", "class_name", "index", *(f"pixel_{i:03d}" for i in range(n_pixels))])


def model_row(model: str, scores: Mapping, extra: Mapping, reference: Mapping | None) -> dict:
    """A row of Table V: our test scores and time, then the study's published values.

    The study's numbers go to ``study_*`` columns (NaN when ``reference`` is ``None``), never
    into ours.
    """
    row = {"model": model, **{key: scores[key] for key in ("accuracy", "precision", "recall", "f1")}}
    row.update(extra)
    for key in ("accuracy", "precision", "recall", "f1", "seconds"):
        row[f"study_{key}"] = reference[key] if reference is not None else np.nan
    return row
