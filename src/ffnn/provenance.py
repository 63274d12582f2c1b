"""What built a set of results: code, configuration, software and machine, read from the build itself.

:func:`collect_provenance` gathers it as one JSON-ready dictionary; the report's appendix prints it,
so that a reader of a PDF months later can tell which commit, settings and machine made each number.
Every part is looked up, never typed in; what cannot be found is recorded as ``None`` with no guess.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, UTC
from importlib import metadata
from pathlib import Path

#: The distributions whose versions decide the numbers of the study -> the names a reader knows them by.
STUDY_PACKAGES = {
    "numpy": "NumPy",
    "scipy": "SciPy",
    "scikit-learn": "scikit-learn",
    "torch": "PyTorch",
    "torchvision": "torchvision",
    "snakemake": "Snakemake",
}


def file_sha256(path: str | os.PathLike) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def config_sha256(config: Mapping) -> str:
    """The SHA-256 of a configuration as canonical JSON (sorted keys), so equal settings hash equally
    whatever files and key order they came from."""
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def git_state(repository: str | os.PathLike = ".") -> dict:
    """The commit checked out in ``repository`` and whether its tracked files differ from it.

    Returns ``{"commit": str | None, "dirty": bool | None}``; both are ``None`` outside a git
    working tree or without the ``git`` program (e.g. an unpacked source archive).
    """

    def git(*arguments: str) -> str | None:
        if shutil.which("git") is None:
            return None
        finished = subprocess.run(["git", *arguments], cwd=repository, capture_output=True, text=True)
        return finished.stdout.strip() if finished.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None}
    changes = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": None if changes is None else bool(changes)}


def package_versions(names: Iterable[str] = STUDY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution in ``names`` (``None`` where it is not installed)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def quarto_version(program: str = "quarto") -> str | None:
    """``quarto --version`` of the Quarto on PATH, or ``None`` where there is none."""
    found = shutil.which(program)
    if found is None:
        return None
    finished = subprocess.run([found, "--version"], capture_output=True, text=True)
    version = finished.stdout.strip()
    return version if finished.returncode == 0 and version else None


def blas_libraries() -> list[dict]:
    """The BLAS libraries NumPy has loaded, as threadpoolctl sees them: library, version, kernel
    (the CPU architecture OpenBLAS chose, where it says) and the thread count it would use."""
    import numpy  # noqa: F401  (loads NumPy's BLAS, so threadpoolctl can find it)
    from threadpoolctl import threadpool_info

    return [
        {
            "library": pool.get("internal_api"),
            "version": pool.get("version"),
            "kernel": pool.get("architecture"),
            "threads": pool.get("num_threads"),
        }
        for pool in threadpool_info()
        if pool.get("user_api") == "blas"
    ]


def cpu_model(cpuinfo: str | os.PathLike = "/proc/cpuinfo") -> str | None:
    """The CPU's model name (Linux's ``/proc/cpuinfo``; elsewhere what :mod:`platform` says)."""
    try:
        for line in Path(cpuinfo).read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or None


def _relative_to(path: str | os.PathLike, folder: str | os.PathLike) -> str:
    """``path`` relative to ``folder`` where it lies inside it, else as an absolute path."""
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)


def collect_provenance(
    config: Mapping,
    config_files: Sequence[str | os.PathLike],
    repository: str | os.PathLike = ".",
    now: datetime | None = None,
) -> dict:
    """Everything that says what made a build's results, as one JSON-ready dictionary.

    Parameters
    ----------
    config : mapping
        The configuration the build ran with (after merging its files).
    config_files : sequence of paths
        The configuration files it was read from, in the order given to Snakemake; recorded
        relative to ``repository`` where they lie inside it.
    repository : path, default ``"."``
        The git working tree of the code.
    now : datetime, optional
        The build's time; default the current time, in UTC.

    Returns
    -------
    dict
        Keys ``git`` (commit, dirty), ``config`` (files with their SHA-256, and the hash of the
        merged settings), ``python``, ``packages`` (:data:`STUDY_PACKAGES`), ``quarto``, ``blas``
        (a list), ``cpu`` (model, logical cores, cores usable by this process, build cores) and
        ``date`` (ISO 8601).
    """
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "git": git_state(repository),
        "config": {
            "files": [{"path": _relative_to(path, repository), "sha256": file_sha256(path)} for path in config_files],
            "settings_sha256": config_sha256(config),
        },
        "python": platform.python_version(),
        "packages": package_versions(),
        "quarto": quarto_version(),
        "blas": blas_libraries(),
        "cpu": {"model": cpu_model(), "logical_cores": os.cpu_count(), "usable_cores": usable},
        "date": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
    }


def provenance_rows(provenance: Mapping, written: Callable[[object], str] = str) -> list[tuple[str, str]]:
    """The provenance of :func:`collect_provenance` as ``(what, value)`` rows for a two-column table;
    ``written`` writes each value (the report passes one that names the record it came from); a value
    that could not be found reads "unknown"."""

    def shown(value) -> str:
        return "unknown" if value is None else written(value)

    git, config, cpu = provenance["git"], provenance["config"], provenance["cpu"]
    tree = {True: "with uncommitted changes", False: "clean", None: "state unknown"}[git["dirty"]]
    rows = [("Git commit", f"{shown(git['commit'])} ({tree})")]
    rows += [("Configuration file", f"{file['path']}, SHA-256 {shown(file['sha256'])}") for file in config["files"]]
    rows.append(("Merged settings", f"SHA-256 {shown(config['settings_sha256'])}"))
    rows.append(("Python", shown(provenance["python"])))
    rows += [(STUDY_PACKAGES.get(name, name), shown(version)) for name, version in provenance["packages"].items()]
    rows.append(("Quarto", shown(provenance["quarto"])))
    for pool in provenance["blas"] or [{}]:
        threads = pool.get("threads")
        rows.append(
            (
                "BLAS",
                f"{shown(pool.get('library'))} {shown(pool.get('version'))}, kernel {shown(pool.get('kernel'))}, "
                f"{shown(threads)} thread{'' if threads == 1 else 's'} where this record was made "
                "(each rule sets its own)",
            )
        )
    rows.append(("CPU", shown(cpu["model"])))
    rows.append(
        (
            "Cores",
            f"{shown(cpu['logical_cores'])} logical, {shown(cpu['usable_cores'])} usable by the build",
        )
    )
    rows.append(("Build date (UTC)", shown(provenance["date"])))
    return rows
