"""Training seeds in the workflow: the config refuses a bad count, and adding one seed to a finished
build schedules only that seed's jobs and the aggregates that gather seeds (from `snakemake --dry-run`)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from test_runge_workflow import scheduled_jobs  # the dry-run listing parser of the Runge tests

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
QUICK = yaml.safe_load((ROOT / "config" / "quick.yaml").read_text())

# Jobs that gather every seed (or read the config, or sit downstream of a table that does).
AGGREGATES = {
    "runge_table1",
    "runge_plot_table1",
    "fashion_table5",
    "fashion_selection",
    "verify_torch_seeds",
    "audit",
    "audit_figure",
    "claims",
    "report_build_config",
    "report_provenance",
    "report_job_seeds",
    "build_cost",
    "report",
    "all",
    "fashion_validation_choice",
}
#: The validation choice reads the grid winners' means over seeds, so a new seed may change it, and the
#: fits of every seed follow it.
FOLLOW_THE_VALIDATION_CHOICE = {"fashion_validation_selection", "fashion_validation_model"}
#: Jobs any dry run with an extra config file plans: the provenance record lists the config files of the
#: call, so naming another file (even an empty one) is another provenance.
CALL_RECORD = {("all", ""), ("report_provenance", "")}
# Jobs of one training seed, and how many the quick config makes of each.
PER_SEED = {
    "runge_final": 7,  # the network rows of Table I
    "fashion_top_cell": 10,  # the two best cells of five grids
    "fashion_chosen_selection": 1,
    "fashion_chosen_model": 1,
    "fashion_study_protocol_score": 1,
    "fashion_validation_selection": 1,
    "fashion_validation_model": 1,
    "verify_torch_float32_seed": 1,
}


def dry_run(tmp_path: Path, overrides: dict) -> subprocess.CompletedProcess:
    override_file = tmp_path / "overrides.yaml"
    override_file.write_text(yaml.safe_dump(overrides))
    command = [
        str(SNAKEMAKE),
        "--dry-run",
        "--nolock",
        "--cores",
        "1",
        "--configfile",
        "config/quick.yaml",
        str(override_file),
    ]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("seeds", [0, -1, 1.5])
def test_a_bad_seed_count_is_refused_before_any_job(tmp_path, seeds):
    result = dry_run(tmp_path, {"seeds": seeds})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Building DAG of jobs" not in output and "seeds" in output, output[-3000:]


def test_a_float32_subsample_with_several_seeds_is_refused(tmp_path):
    result = dry_run(tmp_path, {"verify": {"torch": {"float32": {"train_samples": 500}}}})
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "verify.torch.float32.train_samples must be null" in output, output[-3000:]


@pytest.mark.build
def test_adding_one_seed_schedules_only_its_jobs_and_the_aggregates(tmp_path):
    result = dry_run(tmp_path, {})
    jobs = scheduled_jobs(result.stdout + result.stderr)
    assert result.returncode == 0 and not jobs - CALL_RECORD, (
        f"the quick build is not up to date; run it first: {sorted(jobs)}"
    )

    new_seed = QUICK["seeds"]
    result = dry_run(tmp_path, {"seeds": new_seed + 1})
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    jobs = scheduled_jobs(result.stdout + result.stderr)
    seeded = [rule for rule, wildcards in jobs if f"training_seed={new_seed}" in wildcards]
    assert Counter(seeded) == Counter(PER_SEED)
    others = {(rule, wildcards) for rule, wildcards in jobs if f"training_seed={new_seed}" not in wildcards}
    followers = {(rule, wildcards) for rule, wildcards in others if rule in FOLLOW_THE_VALIDATION_CHOICE}
    assert Counter(rule for rule, _ in followers) == {rule: new_seed for rule in FOLLOW_THE_VALIDATION_CHOICE}
    others -= followers
    assert {rule for rule, _ in others} <= AGGREGATES, sorted(others)
    assert all(wildcards == "" for _, wildcards in others), sorted(others)
