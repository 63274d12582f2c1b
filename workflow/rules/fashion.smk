# FashionMNIST (Section III.B): data -> splits -> one job per grid cell -> tables -> figures.
# Every choice is made on validation accuracy; no choice reads the test images. They score the final
# models: the chosen network (epochs chosen on validation, then refit on train + validation, as
# `fashion.chosen` says), the same settings under the study's protocol (every epoch, training part
# only) and the logistic-regression baseline; and every grid cell records its test scores beside its
# validation scores, for the audit to compare with the study's test-set grids.
from ffnn.fashion import design as fashion_design
from ffnn.parts import PARTS

FASHION = config["fashion"]
FASHION_MODEL = FASHION["model"]
FASHION_DIR = "results/fashion"
FASHION_DATA = f"{FASHION_DIR}/data/fashion_mnist.npz"
FASHION_SPLITS = f"{FASHION_DIR}/data/splits.npz"
FASHION_MODELS = f"{FASHION_DIR}/models"
FASHION_LOGS = f"{FASHION_DIR}/logs"
FASHION_CELL = f"{FASHION_DIR}/cells/{{grid}}/{{cell}}.json"
# A grid's two best cells by validation accuracy, refitted with each training seed.
FASHION_TOP_CELL = f"{FASHION_DIR}/top_cells/{{grid}}/rank-{{rank}}_seed-{{training_seed}}.json"
FASHION_VALIDATION_CHOICE = PARTS["fashion"].path("record", "validation_choice")
# A subset larger than its part of the split fails here, before any job.
FASHION_N_TRAIN, _ = fashion_design.split_sizes(FASHION["split"])
FASHION_GRIDS = fashion_design.grids(FASHION)
fashion_table = PARTS["fashion"].table
fashion_figure = PARTS["fashion"].figure


def fashion_report(path, name):
    return report(path, caption=f"../report/fashion_{name}.rst", category="FashionMNIST")


def fashion_model_file(name, training_seed, suffix="json"):
    """A chosen-model file of one training seed, e.g. `models/chosen_ffnn_seed-0.json`."""
    return f"{FASHION_MODELS}/{name}_seed-{training_seed}.{suffix}"


def fashion_model_files(name):
    return [fashion_model_file(name, training_seed) for training_seed in TRAINING_SEEDS]


def fashion_cell_minutes(wildcards):
    return fashion_fit_minutes(FASHION_GRIDS[wildcards.grid][wildcards.cell]["settings"], FASHION_N_TRAIN)


def fashion_top_cell_minutes(wildcards):
    """The slowest cell of the grid: which two cells rank best is known only once the grid has run."""
    return max(fashion_fit_minutes(cell["settings"], FASHION_N_TRAIN) for cell in FASHION_GRIDS[wildcards.grid].values())


FASHION_SELECTION_MINUTES = fashion_fit_minutes(FASHION_MODEL, FASHION_N_TRAIN)
FASHION_REFIT_MINUTES = fashion_fit_minutes(FASHION_MODEL, fashion_design.TRAINING_IMAGES)
# The validation choice is known only once the grids have run: it may take the slowest of their settings.
_GRID_SETTINGS = [cell["settings"] for cells in FASHION_GRIDS.values() for cell in cells.values()]
FASHION_LARGEST_SELECTION_MINUTES = max(fashion_fit_minutes(settings, FASHION_N_TRAIN) for settings in _GRID_SETTINGS)
FASHION_LARGEST_REFIT_MINUTES = max(fashion_fit_minutes(settings, fashion_design.TRAINING_IMAGES) for settings in _GRID_SETTINGS)


rule fashion_data:
    input:
        library=library_inputs("fashion_data.py"),
    output: FASHION_DATA
    params:
        root="resources",
        debian_dir=FASHION["debian_dir"],
    log: f"{FASHION_LOGS}/data.log"
    threads: 1
    resources: **job_resources(mem_mb=2000, minutes=10)
    benchmark: benchmark_file("fashion_data")
    script: "../scripts/fashion_data.py"


rule fashion_splits:
    input:
        data=FASHION_DATA,
        library=library_inputs("fashion_splits.py"),
    output:
        splits=FASHION_SPLITS,
        sizes=fashion_report(fashion_table("split_sizes"), "split_sizes"),
        samples=fashion_report(fashion_table("class_samples"), "class_samples_table"),
    params:
        split=FASHION["split"],
        seed=config["seed"],
        samples_seed=FASHION["samples_figure_seed"],
    log: f"{FASHION_LOGS}/splits.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("fashion_splits")
    script: "../scripts/fashion_splits.py"


rule fashion_cell:
    input:
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        library=library_inputs("fashion_cell.py"),
    output: FASHION_CELL
    wildcard_constraints:
        grid="|".join(FASHION_GRIDS),
        cell="[^/]+",
    params:
        cell=lambda w: FASHION_GRIDS[w.grid][w.cell],
        seed=config["seed"],
        dtype=FASHION["dtype"],
        blas_threads=FASHION["threads"],
    threads: FASHION["threads"]
    log: f"{FASHION_LOGS}/cells/{{grid}}/{{cell}}.log"
    resources: **job_resources(mem_mb=1000, minutes=fashion_cell_minutes)
    benchmark: benchmark_file("fashion_cell", "grid", "cell")
    script: "../scripts/fashion_cell.py"


for _grid in FASHION_GRIDS:

    rule:
        name:
            f"fashion_{_grid}_table"
        input:
            cells=cell_files(FASHION_CELL.replace("{grid}", _grid), FASHION_GRIDS[_grid]),
            library=library_inputs("fashion_grid_table.py"),
        output:
            table=fashion_report(fashion_table(f"{_grid}_accuracy"), f"{_grid}_accuracy_table"),
            curves=fashion_report(fashion_table(f"{_grid}_curves"), f"{_grid}_curves_table"),
        params:
            axes=fashion_design.AXES[_grid],
            reference=FASHION_MODEL,
        log: f"{FASHION_LOGS}/tables/{_grid}.log"
        threads: 1
        resources: **job_resources(mem_mb=1000, minutes=5)
        benchmark: benchmark_file(f"fashion_{_grid}_table")
        script: "../scripts/fashion_grid_table.py"


rule fashion_top_cell:
    """One of a grid's two best cells by validation accuracy with one training seed (seed 0: the grid's own fit)."""
    input:
        table=fashion_table("{grid}_accuracy"),
        cells=lambda w: cell_files(FASHION_CELL.replace("{grid}", w.grid), FASHION_GRIDS[w.grid]),
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        library=library_inputs("fashion_top_cell.py"),
    output: FASHION_TOP_CELL
    wildcard_constraints:
        grid="|".join(FASHION_GRIDS),
        rank="|".join(map(str, fashion_design.TOP_RANKS)),
        training_seed=r"\d+",
    params:
        cells=lambda w: FASHION_GRIDS[w.grid],
        seed=config["seed"],
        dtype=FASHION["dtype"],
        blas_threads=FASHION["threads"],
    threads: FASHION["threads"]
    log: f"{FASHION_LOGS}/top_cells/{{grid}}/rank-{{rank}}_seed-{{training_seed}}.log"
    resources: **job_resources(mem_mb=1000, minutes=fashion_top_cell_minutes)
    benchmark: benchmark_file("fashion_top_cell", "grid", "rank", "training_seed")
    script: "../scripts/fashion_top_cell.py"


rule fashion_selection:
    input:
        grids=[fashion_table(f"{grid}_accuracy") for grid in FASHION_GRIDS],
        top_cells=[
            FASHION_TOP_CELL.format(grid=grid, rank=rank, training_seed=training_seed)
            for grid in FASHION_GRIDS
            for rank in fashion_design.TOP_RANKS
            for training_seed in TRAINING_SEEDS
        ],
        chosen_selection=fashion_model_file("chosen_ffnn_selection", 0),
        library=library_inputs("fashion_selection.py"),
    output: fashion_report(fashion_table("selection"), "selection")
    params:
        grids=list(FASHION_GRIDS),
        ranks=fashion_design.TOP_RANKS,
        axes=fashion_design.AXES,
        figures=fashion_design.GRID_FIGURES,
        epochs_from_validation=FASHION["chosen"]["epochs_from_validation"],
        study_epochs=study_numbers.study_epochs(STUDY_NUMBERS),
    log: f"{FASHION_LOGS}/tables/selection.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("fashion_selection")
    script: "../scripts/fashion_selection.py"


rule fashion_chosen_selection:
    """(a) The study's settings on the training part with one training seed, with validation curves; no test images."""
    input:
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        library=library_inputs("fashion_chosen_selection.py"),
    output:
        record=fashion_model_file("chosen_ffnn_selection", "{training_seed}"),
        weights=fashion_model_file("chosen_ffnn_selection_weights", "{training_seed}", "npz"),
    params:
        settings=FASHION_MODEL,
        model="chosen_ffnn",
        seed=config["seed"],
        dtype=FASHION["dtype"],
        blas_threads=FASHION["model_threads"],
    wildcard_constraints:
        training_seed=r"\d+",
    threads: FASHION["model_threads"]
    log: f"{FASHION_LOGS}/chosen_ffnn_selection_seed-{{training_seed}}.log"
    resources: **job_resources(mem_mb=1500, minutes=FASHION_SELECTION_MINUTES)
    benchmark: benchmark_file("fashion_chosen_selection", "training_seed")
    script: "../scripts/fashion_chosen_selection.py"


rule fashion_chosen_model:
    """(b) epochs from the validation curve, (c) refit on train + validation, (d) test scores."""
    input:
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        selection=rules.fashion_chosen_selection.output.record,
        library=library_inputs("fashion_chosen_refit.py"),
    output:
        record=fashion_model_file("chosen_ffnn", "{training_seed}"),
        weights=fashion_model_file("chosen_ffnn_weights", "{training_seed}", "npz"),
    params:
        settings=FASHION_MODEL,
        model="chosen_ffnn",
        protocol=FASHION["chosen"],
        seed=config["seed"],
        dtype=FASHION["dtype"],
        blas_threads=FASHION["model_threads"],
    wildcard_constraints:
        training_seed=r"\d+",
    threads: FASHION["model_threads"]
    log: f"{FASHION_LOGS}/chosen_ffnn_seed-{{training_seed}}.log"
    resources: **job_resources(mem_mb=1500, minutes=FASHION_REFIT_MINUTES)
    benchmark: benchmark_file("fashion_chosen_model", "training_seed")
    script: "../scripts/fashion_chosen_refit.py"


rule fashion_validation_choice:
    """The grids' validation winners combined as the study combined its own (`ffnn.fashion.validation_choice`)."""
    input:
        selection=fashion_table("selection"),
        library=library_inputs("fashion_validation_choice.py"),
    output: record=FASHION_VALIDATION_CHOICE
    params:
        cells={grid: {cell: spec["settings"] for cell, spec in cells.items()} for grid, cells in FASHION_GRIDS.items()},
        base=FASHION_MODEL,
    log: f"{FASHION_LOGS}/validation_choice.log"
    threads: 1
    resources: **job_resources(mem_mb=500, minutes=5)
    benchmark: benchmark_file("fashion_validation_choice")
    script: "../scripts/fashion_validation_choice.py"


# The validation choice goes through the same two steps as the study's settings, over every training seed.
use rule fashion_chosen_selection as fashion_validation_selection with:
    input:
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        settings=FASHION_VALIDATION_CHOICE,
        library=library_inputs("fashion_chosen_selection.py"),
    output:
        record=fashion_model_file("validation_ffnn_selection", "{training_seed}"),
        weights=fashion_model_file("validation_ffnn_selection_weights", "{training_seed}", "npz"),
    params:
        settings=None,
        model="validation_ffnn",
        seed=config["seed"],
        dtype=FASHION["dtype"],
        blas_threads=FASHION["model_threads"],
    log: f"{FASHION_LOGS}/validation_ffnn_selection_seed-{{training_seed}}.log"
    resources: **job_resources(mem_mb=1500, minutes=FASHION_LARGEST_SELECTION_MINUTES)
    benchmark: benchmark_file("fashion_validation_selection", "training_seed")


use rule fashion_chosen_model as fashion_validation_model with:
    input:
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        settings=FASHION_VALIDATION_CHOICE,
        selection=rules.fashion_validation_selection.output.record,
        library=library_inputs("fashion_chosen_refit.py"),
    output:
        record=fashion_model_file("validation_ffnn", "{training_seed}"),
        weights=fashion_model_file("validation_ffnn_weights", "{training_seed}", "npz"),
    params:
        settings=None,
        model="validation_ffnn",
        protocol=FASHION["chosen"],
        seed=config["seed"],
        dtype=FASHION["dtype"],
        blas_threads=FASHION["model_threads"],
    log: f"{FASHION_LOGS}/validation_ffnn_seed-{{training_seed}}.log"
    resources: **job_resources(mem_mb=1500, minutes=FASHION_LARGEST_REFIT_MINUTES)
    benchmark: benchmark_file("fashion_validation_model", "training_seed")


rule fashion_study_protocol_score:
    """The selection fit's network, i.e. the study's protocol, scored on the test images."""
    input:
        data=FASHION_DATA,
        selection=rules.fashion_chosen_selection.output.record,
        weights=rules.fashion_chosen_selection.output.weights,
        library=library_inputs("fashion_study_protocol_score.py"),
    output: record=fashion_model_file("chosen_ffnn_study_protocol", "{training_seed}")
    params:
        dtype=FASHION["dtype"],
    wildcard_constraints:
        training_seed=r"\d+",
    log: f"{FASHION_LOGS}/chosen_ffnn_study_protocol_seed-{{training_seed}}.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("fashion_study_protocol_score", "training_seed")
    script: "../scripts/fashion_study_protocol_score.py"


rule fashion_logistic:
    input:
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        library=library_inputs("fashion_logistic.py"),
    output: record=f"{FASHION_MODELS}/logistic_regression.json"
    params:
        settings=FASHION["logistic"],
        seed=config["seed"],
        blas_threads=FASHION["model_threads"],
    threads: FASHION["model_threads"]
    log: f"{FASHION_LOGS}/logistic_regression.log"
    resources: **job_resources(mem_mb=2000, minutes=10)
    benchmark: benchmark_file("fashion_logistic")
    script: "../scripts/fashion_logistic.py"


rule fashion_table5:
    """Table V over training seeds, and the chosen model's fits one row per seed."""
    input:
        chosen=fashion_model_files("chosen_ffnn"),
        validation=fashion_model_files("validation_ffnn"),
        choice=FASHION_VALIDATION_CHOICE,
        protocol=fashion_model_files("chosen_ffnn_study_protocol"),
        logistic=rules.fashion_logistic.output.record,
        cnn=lambda wildcards: CNN_CHOSEN,  # workflow/rules/cnn.smk: the chosen CNN, a row of Table V
        library=library_inputs("fashion_table5.py"),
    output:
        table5=fashion_report(fashion_table("table5_models"), "table5_models"),
        seeds=fashion_report(fashion_table("chosen_seeds"), "chosen_seeds"),
    params:
        reference=study_numbers.table5_reference(STUDY_NUMBERS),
        training_seeds=TRAINING_SEEDS,
    log: f"{FASHION_LOGS}/tables/table5.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("fashion_table5")
    script: "../scripts/fashion_table5.py"


rule fashion_model_tables:
    """The chosen model of training seed 0 (the study's stream): confusion matrices, per-class
    scores and the learning curves of its selection fit."""
    input:
        chosen=fashion_model_file("chosen_ffnn", 0),
        selection=fashion_model_file("chosen_ffnn_selection", 0),
        library=library_inputs("fashion_model_tables.py"),
    output:
        confusion_raw=fashion_report(fashion_table("confusion_raw"), "confusion_raw_table"),
        confusion_normalised=fashion_report(fashion_table("confusion_normalised"), "confusion_normalised_table"),
        per_class=fashion_report(fashion_table("per_class_scores"), "per_class_scores"),
        curves=fashion_report(fashion_table("chosen_curves"), "chosen_curves_table"),
    log: f"{FASHION_LOGS}/tables/models.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("fashion_model_tables")
    script: "../scripts/fashion_model_tables.py"


for _figure, _function in fashion_design.PLOTS.items():

    rule:
        name:
            f"fashion_plot_{_figure}"
        input:
            fashion_table(_figure),
            library=library_inputs("fashion_plot.py"),
        output: fashion_report(fashion_figure(_figure), _figure)
        params:
            function=_function,
        log: f"{FASHION_LOGS}/figures/{_figure}.log"
        threads: 1
        resources: **job_resources(mem_mb=1000, minutes=5)
        benchmark: benchmark_file(f"fashion_plot_{_figure}")
        script: "../scripts/fashion_plot.py"
