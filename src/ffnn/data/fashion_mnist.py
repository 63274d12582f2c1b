"""Fashion-MNIST: obtain the raw IDX files, cache them as one compact npz, load, scale and split.

The raw files come from Debian's ``dataset-fashion-mnist`` package when it is installed (no
network needed), otherwise torchvision downloads them. Either way they are checked against the
official MD5 sums of the unzipped files.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..io import atomic_path, save_npz

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"

TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"

# MD5 of the unzipped files (the .gz sums differ between distributors, the contents do not).
RAW_FILE_MD5 = {
    TRAIN_IMAGES: "f4a8712d7a061bf5bd6d2ca38dc4d50a",
    TRAIN_LABELS: "9018921c3c673c538a1fc5bad174d6f9",
    TEST_IMAGES: "8181f5470baa50b63fa0f6fddb340f0a",
    TEST_LABELS: "15d484375f8d13e6eb1aabb0c3f46965",
}

CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
N_CLASSES = len(CLASS_NAMES)
IMAGE_SHAPE = (28, 28)
N_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
ARRAY_KEYS = ("x_train", "y_train", "x_test", "y_test")

_CHUNK_BYTES = 1 << 20


def raw_dir(root: str | os.PathLike) -> Path:
    """Folder ``<root>/FashionMNIST/raw`` where torchvision looks for the unzipped IDX files."""
    return Path(root) / "FashionMNIST" / "raw"


def _md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


# IDX magic numbers: unsigned bytes (0x08) in 3 dimensions (images) or 1 (labels).
_IDX_IMAGES_MAGIC, _IDX_LABELS_MAGIC = 0x00000803, 0x00000801


def _idx_problem(name: str, header: bytes, size: int) -> str | None:
    """What is wrong with the IDX file ``name`` of ``size`` bytes starting with ``header``, or None.

    Checks the magic number, the 28x28 image shape and that the item count in the header matches
    the bytes that follow it, so a damaged file is named by its fault before its checksum is.
    """
    images = name.endswith("images-idx3-ubyte")
    header_bytes = 16 if images else 8
    if len(header) < header_bytes:
        return f"has {size} bytes, fewer than its {header_bytes}-byte IDX header"
    magic, count, *shape = (int.from_bytes(header[i : i + 4], "big") for i in range(0, header_bytes, 4))
    expected_magic = _IDX_IMAGES_MAGIC if images else _IDX_LABELS_MAGIC
    if magic != expected_magic:
        return f"has magic number {magic:#010x}, expected {expected_magic:#010x}"
    if images and tuple(shape) != IMAGE_SHAPE:
        return f"has images of {shape[0]}x{shape[1]} pixels, expected {IMAGE_SHAPE[0]}x{IMAGE_SHAPE[1]}"
    item_bytes = N_PIXELS if images else 1
    if size != header_bytes + count * item_bytes:
        held = (size - header_bytes) / item_bytes
        return (
            f"says it holds {count} {'images' if images else 'labels'} but its data hold {held:g} (truncated or padded)"
        )
    return None


def _gunzip_checked(source: Path, target: Path, expected_md5: str) -> None:
    """Decompress ``source`` to ``target`` only if the decompressed bytes are a sound IDX file
    (see :func:`_idx_problem`) with ``expected_md5``."""

    def write(f: BinaryIO) -> None:
        digest = hashlib.md5()
        header, size = b"", 0
        try:
            with gzip.open(source, "rb") as g:
                for chunk in iter(lambda: g.read(_CHUNK_BYTES), b""):
                    digest.update(chunk)
                    header = header or chunk[:16]
                    size += len(chunk)
                    f.write(chunk)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"cannot decompress {source} (truncated or corrupt): {err}") from err
        problem = _idx_problem(target.name, header, size)
        if problem is not None:
            raise ValueError(f"{target.name} unzipped from {source} {problem}; the file was not kept")
        actual = digest.hexdigest()
        if actual != expected_md5:
            raise ValueError(
                f"MD5 mismatch for {target.name} unzipped from {source}: "
                f"expected {expected_md5}, got {actual}; the file was not kept"
            )

    with atomic_path(target) as tmp, open(tmp, "wb") as f:
        write(f)


def place_raw_files(root: str | os.PathLike, debian_dir: str | os.PathLike | None = DEBIAN_DIR) -> Path:
    """Make sure the four unzipped Fashion-MNIST IDX files are in ``<root>/FashionMNIST/raw/``.

    A file already there with the right MD5 is kept. Otherwise, if ``<debian_dir>/<name>.gz`` exists,
    it is unzipped into place (via a temporary file) and its MD5 checked. A file found in neither
    place is left for torchvision to download.

    Parameters
    ----------
    root : path-like
        Dataset root, as passed to ``torchvision.datasets.FashionMNIST``.
    debian_dir : path-like or None, default ``DEBIAN_DIR``
        Folder with the gzipped files of Debian's ``dataset-fashion-mnist``; ``None`` skips it.

    Returns
    -------
    pathlib.Path
        The raw folder ``<root>/FashionMNIST/raw``.

    Raises
    ------
    ValueError
        If an unzipped file's MD5 is wrong (the bad file is not kept), if a file already in the raw
        folder has a wrong MD5 and no Debian copy can replace it, or if a ``.gz`` is corrupt.
    """
    folder = raw_dir(root)
    for name, expected in RAW_FILE_MD5.items():
        target = folder / name
        if target.is_file():
            actual = _md5(target)
            if actual == expected:
                continue
        else:
            actual = None
        source = Path(debian_dir) / f"{name}.gz" if debian_dir is not None else None
        if source is not None and source.is_file():
            _gunzip_checked(source, target, expected)
        elif actual is not None:
            raise ValueError(
                f"MD5 mismatch for {target}: expected {expected}, got {actual}; "
                "delete it so that it can be fetched again"
            )
    return folder


def _how_to_get_data(root: str | os.PathLike) -> str:
    return (
        "Fashion-MNIST is not available and could not be downloaded. Get it in one of these ways:\n"
        "  * Debian/Ubuntu: apt-get install dataset-fashion-mnist (files land in "
        f"{DEBIAN_DIR});\n"
        "  * run on a machine with internet access (torchvision downloads the files);\n"
        f"  * place the four unzipped files {', '.join(RAW_FILE_MD5)} in {raw_dir(root)}/."
    )


def load_with_torchvision(root: str | os.PathLike) -> dict[str, np.ndarray]:
    """Load both splits through ``torchvision.datasets.FashionMNIST`` (downloading if needed).

    torchvision skips the download when the four unzipped files are already in the raw folder
    (see :func:`place_raw_files`).

    Parameters
    ----------
    root : path-like
        Dataset root; files live in ``<root>/FashionMNIST/raw``.

    Returns
    -------
    dict
        ``x_train`` uint8 (60000, 28, 28), ``y_train`` int64 (60000,), ``x_test`` uint8
        (10000, 28, 28), ``y_test`` int64 (10000,).

    Raises
    ------
    RuntimeError
        If the files are missing and cannot be downloaded; the message says how to get them.
    """
    from torchvision.datasets import FashionMNIST

    arrays = {}
    for split, train in (("train", True), ("test", False)):
        try:
            dataset = FashionMNIST(root, train=train, download=True)
        except (RuntimeError, OSError) as err:
            raise RuntimeError(f"{_how_to_get_data(root)}\n(torchvision said: {err})") from err
        arrays[f"x_{split}"] = dataset.data.numpy().astype(np.uint8, copy=False)
        arrays[f"y_{split}"] = dataset.targets.numpy().astype(np.int64, copy=False)
    return arrays


def _check_arrays(arrays: dict[str, np.ndarray], source: str | os.PathLike) -> None:
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.dtype != np.uint8 or x.ndim != 2 or x.shape[1] != N_PIXELS or x.shape[0] == 0:
            raise ValueError(
                f"{source}: x_{split} must be non-empty uint8 of shape (n, {N_PIXELS}), got {x.dtype} {x.shape}"
            )
        if y.dtype != np.uint8 or y.shape != (x.shape[0],):
            raise ValueError(f"{source}: y_{split} must be uint8 of shape ({x.shape[0]},), got {y.dtype} {y.shape}")
        if y.max() >= N_CLASSES:
            raise ValueError(f"{source}: y_{split} has label {y.max()}, expected 0..{N_CLASSES - 1}")


def prepare_fashion_mnist(
    root: str | os.PathLike,
    out_path: str | os.PathLike,
    debian_dir: str | os.PathLike | None = DEBIAN_DIR,
) -> Path:
    """Fetch Fashion-MNIST and write it as one compressed npz, atomically.

    Parameters
    ----------
    root : path-like
        Dataset root for the raw files (see :func:`place_raw_files`).
    out_path : path-like
        The npz to write: ``x_train`` uint8 (60000, 784), ``y_train`` uint8 (60000,),
        ``x_test`` uint8 (10000, 784), ``y_test`` uint8 (10000,).
    debian_dir : path-like or None, default ``DEBIAN_DIR``
        Where Debian's gzipped files are; ``None`` skips it.

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    place_raw_files(root, debian_dir)
    loaded = load_with_torchvision(root)
    arrays = {}
    for split in ("train", "test"):
        x = loaded[f"x_{split}"]
        arrays[f"x_{split}"] = x.reshape(x.shape[0], -1)
        arrays[f"y_{split}"] = loaded[f"y_{split}"].astype(np.uint8)
    _check_arrays(arrays, "torchvision's Fashion-MNIST")
    out_path = Path(out_path)
    save_npz(arrays, out_path, compressed=True)
    return out_path


def load_fashion_mnist(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Load the npz written by :func:`prepare_fashion_mnist`, checking what it holds.

    Parameters
    ----------
    path : path-like
        The npz file.

    Returns
    -------
    dict
        ``x_train`` uint8 (n_train, 784), ``y_train`` int64 (n_train,), ``x_test`` uint8
        (n_test, 784), ``y_test`` int64 (n_test,); labels in 0..9 (index into ``CLASS_NAMES``).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a readable npz or its arrays are missing or have wrong shapes/dtypes.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Fashion-MNIST npz not found: {path}")
    # Opened here, not by np.load, which leaves its own handle open when the archive is unreadable.
    with path.open("rb") as handle:
        try:
            npz = np.load(handle, allow_pickle=False)
        except (OSError, EOFError, ValueError, zipfile.BadZipFile) as err:
            raise ValueError(f"{path} is not a readable npz file: {err}") from err
        if not isinstance(npz, np.lib.npyio.NpzFile):
            raise ValueError(f"{path} holds a single array, not the npz archive of Fashion-MNIST arrays")
        missing = [key for key in ARRAY_KEYS if key not in npz.files]
        if missing:
            raise ValueError(f"{path}: missing arrays {missing}; found {sorted(npz.files)}")
        try:
            arrays = {key: npz[key] for key in ARRAY_KEYS}
        except (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error) as err:
            raise ValueError(f"{path} is corrupt, cannot read its arrays: {err}") from err
    _check_arrays(arrays, path)
    for split in ("train", "test"):
        arrays[f"y_{split}"] = arrays[f"y_{split}"].astype(np.int64)
    return arrays


def scale_pixels(x: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    """Map uint8 pixel values 0..255 to [0, 1].

    Parameters
    ----------
    x : ndarray of uint8, any shape
        Raw pixel intensities.
    dtype : floating dtype, default ``np.float32``
        Dtype of the result.

    Returns
    -------
    ndarray
        ``x / 255`` as a new C-contiguous array of ``dtype``, same shape as ``x``.
    """
    x = np.asarray(x)
    if x.dtype != np.uint8:
        raise ValueError(f"pixels must be uint8 (0..255), got {x.dtype}")
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"dtype must be a floating type, got {dtype}")
    return np.ascontiguousarray(x, dtype=dtype) / dtype.type(255)


def _check_labels_and_rng(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be a non-empty 1-D integer array, got {y.dtype} {y.shape}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return y


def _stratified_pick(y: np.ndarray, n_pick: int, rng: np.random.Generator) -> np.ndarray:
    """Boolean mask choosing ``n_pick`` examples at random, class proportions kept.

    Class quotas are ``n_pick * n_class / n`` rounded by the largest-remainder method, so they
    sum to exactly ``n_pick``.
    """
    n = y.size
    # Shuffle, then stable-sort by label: each class becomes a contiguous block in random order.
    shuffled = rng.permutation(n)
    order = shuffled[np.argsort(y[shuffled], kind="stable")]
    _, starts, counts = np.unique(y[order], return_index=True, return_counts=True)
    quotas, remainders = np.divmod(n_pick * counts, n)
    leftover = n_pick - quotas.sum()
    quotas[np.argsort(-remainders, kind="stable")[:leftover]] += 1
    rank_in_class = np.arange(n) - np.repeat(starts, counts)
    mask = np.zeros(n, dtype=bool)
    mask[order[rank_in_class < np.repeat(quotas, counts)]] = True
    return mask


def stratified_validation_split(
    y: np.ndarray, val_fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Split example indices into training and validation sets, stratified by class.

    Parameters
    ----------
    y : ndarray of int, shape (n,)
        Class labels.
    val_fraction : float
        Share of examples for validation, in (0, 1); ``round(val_fraction * n)`` are taken.
    rng : numpy.random.Generator
        Source of the random choice.

    Returns
    -------
    train_idx, val_idx : ndarray of int64
        Sorted, disjoint indices into ``y`` that together cover ``0..n-1``.

    Raises
    ------
    ValueError
        If ``val_fraction`` is outside (0, 1) or leaves either set empty.
    """
    y = _check_labels_and_rng(y, rng)
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction!r}")
    n_val = int(round(val_fraction * y.size))
    if not 0 < n_val < y.size:
        raise ValueError(
            f"val_fraction={val_fraction} of {y.size} examples gives {n_val} for validation; "
            "both sets must be non-empty"
        )
    in_val = _stratified_pick(y, n_val, rng)
    return np.flatnonzero(~in_val), np.flatnonzero(in_val)


def subsample_stratified(y: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Pick ``n`` example indices at random, keeping class proportions.

    Parameters
    ----------
    y : ndarray of int, shape (n_total,)
        Class labels.
    n : int
        How many to pick, 1 <= n <= n_total.
    rng : numpy.random.Generator
        Source of the random choice.

    Returns
    -------
    ndarray of int64, shape (n,)
        Sorted indices into ``y``.
    """
    y = _check_labels_and_rng(y, rng)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= y.size:
        raise ValueError(f"n must be an integer in [1, {y.size}], got {n!r}")
    return np.flatnonzero(_stratified_pick(y, int(n), rng))
