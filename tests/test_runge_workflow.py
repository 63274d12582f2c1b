"""The Runge workflow's glue and DAG: fitting cells, choosing on validation, config checks, and
that a changed grid value reruns only what depends on it (from `snakemake --dry-run`)."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jinja2
import numpy as np
import pytest
import yaml

from ffnn import selection
from ffnn.data.runge import RungeSplit, make_runge_split
from ffnn.runge import fitting

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")

TINY = {
    "hidden_layers": [4],
    "activation": "sigmoid",
    "optimizer": "adam",
    "learning_rate": 0.05,
    "batch_size": 16,
    "epochs": 6,
}


@pytest.fixture
def split(rng) -> RungeSplit:
    return make_runge_split(n_points=40, rng=rng)


# ------------------------------------------------------------------ fitting and choosing


def test_training_rng_is_a_pure_function_of_seed_and_repeat():
    first = selection.training_rng(6114, 0, 1).standard_normal(3)
    assert np.array_equal(first, selection.training_rng(6114, 0, 1).standard_normal(3))
    assert not np.array_equal(first, selection.training_rng(6114, 0, 2).standard_normal(3))
    assert not np.array_equal(first, selection.training_rng(6115, 0, 1).standard_normal(3))


def test_fit_repeats_is_reproducible_and_reports_eq1_mse(split):
    fits = fitting.fit_repeats(TINY, split, seed=3, repeats=2, record_every=2)
    again = fitting.fit_repeats(TINY, split, seed=3, repeats=2, record_every=2)
    assert [fit["val_mse"] for fit in fits] == [fit["val_mse"] for fit in again]
    assert fits[0]["val_mse"] != fits[1]["val_mse"]  # repeats start from different weights
    for fit in fits:
        assert fit["curves"]["epoch"] == [2, 4, 6]
        # the curves hold Eq. 1 MSE, twice the Eq. 10 cost; the last point is the final model
        assert fit["curves"]["val_mse"][-1] == pytest.approx(fit["val_mse"], rel=1e-12)
        assert fit["curves"]["train_mse"][-1] == pytest.approx(fit["train_mse"], rel=1e-12)
        assert fit["curves"]["test_mse"][-1] == pytest.approx(fit["test_mse"], rel=1e-12)


def test_fit_repeats_records_test_scores_without_training_on_them(split):
    # NaN test data would poison anything computed from them: training and validation stay the same
    blind = RungeSplit.from_arrays(
        split.x_train,
        split.y_train,
        split.x_val,
        split.y_val,
        np.full_like(split.x_test, np.nan),
        np.full_like(split.y_test, np.nan),
    )
    fits = fitting.fit_repeats(TINY, blind, seed=0, repeats=1, record_every=2)
    assert math.isfinite(fits[0]["val_mse"]) and math.isfinite(fits[0]["train_mse"])
    assert math.isnan(fits[0]["test_mse"]) and all(math.isnan(value) for value in fits[0]["curves"]["test_mse"])
    with_test = fitting.fit_repeats(TINY, split, seed=0, repeats=1, record_every=2, x_dense=np.linspace(-1, 1, 7))
    assert with_test[0]["val_mse"] == fits[0]["val_mse"]
    assert with_test[0]["curves"]["val_mse"] == fits[0]["curves"]["val_mse"]
    assert math.isfinite(with_test[0]["test_mse"]) and len(with_test[0]["prediction"]) == 7


def test_fit_repeats_rejects_an_incomplete_setting(split):
    with pytest.raises(ValueError, match="learning_rate"):
        fitting.fit_repeats(
            {key: value for key, value in TINY.items() if key != "learning_rate"}, split, seed=0, repeats=1
        )


def _fit(val_mse, diverged=False):
    return {"val_mse": val_mse, "diverged": diverged}


def test_summarise_counts_a_diverged_fit_as_infinite():
    summary = selection.summarise([_fit(1.0), _fit(3.0), _fit(None, diverged=True)], "val_mse")
    assert summary == {"val_mse_median": 3.0, "val_mse_min": 1.0, "val_mse_max": math.inf}


def test_choose_best_takes_the_smallest_median_and_avoids_divergence():
    cells = {
        "lucky": {"fits": [_fit(1e-6), _fit(None, diverged=True), _fit(None, diverged=True)]},
        "steady": {"fits": [_fit(1e-4), _fit(2e-4), _fit(3e-4)]},
        "worse": {"fits": [_fit(1e-3), _fit(1e-3), _fit(1e-3)]},
    }
    scores = {name: selection.summarise(cell["fits"], "val_mse")["val_mse_median"] for name, cell in cells.items()}
    assert selection.choose_best(scores) == "steady"
    with pytest.raises(ValueError):
        selection.choose_best({})


def test_describe_names_the_setting():
    text = fitting.describe({**TINY, "batch_size": None, "penalty": "l2", "lam": 1e-5})
    assert text == "[4-1] sigmoid, adam, eta=0.05, full batch, 6 epochs, L2 lambda=1e-05"


# ------------------------------------------------------------------ snakemake


def snakemake_dry_run(tmp_path: Path, overrides: dict | None = None) -> subprocess.CompletedProcess:
    """``snakemake runge_all --dry-run`` on the quick config, with ``overrides`` merged over it."""
    configfiles = ["config/quick.yaml"]
    if overrides is not None:
        override_file = tmp_path / "overrides.yaml"
        override_file.write_text(yaml.safe_dump(overrides))
        configfiles.append(str(override_file))
    command = [str(SNAKEMAKE), "runge_all", "--dry-run", "--nolock", "--cores", "1", "--configfile", *configfiles]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


JOB_HEADER = re.compile(r"^(?:local)?rule (\w+):$")
WILDCARDS = re.compile(r"^\s+wildcards: (.*)$")


def scheduled_jobs(output: str) -> set[tuple[str, str]]:
    """(rule, wildcards) of every job a dry run lists."""
    jobs, rule, wildcards = set(), None, ""
    for line in output.splitlines() + [""]:
        header = JOB_HEADER.match(line)
        if header or not line.strip():
            if rule is not None:
                jobs.add((rule, wildcards))
            rule, wildcards = (header.group(1), "") if header else (None, "")
        elif rule is not None and (match := WILDCARDS.match(line)):
            wildcards = match.group(1)
    return jobs


def test_scheduled_jobs_parses_a_dry_run_listing():
    listing = (
        "[Wed]\nrule runge_cell:\n    output: a\n    wildcards: grid=g, cell=c\n    resources: tmpdir=/tmp\n"
        "[Wed]\nlocalrule runge_all:\n    input: a\n"
    )
    assert scheduled_jobs(listing) == {("runge_cell", "grid=g, cell=c"), ("runge_all", "")}


def test_curves_width_outside_the_widths_is_refused(tmp_path):
    result = snakemake_dry_run(tmp_path, {"runge": {"depth_width": {"curves_width": 999}}})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "curves_width=999" in output and "Building DAG of jobs" not in output


def test_an_optimizer_named_twice_is_refused(tmp_path):
    twice = [{"optimizer": "adam", "epochs": 5, "batch_size": 8}, {"optimizer": "adam", "epochs": 9, "batch_size": 8}]
    result = snakemake_dry_run(tmp_path, {"runge": {"optimizer_lr": {"optimizers": twice}}})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "runge.optimizer_lr.optimizers names an optimizer twice" in output and "Building DAG of jobs" not in output


def quick_config() -> dict:
    """The quick config as Snakemake sees it: config/quick.yaml merged over config/config.yaml."""
    from snakemake.utils import update_config

    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    update_config(config, yaml.safe_load((ROOT / "config" / "quick.yaml").read_text()))
    return config


@pytest.fixture
def up_to_date_quick_build(tmp_path):
    result = snakemake_dry_run(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    jobs = scheduled_jobs(output)
    assert not jobs - {("runge_all", "")}, (
        f"the quick build of the Runge part is not up to date; run it first. Pending: {sorted(jobs)}"
    )


@pytest.mark.build
def test_one_new_depth_reruns_only_its_cells_table_and_figure(tmp_path, up_to_date_quick_build):
    grid = quick_config()["runge"]["depth_activation"]
    new_depth = max(grid["depths"]) + 1
    depths = [*grid["depths"][:-1], new_depth]  # one value of the grid changes
    result = snakemake_dry_run(tmp_path, {"runge": {"depth_activation": {"depths": depths}}})
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    expected = {
        ("runge_cell", f"grid=depth_activation, cell=activation-{activation}_depth-{new_depth}")
        for activation in grid["activations"]
    }
    expected |= {("runge_grid_table", "grid=depth_activation"), ("runge_plot_depth_activation", ""), ("runge_all", "")}
    assert scheduled_jobs(result.stdout + result.stderr) == expected


@pytest.mark.build
def test_one_new_lambda_reruns_the_regularisation_chains_and_nothing_else(tmp_path, up_to_date_quick_build):
    lambdas = quick_config()["runge"]["regularization"]["lambdas"]
    new_lambda = 1.0e-9
    assert new_lambda not in lambdas
    result = snakemake_dry_run(tmp_path, {"runge": {"regularization": {"lambdas": [*lambdas[:-1], new_lambda]}}})
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    jobs = scheduled_jobs(result.stdout + result.stderr)
    for penalty in ("l2", "l1"):  # both penalties sweep the same lambdas
        assert ("runge_cell", f"grid={penalty}_lambda, cell=lam-{new_lambda}") in jobs
        # the later sweeps read the lambda chosen before them, so they rerun too
        assert ("runge_select", f"grid={penalty}_lambda") in jobs
        finals = {
            wildcards for rule, wildcards in jobs if rule == "runge_final" and wildcards.startswith(f"row={penalty},")
        }
        assert finals == {f"row={penalty}, training_seed={seed}" for seed in range(quick_config()["seeds"])}
        assert any(
            rule == "runge_cell" and wildcards.startswith(f"grid={penalty}_batch_size,") for rule, wildcards in jobs
        )
    assert {("runge_table1", ""), ("runge_table4", ""), ("runge_fitted_curves", "")} <= jobs
    untouched = re.compile(r"optimizer_lr|depth_|row=(untuned|ffnn)|kind=|noise=")
    assert not [job for job in jobs if untouched.search(job[1])], sorted(jobs)
    assert not {rule for rule, _ in jobs} & {
        "runge_data",
        "runge_baseline",
        "runge_baseline_table",
        "runge_plot_depth_width",
    }


@pytest.mark.parametrize(
    "hidden_layers, activation, named",
    [([50, 50], "sigmoid", "[50-50-1] sigmoid"), ([20, 20, 20], "tanh", "[20-20-20-1] tanh")],
)
def test_the_optimizer_figures_caption_names_the_configured_network(hidden_layers, activation, named):
    """Snakemake renders a report caption as a Jinja template with the job's params; the rule passes
    ``runge.optimizer_lr``'s network, so the caption follows the config as the figure's title does."""
    template = (ROOT / "workflow/report/runge_optimizer_lr_curves.rst").read_text()
    job = SimpleNamespace(params=SimpleNamespace(hidden_layers=hidden_layers, activation=activation))
    caption = " ".join(jinja2.Environment().from_string(template).render(snakemake=job).split())
    assert f"for the {named} network of config" in caption
