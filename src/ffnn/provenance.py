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
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, UTC
from importlib import metadata
from pathlib import Path

from .number_sources import sourced, sources_of

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


def normalised_name(name: str) -> str:
    """A distribution's name as packaging normalises it (PEP 503): lower case, every run of ``-``,
    ``_`` and ``.`` one ``-``, so ``Jinja2``, ``scikit_learn`` and ``zope.interface`` compare as pip does."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_distributions(path: Sequence[str] | None = None) -> dict[str, str]:
    """Every distribution installed where Python looks for packages, with its version.

    Parameters
    ----------
    path : sequence of str, optional
        The folders searched; default :data:`sys.path`, that of the running interpreter (so run
        from the environment's own Python, it lists that environment).

    Returns
    -------
    dict
        :func:`normalised_name` -> version, sorted by name. Where one name is installed twice on
        the path, the copy found first counts, since that is the one ``import`` loads; a folder
        of metadata without a name (a broken install) is left out.
    """
    versions: dict[str, str] = {}
    for distribution in metadata.distributions(path=list(sys.path if path is None else path)):
        name = distribution.metadata["Name"]
        if name:
            versions.setdefault(normalised_name(name), distribution.version)
    return dict(sorted(versions.items()))


def environment_differences(built: Mapping[str, str | None], current: Mapping[str, str | None]) -> list[str]:
    """One line per name whose version differs between two environments, sorted by name.

    Parameters
    ----------
    built, current : mapping of str to str or None
        Name -> version in the environment that built the results and in the one at hand; a name
        missing from one side (or mapped to ``None``) was not installed there.

    Returns
    -------
    list of str
        E.g. ``"numpy: 2.1.0 built the results, 2.2.1 is installed now"``; empty where the two agree.
    """
    lines = []
    for name in sorted(set(built) | set(current)):
        then, now = built.get(name), current.get(name)
        if then == now:
            continue
        then_text = f"{then} built the results" if then is not None else "not installed when the results were built"
        now_text = f"{now} is installed now" if now is not None else "not installed now"
        lines.append(f"{name}: {then_text}, {now_text}")
    return lines


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
        merged settings), ``python``, ``packages`` (:data:`STUDY_PACKAGES`), ``installed``
        (every installed distribution, :func:`installed_distributions`), ``quarto``, ``blas``
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
        "installed": installed_distributions(),
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


# ---------------------------------------------------------------- the seeds each job drew from

#: A wildcard or parameter of a job named ``seed`` or ``<what>_seed`` (``training_seed``,
#: ``samples_seed``) holds a seed the job draws random numbers from; ``seeds`` (a count) and
#: ``training_seeds`` (the seeds an aggregate gathers) do not match.
SEED_NAME = re.compile(r"(?:\w+_)?seed")
#: The order seeds are listed in, the study's seed first; other names follow alphabetically.
SEED_ORDER = ("seed", "training_seed", "restart")
#: The parameter by which a job restarts each fit: restart ``r`` draws from a stream of its own,
#: keyed by ``r`` (:func:`ffnn.selection.training_rng`), recorded as seed ``restart``.
RESTARTS = "repeats"


def job_seeds(wildcards: Mapping, params: Mapping) -> dict[str, list[int]]:
    """The seeds one job draws from, read from its wildcards and parameters.

    Parameters
    ----------
    wildcards, params : mapping
        The job's wildcard values and its parameters (as the workflow gives them to its script).

    Returns
    -------
    dict
        Seed name -> its values, sorted: every wildcard or parameter whose name matches
        :data:`SEED_NAME`, and ``restart`` (``0 .. repeats - 1``) where a :data:`RESTARTS`
        parameter is given. A name that is both a wildcard and a parameter holds both values.

    Raises
    ------
    ValueError
        Where a seed is not a whole number (the workflow would pass it on as something else).
    """
    seeds: dict[str, set[int]] = {}
    for source in (wildcards, params):
        for name, value in source.items():
            if SEED_NAME.fullmatch(name):
                seeds.setdefault(name, set()).add(_whole_number(name, value))
    if params.get(RESTARTS) is not None:
        seeds["restart"] = set(range(_whole_number(RESTARTS, params[RESTARTS])))
    return {name: sorted(values) for name, values in sorted(seeds.items())}


def _whole_number(name: str, value) -> int:
    """``value`` as an int, or a one-line ``ValueError`` that names it."""
    if isinstance(value, bool) or not str(value).strip().lstrip("-").isdigit():
        raise ValueError(f"seed {name}={value!r} is not a whole number")
    return int(value)


def job_seed_record(rule: str, wildcards: Mapping, params: Mapping, outputs: Iterable[str]) -> dict:
    """One job of a build with the seeds it drew from, JSON-ready: ``rule``, ``wildcards`` (name ->
    value as text), ``outputs`` (its files) and ``seeds`` (:func:`job_seeds`)."""
    return {
        "rule": rule,
        "wildcards": {name: str(value) for name, value in wildcards.items()},
        "outputs": [str(path) for path in outputs],
        "seeds": job_seeds(wildcards, params),
    }


def compact_integers(values: Iterable[int]) -> str:
    """Whole numbers as runs, e.g. ``[0, 1, 2, 4]`` -> ``"0–2, 4"`` (an en dash joins a run of three or more)."""
    ordered = sorted(set(values))
    runs: list[list[int]] = []
    for value in ordered:
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(value) for value in run)
    return ", ".join(parts)


def seeds_by_rule(jobs: Iterable[Mapping]) -> list[dict]:
    """The jobs of :func:`job_seed_record` gathered per rule, for a compact table.

    Returns
    -------
    list of dict
        One per rule that drew from a seed, sorted by rule: ``rule``, ``jobs`` (how many of its
        jobs ran in the build) and ``seeds`` (each seed name with every value its jobs used, e.g.
        ``"seed 6114; restart 0–2"``, in :data:`SEED_ORDER`). Rules none of whose jobs drew from a
        seed are left out.
    """
    gathered: dict[str, dict] = {}
    for job in jobs:
        entry = gathered.setdefault(job["rule"], {"jobs": [], "seeds": {}})
        entry["jobs"].append(job)
        for name, values in job["seeds"].items():
            entry["seeds"].setdefault(name, set()).update(values)
    # counts and values keep the record's sources where it was read with them (ffnn.number_sources)
    return [
        {
            "rule": rule,
            "jobs": sourced(len(entry["jobs"]), sources_of(*entry["jobs"])),
            "seeds": sourced(
                "; ".join(
                    f"{name} {compact_integers(entry['seeds'][name])}"
                    for name in sorted(entry["seeds"], key=_seed_rank)
                ),
                sources_of(*entry["jobs"]),
            ),
        }
        for rule, entry in sorted(gathered.items())
        if entry["seeds"]
    ]


def _seed_rank(name: str) -> tuple[int, str]:
    """Sort key of a seed name: those of :data:`SEED_ORDER` in its order, then the rest by name."""
    return (SEED_ORDER.index(name), "") if name in SEED_ORDER else (len(SEED_ORDER), name)


def side_by_side(pairs: Sequence[tuple[str, str]], groups: int) -> list[list[str]]:
    """A long list of ``(name, value)`` pairs folded into ``groups`` pairs of columns, read down
    each pair of columns first (as a printed index), so a few hundred packages fit on a page.

    Returns
    -------
    list of list of str
        ``ceil(len(pairs) / groups)`` rows of ``2 * groups`` cells; the last pair of columns is
        filled with empty strings where it runs short.

    Raises
    ------
    ValueError
        Where ``groups`` is below one.
    """
    if groups < 1:
        raise ValueError(f"groups must be at least 1, got {groups}")
    rows = -(-len(pairs) // groups)  # ceiling division
    table = [[] for _ in range(rows)]
    for group in range(groups):
        for row in range(rows):
            index = group * rows + row
            # text as it is, so that a value read with its source keeps it
            table[row] += (
                [item if isinstance(item, str) else str(item) for item in pairs[index]]
                if index < len(pairs)
                else ["", ""]
            )
    return table
