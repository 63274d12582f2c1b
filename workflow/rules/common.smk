# Helpers shared by the rule files: training seeds, grid cells, what each job needs and costs.

# Training seeds 0, 1, ...: seed 0 is the study's stream; each is its own job wherever it is used.
TRAINING_SEEDS = list(range(config["seeds"]))


def cell_files(pattern, cells):
    """The output files of every cell of a grid, e.g. for an aggregation rule's input."""
    return [pattern.format(cell=cell) for cell in cells]


# ---------------------------------------------------------------- what each job needs and costs
import ast
import functools
import math
from pathlib import Path

from ffnn.data.fashion_mnist import N_CLASSES, N_PIXELS

LIBRARY_ROOT = Path("src")
GLUE_ROOT = Path("workflow/scripts")
BENCHMARKS = "results/benchmarks"


def _source_of(module):
    """Our source file of dotted `module` (the library under src/, or a glue module beside the
    scripts), or None for anything else (numpy, the standard library, ...)."""
    for root in (LIBRARY_ROOT, GLUE_ROOT):
        path = root.joinpath(*module.split("."))
        for candidate in (path.with_suffix(".py"), path / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def _imported_modules(path):
    """Dotted names `path` imports, with their parent packages (importing a.b runs a/__init__)."""
    package = list(path.relative_to(LIBRARY_ROOT).parent.parts) if LIBRARY_ROOT in path.parents else []
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module
            if node.level:  # relative: `from ..data import x` in ffnn/fashion/ is ffnn.data
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return {".".join(name.split(".")[:end]) for name in names for end in range(1, name.count(".") + 2)}


@functools.cache
def library_inputs(script):
    """Library files (src/ffnn/..., and glue modules in workflow/scripts) that `script` imports,
    directly or through each other, as a rule input: Snakemake tracks a rule's script but not what
    it imports, so without this a fixed bug in the library would leave old results standing.
    A change to a plotting module then reruns the figures (and the report), a change to the
    training code reruns every fit and what follows, and a change to neither reruns nothing."""
    return imported_sources(GLUE_ROOT / script)


def imported_sources(path):
    """Our source files that the Python file `path` imports, directly or through each other, sorted."""
    seen, todo = set(), [Path(path)]
    while todo:
        for module in _imported_modules(todo.pop()):
            source = _source_of(module)
            if source is not None and source not in seen:
                seen.add(source)
                todo.append(source)
    return sorted(str(source) for source in seen - {Path(path)})


def benchmark_file(rule, *wildcards):
    """Benchmark file of a job, `results/benchmarks/<rule>/<wildcard values>.tsv`; the build-cost
    table reads the rule and the job back from the path."""
    job = "/".join(f"{{{name}}}" for name in wildcards) or "job"
    return f"{BENCHMARKS}/{rule}/{job}.tsv"


def job_resources(mem_mb, minutes):
    """`resources:` of a rule for a scheduler: peak memory in MB and wall time in minutes (a
    number, or a function of the job's wildcards), both doubled on a retry (the slurm profile
    retries once), since a job that ran out of either would fail again with the same request."""
    return {
        "mem_mb": lambda wildcards, attempt: mem_mb * attempt,
        "runtime": lambda wildcards, attempt: attempt * (minutes(wildcards) if callable(minutes) else minutes),
    }


# Wall time requested per fit (resources: runtime). Basis, measured on a 2-core laptop-class
# machine (no full run's benchmark files were at hand): one [784-512-10] fit of 60 epochs on
# 50,000 images took ~90 s on one core. A fit's time grows with epochs x images x weights, and
# batches below 128 add per-step overhead (counted in full, 128/batch_size). Requested: 3x that
# estimate, and never under 5 minutes (start-up and loading the data included).
FASHION_SECONDS_PER_WEIGHT_IMAGE_EPOCH = 90 / (407_050 * 50_000 * 60)


def fashion_fit_minutes(settings, n_images):
    """Minutes to request for one FashionMNIST fit of `settings` (hidden_layers, batch_size,
    epochs) on `n_images` images."""
    widths = [N_PIXELS, *settings["hidden_layers"], N_CLASSES]
    weights = sum((n_in + 1) * n_out for n_in, n_out in zip(widths, widths[1:]))
    steps = max(1.0, 128 / settings["batch_size"])
    seconds = FASHION_SECONDS_PER_WEIGHT_IMAGE_EPOCH * weights * n_images * settings["epochs"] * steps
    return max(5, math.ceil(3 * seconds / 60))
