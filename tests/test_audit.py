"""The audit: its verdicts on hand-made rows, how it reads our number from each result table
(on small hand-made tables), the study's numbers file itself, and the quick build's audit."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ffnn.audit import (
    AUDIT_COLUMNS,
    AUDIT_PARTS,
    AUDITED_TABLES,
    Ours,
    audit_part,
    audit_row,
    audit_table,
    our_numbers,
    stands_at,
    verdict_counts,
    verdict_summary,
)
from ffnn.stats import VERDICTS
from ffnn.study_numbers import STUDY_COLUMNS, load_study_numbers

ROOT = Path(__file__).resolve().parents[1]
STUDY_NUMBERS = ROOT / "report" / "study_numbers.csv"
T975_4 = 2.7764451  # t_{0.975, 4}, from a printed table


def study_row(value, better="lower", not_comparable="", ours="key", scale="raw", repeats="", id="x"):
    return {
        "id": id,
        "location": "Table I",
        "model": "NN",
        "metric": "test MSE",
        "study_value": str(value),
        "better": better,
        "scale": "" if better == "choice" else scale,
        "study_settings": "",
        "ours": ours,
        "not_comparable": not_comparable,
        "repeats": repeats,
    }


# Five runs of mean 1.0 and sd 0.1: one run's interval is 1 +- t_{0.975,4} * 0.1 * sqrt(1.2).
FIVE = Ours((0.9, 0.95, 1.0, 1.05, 1.1), "mean over 5 training seeds", "5 training seeds of this model")
FIVE_SD = float(np.std(FIVE.runs, ddof=1))
HALF = T975_4 * FIVE_SD * math.sqrt(1.2)


@pytest.mark.parametrize(
    ("value", "better", "expected"),
    [
        (1.0 + HALF * 0.99, "lower", "reproduced"),
        (1.0 - HALF * 0.99, "higher", "reproduced"),
        (1.0 + HALF * 1.01, "lower", "better"),  # just outside one run's interval
        (1.0 + HALF * 1.01, "higher", "worse"),
        (1.0 - HALF * 1.01, "lower", "worse"),
        (1.0 - HALF * 1.01, "higher", "better"),
    ],
)
def test_scores_over_seeds_are_judged_by_one_runs_interval(value, better, expected):
    row = audit_row(study_row(value, better), FIVE, relative_tolerance=0.0, absolute_tolerance=0.0)
    assert row["verdict"] == expected
    assert row["ratio"] == pytest.approx(1.0 / value)
    assert row["n_runs"] == 5 and row["spread_dof"] == 4 and row["spread_source"] == "5 training seeds of this model"
    assert row["ours_pi_high"] - row["ours_pi_low"] == pytest.approx(2 * HALF)
    # the mean's interval is the narrower one: a study value between the two is still reproduced
    assert row["ours_ci_high"] - row["ours_ci_low"] == pytest.approx(2 * T975_4 * FIVE_SD / math.sqrt(5))


def test_a_seeded_number_ignores_the_tolerance():
    # 1.5 lies within 60 % of our mean but far outside one run's interval
    assert audit_row(study_row(1.5), FIVE, 0.6, 1.0)["verdict"] == "better"


def test_a_log_scale_number_is_judged_on_log10_of_its_runs():
    runs = Ours((3e-6, 5e-6, 4e-6, 2e-4, 6e-6), "mean over 5 training seeds", "5 training seeds")
    logs = np.log10(runs.runs)
    row = audit_row(study_row(2.94e-6, scale="log"), runs, 0.0, 0.0)
    assert row["verdict"] == "reproduced" and row["ours_mean"] == pytest.approx(10 ** logs.mean())
    assert row["ours_sd"] == pytest.approx(logs.std(ddof=1)) and row["ours_pi_low"] > 0
    assert audit_row(study_row(1e-12, scale="log"), runs, 0.0, 0.0)["verdict"] == "worse"


def test_a_single_fit_borrows_a_spread_and_says_so():
    single_fit = Ours((0.9,), "single fit", "seeds of the top cells, pooled", borrowed=(0.01, 8))
    half = 2.3060041 * 0.01 * math.sqrt(2)  # t_{0.975, 8}; one run against one run
    row = audit_row(study_row(0.9 + half * 0.99, "higher"), single_fit, 0.0, 0.0)
    assert row["verdict"] == "reproduced" and row["spread_dof"] == 8 and row["n_runs"] == 1
    assert row["spread_source"] == "seeds of the top cells, pooled"
    assert audit_row(study_row(0.9 + half * 1.01, "higher"), single_fit, 0.0, 0.0)["verdict"] == "worse"
    with pytest.raises(ValueError, match="raw scale"):
        audit_row(study_row(0.9, "higher", scale="log"), single_fit, 0.0, 0.0)


def test_a_single_value_is_judged_with_the_tolerance():
    ours = Ours((100.0 * 1.03,), "deterministic model")
    assert audit_row(study_row(100.0, "higher"), ours, 0.05, 0.0)["verdict"] == "reproduced"
    assert audit_row(study_row(100.0, "higher"), ours, 0.01, 0.0)["verdict"] == "better"
    assert audit_row(study_row(100.0, "lower"), ours, 0.01, 0.0)["verdict"] == "worse"
    row = audit_row(study_row(0.0), Ours((1e-17,), "deterministic computation"), 0.05, 1e-15)
    assert row["verdict"] == "reproduced" and math.isnan(row["ratio"]) and row["spread_source"] == "none measured"


def test_a_number_whose_every_run_diverged_is_worse():
    row = audit_row(study_row(1e-3, scale="log"), Ours((), "mean over 0 restarts", "restarts"), 0.0, 0.0)
    assert row["verdict"] == "worse" and row["reason"] == "every run diverged"


def test_not_comparable_keeps_both_numbers_and_the_reason():
    row = audit_row(study_row(175.2, not_comparable="a time measured on another machine"), FIVE, 0.05, 0.0)
    assert row["verdict"] == "not comparable" and row["reason"] == "a time measured on another machine"
    assert row["study_value"] == 175.2 and row["ours_mean"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("study", "ours", "expected"),
    [
        (1e-5, 1.0e-5, "same"),
        (32, 50.0, "different"),
        (50, 64, "different"),
        ("adam", "Adam", "same"),
        ("[512-10]", "[256-10]", "different"),
    ],
)
def test_chosen_settings_are_same_or_different(study, ours, expected):
    assert audit_row(study_row(study, "choice"), Ours((ours,), "chosen setting"), 0.05, 0.0)["verdict"] == expected


@pytest.mark.parametrize(
    ("study", "ours", "grid", "expected"),
    [
        (13, 12.0, (2.0, 4.0, 12.0), "outside our grid"),  # the study's degree beyond the grid's last
        (1e-5, 1e-6, (1e-6, 1e-4), "outside our grid"),  # between two of the grid's values
        (50, 16.0, (16.0, 32.0), "outside our grid"),
        (8, 12.0, (2.0, 8.0, 12.0), "different"),  # offered, not picked
        (8, 8.0, (2.0, 8.0, 12.0), "same"),
        ("relu", "linear", ("relu", "sigmoid", "linear"), "different"),
        ("ReLU", "relu", ("relu", "linear"), "same"),
        ("tanh", "relu", ("relu", "linear"), "outside our grid"),
        (60, 3.0, (), "different"),  # no grid known: judged as before
    ],
)
def test_a_choice_the_grid_could_not_make_is_outside_our_grid(study, ours, grid, expected):
    row = audit_row(study_row(study, "choice"), Ours((ours,), "chosen setting", candidates=grid), 0.05, 0.0)
    assert row["verdict"] == expected


@pytest.mark.parametrize(
    ("ours", "grid", "expected"),
    [
        (12.0, (2.0, 4.0, 12.0), "highest of 3"),
        (1e-6, (1e-4, 1e-6), "lowest of 2"),
        (4.0, (2.0, 4.0, 12.0), ""),
        ("adam", ("adam", "sgd"), ""),
        (3.0, (3.0,), ""),
    ],
)
def test_a_choice_at_the_edge_of_its_grid_is_flagged(ours, grid, expected):
    row = audit_row(study_row(8, "choice"), Ours((ours,), "chosen setting", candidates=grid), 0.05, 0.0)
    assert row["grid_edge"] == expected


def test_a_score_has_no_grid_edge():
    assert audit_row(study_row(1.0, scale="raw"), FIVE, 0.05, 0.0)["grid_edge"] == ""


def test_a_choice_over_seeds_is_their_mean():
    assert (
        audit_row(study_row(60, "choice"), Ours((2.0, 4.0), "mean over 2 training seeds"), 0.0, 0.0)["ours_mean"] == 3.0
    )


def test_audit_table_names_results_it_cannot_find_and_counts_each_number_once():
    study = pd.DataFrame(
        [study_row(1.0, ours="a"), study_row(3.0, ours="b", id="y"), study_row(1.0, ours="a", id="z", repeats="x")],
        columns=STUDY_COLUMNS,
    )
    table = audit_table(study, {"a": FIVE, "b": Ours((1.0,), "deterministic model")}, 0.05, 0.0)
    assert list(table.columns) == list(AUDIT_COLUMNS)
    assert table["verdict"].tolist() == ["reproduced", "better", "reproduced"]
    assert verdict_counts(table) == {
        "reproduced": 1,
        "better": 1,
        "worse": 0,
        "not comparable": 0,
        "same": 0,
        "different": 0,
        "outside our grid": 0,
    }
    with pytest.raises(ValueError, match=r"\['b'\]"):
        audit_table(study, {"a": FIVE}, 0.05, 0.0)


def test_every_place_the_study_numbers_name_belongs_to_one_part():
    numbers = load_study_numbers(STUDY_NUMBERS)
    parts = numbers["location"].map(audit_part)
    assert parts.isin(AUDIT_PARTS).all()
    assert audit_part("Table V, Fig. 27") == "FashionMNIST: Table V and its text"  # not Table VI's, nor Table I's
    assert audit_part("Table VI") == "Runge: depth and width (Table VI, Fig. 7)"
    assert audit_part("Table II") == "Verification (Tables II, III)"
    with pytest.raises(ValueError, match="'Fig. 99'"):
        audit_part("Fig. 99, Table I")


@pytest.mark.parametrize(
    ("location", "places", "expected"),
    [
        ("Table I", ["Table I"], True),
        ("Table II", ["Table I"], False),
        ("Table VI", ["Table I", "Table V"], False),
        ("Table V, Fig. 27", ["Table V"], True),
        ("Sec. III.A.2, Fig. 3", ["Sec. III.A"], True),
        ("Sec. III.A (text)", ["Sec. III.A"], True),
        ("Sec. III.B.5 (text)", ["Sec. III.A"], False),
        ("Fig. 13", ["Fig. 1"], False),
    ],
)
def test_a_number_stands_at_its_place_or_a_subsection_never_at_a_longer_name(location, places, expected):
    assert stands_at(location, places) is expected


def test_the_summary_counts_each_number_once_by_part_and_verdict():
    rows = [
        ("a", "Table I", "worse", ""),
        ("b", "Sec. III.A (text)", "worse", "a"),
        ("c", "Table VI", "reproduced", ""),
        ("d", "Table VI", "better", ""),
        ("e", "Fig. 25", "outside our grid", ""),
        ("f", "Table I", "same", ""),
    ]
    audit = pd.DataFrame(rows, columns=["id", "location", "verdict", "repeats"])
    summary = verdict_summary(audit).set_index("part")
    assert list(summary.index) == [  # the parts' order, none without numbers
        "Runge: Table I and the text quoting it",
        "Runge: depth and width (Table VI, Fig. 7)",
        "FashionMNIST: grids (Figs. 13, 25, 26, 28)",
    ]
    table1 = summary.loc["Runge: Table I and the text quoting it"]
    assert (table1["worse"], table1["same"], table1["numbers"]) == (1, 1, 2)  # the repeat not counted again
    assert summary["numbers"].sum() == sum(verdict_counts(audit).values())
    assert summary.loc["FashionMNIST: grids (Figs. 13, 25, 26, 28)", "outside our grid"] == 1


def test_the_study_numbers_cover_every_table_and_set_apart_only_times():
    numbers = load_study_numbers(STUDY_NUMBERS)
    assert len(numbers) == 126
    locations = " ".join(numbers["location"])
    for place in (
        "Table I",
        "Table II",
        "Table III",
        "Table IV",
        "Table V",
        "Table VI",
        "Fig. 13",
        "Fig. 25",
        "Fig. 26",
        "Fig. 28",
    ):
        assert place in locations
    apart = numbers[numbers["not_comparable"] != ""]
    assert len(apart) == 3 and apart["metric"].str.contains("runtime").all(), apart[["id", "metric"]]
    scores = numbers[numbers["better"] != "choice"]
    assert (scores.loc[scores["metric"].str.contains("MSE"), "scale"] == "log").all()
    assert (scores.loc[scores["metric"].str.contains("accuracy"), "scale"] == "raw").all()
    assert sorted(numbers.loc[numbers["repeats"] != "", "id"]) == [
        "text-a1-l2",
        "text-a1-untuned",
        "text-a2-ffnn2",
        "text-b5-lambda",
    ]


# ---------------------------------------------------------------- our numbers from hand-made tables


# Each Table IV sweep's grid, by penalty: (sweep, setting) -> the values it tried.
SWEEPS = {
    "l2": {
        ("lambda", "lam"): [1e-6, 1e-5, 1e-4],
        ("learning_rate", "learning_rate"): [0.003, 0.01],
        ("batch_size", "batch_size"): [16, 32, 64],
    },
    "l1": {
        ("lambda", "lam"): [1e-5, 1e-4],
        ("learning_rate", "learning_rate"): [0.003, 0.01, 0.03],
        ("batch_size", "batch_size"): [8, 16, 16],
    },
}


def hand_made_tables() -> dict[str, pd.DataFrame]:
    """The audited tables, small: every value that a wrong pick would return instead is distinct."""
    fits = pd.DataFrame(
        [
            ("sigmoid", 1, 8, 0, 1e-3, False),
            ("sigmoid", 1, 8, 1, 2e-3, False),
            ("relu", 1, 8, 0, 1e-5, False),
            ("relu", 1, 8, 1, 4e-5, False),
            ("relu", 1, 8, 2, 1.0, True),
            ("leaky_relu", 2, 16, 0, 5e-2, False),
            ("leaky_relu", 2, 16, 1, 6e-2, False),
        ],
        columns=["activation", "depth", "width", "repeat", "test_mse", "diverged"],
    )
    fits["val_mse"] = fits["test_mse"][::-1].to_numpy()  # validation would pick the other way round
    return {
        "runge_table1_test_mse": pd.DataFrame(
            [
                {"row": "untuned", "test_mse": 7e-5, "deterministic": False},
                {"row": "ols", "test_mse": 1e-2, "deterministic": True},
            ]
        ),
        "runge_table1_seeds": pd.DataFrame(
            {"row": ["untuned", "untuned", "l2"], "training_seed": [0, 1, 0], "test_mse": [7e-5, 9e-5, 3e-6]}
        ),
        "runge_baseline_selection": pd.DataFrame(
            [
                {"kind": "ols", "noise_std": 0.0, "degree": 8, "lam": 0.0, "chosen": True},
                {"kind": "ols", "noise_std": 0.0, "degree": 12, "lam": 0.0, "chosen": False},
                {"kind": "ridge", "noise_std": 0.0, "degree": 12, "lam": 1e-6, "chosen": True},
            ]
        ),
        "runge_optimizer_lr_mse": pd.DataFrame(
            {
                "optimizer": ["adam", "rmsprop", "sgd"],
                "learning_rate": [0.05, 0.01, 0.5],
                "chosen": [False, True, False],
            }
        ),
        "runge_optimizer_lr_fits": pd.DataFrame(
            {
                "optimizer": ["adam", "sgd", "sgd", "sgd", "sgd"],
                "learning_rate": [0.05, 0.1, 0.1, 0.5, 0.5],
                "test_mse": [1e-5, 0.07, 0.08, 0.06, math.nan],
                "diverged": [False, False, False, False, True],
            }
        ),
        "runge_table4_hyperparameters": pd.DataFrame(
            [
                {"penalty": "l2", "lam": 1e-5, "learning_rate": 0.01, "batch_size": 32},
                {"penalty": "l1", "lam": 1e-4, "learning_rate": 0.003, "batch_size": 16},
            ]
        ),
        **{
            f"runge_{penalty}_{sweep}_mse": pd.DataFrame({key: values})
            for penalty, sweeps in SWEEPS.items()
            for (sweep, key), values in sweeps.items()
        },
        "runge_depth_width_fits": fits,
        "verify_sklearn_parity": pd.DataFrame(
            [
                {"setting": "independent", "architecture": "Arch 1", "l2_norm": 0.3, "mad": 0.06},
                {"setting": "shared", "architecture": "Arch 1", "l2_norm": 1e-9, "mad": 1e-10},
            ]
        ),
        "verify_gradients_autograd": pd.DataFrame(
            [
                {
                    "network": "[50-50-1] sigmoid",
                    "initializer": "normal",
                    "layer": 0,
                    "param": "W",
                    "l2_diff_autograd": 4e-21,
                },
                {
                    "network": "[50-50-1] sigmoid",
                    "initializer": "normal",
                    "layer": 0,
                    "param": "b",
                    "l2_diff_autograd": 5e-18,
                },
                {
                    "network": "[50-50-1] sigmoid",
                    "initializer": "xavier",
                    "layer": 0,
                    "param": "W",
                    "l2_diff_autograd": 6e-17,
                },
            ]
        ),
        "fashion_table5_models": pd.DataFrame(
            [
                {"role": "baseline", "accuracy": 0.8, "precision": 0.81, "recall": 0.8, "f1": 0.805, "seconds": 100.0},
                {"role": "chosen", "accuracy": 0.0, "precision": 0.0, "recall": 0.0, "f1": 0.0, "seconds": 0.0},
            ]
        ),
        "fashion_chosen_seeds": pd.DataFrame(
            {
                "training_seed": [0, 1],
                "epochs": [3, 2],
                "test_accuracy": [0.88, 0.84],
                "test_precision": [0.89, 0.85],
                "test_recall": [0.87, 0.83],
                "test_f1": [0.86, 0.82],
                "seconds": [20.0, 30.0],
            }
        ),
        "fashion_selection": pd.DataFrame(
            {
                "grid": ["pyramid", "lr_batch", "optimizer_lambda", "activation", None],
                "n_seeds": [5, 5, 5, 5, None],
                "winner_test_accuracy_sd": [0.01, 0.02, 0.02, 0.02, None],
                "runner_up_test_accuracy_sd": [0.02, 0.02, 0.02, 0.02, None],
            }
        ),
        "fashion_chosen_curves": pd.DataFrame({"epoch": [1, 2, 3, 4], "val_accuracy": [0.7, 0.8, 0.85, 0.84]}),
        "fashion_pyramid_accuracy": pd.DataFrame(
            {
                "architecture": ["[512-10]", "[64-10]", "[512-256-10]"],
                "val_accuracy": [0.85, 0.80, 0.86],
                "test_accuracy": [0.84, 0.70, 0.83],
                "selected": [False, False, True],
            }
        ),
        "fashion_lr_batch_accuracy": pd.DataFrame(
            {
                "learning_rate": [5e-4, 5e-3],
                "batch_size": [128, 64],
                "test_accuracy": [0.8, 0.7],
                "selected": [False, True],
            }
        ),
        "fashion_optimizer_lambda_accuracy": pd.DataFrame(
            {"optimizer": ["adam", "sgd"], "lam": [1e-5, 1e-2], "test_accuracy": [0.8, 0.7], "selected": [True, False]}
        ),
        "fashion_activation_accuracy": pd.DataFrame(
            {"activation": ["relu", "sigmoid"], "test_accuracy": [0.8, 0.7], "selected": [False, True]}
        ),
    }


@pytest.fixture(scope="module")
def ours() -> dict[str, Ours]:
    return our_numbers(hand_made_tables())


def test_every_audited_table_is_read(ours):
    assert set(hand_made_tables()) == set(AUDITED_TABLES)


def test_table1_networks_are_their_seeds_and_baselines_one_value(ours):
    assert ours["runge_table1/untuned/test_mse"].runs == (7e-5, 9e-5)
    assert ours["runge_table1/untuned/test_mse"].spread_source == "2 training seeds of this model"
    assert ours["runge_table1/ols/test_mse"] == Ours((1e-2,), "deterministic model")


def test_chosen_baselines_optimizer_and_table4_settings(ours):
    assert ours["runge_baselines/ols_0/degree"].runs == (8.0,)  # the chosen row, not the other OLS row
    assert ours["runge_baselines/ridge_0/lam"].runs == (1e-6,)
    assert ours["runge_optimizer_lr/chosen/optimizer"].runs == ("rmsprop",)
    assert ours["runge_optimizer_lr/chosen/learning_rate"].runs == (0.01,)
    assert [ours[f"runge_table4/l2/{key}"].runs[0] for key in ("lam", "learning_rate", "batch_size")] == [
        1e-5,
        0.01,
        32,
    ]
    assert [ours[f"runge_table4/l1/{key}"].runs[0] for key in ("lam", "learning_rate", "batch_size")] == [
        1e-4,
        0.003,
        16,
    ]


def test_a_choice_carries_the_values_its_own_grid_offered(ours):
    assert ours["runge_baselines/ols_0/degree"].candidates == (8.0, 12.0)  # OLS's rows, not Ridge's
    assert ours["runge_baselines/ridge_0/lam"].candidates == (1e-6,)
    assert ours["runge_optimizer_lr/chosen/optimizer"].candidates == ("adam", "rmsprop", "sgd")
    assert ours["runge_table4/l2/lam"].candidates == (1e-6, 1e-5, 1e-4)  # the lambda sweep of L2, not L1's
    assert ours["runge_table4/l1/learning_rate"].candidates == (0.003, 0.01, 0.03)
    assert ours["runge_table4/l1/batch_size"].candidates == (8.0, 16.0)  # each value once
    assert ours["fashion_grids/pyramid/architecture"].candidates == ("[512-10]", "[64-10]", "[512-256-10]")
    assert ours["fashion_grids/lr_batch/batch_size"].candidates == (128.0, 64.0)
    assert ours["fashion_chosen/epochs"].candidates == (1.0, 2.0, 3.0, 4.0)


def test_plain_gd_pools_its_finite_test_scores_over_learning_rates(ours):
    assert ours["runge_optimizer_lr/sgd/test_mse"].runs == (0.07, 0.08, 0.06)


def test_table6_cells_are_their_restarts_test_scores(ours):
    assert ours["runge_depth_width/sigmoid/1/8/test_mse"].runs == (1e-3, 2e-3)
    assert ours["runge_depth_width/relu/1/8/test_mse"].runs == (1e-5, 4e-5)  # the diverged restart left out
    assert ours["runge_depth_width/leaky_relu/2/16/test_mse"].spread_source == "2 restarts of this cell"


def test_the_best_of_the_grid_is_its_lowest_test_mse(ours):
    best = ours["runge_depth_width/best/test_mse"]
    assert best.runs == (1e-5, 4e-5) and "relu, 1x8" in best.spread_source


def test_table2_is_the_independent_setting_and_table3_the_weights(ours):
    assert ours["verify_sklearn/Arch 1/l2_norm"].runs == (0.3,) and ours["verify_sklearn/Arch 1/mad"].runs == (0.06,)
    assert ours["verify_gradients/sigmoid/0/l2_diff"].runs == (4e-21,)


def test_table5_reads_the_seeds_and_the_ratios_point_the_studys_way(ours):
    assert ours["fashion_table5/study_settings/accuracy"].runs == (0.88, 0.84)
    assert ours["fashion_table5/study_settings/f1"].runs == (0.86, 0.82)
    assert ours["fashion_table5/baseline/accuracy"] == Ours((0.8,), "deterministic model")
    improvement = ours["fashion_table5/relative_improvement"].runs
    assert improvement == (pytest.approx(0.88 / 0.8 - 1), pytest.approx(0.84 / 0.8 - 1))  # > 0: the network is better
    assert ours["fashion_table5/runtime_reduction"].runs == (pytest.approx(0.8), pytest.approx(0.7))
    assert ours["fashion_chosen/epochs"].runs == (3.0, 2.0)


def test_the_best_test_accuracy_of_a_grid_is_its_maximum_with_a_pooled_spread(ours):
    best = ours["fashion_grids/pyramid/best_test_accuracy"]
    assert best.runs == (0.84,)
    sd, dof = best.borrowed
    assert sd == pytest.approx(math.sqrt((0.01**2 + 0.02**2) / 2)) and dof == 8


def test_fashion_grid_choices_are_the_validation_selected_cells(ours):
    assert ours["fashion_grids/pyramid/architecture"].runs == ("[512-256-10]",)
    assert ours["fashion_grids/lr_batch/learning_rate"].runs == (5e-3,)
    assert ours["fashion_grids/lr_batch/batch_size"].runs == (64.0,)
    assert ours["fashion_grids/optimizer_lambda/optimizer"].runs == ("adam",)
    assert ours["fashion_grids/activation/activation"].runs == ("sigmoid",)


def test_every_key_of_the_study_numbers_is_named_by_our_numbers_keys():
    """Every `ours` key of the study's numbers has the shape of a key that our_numbers makes."""
    numbers = load_study_numbers(STUDY_NUMBERS)
    made = our_numbers(hand_made_tables())
    prefixes = {key.rsplit("/", 1)[0].split("/")[0] for key in made}
    assert set(numbers["ours"].str.split("/").str[0]) <= prefixes


# ---------------------------------------------------------------- the quick build's audit


@pytest.mark.build
def test_quick_build_audit_judges_every_study_number_with_a_value_of_ours():
    audit = pd.read_csv(ROOT / "results" / "audit" / "audit.csv")
    numbers = load_study_numbers(STUDY_NUMBERS)
    assert audit["id"].tolist() == numbers["id"].tolist()
    assert audit["verdict"].isin(VERDICTS).all(), audit.loc[~audit["verdict"].isin(VERDICTS), ["id", "verdict"]]
    assert audit["ours_mean"].notna().all() and (audit["ours_mean"].astype(str) != "").all(), audit.loc[
        audit["ours_mean"].isna(), "id"
    ]
    assert audit["study_value"].notna().all()
    apart = audit["verdict"] == "not comparable"
    assert apart.sum() <= 3 and audit.loc[apart, "reason"].notna().all() and audit.loc[~apart, "reason"].isna().all()
    choices = audit["better"] == "choice"
    assert audit.loc[choices | apart, "verdict"].isin(["same", "different", "outside our grid", "not comparable"]).all()
    # every choice names the grid it was made on, and a study value outside it is never "different"
    assert (audit.loc[choices, "grid_values"].fillna("") != "").all()
    outside = audit["verdict"] == "outside our grid"
    for row in audit[outside].itertuples():
        assert str(row.study_value) not in str(row.grid_values).split(", "), row.id
    assert audit.loc[~choices & ~apart, "verdict"].isin(["reproduced", "better", "worse"]).all()
    spread = audit["spread_dof"] > 0
    assert spread.any()
    mean = audit.loc[spread, "ours_mean"].astype(float)
    # one run's interval holds the mean's, which holds the mean
    assert (audit.loc[spread, "ours_pi_low"] <= audit.loc[spread, "ours_ci_low"]).all()
    assert (audit.loc[spread, "ours_ci_low"] <= mean).all() and (mean <= audit.loc[spread, "ours_ci_high"]).all()
    assert (audit.loc[spread, "ours_ci_high"] <= audit.loc[spread, "ours_pi_high"]).all()
    log = audit["scale"] == "log"
    assert (audit.loc[log & spread, "ours_pi_low"] > 0).all()
    # every Table VI cell is now judged on test, with its restarts' spread
    table6 = audit[audit["location"] == "Table VI"]
    assert (
        len(table6) == 60
        and (table6["spread_dof"] >= 1).all()
        and table6["verdict"].isin(["reproduced", "better", "worse"]).all()
    )
