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
    ],
)
def test_verdict_with_an_interval(study, lower_is_better, expected):
    assert verdict(study, 1.0, 0.9, 1.1, lower_is_better, relative_tolerance=0.0) == expected


@pytest.mark.parametrize(
    ("ours", "lower_is_better", "expected"),
    [
        (0.8442, False, "reproduced"),
        (0.8442 * 1.01, False, "reproduced"),  # exactly at the tolerance
        (0.8442 * 1.02, False, "better"),
        (0.8442 * 0.98, False, "worse"),
        (0.8442 * 0.98, True, "better"),
    ],
)
def test_verdict_of_a_single_value_uses_the_tolerance(ours, lower_is_better, expected):
    assert verdict(0.8442, ours, math.nan, math.nan, lower_is_better, relative_tolerance=0.01 + 1e-12) == expected


def test_verdict_absolute_tolerance_covers_rounding_level_numbers():
    assert verdict(0.0, 3e-17, math.nan, math.nan, True, relative_tolerance=0.05, absolute_tolerance=1e-15) == "reproduced"
    assert verdict(0.0, 3e-12, math.nan, math.nan, True, relative_tolerance=0.05, absolute_tolerance=1e-15) == "worse"
    with pytest.raises(ValueError, match="finite"):
        verdict(math.nan, 1.0, 0.9, 1.1, True, 0.0)


def test_choice_verdict():
    assert choice_verdict(1e-5, 1.0e-5) == "same"
    assert choice_verdict(32, 50) == "different"
