"""Atomic npz writing: a reader never sees a half-written array file."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Mapping

import numpy as np


def save_npz(arrays: Mapping[str, np.ndarray], path: str | os.PathLike) -> None:
    """Write ``arrays`` (name -> array) as an uncompressed npz at ``path`` via a temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name opened with "x" (not tempfile.mkstemp) so the file gets the usual umask permissions.
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "xb") as stream:
            np.savez(stream, **arrays)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
