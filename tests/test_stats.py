"""Spread, intervals and paired tests against scipy.stats on hand-worked values; the audit's verdicts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from ffnn.stats import (
    choice_verdict,
    deterministic_columns,
    paired_comparison,
    pooled_sd,
    prediction_interval,
    runs_summary,
    spread,
    spread_columns,
    t_interval,
    verdict,
)


def test_spread_of_hand_worked_values():
    # 1, 2, 3, 4: mean 2.5, sample variance 5/3; t_{0.975, 3} = 3.182446...
    summary = spread([1.0, 2.0, 3.0, 4.0])
    sd = math.sqrt(5.0 / 3.0)
    half = 3.182446305284263 * sd / 2.0
    assert summary["n"] == 4 and summary["mean"] == 2.5
    assert summary["sd"] == pytest.approx(sd, rel=1e-12)
    assert (summary["ci_low"], summary["ci_high"]) == pytest.approx((2.5 - half, 2.5 + half), rel=1e-9)


def test_spread_agrees_with_scipy_interval():
    values = np.array([0.8861, 0.8893, 0.8874, 0.8902, 0.8850])
    expected = scipy_stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=scipy_stats.sem(values))
    summary = spread(values)
    assert (summary["ci_low"], summary["ci_high"]) == pytest.approx(expected, rel=1e-12)
    assert spread(values, confidence=0.9)["ci_high"] < summary["ci_high"]


def test_one_value_has_no_spread_and_bad_input_is_named():
    summary = spread([0.5])
    assert summary["n"] == 1 and summary["mean"] == 0.5
    assert all(math.isnan(summary[key]) for key in ("sd", "ci_low", "ci_high"))
    assert math.isnan(t_interval(1.0, 0.1, 1)[0])
    with pytest.raises(ValueError, match="no values"):
        spread([])
    with pytest.raises(ValueError, match="finite"):
        spread([1.0, math.nan])
    with pytest.raises(ValueError, match="confidence"):
        t_interval(1.0, 0.1, 3, confidence=1.5)


def test_spread_columns_name_table_columns():
    columns = spread_columns({"test_mse": [1.0, 3.0], "val_mse": [2.0, 2.0]})
    assert columns["test_mse_mean"] == 2.0 and columns["val_mse_sd"] == 0.0
    assert columns["test_mse_sd"] == pytest.approx(math.sqrt(2.0))
    assert columns["n_seeds"] == 2 and columns["deterministic"] is False
    with pytest.raises(ValueError, match="one value per seed"):
        spread_columns({"a": [1.0, 2.0], "b": [1.0]})
    single = deterministic_columns({"accuracy": 0.8442})
    assert single["accuracy_mean"] == 0.8442 and math.isnan(single["accuracy_sd"])
    assert single["n_seeds"] == 1 and single["deterministic"] is True


def test_paired_comparison_against_scipy_ttest_rel():
    winner = [0.90, 0.91, 0.89, 0.92]
    runner_up = [0.88, 0.90, 0.885, 0.90]
    result = paired_comparison(winner, runner_up)
    assert result["p_value"] == pytest.approx(scipy_stats.ttest_rel(winner, runner_up).pvalue, rel=1e-12)
    assert result["difference_mean"] == pytest.approx(0.01375)
    # The interval lies above zero exactly when the two-sided p-value is below 5 %.
    assert result["beats"] and result["p_value"] < 0.05
    noisy = paired_comparison([0.90, 0.88, 0.91], [0.89, 0.90, 0.90])
    assert not noisy["beats"] and noisy["p_value"] > 0.05
    with pytest.raises(ValueError, match="one length"):
        paired_comparison([1.0, 2.0], [1.0])


def test_paired_comparison_with_one_seed_claims_nothing():
    result = paired_comparison([0.9], [0.8])
    assert result["difference_mean"] == pytest.approx(0.1)
    assert math.isnan(result["p_value"]) and not result["beats"]


# Student-t quantiles t_{0.975, dof} from printed tables, independent of the code under test.
T975 = {1: 12.7062047, 2: 4.3026527, 4: 2.7764451, 8: 2.3060041}


@pytest.mark.parametrize(("n", "dof"), [(5, None), (2, None), (1, 8), (5, 8)])
def test_prediction_interval_is_one_runs_interval(n, dof):
    low, high = prediction_interval(1.0, 0.5, n, dof=dof)
    half = T975[n - 1 if dof is None else dof] * 0.5 * math.sqrt(1 + 1 / n)
    assert (low, high) == (pytest.approx(1.0 - half, rel=1e-7), pytest.approx(1.0 + half, rel=1e-7))
    # wider than the interval of the mean, which shrinks with n where one run's does not
    mean_low, mean_high = t_interval(1.0, 0.5, n, dof=dof)
    assert mean_high - mean_low == pytest.approx((high - low) / math.sqrt(n + 1), rel=1e-12)


def test_prediction_interval_needs_degrees_of_freedom():
    assert all(math.isnan(value) for value in prediction_interval(1.0, math.nan, 1))
    assert all(math.isnan(value) for value in t_interval(1.0, math.nan, 1))
    with pytest.raises(ValueError, match="confidence"):
        prediction_interval(1.0, 0.5, 5, confidence=1.5)


def test_pooled_sd_weights_groups_by_their_degrees_of_freedom():
    sd, dof = pooled_sd([0.01, 0.02], [5, 5])
    assert (sd, dof) == (pytest.approx(math.sqrt(2.5e-4)), 8)
    sd, dof = pooled_sd([0.01, 0.02], [3, 5])  # (2 * 1e-4 + 4 * 4e-4) / 6
    assert (sd, dof) == (pytest.approx(math.sqrt(3e-4)), 6)
    assert pooled_sd([0.01, 0.03], [1, 4]) == (pytest.approx(0.03), 3)  # a single run has no spread to give
    with pytest.raises(ValueError, match="two runs"):
        pooled_sd([0.01], [1])


def test_runs_summary_on_the_log_scale_is_not_ruled_by_one_bad_seed():
    skewed = [3e-6, 5e-6, 4e-6, 2e-4, 6e-6]
    logs = np.log10(skewed)
    summary = runs_summary(skewed, "log")
    half = T975[4] * logs.std(ddof=1) * math.sqrt(1 + 1 / 5)
    assert summary["mean"] == pytest.approx(10 ** logs.mean())  # the geometric mean
    assert summary["sd"] == pytest.approx(logs.std(ddof=1)) and summary["dof"] == 4 and summary["n"] == 5
    assert summary["pi_low"] == pytest.approx(10 ** (logs.mean() - half), rel=1e-6)
    assert summary["pi_high"] == pytest.approx(10 ** (logs.mean() + half), rel=1e-6)
    assert 0 < summary["pi_low"] < 2.94e-6 < summary["pi_high"]
    assert verdict(2.94e-6, summary["mean"], summary["pi_low"], summary["pi_high"], True, 0.0) == "reproduced"
    assert verdict(1e-12, summary["mean"], summary["pi_low"], summary["pi_high"], True, 0.0) == "worse"
    # on the raw scale the same seeds reach below zero, and 1e-12 would pass
    raw = runs_summary(skewed, "raw")
    assert raw["pi_low"] < 0 and verdict(1e-12, raw["mean"], raw["pi_low"], raw["pi_high"], True, 0.0) == "reproduced"


def test_runs_summary_with_a_zero_a_borrowed_or_no_spread():
    same = runs_summary([0.5, 0.5], "raw")
    assert same["sd"] == 0.0 and same["pi_low"] == same["pi_high"] == 0.5
    assert verdict(0.5, 0.5, same["pi_low"], same["pi_high"], False, 0.5) == "reproduced"
    assert verdict(0.5 + 1e-9, 0.5, same["pi_low"], same["pi_high"], False, 0.5) == "worse"  # no tolerance added
    borrowed = runs_summary([0.9], "raw", borrowed=(0.01, 8))
    half = T975[8] * 0.01 * math.sqrt(2)
    assert (borrowed["pi_low"], borrowed["pi_high"]) == (pytest.approx(0.9 - half), pytest.approx(0.9 + half))
    assert borrowed["n"] == 1 and borrowed["dof"] == 8 and borrowed["sd"] == 0.01
    alone = runs_summary([0.9], "raw")
    assert math.isnan(alone["sd"]) and math.isnan(alone["pi_low"]) and alone["dof"] == 0
    with pytest.raises(ValueError, match="positive"):
        runs_summary([0.0, 1.0], "log")
    with pytest.raises(ValueError, match="scale"):
        runs_summary([1.0], "logit")


@pytest.mark.parametrize(
    ("study", "lower_is_better", "expected"),
    [
        (1.0, True, "reproduced"),
        (2.0, True, "better"),  # our interval lies wholly below a study MSE of 2
        (0.5, True, "worse"),
        (2.0, False, "worse"),  # ... and wholly below a study accuracy of 2
        (0.5, False, "better"),
        (0.9, True, "reproduced"),  # exactly on the lower edge
        (1.1, False, "reproduced"),  # exactly on the upper edge
        (0.9 - 1e-12, True, "worse"),  # a hair outside
        (1.1 + 1e-12, False, "worse"),
        (1.1 + 1e-12, True, "better"),
    ],
)
def test_verdict_with_an_interval(study, lower_is_better, expected):
    assert verdict(study, 1.0, 0.9, 1.1, lower_is_better, relative_tolerance=0.0) == expected


def test_an_interval_ignores_the_tolerance():
    # within 50 % of our mean but outside one run's interval: not reproduced
    assert verdict(1.2, 1.0, 0.9, 1.1, True, relative_tolerance=0.5, absolute_tolerance=1.0) == "better"


@pytest.mark.parametrize(
    ("ours", "lower_is_better", "expected"),
    [
        (100.0, False, "reproduced"),
        (101.0, False, "reproduced"),  # exactly at the 1 % tolerance (1.0 == 0.01 * 100.0 in floats)
        (99.0, True, "reproduced"),
        (101.0 + 1e-9, False, "better"),  # a hair beyond it
        (99.0 - 1e-9, False, "worse"),
        (99.0 - 1e-9, True, "better"),
        (101.9, False, "better"),  # a tolerance 1.9 times wider would call this reproduced
    ],
)
def test_verdict_of_a_single_value_uses_the_tolerance(ours, lower_is_better, expected):
    assert verdict(100.0, ours, math.nan, math.nan, lower_is_better, relative_tolerance=0.01) == expected


def test_verdict_absolute_tolerance_covers_rounding_level_numbers():
    assert (
        verdict(0.0, 1e-15, math.nan, math.nan, True, relative_tolerance=0.05, absolute_tolerance=1e-15) == "reproduced"
    )
    assert (
        verdict(0.0, 1.0000001e-15, math.nan, math.nan, True, relative_tolerance=0.05, absolute_tolerance=1e-15)
        == "worse"
    )
    assert verdict(0.0, 3e-12, math.nan, math.nan, True, relative_tolerance=0.05, absolute_tolerance=1e-15) == "worse"
    with pytest.raises(ValueError, match="finite"):
        verdict(math.nan, 1.0, 0.9, 1.1, True, 0.0)


@pytest.mark.parametrize(
    ("study", "ours", "expected"),
    [
        (1e-5, 1.0e-5, "same"),
        (1e-5, 1e-5 * (1 + 1e-12), "same"),  # float rounding
        (1e-5, 1e-5 * (1 + 1e-7), "different"),  # a near miss is a miss
        (50, 64, "different"),  # the study's batch 50 against ours 64: 22 % apart
        (32, 50, "different"),
        (0.0005, 0.0005, "same"),
    ],
)
def test_choice_verdict(study, ours, expected):
    assert choice_verdict(study, ours) == expected
