"""The tools of the cluster test: the check of what each job asked SLURM for, and the profile's polling."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
check_submissions = runpy.run_path(str(ROOT / "workflow" / "tools" / "check_submissions.py"))

LOG = """\
[Sun Dec  6 00:19:55 2026]
rule runge_data:
    output: results/runge/data/runge_noise-0.npz
    jobid: 0
    wildcards: noise=0
    resources: tmpdir=<TBD>, runtime=5, mem_mb=1000, mem=1 GB, mem_mib=954
Shell command: None
sbatch call: sbatch --parsable --comment rule_runge_data -p main -t 5 --mem 1000 --ntasks=1 --cpus-per-task=1
Job 0 has been submitted with SLURM jobid 10 (log: x/10.log).

[Sun Dec  6 00:20:01 2026]
rule fashion_chosen_model:
    jobid: 7
    threads: 2
    resources: tmpdir=<TBD>, runtime=30, mem_mb=4000
Shell command: None
sbatch call: sbatch --parsable -p main -t {time} --mem 4000 --ntasks=1 --cpus-per-task={cpus}
Job 7 has been submitted with SLURM jobid 11 (log: x/11.log).
"""


def run(tmp_path, log, capsys):
    path = tmp_path / "cluster_build.log"
    path.write_text(log)
    status = check_submissions["main"]([str(path)])
    return status, capsys.readouterr().out


def test_jobs_that_ask_for_their_rules_resources_pass(tmp_path, capsys):
    status, out = run(tmp_path, LOG.format(time=30, cpus=2), capsys)
    assert status == 0
    assert "2 jobs of 2 rules submitted, 0 asked amiss" in out
    assert "fashion_chosen_model: cpus 2, mem_mb 4000, runtime 30" in out


@pytest.mark.parametrize(("time", "cpus", "named"), [(30, 1, "'cpus': 1"), (60, 2, "'runtime': 60")])
def test_a_job_that_asks_for_other_threads_or_time_fails(tmp_path, capsys, time, cpus, named):
    status, out = run(tmp_path, LOG.format(time=time, cpus=cpus), capsys)
    assert status == 1
    assert "job 7 (fashion_chosen_model): asked for" in out and named in out


def test_a_log_without_submissions_fails(tmp_path, capsys):
    status, out = run(tmp_path, "rule all:\n    jobid: 0\n", capsys)
    assert status == 1 and "no sbatch call" in out


def test_the_profile_polls_squeue_early_enough_for_the_clusters_it_meets():
    """squeue sees a finished job for MinJobAge seconds; the plugin trusts it where that is at least
    three times the first poll's delay: SLURM's default (300 s) and the test cluster's must both be."""
    profile = yaml.safe_load((ROOT / "workflow" / "profiles" / "slurm" / "config.yaml").read_text())
    assert profile["slurm-status-command"] == "squeue"
    first_poll = profile["slurm-init-seconds-before-status-checks"]
    cluster = (ROOT / "workflow" / "tools" / "slurm_cluster.sh").read_text()
    test_cluster_age = int(re.search(r"^MIN_JOB_AGE=(\d+)$", cluster, re.MULTILINE).group(1))
    slurm_default_age = 300
    assert 3 * first_poll <= min(slurm_default_age, test_cluster_age)
