"""Check that every job a SLURM build submitted asked for its rule's own threads, memory and time.

Reads the log of ``snakemake --executor slurm --verbose``: each job's block (``rule``, ``jobid``,
``threads``, ``resources: runtime=..., mem_mb=...``) and each ``sbatch call`` with the
``Job N has been submitted`` line after it, and compares ``--cpus-per-task``, ``--mem`` and ``-t``
with the job's threads, mem_mb and runtime.

    python workflow/tools/check_submissions.py LOG

Prints one line per rule (jobs submitted, what they asked for) and exits 1 where a job asked for other
resources than its rule declares, or where no job was submitted at all.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

RULE = re.compile(r"^(?:local)?rule (\w+):$")
JOBID = re.compile(r"^\s+jobid: (\d+)$")
THREADS = re.compile(r"^\s+threads: (\d+)$")
RESOURCES = re.compile(r"^\s+resources: (.*)$")
SBATCH = re.compile(r"^sbatch call: (.*)$")
SUBMITTED = re.compile(r"^Job (\d+) has been submitted with SLURM jobid")
ASKED = {"cpus": r"--cpus-per-task[= ](\d+)", "mem_mb": r"--mem[= ](\d+)", "runtime": r"(?:-t|--time)[= ](\d+)"}


def declared_jobs(lines: list[str]) -> dict[int, dict]:
    """Each job's rule, threads, mem_mb and runtime, as the log's job blocks declare them (the last
    block of a job wins: a retry asks for more)."""
    jobs, block = {}, None
    for line in lines:
        if match := RULE.match(line):
            block = {"rule": match.group(1), "cpus": 1}
        elif block is None:
            continue
        elif match := THREADS.match(line):
            block["cpus"] = int(match.group(1))
        elif match := RESOURCES.match(line):
            resources = dict(item.split("=", 1) for item in match.group(1).split(", ") if "=" in item)
            block.update({name: int(resources[name]) for name in ("mem_mb", "runtime") if name in resources})
        elif match := JOBID.match(line):
            block["jobid"] = int(match.group(1))
        elif not line.startswith(" "):
            if "jobid" in block:
                jobs[block["jobid"]] = block
            block = None
    return jobs


def submissions(lines: list[str]) -> list[tuple[int, dict]]:
    """(jobid, what its sbatch call asked for) for every submission in the log."""
    found, pending = [], None
    for line in lines:
        if match := SBATCH.match(line):
            call = match.group(1)
            pending = {name: int(m.group(1)) for name, pattern in ASKED.items() if (m := re.search(pattern, call))}
        elif (match := SUBMITTED.match(line)) and pending is not None:
            found.append((int(match.group(1)), pending))
            pending = None
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path, help="the log of a SLURM build run with --verbose")
    args = parser.parse_args(argv)
    if not args.log.is_file():
        parser.error(f"no log at {args.log}")
    lines = args.log.read_text(encoding="utf-8", errors="replace").splitlines()
    jobs, submitted = declared_jobs(lines), submissions(lines)
    if not submitted:
        print(f"check_submissions: no sbatch call in {args.log} (was it run with --verbose?)")
        return 1
    by_rule: dict[str, set] = defaultdict(set)
    wrong = []
    for jobid, asked in submitted:
        declared = jobs.get(jobid)
        if declared is None:
            wrong.append(f"job {jobid}: submitted, but no block declares it")
            continue
        expected = {name: declared.get(name) for name in ASKED}
        by_rule[declared["rule"]].add(tuple(sorted(asked.items())))
        if asked != expected:
            wrong.append(f"job {jobid} ({declared['rule']}): asked for {asked}, its rule declares {expected}")
    for rule, asks in sorted(by_rule.items()):
        shown = "; ".join(", ".join(f"{name} {value}" for name, value in ask) for ask in sorted(asks))
        print(f"  {rule}: {shown}")
    print(f"check_submissions: {len(submitted)} jobs of {len(by_rule)} rules submitted, {len(wrong)} asked amiss")
    for line in wrong:
        print(f"  {line}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
