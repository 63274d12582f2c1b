"""The study's qualitative findings, each tested against our result tables.

The claims come from a data file (``report/study_claims.csv``), one row each, with the columns
of :data:`CLAIM_COLUMNS`: an id, where the study states it, the claim, the result ``table`` it is
tested on (a name of :data:`CLAIM_TABLES` or :data:`DERIVED_TABLES`), the ``metric`` column,
its ``scale`` (``log``: runs averaged as log10, a geometric mean; ``raw``), ``better``
(``lower``/``higher``), the comparison ``kind`` (:data:`KINDS`), the selectors ``a`` and ``b``
of the two sides, ``within`` (a selector restricting the table first), ``pair`` (the column that
pairs runs of the two sides: a training seed or a restart index; empty for single fits),
``needs`` (``column>=value``: how far the table must reach for the claim to be seen) and
``tolerance`` (for ``matches`` and ``small``).

A selector is ``column<op>value`` conditions joined by ``;``, with ``op`` one of ``=``, ``!=``,
``<``, ``<=``, ``>``, ``>=``; ``value`` may list alternatives with ``|`` (``=`` only) or be
``min``/``max`` (the column's extreme in the table after ``within``). A side's runs: its rows'
metric on the claim's scale, averaged over the rows that share a ``pair`` value (e.g. over the
learning rates of one optimiser, restart by restart).

Kinds (:func:`evaluate_claim`):

``beats``
    ``a`` is better than ``b``.
``best``
    ``a`` is better than every other setting of the columns its selector names; it is compared
    with the best of them (by mean on the claim's metric).
``matches``
    ``a`` and ``b`` differ by at most ``tolerance`` (on the claim's scale: log10 units for ``log``).
``small``
    every value of ``a`` is at most ``tolerance`` in size.

Verdicts (:data:`VERDICTS`): ``held`` when the mean paired difference over seeds lies in the
claimed direction (for ``matches``: its size within the tolerance; for ``small``: every value
within it), ``did not hold`` otherwise; ``significant`` says separately whether the 95 % interval
of the difference lies wholly on the claimed side of zero (``matches``: within the tolerance). A claim whose side our
grid does not hold, or whose ``needs`` our build does not reach, is ``not testable at this
build's size``, with the reason. Claims about test scores are compared on the recorded test
scores (``compared_on``); nothing here selects a model.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .number_sources import whole
from .parts import table_paths
from .runge.design import PENALTIES, SWEEP_STAGES
from .stats import paired_comparison

CLAIM_COLUMNS = (
    "id",
    "location",
    "claim",
    "table",
    "metric",
    "scale",
    "better",
    "kind",
    "a",
    "b",
    "within",
    "pair",
    "needs",
    "tolerance",
)
KINDS = ("beats", "best", "matches", "small")
SCALES = ("log", "raw")
BETTER = ("lower", "higher")
HELD, NOT_HELD, NOT_TESTABLE = "held", "did not hold", "not testable at this build's size"
VERDICTS = (HELD, NOT_HELD, NOT_TESTABLE)
#: Columns of the claims table, in order. ``difference_*`` are on the claim's scale (log10 units
#: on ``log``), signed so that a positive difference favours the claim.
RESULT_COLUMNS = (
    "id",
    "location",
    "claim",
    "kind",
    "scale",
    "compared_on",
    "a",
    "b",
    "a_value",
    "b_value",
    "n_pairs",
    "difference_mean",
    "difference_ci_low",
    "difference_ci_high",
    "p_value",
    "significant",
    "verdict",
    "reason",
)

#: The result tables claims read as they are: name -> path.
CLAIM_TABLES = table_paths(
    [
        "runge_table1_test_mse",
        "runge_table1_seeds",
        "runge_optimizer_lr_fits",
        "runge_depth_activation_fits",
        "runge_depth_width_fits",
        *(f"runge_{penalty}_{sweep}_fits" for penalty in PENALTIES for sweep in SWEEP_STAGES),
        "verify_sklearn_parity",
        "verify_gradients_autograd",
        "verify_torch_seeds",
        *(f"fashion_{grid}_accuracy" for grid in ("pyramid", "uniform", "lr_batch", "optimizer_lambda")),
        "fashion_activation_curves",
        "fashion_table5_models",
        "fashion_chosen_seeds",
    ]
)
#: Tables built from several result tables (:func:`claim_tables`), one run per row.
DERIVED_TABLES = (
    "runge_table1",
    "verify_sklearn",
    "verify_gradients",
    "verify_torch",
    "fashion_architectures",
    "fashion_table5",
)

_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|!=|=|<|>)\s*(.+?)\s*$")
_OPERATORS = {
    "=": lambda column, values: column.isin(values),
    "!=": lambda column, values: ~column.isin(values),
    "<": lambda column, values: column < values[0],
    "<=": lambda column, values: column <= values[0],
    ">": lambda column, values: column > values[0],
    ">=": lambda column, values: column >= values[0],
}


@dataclass(frozen=True)
class Condition:
    """One condition of a selector: ``column op values`` (alternatives for ``=``/``!=``)."""

    column: str
    op: str
    values: tuple

    def __str__(self) -> str:
        return f"{self.column}{self.op}{'|'.join(_shown(value) for value in self.values)}"


def _shown(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _parsed_value(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def parse_selector(text) -> tuple[Condition, ...]:
    """The conditions of a selector (``"depth=4;width=32"``); empty text selects every row.

    Raises
    ------
    ValueError
        On a condition that is not ``column<op>value``, or alternatives with an order operator.
    """
    if not isinstance(text, str) or not text.strip():
        return ()
    conditions = []
    for part in text.split(";"):
        match = _CONDITION.match(part)
        if match is None:
            raise ValueError(f"selector {text!r}: {part!r} is not column<op>value")
        column, op, values = match.groups()
        alternatives = tuple(_parsed_value(value.strip()) for value in values.split("|"))
        if len(alternatives) > 1 and op not in ("=", "!="):
            raise ValueError(f"selector {text!r}: alternatives need = or !=, got {op}")
        conditions.append(Condition(column, op, alternatives))
    return tuple(conditions)


def parse_needs(text) -> tuple[str, float] | None:
    """``needs`` as ``(column, least value)``; None when empty."""
    if not isinstance(text, str) or not text.strip():
        return None
    match = _CONDITION.match(text)
    if match is None or match.group(2) != ">=":
        raise ValueError(f"needs {text!r} is not column>=value")
    return match.group(1), float(match.group(3))


def load_claims(path: str | os.PathLike) -> pd.DataFrame:
    """Read and check the claims file: every column, unique ids, a known table, kind, scale and
    direction on every row, selectors that parse, a tolerance where the kind needs one.

    Raises
    ------
    ValueError
        Naming the file and the offending claims.
    """
    claims = pd.read_csv(path, dtype={"a": str, "b": str, "within": str, "pair": str, "needs": str})
    missing = [column for column in CLAIM_COLUMNS if column not in claims]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    problems = []
    for claim in claims.to_dict("records"):
        problems += [f"{claim['id']}: {problem}" for problem in claim_problems(claim)]
    duplicated = claims.loc[claims["id"].duplicated(), "id"].tolist()
    if duplicated:
        problems.append(f"ids repeated: {duplicated}")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return claims


def claim_problems(claim: Mapping) -> list[str]:
    """What is wrong with one claim's specification (empty: nothing)."""
    problems = []
    known_tables = (*CLAIM_TABLES, *DERIVED_TABLES)
    if claim["table"] not in known_tables:
        problems.append(f"unknown table {claim['table']!r} (known: {', '.join(known_tables)})")
    if claim["kind"] not in KINDS:
        problems.append(f"unknown kind {claim['kind']!r} (known: {', '.join(KINDS)})")
    if claim["scale"] not in SCALES:
        problems.append(f"scale must be one of {SCALES}, got {claim['scale']!r}")
    if claim["better"] not in BETTER:
        problems.append(f"better must be one of {BETTER}, got {claim['better']!r}")
    if claim["kind"] in ("beats", "matches") and not _is_text(claim["b"]):
        problems.append(f"kind {claim['kind']} needs a selector b")
    if claim["kind"] in ("matches", "small") and not _finite_number(claim["tolerance"]):
        problems.append(f"kind {claim['kind']} needs a tolerance")
    for key in ("a", "b", "within"):
        try:
            parse_selector(claim[key])
        except ValueError as error:
            problems.append(str(error))
    if not parse_selector(claim["a"]):
        problems.append("a selector a is needed")
    try:
        parse_needs(claim["needs"])
    except ValueError as error:
        problems.append(str(error))
    return problems


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _finite_number(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def check_columns(claims: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> None:
    """Raise ``ValueError`` naming every claim whose metric, pair or selector column its table lacks."""
    problems = []
    for claim in claims.to_dict("records"):
        table = tables[claim["table"]]
        named = [claim["metric"]] + ([claim["pair"]] if _is_text(claim["pair"]) else [])
        named += [condition.column for key in ("a", "b", "within") for condition in parse_selector(claim[key])]
        needs = parse_needs(claim["needs"])
        named += [needs[0]] if needs else []
        absent = sorted({column for column in named if column not in table})
        if absent:
            problems.append(f"{claim['id']}: table {claim['table']} has no columns {absent}")
    if problems:
        raise ValueError("; ".join(problems))


def _resolved(condition: Condition, table: pd.DataFrame) -> Condition:
    """``min``/``max`` replaced by the column's extreme in ``table``."""
    extremes = {"min": table[condition.column].min(), "max": table[condition.column].max()}
    return Condition(condition.column, condition.op, tuple(extremes.get(value, value) for value in condition.values))


def select(table: pd.DataFrame, conditions: tuple[Condition, ...]) -> tuple[pd.DataFrame, str]:
    """The rows of ``table`` meeting every condition, and, when one matches nothing, why (else ``""``)."""
    rows = table
    for condition in conditions:
        condition = _resolved(condition, table)
        kept = rows[_OPERATORS[condition.op](rows[condition.column], list(condition.values))]
        if kept.empty:
            levels = ", ".join(_shown(value) for value in sorted(table[condition.column].unique()))
            return kept, f"our grid has no {condition} (it has {condition.column} {levels})"
        rows = kept
    return rows, ""


def side_runs(rows: pd.DataFrame, metric: str, scale: str, pair: str) -> pd.Series:
    """One side's runs on the claim's scale: its rows' finite metric (log10 on ``log``), averaged
    over the rows that share a ``pair`` value; a side without pair values is one run (index NaN).
    A diverged fit (``diverged`` true, where the table records it) has no score to average and is left out."""
    if "diverged" in rows:
        rows = rows[~rows["diverged"].astype(bool)]
    values = rows[metric].astype(float)
    if scale == "log":
        values = np.log10(values.where(values > 0))
    finite = np.isfinite(values)
    if _is_text(pair) and rows.loc[finite, pair].notna().any():
        return values[finite].groupby(rows.loc[finite, pair]).mean()
    return pd.Series([values[finite].mean()], index=[math.nan])


def paired_runs(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The two sides' runs paired by key; a side of one unpaired run meets every run of the other.

    Raises
    ------
    ValueError
        When both sides have keys and share none.
    """
    a_single, b_single = a.index.isna().all(), b.index.isna().all()
    if a_single and not b_single:
        return np.full(len(b), a.iloc[0]), b.to_numpy()
    if b_single and not a_single:
        return a.to_numpy(), np.full(len(a), b.iloc[0])
    if a_single and b_single:
        return a.to_numpy()[:1], b.to_numpy()[:1]
    common = a.index.intersection(b.index)
    if common.empty:
        raise ValueError(f"no pair shared by the two sides ({list(a.index)} and {list(b.index)})")
    return a.loc[common].to_numpy(), b.loc[common].to_numpy()


def favoured_difference(a: pd.Series, b: pd.Series, better: str) -> dict:
    """:func:`ffnn.stats.paired_comparison` of the two sides, signed so that positive favours ``a``."""
    first, second = paired_runs(a, b)
    if better == "lower":
        first, second = second, first
    return paired_comparison(first, second)


def _on_metric_scale(runs: pd.Series, scale: str) -> float:
    mean = float(runs.mean())
    return 10.0**mean if scale == "log" else mean


def best_rival(
    table: pd.DataFrame, a_conditions: tuple[Condition, ...], a_rows: pd.DataFrame, claim: Mapping
) -> tuple[str, pd.Series | None]:
    """The best other setting of the columns ``a``'s selector names (by mean on the claim's
    metric), as ``(label, runs)``; ``("", None)`` when the grid offers no other setting."""
    columns = list(dict.fromkeys(condition.column for condition in a_conditions))
    others = table.drop(index=a_rows.index)
    rivals = {}
    for key, rows in others.groupby(columns, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        label = ";".join(f"{column}={_shown(value)}" for column, value in zip(columns, key, strict=True))
        rivals[label] = side_runs(rows, claim["metric"], claim["scale"], claim["pair"])
    rivals = {label: runs for label, runs in rivals.items() if runs.notna().any()}
    if not rivals:
        return "", None
    sign = -1.0 if claim["better"] == "lower" else 1.0
    label = max(rivals, key=lambda name: sign * rivals[name].mean())
    return label, rivals[label]


def _untestable(reason: str) -> dict:
    return {"verdict": NOT_TESTABLE, "reason": reason}


def needs_reason(table: pd.DataFrame, needs) -> str:
    """Why the table does not reach the claim's ``needs`` (``""`` when it does)."""
    if needs is None:
        return ""
    column, least = needs
    reached = table[column].max()
    return "" if reached >= least else f"our grid stops at {column} {reached:g}; the claim needs {least:g}"


def evaluate_claim(claim: Mapping, table: pd.DataFrame) -> dict:
    """One row of the claims table (:data:`RESULT_COLUMNS`): our numbers, the difference and a verdict."""
    row = {key: claim[key] for key in ("id", "location", "claim", "kind", "scale")}
    row["compared_on"] = "test scores" if str(claim["metric"]).startswith("test") else claim["metric"]
    row.update(a=claim["a"], b=claim["b"] if _is_text(claim["b"]) else "")
    within, reason = select(table, parse_selector(claim["within"]))
    if not reason:
        reason = needs_reason(within, parse_needs(claim["needs"]))
    if reason:
        return {**row, **_untestable(reason)}
    a_conditions = parse_selector(claim["a"])
    a_rows, reason = select(within, a_conditions)
    if reason:
        return {**row, **_untestable(reason)}
    a = side_runs(a_rows, claim["metric"], claim["scale"], claim["pair"])
    if claim["kind"] == "small":
        size = float(np.max(np.abs(a_rows[claim["metric"]].astype(float))))
        held = size <= float(claim["tolerance"])
        return {**row, "a_value": size, "verdict": HELD if held else NOT_HELD, "reason": ""}
    if claim["kind"] == "best":
        row["b"], b = best_rival(within, a_conditions, a_rows, claim)
        if b is None:
            columns = "/".join(condition.column for condition in a_conditions)
            return {**row, **_untestable(f"our grid offers no other {columns}")}
    else:
        b_rows, reason = select(within, parse_selector(claim["b"]))
        if reason:
            return {**row, **_untestable(reason)}
        b = side_runs(b_rows, claim["metric"], claim["scale"], claim["pair"])
    row.update(a_value=_on_metric_scale(a, claim["scale"]), b_value=_on_metric_scale(b, claim["scale"]))
    difference = favoured_difference(a, b, claim["better"])
    row.update(
        n_pairs=difference["n"],
        difference_mean=difference["difference_mean"],
        difference_ci_low=difference["difference_ci_low"],
        difference_ci_high=difference["difference_ci_high"],
        p_value=difference["p_value"],
    )
    has_interval = math.isfinite(difference["difference_ci_low"])
    if claim["kind"] == "matches":
        tolerance = float(claim["tolerance"])
        held = abs(difference["difference_mean"]) <= tolerance
        low, high = difference["difference_ci_low"], difference["difference_ci_high"]
        within_tolerance = -tolerance <= low and high <= tolerance
        row["significant"] = ("yes" if within_tolerance else "no") if has_interval else ""
    else:
        held = difference["difference_mean"] > 0.0
        row["significant"] = ("yes" if difference["beats"] else "no") if has_interval else ""
    return {**row, "verdict": HELD if held else NOT_HELD, "reason": ""}


def claims_table(claims: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every claim evaluated against ``tables`` (:func:`claim_tables`), one row each, in the file's order.

    Raises
    ------
    ValueError
        Before any claim is evaluated: a claim naming a table or column ``tables`` lacks.
    """
    absent = sorted(set(claims["table"]) - set(tables))
    if absent:
        raise ValueError(f"claims name tables that were not read: {absent}")
    check_columns(claims, tables)
    rows = [evaluate_claim(claim, tables[claim["table"]]) for claim in claims.to_dict("records")]
    return pd.DataFrame(rows).reindex(columns=list(RESULT_COLUMNS))


def verdict_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many claims got each verdict, every verdict listed."""
    return {verdict: whole((table["verdict"] == verdict).sum()) for verdict in VERDICTS}


def claim_tables(read: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables claims are tested on: ``read`` (the :data:`CLAIM_TABLES`) and the
    :data:`DERIVED_TABLES`, each one run per row."""
    table1, seeds = read["runge_table1_test_mse"], read["runge_table1_seeds"]
    single = table1.loc[table1["deterministic"].astype(bool), ["row", "test_mse"]]
    parity = read["verify_sklearn_parity"].query("setting == 'independent'")
    torch = read["verify_torch_seeds"]
    table5 = read["fashion_table5_models"].set_index("role")
    chosen = read["fashion_chosen_seeds"]
    uniform = read["fashion_uniform_accuracy"].rename(columns={"width": "first_width"})
    derived = {
        "runge_table1": pd.concat([seeds[["row", "training_seed", "test_mse"]], single], ignore_index=True),
        "verify_sklearn": pd.concat(
            [
                parity[["architecture"]].assign(framework=framework, test_mse=parity[f"{framework}_test_mse"])
                for framework in ("ours", "sklearn")
            ],
            ignore_index=True,
        ),
        "verify_gradients": read["verify_gradients_autograd"],
        "verify_torch": pd.concat(
            [
                torch[["training_seed"]].assign(framework=framework, test_accuracy=torch[f"{framework}_test_accuracy"])
                for framework in ("ours", "torch")
            ],
            ignore_index=True,
        ),
        "fashion_architectures": pd.concat(
            [read["fashion_pyramid_accuracy"].assign(scheme="pyramid"), uniform.assign(scheme="uniform")],
            ignore_index=True,
        ),
        "fashion_table5": pd.concat(
            [
                chosen[["training_seed", "test_accuracy", "seconds"]].assign(model="network"),
                pd.DataFrame(
                    {
                        "model": ["logistic"],
                        "test_accuracy": [table5.loc["baseline", "accuracy"]],
                        "seconds": [table5.loc["baseline", "seconds"]],
                    }
                ),
            ],
            ignore_index=True,
        ),
    }
    return {**read, **derived}
