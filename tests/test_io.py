"""Atomic result files: JSON conversion, CSV round trip, and no half-written files."""

import json

import numpy as np
import pandas as pd
import pytest

from threadpoolctl import threadpool_info

from ffnn.io import load_json, logged, save_json, save_table


def leftovers(directory, target_name):
    """Files in ``directory`` other than the target: temp files that should not survive."""
    return sorted(p.name for p in directory.iterdir() if p.name != target_name)


def test_save_json_converts_numpy_types(tmp_path):
    record = {
        "float64": np.float64(0.25),
        "float32": np.float32(0.5),
        "int": np.int64(7),
        "bool": np.bool_(True),
        "array": np.arange(3),
        "matrix": np.eye(2, dtype=np.float32),
        "tuple": (1, np.int32(2)),
        np.int64(3): "numpy key",
        "nested": [{"x": np.float64(1.5)}],
    }
    save_json(record, tmp_path / "r.json")
    assert load_json(tmp_path / "r.json") == {
        "float64": 0.25,
        "float32": 0.5,
        "int": 7,
        "bool": True,
        "array": [0, 1, 2],
        "matrix": [[1.0, 0.0], [0.0, 1.0]],
        "tuple": [1, 2],
        "3": "numpy key",
        "nested": [{"x": 1.5}],
    }


def test_save_json_writes_non_finite_as_null(tmp_path):
    record = {"nan": float("nan"), "np_nan": np.float32("nan"), "inf": np.inf, "curve": np.array([1.0, np.nan, -np.inf])}
    save_json(record, tmp_path / "r.json")
    text = (tmp_path / "r.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    # Strict JSON: a parser that rejects NaN/Infinity constants must accept the file.
    strict = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard constant {name}"))
    assert strict == {"nan": None, "np_nan": None, "inf": None, "curve": [1.0, None, None]}


def test_save_json_floats_round_trip_exactly(tmp_path, rng):
    values = rng.standard_normal(20)
    save_json({"v": values}, tmp_path / "r.json")
    assert load_json(tmp_path / "r.json")["v"] == values.tolist()


def test_save_json_creates_parents_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "cells" / "grid" / "cell.json"
    save_json({"a": 1}, target)
    assert load_json(target) == {"a": 1}
    assert leftovers(target.parent, target.name) == []


def test_save_json_replaces_existing_file(tmp_path):
    target = tmp_path / "r.json"
    save_json({"old": True}, target)
    save_json({"new": True}, target)
    assert load_json(target) == {"new": True}
    assert leftovers(tmp_path, target.name) == []


def test_failed_json_write_leaves_target_untouched(tmp_path):
    target = tmp_path / "r.json"
    save_json({"good": 1}, target)
    before = target.read_bytes()
    # json.dump has already written "good" to the temp file when it meets the object.
    with pytest.raises(TypeError):
        save_json({"good": 2, "bad": object()}, target)
    assert target.read_bytes() == before
    assert leftovers(tmp_path, target.name) == []


def test_failed_first_write_creates_nothing(tmp_path):
    target = tmp_path / "r.json"
    with pytest.raises(TypeError):
        save_json({"bad": object()}, target)
    assert list(tmp_path.iterdir()) == []


def test_save_table_round_trip(tmp_path, rng):
    table = pd.DataFrame(
        {
            "depth": np.arange(1, 6),
            "activation": ["sigmoid", "relu", "leaky_relu", "relu", "sigmoid"],
            "mse": rng.random(5),
            "diverged": [False, False, True, False, False],
        }
    )
    table.loc[2, "mse"] = np.nan
    target = tmp_path / "tables" / "runge_depth_width_mse.csv"
    save_table(table, target)
    assert target.read_text().splitlines()[0] == "depth,activation,mse,diverged"  # no index column
    pd.testing.assert_frame_equal(pd.read_csv(target), table, check_exact=True)
    assert leftovers(target.parent, target.name) == []


def test_failed_table_write_leaves_target_untouched(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    save_table(pd.DataFrame({"a": [1, 2]}), target)
    before = target.read_bytes()

    def write_half_then_fail(self, stream, **kwargs):
        stream.write("a\n3\n")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        save_table(pd.DataFrame({"a": [3, 4]}), target)
    assert target.read_bytes() == before
    assert leftovers(tmp_path, target.name) == []


def _blas_threads():
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_logged_sends_output_and_a_failure_to_the_log_and_pins_blas_threads(tmp_path, capsys):
    log = tmp_path / "job.log"
    with logged([log], blas_threads=1):
        print("inside")
        assert _blas_threads() == {1}
    with pytest.raises(ValueError, match="bad setting"), logged([log]):
        print("second job")
        raise ValueError("bad setting")
    text = log.read_text()
    assert text.startswith("second job") and "ValueError: bad setting" in text
    assert "inside" not in capsys.readouterr().out


def test_logged_without_a_log_leaves_output_alone(capsys):
    with logged([]):
        print("to the terminal")
    assert capsys.readouterr().out == "to the terminal\n"
