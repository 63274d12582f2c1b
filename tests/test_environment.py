"""The two ways to set up the project (pip via pyproject.toml, conda via environment.yml) must agree,
and the Snakemake profiles must only use options Snakemake knows."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# conda name -> PyPI name, where the two registries differ
CONDA_TO_PYPI = {"pytorch": "torch", "quarto": "quarto-cli"}
# conda-only entries that are tooling, not project dependencies
CONDA_TOOLING = {"python", "pip"}
PYPROJECT_EXTRAS = ("test", "cluster", "report")

# optional `channel::`, the name, then the version constraint
CONDA_SPEC = re.compile(r"^(?:[\w.-]+::)?(?P<name>[A-Za-z0-9_.-]+)\s*(?P<spec>.*)$")
# PEP 508 requirement: the name, optional [extras], the version constraint, optional ; markers
PEP508_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;]*)")


def canonicalize_name(name: str) -> str:
    """PEP 503 normal form: lower case, runs of ``-_.`` become one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _normalise_spec(spec: str) -> str:
    """Order-independent, whitespace-free form of a version specifier such as ``>=1.2, <2``."""
    return ",".join(sorted(part.strip() for part in spec.split(",") if part.strip()))


def pyproject_requirements(path: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """Map canonical package name -> version specifier for dependencies plus the test/report extras."""
    project = tomllib.loads(path.read_text())["project"]
    lines = list(project["dependencies"])
    for extra in PYPROJECT_EXTRAS:
        lines += project["optional-dependencies"][extra]
    matches = [PEP508_SPEC.match(line.strip()) for line in lines]
    return {canonicalize_name(m["name"]): _normalise_spec(m["spec"]) for m in matches}


def conda_requirements(environment: dict) -> dict[str, str]:
    """Map canonical PyPI package name -> version specifier for an environment.yml's conda packages.

    Conda names are translated to PyPI names (``CONDA_TO_PYPI``); python, pip and the pip section
    (the editable install of the project itself) are left out.
    """
    found = {}
    for entry in environment["dependencies"]:
        if not isinstance(entry, str):
            continue  # the `pip:` section
        match = CONDA_SPEC.match(entry.strip())
        if match is None:
            raise ValueError(f"environment.yml: cannot parse dependency {entry!r}")
        name = match["name"].lower()
        if name in CONDA_TOOLING:
            continue
        found[canonicalize_name(CONDA_TO_PYPI.get(name, name))] = _normalise_spec(match["spec"])
    return found


def mismatches(pip_side: dict[str, str], conda_side: dict[str, str]) -> list[str]:
    """Human-readable differences between the two requirement maps; empty when they agree."""
    problems = []
    if missing := sorted(pip_side.keys() - conda_side.keys()):
        problems.append(f"in pyproject.toml but not environment.yml: {', '.join(missing)}")
    if extra := sorted(conda_side.keys() - pip_side.keys()):
        problems.append(f"in environment.yml but not pyproject.toml: {', '.join(extra)}")
    for name in sorted(pip_side.keys() & conda_side.keys()):
        if pip_side[name] != conda_side[name]:
            problems.append(f"{name}: pyproject.toml wants {pip_side[name]!r}, environment.yml {conda_side[name]!r}")
    return problems


@pytest.fixture(scope="module")
def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_yml_matches_pyproject(environment):
    problems = mismatches(pyproject_requirements(), conda_requirements(environment))
    assert not problems, "environment.yml and pyproject.toml disagree:\n" + "\n".join(problems)


def test_environment_yml_installs_the_package(environment):
    pip_sections = [entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict)]
    assert pip_sections and "-e ." in pip_sections[0], "environment.yml must `pip install -e .` the package"


def test_mismatch_names_the_missing_package():
    pip_side = {"numpy": ">=1.26", "torch": ">=2.1"}
    conda_side = conda_requirements({"dependencies": ["python=3.11", "numpy>=1.26", "seaborn"]})
    problems = mismatches(pip_side, conda_side)
    assert any("not environment.yml: torch" in p for p in problems)
    assert any("not pyproject.toml: seaborn" in p for p in problems)


def test_conda_names_map_to_pypi_names():
    conda_side = conda_requirements({"dependencies": ["pytorch>=2.1", "quarto", "conda-forge::scikit-learn"]})
    assert conda_side == {"torch": ">=2.1", "quarto-cli": "", "scikit-learn": ""}


def test_version_disagreement_is_reported():
    assert mismatches({"numpy": ">=1.26"}, {"numpy": ">=1.20"}) == [
        "numpy: pyproject.toml wants '>=1.26', environment.yml '>=1.20'"
    ]


@pytest.mark.parametrize("profile", ["default", "slurm"])
def test_profile_keys_are_snakemake_options(profile):
    from snakemake.cli import get_argument_parser

    known = {option for action in get_argument_parser()._actions for option in action.option_strings}
    path = ROOT / "workflow" / "profiles" / profile / "config.yaml"
    keys = yaml.safe_load(path.read_text()).keys()
    unknown = sorted(key for key in keys if f"--{key}" not in known)
    assert not unknown, f"{path.relative_to(ROOT)}: not snakemake options: {', '.join(unknown)}"
