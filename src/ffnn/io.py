"""Atomic result files: a reader never sees a half-written JSON or CSV."""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits


def _atomic_write(path: str | os.PathLike, write) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(tmp, 0o644)  # mkstemp makes files owner-only; results are meant to be shared
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
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
    _atomic_write(path, lambda stream: json.dump(_jsonable(obj), stream, indent=1, allow_nan=False))


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
    _atomic_write(path, lambda stream: table.to_csv(stream, index=False))


@contextlib.contextmanager
def logged(log_files, blas_threads=None):
    """Send stdout and stderr to the first of ``log_files`` (a job's log list; none: leave them).

    A failure's traceback is written to the log before it propagates. ``blas_threads`` (None:
    leave them) pins NumPy's BLAS to that many threads: a job takes the count its config fixes,
    not Snakemake's grant, because sums split over another number of threads round differently.
    """
    with contextlib.ExitStack() as stack:
        if blas_threads is not None:
            stack.enter_context(threadpool_limits(blas_threads, user_api="blas"))
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
