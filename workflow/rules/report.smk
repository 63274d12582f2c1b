# The Quarto report, last in the DAG: it reads every table and figure of the other parts and
# renders them with the text in report/ into results/report/report.html and report.pdf.
import re
import shutil
import sys
from pathlib import Path

from snakemake.io import regex_from_filepattern


from ffnn.parts import PARTS, all_outputs, described_outputs
from ffnn.provenance import git_state, job_seed_record, quarto_version

REPORT_PROJECT = "report"
# Everything Quarto reads besides the results: a changed sentence re-renders, nothing else reruns.
REPORT_SOURCES = sorted(
    str(path) for pattern in ("*.qmd", "*.html", "_quarto.yml", "references.bib") for path in Path(REPORT_PROJECT).glob(pattern)
) + ["src/ffnn/report_tables.py", *imported_sources("src/ffnn/report_tables.py")]
REPORT_PART = PARTS["report"]
REPORT_SCHEMATIC = REPORT_PART.figure("network_schematic")
REPORT_BUILD_CONFIG = REPORT_PART.path("record", "build_config")
REPORT_PROVENANCE = REPORT_PART.path("record", "provenance")
REPORT_RESULT_WRITERS = REPORT_PART.path("record", "result_writers")
REPORT_JOB_SEEDS = REPORT_PART.path("record", "job_seeds")
REPORT_HTML = REPORT_PART.path("document", "html")
REPORT_PDF = REPORT_PART.path("document", "pdf")


def render_report_in_all():
    """Whether `all` includes the rendered report: config `report: render:` true/false, or auto =
    only where the `quarto` program is on PATH (so CI without Quarto still builds every result)."""
    mode = config["report"]["render"]
    if mode != "auto":
        return mode
    if shutil.which("quarto") is None:
        print(
            "note: `quarto` is not on PATH, so `all` skips rendering the report "
            f"({REPORT_HTML}, {REPORT_PDF}); every table and figure is still built. "
            "Install Quarto (see the README) and rerun, or ask for the report itself as a target.",
            file=sys.stderr,
        )
        return False
    return True


rule report_schematic:
    """Figure 1: the network schematic, drawn from the layer sizes in the config."""
    input:
        library=library_inputs("report_schematic.py"),
    output: report(REPORT_SCHEMATIC, caption="../report/report_schematic.rst", category="Methods")
    params:
        layer_sizes=config["report"]["schematic_layer_sizes"],
    log: "results/report/logs/report_schematic.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("report_schematic")
    script: "../scripts/report_schematic.py"


rule report_build_config:
    """The configuration this build ran with, so the report quotes settings (sizes, seed, epochs)
    from the run instead of from hand-typed prose; and, under `full_build`, that of the full study
    (the Snakefile's FULL_CONFIG), which a smaller build measures itself against."""
    input:
        full_config=FULL_CONFIG,
        library=library_inputs("report_build_config.py"),
    output: REPORT_BUILD_CONFIG
    params:
        config=config,
    log: "results/report/logs/report_build_config.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("report_build_config")
    script: "../scripts/report_build_config.py"


def result_writers():
    """``{path below results/: {"rule": rule, "inputs": [results it read]}}`` for every result of the
    build, each matched against the output patterns of every rule: the report names, at each number,
    the rule that wrote its table, and under each figure the rule that drew it and what from."""
    outputs = all_outputs(render=False)
    writers = {}
    for path in outputs:
        matches = {}
        for rule in workflow.rules:
            for pattern in rule.output:
                match = re.match(regex_from_filepattern(str(pattern)), path)
                if match:
                    matches[rule] = match
        if len(matches) != 1:
            names = sorted(rule.name for rule in matches)
            raise WorkflowError(f"{path} should be written by one rule, but matches the outputs of {names or 'none'}")
        ((rule, match),) = matches.items()
        wildcards = match.groupdict()
        inputs = [str(item).format(**wildcards) for item in rule.input if isinstance(item, str)]
        writers[path.removeprefix("results/")] = {
            "rule": rule.name,
            "inputs": [item.removeprefix("results/") for item in inputs if item in outputs],
        }
    return writers


rule report_result_writers:
    """Which rule wrote each result file, read by the report's sources of its numbers."""
    input:
        library=library_inputs("report_result_writers.py"),
    output: REPORT_RESULT_WRITERS
    params:
        writers=lambda wildcards: result_writers(),
    log: "results/report/logs/report_result_writers.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("report_result_writers")
    script: "../scripts/report_result_writers.py"


rule report_provenance:
    """What built the results: commit, configuration files and hashes, package, Quarto and BLAS versions,
    CPU and date (the report's appendix). The commit and the Quarto version are parameters, so a new
    commit, uncommitted changes or another Quarto rerun it and re-render the report; so does any
    changed result."""
    input:
        described_outputs(),
        library=library_inputs("report_provenance.py"),
    output: REPORT_PROVENANCE
    params:
        config=config,
        # in the order they were merged: the `configfile:` of the Snakefile, then those of --configfile
        config_files=[path for path in workflow.configfiles if path not in workflow.overwrite_configfiles]
        + list(workflow.overwrite_configfiles),
        code=git_state("."),
        quarto=quarto_version(),
    log: "results/report/logs/report_provenance.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("report_provenance")
    script: "../scripts/report_provenance.py"


def job_seed_records():
    """Every job of this build that the seed record describes (its ancestors in Snakemake's DAG, so
    every job behind the study's results, whether it ran now or earlier), each with its rule,
    wildcards, outputs and the seeds Snakemake hands it (ffnn.provenance.job_seeds), sorted.

    Read from the DAG when the record's own job is planned, which is after the DAG is complete; the
    rule is a local rule, so it is never planned by a cluster job's partial DAG."""
    dag = workflow.dag
    own = [job for job in (dag.jobs if dag is not None else ()) if job.rule.name == "report_job_seeds"]
    if len(own) != 1:
        raise WorkflowError(f"the seed record reads the jobs of the DAG, but finds {len(own)} jobs of its own rule there")
    ancestors, todo = set(), list(own)
    while todo:
        for dependency in dag.dependencies[todo.pop()]:
            if dependency not in ancestors:
                ancestors.add(dependency)
                todo.append(dependency)
    records = []
    for job in ancestors:
        try:
            records.append(job_seed_record(job.rule.name, dict(job.wildcards_dict), dict(job.params.items()), job.output))
        except ValueError as error:
            raise WorkflowError(f"rule {job.rule.name} ({job.wildcards_dict}): {error}") from None
    return sorted(records, key=lambda record: (record["rule"], record["outputs"]))


rule report_job_seeds:
    """Every job of the build with the seeds it drew from (the report's appendix), read from the DAG:
    rule, wildcards, outputs and the values of the parameters and wildcards that are seeds. The
    inputs make every study job an ancestor of this one. They are not `ancient`: Snakemake skips the
    parameter check of a job below one that reruns, so a new seed would reach the record only a run
    later; instead the record is rewritten (in a second) whenever a result is."""
    input:
        described_outputs(),
        library=library_inputs("report_job_seeds.py"),
    output: REPORT_JOB_SEEDS
    params:
        jobs=lambda wildcards: job_seed_records(),
    log: "results/report/logs/report_job_seeds.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("report_job_seeds")
    script: "../scripts/report_job_seeds.py"


rule report:
    """Render the Quarto report from every table and figure of the study (needs `quarto` on PATH)."""
    input:
        REPORT_SOURCES,
        all_outputs(render=False),
        library=library_inputs("report_render.py"),
    output:
        html=report(REPORT_HTML, caption="../report/report_html.rst", category="Report"),
        pdf=REPORT_PDF,
    params:
        project=REPORT_PROJECT,
    log: "results/report/logs/quarto_render.log"
    threads: 1
    resources: **job_resources(mem_mb=4000, minutes=30)
    benchmark: benchmark_file("report")
    script: "../scripts/report_render.py"
