"""The build-cost tables gathered from Snakemake's benchmark files."""

from __future__ import annotations

import pytest

from ffnn.build_cost import JOB_COLUMNS, cost_by_part, job_costs

HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def write_benchmark(path, wall, rss, cpu):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + f"{wall}\t0:00:0{int(wall)}\t{rss}\t0\t0\t0\t0\t0\t0\t{cpu}\n")


def test_job_costs_read_rule_job_and_numbers_from_the_layout(tmp_path):
    write_benchmark(tmp_path / "fashion_cell" / "pyramid" / "depth-1.tsv", 9.5, 300.0, 8.0)
    write_benchmark(tmp_path / "fashion_cell" / "uniform" / "depth-2.tsv", 4.0, 250.0, 3.5)
    write_benchmark(tmp_path / "runge_table1" / "job.tsv", 1.0, 100.0, 0.5)
    write_benchmark(tmp_path / "build_cost" / "job.tsv", 2.0, 90.0, 1.0)
    jobs = job_costs(tmp_path, exclude=["build_cost"])
    assert list(jobs.columns) == JOB_COLUMNS
    assert jobs[["part", "rule", "job"]].values.tolist() == [
        ["fashion", "fashion_cell", "pyramid/depth-1"],
        ["fashion", "fashion_cell", "uniform/depth-2"],
        ["runge", "runge_table1", "job"],
    ]
    assert jobs["wall_s"].tolist() == [9.5, 4.0, 1.0] and jobs["cpu_s"].tolist() == [8.0, 3.5, 0.5]

    parts = cost_by_part(jobs).set_index("part")
    assert parts.loc["fashion", ["jobs", "wall_s", "cpu_s", "longest_s", "peak_mb"]].tolist() == [
        2,
        13.5,
        11.5,
        9.5,
        300.0,
    ]
    assert parts.loc["total", ["jobs", "wall_s", "longest_s"]].tolist() == [3, 14.5, 9.5]


def test_no_benchmark_files_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="no benchmark files"):
        job_costs(tmp_path)
