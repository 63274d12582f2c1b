"""Atomic npz writing: a reader never sees a half-written array file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping

import numpy as np


def save_npz(arrays: Mapping[str, np.ndarray], path: str | os.PathLike) -> None:
    """Write ``arrays`` (name -> array) as an uncompressed npz at ``path`` via a temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
