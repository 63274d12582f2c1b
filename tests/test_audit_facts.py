"""Facts on the audit's worse rows: stated only where the numbers show them."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from ffnn.audit_facts import finite_difference_fact, gaps_in_spreads, parity_fit_fact, spread_fact, training_points


def worse_rows(*rows):
    return pd.DataFrame(rows, columns=["study_value", "ours_mean", "ours_sd", "spread_dof", "scale"])


def test_a_gap_is_measured_on_the_rows_scale_in_standard_deviations_of_one_run():
    rows = worse_rows(
        (1e-5, 1e-3, 0.5, 4, "log"),  # two decades apart, sd half a decade
        (0.89, 0.74, 0.01, 1, "raw"),  # 15 points, sd 1 point
        (0.89, 0.74, 0.0, 0, "raw"),  # no spread: left out
    )
    gaps = gaps_in_spreads(rows)
    assert list(gaps.index) == [0, 1]
    assert gaps[0] == pytest.approx(4.0) and gaps[1] == pytest.approx(15.0)


def test_a_raw_row_at_or_below_zero_gives_its_gap_without_a_warning():
    rows = worse_rows((-0.2, 0.3, 0.1, 2, "raw"), (0.0, 0.1, 0.05, 2, "raw"), (1e-5, 1e-3, 0.5, 4, "log"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gaps = gaps_in_spreads(rows)
    assert list(gaps) == pytest.approx([5.0, 2.0, 4.0])


def test_the_spread_fact_says_whether_the_spread_could_reach_the_gap():
    far = spread_fact(worse_rows((0.89, 0.74, 0.01, 1, "raw"), (1e-5, 1e-3, 0.5, 4, "log")))
    assert "at least 4.0 standard deviations" in far and "far more than" in far and "each of the 2 gaps" in far
    near = spread_fact(worse_rows((0.89, 0.87, 0.01, 4, "raw")))
    assert "2.0 standard deviations" in near and "near the edge" in near
    assert spread_fact(worse_rows((0.89, 0.74, 0.0, 0, "raw"))) is None


def parity(ours, sklearn):
    return pd.DataFrame(
        {
            "setting": ["independent", "independent", "shared"],
            "architecture": ["Arch 1", "Arch 2", "Arch 1"],
            "ours_test_mse": [ours[0], ours[1], 1.0],
            "sklearn_test_mse": [sklearn[0], sklearn[1], 1.0],
        }
    )


def test_a_poorer_fit_of_ours_is_named_with_its_ratio():
    fact = parity_fit_fact(parity((0.04, 0.002), (0.004, 0.002)), ["Arch 1", "Arch 2"])
    assert "Arch 1 (10.0 times)" in fact and "Arch 2" not in fact and "worse than scikit-learn's" in fact


def test_two_equally_good_fits_are_called_so():
    fact = parity_fit_fact(parity((0.003, 0.002), (0.002, 0.003)), ["Arch 1", "Arch 2"])
    assert "equally good" in fact and "worse than" not in fact


def test_only_the_architectures_asked_about_are_read():
    assert "equally good" in parity_fit_fact(parity((0.04, 0.002), (0.004, 0.002)), ["Arch 2"])
    assert parity_fit_fact(parity((1, 1), (1, 1)), []) is None
    with pytest.raises(ValueError, match="Arch 9"):
        parity_fit_fact(parity((1, 1), (1, 1)), ["Arch 9"])


def test_our_networks_fit_the_training_part_and_the_studys_fitted_validation_too():
    parts = ["train"] * 64 + ["val"] * 16 + ["test"] * 20
    points = pd.DataFrame({"noise_std": [0.0] * 100 + [0.01] * 100, "part": parts + ["train"] * 100})
    assert training_points(points) == (64, 80)  # the noisy copy not counted


def _gradients(rows):
    return pd.DataFrame(rows, columns=["network", "initializer", "layer", "param", "grad_norm", "rel_err_finite_diff"])


KINKED = _gradients(
    [
        ("[20-1] relu", "normal", 0, "W", 1e-5, 1e-6),
        ("[20-1] relu", "normal", 0, "b", 1e-2, 7e-2),
        ("[20-1] relu", "he", 0, "b", 0.2, 1e-10),
        ("[50-1] sigmoid", "normal", 0, "W", 5e-6, 4e-6),
    ]
)


def test_finite_difference_fact_names_the_worst_row_and_its_gradient():
    fact = finite_difference_fact(KINKED)
    assert fact.startswith("The largest relative error, 7.0e-02, is that of layer 0's bias gradient in the [20-1] relu")
    assert "norm 1.0e-02" in fact


def test_finite_difference_fact_puts_a_dominant_relu_error_on_the_kink_not_on_the_gradient_size():
    fact = finite_difference_fact(KINKED)
    assert "kink" in fact
    assert "stays below 4.0e-06" in fact  # the worst row elsewhere, the sigmoid's
    assert "as small as 5.0e-06 agree to 4.0e-06" in fact  # rows elsewhere with smaller gradients


def test_finite_difference_fact_blames_no_kink_where_relu_does_not_dominate():
    close = KINKED.assign(rel_err_finite_diff=[1e-6, 7e-2, 1e-10, 1e-3])  # the sigmoid errs within 100 times
    assert "kink" not in finite_difference_fact(close)
    smooth = KINKED.assign(network=KINKED["network"].str.replace("relu", "tanh"))
    assert "kink" not in finite_difference_fact(smooth)


def test_finite_difference_fact_keeps_the_gradient_size_open_where_nothing_smaller_agrees():
    larger = KINKED.assign(grad_norm=[1e-5, 1e-2, 0.2, 0.5])  # every row elsewhere has a larger gradient
    fact = finite_difference_fact(larger)
    assert "kink" in fact and "size is not the cause" not in fact
