"""The audit's join and verdicts on hand-made rows; the study's numbers file itself."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from ffnn.audit import (
    AUDIT_COLUMNS,
    STUDY_COLUMNS,
    audit_row,
    audit_table,
    from_columns,
    load_study_numbers,
    over_seeds,
    single,
    verdict_counts,
)
from ffnn.stats import VERDICTS

ROOT = Path(__file__).resolve().parents[1]
STUDY_NUMBERS = ROOT / "report" / "study_numbers.csv"


def study_row(value, better="lower", not_comparable="", ours="key"):
    return {
        "id": "x", "location": "Table I", "model": "NN", "metric": "test MSE", "study_value": str(value),
        "better": better, "study_settings": "", "ours": ours, "not_comparable": not_comparable,
    }


SEEDS = {"mean": 1.0, "sd": 0.1, "ci_low": 0.9, "ci_high": 1.1, "n": 5, "kind": "mean over seeds"}


@pytest.mark.parametrize(
    ("value", "better", "expected"),
    [
        (1.05, "lower", "reproduced"),
        (0.9, "lower", "reproduced"),  # on the interval's edge
        (1.1, "higher", "reproduced"),  # on the other edge
        (2.0, "lower", "better"),
        (2.0, "higher", "worse"),
        (0.5, "lower", "worse"),
        (0.5, "higher", "better"),
    ],
)
def test_scores_over_seeds_are_judged_by_the_interval(value, better, expected):
    row = audit_row(study_row(value, better), SEEDS, relative_tolerance=0.0, absolute_tolerance=0.0)
    assert row["verdict"] == expected
    assert row["ratio"] == pytest.approx(1.0 / value)
    assert row["n_seeds"] == 5 and row["ours_kind"] == "mean over seeds"


def test_a_single_value_is_judged_with_the_tolerance():
    ours = single(0.8442 * 1.03)
    assert audit_row(study_row(0.8442, "higher"), ours, 0.05, 0.0)["verdict"] == "reproduced"
    assert audit_row(study_row(0.8442, "higher"), ours, 0.01, 0.0)["verdict"] == "better"
    assert audit_row(study_row(0.8442, "lower"), ours, 0.01, 0.0)["verdict"] == "worse"
    assert audit_row(study_row(0.0), single(1e-17), 0.05, 1e-15)["verdict"] == "reproduced"
    assert math.isnan(audit_row(study_row(0.0), single(1e-17), 0.05, 1e-15)["ratio"])


def test_not_comparable_keeps_both_numbers_and_the_reason():
    row = audit_row(study_row(175.2, not_comparable="a time measured on another machine"), single(20.0), 0.05, 0.0)
    assert row["verdict"] == "not comparable" and row["reason"] == "a time measured on another machine"
    assert row["study_value"] == 175.2 and row["ours_mean"] == 20.0


@pytest.mark.parametrize(
    ("study", "ours", "expected"),
    [(1e-5, 1.0e-5, "same"), (32, 50.0, "different"), ("adam", "Adam", "same"), ("[512-10]", "[256-10]", "different")],
)
def test_chosen_settings_are_same_or_different(study, ours, expected):
    assert audit_row(study_row(study, "choice"), single(ours), 0.05, 0.0)["verdict"] == expected


def test_from_columns_reads_seeds_or_one_value():
    seeded = {"test_mse": 1.0, "test_mse_mean": 2.0, "test_mse_sd": 0.5, "test_mse_ci_low": 1.0, "test_mse_ci_high": 3.0,
              "n_seeds": 3, "deterministic": False}
    assert from_columns(seeded, "test_mse") == {"mean": 2.0, "sd": 0.5, "ci_low": 1.0, "ci_high": 3.0, "n": 3, "kind": "mean over seeds"}
    assert from_columns({**seeded, "deterministic": True}, "test_mse")["mean"] == 1.0
    assert over_seeds([1.0, 3.0])["kind"] == "mean over seeds"


def test_audit_table_names_results_it_cannot_find_and_counts_verdicts():
    study = pd.DataFrame([study_row(1.05, ours="a"), {**study_row(3.0, ours="b"), "id": "y"}], columns=STUDY_COLUMNS)
    table = audit_table(study, {"a": SEEDS, "b": single(1.0)}, 0.05, 0.0)
    assert list(table.columns) == list(AUDIT_COLUMNS)
    assert verdict_counts(table) == {"reproduced": 1, "better": 1, "worse": 0, "not comparable": 0, "same": 0, "different": 0}
    with pytest.raises(ValueError, match=r"\['b'\]"):
        audit_table(study, {"a": SEEDS}, 0.05, 0.0)


def test_bad_study_numbers_are_refused(tmp_path):
    good = pd.DataFrame([study_row(1.0)], columns=STUDY_COLUMNS)
    for change, message in [
        (lambda t: t.assign(better="smaller"), "`better` must be one of"),
        (lambda t: pd.concat([t, t]), "ids used twice"),
        (lambda t: t.assign(study_value=""), "without a study value"),
        (lambda t: t.assign(study_value="about 1"), "not numbers"),
        (lambda t: t.drop(columns="ours"), "missing columns"),
    ]:
        path = tmp_path / "numbers.csv"
        change(good).to_csv(path, index=False)
        with pytest.raises(ValueError, match=message):
            load_study_numbers(path)


def test_the_study_numbers_cover_every_table_of_the_study():
    numbers = load_study_numbers(STUDY_NUMBERS)
    assert len(numbers) >= 40
    locations = " ".join(numbers["location"])
    for place in ("Table I", "Table II", "Table III", "Table IV", "Table V", "Table VI", "Fig. 13", "Fig. 25", "Fig. 26", "Fig. 28"):
        assert place in locations
    times = numbers[numbers["metric"] == "runtime (s)"].set_index("model")["study_value"].astype(float)
    assert sorted(times) == [175.2, 538.8]
    assert (numbers.loc[numbers["metric"] == "runtime (s)", "not_comparable"] != "").all()


@pytest.mark.build
def test_quick_build_audit_judges_every_study_number_with_a_value_of_ours():
    audit = pd.read_csv(ROOT / "results" / "audit" / "audit.csv")
    numbers = load_study_numbers(STUDY_NUMBERS)
    assert audit["id"].tolist() == numbers["id"].tolist()
    assert audit["verdict"].isin(VERDICTS).all(), audit.loc[~audit["verdict"].isin(VERDICTS), ["id", "verdict"]]
    assert audit["ours_mean"].notna().all() and (audit["ours_mean"].astype(str) != "").all(), audit.loc[audit["ours_mean"].isna(), "id"]
    assert audit["study_value"].notna().all()
    apart = audit["verdict"] == "not comparable"
    assert audit.loc[apart, "reason"].notna().all() and audit.loc[~apart, "reason"].isna().all()
    choices = audit["better"] == "choice"
    assert audit.loc[choices | apart, "verdict"].isin(["same", "different", "not comparable"]).all()
    assert audit.loc[~choices & ~apart, "verdict"].isin(["reproduced", "better", "worse"]).all()
    seeded = audit["ours_kind"] == "mean over seeds"
    assert seeded.any() and (audit.loc[seeded, "n_seeds"] > 1).all()
    assert (audit.loc[seeded, "ours_ci_low"] <= audit.loc[seeded, "ours_mean"].astype(float)).all()
