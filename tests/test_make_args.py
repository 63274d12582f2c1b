"""A wrong argument to `make` is named on one line before any job starts (workflow/tools/check_make_args.py)."""

from __future__ import annotations

import runpy
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
faults = runpy.run_path(str(ROOT / "workflow" / "tools" / "check_make_args.py"))["faults"]


@pytest.mark.parametrize("cores", ["1", "8", "all"])
def test_a_whole_number_of_cores_or_all_passes(cores):
    assert faults(cores, "CORES", ["config/quick.yaml"]) == []


@pytest.mark.parametrize("cores", ["0", "-2", "x", "1.5", ""])
def test_other_cores_are_named(cores):
    assert faults(cores, "QUICK_CORES", []) == [
        f"QUICK_CORES={cores!r}: give a whole number of cores, 1 or more (or all)"
    ]


def test_a_missing_config_file_is_named(tmp_path):
    missing = str(tmp_path / "nope.yaml")
    assert faults("2", "CORES", [missing]) == [
        f"{missing}: no such config file (config/ holds config.yaml and quick.yaml)"
    ]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["quick", "QUICK_CORES=0"], "QUICK_CORES='0'"),
        (["render", "RENDER_CONFIG=config/nope.yaml"], "config/nope.yaml: no such config file"),
        (["all", "CORES=x"], "CORES='x'"),
        (["nosuchtarget"], "No rule to make target 'nosuchtarget'"),
    ],
)
def test_make_names_a_wrong_argument_in_a_line_and_runs_nothing(arguments, named):
    finished = subprocess.run(["make", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode != 0
    lines = [line for line in finished.stderr.splitlines() if line.strip()]
    assert named in lines[0] and "Traceback" not in finished.stderr, finished.stderr
    assert ".venv/bin/snakemake" not in finished.stdout, "snakemake was started"
