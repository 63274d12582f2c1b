"""The study's published numbers, from their one file (``report/study_numbers.csv``).

Each row is one number the study publishes, with the columns of :data:`STUDY_COLUMNS`: its ``id``,
where it stands (``location``), the model, the metric, the study's value, ``better``
(``lower``/``higher`` for a score, ``choice`` for a chosen setting), ``scale`` (``log`` or ``raw``,
empty for a choice), the study's settings, ``ours`` (the key of the number of ours it stands
beside, see :func:`ffnn.audit.our_numbers`), ``not_comparable`` and ``repeats`` (empty, or the id
of an earlier row that states the same number of ours).

:func:`load_study_numbers` reads and checks the file once; the other functions give each table
of ours the published numbers it shows beside its own, in the shape that table needs. They find a
table's numbers by where the study printed them (``location``) and place each by its ``ours`` key,
which names our table, row and column (``runge_table1/ffnn2/test_mse``); rows that repeat an
earlier one (``repeats``) are left out, so a number quoted again in the text never replaces the
table's own.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pandas as pd

from .number_sources import sourced, sources_of, whole

STUDY_COLUMNS = (
    "id",
    "location",
    "model",
    "metric",
    "study_value",
    "better",
    "scale",
    "study_settings",
    "ours",
    "not_comparable",
    "repeats",
)
BETTER = ("lower", "higher", "choice")
SCALES = ("log", "raw")
_INTEGER = re.compile(r"[+-]?\d+")


def load_study_numbers(path: str | os.PathLike) -> pd.DataFrame:
    """Read and check the study's numbers: every column present, ids unique, a value on every row,
    a number and a scale on every score, ``repeats`` naming an earlier row.

    Parameters
    ----------
    path : path
        The CSV file (``report/study_numbers.csv``; the config's ``audit.study_numbers``).

    Returns
    -------
    DataFrame
        One row per number, every column as text (empty where the file leaves it empty), with
        the file's path in ``attrs["path"]`` for the lookups' error messages.

    Raises
    ------
    ValueError
        Naming the file and the offending rows.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in STUDY_COLUMNS if column not in table]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    duplicated = table.loc[table["id"].duplicated(), "id"].tolist()
    if duplicated:
        raise ValueError(f"{path}: ids used twice: {duplicated}")
    empty = table.loc[(table["study_value"] == "") | (table["ours"] == ""), "id"].tolist()
    if empty:
        raise ValueError(f"{path}: rows without a study value or an `ours` key: {empty}")
    bad = table.loc[~table["better"].isin(BETTER), "id"].tolist()
    if bad:
        raise ValueError(f"{path}: `better` must be one of {BETTER} on rows {bad}")
    scores = table[table["better"] != "choice"]
    not_numbers = scores.loc[pd.to_numeric(scores["study_value"], errors="coerce").isna(), "id"].tolist()
    if not_numbers:
        raise ValueError(f"{path}: scores that are not numbers on rows {not_numbers}")
    unscaled = scores.loc[~scores["scale"].isin(SCALES), "id"].tolist()
    if unscaled:
        raise ValueError(f"{path}: `scale` must be one of {SCALES} on the scores {unscaled}")
    earlier = set()
    for row in table.itertuples():
        if row.repeats and row.repeats not in earlier:
            raise ValueError(f"{path}: row {row.id} repeats {row.repeats!r}, which is not an earlier row")
        if row.repeats and table.loc[table["id"] == row.repeats, "ours"].item() != row.ours:
            raise ValueError(f"{path}: row {row.id} repeats {row.repeats} but names another number of ours")
        earlier.add(row.id)
    table.attrs["path"] = str(path)
    return table


def _value(text: str) -> Any:
    """A published value as the number it states (an int where it is written as one, as YAML
    would read it, so that a batch size stays ``32`` in our tables), or as a name (``adam``)."""
    # a value read from a sourced table keeps its source (ffnn.number_sources)
    if _INTEGER.fullmatch(text):
        return sourced(int(text), sources_of(text))
    try:
        return sourced(float(text), sources_of(text))
    except ValueError:
        return text


def published(numbers: pd.DataFrame, number_id: str) -> Any:
    """The study's value of the row ``number_id`` (see :func:`_value` for its type).

    Raises
    ------
    KeyError
        Naming the file and the id, where no row has it.
    """
    row = numbers.loc[numbers["id"] == number_id, "study_value"]
    if row.empty:
        raise KeyError(f"{numbers.attrs.get('path', 'the study numbers')}: no row {number_id!r}")
    return _value(row.item())


def _at(numbers: pd.DataFrame, location: str, source: str) -> dict[tuple[str, ...], pd.Series]:
    """The rows printed at ``location`` (not repeats) whose ``ours`` key is in our table ``source``,
    by the rest of that key (e.g. ``("ffnn2", "test_mse")`` for ``runge_table1/ffnn2/test_mse``).
    Other rows at ``location`` stand beside other tables of ours (Table I's chosen polynomial
    degrees beside the baselines' selection) and are not ``source``'s."""
    rows = numbers[(numbers["location"] == location) & (numbers["repeats"] == "")]
    keyed = {}
    for _, row in rows.iterrows():
        table, *key = row["ours"].split("/")
        if table != source:
            continue
        if tuple(key) in keyed:  # else the later row would silently replace the earlier
            raise ValueError(
                f"{numbers.attrs.get('path', 'the study numbers')}: rows {keyed[tuple(key)]['id']} and {row['id']} "
                f"of {location} both stand beside {row['ours']}"
            )
        keyed[tuple(key)] = row
    return keyed


def table1_reference(numbers: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Table I: ``{row: {"settings": str, "test_mse": float}}`` by the rows of our Table I.

    ``settings`` is the row's ``study_settings`` up to its first ``;``, the model's own settings;
    what follows is the data it was fitted to (``noise_scale = 0.01``), which our Table I gives in
    a column of its own (``noise_std``).
    """
    return {
        row: {"settings": number["study_settings"].split(";")[0].strip(), "test_mse": _value(number["study_value"])}
        for (row, _metric), number in _at(numbers, "Table I", "runge_table1").items()
    }


def table4_reference(numbers: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Table IV: ``{penalty: {"lam", "learning_rate", "batch_size"}}``, the study's chosen settings."""
    reference: dict[str, dict[str, Any]] = {}
    for (penalty, setting), number in _at(numbers, "Table IV", "runge_table4").items():
        reference.setdefault(penalty, {})[setting] = _value(number["study_value"])
    return reference


def table6_reference(numbers: pd.DataFrame) -> list[dict[str, Any]]:
    """Table VI in long form: one ``{"activation", "depth", "width", "study_test_mse"}`` per cell."""
    return [
        {
            "activation": activation,
            "depth": int(depth),
            "width": int(width),
            "study_test_mse": _value(number["study_value"]),
        }
        for (activation, depth, width, _metric), number in _at(numbers, "Table VI", "runge_depth_width").items()
    ]


def table2_reference(numbers: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Table II: ``{architecture: {"l2_norm", "mad"}}`` by the study's architecture names (``"Arch 1"``)."""
    reference: dict[str, dict[str, float]] = {}
    for (architecture, metric), number in _at(numbers, "Table II", "verify_sklearn").items():
        reference.setdefault(architecture, {})[metric] = _value(number["study_value"])
    return reference


def table3_reference(numbers: pd.DataFrame) -> dict[str, list[float]]:
    """Table III: ``{network: [l2_diff of layer 0, 1, ...]}``, by the network's name in our gradient
    table (:func:`ffnn.verify.network_label`, e.g. ``"[20-20-20-1] relu"``): the layers the row's
    ``model`` prints (``[20-20-20-1] ReLU``) and the activation its ``ours`` key names
    (``verify_gradients/relu/0/l2_diff``), so that the study's spelling need not be ours.

    Raises
    ------
    ValueError
        If a network's layers are not 0, 1, ... one each, one per weight layer of its layers
        (``[50-50-1]``: three).
    """
    layers: dict[str, dict[int, float]] = {}
    for (activation, layer, _metric), number in _at(numbers, "Table III", "verify_gradients").items():
        network = f"{number['model'].split()[0]} {activation}"
        layers.setdefault(network, {})[int(layer)] = _value(number["study_value"])
    reference = {}
    for network, by_layer in layers.items():
        n_layers = network.split("]")[0].count("-") + 1
        if sorted(by_layer) != list(range(n_layers)):
            raise ValueError(
                f"{numbers.attrs.get('path', 'the study numbers')}: Table III gives {network}, which has {n_layers} "
                f"weight layers, the layers {sorted(by_layer)}"
            )
        reference[network] = [by_layer[layer] for layer in range(n_layers)]
    return reference


def table5_reference(numbers: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Table V: ``{role: {"accuracy", "precision", "recall", "f1", "seconds"}}`` by the roles of our
    Table V the study's two models have (``baseline``: its logistic regression; ``study_settings``:
    its network)."""
    reference: dict[str, dict[str, float]] = {}
    for (role, metric), number in _at(numbers, "Table V", "fashion_table5").items():
        reference.setdefault(role, {})[metric] = _value(number["study_value"])
    return reference


def study_epochs(numbers: pd.DataFrame) -> int:
    """The epochs the study trained its FashionMNIST networks for (Table V, Figs. 24-28)."""
    return whole(published(numbers, "table5-epochs"))
