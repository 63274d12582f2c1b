"""The study's published numbers come from report/study_numbers.csv alone: a bad file is refused by
name, and each table's lookup reads its own rows (not a repeat in the text, not another table's)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ffnn.study_numbers import (
    STUDY_COLUMNS,
    load_study_numbers,
    published,
    study_epochs,
    table1_reference,
    table2_reference,
    table3_reference,
    table4_reference,
    table5_reference,
    table6_reference,
)

ROOT = Path(__file__).resolve().parents[1]
STUDY_NUMBERS = ROOT / "report" / "study_numbers.csv"


@pytest.fixture(scope="module")
def numbers() -> pd.DataFrame:
    return load_study_numbers(STUDY_NUMBERS)


def number_row(value, number_id="x", better="lower", scale="raw", ours="key", repeats="", location="Table I"):
    return {
        "id": number_id,
        "location": location,
        "model": "m",
        "metric": "test MSE",
        "study_value": value,
        "better": better,
        "scale": scale,
        "study_settings": "",
        "ours": ours,
        "not_comparable": "",
        "repeats": repeats,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(columns="ours"), "missing columns"),
        (lambda t: pd.concat([t, t]), "ids used twice"),
        (lambda t: t.assign(study_value="about 1"), "not numbers"),
        (lambda t: t.assign(study_value=""), "without a study value"),
        (lambda t: t.assign(better="smaller"), "`better` must be one of"),
        (lambda t: t.assign(scale="logit"), "`scale` must be one of"),
        (lambda t: t.assign(repeats=["", "nowhere"]), "not an earlier row"),
        (lambda t: t.assign(ours=["a", "b"]), "another number of ours"),
    ],
)
def test_a_bad_file_is_refused_by_name(tmp_path, change, message):
    good = pd.DataFrame([number_row("1.0"), number_row("1.0", number_id="y", repeats="x")], columns=STUDY_COLUMNS)
    load_study_numbers(_written(good, tmp_path))  # the unchanged file passes
    path = _written(change(good), tmp_path)
    with pytest.raises(ValueError, match=message) as refused:
        load_study_numbers(path)
    assert str(path) in str(refused.value)


def _written(table: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "numbers.csv"
    table.to_csv(path, index=False)
    return path


def test_published_reads_one_row_as_yaml_would_type_it(numbers):
    assert published(numbers, "table4-l1-batch_size") == 50 and isinstance(
        published(numbers, "table4-l1-batch_size"), int
    )
    assert published(numbers, "table4-l1-lam") == 1.0e-4
    assert published(numbers, "fig26-optimizer") == "adam"
    with pytest.raises(KeyError, match="study_numbers.csv.*'table9-x'"):
        published(numbers, "table9-x")


def test_table1_reads_the_tables_rows_not_the_texts_repeats(numbers):
    table1 = table1_reference(numbers)
    # the 11 test MSEs, not the chosen degrees and lambdas printed in the same table
    assert list(table1) == [
        "untuned",
        "ols",
        "ffnn1",
        "ffnn2",
        "ols_noise",
        "ffnn1_noise",
        "ffnn2_noise",
        "ridge",
        "lasso",
        "l2",
        "l1",
    ]
    assert table1["l2"]["test_mse"] == 2.94e-6  # Table I's, not Sec. III.A's 2.96e-6
    assert table1["ffnn2"]["test_mse"] == 3.58e-5  # not Fig. 3's 3.6e-5
    assert table1["ridge"] == {"settings": "p = 13, lambda = 1e-5", "test_mse": 1.9e-3}
    # the model's settings; the noise is in our Table I's noise_std column
    assert table1["ffnn1_noise"] == {"settings": "[50-1], sigmoid", "test_mse": 1.36e-2}


def test_table4_and_table6(numbers):
    assert table4_reference(numbers) == {
        "l2": {"lam": 1.0e-5, "learning_rate": 0.01, "batch_size": 32},
        "l1": {"lam": 1.0e-4, "learning_rate": 0.01, "batch_size": 50},
    }
    cells = {
        (cell["activation"], cell["depth"], cell["width"]): cell["study_test_mse"] for cell in table6_reference(numbers)
    }
    assert len(cells) == 3 * 4 * 5
    assert cells[("leaky_relu", 4, 128)] == 1.541e-6  # not Sec. III.A.5's rounded 1.54e-06
    assert cells[("sigmoid", 3, 8)] == 8.401e-2 and cells[("relu", 1, 128)] == 8.919e-4


def test_tables_2_and_3(numbers):
    assert table2_reference(numbers) == {
        "Arch 1": {"l2_norm": 0.345, "mad": 0.0672},
        "Arch 2": {"l2_norm": 1.18, "mad": 0.198},
        "Arch 3": {"l2_norm": 0.0882, "mad": 0.0161},
        "Arch 4": {"l2_norm": 0.0482, "mad": 0.00856},
    }
    # by our gradient table's network names: the study's "ReLU" is our "relu"
    assert table3_reference(numbers) == {
        "[50-50-1] sigmoid": [4.26e-21, 4.98e-18, 1.92e-16],
        "[20-20-20-1] relu": [0.0] * 4,
    }


def test_table3_refuses_a_network_missing_a_layer(numbers, tmp_path):
    path = _written(numbers[numbers["id"] != "table3-sigmoid-layer1"], tmp_path)
    with pytest.raises(ValueError, match=r"\[50-50-1\] sigmoid, which has 3 weight layers, the layers \[0, 2\]"):
        table3_reference(load_study_numbers(path))


def test_two_rows_beside_one_number_of_ours_are_refused(numbers, tmp_path):
    twice = numbers.copy()
    twice.loc[twice["id"] == "table1-l1", "ours"] = "runge_table1/l2/test_mse"
    with pytest.raises(
        ValueError, match="rows table1-l2 and table1-l1 of Table I both stand beside runge_table1/l2/test_mse"
    ):
        table1_reference(load_study_numbers(_written(twice, tmp_path)))


def test_table5_and_the_epochs(numbers):
    assert table5_reference(numbers) == {
        "baseline": {"accuracy": 0.8442, "precision": 0.8431, "recall": 0.8442, "f1": 0.8434, "seconds": 538.8},
        "study_settings": {"accuracy": 0.8918, "precision": 0.8933, "recall": 0.8918, "f1": 0.8921, "seconds": 175.2},
    }
    assert study_epochs(numbers) == 60
