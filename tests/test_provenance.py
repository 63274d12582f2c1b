"""The provenance record of a build: what each part reads and how the report's rows show it."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import datetime, UTC


from ffnn.provenance import (
    STUDY_PACKAGES,
    collect_provenance,
    config_sha256,
    cpu_model,
    file_sha256,
    git_state,
    package_versions,
    provenance_rows,
    quarto_version,
)


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
