"""The Makefile's stale-lock check: a killed build's lock and half-written files go when no Snakemake runs."""

import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "workflow" / "tools" / "clear_stale_lock.py"


def test_a_stale_lock_and_the_temporary_files_of_killed_writes_are_cleared(tmp_path):
    lock = tmp_path / ".snakemake" / "locks" / "0.input.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("")
    cells = tmp_path / "results" / "fashion" / "cells"
    cells.mkdir(parents=True)
    (cells / ".cell.json.0123abcd.tmp").write_text("{half")
    (cells / "cell.json").write_text("{}")
    result = subprocess.run([sys.executable, str(TOOL)], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert not lock.parent.exists()
    assert [p.name for p in cells.iterdir()] == ["cell.json"]
    assert "1 half-written temporary file" in result.stderr


def test_without_a_lock_nothing_is_touched(tmp_path):
    leftover = tmp_path / "results" / ".table.csv.0123abcd.tmp"
    leftover.parent.mkdir()
    leftover.write_text("a\n")
    subprocess.run([sys.executable, str(TOOL)], cwd=tmp_path, check=True)
    assert leftover.exists()  # no lock, so no sign of a killed build: it may be a running write
