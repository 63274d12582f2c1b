"""The study's claims file and their evaluation (ffnn.claims)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ffnn.claims import (
    CLAIM_TABLES,
    DERIVED_TABLES,
    HELD,
    KINDS,
    NOT_HELD,
    NOT_TESTABLE,
    VERDICTS,
    claim_tables,
    claims_table,
    evaluate_claim,
    load_claims,
    paired_runs,
    parse_selector,
    side_runs,
)

ROOT = Path(__file__).resolve().parents[1]
STUDY_CLAIMS = ROOT / "report" / "study_claims.csv"


def _claim(**changes) -> dict:
    claim = {
        "id": "c",
        "location": "Fig. 1",
        "claim": "a beats b",
        "table": "t",
        "metric": "test_mse",
        "scale": "raw",
        "better": "lower",
        "kind": "beats",
        "a": "setting=a",
        "b": "setting=b",
        "within": "",
        "pair": "seed",
        "needs": "",
        "tolerance": float("nan"),
    }
    return {**claim, **changes}


def _fits(a: list[float], b: list[float], seeds: list[int] | None = None) -> pd.DataFrame:
    seeds = seeds if seeds is not None else list(range(len(a)))
    return pd.DataFrame(
        {"setting": ["a"] * len(a) + ["b"] * len(b), "seed": seeds + list(range(len(b))), "test_mse": a + b}
    )


def test_lower_is_better_holds_when_a_is_lower_and_the_difference_favours_the_claim():
    row = evaluate_claim(_claim(), _fits([1.0, 2.0, 3.0], [2.0, 3.5, 4.0]))
    assert row["verdict"] == HELD
    assert row["a_value"] == pytest.approx(2.0) and row["b_value"] == pytest.approx(9.5 / 3)
    assert row["difference_mean"] == pytest.approx(np.mean([1.0, 1.5, 1.0]))
    assert row["significant"] == "yes" and row["p_value"] < 0.05


def test_higher_is_better_flips_the_direction():
    fits = _fits([1.0, 2.0, 3.0], [2.0, 3.5, 4.0])
    assert evaluate_claim(_claim(better="higher"), fits)["verdict"] == NOT_HELD
    assert evaluate_claim(_claim(better="higher", a="setting=b", b="setting=a"), fits)["verdict"] == HELD


def test_a_mean_in_the_claimed_direction_holds_even_when_not_significant():
    row = evaluate_claim(_claim(), _fits([1.0, 5.0], [2.0, 4.5]))
    assert row["verdict"] == HELD and row["significant"] == "no"


def test_runs_are_paired_by_seed_not_by_row_order():
    # a is better than b seed by seed (by 0.5); paired by row order the differences would be 9.5, -0.5, -4.5
    fits = pd.DataFrame(
        {"setting": list("aaabbb"), "seed": [0, 1, 2, 2, 0, 1], "test_mse": [1.0, 5.0, 10.0, 10.5, 1.5, 5.5]}
    )
    row = evaluate_claim(_claim(), fits)
    assert row["difference_ci_low"] > 0 and row["difference_mean"] == pytest.approx(0.5)


def test_only_seeds_both_sides_ran_are_paired():
    a = pd.Series([1.0, 2.0, 3.0], index=[0, 1, 2])
    b = pd.Series([2.5, 3.5], index=[1, 2])
    first, second = paired_runs(a, b)
    assert first.tolist() == [2.0, 3.0] and second.tolist() == [2.5, 3.5]


def test_a_single_deterministic_run_meets_every_seed_of_the_other_side():
    a = pd.Series([1.0, 2.0], index=[0, 1])
    b = pd.Series([3.0], index=[np.nan])
    first, second = paired_runs(a, b)
    assert first.tolist() == [1.0, 2.0] and second.tolist() == [3.0, 3.0]


def test_log_scale_averages_as_a_geometric_mean():
    rows = pd.DataFrame({"seed": [0, 0], "test_mse": [1e-2, 1e-4]})
    runs = side_runs(rows, "test_mse", "log", "seed")
    assert runs.tolist() == [pytest.approx(-3.0)]


def test_a_diverged_fit_is_left_out_of_its_side():
    rows = pd.DataFrame({"seed": [0, 0, 1], "test_mse": [1.0, 1e6, 3.0], "diverged": [False, True, False]})
    assert side_runs(rows, "test_mse", "raw", "seed").tolist() == [1.0, 3.0]


def test_a_grid_value_we_do_not_have_is_not_testable_and_says_what_is_missing():
    row = evaluate_claim(_claim(a="setting=c"), _fits([1.0, 2.0], [2.0, 3.0]))
    assert row["verdict"] == NOT_TESTABLE and "a_value" not in row
    assert "setting=c" in row["reason"] and "a, b" in row["reason"]
    row = evaluate_claim(_claim(b="setting=c"), _fits([1.0, 2.0], [2.0, 3.0]))
    assert row["verdict"] == NOT_TESTABLE and "a_value" not in row and "setting=c" in row["reason"]


def test_needs_beyond_the_grid_is_not_testable():
    fits = _fits([1.0, 2.0], [2.0, 3.0]).assign(epoch=3.0)
    row = evaluate_claim(_claim(needs="epoch>=60"), fits)
    assert row["verdict"] == NOT_TESTABLE and "epoch 3" in row["reason"] and "60" in row["reason"]


def test_best_compares_with_the_best_rival():
    fits = pd.concat([_fits([1.0, 2.0], [5.0, 6.0]), _fits([], [0.5, 0.6]).assign(setting="c")], ignore_index=True)
    row = evaluate_claim(_claim(kind="best", b=""), fits)
    assert row["b"] == "setting=c" and row["verdict"] == NOT_HELD
    row = evaluate_claim(_claim(kind="best", b="", a="setting=c"), fits)
    assert row["b"] == "setting=a" and row["verdict"] == HELD


def test_min_and_max_resolve_within_the_restricted_table():
    table = pd.DataFrame({"depth": [1, 2, 1, 5], "group": ["x", "x", "y", "y"], "test_mse": [2.0, 1.0, 1.0, 9.0]})
    claim = _claim(a="depth=max", b="depth=min", within="group=x", pair="")
    row = evaluate_claim(claim, table)
    assert row["verdict"] == HELD and row["a_value"] == 1.0 and row["b_value"] == 2.0


def test_matches_holds_within_the_tolerance_only():
    fits = _fits([1.0, 2.0], [1.05, 2.05])
    assert evaluate_claim(_claim(kind="matches", tolerance=0.1), fits)["verdict"] == HELD
    assert evaluate_claim(_claim(kind="matches", tolerance=0.01), fits)["verdict"] == NOT_HELD


def test_small_holds_when_every_value_is_within_the_tolerance():
    table = pd.DataFrame({"param": ["W", "b"], "diff": [1e-16, 1e-10]})
    claim = _claim(kind="small", a="param=W|b", b="", metric="diff", tolerance=1e-12, pair="")
    assert evaluate_claim(claim, table)["verdict"] == NOT_HELD
    assert evaluate_claim({**claim, "a": "param=W"}, table)["verdict"] == HELD


def test_selector_parsing_and_errors():
    (condition,) = parse_selector("lam<=0.01")
    assert (condition.column, condition.op, condition.values) == ("lam", "<=", (0.01,))
    assert parse_selector("") == ()
    with pytest.raises(ValueError, match="alternatives"):
        parse_selector("lam<1|2")
    with pytest.raises(ValueError, match="column<op>value"):
        parse_selector("depth")


def test_a_bad_claims_file_is_refused_naming_the_problem(tmp_path):
    claims = pd.read_csv(STUDY_CLAIMS)
    claims.loc[0, "table"] = "no_such_table"
    claims.loc[1, "kind"] = "dominates"
    path = tmp_path / "claims.csv"
    claims.to_csv(path, index=False)
    with pytest.raises(ValueError) as error:
        load_claims(path)
    assert "no_such_table" in str(error.value) and "dominates" in str(error.value)


def test_a_column_the_table_lacks_is_refused_before_any_claim_is_evaluated():
    claims = pd.DataFrame([_claim(table="t", a="width=4")])
    with pytest.raises(ValueError, match="width"):
        claims_table(claims, {"t": _fits([1.0], [2.0])})


def test_every_study_claim_parses_and_names_a_known_kind_and_table():
    claims = load_claims(STUDY_CLAIMS)
    assert set(claims["kind"]) <= set(KINDS)
    assert set(claims["table"]) <= set(CLAIM_TABLES) | set(DERIVED_TABLES)
    assert 20 <= len(claims) <= 45


# ---------------------------------------------------------------- the quick build's claims


@pytest.mark.build
def test_quick_build_gives_every_claim_a_verdict():
    built = pd.read_csv(ROOT / "results" / "audit" / "claims.csv")
    claims = load_claims(STUDY_CLAIMS)
    assert built["id"].tolist() == claims["id"].tolist()
    assert built["verdict"].isin(VERDICTS).all()
    untestable = built["verdict"] == NOT_TESTABLE
    assert built.loc[untestable, "reason"].notna().all()
    assert built.loc[~untestable & (built["kind"] != "small"), "b_value"].notna().all()


@pytest.mark.build
def test_the_built_tables_evaluate_as_the_rule_wrote_them():
    read = {name: pd.read_csv(ROOT / path) for name, path in CLAIM_TABLES.items()}
    table = claims_table(load_claims(STUDY_CLAIMS), claim_tables(read))
    built = pd.read_csv(ROOT / "results" / "audit" / "claims.csv")
    assert table["verdict"].tolist() == built["verdict"].tolist()
