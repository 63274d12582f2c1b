"""Bad input, tried on purpose: each case stops with an error that names the problem (the key,
the file, the value) and leaves no result file behind.

Configuration cases run the real `snakemake` (not a dry run) on a copy of the workflow whose
`results/` starts empty, asking for the cheapest result, so "nothing written" is checked on disk.
Data and environment cases call the library or the glue directly.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import yaml

from ffnn.data import fashion_mnist as fm
from ffnn.io import load_json

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
CHEAP_TARGET = "results/runge/data/runge_noise-0.npz"

# (case id, overrides merged over config/quick.yaml, words the error must contain)
CONFIG_CASES = [
    ("unknown top-level key", {"runge_typo": {"repeats": 2}}, ["runge_typo"]),
    ("unknown fashion key", {"fashion": {"epoch": 3}}, ["fashion", "epoch"]),
    ("unknown nested key", {"fashion": {"model": {"optimiser": "adam"}}}, ["optimiser"]),
    ("unknown deep key", {"verify": {"torch": {"float32": {"epoch": 2}}}}, ["verify", "epoch"]),
    ("unknown report key", {"report": {"render_mode": "auto"}}, ["report", "render_mode"]),
    ("seed of wrong type", {"seed": "abc"}, ["seed", "'abc'"]),
    ("batch size of wrong type", {"fashion": {"model": {"batch_size": "128"}}}, ["batch_size", "'128'"]),
    ("repeats of wrong type", {"runge": {"repeats": 2.5}}, ["repeats", "2.5"]),
    ("render of wrong type", {"report": {"render": "sometimes"}}, ["render", "sometimes"]),
    ("learning rate zero", {"fashion": {"model": {"learning_rate": 0}}}, ["learning_rate", "0"]),
    (
        "learning rate negative in a grid",
        {"fashion": {"lr_batch": {"learning_rate": [-0.001, 5.0e-4]}}},
        ["learning_rate", "-0.001"],
    ),
    ("runge learning rate zero", {"runge": {"depth_width": {"training": {"learning_rate": 0}}}}, ["learning_rate"]),
    ("batch size zero", {"fashion": {"model": {"batch_size": 0}}}, ["batch_size", "0"]),
    ("batch size zero in a grid", {"fashion": {"lr_batch": {"batch_size": [0, 64]}}}, ["batch_size"]),
    ("width zero in a grid", {"fashion": {"uniform": {"width": [0, 64]}}}, ["width"]),
    ("depth zero in a grid", {"fashion": {"pyramid": {"depth": [0, 1]}}}, ["depth"]),
    ("hidden layer of width zero", {"fashion": {"model": {"hidden_layers": [0]}}}, ["hidden_layers"]),
    ("runge depth zero", {"runge": {"depth_width": {"depths": [0, 1]}}}, ["depths"]),
    ("epochs zero", {"fashion": {"model": {"epochs": 0}}}, ["epochs"]),
    ("empty grid", {"fashion": {"uniform": {"width": []}}}, ["width", "[]"]),
    ("empty runge grid", {"runge": {"optimizer_lr": {"learning_rates": []}}}, ["learning_rates", "[]"]),
    ("lambda negative", {"fashion": {"model": {"lam": -1.0e-5}}}, ["lam", "-1e-05"]),
    ("lambda negative in a grid", {"runge": {"regularization": {"lambdas": [-1.0e-5, 1.0e-3]}}}, ["lambdas"]),
    ("duplicated grid value", {"fashion": {"optimizer_lambda": {"lam": [1.0e-5, 1.0e-5]}}}, ["lam", "non-unique"]),
    ("duplicated runge grid value", {"runge": {"depth_width": {"widths": [8, 8]}}}, ["widths", "non-unique"]),
    (
        "duplicated activation variant",
        {
            "fashion": {
                "activation": [{"name": "relu", "activation": "relu"}, {"name": "relu", "activation": "sigmoid"}]
            }
        },
        ["fashion.activation", "name"],
    ),
    ("zero repeats (seeds)", {"runge": {"repeats": 0}}, ["repeats"]),
    (
        "data directory that does not exist",
        {"fashion": {"debian_dir": "/nowhere/fashion-mnist"}},
        ["debian_dir", "/nowhere/fashion-mnist"],
    ),
    ("subset larger than its part", {"fashion": {"split": {"train_samples": 999_999}}}, ["train_samples", "999999"]),
    ("zero threads", {"verify": {"torch": {"threads": 0}}}, ["threads"]),
    ("validation fraction of one", {"fashion": {"split": {"validation_fraction": 1.0}}}, ["validation_fraction"]),
    ("unknown dtype", {"fashion": {"dtype": "float16"}}, ["dtype", "float16"]),
]


@pytest.fixture(scope="module")
def workflow_copy(tmp_path_factory, copy_workflow) -> Path:
    return copy_workflow(tmp_path_factory.mktemp("workflow"))


def run_snakemake(workdir: Path, overrides: dict, target: str = CHEAP_TARGET) -> subprocess.CompletedProcess:
    overrides_file = workdir / "overrides.yaml"
    overrides_file.write_text(yaml.safe_dump(overrides))
    command = [str(SNAKEMAKE), target, "--cores", "1", "--configfile", "config/quick.yaml", str(overrides_file)]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300)


def written_results(workdir: Path) -> list[str]:
    results = workdir / "results"
    return (
        sorted(str(path.relative_to(results)) for path in results.rglob("*") if path.is_file())
        if results.is_dir()
        else []
    )


def test_the_cheap_target_builds_from_a_good_config(workflow_copy):
    """The control: the same command with no bad override builds the target, so the refusals below
    are the bad input's doing."""
    result = run_snakemake(workflow_copy, {})
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert (workflow_copy / CHEAP_TARGET).is_file()
    shutil.rmtree(workflow_copy / "results")


@pytest.mark.parametrize(
    "overrides, names", [case[1:] for case in CONFIG_CASES], ids=[case[0] for case in CONFIG_CASES]
)
def test_bad_config_is_refused_before_any_job(workflow_copy, overrides, names):
    result = run_snakemake(workflow_copy, overrides)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"snakemake accepted a bad config:\n{output[-3000:]}"
    for name in names:
        assert name in output, f"the error does not name {name!r}:\n{output[-3000:]}"
    assert written_results(workflow_copy) == []


def test_results_folder_that_is_not_writable_is_refused(workflow_copy):
    # /proc refuses new files even to root, so this holds whoever runs the tests.
    results = workflow_copy / "results"
    shutil.rmtree(results, ignore_errors=True)  # an empty one the earlier cases' start-up made
    results.symlink_to("/proc/self/fdinfo", target_is_directory=True)
    try:
        result = run_snakemake(workflow_copy, {})
    finally:
        results.unlink()
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "results" in output and "not writable" in output, output[-3000:]


# ---------------------------------------------------------------- data


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes: magic 0x0000080<ndim>, the sizes, then the data."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.tobytes()


def _wrong_magic(content: bytes) -> bytes:
    return bytes([0, 0, 8, 2]) + content[4:]


def _wrong_count(content: bytes) -> bytes:
    return content[:4] + (int.from_bytes(content[4:8], "big") + 1).to_bytes(4, "big") + content[8:]


def _truncated_content(content: bytes) -> bytes:
    return content[:-100]


def _changed_pixel(content: bytes) -> bytes:
    return content[:-1] + bytes([(content[-1] + 1) % 256])


def _gz_truncated(gz: bytes) -> bytes:
    return gz[: len(gz) // 2]


def _gz_corrupted(gz: bytes) -> bytes:
    middle = len(gz) // 2
    return gz[:middle] + bytes(b ^ 0xFF for b in gz[middle : middle + 64]) + gz[middle + 64 :]


# (case id, change to the unzipped training images, change to their .gz (None: none), words the error must contain)
DATA_CASES = [
    ("truncated gzip file", None, _gz_truncated, ["train-images-idx3-ubyte.gz", "truncated or corrupt"]),
    ("corrupted gzip file", None, _gz_corrupted, ["train-images-idx3-ubyte.gz", "truncated or corrupt"]),
    ("wrong magic number", _wrong_magic, None, ["train-images-idx3-ubyte", "magic number 0x00000802"]),
    ("wrong image count", _wrong_count, None, ["train-images-idx3-ubyte", "says it holds 31 images"]),
    ("truncated IDX data", _truncated_content, None, ["train-images-idx3-ubyte", "truncated"]),
    ("wrong checksum", _changed_pixel, None, ["train-images-idx3-ubyte", "MD5 mismatch"]),
]


@pytest.mark.parametrize(
    "change_content, change_gz, names", [case[1:] for case in DATA_CASES], ids=[case[0] for case in DATA_CASES]
)
def test_bad_fashion_file_is_refused_and_nothing_is_kept(tmp_path, monkeypatch, change_content, change_gz, names):
    rng = np.random.default_rng(0)
    arrays = {
        fm.TRAIN_IMAGES: rng.integers(0, 256, size=(30, 28, 28), dtype=np.uint8),
        fm.TRAIN_LABELS: np.tile(np.arange(10, dtype=np.uint8), 3),
        fm.TEST_IMAGES: rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8),
        fm.TEST_LABELS: np.tile(np.arange(10, dtype=np.uint8), 2),
    }
    files = {name: idx_bytes(array) for name, array in arrays.items()}
    monkeypatch.setattr(fm, "RAW_FILE_MD5", {name: hashlib.md5(content).hexdigest() for name, content in files.items()})
    debian = tmp_path / "debian"
    debian.mkdir()
    for name, content in files.items():
        if name == fm.TRAIN_IMAGES and change_content is not None:
            content = change_content(content)
        compressed = gzip.compress(content)
        if name == fm.TRAIN_IMAGES and change_gz is not None:
            compressed = change_gz(compressed)
        (debian / f"{name}.gz").write_bytes(compressed)
    out = tmp_path / "results" / "fashion_mnist.npz"
    with pytest.raises(ValueError) as error:
        fm.prepare_fashion_mnist(tmp_path / "resources", out, debian)
    for name in names:
        assert name in str(error.value)
    assert not out.exists()
    assert not (fm.raw_dir(tmp_path / "resources") / fm.TRAIN_IMAGES).exists()
    assert not [path for path in tmp_path.rglob(".*") if path.is_file()], "a temporary file was left behind"


@pytest.mark.filterwarnings("error")  # the refusal must not leak the open file
def test_corrupt_cached_dataset_is_refused(tmp_path):
    cached = tmp_path / "fashion_mnist.npz"
    cached.write_bytes(b"PK\x03\x04 not really a zip archive")
    with pytest.raises(ValueError, match="fashion_mnist.npz is not a readable npz"):
        fm.load_fashion_mnist(cached)


def test_result_from_an_older_build_that_lacks_a_key_is_refused(tmp_path):
    """A grid cell written before `summary` existed: the table rule's reader names file and key,
    and the glue writes no table."""
    cell = tmp_path / "cells" / "width-64.json"
    cell.parent.mkdir()
    cell.write_text(json.dumps({"cell": "width-64", "axes": {"width": 64}, "settings": {}, "history": {}}))
    job = SimpleNamespace(
        input=SimpleNamespace(cells=[str(cell)]),
        output=SimpleNamespace(table=str(tmp_path / "out" / "table.csv"), curves=str(tmp_path / "out" / "curves.csv")),
        params=SimpleNamespace(axes=["width"], reference={}),
        log=[str(tmp_path / "table.log")],
    )
    with pytest.raises(ValueError) as error:
        runpy.run_path(str(ROOT / "workflow/scripts/fashion_grid_table.py"), init_globals={"snakemake": job})
    assert "width-64.json" in str(error.value) and "summary" in str(error.value) and "older build" in str(error.value)
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError, match="lacks"):
        load_json(cell, required=("summary",))


# ---------------------------------------------------------------- environment


def test_report_asked_for_without_quarto_stops_with_how_to_get_it(tmp_path):
    job = SimpleNamespace(
        params=SimpleNamespace(project=str(tmp_path / "report")),
        log=[str(tmp_path / "logs" / "quarto.log")],
        output=SimpleNamespace(html=str(tmp_path / "out" / "report.html"), pdf=str(tmp_path / "out" / "report.pdf")),
    )
    old_path = os.environ["PATH"]
    os.environ["PATH"] = str(tmp_path / "no-quarto-here")
    try:
        with pytest.raises(SystemExit) as stop:
            runpy.run_path(str(ROOT / "workflow/scripts/report_render.py"), init_globals={"snakemake": job})
    finally:
        os.environ["PATH"] = old_path
    assert "quarto" in str(stop.value.code)
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- numerics


def test_a_diverging_cell_is_recorded_with_its_epoch_tabled_and_drawn(tmp_path):
    """A learning rate far too large: the cell's fit stops, the record says when, the grid table
    keeps the row (never the pick) and the heatmap labels it; nothing raises, so the build goes on."""
    from ffnn.fashion.fitting import fit_on_split
    from ffnn.fashion.splits import FashionSplit
    from ffnn.fashion.tables import grid_table
    from ffnn.plots.fashion import lr_batch_heatmap

    data = np.random.default_rng(1)
    split = FashionSplit(
        data.random((200, 784), dtype=np.float32),
        data.integers(0, 10, 200),
        data.random((50, 784), dtype=np.float32),
        data.integers(0, 10, 50),
    )
    base = {
        "hidden_layers": [16],
        "activation": "linear",
        "leaky_slope": 0.01,
        "initializer": "normal",
        "optimizer": "sgd",
        "batch_size": 50,
        "epochs": 5,
        "penalty": None,
        "lam": 0.0,
        "record_every": 1,
    }
    records = []
    for learning_rate in (0.01, 1000.0):
        settings = {**base, "learning_rate": learning_rate}
        _, record = fit_on_split(settings, split, np.random.default_rng(0))
        records.append(
            {
                "cell": f"learning_rate-{learning_rate}",
                "axes": {"learning_rate": learning_rate, "batch_size": 50},
                **record,
            }
        )
    stable, diverged = (record["summary"] for record in records)
    assert not stable["diverged"] and stable["epochs_run"] == 5
    assert diverged["diverged"] and 1 <= diverged["epochs_run"] < 5
    table = grid_table(records, ["learning_rate", "batch_size"], {**base, "learning_rate": 0.01})
    row = table.set_index("cell").loc["learning_rate-1000.0"]
    assert (
        row["diverged"]
        and row["epochs_run"] == diverged["epochs_run"]
        and np.isnan(row["val_accuracy"])
        and not row["selected"]
    )
    texts = [text.get_text() for ax in lr_batch_heatmap(table).axes for text in ax.texts]
    assert f"diverged\nepoch {diverged['epochs_run']}" in texts
