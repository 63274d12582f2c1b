"""Small real builds in a temporary copy of the workflow: the same tables on any core count, from
any two runs, and after a build killed mid-grid and resumed the way `make` resumes it.

A tiny config (1,200 training images, two epochs, the quick config's 2x2 learning-rate x batch-size
grid and its Runge optimiser grid) and a few targets keep each build to seconds of work; the
FashionMNIST fits declare two threads, so `--cores 1` grants them one and `--cores 2` two.
Tables must agree byte for byte apart from the columns that hold timings.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from threadpoolctl import threadpool_info, threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
FASHION_DATA = "results/fashion/data/fashion_mnist.npz"
TINY = {
    "fashion": {
        "threads": 2,
        "model_threads": 2,
        "split": {"train_samples": 1200, "validation_samples": 300},  # verify.torch reads 1024
        "model": {"epochs": 2},
    },
}
TARGETS = [
    "results/fashion/tables/fashion_lr_batch_accuracy.csv",
    "results/fashion/tables/fashion_table5_models.csv",
    "results/runge/tables/runge_optimizer_lr_mse.csv",
]
#: Columns that hold how long something took, which no two runs share: a fit's `seconds`, its spread
#: over seeds (`seconds_mean`, `seconds_sd`, `seconds_ci_low`, `seconds_ci_high`), a study-protocol
#: fit's `protocol_seconds` and the CNN's `seconds_per_epoch`.
TIMING_COLUMNS = [
    "seconds",
    "seconds_mean",
    "seconds_sd",
    "seconds_ci_low",
    "seconds_ci_high",
    "protocol_seconds",
    "seconds_per_epoch",
]
pytestmark = pytest.mark.slow


def test_a_fit_is_the_same_on_one_and_two_blas_threads():
    """Why the workflow fixes each job's BLAS threads: NumPy's BLAS splits its sums over threads,
    so a float32 fit on one thread and on two differ in the last bits (and drift apart from there)
    unless the thread count is the same."""
    from ffnn.fashion.fitting import fit_classifier

    data = np.random.default_rng(0)
    X, y = data.random((600, 784), dtype=np.float32), data.integers(0, 10, 600)
    settings = {
        "hidden_layers": [256],
        "activation": "relu",
        "leaky_slope": 0.01,
        "initializer": "normal",
        "optimizer": "adam",
        "learning_rate": 5.0e-4,
        "batch_size": 128,
        "epochs": 2,
        "penalty": "l2",
        "lam": 1.0e-5,
        "record_every": 1,
    }

    def fitted_weights(threads: int) -> np.ndarray:
        with threadpool_limits(threads, user_api="blas"):
            network, _ = fit_classifier(settings, X[:500], y[:500], X[500:], y[500:], np.random.default_rng(1))
        return np.concatenate([param.ravel() for param in network.params])

    one, again, two = fitted_weights(1), fitted_weights(1), fitted_weights(2)
    np.testing.assert_array_equal(one, again)
    with threadpool_limits(2, user_api="blas"):
        threads_available = any(info["num_threads"] == 2 for info in threadpool_info() if info["user_api"] == "blas")
    if threads_available:
        # The control: two threads do change the numbers, which is what the pinning is for.
        assert not np.array_equal(one, two)
    np.testing.assert_array_equal(two, fitted_weights(2))


@pytest.fixture(scope="module")
def tiny_copy(tmp_path_factory, copy_workflow):
    """``tiny_copy(folder) -> folder``: the workflow with the tiny config and FashionMNIST already
    cached (built once, or the quick build's copy where there is one)."""
    data = tmp_path_factory.mktemp("data") / "fashion_mnist.npz"
    if (ROOT / FASHION_DATA).is_file():
        shutil.copy2(ROOT / FASHION_DATA, data)  # once: a build here may rewrite it meanwhile
    else:
        workdir = copy_workflow(data.parent)
        (workdir / "tiny.yaml").write_text(yaml.safe_dump(TINY))
        build(workdir, [FASHION_DATA])
        data = workdir / FASHION_DATA

    def copy(folder: Path) -> Path:
        copy_workflow(folder)
        (folder / "tiny.yaml").write_text(yaml.safe_dump(TINY))
        (folder / FASHION_DATA).parent.mkdir(parents=True)
        shutil.copy2(data, folder / FASHION_DATA)
        return folder

    return copy


def snakemake_command(cores: int, targets: list[str]) -> list[str]:
    return [
        str(SNAKEMAKE),
        *targets,
        "--profile",
        "workflow/profiles/default",
        "--cores",
        str(cores),
        "--configfile",
        "config/quick.yaml",
        "tiny.yaml",
    ]


def build(workdir: Path, targets: list[str] = TARGETS, cores: int = 2) -> None:
    result = subprocess.run(snakemake_command(cores, targets), cwd=workdir, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def tables(workdir: Path) -> dict[str, bytes]:
    """Every CSV table of a build, timing columns left out, as bytes."""
    found = {}
    for path in sorted((workdir / "results").glob("*/tables/*.csv")):
        table = pd.read_csv(path)
        text = io.StringIO()
        table.drop(columns=[column for column in TIMING_COLUMNS if column in table]).to_csv(text, index=False)
        found[str(path.relative_to(workdir))] = text.getvalue().encode()
    return found


@pytest.fixture(scope="module")
def reference(tmp_path_factory, tiny_copy) -> dict[str, bytes]:
    """The tables of an uninterrupted build on two cores."""
    workdir = tiny_copy(tmp_path_factory.mktemp("reference"))
    build(workdir, cores=2)
    found = tables(workdir)
    assert len(found) >= 8, sorted(found)
    return found


def test_one_core_gives_the_same_tables_as_two(tmp_path, tiny_copy, reference):
    workdir = tiny_copy(tmp_path)
    build(workdir, cores=1)
    assert tables(workdir) == reference


def test_two_runs_give_the_same_tables(tmp_path, tiny_copy, reference):
    workdir = tiny_copy(tmp_path)
    build(workdir, cores=2)
    assert tables(workdir) == reference


def cells_written(workdir: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in (workdir / "results").glob("*/cells/*/*.json")}


def cells_finished(workdir: Path) -> dict[Path, int]:
    """Cells written whose job Snakemake saw finish: a job still running when the build was killed
    may have renamed its output into place already, and is rightly redone. Snakemake marks the
    outputs of running jobs in .snakemake/incomplete/, named by their path in URL-safe base64."""
    marked = set()
    for marker in (workdir / ".snakemake" / "incomplete").rglob("*"):
        with contextlib.suppress(ValueError):
            marked.add(base64.urlsafe_b64decode(marker.name).decode())
    return {
        path: mtime for path, mtime in cells_written(workdir).items() if str(path.relative_to(workdir)) not in marked
    }


def assert_no_truncated_file(workdir: Path) -> None:
    for path in (workdir / "results").rglob("*"):
        if path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".csv":
            pd.read_csv(path)
        elif path.suffix == ".npz":
            with np.load(path) as npz:
                [npz[key] for key in npz.files]


def restore_default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_build_killed_mid_grid_resumes_to_the_same_tables(tmp_path, tiny_copy, reference, signal_number):
    workdir = tiny_copy(tmp_path)
    # Its own process group, as a terminal's: Ctrl-C (SIGINT) or `kill -9` reach snakemake and its jobs.
    # A shell that starts the tests in the background hands SIGINT on as ignored, and Python then
    # installs no KeyboardInterrupt handler; a terminal's build gets the default, so restore it.
    process = subprocess.Popen(
        snakemake_command(2, TARGETS),
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=restore_default_sigint,
    )
    deadline = time.monotonic() + 600
    while len(cells_written(workdir)) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, "the build finished before it could be interrupted"
    os.killpg(process.pid, signal_number)
    process.wait(timeout=120)
    done_before = cells_finished(workdir)
    assert 0 < len(done_before) < 10, f"{len(done_before)} of 10 cells had finished"
    assert_no_truncated_file(workdir)

    # What `make` does before a build: clear a stale lock if no snakemake runs here, then build.
    subprocess.run([sys.executable, "workflow/tools/clear_stale_lock.py"], cwd=workdir, check=True)
    build(workdir, cores=2)

    assert tables(workdir) == reference
    redone = [path.name for path, mtime in done_before.items() if path.stat().st_mtime_ns != mtime]
    assert redone == [], f"finished cells were redone: {redone}"
    assert not list((workdir / "results").rglob(".*.tmp")), "a temporary file was left behind"


#: Everything a choice of the study makes, and the refits that follow it: Table I's and Table IV's
#: settings and final networks, the grids' selections, the chosen network's epochs, refit and Table V.
CHOICE_TARGETS = [
    *TARGETS,
    "results/runge/tables/runge_table1_test_mse.csv",
    "results/runge/tables/runge_table4_hyperparameters.csv",
    "results/fashion/tables/fashion_selection.csv",
]


def scramble_test_scores(value, rng: np.random.Generator):
    """``value`` (a cell record) with every number under a ``test_*`` key replaced by a random one."""
    if isinstance(value, dict):
        return {
            key: (scramble_numbers(item, rng) if key.startswith("test_") else scramble_test_scores(item, rng))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scramble_test_scores(item, rng) for item in value]
    return value


def scramble_numbers(value, rng: np.random.Generator):
    if isinstance(value, list):
        return [scramble_numbers(item, rng) for item in value]
    return float(rng.uniform(1e-6, 1.0)) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def without_test_columns(found: dict[str, bytes]) -> dict[str, pd.DataFrame]:
    return {
        name: (table := pd.read_csv(io.BytesIO(text))).drop(columns=[c for c in table if "test" in c])
        for name, text in found.items()
    }


def test_scrambled_test_scores_move_no_choice_and_no_refit(tmp_path, tiny_copy):
    """Every grid cell records its test scores beside its validation scores; replacing them all by
    random numbers and rebuilding must leave every selection, epoch count, refit and final test
    score as it was, and change only the test columns of the tables that gather the cells."""
    workdir = tiny_copy(tmp_path)
    build(workdir, CHOICE_TARGETS)
    before = tables(workdir)
    choice_files = [
        *(workdir / "results").glob("*/selection/*.json"),
        workdir / "results" / "fashion" / "models" / "validation_choice_settings.json",
    ]
    choices_before = {path: path.read_bytes() for path in choice_files}
    assert len(choices_before) > 1

    rng = np.random.default_rng(0)
    cells = [*(workdir / "results").glob("*/cells/*/*.json"), *(workdir / "results").glob("fashion/top_cells/*/*.json")]
    scrambled = 0
    for path in cells:
        record = json.loads(path.read_text())
        changed = scramble_test_scores(record, rng)
        scrambled += changed != record
        path.write_text(json.dumps(changed))
    assert scrambled == len(cells), "some cells recorded no test scores"

    build(workdir, CHOICE_TARGETS)
    after = tables(workdir)
    assert {path: path.read_bytes() for path in choices_before} == choices_before
    assert set(after) == set(before)
    # The refits and their test scores: Table I, Table IV and Table V do not move at all.
    for name in (
        "runge_table1_test_mse",
        "runge_table1_seeds",
        "runge_table4_hyperparameters",
        "fashion_table5_models",
        "fashion_chosen_seeds",
    ):
        path = next(path for path in before if path.endswith(f"/{name}.csv"))
        assert after[path] == before[path], name
    # Every other table agrees but for its test columns, and those did change (so the scramble reached them).
    kept_before, kept_after = without_test_columns(before), without_test_columns(after)
    for path in before:
        pd.testing.assert_frame_equal(kept_after[path], kept_before[path], obj=path)
    moved = [path for path in before if after[path] != before[path]]
    assert any(path.endswith("_depth_width_fits.csv") or path.endswith("_optimizer_lr_fits.csv") for path in moved), (
        moved
    )
    assert any(path.endswith("fashion_lr_batch_accuracy.csv") for path in moved), moved
