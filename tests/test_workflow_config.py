"""A bad configuration stops `snakemake` before any job, with a message naming the key.

Each test writes a small YAML file of overrides; Snakemake merges it over config/config.yaml
(as it merges config/quick.yaml) and must refuse the result while validating, i.e. before it
builds the DAG of jobs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
DAG_STARTED = "Building DAG of jobs"


def dry_run(overrides: dict, tmp_path: Path, target: str = "runge_all") -> subprocess.CompletedProcess:
    """``snakemake <target> --dry-run`` with the quick config and ``overrides`` merged over it."""
    override_file = tmp_path / "overrides.yaml"
    override_file.write_text(yaml.safe_dump(overrides))
    command = [
        str(SNAKEMAKE),
        target,
        "--dry-run",
        "--nolock",
        "--cores",
        "1",
        "--configfile",
        "config/quick.yaml",
        str(override_file),
    ]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def assert_refused(result: subprocess.CompletedProcess, *names: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"snakemake accepted a bad config:\n{output[-3000:]}"
    assert DAG_STARTED not in output, f"snakemake got as far as the DAG before refusing:\n{output[-3000:]}"
    assert "ValidationError" in output, output[-3000:]
    for name in names:
        assert name in output, f"error does not name {name!r}:\n{output[-3000:]}"


def test_quick_config_is_accepted(tmp_path):
    result = dry_run({}, tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert DAG_STARTED in result.stdout + result.stderr


def test_bad_study_numbers_are_refused_before_the_dag(tmp_path):
    # The published numbers are read once while the workflow is parsed, so a bad row stops every job.
    numbers = (ROOT / "report" / "study_numbers.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "study_numbers.csv"
    bad.write_text("\n".join([*numbers, numbers[1]]) + "\n", encoding="utf-8")  # Table I's first number twice
    result = dry_run({"audit": {"study_numbers": str(bad)}}, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and DAG_STARTED not in output, output[-3000:]
    assert str(bad) in output and "ids used twice: ['table1-untuned']" in output, output[-3000:]


def test_unknown_top_level_key_is_refused(tmp_path):
    assert_refused(dry_run({"runge_typo": {"repeats": 2}}, tmp_path), "runge_typo")


@pytest.mark.parametrize(
    "overrides, names",
    [
        ({"runge": {"repeat": 3}}, ["repeat"]),  # typo of `repeats`
        ({"runge": {"optimizer_lr": {"learning_rate": [0.01]}}}, ["learning_rate"]),
        ({"runge": {"depth_width": {"training": {"optimiser": "adam"}}}}, ["optimiser"]),
    ],
)
def test_unknown_runge_key_is_refused(tmp_path, overrides, names):
    assert_refused(dry_run(overrides, tmp_path), *names)


@pytest.mark.parametrize(
    "overrides, names",
    [
        ({"seed": -1}, ["seed", "minimum"]),
        ({"runge": {"repeats": 0}}, ["repeats", "minimum"]),
        ({"runge": {"optimizer_lr": {"learning_rates": ["fast"]}}}, ["learning_rates", "'fast'"]),
        ({"runge": {"optimizer_lr": {"learning_rates": [-0.1]}}}, ["learning_rates"]),
        ({"runge": {"depth_activation": {"activations": ["swish"]}}}, ["activations", "swish"]),
        ({"runge": {"regularization": {"batch_sizes": [32, 32]}}}, ["batch_sizes", "non-unique"]),
        ({"runge": {"data": {"test_fraction": 1.5}}}, ["test_fraction"]),
        (
            {"runge": {"optimizer_lr": {"optimizers": [{"optimizer": "lbfgs", "epochs": 5, "batch_size": 8}]}}},
            ["optimizer", "lbfgs"],
        ),
        (
            {"runge": {"optimizer_lr": {"optimizers": [{"optimizer": "adam", "epochs": 5, "batch_size": 0}]}}},
            ["batch_size"],
        ),
        ({"runge": {"final_models": {"ffnn1": {"hidden_layers": []}}}}, ["hidden_layers"]),
    ],
)
def test_bad_runge_value_is_refused(tmp_path, overrides, names):
    assert_refused(dry_run(overrides, tmp_path), *names)
