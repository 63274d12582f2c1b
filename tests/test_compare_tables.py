"""The build-comparison tool: equal tables agree, timing columns are left out, every real difference is named."""

import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "workflow" / "tools" / "compare_tables.py"


def _build(root: Path, tables: dict[str, str]) -> Path:
    for name, text in tables.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _compare(baseline: Path, new: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), str(baseline), str(new), *args], capture_output=True, text=True)


@pytest.fixture
def baseline(tmp_path):
    return _build(tmp_path / "old", {"runge/mse.csv": "cell,mse,seconds\na,0.125,3.0\nb,0.5,4.0\n"})


def test_equal_tables_agree_whatever_their_timings(tmp_path, baseline):
    new = _build(tmp_path / "new", {"runge/mse.csv": "cell,mse,seconds\na,0.125,9.0\nb,0.5,1.0\n"})
    result = _compare(baseline, new)
    assert result.returncode == 0, result.stdout
    assert "1 of 1 tables agree (1 bit for bit" in result.stdout


def test_a_timing_row_is_left_out_and_a_missing_value_equals_a_missing_value(tmp_path):
    old = _build(tmp_path / "old", {"audit.csv": "id,ours,verdict\nfit-mse,0.5,\ntable5-runtime,3.0,x\n"})
    new = _build(tmp_path / "new", {"audit.csv": "id,ours,verdict\nfit-mse,0.5,\ntable5-runtime,9.0,y\n"})
    assert _compare(old, new).returncode == 0
    assert _compare(old, new, "--ignore-rows", "^$").returncode == 1


def test_a_rounding_difference_is_measured_and_judged_by_the_tolerance(tmp_path, baseline):
    new = _build(tmp_path / "new", {"runge/mse.csv": "cell,mse,seconds\na,0.125,3.0\nb,0.5000001,4.0\n"})
    strict = _compare(baseline, new)
    assert strict.returncode == 1
    assert "differs  runge/mse.csv mse: largest |diff| 1e-07, relative 2e-07" in strict.stdout
    assert _compare(baseline, new, "--rtol", "1e-6").returncode == 0


@pytest.mark.parametrize(
    ("tables", "verdict"),
    [
        ({"runge/mse.csv": "cell,mse,seconds\na,0.125,3.0\n"}, "shape"),
        ({"runge/mse.csv": "cell,mse,seconds\na,0.125,3.0\nc,0.5,4.0\n"}, "differs"),
        ({"runge/other.csv": "x\n1\n"}, "missing"),
    ],
    ids=["a row lost", "a label changed", "a table missing"],
)
def test_every_kind_of_difference_fails(tmp_path, baseline, tables, verdict):
    result = _compare(baseline, _build(tmp_path / "new", tables))
    assert result.returncode == 1
    assert verdict in result.stdout


def test_a_missing_folder_is_named(tmp_path, baseline):
    result = _compare(baseline, tmp_path / "nowhere")
    assert result.returncode == 2
    assert "nowhere is not a folder" in result.stderr
