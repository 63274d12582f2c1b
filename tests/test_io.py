"""Atomic result files: JSON conversion, CSV round trip, no half-written files, one permission."""

import gzip
import hashlib
import json
import os
import stat

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from threadpoolctl import threadpool_info

from ffnn.data import fashion_mnist as fm
from ffnn.data.runge import make_runge_split
from ffnn.fashion.splits import save_splits
from ffnn.io import atomic_path, load_json, logged, save_json, save_npz, save_table
from ffnn.plots.style import figure_size, save_figure


def leftovers(directory, target_name):
    """Files in ``directory`` other than the target: temp files that should not survive."""
    return sorted(p.name for p in directory.iterdir() if p.name != target_name)


def test_save_json_converts_numpy_types(tmp_path):
    record = {
        "float64": np.float64(0.25),
        "float32": np.float32(0.5),
        "int": np.int64(7),
        "bool": np.bool_(True),
        "array": np.arange(3),
        "matrix": np.eye(2, dtype=np.float32),
        "tuple": (1, np.int32(2)),
        np.int64(3): "numpy key",
        "nested": [{"x": np.float64(1.5)}],
    }
    save_json(record, tmp_path / "r.json")
    assert load_json(tmp_path / "r.json") == {
        "float64": 0.25,
        "float32": 0.5,
        "int": 7,
        "bool": True,
        "array": [0, 1, 2],
        "matrix": [[1.0, 0.0], [0.0, 1.0]],
        "tuple": [1, 2],
        "3": "numpy key",
        "nested": [{"x": 1.5}],
    }


def test_save_json_writes_non_finite_as_null(tmp_path):
    record = {
        "nan": float("nan"),
        "np_nan": np.float32("nan"),
        "inf": np.inf,
        "curve": np.array([1.0, np.nan, -np.inf]),
    }
    save_json(record, tmp_path / "r.json")
    text = (tmp_path / "r.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    # Strict JSON: a parser that rejects NaN/Infinity constants must accept the file.
    strict = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard constant {name}"))
    assert strict == {"nan": None, "np_nan": None, "inf": None, "curve": [1.0, None, None]}


def test_save_json_floats_round_trip_exactly(tmp_path, rng):
    values = rng.standard_normal(20)
    save_json({"v": values}, tmp_path / "r.json")
    assert load_json(tmp_path / "r.json")["v"] == values.tolist()


def test_save_json_creates_parents_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "cells" / "grid" / "cell.json"
    save_json({"a": 1}, target)
    assert load_json(target) == {"a": 1}
    assert leftovers(target.parent, target.name) == []


def test_save_json_replaces_existing_file(tmp_path):
    target = tmp_path / "r.json"
    save_json({"old": True}, target)
    save_json({"new": True}, target)
    assert load_json(target) == {"new": True}
    assert leftovers(tmp_path, target.name) == []


def test_failed_json_write_leaves_target_untouched(tmp_path):
    target = tmp_path / "r.json"
    save_json({"good": 1}, target)
    before = target.read_bytes()
    # json.dump has already written "good" to the temp file when it meets the object.
    with pytest.raises(TypeError):
        save_json({"good": 2, "bad": object()}, target)
    assert target.read_bytes() == before
    assert leftovers(tmp_path, target.name) == []


def test_failed_first_write_creates_nothing(tmp_path):
    target = tmp_path / "r.json"
    with pytest.raises(TypeError):
        save_json({"bad": object()}, target)
    assert list(tmp_path.iterdir()) == []


def test_save_table_round_trip(tmp_path, rng):
    table = pd.DataFrame(
        {
            "depth": np.arange(1, 6),
            "activation": ["sigmoid", "relu", "leaky_relu", "relu", "sigmoid"],
            "mse": rng.random(5),
            "diverged": [False, False, True, False, False],
        }
    )
    table.loc[2, "mse"] = np.nan
    target = tmp_path / "tables" / "runge_depth_width_mse.csv"
    save_table(table, target)
    assert target.read_text().splitlines()[0] == "depth,activation,mse,diverged"  # no index column
    pd.testing.assert_frame_equal(pd.read_csv(target), table, check_exact=True)
    assert leftovers(target.parent, target.name) == []


def test_failed_table_write_leaves_target_untouched(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    save_table(pd.DataFrame({"a": [1, 2]}), target)
    before = target.read_bytes()

    def write_half_then_fail(self, stream, **kwargs):
        stream.write("a\n3\n")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        save_table(pd.DataFrame({"a": [3, 4]}), target)
    assert target.read_bytes() == before
    assert leftovers(tmp_path, target.name) == []


def test_a_failed_write_leaves_no_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "r.bin"
    with pytest.raises(RuntimeError, match="writer failed"), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert list(tmp_path.iterdir()) == []


def test_the_temporary_file_is_hidden_beside_the_target_and_named_for_the_stale_lock_tool(tmp_path):
    target = tmp_path / "figures" / "f.png"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp.is_file()
        assert tmp.name.startswith(".f.png.") and tmp.suffix == ".tmp"  # what a killed build leaves
    assert target.is_file() and not tmp.exists()


def _savez_half_then_fail(stream, **arrays):
    stream.write(b"half")
    raise OSError("disk full")


def _savefig_half_then_fail(fig, fname, **kwargs):
    with open(fname, "wb") as stream:
        stream.write(b"half")
    raise OSError("disk full")


@pytest.mark.parametrize(
    "write, owner, name, failing",
    [
        (lambda path: save_npz({"a": np.arange(3)}, path), np, "savez", _savez_half_then_fail),
        (
            lambda path: save_figure(plt.figure(figsize=figure_size(0.5)), path),
            plt.Figure,
            "savefig",
            _savefig_half_then_fail,
        ),
    ],
    ids=["npz", "png"],
)
def test_a_failed_npz_or_png_write_leaves_the_target_untouched(tmp_path, monkeypatch, write, owner, name, failing):
    target = tmp_path / "out"
    target.write_bytes(b"before")
    monkeypatch.setattr(owner, name, failing)
    with pytest.raises(OSError, match="disk full"):
        write(target)
    assert target.read_bytes() == b"before"
    assert leftovers(tmp_path, target.name) == []


@pytest.fixture(params=[0o022, 0o027], ids=["umask-022", "umask-027"])
def umask(request):
    """Run the test under this umask (restored after); 027 tells the rule apart from a fixed 0o644."""
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def _gunzip_labels(path):
    """Raw FashionMNIST files are unzipped through the same writer: a tiny IDX labels file here."""
    labels = np.arange(10, dtype=np.uint8)
    content = (0x801).to_bytes(4, "big") + len(labels).to_bytes(4, "big") + labels.tobytes()
    source = path.parent.with_name("labels.gz")  # outside the folder whose leftovers are checked
    source.write_bytes(gzip.compress(content))
    fm._gunzip_checked(source, path, hashlib.md5(content).hexdigest())


#: Every kind of file the library writes, each through its own public writer.
WRITERS = {
    "json": lambda path: save_json({"a": 1}, path),
    "csv": lambda path: save_table(pd.DataFrame({"a": [1]}), path),
    "npz": lambda path: save_npz({"a": np.arange(3)}, path),
    "compressed npz": lambda path: save_npz({"a": np.arange(3)}, path, compressed=True),
    "Runge split npz": lambda path: make_runge_split(20, rng=np.random.default_rng(0)).save(path),
    "FashionMNIST splits npz": lambda path: save_splits({"train_idx": np.arange(3), "val_idx": np.arange(3, 5)}, path),
    "raw FashionMNIST file": _gunzip_labels,
    "png": lambda path: save_figure(plt.figure(figsize=figure_size(0.5)), path),
}


@pytest.mark.parametrize("kind", WRITERS)
def test_every_kind_of_file_gets_the_permission_a_plain_open_gives(tmp_path, umask, kind):
    plain = tmp_path / "plain"
    plain.open("w").close()
    expected = 0o666 & ~umask
    assert stat.S_IMODE(plain.stat().st_mode) == expected
    target = tmp_path / "out" / "result"
    WRITERS[kind](target)
    assert oct(stat.S_IMODE(target.stat().st_mode)) == oct(expected)
    assert leftovers(target.parent, target.name) == []


def _blas_threads():
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_logged_sends_output_and_a_failure_to_the_log_and_pins_blas_threads(tmp_path, capsys):
    log = tmp_path / "job.log"
    with logged([log], blas_threads=1):
        print("inside")
        assert _blas_threads() == {1}
    with pytest.raises(ValueError, match="bad setting"), logged([log]):
        print("second job")
        raise ValueError("bad setting")
    text = log.read_text()
    assert text.startswith("second job") and "ValueError: bad setting" in text
    assert "inside" not in capsys.readouterr().out


def test_logged_without_a_log_leaves_output_alone(capsys):
    with logged([]):
        print("to the terminal")
    assert capsys.readouterr().out == "to the terminal\n"
