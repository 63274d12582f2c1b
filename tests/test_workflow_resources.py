"""What each job asks of a scheduler and what it depends on.

Every rule declares threads, resources (mem_mb, runtime), a benchmark file and the library modules
its script imports; the SLURM profile's dry run of the full study gives every job its resources;
and after the quick build, a change to a training module reruns the fits and what follows them,
a change to a plotting module only the figures (and the report side), and no change nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
RULE_FILES = sorted((ROOT / "workflow" / "rules").glob("*.smk"))


def rule_blocks(path: Path) -> dict[str, str]:
    """Rule name (or its `name:` expression) -> the text of the rule, for every rule in `path`."""
    text = path.read_text()
    blocks = {}
    for match in re.finditer(r"^( *)rule *(\w*):\n((?:\1 +.*\n|\n)*)", text, re.MULTILINE):
        body = match[3]
        name = match[2] or re.search(r"name:\n\s+(.+)\n", body)[1]
        blocks[name] = body
    return blocks


RULES = {name: body for path in RULE_FILES for name, body in rule_blocks(path).items() if "script:" in body}


def test_rules_are_found():
    assert len(RULES) >= 40, sorted(RULES)


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_rule_declares_threads_resources_benchmark_and_library(name):
    body = RULES[name]
    script = Path(re.search(r'script:\s+"([^"]+)"', body)[1]).name
    assert re.search(r"^\s+threads: ", body, re.MULTILINE), f"{name} declares no threads"
    assert "**job_resources(mem_mb=" in body, f"{name} declares no resources"
    assert "benchmark_file(" in body, f"{name} writes no benchmark file"
    assert f'library=library_inputs("{script}")' in body, f"{name} does not depend on what {script} imports"


def dry_run_jobs(output: str) -> list[dict]:
    """The jobs a verbose dry run prints: rule, whether local, threads and resources."""
    jobs = []
    for block in re.split(r"\n(?=\[.*\d{4}\]\n)", output):
        head = re.search(r"^(local)?rule (\w+):", block, re.MULTILINE)
        if head is None:
            continue
        threads = re.search(r"^\s+threads: (\d+)", block, re.MULTILINE)
        resources = re.search(r"^\s+resources: (.*)$", block, re.MULTILINE)
        jobs.append(
            {
                "rule": head[2],
                "local": bool(head[1]),
                "threads": int(threads[1]) if threads else 1,
                "resources": dict(item.split("=", 1) for item in resources[1].split(", ")) if resources else {},
            }
        )
    return jobs


def test_slurm_profile_plans_the_full_study_with_every_jobs_resources():
    # A dry run submits nothing; --forceall plans every job whatever results/ holds, and --cores
    # only lifts the cap on threads that a dry run sets otherwise.
    command = [
        str(SNAKEMAKE),
        "--profile",
        "workflow/profiles/slurm",
        "--dry-run",
        "--forceall",
        "--verbose",
        "--nolock",
        "--cores",
        "64",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    # `all` and `runge_all` only gather files (localrules in the Snakefile); every other job is submitted.
    jobs = [job for job in dry_run_jobs(output) if not job["local"] and job["rule"] not in {"all", "runge_all"}]
    assert len(jobs) >= 300, f"only {len(jobs)} jobs planned"
    # The profile sets no default memory or time, so every value below is the rule's own.
    lacking = sorted(
        {job["rule"] for job in jobs if "mem_mb" not in job["resources"] or "runtime" not in job["resources"]}
    )
    assert lacking == [], f"jobs without mem_mb/runtime: {lacking}"
    by_rule = {}
    for job in jobs:
        by_rule.setdefault(job["rule"], []).append(job)
    # Fits ask for what their settings cost: grid cells differ, and the multi-threaded fits get their threads.
    assert len({job["resources"]["runtime"] for job in by_rule["fashion_cell"]}) > 1
    assert {job["threads"] for job in by_rule["fashion_chosen_model"] + by_rule["verify_torch_float32"]} == {2}
    assert {job["threads"] for job in by_rule["cnn_cell"]} == {1}
    assert {job["threads"] for job in by_rule["cnn_chosen_model"] + by_rule["cnn_verify_torch"]} == {2}
    assert int(by_rule["verify_torch_float32"][0]["resources"]["mem_mb"]) > int(
        by_rule["runge_cell"][0]["resources"]["mem_mb"]
    )


# ---------------------------------------------------------------- code changes after the quick build

TRAINING_MODULE = "src/ffnn/training.py"
PLOTTING_MODULE = "src/ffnn/plots/fashion.py"


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory) -> Path:
    """The repository with the quick build's results and Snakemake's records of them, copied with
    their times, so that changing a file there leaves the real build alone."""
    if not (ROOT / ".snakemake" / "metadata").is_dir() or not (ROOT / "results" / "fashion").is_dir():
        pytest.fail("needs the quick build: run `make quick` (or snakemake --configfile config/quick.yaml) first")
    copy = tmp_path_factory.mktemp("built") / "repo"
    ignore = shutil.ignore_patterns(
        "__pycache__", ".venv", ".git", "_output", ".quarto", "locks", "incomplete", "resources"
    )
    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    return copy


def planned_rules(workdir: Path) -> dict[str, int]:
    command = [str(SNAKEMAKE), "--dry-run", "--cores", "2", "--configfile", "config/quick.yaml", "--nolock"]
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    if "Nothing to be done" in output:
        return {}
    stats = output.split("Job stats:")[1].split("total")[0]
    return {rule: int(count) for rule, count in re.findall(r"^(\w+)\s+(\d+)$", stats, re.MULTILINE)}


def append_comment(path: Path) -> None:
    with open(path, "a") as stream:
        stream.write("# changed\n")


#: The provenance record names the commit, the working tree's state and the config files of the call that
#: built the results, so a build in a copy of the tree records itself anew: bookkeeping, not a rerun.
CALL_RECORD = {"report_provenance", "all"}


@pytest.mark.build
def test_code_changes_rerun_what_they_affect(built_copy):
    unchanged = {rule: n for rule, n in planned_rules(built_copy).items() if rule not in CALL_RECORD}
    assert unchanged == {}, "the quick build is not up to date"

    append_comment(built_copy / PLOTTING_MODULE)
    plotting = planned_rules(built_copy)
    assert plotting and all(
        rule.startswith("fashion_plot_") or rule in {"build_cost", "report_job_seeds", "report"} | CALL_RECORD
        for rule in plotting
    ), plotting
    subprocess.run(
        [str(SNAKEMAKE), "--cores", "2", "--configfile", "config/quick.yaml", "--touch", "--nolock"],
        cwd=built_copy,
        check=True,
        capture_output=True,
    )

    append_comment(built_copy / TRAINING_MODULE)
    training = planned_rules(built_copy)
    for rule in (
        "fashion_cell",
        "runge_cell",
        "fashion_chosen_model",
        "verify_torch_float32",
        "fashion_pyramid_table",
        "fashion_plot_pyramid_accuracy",
        "runge_plot_fit",
    ):
        assert rule in training, f"{rule} does not rerun after {TRAINING_MODULE} changed: {training}"
    assert "fashion_data" not in training  # reads the raw files only; imports no training code
