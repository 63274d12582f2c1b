"""Let `make` resume a build that was killed: clear Snakemake's lock when no Snakemake runs here.

A build killed with SIGKILL (or a closed laptop lid) leaves `.snakemake/locks/`, and the next
`snakemake` stops with a LockException. This is safe to clear only when no Snakemake process is
still working in this folder, so that is checked first; the hidden temporary files
(``.<name>.<hex>.tmp``) that :func:`ffnn.io.atomic_path` leaves when killed mid-write are removed at
the same time.
The jobs that were running are redone by the next run (the profiles set `rerun-incomplete`).

Run from the repository root: `python workflow/tools/clear_stale_lock.py` (the Makefile does,
before every build). Exit status 0: nothing to do or cleared; 1: another Snakemake runs here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

LOCKS = Path(".snakemake/locks")
RESULTS = Path("results")


def snakemake_processes_here(root: Path) -> list[int]:
    """Process ids of Snakemake runs whose working folder is ``root`` (all Snakemake runs of
    this user where /proc cannot tell the folder, e.g. on macOS)."""
    me = os.getpid()
    if not Path("/proc/self/cwd").exists():
        listing = subprocess.run(["ps", "-A", "-o", "pid=,command="], capture_output=True, text=True).stdout
        return [
            int(line.split()[0]) for line in listing.splitlines() if "snakemake" in line and int(line.split()[0]) != me
        ]
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == me:
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            cwd = (proc / "cwd").resolve()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if cwd == root and any("snakemake" in Path(part.decode(errors="replace")).name for part in command[:2]):
            found.append(int(proc.name))
    return found


def main() -> int:
    if not (LOCKS.is_dir() and any(LOCKS.iterdir())):
        return 0
    running = snakemake_processes_here(Path.cwd().resolve())
    if running:
        print(
            f"another snakemake is running in this folder (process {', '.join(map(str, running))}); "
            "wait for it, or stop it first",
            file=sys.stderr,
        )
        return 1
    shutil.rmtree(LOCKS)
    leftovers = [path for path in RESULTS.rglob(".*.tmp") if path.is_file()] if RESULTS.is_dir() else []
    for path in leftovers:
        path.unlink()
    print(
        f"note: the last build was interrupted; cleared its stale lock ({LOCKS}/)"
        + (f" and {len(leftovers)} half-written temporary file(s)" if leftovers else "")
        + "; its unfinished jobs are redone now",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
