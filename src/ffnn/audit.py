"""The audit: every number the study publishes, ours beside it, and a verdict.

The study's numbers come from a data file (``report/study_numbers.csv``), one row each, with the
columns of :data:`STUDY_COLUMNS`: where the number stands, the model, the metric, the study's
value, ``better`` (``lower``/``higher`` for a score, ``choice`` for a chosen hyperparameter), the
study's settings, ``ours`` (the key of our number, see :func:`our_numbers`) and
``not_comparable`` (empty, or why the two numbers cannot be compared).
"""

from __future__ import annotations

import math
import os
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .stats import VERDICTS, choice_verdict, spread, verdict

STUDY_COLUMNS = ("id", "location", "model", "metric", "study_value", "better", "study_settings", "ours", "not_comparable")
BETTER = ("lower", "higher", "choice")
#: Columns of the audit table, in order.
AUDIT_COLUMNS = (
    "id", "location", "model", "metric", "study_settings", "better", "study_value", "ours_mean", "ours_sd",
    "ours_ci_low", "ours_ci_high", "n_seeds", "ours_kind", "ratio", "verdict", "reason",
)


def load_study_numbers(path: str | os.PathLike) -> pd.DataFrame:
    """Read and check the study's numbers: every column present, ids unique, a value on every row.

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
    return table


def single(value) -> dict:
    """Our number when it is one value (a deterministic model, a single run, a chosen setting)."""
    return {"mean": value, "sd": math.nan, "ci_low": math.nan, "ci_high": math.nan, "n": 1, "kind": "single value"}


def over_seeds(values: Sequence[float]) -> dict:
    """Our number as mean, sd and Student-t interval over seeds (:func:`ffnn.stats.spread`)."""
    return {**spread(values), "kind": "mean over seeds"}


def from_columns(row: Mapping, name: str) -> dict:
    """Our number from a table row with ``{name}`` (one value), or ``{name}_mean/_sd/_ci_low/_ci_high``
    and ``n_seeds`` (over seeds) when the row is not marked ``deterministic``."""
    if row.get("deterministic", True) or int(row.get("n_seeds", 1)) < 2:
        return single(float(row[name]))
    return {
        **{key: float(row[f"{name}_{key}"]) for key in ("mean", "sd", "ci_low", "ci_high")},
        "n": int(row["n_seeds"]),
        "kind": "mean over seeds",
    }


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def audit_row(study_row: Mapping, ours: Mapping, relative_tolerance: float, absolute_tolerance: float) -> dict:
    """One row of the audit table: the study's number, ours, their ratio and the verdict.

    A chosen setting (``better == "choice"``) is ``same`` or ``different`` (numbers to float
    rounding, names ignoring case); a score is judged by :func:`ffnn.stats.verdict`; a row with
    a ``not_comparable`` reason is ``not comparable`` whatever the values.
    """
    row = {key: study_row[key] for key in ("id", "location", "model", "metric", "study_settings", "better")}
    study, mean = _number(study_row["study_value"]), _number(ours["mean"])
    numeric = study is not None and mean is not None
    row.update(
        study_value=study if study is not None else study_row["study_value"],
        ours_mean=mean if mean is not None else ours["mean"],
        **{f"ours_{key}": ours[key] for key in ("sd", "ci_low", "ci_high")},
        n_seeds=ours["n"],
        ours_kind=ours["kind"],
        ratio=mean / study if numeric and study != 0 else math.nan,
        reason=study_row["not_comparable"],
    )
    if study_row["not_comparable"]:
        row["verdict"] = "not comparable"
    elif study_row["better"] == "choice":
        if numeric:
            row["verdict"] = choice_verdict(study, mean)
        else:
            row["verdict"] = "same" if str(row["study_value"]).lower() == str(row["ours_mean"]).lower() else "different"
    else:
        lower = study_row["better"] == "lower"
        row["verdict"] = verdict(study, mean, ours["ci_low"], ours["ci_high"], lower, relative_tolerance, absolute_tolerance)
    return row


def audit_table(
    study: pd.DataFrame, ours: Mapping[str, dict], relative_tolerance: float, absolute_tolerance: float
) -> pd.DataFrame:
    """The audit: one row per study number (columns :data:`AUDIT_COLUMNS`).

    Raises
    ------
    ValueError
        If a study row names an ``ours`` key that our results do not provide.
    """
    unknown = sorted(set(study["ours"]) - set(ours))
    if unknown:
        raise ValueError(f"the study's numbers name results this build does not make: {unknown}")
    rows = [audit_row(row, ours[row["ours"]], relative_tolerance, absolute_tolerance) for row in study.to_dict("records")]
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))


def verdict_counts(audit: pd.DataFrame) -> dict[str, int]:
    """How many rows got each verdict, in the order of :data:`ffnn.stats.VERDICTS` (zeros kept)."""
    counts = audit["verdict"].value_counts()
    return {name: int(counts.get(name, 0)) for name in VERDICTS}


# ------------------------------------------------------------------ our numbers, by key


def _runge_numbers(tables: Mapping[str, pd.DataFrame]) -> dict:
    numbers = {}
    for row in tables["runge_table1"].to_dict("records"):
        numbers[f"runge_table1/{row['row']}/test_mse"] = from_columns(row, "test_mse")
    for row in tables["runge_baseline_selection"].query("chosen").to_dict("records"):
        for key in ("degree", "lam"):
            numbers[f"runge_baselines/{row['kind']}_{row['noise_std']:g}/{key}"] = single(float(row[key]))
    optimizer_lr = tables["runge_optimizer_lr_mse"]
    chosen = optimizer_lr[optimizer_lr["chosen"]].iloc[0]
    numbers["runge_optimizer_lr/chosen/optimizer"] = single(str(chosen["optimizer"]))
    numbers["runge_optimizer_lr/chosen/learning_rate"] = single(float(chosen["learning_rate"]))
    sgd = optimizer_lr.loc[optimizer_lr["optimizer"] == "sgd", "val_mse_median"]
    numbers["runge_optimizer_lr/sgd/val_mse_median"] = single(float(np.median(sgd)))
    for row in tables["runge_table4_hyperparameters"].to_dict("records"):
        for key in ("lam", "learning_rate", "batch_size"):
            numbers[f"runge_table4/{row['penalty']}/{key}"] = single(float(row[key]))
    depth_width = tables["runge_depth_width_mse"]
    numbers["runge_depth_width/best/val_mse_median"] = single(float(depth_width["val_mse_median"].min()))
    for row in depth_width.to_dict("records"):
        key = f"runge_depth_width/{row['activation']}/{row['depth']}/{row['width']}/val_mse_median"
        numbers[key] = single(float(row["val_mse_median"]))
    return numbers


def _verify_numbers(tables: Mapping[str, pd.DataFrame]) -> dict:
    numbers = {}
    for row in tables["verify_sklearn_parity"].query("setting == 'independent'").to_dict("records"):
        for key in ("l2_norm", "mad"):
            numbers[f"verify_sklearn/{row['architecture']}/{key}"] = single(float(row[key]))
    gradients = tables["verify_gradients_autograd"].query("initializer == 'normal' and param == 'W'")
    for row in gradients.to_dict("records"):
        activation = row["network"].split()[-1]
        numbers[f"verify_gradients/{activation}/{row['layer']}/l2_diff"] = single(float(row["l2_diff_autograd"]))
    return numbers


def _fashion_numbers(tables: Mapping[str, pd.DataFrame]) -> dict:
    numbers = {}
    table5 = tables["fashion_table5_models"].set_index("role")
    for role in ("baseline", "chosen"):
        for key in ("accuracy", "precision", "recall", "f1", "seconds"):
            numbers[f"fashion_table5/{role}/{key}"] = from_columns(table5.loc[role], key)
    seeds = tables["fashion_chosen_seeds"]
    logistic = table5.loc["baseline"]
    numbers["fashion_table5/relative_improvement"] = _seeded(seeds["test_accuracy"] / logistic["accuracy"] - 1.0)
    numbers["fashion_table5/runtime_reduction"] = _seeded(1.0 - seeds["seconds"] / logistic["seconds"])
    numbers["fashion_chosen/epochs"] = _seeded(seeds["epochs"].astype(float))
    for grid in ("pyramid", "lr_batch", "optimizer_lambda", "activation"):
        table = tables[f"fashion_{grid}_accuracy"]
        selected = table[table["selected"]].iloc[0]
        numbers[f"fashion_grids/{grid}/best_val_accuracy"] = single(float(selected["val_accuracy"]))
        for column in ("architecture", "learning_rate", "batch_size", "optimizer", "lam", "activation"):
            if column in table:
                value = selected[column]
                numbers[f"fashion_grids/{grid}/{column}"] = single(value if isinstance(value, str) else float(value))
    return numbers


def _seeded(values: pd.Series) -> dict:
    return over_seeds(values.to_numpy(dtype=float)) if len(values) > 1 else single(float(values.iloc[0]))


def our_numbers(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict]:
    """Every number of ours the audit can name, by key (e.g. ``runge_table1/l2/test_mse``).

    Parameters
    ----------
    tables : mapping
        Result table name (the file name without ``.csv``) -> table, for the tables
        :data:`AUDITED_TABLES` names.
    """
    return {**_runge_numbers(tables), **_verify_numbers(tables), **_fashion_numbers(tables)}


#: The result tables :func:`our_numbers` reads, by name, under results/.
AUDITED_TABLES = {
    "runge_table1": "runge/tables/runge_table1_test_mse.csv",
    "runge_baseline_selection": "runge/tables/runge_baseline_selection.csv",
    "runge_optimizer_lr_mse": "runge/tables/runge_optimizer_lr_mse.csv",
    "runge_table4_hyperparameters": "runge/tables/runge_table4_hyperparameters.csv",
    "runge_depth_width_mse": "runge/tables/runge_depth_width_mse.csv",
    "verify_sklearn_parity": "verify/tables/verify_sklearn_parity.csv",
    "verify_gradients_autograd": "verify/tables/verify_gradients_autograd.csv",
    "fashion_table5_models": "fashion/tables/fashion_table5_models.csv",
    "fashion_chosen_seeds": "fashion/tables/fashion_chosen_seeds.csv",
    "fashion_pyramid_accuracy": "fashion/tables/fashion_pyramid_accuracy.csv",
    "fashion_lr_batch_accuracy": "fashion/tables/fashion_lr_batch_accuracy.csv",
    "fashion_optimizer_lambda_accuracy": "fashion/tables/fashion_optimizer_lambda_accuracy.csv",
    "fashion_activation_accuracy": "fashion/tables/fashion_activation_accuracy.csv",
}
