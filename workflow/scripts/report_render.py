"""Snakemake glue: render the Quarto project in report/ to HTML and PDF (Typst) and move both into
results/report/. Stops at once, before any work, where the `quarto` program is missing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

HOW_TO_GET_QUARTO = """\
error: rendering the report needs the `quarto` program (version 1.5 or later) on PATH, and it is not there.
Every table and figure of the study is already written under results/; only the report is missing.
Get Quarto in one of these ways, then rerun the same command:
  - the installer for your system from https://quarto.org/docs/get-started/
  - conda:  conda env create -f environment.yml && conda activate ffnn   (conda-forge's `quarto` package)
  - pip, on a machine with internet:  .venv/bin/pip install quarto-cli   (it downloads Quarto at install time)
Or set `report: render: false` in the config to leave the report out of `all`."""


def render(project: Path, log_path: Path) -> None:
    """Run `quarto render` on the project, with the Jupyter kernel on this very Python (the one
    that has ffnn, pandas and ipykernel installed); Quarto's own output goes to the log."""
    quarto = shutil.which("quarto")
    if quarto is None:
        sys.exit(HOW_TO_GET_QUARTO)
    env = {**os.environ, "QUARTO_PYTHON": sys.executable}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        finished = subprocess.run([quarto, "render", str(project)], env=env, stdout=log, stderr=subprocess.STDOUT)
    if finished.returncode != 0:
        sys.exit(f"error: `quarto render {project}` failed (exit status {finished.returncode}); see {log_path}")


def move_output(project: Path, name: str, target: str) -> None:
    """Move one rendered file from the project's output-dir (_quarto.yml) to its place in results/."""
    built = project / "_output" / name
    if not built.is_file():
        sys.exit(f"error: quarto finished but wrote no {built}; check output-dir in {project / '_quarto.yml'}")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(built, target)


project = Path(snakemake.params.project)  # noqa: F821
render(project, Path(snakemake.log[0]))  # noqa: F821
move_output(project, "report.html", snakemake.output.html)  # noqa: F821
move_output(project, "report.pdf", snakemake.output.pdf)  # noqa: F821
