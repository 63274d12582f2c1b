"""The Quarto report, checked short of rendering (Quarto itself is not installable here).

The report's ``{python}`` cells and inline expressions are run in document order in one namespace,
with ``report/`` as working directory as under ``quarto render``; its cross-references, citations and
the files it names are checked; and the rule that renders it, the Figure 1 schematic and the table
formatters are tested on their own. That it types no number in is test_typed_numbers.py's check.
"""

from __future__ import annotations

import itertools
import json
import os
import ast
import contextlib
import io
import re
import runpy
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import matplotlib.collections

import ffnn.number_sources as number_sources
from allowed_numbers import without_allowed
import matplotlib.lines
import pandas as pd
import pytest
import yaml

from ffnn import parts
from ffnn.plots.schematic import architecture_label, draw_network_schematic
from ffnn.report_tables import (
    Md,
    Results,
    architecture,
    cell_setting,
    counted,
    fixed,
    markdown_table,
    num,
    pct,
    sci,
    when,
)

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "report"
MAIN = REPORT / "report.qmd"
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))

INCLUDE = re.compile(r"^\{\{<\s*include\s+(\S+)\s*>\}\}\s*$", re.MULTILINE)
CELL = re.compile(r"^```\{python\}[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`\{python\}\s+([^`]+)`")
CELL_LABEL = re.compile(r"^#\|\s*label:\s*(\S+)\s*$", re.MULTILINE)
ATTRIBUTE_LABEL = re.compile(r"\{#((?:fig|tbl|sec|eq)-[\w-]+)")
REFERENCE = re.compile(r"(?<![\w#@])@((?:fig|tbl|sec|eq)-[\w-]*\w)")
CITATION = re.compile(r"(?<![\w@])@([A-Za-z][\w]*\d{4}[a-z]?)\b")
RESULT_FILE = re.compile(r"results\.(figure|table|json)\(\s*[\"'](\w+)[\"'],\s*[\"'](\w+)[\"']")
KIND_OF_METHOD = {"figure": "figure", "table": "table", "json": "record"}


def expand(path: Path) -> str:
    """The text Quarto sees: the file with every ``{{< include >}}`` replaced by its (expanded) text."""
    text = path.read_text(encoding="utf-8")
    return INCLUDE.sub(lambda match: expand(path.parent / match.group(1)), text)


def split_document(text: str) -> tuple[list[tuple[str, str]], str]:
    """The document as ``[("cell" | "inline", code), ...]`` in reading order, and its markdown alone."""
    pieces, markdown, position = [], [], 0
    for match in CELL.finditer(text):
        prose = text[position : match.start()]
        markdown.append(prose)
        pieces += [("inline", expr.strip()) for expr in INLINE.findall(prose)]
        pieces.append(("cell", match.group(1)))
        position = match.end()
    prose = text[position:]
    markdown.append(prose)
    pieces += [("inline", expr.strip()) for expr in INLINE.findall(prose)]
    return pieces, "\n".join(markdown)


@pytest.fixture(scope="module")
def document() -> str:
    return expand(MAIN)


@pytest.fixture(scope="module")
def pieces_and_markdown(document):
    return split_document(document)


# -- static checks: no results needed ---------------------------------------------------------------


def test_quarto_project_declares_html_and_typst():
    project = yaml.safe_load((REPORT / "_quarto.yml").read_text())
    formats = project["format"]
    assert set(formats) >= {"html", "typst"}
    assert formats["html"]["embed-resources"] is True
    assert formats["html"]["toc"] and formats["html"]["number-sections"]
    assert project["execute"]["echo"] is False
    assert (REPORT / project["bibliography"]).is_file()
    assert project["project"]["render"] == ["report.qmd"]


def test_the_pdf_carries_the_reports_title_as_metadata():
    header = yaml.safe_load((REPORT / "_quarto.yml").read_text())["format"]["typst"]["include-in-header"]["text"]
    title = yaml.safe_load((REPORT / "report.qmd").read_text().split("---")[1])["title"]
    assert re.search(r'^#set document\(title: "(.*)"\)$', header, re.MULTILINE).group(1) == title


# Ways of showing math in HTML that need nothing from the network when the page is viewed.
OFFLINE_MATH_METHODS = {"mathml", "plain"}


def test_html_math_needs_no_network():
    """MathJax and KaTeX load from a CDN when the page is viewed; MathML is drawn by the browser."""
    html = yaml.safe_load((REPORT / "_quarto.yml").read_text())["format"]["html"]
    method = html.get("html-math-method")
    method = method.get("method") if isinstance(method, dict) else method
    assert method in OFFLINE_MATH_METHODS, f"html-math-method {method!r} needs the network; use mathml"


def test_tables_size_their_columns_to_their_content():
    """Pandoc's widths from the dashes of a wide pipe table broke headers inside words in the PDF."""
    assert yaml.safe_load((REPORT / "_quarto.yml").read_text())["tbl-colwidths"] is False


def test_report_equations_avoid_tex_that_pandoc_mistranslates_to_typst(document):
    """\\big, \\Big, \\! and \\| came out of pandoc's TeX-to-Typst conversion as overlapping brackets or
    the word "parallel", and \\operatorname{sgn}(W) with a gap before the bracket; \\left( ... \\right),
    \\lVert ... \\rVert and \\mathrm{sgn} convert cleanly."""
    math = "\n".join(re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", document, flags=re.DOTALL))
    offenders = re.findall(r"\\(?:[bB]igg?[lr]?|!|\||textstyle|operatorname)(?![A-Za-z])", math)
    assert not offenders, f"TeX that does not survive the conversion to Typst: {sorted(set(offenders))}"


def test_every_include_exists_and_document_has_cells(document):
    for name in INCLUDE.findall(MAIN.read_text()):
        assert (REPORT / name).is_file(), name
    pieces, _ = split_document(document)
    assert sum(kind == "cell" for kind, _ in pieces) > 10
    assert sum(kind == "inline" for kind, _ in pieces) > 10


def test_cross_references_have_exactly_one_target_and_every_label_is_used(pieces_and_markdown):
    pieces, markdown = pieces_and_markdown
    labels = ATTRIBUTE_LABEL.findall(markdown)
    labels += [label for kind, code in pieces if kind == "cell" for label in CELL_LABEL.findall(code)]
    crossref_labels = [label for label in labels if re.match(r"(fig|tbl|sec|eq)-", label)]
    duplicates = sorted({label for label in crossref_labels if crossref_labels.count(label) > 1})
    assert not duplicates, f"labels defined more than once: {duplicates}"
    references = set(REFERENCE.findall(markdown))
    assert references, "the report cross-references nothing"
    assert not references - set(crossref_labels), (
        f"references without a target: {sorted(references - set(crossref_labels))}"
    )
    assert not set(crossref_labels) - references, (
        f"labels never referenced: {sorted(set(crossref_labels) - references)}"
    )


def test_citations_are_in_the_bibliography(pieces_and_markdown):
    _, markdown = pieces_and_markdown
    bibliography = (REPORT / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\{([^,]+),", bibliography, re.MULTILINE))
    cited = set(CITATION.findall(markdown))
    assert cited, "the report cites nothing"
    assert not cited - keys, f"citations missing from references.bib: {sorted(cited - keys)}"


# -- the document against the quick build's results --------------------------------------------------


@pytest.mark.build
@pytest.mark.filterwarnings("error")  # a warning would print into the rendered report
def test_every_cell_and_inline_expression_runs(pieces_and_markdown, monkeypatch):
    pieces, _ = pieces_and_markdown
    monkeypatch.chdir(REPORT)
    namespace: dict = {"__name__": "__report__"}
    for index, (kind, code) in enumerate(pieces):
        if kind == "cell":
            exec(compile(code, f"report.qmd cell {index}", "exec"), namespace)  # noqa: S102
        else:
            value = eval(code, namespace)  # noqa: S307
            shown = value._repr_markdown_() if hasattr(value, "_repr_markdown_") else str(value)
            assert shown and shown.strip(), f"inline expression `{code}` gives an empty string"
            assert "nan" not in shown.lower().split(), f"inline expression `{code}` gives {shown!r}"
    results = namespace["results"]
    assert isinstance(results, Results) and results.used


SOURCED_SPAN = re.compile(r'\[(?:[^\[\]]|\[[^\[\]]*\])*\]\{\.number-source data-source="\d+"\}')


def unsourced_numbers(shown: str) -> list[str]:
    """The words of ``shown`` (markdown) that hold a digit outside a number's source span and are no name."""
    text = SOURCED_SPAN.sub("", shown)
    text = re.sub(r"@[\w-]+", "", text)  # cross-references
    return re.findall(r"\S*\d\S*", without_allowed(text, ("text", "all", "shown")))


@pytest.mark.build
def test_every_number_in_the_reports_sentences_and_tables_names_its_source(pieces_and_markdown, monkeypatch):
    """Each inline expression, printed paragraph and table shows its numbers inside a source span
    (ffnn.number_sources), which the HTML opens on hover or click."""
    pieces, _ = pieces_and_markdown
    monkeypatch.chdir(REPORT)
    namespace: dict = {"__name__": "__report__"}
    unsourced = []
    for index, (kind, code) in enumerate(pieces):
        if kind == "cell":
            tree = ast.parse(code)
            # the value of a cell's last expression is its output (a table, a figure), as in Jupyter
            last = ast.Expression(tree.body.pop().value) if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(tree, f"report.qmd cell {index}", "exec"), namespace)  # noqa: S102
                output = eval(compile(last, f"report.qmd cell {index}", "eval"), namespace) if last else None  # noqa: S307
            shown = printed.getvalue() + (output if isinstance(output, str) else "")
            shown = re.sub(r"```\{=\w+\}.*?```", "", shown, flags=re.DOTALL)  # raw Typst and HTML
            shown = re.sub(r"^\|?[-:| ]+\|?$", "", shown, flags=re.MULTILINE)  # a table's rule under its header
            where = f"cell {index}"
        else:
            value = eval(code, namespace)  # noqa: S307
            assert hasattr(value, "_repr_markdown_") or "{.number-source" not in str(value), (
                f"`{code}` gives plain text holding markdown spans, which the page would show as typed: wrap it in Md"
            )
            shown, where = (value._repr_markdown_() if hasattr(value, "_repr_markdown_") else str(value)), f"`{code}`"
        unsourced += [(where, word) for word in unsourced_numbers(shown)]
    assert not unsourced, f"numbers shown without their source: {unsourced[:20]}"
    number_sources.REGISTRY = None


@pytest.mark.build
def test_every_result_file_the_report_names_exists(document):
    named = {parts.relative(part, KIND_OF_METHOD[method], name) for method, part, name in RESULT_FILE.findall(document)}
    assert len(named) > 50
    missing = sorted(name for name in named if not (ROOT / "results" / name).is_file())
    assert not missing, f"the report names result files the build did not write: {missing}"


@pytest.mark.build
def test_snakemake_report_builds_a_zip(tmp_path):
    target = tmp_path / "snakemake-report.zip"
    finished = subprocess.run(
        [SNAKEMAKE, "--report", str(target), "--configfile", "config/quick.yaml", "--nolock"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert any(name.endswith("report.html") for name in names)
    assert any("network_schematic" in name for name in names)


# -- the rule that renders the report -----------------------------------------------------------------


def _dry_run_jobs(path_dirs: list[Path]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": os.pathsep.join(str(d) for d in path_dirs)}
    return subprocess.run(
        [SNAKEMAKE, "-n", "--configfile", "config/quick.yaml", "--nolock", "--rerun-incomplete", "--quiet", "rules"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _fake_quarto(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    quarto = folder / "quarto"
    quarto.write_text("#!/bin/sh\n" + body)
    quarto.chmod(0o755)
    return folder


def test_all_renders_the_report_only_where_quarto_is_found(tmp_path):
    python_dir = Path(sys.executable).parent
    without = _dry_run_jobs([python_dir, Path("/usr/bin"), Path("/bin")])
    assert without.returncode == 0, without.stderr[-3000:]
    assert "quarto` is not on PATH" in without.stderr
    assert not re.search(r"^report\s+1", without.stdout, re.MULTILINE)
    if Path("/usr/bin/quarto").exists() or Path("/bin/quarto").exists():
        pytest.skip("a real quarto in /usr/bin makes the 'without quarto' case impossible to set up")
    with_quarto = _dry_run_jobs(
        [_fake_quarto(tmp_path / "bin", "exit 0\n"), python_dir, Path("/usr/bin"), Path("/bin")]
    )
    assert with_quarto.returncode == 0, with_quarto.stderr[-3000:]
    assert re.search(r"^report\s+1", with_quarto.stdout, re.MULTILINE), with_quarto.stdout


def _run_render_script(tmp_path: Path, path_dirs: list[Path]):
    project = tmp_path / "report"
    project.mkdir()
    job = SimpleNamespace(
        params=SimpleNamespace(project=str(project)),
        log=[str(tmp_path / "logs" / "quarto.log")],
        output=SimpleNamespace(html=str(tmp_path / "out" / "report.html"), pdf=str(tmp_path / "out" / "report.pdf")),
    )
    old_path = os.environ["PATH"]
    os.environ["PATH"] = os.pathsep.join(str(d) for d in path_dirs)
    try:
        runpy.run_path(str(ROOT / "workflow/scripts/report_render.py"), init_globals={"snakemake": job})
    finally:
        os.environ["PATH"] = old_path
    return job


def test_render_stops_at_once_with_how_to_get_quarto(tmp_path):
    with pytest.raises(SystemExit) as stop:
        _run_render_script(tmp_path, [tmp_path / "empty"])
    message = str(stop.value.code)
    for hint in ("quarto.org", "environment.yml", "pip install quarto-cli"):
        assert hint in message
    assert not (tmp_path / "out").exists()


def test_render_runs_quarto_and_moves_both_outputs(tmp_path):
    bin_dir = _fake_quarto(
        tmp_path / "bin",
        'mkdir -p "$2/_output" && echo html > "$2/_output/report.html" && echo pdf > "$2/_output/report.pdf"\n'
        'echo "python: $QUARTO_PYTHON"\n',
    )
    job = _run_render_script(tmp_path, [bin_dir, Path("/usr/bin"), Path("/bin")])
    assert Path(job.output.html).read_text() == "html\n"
    assert Path(job.output.pdf).read_text() == "pdf\n"
    assert sys.executable in Path(job.log[0]).read_text()


def test_render_reports_a_failing_quarto(tmp_path):
    bin_dir = _fake_quarto(tmp_path / "bin", "echo broken >&2; exit 3\n")
    with pytest.raises(SystemExit) as stop:
        _run_render_script(tmp_path, [bin_dir, Path("/usr/bin"), Path("/bin")])
    assert "exit status 3" in str(stop.value.code)


# -- Figure 1 and the formatters ------------------------------------------------------------------------


def test_schematic_draws_every_node_and_weight():
    sizes = [1, 4, 4, 4, 1]
    fig = draw_network_schematic(sizes)
    ax = fig.axes[0]
    nodes = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, matplotlib.collections.PathCollection))
    edges = sum(isinstance(line, matplotlib.lines.Line2D) for line in ax.lines)
    assert nodes == sum(sizes)
    assert edges == sum(a * b for a, b in itertools.pairwise(sizes))
    assert architecture_label(sizes) == "[4-4-4-1]"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Input", "Hidden 1", "Hidden 2", "Hidden 3", "Output"]


@pytest.mark.parametrize("bad", [[3], [1, 0, 1], [1, 13, 1]])
def test_schematic_refuses_bad_sizes(bad):
    with pytest.raises(ValueError, match="layer_sizes"):
        draw_network_schematic(bad)


def test_formatters():
    assert sci(7.77e-5) == "$7.77 \\times 10^{-5}$"
    assert sci(1.0) == "$1.00 \\times 10^{0}$"
    assert sci(0.0) == "$0$" and sci(float("nan")) == "—"
    assert num(0.0725) == "0.0725" and num(2.94e-6) == "$2.94 \\times 10^{-6}$" and num(538.8, 4) == "538.8"
    assert pct(0.8953) == "89.5%"
    assert (
        counted(1, "epoch") == "1 epoch"
        and counted(15.0, "epoch") == "15 epochs"
        and counted(60000, "image") == "60\u2009000 images"
    )
    assert fixed(0.74) == "0.740" and fixed(0.8089, 2) == "0.81" and fixed(float("nan")) == "—"
    assert architecture([20, 10, 1]) == "[20-10-1]" == architecture("[20, 10, 1]") == architecture("20-10-1")
    assert isinstance(sci(1e-3), Md) and sci(1e-3)._repr_markdown_() == sci(1e-3)


def test_markdown_table_formats_and_renames():
    frame = pd.DataFrame({"model": ["OLS", "NN"], "test_mse": [1.06e-2, 7.77e-5]})
    table = markdown_table(frame, formats={"test_mse": sci}, columns={"test_mse": "Test MSE"}, font_pt=8)
    style, pipe_table = table.split("\n\n", 1)
    assert style.startswith("```{=typst}") and "size: 8pt" in style and "hyphenate: false" in style
    lines = pipe_table.splitlines()
    assert "Test MSE" in lines[0] and len(lines) == 4
    assert "$7.77 \\times 10^{-5}$" in lines[3]


def test_when_shows_text_only_where_the_condition_holds():
    assert when(True, "A quick build.") == "A quick build." and when(False, "A quick build.") == ""
    assert isinstance(when(False, "x"), Md)


def test_results_names_the_missing_file_and_what_to_run(tmp_path):
    results = Results(tmp_path)
    with pytest.raises(FileNotFoundError, match="snakemake"):
        results.table("runge", "table1_test_mse")
    with pytest.raises(KeyError, match="the runge part has no table 'nothing'"):
        results.table("runge", "nothing")
    table = tmp_path / "runge" / "tables" / "runge_table1_test_mse.csv"
    table.parent.mkdir(parents=True)
    table.write_text("a,b\n1,2\n")
    assert results.table("runge", "table1_test_mse").shape == (1, 2) and results.used == [table]


def test_cell_ids_read_as_settings_whatever_their_names_hold():
    assert cell_setting("first_width-512_depth-1") == "$W_1$\u00a0=\u00a0512, depth\u00a0=\u00a01"
    assert cell_setting("optimizer-adam_lam-1e-05").startswith(
        "optimiser\u00a0=\u00a0Adam, $\\lambda$\u00a0=\u00a0$1.00"
    )
    assert cell_setting("activation-leaky_relu_0.01") == "activation\u00a0=\u00a0Leaky ReLU (\u03b1\u00a0=\u00a00.01)"
    assert cell_setting("activation-linear") == "activation\u00a0=\u00a0Linear"


def test_a_row_keeps_one_notation():
    from ffnn.report_tables import one_notation

    assert one_notation([0.74, 0.5, 12.0]) == ["0.74", "0.5", "12"]
    mixed = one_notation(
        [0.0013, 1.3e-4, float("nan")]
    )  # num would print the first plain and the second in powers of ten
    assert mixed == [sci(0.0013), sci(1.3e-4), ""]
    assert one_notation([2.0e5, 3.0]) == [sci(2.0e5), sci(3.0)]


def test_a_spread_factor_never_takes_a_power_of_ten():
    from ffnn.report_tables import spread_factor

    assert [spread_factor(value) for value in (1.234, 140.4, 12345.0)] == ["1.2", "140", "12,345"]


def test_a_network_reads_as_a_sentence_names_it():
    from ffnn.report_tables import network_in_words

    settings = {
        "hidden_layers": [20, 10],
        "activation": "leaky_relu",
        "optimizer": "rmsprop",
        "learning_rate": 0.05,
        "batch_size": 32,
        "epochs": 1,
    }
    assert network_in_words(settings) == (
        "[20-10-1] leaky ReLU network trained with RMSProp at $\\eta$\u00a0=\u00a00.05 in batches of 32 for 1 epoch"
    )
    full_batch = network_in_words({**settings, "batch_size": None, "epochs": 200}, output_size=10)
    assert full_batch.startswith("[20-10-10] ") and full_batch.endswith("on the full batch for 200 epochs")


def test_an_order_is_kept_only_where_both_pairs_put_the_same_score_first():
    from ffnn.report_tables import keeps_study_order

    assert keeps_study_order((1.0, 2.0), (0.1, 0.5)) and keeps_study_order((3.0, 2.0), (0.9, 0.5))
    assert not keeps_study_order((8.7e-4, 5.4e-4), (7.8e-5, 1.1e-2))  # the untuned network against OLS, reversed


FIGURE_BLOCK = re.compile(r"^::: \{#(fig-[\w-]+)\}\n(.*?)^:::$", re.MULTILINE | re.DOTALL)


def test_every_figures_caption_ends_with_the_rule_and_results_it_was_drawn_from(document):
    figures = re.findall(r'results\.figure\("(\w+)", "(\w+)"\)', document)
    blocks = FIGURE_BLOCK.findall(document)
    assert len(blocks) == len(figures) > 30, "every figure sits in a ::: {#fig-...} block with its caption"
    for label, block in blocks:
        (drawn,) = re.findall(r'results\.figure\("(\w+)", "(\w+)"\)', block)
        last_line = block.strip().splitlines()[-1]
        assert last_line == f'`{{python}} results.figure_source("{drawn[0]}", "{drawn[1]}")`', (
            f"the caption of {label} should end with where {drawn} came from, not {last_line!r}"
        )


def test_a_figures_source_names_its_rule_and_links_its_results(tmp_path):
    record = tmp_path / "report" / "result_writers.json"
    record.parent.mkdir(parents=True)
    record.write_text(
        '{"runge/figures/runge_fit_overview.png": {"rule": "runge_plot_fit", "inputs": '
        '["runge/tables/runge_fitted_curves.csv", "runge/tables/runge_data_points.csv"]}, '
        '"report/figures/network_schematic.png": {"rule": "report_schematic", "inputs": []}}'
    )
    results = Results(tmp_path)
    assert results.figure_source("runge", "fit_overview") == (
        "Drawn by rule `runge_plot_fit` from "
        "[runge/tables/runge_fitted_curves.csv](../runge/tables/runge_fitted_curves.csv) and "
        "[runge/tables/runge_data_points.csv](../runge/tables/runge_data_points.csv)."
    )
    assert results.figure_source("report", "network_schematic") == (
        "Drawn by rule `report_schematic` from the configuration."
    )


@pytest.mark.build
def test_the_build_records_the_rule_and_the_inputs_of_every_result():
    writers = json.loads((ROOT / "results" / "report" / "result_writers.json").read_text())
    built = {path.removeprefix("results/") for path in parts.all_outputs(render=False)}
    assert set(writers) == built
    for path, written in writers.items():
        assert written["rule"], path
        assert all((ROOT / "results" / item).is_file() for item in written["inputs"]), path
    figures = [written for path, written in writers.items() if path.endswith(".png")]
    assert sum(bool(written["inputs"]) for written in figures) == len(figures) - 1  # the schematic reads the config
