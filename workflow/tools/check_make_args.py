"""The Makefile's arguments checked before any job starts, each fault named on one line.

    python workflow/tools/check_make_args.py --cores CORES [--configfile PATH ...]

``--cores`` takes what a user set as ``CORES`` or ``QUICK_CORES`` (a whole number, 1 or more, or
``all``); each ``--configfile`` (a ``RENDER_CONFIG`` or a merged config) must be a readable file.
Exit status 0 when all hold, 2 otherwise, with one line per fault on standard error and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def faults(cores: str, name: str, configfiles: list[str]) -> list[str]:
    """What is wrong with the arguments, one sentence each (none where all hold)."""
    found = []
    if cores != "all" and not (cores.isdigit() and int(cores) >= 1):
        found.append(f"{name}={cores!r}: give a whole number of cores, 1 or more (or all)")
    for path in configfiles:
        if not Path(path).is_file():
            found.append(f"{path}: no such config file (config/ holds config.yaml and quick.yaml)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", required=True, help="the CORES or QUICK_CORES a user set")
    parser.add_argument("--name", default="CORES", help="which variable --cores came from, for the message")
    parser.add_argument("--configfile", action="append", default=[], help="a config file the target reads")
    args = parser.parse_args(argv)
    found = faults(args.cores, args.name, args.configfile)
    for fault in found:
        print(f"make: {fault}", file=sys.stderr)
    return 2 if found else 0


if __name__ == "__main__":
    sys.exit(main())
