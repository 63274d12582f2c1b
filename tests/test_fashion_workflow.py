"""The FashionMNIST part of the workflow: bad config values fail before any job runs, good ones plan one
job per cell."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
TARGET = "results/fashion/tables/fashion_selection.csv"
QUICK = yaml.safe_load((ROOT / "config" / "quick.yaml").read_text())


def dry_run(config: dict, tmp_path: Path, *targets: str) -> subprocess.CompletedProcess:
    """``snakemake -n`` of ``targets`` with ``config`` as the command-line config file."""
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return subprocess.run(
        [str(SNAKEMAKE), *targets, "-n", "--nolock", "--configfile", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def with_change(path: tuple[str, ...], value) -> dict:
    """The quick config with ``fashion.<path>`` set to ``value``."""
    config = copy.deepcopy(QUICK)
    node = config["fashion"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return config


@pytest.mark.parametrize(
    "path, value, message",
    [
        (("model", "epochs"), -3, r"-3 is less than the minimum of 1"),
        (("model", "learning_rate"), 0, r"0 is less than or equal to the minimum of 0"),
        (("model", "optimizer"), "adamw", r"'adamw' is not one of"),
        (("optimizer_lambda", "optimizer"), ["adam", "nesterov"], r"'nesterov' is not one of"),
        (("model", "activation"), "swish", r"'swish' is not one of"),
        (("lr_batch", "batch_size"), [64, 64], r"has non-unique elements"),
        (("split", "validation_fraction"), 1.5, r"1.5 is greater than or equal to the maximum of 1"),
        (("pyramid", "ratio"), 2, r"2 is greater than the maximum of 1"),
        (("model", "penalty"), "l3", r"'l3' is not one of"),
        (("split", "train_samples"), 55_000, r"fashion\.split\.train_samples=55000 exceeds the 50000 images"),
        (("chosen", "refit_on_full_train"), "yes", r"'yes' is not of type 'boolean'"),
    ],
)
def test_bad_fashion_config_fails_before_any_job_naming_the_problem(tmp_path, path, value, message):
    result = dry_run(with_change(path, value), tmp_path, TARGET)
    assert result.returncode != 0
    assert re.search(message, result.stdout + result.stderr), result.stdout + result.stderr


def test_verify_torch_subsample_larger_than_the_fashion_training_part_fails_early(tmp_path):
    config = copy.deepcopy(QUICK)
    config["verify"]["torch"]["float64"]["train_samples"] = 5000
    result = dry_run(config, tmp_path, TARGET)
    assert result.returncode != 0
    message = "verify.torch.float64.train_samples=5000 exceeds the 3000 images of the fashion part's training part"
    assert message in result.stdout + result.stderr


def test_unknown_fashion_key_is_rejected(tmp_path):
    config = with_change(("model", "epoch"), 5)  # a typo of `epochs`
    result = dry_run(config, tmp_path, TARGET)
    assert result.returncode != 0
    assert "Additional properties are not allowed ('epoch' was unexpected)" in result.stdout + result.stderr


def test_quick_config_plans_one_training_job_per_grid_cell(tmp_path):
    fashion = QUICK["fashion"]
    expected = (
        len(fashion["pyramid"]["first_width"]) * len(fashion["pyramid"]["depth"])
        + len(fashion["uniform"]["width"]) * len(fashion["uniform"]["depth"])
        + len(fashion["lr_batch"]["learning_rate"]) * len(fashion["lr_batch"]["batch_size"])
        + len(fashion["optimizer_lambda"]["optimizer"]) * len(fashion["optimizer_lambda"]["lam"])
        + len(fashion["activation"])
    )
    result = dry_run(QUICK, tmp_path, TARGET, "--forceall")
    assert result.returncode == 0, result.stderr
    planned = re.search(r"^fashion_cell\s+(\d+)$", result.stdout, flags=re.M)
    assert planned, result.stdout
    assert int(planned.group(1)) == expected
