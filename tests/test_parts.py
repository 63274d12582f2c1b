"""The registry of the study's parts and results (``ffnn.parts``), and the DAG's use of it: the build-cost
table comes after every benchmarked job, and every table and figure the build writes is registered."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ffnn import parts
from ffnn.parts import PARTS

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = ROOT / ".venv" / "bin" / "snakemake"


def test_a_result_is_found_by_part_kind_and_name():
    assert parts.result("runge", "table", "table1_test_mse") == "results/runge/tables/runge_table1_test_mse.csv"
    assert parts.result("cnn", "figure", "confusions") == "results/cnn/figures/cnn_confusions.png"
    assert parts.result("audit", "table", "claims") == "results/audit/claims.csv"


@pytest.mark.parametrize(
    ("part", "kind", "name", "message"),
    [
        ("runge", "table", "table1_test_mes", "the runge part has no table 'table1_test_mes'"),
        ("runge", "figure", "table4_hyperparameters", "the runge part has no figure"),
        ("rung", "table", "table1_test_mse", "no part 'rung'"),
        ("fashion", "table", "{grid}_accurcy", "the fashion part has no table '{grid}_accurcy'"),
    ],
)
def test_a_name_no_part_delivers_is_refused_by_name(part, kind, name, message):
    with pytest.raises(KeyError, match=re.escape(message)):
        parts.result(part, kind, name)


def test_a_wildcard_name_stands_for_the_results_it_matches():
    assert PARTS["runge"].table("{grid}_mse") == "results/runge/tables/runge_{grid}_mse.csv"
    assert PARTS["runge"].figure("fit_{figure}") == "results/runge/figures/runge_fit_{figure}.png"


def test_table_paths_reads_the_part_from_the_name():
    paths = parts.table_paths(["fashion_table5_models", "verify_torch_seeds"])
    assert paths == {
        "fashion_table5_models": "results/fashion/tables/fashion_table5_models.csv",
        "verify_torch_seeds": "results/verify/tables/verify_torch_seeds.csv",
    }


def test_the_rendered_report_is_an_output_only_when_rendered():
    documents = set(PARTS["report"].outputs(["document"]))
    assert documents == {"results/report/report.html", "results/report/report.pdf"}
    assert documents <= set(parts.all_outputs(render=True))
    assert not documents & set(parts.all_outputs(render=False))


def test_the_described_outputs_leave_out_what_sums_them_up():
    described = set(parts.described_outputs())
    assert set(parts.study_outputs()) <= described
    assert PARTS["report"].figure("network_schematic") in described
    finishing = {PARTS["report"].path(kind, name) for kind, name in parts.FINISHING}
    assert not finishing & described


def test_no_two_results_share_a_file():
    paths = parts.all_outputs(render=True)
    assert len(paths) == len(set(paths))


# ------------------------------------------------------------------ the DAG


def job_counts(target: str, tmp_path: Path) -> dict[str, int]:
    """Jobs per rule that building ``target`` from nothing takes (``--forceall --dry-run``, quick config,
    the report rendered, so that its rule is in the DAG wherever the test runs)."""
    render = tmp_path / "render.yaml"
    render.write_text("report:\n  render: true\n")
    command = [
        str(SNAKEMAKE),
        target,
        "--forceall",
        "--dry-run",
        "--quiet",
        "rules",
        "--nolock",
        "--cores",
        "1",
        "--configfile",
        "config/quick.yaml",
        str(render),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    counts = {}
    for line in result.stdout.splitlines():
        match = re.fullmatch(r"(\w+)\s+(\d+)", line.strip())
        if match and match.group(1) != "total":
            counts[match.group(1)] = int(match.group(2))
    assert counts, result.stdout
    return counts


@pytest.mark.slow
def test_the_build_cost_comes_after_every_benchmarked_job(tmp_path):
    """Every job of the build is an ancestor of the build-cost table, so the table never reads an older
    build's benchmark file; but the gathering target `all`, the rendered report (which shows the table)
    and the provenance and seed records (the one reruns with every commit; both describe every job, and
    the table leaves them out)."""
    everything = job_counts("all", tmp_path)
    before_cost = job_counts("build_cost", tmp_path)
    left_out = {
        rule: count - before_cost.get(rule, 0) for rule, count in everything.items() if count > before_cost.get(rule, 0)
    }
    assert left_out == {"all": 1, "report": 1, "report_provenance": 1, "report_job_seeds": 1}


@pytest.mark.build
def test_every_table_and_figure_the_build_wrote_is_registered():
    registered = set(parts.all_outputs(render=True))
    written = {
        path.relative_to(ROOT).as_posix()
        for part in PARTS
        for folder in ("tables", "figures")
        for path in (ROOT / "results" / part / folder).glob("*")
    }
    assert written, "no results: run the quick build first"
    assert written - registered == set()
