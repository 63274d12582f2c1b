"""The audit: every number the study publishes, ours beside it, and a verdict.

The study's numbers come from a data file (``report/study_numbers.csv``, read by
:func:`ffnn.study_numbers.load_study_numbers`), one row each, with the columns of
:data:`ffnn.study_numbers.STUDY_COLUMNS`: where the number stands, the model, the metric, the study's
value, ``better`` (``lower``/``higher`` for a score, ``choice`` for a chosen hyperparameter),
``scale`` (``log`` or ``raw``: where a score's runs are averaged, see :data:`ffnn.stats.SCALES`;
empty for a choice), the study's settings, ``ours`` (the key of our number, see
:func:`our_numbers`), ``not_comparable`` (empty, or why the two numbers cannot be compared) and
``repeats`` (empty, or the id of an earlier row that judges the same number of ours).

Each of the study's numbers is one run. Ours is judged by whether one run of ours could land
there: the study's value against the 95 % prediction interval of one run of ours
(:func:`ffnn.stats.runs_summary`), on the metric's scale, with the run-to-run spread of the
training seeds or restarts behind our number, or, for a single fit, one borrowed from fits that
were repeated (:class:`Ours`). A number without any spread (a deterministic model, a check
that ran once) is judged by a stated tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .number_sources import count_rows, whole
from .parts import table_paths
from .runge.design import PENALTIES
from .stats import VERDICTS, choice_verdict, pooled_sd, runs_summary, verdict

#: Columns of the audit table, in order. ``ours_sd`` is on the row's scale (log10 units on
#: ``log``); the intervals are in the metric's own units.
AUDIT_COLUMNS = (
    "id",
    "location",
    "model",
    "metric",
    "study_settings",
    "better",
    "scale",
    "study_value",
    "ours_mean",
    "ours_sd",
    "n_runs",
    "spread_source",
    "spread_dof",
    "ours_ci_low",
    "ours_ci_high",
    "ours_pi_low",
    "ours_pi_high",
    "ours_kind",
    "ratio",
    "verdict",
    "reason",
    "repeats",
    "grid_values",
    "grid_edge",
)


@dataclass(frozen=True)
class Ours:
    """One number of ours, as the runs behind it.

    Attributes
    ----------
    runs : tuple
        The runs (one per training seed or restart), or the one value of a single fit, a
        deterministic model or a chosen setting (a number or a name).
    kind : str
        What the runs are, for the table (e.g. ``"mean over 5 training seeds"``).
    spread_source : str
        Where the run-to-run spread comes from: the runs themselves, fits of other settings
        (``borrowed``), or none measured.
    borrowed : (sd, dof) or None
        A run-to-run sd on the raw scale measured on other fits, for a single fit.
    candidates : tuple
        For a chosen setting, the values our grid offered the choice (empty: not known).
    """

    runs: tuple
    kind: str
    spread_source: str = ""
    borrowed: tuple[float, int] | None = None
    candidates: tuple = ()


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _judged(study_row: Mapping, ours: Ours) -> dict:
    """Our number summarised for the audit table (mean, spread, intervals) on the row's scale."""
    if study_row["better"] == "choice" or study_row["not_comparable"]:
        numbers = [_number(run) for run in ours.runs]
        if any(number is None for number in numbers):  # a name, e.g. "adam"
            return {"mean": ours.runs[0], "n": len(ours.runs)}
        return {"mean": float(np.mean(numbers)), "n": len(ours.runs)}
    runs = np.asarray(ours.runs, dtype=float)
    if runs.size == 0:  # every fit diverged: no score to average
        return {"mean": math.nan, "n": 0}
    if ours.borrowed is not None and study_row["scale"] != "raw":
        raise ValueError(f"{study_row['id']}: a borrowed spread is on the raw scale, the row's is {study_row['scale']}")
    return runs_summary(runs, study_row["scale"], borrowed=ours.borrowed)


def same_value(first, second) -> bool:
    """Whether two settings are the same: numbers to float rounding, names ignoring case."""
    numbers = _number(first), _number(second)
    if None not in numbers:
        return choice_verdict(*numbers) == "same"
    return str(first).strip().lower() == str(second).strip().lower()


def choice_judgement(study, ours, candidates: tuple = ()) -> str:
    """The verdict on a chosen setting: ``outside our grid`` when the study's value is not among
    the ``candidates`` our grid offered (so validation could not pick it), else ``same`` or
    ``different`` (:func:`same_value`)."""
    if candidates and not any(same_value(study, candidate) for candidate in candidates):
        return "outside our grid"
    return "same" if same_value(study, ours) else "different"


def grid_edge(ours, candidates: tuple) -> str:
    """Where a chosen number lies in its grid: ``"lowest of n"`` or ``"highest of n"`` at an edge
    (the best value may lie beyond the grid), empty inside it or for names and single values."""
    numbers = [_number(candidate) for candidate in candidates]
    value = _number(ours)
    if value is None or len(numbers) < 2 or None in numbers:
        return ""
    if same_value(value, min(numbers)):
        return f"lowest of {len(numbers)}"
    if same_value(value, max(numbers)):
        return f"highest of {len(numbers)}"
    return ""


def _grid_values(candidates: tuple) -> str:
    return ", ".join(f"{value:g}" if isinstance(value, float) else str(value) for value in candidates)


def audit_row(study_row: Mapping, ours: Ours, relative_tolerance: float, absolute_tolerance: float) -> dict:
    """One row of the audit table: the study's number, ours, their ratio and the verdict.

    A chosen setting (``better == "choice"``) is ``outside our grid`` when our grid did not offer
    the study's value, else ``same`` or ``different`` (:func:`choice_judgement`), and its
    ``grid_edge`` says whether ours lies at an edge of its grid; a score is judged by
    :func:`ffnn.stats.verdict` against the prediction interval of one run of ours, or by the
    tolerances where ours has no spread; a row with a ``not_comparable`` reason is
    ``not comparable`` whatever the values.
    """
    row = {
        key: study_row[key]
        for key in ("id", "location", "model", "metric", "study_settings", "better", "scale", "repeats")
    }
    judged = _judged(study_row, ours)
    study, mean = _number(study_row["study_value"]), _number(judged["mean"])
    numeric = study is not None and mean is not None
    has_spread = math.isfinite(judged.get("sd", math.nan))
    ours_value = mean if mean is not None else judged["mean"]
    choice = study_row["better"] == "choice"
    row.update(
        study_value=study if study is not None else study_row["study_value"],
        ours_mean=ours_value,
        ours_sd=judged.get("sd", math.nan),
        n_runs=judged["n"],
        spread_source=ours.spread_source if has_spread else "none measured",
        spread_dof=judged.get("dof", 0),
        **{f"ours_{key}": judged.get(key, math.nan) for key in ("ci_low", "ci_high", "pi_low", "pi_high")},
        ours_kind=ours.kind,
        ratio=mean / study if numeric and study != 0 else math.nan,
        reason=study_row["not_comparable"],
        grid_values=_grid_values(ours.candidates),
        grid_edge=grid_edge(ours_value, ours.candidates) if choice else "",
    )
    if study_row["not_comparable"]:
        row["verdict"] = "not comparable"
    elif choice:
        row["verdict"] = choice_judgement(row["study_value"], ours_value, ours.candidates)
    elif judged["n"] == 0:
        row.update(verdict="worse", reason="every run diverged")
    else:
        lower = study_row["better"] == "lower"
        row["verdict"] = verdict(
            study, mean, row["ours_pi_low"], row["ours_pi_high"], lower, relative_tolerance, absolute_tolerance
        )
    return row


def audit_table(
    study: pd.DataFrame, ours: Mapping[str, Ours], relative_tolerance: float, absolute_tolerance: float
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
    rows = [
        audit_row(row, ours[row["ours"]], relative_tolerance, absolute_tolerance) for row in study.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))


def verdict_counts(audit: pd.DataFrame) -> dict[str, int]:
    """How many of our numbers got each verdict, in the order of :data:`ffnn.stats.VERDICTS`
    (zeros kept): a row that ``repeats`` an earlier one is not counted again."""
    counted = audit[audit["repeats"].fillna("").astype(str) == ""]
    return {name: whole((counted["verdict"] == name).sum()) for name in VERDICTS}


#: The parts of the study the audit is summarised by, in the report's order, each with the places
#: (the first item of a number's ``location``) whose numbers it gathers.
AUDIT_PARTS = {
    "Runge: Table I and the text quoting it": ("Table I", "Sec. III.A (text)"),
    "Runge: optimisers (Fig. 3)": ("Sec. III.A.2",),
    "Runge: depth and width (Table VI, Fig. 7)": ("Table VI", "Sec. III.A.5"),
    "Runge: penalties (Table IV)": ("Table IV",),
    "Verification (Tables II, III)": ("Table II", "Table III"),
    "FashionMNIST: grids (Figs. 13, 25, 26, 28)": ("Fig. 13", "Fig. 25", "Fig. 26", "Fig. 28"),
    "FashionMNIST: Table V and its text": ("Table V", "Sec. III.B.5 (text)"),
}


def audit_part(location: str) -> str:
    """The part of :data:`AUDIT_PARTS` a number standing at ``location`` (e.g. ``"Table V, Fig. 27"``) belongs to.

    Raises
    ------
    ValueError
        If no part names the location's first item.
    """
    place = str(location).split(",")[0].strip()
    for part, places in AUDIT_PARTS.items():
        if place in places:
            return part
    raise ValueError(f"no part of the audit gathers numbers at {location!r}: add {place!r} to AUDIT_PARTS")


def stands_at(location: str, places) -> bool:
    """Whether a number at ``location`` stands at one of ``places``: its first place is one of them or
    a subsection of one (``"Sec. III.A"`` holds ``"Sec. III.A.2"`` and ``"Sec. III.A (text)"``, while
    ``"Table I"`` holds neither ``"Table II"`` nor ``"Table VI"``)."""
    first = str(location).split(",")[0].strip()
    return any(first == place or first.startswith((place + ".", place + " ")) for place in places)


def verdict_summary(audit: pd.DataFrame) -> pd.DataFrame:
    """How each part of the study fares: one row per part of :data:`AUDIT_PARTS` (in order, parts
    without numbers left out), a column per verdict of :data:`ffnn.stats.VERDICTS` (zeros kept) and
    ``numbers``, their sum; each number of ours counted once, as :func:`verdict_counts` does."""
    counted = audit[audit["repeats"].fillna("").astype(str) == ""]
    parts = counted["location"].map(audit_part)
    rows = []
    for part in AUDIT_PARTS:
        verdicts = counted.loc[parts == part, "verdict"]
        if len(verdicts):
            counts = {name: whole((verdicts == name).sum()) for name in VERDICTS}
            rows.append({"part": part, **counts, "numbers": count_rows(verdicts)})
    # object columns keep each count's source (ffnn.number_sources) where the audit table carries one
    return pd.DataFrame(rows, columns=["part", *VERDICTS, "numbers"], dtype=object)


# ------------------------------------------------------------------ our numbers, by key


def _value(value):
    return value if isinstance(value, str) else float(value)


def _setting(value, candidates=()) -> Ours:
    """A chosen setting and the values its grid offered (in the grid's order, each once)."""
    return Ours((_value(value),), "chosen setting", candidates=tuple(dict.fromkeys(_value(v) for v in candidates)))


def _deterministic(value, what: str = "deterministic model") -> Ours:
    return Ours((float(value),), what)


def _seeds(values, what: str = "training seeds of this model") -> Ours:
    runs = tuple(float(value) for value in values)
    return Ours(runs, f"mean over {len(runs)} training seeds", f"{len(runs)} {what}")


def _restarts(values, what: str = "restarts of this cell") -> Ours:
    runs = tuple(float(value) for value in values)
    return Ours(runs, f"mean over {len(runs)} restarts", f"{len(runs)} {what}")


def _finite_runs(fits: pd.DataFrame, column: str) -> pd.Series:
    """A column of fits without the diverged ones (a diverged fit has no score to average)."""
    return fits.loc[~fits["diverged"].astype(bool), column].dropna()


# Table IV's settings, each chosen by its own sweep (the sweep's table: runge_<penalty>_<sweep>_mse).
_REGULARIZATION_SWEEPS = {"lam": "lambda", "learning_rate": "learning_rate", "batch_size": "batch_size"}


def _runge_numbers(tables: Mapping[str, pd.DataFrame]) -> dict[str, Ours]:
    numbers = {}
    seeds = tables["runge_table1_seeds"]
    for row in tables["runge_table1_test_mse"].to_dict("records"):
        key = f"runge_table1/{row['row']}/test_mse"
        if row["deterministic"]:
            numbers[key] = _deterministic(row["test_mse"])
        else:
            numbers[key] = _seeds(seeds.loc[seeds["row"] == row["row"], "test_mse"])
    baselines = tables["runge_baseline_selection"]
    for row in baselines.query("chosen").to_dict("records"):
        grid = baselines[(baselines["kind"] == row["kind"]) & (baselines["noise_std"] == row["noise_std"])]
        for key in ("degree", "lam"):
            numbers[f"runge_baselines/{row['kind']}_{row['noise_std']:g}/{key}"] = _setting(row[key], grid[key])
    optimizer_lr = tables["runge_optimizer_lr_mse"]
    chosen = optimizer_lr[optimizer_lr["chosen"]].iloc[0]
    numbers["runge_optimizer_lr/chosen/optimizer"] = _setting(
        str(chosen["optimizer"]), optimizer_lr["optimizer"].astype(str)
    )
    numbers["runge_optimizer_lr/chosen/learning_rate"] = _setting(
        chosen["learning_rate"], optimizer_lr["learning_rate"]
    )
    optimizer_fits = tables["runge_optimizer_lr_fits"]
    plain_gd = optimizer_fits[optimizer_fits["optimizer"] == "sgd"]
    numbers["runge_optimizer_lr/sgd/test_mse"] = _restarts(
        _finite_runs(plain_gd, "test_mse"), "restarts of the plain-GD cells, every learning rate"
    )
    for row in tables["runge_table4_hyperparameters"].to_dict("records"):
        for key, sweep in _REGULARIZATION_SWEEPS.items():
            grid = tables[f"runge_{row['penalty']}_{sweep}_mse"][key]
            numbers[f"runge_table4/{row['penalty']}/{key}"] = _setting(row[key], grid)
    fits = tables["runge_depth_width_fits"]
    by_cell = {}
    for (activation, depth, width), cell in fits.groupby(["activation", "depth", "width"], sort=False):
        by_cell[activation, int(depth), int(width)] = _finite_runs(cell, "test_mse")
        key = f"runge_depth_width/{activation}/{depth}/{width}/test_mse"
        numbers[key] = _restarts(by_cell[activation, int(depth), int(width)])
    # The study's lowest test MSE of the grid: the same minimum over ours, cell by cell
    # (each cell its restarts' geometric mean, as the log scale averages them).
    best = min((cell for cell in by_cell if len(by_cell[cell])), key=lambda cell: np.log10(by_cell[cell]).mean())
    numbers["runge_depth_width/best/test_mse"] = _restarts(
        by_cell[best], f"restarts of the best cell ({best[0]}, {best[1]}x{best[2]})"
    )
    return numbers


def _verify_numbers(tables: Mapping[str, pd.DataFrame]) -> dict[str, Ours]:
    numbers = {}
    for row in tables["verify_sklearn_parity"].query("setting == 'independent'").to_dict("records"):
        for key in ("l2_norm", "mad"):
            numbers[f"verify_sklearn/{row['architecture']}/{key}"] = _deterministic(row[key], "single run")
    gradients = tables["verify_gradients_autograd"].query("initializer == 'normal' and param == 'W'")
    for row in gradients.to_dict("records"):
        activation = row["network"].split()[-1]
        numbers[f"verify_gradients/{activation}/{row['layer']}/l2_diff"] = _deterministic(
            row["l2_diff_autograd"], "deterministic computation"
        )
    return numbers


def top_cells_spread(selection: pd.DataFrame, grid: str) -> tuple[float, int]:
    """The run-to-run sd of test accuracy of a FashionMNIST grid's two best cells, each refitted
    over the training seeds, pooled (:func:`ffnn.stats.pooled_sd`): what a single fit of the grid
    borrows. Returns ``(sd, dof)``."""
    row = selection.loc[selection["grid"] == grid].iloc[0]
    n = int(row["n_seeds"])
    return pooled_sd([row["winner_test_accuracy_sd"], row["runner_up_test_accuracy_sd"]], [n, n])


def _fashion_numbers(tables: Mapping[str, pd.DataFrame]) -> dict[str, Ours]:
    numbers = {}
    table5 = tables["fashion_table5_models"].set_index("role")
    seeds = tables["fashion_chosen_seeds"]
    logistic = table5.loc["baseline"]
    for key in ("accuracy", "precision", "recall", "f1", "seconds"):
        numbers[f"fashion_table5/baseline/{key}"] = _deterministic(logistic[key])
        column = key if key == "seconds" else f"test_{key}"
        numbers[f"fashion_table5/study_settings/{key}"] = _seeds(seeds[column])
    numbers["fashion_table5/relative_improvement"] = _seeds(seeds["test_accuracy"] / logistic["accuracy"] - 1.0)
    numbers["fashion_table5/runtime_reduction"] = _seeds(1.0 - seeds["seconds"] / logistic["seconds"])
    numbers["fashion_chosen/epochs"] = replace(
        _seeds(seeds["epochs"]), candidates=tuple(float(epoch) for epoch in tables["fashion_chosen_curves"]["epoch"])
    )
    selection = tables["fashion_selection"]
    for grid in ("pyramid", "lr_batch", "optimizer_lambda", "activation"):
        table = tables[f"fashion_{grid}_accuracy"]
        # The study's best test accuracy of a grid: the same maximum over our cells' test scores.
        sd, dof = top_cells_spread(selection, grid)
        numbers[f"fashion_grids/{grid}/best_test_accuracy"] = Ours(
            (float(table["test_accuracy"].max()),),
            "single fit (the grid's best test score)",
            f"training seeds of the grid's two best cells by validation, pooled ({dof} degrees of freedom)",
            borrowed=(sd, dof),
        )
        selected = table[table["selected"]].iloc[0]
        for column in ("architecture", "learning_rate", "batch_size", "optimizer", "lam", "activation"):
            if column in table:
                numbers[f"fashion_grids/{grid}/{column}"] = _setting(selected[column], table[column])
    return numbers


def our_numbers(tables: Mapping[str, pd.DataFrame]) -> dict[str, Ours]:
    """Every number of ours the audit can name, by key (e.g. ``runge_table1/l2/test_mse``).

    Parameters
    ----------
    tables : mapping
        Result table name (the file name without ``.csv``) -> table, for the tables
        :data:`AUDITED_TABLES` names.
    """
    return {**_runge_numbers(tables), **_verify_numbers(tables), **_fashion_numbers(tables)}


#: The result tables :func:`our_numbers` reads: name -> path.
AUDITED_TABLES = table_paths(
    [
        "runge_table1_test_mse",
        "runge_table1_seeds",
        "runge_baseline_selection",
        "runge_optimizer_lr_mse",
        "runge_optimizer_lr_fits",
        "runge_table4_hyperparameters",
        *(f"runge_{penalty}_{sweep}_mse" for penalty in PENALTIES for sweep in _REGULARIZATION_SWEEPS.values()),
        "runge_depth_width_fits",
        "verify_sklearn_parity",
        "verify_gradients_autograd",
        "fashion_table5_models",
        "fashion_chosen_seeds",
        "fashion_selection",
        "fashion_chosen_curves",
        "fashion_pyramid_accuracy",
        "fashion_lr_batch_accuracy",
        "fashion_optimizer_lambda_accuracy",
        "fashion_activation_accuracy",
    ]
)
