"""Warn when the environment that renders the report differs from the one that built its results.

The build records every installed package with its version in ``results/report/provenance.json``
(:func:`ffnn.provenance.collect_provenance`). Rendering later with other versions (an upgraded
pandas, another Quarto's Python) may change how the numbers are shown, or fail, while the report
still says it shows this build; so this prints one WARNING line per package (and for Python) whose
version differs, and nothing where the two agree.

Run from the repository root with the Python of the environment that renders:
`.venv/bin/python workflow/tools/check_environment.py [PROVENANCE]` (the Makefile's `render` and
`report` targets do, before Snakemake). It only warns: the exit status is always 0.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ffnn.provenance import environment_differences, installed_distributions

PROVENANCE = Path("results/report/provenance.json")


def environment_warnings(
    provenance: Path, current: Mapping[str, str] | None = None, python: str | None = None
) -> list[str]:
    """The lines to print for the record ``provenance`` against the environment at hand.

    Parameters
    ----------
    provenance : path
        The build's provenance record.
    current : mapping of str to str, optional
        Installed package -> version here; default :func:`ffnn.provenance.installed_distributions`.
    python : str, optional
        The Python version here; default that of the running interpreter.

    Returns
    -------
    list of str
        One ``WARNING: ...`` line per difference; one line that says why nothing was compared
        where the record is missing, unreadable or lists no packages; empty where all agree.
    """
    if not provenance.is_file():
        return [f"note: {provenance} does not exist yet, so there is no building environment to compare with"]
    try:
        record = json.loads(provenance.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"WARNING: {provenance} cannot be read ({error}), so the environments were not compared"]
    built = record.get("installed") if isinstance(record, dict) else None
    if not isinstance(built, dict):
        return [f"note: {provenance} lists no installed packages (an older record); the environments were not compared"]
    current = installed_distributions() if current is None else current
    python = platform.python_version() if python is None else python
    differences = environment_differences({"Python": record.get("python"), **built}, {"Python": python, **current})
    prefix = f"WARNING: this environment differs from the one that built the results ({provenance})"
    return [f"{prefix}: {line}" for line in differences]


def main(arguments: Sequence[str] = ()) -> int:
    """Print the warnings for the record named in ``arguments`` (default :data:`PROVENANCE`); always 0."""
    for line in environment_warnings(Path(arguments[0]) if arguments else PROVENANCE):
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
