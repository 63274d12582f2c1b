"""The Makefile's environment check: one warning line per package that differs between the environment
that built the results and the one that renders them, silence where they agree, and never a failure."""

from __future__ import annotations

import importlib.util
import json
import platform
import subprocess
import sys
from pathlib import Path

from ffnn.provenance import installed_distributions

TOOL = Path(__file__).resolve().parents[1] / "workflow" / "tools" / "check_environment.py"


def _load_tool():
    spec = importlib.util.spec_from_file_location("check_environment", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _record(path: Path, installed: dict, python: str | None = None) -> Path:
    path.write_text(json.dumps({"python": python or platform.python_version(), "installed": installed}))
    return path


def _run(*arguments) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), *map(str, arguments)], capture_output=True, text=True)


def test_a_differing_version_is_one_warning_line_and_no_failure(tmp_path):
    built = dict(installed_distributions())
    built["numpy"] = "0.0.1"
    result = _run(_record(tmp_path / "provenance.json", built))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("WARNING: this environment differs from the one that built the results")
    assert lines[0].endswith(f"numpy: 0.0.1 built the results, {installed_distributions()['numpy']} is installed now")


def test_an_equal_environment_is_silent(tmp_path):
    result = _run(_record(tmp_path / "provenance.json", installed_distributions()))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_missing_record_is_said_in_one_line(tmp_path):
    result = _run(tmp_path / "none.json")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"note: {tmp_path / 'none.json'} does not exist yet, so there is no building environment to compare with"
    ]


def test_every_difference_gets_its_line_python_included(tmp_path):
    tool = _load_tool()
    record = _record(tmp_path / "provenance.json", {"numpy": "1.0", "gone": "2.0"}, python="3.0.0")
    lines = tool.environment_warnings(record, current={"numpy": "1.0", "new": "0.5"}, python="3.12.1")
    assert [line.split(": ", 2)[-1] for line in lines] == [
        "Python: 3.0.0 built the results, 3.12.1 is installed now",
        "gone: 2.0 built the results, not installed now",
        "new: not installed when the results were built, 0.5 is installed now",
    ]
    assert all(line.startswith("WARNING: ") and "\n" not in line for line in lines)


def test_an_unreadable_or_older_record_is_one_line_and_no_failure(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = _run(broken)
    assert result.returncode == 0 and len(result.stderr.splitlines()) == 1
    assert "cannot be read" in result.stderr
    older = tmp_path / "older.json"
    older.write_text(json.dumps({"python": platform.python_version(), "packages": {"numpy": "2.0"}}))
    result = _run(older)
    assert result.returncode == 0 and len(result.stderr.splitlines()) == 1
    assert "lists no installed packages" in result.stderr
