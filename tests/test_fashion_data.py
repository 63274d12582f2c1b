import gzip
import hashlib
import struct
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pytest
import torchvision.datasets.mnist

from ffnn.data import fashion_mnist as fm

REAL_DEBIAN_DIR = Path(fm.DEBIAN_DIR)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Make every torchvision download fail at once; records the attempted file names."""
    attempts = []

    def refuse(url, download_root, filename=None, md5=None, **kwargs):
        attempts.append(filename)
        raise URLError("network disabled in tests")

    monkeypatch.setattr(torchvision.datasets.mnist, "download_and_extract_archive", refuse)
    return attempts


def idx_bytes(array):
    """Serialise a uint8 array in the IDX format: magic 2049 (1-D) / 2051 (3-D), big-endian dims."""
    magic = {1: 2049, 3: 2051}[array.ndim]
    return struct.pack(f">{1 + array.ndim}I", magic, *array.shape) + array.astype(np.uint8).tobytes()


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A fake Debian folder of gzipped tiny IDX files, with the MD5 table pointed at them."""
    rng = np.random.default_rng(6114)
    arrays = {
        "x_train": rng.integers(0, 256, size=(30, 28, 28), dtype=np.uint8),
        "y_train": np.tile(np.arange(10, dtype=np.uint8), 3),
        "x_test": rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8),
        "y_test": np.tile(np.arange(10, dtype=np.uint8), 2),
    }
    files = {
        fm.TRAIN_IMAGES: idx_bytes(arrays["x_train"]),
        fm.TRAIN_LABELS: idx_bytes(arrays["y_train"]),
        fm.TEST_IMAGES: idx_bytes(arrays["x_test"]),
        fm.TEST_LABELS: idx_bytes(arrays["y_test"]),
    }
    debian = tmp_path / "debian"
    debian.mkdir()
    for name, content in files.items():
        (debian / f"{name}.gz").write_bytes(gzip.compress(content))
    monkeypatch.setattr(fm, "RAW_FILE_MD5", {name: hashlib.md5(c).hexdigest() for name, c in files.items()})
    return {"debian": debian, "root": tmp_path / "resources", "files": files, "arrays": arrays}


def test_place_raw_files_unzips_into_torchvision_layout(tiny, no_network):
    raw = fm.place_raw_files(tiny["root"], tiny["debian"])
    assert raw == tiny["root"] / "FashionMNIST" / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(tiny["files"])  # no temporary files left
    for name, content in tiny["files"].items():
        assert (raw / name).read_bytes() == content

    loaded = fm.load_with_torchvision(tiny["root"])
    assert no_network == []
    for split in ("train", "test"):
        assert loaded[f"x_{split}"].dtype == np.uint8
        assert loaded[f"y_{split}"].dtype == np.int64
        np.testing.assert_array_equal(loaded[f"x_{split}"], tiny["arrays"][f"x_{split}"])
        np.testing.assert_array_equal(loaded[f"y_{split}"], tiny["arrays"][f"y_{split}"])


def test_place_raw_files_keeps_good_files_without_debian(tiny):
    raw = fm.place_raw_files(tiny["root"], tiny["debian"])
    fm.place_raw_files(tiny["root"], debian_dir=None)
    fm.place_raw_files(tiny["root"], debian_dir=tiny["root"] / "nowhere")
    for name, content in tiny["files"].items():
        assert (raw / name).read_bytes() == content


def test_wrong_md5_is_refused_and_not_kept(tiny, monkeypatch):
    expected = "0" * 32
    monkeypatch.setitem(fm.RAW_FILE_MD5, fm.TRAIN_IMAGES, expected)
    actual = hashlib.md5(tiny["files"][fm.TRAIN_IMAGES]).hexdigest()
    with pytest.raises(ValueError, match="MD5 mismatch") as info:
        fm.place_raw_files(tiny["root"], tiny["debian"])
    message = str(info.value)
    assert fm.TRAIN_IMAGES in message and expected in message and actual in message
    raw = fm.raw_dir(tiny["root"])
    assert not (raw / fm.TRAIN_IMAGES).exists()
    assert not [p for p in raw.iterdir() if p.name.startswith(".")]


def test_corrupt_existing_file_is_replaced_from_debian(tiny):
    raw = fm.place_raw_files(tiny["root"], tiny["debian"])
    (raw / fm.TEST_LABELS).write_bytes(b"garbage")
    fm.place_raw_files(tiny["root"], tiny["debian"])
    assert (raw / fm.TEST_LABELS).read_bytes() == tiny["files"][fm.TEST_LABELS]


def test_corrupt_existing_file_without_debian_copy_is_an_error(tiny):
    raw = fm.place_raw_files(tiny["root"], tiny["debian"])
    (raw / fm.TEST_LABELS).write_bytes(b"garbage")
    with pytest.raises(ValueError, match=f"MD5 mismatch for .*{fm.TEST_LABELS}"):
        fm.place_raw_files(tiny["root"], debian_dir=None)


def test_corrupt_gzip_is_an_error_naming_it(tiny):
    (tiny["debian"] / f"{fm.TRAIN_LABELS}.gz").write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match=f"cannot decompress .*{fm.TRAIN_LABELS}.gz"):
        fm.place_raw_files(tiny["root"], tiny["debian"])
    assert not (fm.raw_dir(tiny["root"]) / fm.TRAIN_LABELS).exists()


def test_missing_everywhere_gives_how_to_error(tmp_path, no_network):
    root = tmp_path / "resources"
    empty_debian = tmp_path / "no-debian"
    empty_debian.mkdir()
    fm.place_raw_files(root, empty_debian)
    assert not fm.raw_dir(root).exists() or not any(fm.raw_dir(root).iterdir())
    with pytest.raises(RuntimeError) as info:
        fm.load_with_torchvision(root)
    message = str(info.value)
    assert "apt-get install dataset-fashion-mnist" in message
    assert "internet" in message
    assert str(fm.raw_dir(root)) in message
    assert no_network, "torchvision should have tried (and failed) to download"
    with pytest.raises(RuntimeError, match="apt-get install dataset-fashion-mnist"):
        fm.prepare_fashion_mnist(root, tmp_path / "fashion.npz", debian_dir=empty_debian)
    assert not (tmp_path / "fashion.npz").exists()


def test_prepare_and_load_roundtrip(tiny, tmp_path):
    out = tmp_path / "data" / "fashion_mnist.npz"
    assert fm.prepare_fashion_mnist(tiny["root"], out, tiny["debian"]) == out
    assert [p.name for p in out.parent.iterdir()] == [out.name]
    with np.load(out) as npz:
        assert sorted(npz.files) == sorted(fm.ARRAY_KEYS)
        assert all(npz[key].dtype == np.uint8 for key in fm.ARRAY_KEYS)
    data = fm.load_fashion_mnist(out)
    for split in ("train", "test"):
        expected_x = tiny["arrays"][f"x_{split}"]
        np.testing.assert_array_equal(data[f"x_{split}"], expected_x.reshape(len(expected_x), 784))
        np.testing.assert_array_equal(data[f"y_{split}"], tiny["arrays"][f"y_{split}"])
        assert data[f"x_{split}"].dtype == np.uint8
        assert data[f"y_{split}"].dtype == np.int64


def valid_arrays():
    return {
        "x_train": np.zeros((4, 784), np.uint8),
        "y_train": np.array([0, 1, 2, 9], np.uint8),
        "x_test": np.zeros((2, 784), np.uint8),
        "y_test": np.array([3, 4], np.uint8),
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"x_train": np.zeros((4, 28, 28), np.uint8)}, "x_train must be"),
        ({"x_test": np.zeros((2, 784), np.float32)}, "x_test must be"),
        ({"y_train": np.array([0, 1, 2], np.uint8)}, "y_train must be"),
        ({"y_test": np.array([3, 4], np.int64)}, "y_test must be"),
        ({"y_train": np.array([0, 1, 2, 10], np.uint8)}, "label 10"),
    ],
)
def test_load_rejects_wrong_arrays(tmp_path, change, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **{**valid_arrays(), **change})
    with pytest.raises(ValueError, match=message) as info:
        fm.load_fashion_mnist(path)
    assert str(path) in str(info.value)


def test_load_rejects_missing_arrays(tmp_path):
    path = tmp_path / "partial.npz"
    arrays = valid_arrays()
    del arrays["y_test"]
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"missing arrays \['y_test'\]"):
        fm.load_fashion_mnist(path)


def test_load_rejects_unreadable_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.npz"):
        fm.load_fashion_mnist(tmp_path / "absent.npz")

    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not an npz archive")
    with pytest.raises(ValueError, match="garbage.npz"):
        fm.load_fashion_mnist(garbage)

    good = tmp_path / "good.npz"
    np.savez_compressed(good, **valid_arrays())
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ValueError, match="truncated.npz"):
        fm.load_fashion_mnist(truncated)

    single = tmp_path / "single.npz"
    with open(single, "wb") as f:
        np.save(f, np.zeros(3))
    with pytest.raises(ValueError, match="single.npz.*single array"):
        fm.load_fashion_mnist(single)


def test_scale_pixels():
    x = np.arange(256, dtype=np.uint8).reshape(16, 16)
    scaled = fm.scale_pixels(x)
    assert scaled.dtype == np.float32 and scaled.shape == x.shape
    assert scaled.min() == 0.0 and scaled.max() == 1.0
    np.testing.assert_allclose(scaled, x / 255.0, rtol=1e-6)

    strided = fm.scale_pixels(x.T[:, ::2], dtype=np.float64)
    assert strided.dtype == np.float64 and strided.flags.c_contiguous
    np.testing.assert_array_equal(strided, x.T[:, ::2] / 255.0)

    with pytest.raises(ValueError, match="uint8"):
        fm.scale_pixels(x.astype(np.float64))
    with pytest.raises(ValueError, match="floating"):
        fm.scale_pixels(x, dtype=np.int32)


def unbalanced_labels(rng):
    counts = np.array([500, 300, 200, 103, 97, 50, 40, 7, 3, 1])
    return rng.permutation(np.repeat(np.arange(10), counts)), counts


def test_stratified_validation_split_proportions():
    y, counts = unbalanced_labels(np.random.default_rng(0))
    train_idx, val_idx = fm.stratified_validation_split(y, 0.15, np.random.default_rng(6114))
    assert len(val_idx) == round(0.15 * len(y))
    assert np.intersect1d(train_idx, val_idx).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train_idx, val_idx])), np.arange(len(y)))
    assert np.all(np.diff(train_idx) > 0) and np.all(np.diff(val_idx) > 0)
    val_counts = np.bincount(y[val_idx], minlength=10)
    assert np.all(np.abs(val_counts - 0.15 * counts) < 1)


def test_stratified_validation_split_is_deterministic_per_seed():
    y, _ = unbalanced_labels(np.random.default_rng(0))
    first = fm.stratified_validation_split(y, 0.2, np.random.default_rng(6114))
    again = fm.stratified_validation_split(y, 0.2, np.random.default_rng(6114))
    other = fm.stratified_validation_split(y, 0.2, np.random.default_rng(7))
    np.testing.assert_array_equal(first[1], again[1])
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[1], other[1])


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5, float("nan"), 0.001])
def test_stratified_validation_split_rejects_bad_fraction(fraction):
    y = np.repeat(np.arange(10), 10)
    with pytest.raises(ValueError, match="val_fraction"):
        fm.stratified_validation_split(y, fraction, np.random.default_rng(0))


def test_split_and_subsample_reject_bad_inputs():
    with pytest.raises(TypeError, match="Generator"):
        fm.stratified_validation_split(np.arange(10) % 2, 0.5, 6114)
    with pytest.raises(ValueError, match="1-D integer"):
        fm.stratified_validation_split(np.zeros((4, 2), int), 0.5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="1-D integer"):
        fm.subsample_stratified(np.array([0.5, 1.5]), 1, np.random.default_rng(0))
    for n in (0, 11, 2.5):
        with pytest.raises(ValueError, match="n must be"):
            fm.subsample_stratified(np.arange(10) % 2, n, np.random.default_rng(0))


def test_subsample_stratified():
    y, counts = unbalanced_labels(np.random.default_rng(1))
    idx = fm.subsample_stratified(y, 130, np.random.default_rng(6114))
    assert idx.shape == (130,) and np.unique(idx).size == 130 and np.all(np.diff(idx) > 0)
    picked = np.bincount(y[idx], minlength=10)
    assert np.all(np.abs(picked - 130 * counts / counts.sum()) < 1)
    np.testing.assert_array_equal(idx, fm.subsample_stratified(y, 130, np.random.default_rng(6114)))
    np.testing.assert_array_equal(fm.subsample_stratified(y, len(y), np.random.default_rng(0)), np.arange(len(y)))


@pytest.mark.skipif(
    not all((REAL_DEBIAN_DIR / f"{name}.gz").is_file() for name in fm.RAW_FILE_MD5),
    reason=f"Debian's dataset-fashion-mnist is not installed in {REAL_DEBIAN_DIR}",
)
def test_prepare_real_fashion_mnist_from_debian(tmp_path, no_network):
    out = fm.prepare_fashion_mnist(tmp_path / "resources", tmp_path / "fashion_mnist.npz")
    assert no_network == []
    data = fm.load_fashion_mnist(out)
    assert data["x_train"].shape == (60000, 784) and data["x_test"].shape == (10000, 784)
    np.testing.assert_array_equal(np.bincount(data["y_train"]), np.full(10, 6000))
    np.testing.assert_array_equal(np.bincount(data["y_test"]), np.full(10, 1000))
    assert data["x_train"].max() == 255 and data["x_train"].min() == 0
    assert len(fm.CLASS_NAMES) == 10
