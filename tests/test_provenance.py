"""The provenance record of a build: what each part reads and how the report's rows show it; the
installed packages, the seeds each job was given, and the record of them the build wrote."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections import Counter
from datetime import datetime, UTC
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

from ffnn.provenance import (
    STUDY_PACKAGES,
    collect_provenance,
    compact_integers,
    config_sha256,
    cpu_model,
    environment_differences,
    file_sha256,
    git_state,
    installed_distributions,
    job_seed_record,
    job_seeds,
    normalised_name,
    package_versions,
    provenance_rows,
    quarto_version,
    seeds_by_rule,
    side_by_side,
)

ROOT = Path(__file__).resolve().parents[1]


def _git(repository, *arguments):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *arguments],
        cwd=repository,
        check=True,
        capture_output=True,
    )


def test_git_state_gives_the_commit_and_whether_tracked_files_changed(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "a.txt").write_text("one\n")
    _git(tmp_path, "add", "a.txt")
    _git(tmp_path, "commit", "-q", "-m", "first")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True).stdout.strip()
    assert git_state(tmp_path) == {"commit": head, "dirty": False}
    (tmp_path / "untracked.txt").write_text("not part of the code\n")
    assert git_state(tmp_path)["dirty"] is False
    (tmp_path / "a.txt").write_text("two\n")
    assert git_state(tmp_path) == {"commit": head, "dirty": True}


def test_git_state_outside_a_repository_is_unknown(tmp_path):
    assert git_state(tmp_path) == {"commit": None, "dirty": None}


def test_hashes_of_files_and_of_settings(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"seed: 6114\n")
    assert file_sha256(path) == hashlib.sha256(b"seed: 6114\n").hexdigest()
    assert config_sha256({"a": 1, "b": {"c": [1, 2]}}) == config_sha256({"b": {"c": [1, 2]}, "a": 1})
    assert config_sha256({"a": 1}) != config_sha256({"a": 2})


def test_package_versions_and_missing_packages():
    versions = package_versions(["numpy", "no-such-distribution-here"])
    assert versions["numpy"].split(".")[0].isdigit()
    assert versions["no-such-distribution-here"] is None
    assert list(STUDY_PACKAGES) == ["numpy", "scipy", "scikit-learn", "torch", "torchvision", "snakemake"]


def test_quarto_version_reads_the_program_on_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert quarto_version() is None
    fake = tmp_path / "quarto"
    fake.write_text("#!/bin/sh\necho 1.7.34\n")
    fake.chmod(0o755)
    assert quarto_version() == "1.7.34"


def test_cpu_model_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Example CPU @ 3.00GHz\nflags\t: fpu\n")
    assert cpu_model(cpuinfo) == "Example CPU @ 3.00GHz"


def test_collect_provenance_is_json_and_complete(tmp_path):
    config_file = tmp_path / "config.yaml"
    config_file.write_text("seed: 1\n")
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    record = collect_provenance({"seed": 1}, [config_file], repository=tmp_path, now=when)
    assert json.loads(json.dumps(record)) == record
    assert record["config"]["files"] == [{"path": "config.yaml", "sha256": file_sha256(config_file)}]
    assert record["config"]["settings_sha256"] == config_sha256({"seed": 1})
    assert set(record["packages"]) == set(STUDY_PACKAGES)
    # every installed package, not only the study's own
    assert record["installed"] == installed_distributions()
    assert record["installed"]["numpy"] == record["packages"]["numpy"]
    assert record["date"] == "2026-01-02T03:04:05+00:00"
    assert record["cpu"]["logical_cores"] >= 1
    assert record["blas"], "NumPy's BLAS was not found"
    assert {"library", "version", "kernel", "threads"} <= set(record["blas"][0])


def test_provenance_rows_name_every_part_and_say_unknown():
    record = {
        "git": {"commit": "abc123", "dirty": True},
        "config": {"files": [{"path": "config/quick.yaml", "sha256": "f00"}], "settings_sha256": "ba5"},
        "python": "3.11.7",
        "packages": {"numpy": "2.0", "torch": None},
        "quarto": "1.7.34",
        "blas": [{"library": "openblas", "version": "0.3", "kernel": "Haswell", "threads": 4}],
        "cpu": {"model": None, "logical_cores": 8, "usable_cores": 4},
        "date": "2026-01-02T03:04:05+00:00",
    }
    rows = dict(provenance_rows(record))
    assert rows["Git commit"] == "abc123 (with uncommitted changes)"
    assert rows["Configuration file"] == "config/quick.yaml, SHA-256 f00"
    assert rows["NumPy"] == "2.0" and rows["PyTorch"] == "unknown"
    assert rows["BLAS"] == "openblas 0.3, kernel Haswell, 4 threads where this record was made (each rule sets its own)"
    assert rows["CPU"] == "unknown"
    assert rows["Cores"] == "8 logical, 4 usable by the build"
    assert rows["Quarto"] == "1.7.34" and rows["Build date (UTC)"] == record["date"]


# ---------------------------------------------------------------- every installed package


def test_names_are_normalised_as_pip_does():
    assert normalised_name("Jinja2") == "jinja2"
    assert normalised_name("scikit_learn") == "scikit-learn"
    assert normalised_name("zope.interface") == "zope-interface"
    assert normalised_name("A__b-.C") == "a-b-c"


def test_installed_distributions_lists_this_environment_sorted_and_normalised():
    installed = installed_distributions()
    assert list(installed) == sorted(installed)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in installed), installed
    # not only the study's direct packages: what they pulled in too
    for name in ("numpy", "scikit-learn", "snakemake", "threadpoolctl", "pyyaml"):
        assert installed[name] == metadata.version(name)
    assert len(installed) > len(STUDY_PACKAGES) + 20


def _fake_distribution(folder: Path, name: str | None, version: str) -> None:
    info = folder / f"{(name or 'nameless').replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", *([f"Name: {name}"] if name else []), f"Version: {version}"]
    (info / "METADATA").write_text("\n".join(lines) + "\n")


def test_the_copy_first_on_the_path_counts_and_a_nameless_one_is_left_out(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    _fake_distribution(first, "Foo_Bar", "1.0")
    _fake_distribution(second, "foo-bar", "2.0")
    _fake_distribution(second, "Zeta", "3.1")
    _fake_distribution(second, None, "9.9")
    assert installed_distributions([str(first), str(second)]) == {"foo-bar": "1.0", "zeta": "3.1"}
    assert installed_distributions([str(second), str(first)]) == {"foo-bar": "2.0", "zeta": "3.1"}


def test_environment_differences_name_each_change_once():
    built = {"numpy": "2.1.0", "pandas": "2.2.0", "gone": "1.0", "same": "1.0"}
    current = {"numpy": "2.2.1", "pandas": "2.2.0", "new": "0.1", "same": "1.0"}
    assert environment_differences(built, current) == [
        "gone: 1.0 built the results, not installed now",
        "new: not installed when the results were built, 0.1 is installed now",
        "numpy: 2.1.0 built the results, 2.2.1 is installed now",
    ]
    assert environment_differences(built, dict(built)) == []


def test_side_by_side_reads_down_each_pair_of_columns():
    pairs = [(f"p{index}", f"v{index}") for index in range(5)]
    assert side_by_side(pairs, 2) == [["p0", "v0", "p3", "v3"], ["p1", "v1", "p4", "v4"], ["p2", "v2", "", ""]]
    assert side_by_side(pairs, 1) == [[name, version] for name, version in pairs]
    assert side_by_side([], 3) == []
    with pytest.raises(ValueError, match="groups must be at least 1"):
        side_by_side(pairs, 0)


# ---------------------------------------------------------------- the seeds of each job


def test_job_seeds_reads_seed_names_and_restarts_and_nothing_else():
    seeds = job_seeds(
        {"grid": "pyramid", "training_seed": "2"},
        {
            "seed": 6114,
            "training_seed": 2,
            "samples_seed": 12,
            "repeats": 3,
            "seeds": 5,  # a count of seeds, not a seed
            "training_seeds": [0, 1],  # the seeds an aggregate gathers
            "seedling": 7,
            "settings": {"seed": 1},  # a nested value is a setting, not a seed of the job
        },
    )
    assert seeds == {"restart": [0, 1, 2], "samples_seed": [12], "seed": [6114], "training_seed": [2]}
    assert job_seeds({}, {"epochs": 5}) == {}


def test_a_seed_given_twice_with_two_values_keeps_both():
    assert job_seeds({"training_seed": "1"}, {"training_seed": 0}) == {"training_seed": [0, 1]}


@pytest.mark.parametrize("value", ["one", 1.5, True, None])
def test_a_seed_that_is_no_whole_number_is_refused_by_name(value):
    with pytest.raises(ValueError, match=r"^seed seed=.* is not a whole number$"):
        job_seeds({}, {"seed": value})


def test_a_job_record_is_json_with_text_wildcards():
    record = job_seed_record("runge_final", {"row": "ffnn1", "training_seed": 1}, {"seed": 6114}, ["a.json"])
    assert json.loads(json.dumps(record)) == record
    assert record == {
        "rule": "runge_final",
        "wildcards": {"row": "ffnn1", "training_seed": "1"},
        "outputs": ["a.json"],
        "seeds": {"seed": [6114], "training_seed": [1]},
    }


def test_compact_integers_joins_runs_of_three_or_more():
    assert compact_integers([4, 0, 2, 1, 1]) == "0–2, 4"
    assert compact_integers([0, 1]) == "0, 1"
    assert compact_integers([3, 5, 6, 7, 9]) == "3, 5–7, 9"
    assert compact_integers([]) == ""


def test_seeds_by_rule_gathers_values_counts_jobs_and_leaves_out_the_unseeded():
    jobs = [
        {"rule": "runge_final", "seeds": {"training_seed": [1], "seed": [6114], "restart": [0, 1, 2]}},
        {"rule": "runge_final", "seeds": {"training_seed": [0], "seed": [6114], "restart": [0, 1, 2]}},
        {"rule": "fashion_splits", "seeds": {"seed": [6114], "samples_seed": [12]}},
        {"rule": "runge_plot", "seeds": {}},
    ]
    assert seeds_by_rule(jobs) == [
        {"rule": "fashion_splits", "jobs": 1, "seeds": "seed 6114; samples_seed 12"},
        {"rule": "runge_final", "jobs": 2, "seeds": "seed 6114; training_seed 0, 1; restart 0–2"},
    ]


# ---------------------------------------------------------------- the quick build's records


@pytest.fixture(scope="module")
def built_job_seeds() -> list[dict]:
    path = ROOT / "results" / "report" / "job_seeds.json"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run the quick build first")
    return json.loads(path.read_text())["jobs"]


@pytest.mark.build
def test_the_seed_record_lists_the_jobs_the_build_cost_counts(built_job_seeds):
    """Both come from the build itself (the DAG; the benchmark file every job writes), so they agree
    on how many jobs each rule ran: a walk of the DAG that stopped short would miss some."""
    costs = pd.read_csv(ROOT / "results" / "report" / "build_cost_jobs.csv")
    assert Counter(job["rule"] for job in built_job_seeds) == Counter(costs["rule"])


@pytest.mark.build
def test_the_seed_record_agrees_with_the_config_and_with_what_jobs_wrote(built_job_seeds):
    build = json.loads((ROOT / "results" / "report" / "build_config.json").read_text())
    training_seeds = list(range(build["seeds"]))
    by_rule: dict[str, list[dict]] = {}
    for job in built_job_seeds:
        by_rule.setdefault(job["rule"], []).append(job)
    assert {value for job in built_job_seeds for value in job["seeds"].get("seed", [])} == {build["seed"]}
    for rule in ("runge_final", "fashion_top_cell", "fashion_chosen_model", "fashion_validation_selection"):
        assert sorted({seed for job in by_rule[rule] for seed in job["seeds"]["training_seed"]}) == training_seeds
    for job in by_rule["runge_cell"] + by_rule["runge_final"]:
        assert job["seeds"]["restart"] == list(range(build["runge"]["repeats"]))
    # the fits write the training seed they drew from into their records: the same as the plan's
    checked = 0
    for job in built_job_seeds:
        for output in job["outputs"]:
            if output.endswith(".json") and "training_seed" in job["seeds"]:
                written = json.loads((ROOT / output).read_text())
                if "training_seed" in written:
                    assert job["seeds"]["training_seed"] == [written["training_seed"]], (job, output)
                    checked += 1
    assert checked >= len(by_rule["runge_final"])


@pytest.mark.build
def test_the_provenance_record_lists_every_installed_package():
    record = json.loads((ROOT / "results" / "report" / "provenance.json").read_text())
    assert record["installed"]["numpy"] == record["packages"]["numpy"]
    assert list(record["installed"]) == sorted(record["installed"])
    assert {"threadpoolctl", "pyyaml"} <= set(record["installed"]), "only the direct packages are listed"
