"""Atomic result files: a reader never sees a half-written JSON, CSV, npz or PNG.

Every result file the library and the workflow write (JSON, CSV, npz, PNG, the unzipped raw
FashionMNIST files) goes through :func:`atomic_path`, so all of them get one permission: the one a
plain ``open(path, "w")`` gives, ``0o666 & ~umask`` (``rw-r--r--`` under the usual umask 022).
Whoever runs the build decides with the umask who may read the results, as for the files written
in place (the jobs' logs, the rendered report), which get the same permission.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import traceback
import uuid
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Iterator, Mapping

import numpy as np
from threadpoolctl import threadpool_limits

if TYPE_CHECKING:  # only named in annotations: the data modules import this one, and need no pandas
    import pandas as pd


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to, renamed to ``path`` once the block succeeds.

    The temporary file is created empty, with mode ``0o666`` that the kernel masks by the umask
    (what ``open(path, "w")`` gives), and named ``.<name>.<random hex>.tmp`` in ``path``'s folder,
    so the rename is atomic and a build killed mid-write leaves a hidden ``.tmp`` file that the
    stale-lock tool clears. Open it by name and write; truncating it keeps its mode. On any
    error the temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : path-like
        The file to write; its folder is made if missing.

    Yields
    ------
    pathlib.Path
        The temporary file. Hand writers that add a suffix to a bare name (``numpy.savez``) an
        open file rather than this path, and tell Matplotlib the format (``format="png"``).

    Examples
    --------
    >>> with atomic_path(target) as tmp, open(tmp, "wb") as stream:  # doctest: +SKIP
    ...     np.savez(stream, x=x)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _jsonable(value):
    """NumPy scalars/arrays to Python; non-finite floats to None (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def save_json(obj, path: str | os.PathLike) -> None:
    """Write ``obj`` as indented JSON, atomically. NaN and infinities become ``null``."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as stream:
        json.dump(_jsonable(obj), stream, indent=1, allow_nan=False)


def load_json(path: str | os.PathLike, required: tuple[str, ...] = ()):
    """Read a JSON file; a dict that lacks a key of ``required`` (say, a result an older build of
    the workflow wrote) is refused with the file and the keys named, before anything uses it."""
    with open(path, encoding="utf-8") as stream:
        record = json.load(stream)
    missing = [key for key in required if key not in record]
    if missing:
        raise ValueError(
            f"{path} lacks {missing}: it was written by an older build of the workflow; "
            "delete it (or run snakemake with --forcerun on its rule) so that it is made again"
        )
    return record


def save_table(table: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``table`` as CSV without the index, atomically."""
    # newline="" (here and in save_json): line ends written as they are, the same bytes on any system.
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as stream:
        table.to_csv(stream, index=False)


def save_npz(arrays: Mapping[str, np.ndarray], path: str | os.PathLike, compressed: bool = False) -> None:
    """Write ``arrays`` (name -> array) as an npz at ``path``, atomically.

    Parameters
    ----------
    arrays : mapping of str to numpy.ndarray
        The arrays, stored under their names.
    path : path-like
        The npz to write.
    compressed : bool, default False
        Deflate the arrays (``numpy.savez_compressed``): smaller, slower to read.
    """
    save = np.savez_compressed if compressed else np.savez
    with atomic_path(path) as tmp, open(tmp, "wb") as stream:
        save(stream, **arrays)


@contextlib.contextmanager
def logged(log_files, blas_threads=None):
    """Send stdout and stderr to the first of ``log_files`` (a job's log list; none: leave them).

    A failure's traceback is written to the log before it propagates. ``blas_threads`` (None:
    leave them) pins NumPy's BLAS and the library's parallel kernels to that many threads: a job
    takes the count its config fixes, not Snakemake's grant, because sums split over another number
    of threads round differently.
    """
    with contextlib.ExitStack() as stack:
        if blas_threads is not None:
            from . import kernels  # here: Numba loads only in the jobs that train

            stack.enter_context(threadpool_limits(blas_threads, user_api="blas"))
            stack.enter_context(kernels.threads(blas_threads))
        if not log_files:
            yield
            return
        log = stack.enter_context(open(log_files[0], "w"))
        stack.enter_context(contextlib.redirect_stdout(log))
        stack.enter_context(contextlib.redirect_stderr(log))
        try:
            yield
        except BaseException:
            traceback.print_exc(file=log)
            raise
