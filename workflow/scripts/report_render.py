"""Snakemake glue: render the Quarto project in report/ to HTML and PDF (Typst) and move both into
results/report/. Stops at once, before any work, where the `quarto` program is missing."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HOW_TO_GET_QUARTO = """\
error: rendering the report needs the `quarto` program (version 1.5 or later) on PATH, and it is not there.
Every table and figure of the study is already written under results/; only the report is missing.
Get Quarto in one of these ways, then rerun the same command:
  - the installer for your system from https://quarto.org/docs/get-started/
  - conda:  conda env create -f environment.yml && conda activate ffnn   (conda-forge's `quarto` package)
  - pip, on a machine with internet:  .venv/bin/pip install quarto-cli   (it downloads Quarto at install time)
Or set `report: render: false` in the config to leave the report out of `all`."""


def write_kernel_spec(jupyter_data: Path) -> None:
    """A `python3` Jupyter kernel in ``jupyter_data``/kernels that runs this very Python (the one with
    ffnn, pandas and ipykernel) and logs errors only: ipykernel 7 warns at every start that the
    kernel Quarto launches talks over local TCP unencrypted, a line about the machinery, not the
    report, that would bury Quarto's own warnings in the log."""
    spec = jupyter_data / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--IPKernelApp.log_level=ERROR"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3 (ffnn)", "language": "python"})
    )


def render(project: Path, log_path: Path) -> None:
    """Run `quarto render` on the project with the kernel of :func:`write_kernel_spec`; Quarto's own
    output goes to the log."""
    quarto = shutil.which("quarto")
    if quarto is None:
        sys.exit(HOW_TO_GET_QUARTO)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="ffnn-jupyter-") as jupyter_data,
        open(log_path, "w", encoding="utf-8") as log,
    ):
        write_kernel_spec(Path(jupyter_data))
        jupyter_path = os.pathsep.join(filter(None, [jupyter_data, os.environ.get("JUPYTER_PATH")]))
        env = {**os.environ, "QUARTO_PYTHON": sys.executable, "JUPYTER_PATH": jupyter_path}
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
