# The Runge regression study (Section III.A and its appendix) as a DAG:
#   data -> polynomial baselines and network grids (one job per cell) -> choices made on
#   validation MSE -> the final models of Table I -> CSV tables -> PNG figures drawn from the
#   tables only. Cells record their test MSE beside validation's, for the audit; no choice reads it.
# The design (grids, sweeps, Table I, figures) is `ffnn.runge.design`; this file wires it to files.
# Every name defined here starts with `runge_`/`RUNGE_`, since all rule files share one namespace.
import re

from ffnn.parts import PARTS
from ffnn.runge import design as runge_design

RUNGE = config["runge"]
RUNGE_SEED = config["seed"]
RUNGE_DIR = "results/runge"
RUNGE_NOISE_LEVELS = runge_design.noise_levels(RUNGE)
RUNGE_NOISE_TAGS = [runge_design.noise_tag(value) for value in RUNGE_NOISE_LEVELS.values()]
RUNGE_GRIDS = runge_design.grids(RUNGE)
runge_table = PARTS["runge"].table
runge_figure = PARTS["runge"].figure


def runge_data_file(noise_std):
    return f"{RUNGE_DIR}/data/runge_noise-{runge_design.noise_tag(noise_std)}.npz"


def runge_cell_file(grid, cell):
    return f"{RUNGE_DIR}/cells/{grid}/{cell}.json"


def runge_grid_cell_files(grid):
    return [runge_cell_file(grid, cell) for cell in RUNGE_GRIDS[grid]]


def runge_selection_file(grid):
    return f"{RUNGE_DIR}/selection/{grid}.json"


def runge_final_file(row, training_seed):
    return f"{RUNGE_DIR}/final/{row}_seed-{training_seed}.json"


def runge_baseline_file(kind, noise_tag):
    return f"{RUNGE_DIR}/baselines/{kind}_noise-{noise_tag}.json"


def runge_row_files(row, training_seeds=TRAINING_SEEDS):
    """Result files of a Table I row: a final network's, one per training seed, or a chosen
    (deterministic) baseline's one file."""
    if row in runge_design.FINAL_ROWS:
        return [runge_final_file(row, training_seed) for training_seed in training_seeds]
    baseline = runge_design.BASELINE_ROWS[row]
    return [runge_baseline_file(baseline.kind, runge_design.noise_tag(RUNGE_NOISE_LEVELS[baseline.noise]))]


def runge_cell_inputs(wildcards):
    inputs = {"data": runge_data_file(RUNGE_NOISE_LEVELS["clean"])}
    if wildcards.grid in runge_design.INHERITS:
        inputs["selection"] = runge_selection_file(runge_design.INHERITS[wildcards.grid][0])
    return inputs


def runge_final_inputs(wildcards):
    row = runge_design.FINAL_ROWS[wildcards.row]
    inputs = {"data": runge_data_file(RUNGE_NOISE_LEVELS[row.noise])}
    if row.selection is not None:
        inputs["selection"] = runge_selection_file(row.selection)
    return inputs


def runge_regex(names):
    return "|".join(re.escape(name) for name in names)


def runge_report(path, caption, subcategory="Tables"):
    return report(path, caption=f"../report/{caption}.rst", category="Runge", subcategory=subcategory)


RUNGE_TABLE1_ROWS = [{"row": row, "model": label} for row, label in runge_design.TABLE1.items()]


rule runge_all:
    """Every Runge table and figure: `snakemake runge_all`."""
    input:
        PARTS["runge"].outputs(),


rule runge_data:
    """100 points of Runge's function, split train/validation/test, at one noise level."""
    input:
        library=library_inputs("runge_data.py"),
    output: f"{RUNGE_DIR}/data/runge_noise-{{noise}}.npz"
    params:
        data=RUNGE["data"],
        seed=RUNGE_SEED,
    wildcard_constraints:
        noise=runge_regex(RUNGE_NOISE_TAGS),
    log: f"{RUNGE_DIR}/logs/data/runge_noise-{{noise}}.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_data", "noise")
    script: "../scripts/runge_data.py"


rule runge_baseline:
    """Polynomial OLS / Ridge / LASSO: degree and lambda chosen on validation MSE, then scored on test."""
    input:
        data=f"{RUNGE_DIR}/data/runge_noise-{{noise}}.npz",
        library=library_inputs("runge_baseline.py"),
    output: f"{RUNGE_DIR}/baselines/{{kind}}_noise-{{noise}}.json"
    params:
        degrees=RUNGE["baselines"]["degrees"],
        lambdas=lambda wildcards: RUNGE["baselines"].get(f"{wildcards.kind}_lambdas"),
        dense_points=RUNGE["dense_points"],
    wildcard_constraints:
        kind=runge_regex(runge_design.BASELINE_KINDS),
        noise=runge_regex(RUNGE_NOISE_TAGS),
    log: f"{RUNGE_DIR}/logs/baselines/{{kind}}_noise-{{noise}}.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=10)
    benchmark: benchmark_file("runge_baseline", "kind", "noise")
    script: "../scripts/runge_baseline.py"


rule runge_cell:
    """One cell of a network grid: `repeats` fits of one setting, train and validation MSE and curves."""
    input:
        unpack(runge_cell_inputs),
        library=library_inputs("runge_cell.py"),
    output: f"{RUNGE_DIR}/cells/{{grid}}/{{cell}}.json"
    params:
        settings=lambda wildcards: RUNGE_GRIDS[wildcards.grid][wildcards.cell],
        inherit=lambda wildcards: runge_design.INHERITS.get(wildcards.grid, (None, []))[1],
        seed=RUNGE_SEED,
        repeats=RUNGE["repeats"],
        record_every=RUNGE["record_every"],
    wildcard_constraints:
        grid=runge_regex(RUNGE_GRIDS),
        cell="[^/]+",
    log: f"{RUNGE_DIR}/logs/cells/{{grid}}/{{cell}}.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=10)
    benchmark: benchmark_file("runge_cell", "grid", "cell")
    script: "../scripts/runge_cell.py"


rule runge_select:
    """The cell of a grid with the smallest median validation MSE; later sweeps and final models read it."""
    input:
        cells=lambda wildcards: runge_grid_cell_files(wildcards.grid),
        library=library_inputs("runge_select.py"),
    output: f"{RUNGE_DIR}/selection/{{grid}}.json"
    wildcard_constraints:
        grid=runge_regex(runge_design.SELECTED_GRIDS),
    log: f"{RUNGE_DIR}/logs/selection/{{grid}}.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_select", "grid")
    script: "../scripts/runge_select.py"


rule runge_final:
    """A network of Table I with one training seed, restarted `repeats` times; the restart with the
    best validation MSE is scored on test."""
    input:
        unpack(runge_final_inputs),
        library=library_inputs("runge_final.py"),
    output: runge_final_file("{row}", "{training_seed}")
    params:
        settings=lambda wildcards: runge_design.final_settings(RUNGE, wildcards.row),
        noise_std=lambda wildcards: RUNGE_NOISE_LEVELS[runge_design.FINAL_ROWS[wildcards.row].noise],
        seed=RUNGE_SEED,
        repeats=RUNGE["repeats"],
        record_every=RUNGE["record_every"],
        dense_points=RUNGE["dense_points"],
    wildcard_constraints:
        row=runge_regex(runge_design.FINAL_ROWS),
        training_seed=r"\d+",
    log: f"{RUNGE_DIR}/logs/final/{{row}}_seed-{{training_seed}}.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=10)
    benchmark: benchmark_file("runge_final", "row", "training_seed")
    script: "../scripts/runge_final.py"


# ---------------------------------------------------------------- tables


rule runge_grid_table:
    """Gather a grid's cells: median and range of the MSEs per cell, and each restart's scores and
    learning curves in long form (test scores recorded beside validation's, never chosen by)."""
    input:
        cells=lambda wildcards: runge_grid_cell_files(wildcards.grid),
        selection=lambda wildcards: [runge_selection_file(wildcards.grid)] if wildcards.grid in runge_design.SELECTED_GRIDS else [],
        library=library_inputs("runge_grid_table.py"),
    output:
        mse=runge_report(runge_table("{grid}_mse"), "runge_grid_mse"),
        curves=runge_report(runge_table("{grid}_curves"), "runge_grid_curves"),
        fits=runge_report(runge_table("{grid}_fits"), "runge_grid_fits"),
    params:
        columns=lambda wildcards: runge_design.GRID_COLUMNS[wildcards.grid],
        reference=lambda wildcards: study_numbers.table6_reference(STUDY_NUMBERS) if wildcards.grid == "depth_width" else [],
    wildcard_constraints:
        grid=runge_regex(RUNGE_GRIDS),
    log: f"{RUNGE_DIR}/logs/tables/runge_{{grid}}.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_grid_table", "grid")
    script: "../scripts/runge_grid_table.py"


rule runge_baseline_table:
    """Validation grid of the polynomial baselines, with the chosen model of each kind and noise level marked."""
    input:
        baselines=[runge_baseline_file(kind, tag) for kind in runge_design.BASELINE_KINDS for tag in RUNGE_NOISE_TAGS],
        library=library_inputs("runge_baseline_table.py"),
    output: runge_report(runge_table("baseline_selection"), "runge_baseline_selection")
    log: f"{RUNGE_DIR}/logs/tables/runge_baseline_selection.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_baseline_table")
    script: "../scripts/runge_baseline_table.py"


rule runge_table1:
    """Table I: test MSE of every final model over training seeds, the study's published value beside ours."""
    input:
        **{row: runge_row_files(row) for row in runge_design.TABLE1},
        library=library_inputs("runge_table1.py"),
    output:
        table=runge_report(runge_table("table1_test_mse"), "runge_table1_test_mse"),
        seeds=runge_report(runge_table("table1_seeds"), "runge_table1_seeds"),
    params:
        rows=RUNGE_TABLE1_ROWS,
        reference=study_numbers.table1_reference(STUDY_NUMBERS),
    log: f"{RUNGE_DIR}/logs/tables/runge_table1_test_mse.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_table1")
    script: "../scripts/runge_table1.py"


rule runge_table4:
    """Table IV: lambda, learning rate and batch size chosen on validation for the L2 and L1 networks."""
    input:
        l2=runge_selection_file("l2_batch_size"),
        l1=runge_selection_file("l1_batch_size"),
        library=library_inputs("runge_table4.py"),
    output: runge_report(runge_table("table4_hyperparameters"), "runge_table4_hyperparameters")
    params:
        reference=study_numbers.table4_reference(STUDY_NUMBERS),
    log: f"{RUNGE_DIR}/logs/tables/runge_table4_hyperparameters.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_table4")
    script: "../scripts/runge_table4.py"


rule runge_fitted_curves:
    """Predictions of the final models (training seed 0) on a dense x grid, Runge's function itself, and the data points."""
    input:
        rows=[runge_row_files(row, training_seeds=[0])[0] for row in runge_design.TABLE1],
        data=[runge_data_file(level) for level in RUNGE_NOISE_LEVELS.values()],
        library=library_inputs("runge_fitted_curves.py"),
    output:
        curves=runge_report(runge_table("fitted_curves"), "runge_fitted_curves"),
        points=runge_report(runge_table("data_points"), "runge_data_points"),
    params:
        rows=RUNGE_TABLE1_ROWS,
        noise_levels=list(RUNGE_NOISE_LEVELS.values()),
    log: f"{RUNGE_DIR}/logs/tables/runge_fitted_curves.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_fitted_curves")
    script: "../scripts/runge_fitted_curves.py"


# ---------------------------------------------------------------- figures (from tables only)


rule runge_plot_optimizer_curves:
    """Figs. 3 and 17: validation learning curves by optimiser and learning rate."""
    input:
        curves=runge_table("optimizer_lr_curves"),
        mse=runge_table("optimizer_lr_mse"),
        library=library_inputs("runge_plot_optimizer.py"),
    output: runge_report(runge_figure("optimizer_lr_curves"), "runge_optimizer_lr_curves", "Figures")
    params:
        hidden_layers=RUNGE["optimizer_lr"]["hidden_layers"],
        activation=RUNGE["optimizer_lr"]["activation"],
    log: f"{RUNGE_DIR}/logs/figures/runge_optimizer_lr_curves.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_plot_optimizer_curves")
    script: "../scripts/runge_plot_optimizer.py"


rule runge_plot_depth_activation:
    """Fig. 6: validation MSE against depth for each activation."""
    input:
        runge_table("depth_activation_mse"),
        library=library_inputs("runge_plot_depth_activation.py"),
    output: runge_report(runge_figure("depth_activation_mse"), "runge_depth_activation_mse", "Figures")
    log: f"{RUNGE_DIR}/logs/figures/runge_depth_activation_mse.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_plot_depth_activation")
    script: "../scripts/runge_plot_depth_activation.py"


rule runge_plot_depth_width:
    """Fig. 7 (heatmaps of Table VI) and Fig. 18 (learning curves by depth at one width)."""
    input:
        mse=runge_table("depth_width_mse"),
        curves=runge_table("depth_width_curves"),
        library=library_inputs("runge_plot_depth_width.py"),
    output:
        heatmaps=runge_report(runge_figure("depth_width_heatmaps"), "runge_depth_width_heatmaps", "Figures"),
        curves=runge_report(runge_figure("depth_width_curves"), "runge_depth_width_curves", "Figures"),
    params:
        curves_width=RUNGE["depth_width"]["curves_width"],
    log: f"{RUNGE_DIR}/logs/figures/runge_depth_width.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_plot_depth_width")
    script: "../scripts/runge_plot_depth_width.py"


rule runge_plot_regularization:
    """Figs. 8-10 and 22 (MSE against lambda, eta, b) and Figs. 21 and 23 (their learning curves)."""
    input:
        mse=[runge_table(f"{{penalty}}_{stage}_mse") for stage in runge_design.SWEEP_STAGES],
        curves=[runge_table(f"{{penalty}}_{stage}_curves") for stage in runge_design.SWEEP_STAGES],
        library=library_inputs("runge_plot_regularization.py"),
    output:
        sweeps=runge_report(runge_figure("{penalty}_sweeps"), "runge_regularization_sweeps", "Figures"),
        curves=runge_report(runge_figure("{penalty}_sweep_curves"), "runge_regularization_sweep_curves", "Figures"),
    wildcard_constraints:
        penalty="l1|l2",
    log: f"{RUNGE_DIR}/logs/figures/runge_{{penalty}}_sweeps.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_plot_regularization", "penalty")
    script: "../scripts/runge_plot_regularization.py"


rule runge_plot_fit:
    """Figs. 2, 4, 11, 16, 20: fitted curves of final models against Runge's function."""
    input:
        curves=runge_table("fitted_curves"),
        points=runge_table("data_points"),
        library=library_inputs("runge_plot_fit.py"),
    output: runge_report(runge_figure("fit_{figure}"), "runge_fit", "Figures")
    params:
        rows=lambda wildcards: runge_design.FIT_FIGURES[wildcards.figure],
        truth_panel=lambda wildcards: wildcards.figure == "overview",
    wildcard_constraints:
        figure=runge_regex(runge_design.FIT_FIGURES),
    log: f"{RUNGE_DIR}/logs/figures/runge_fit_{{figure}}.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_plot_fit", "figure")
    script: "../scripts/runge_plot_fit.py"


rule runge_plot_table1:
    """Table I as a bar chart: our test MSE beside the study's published one."""
    input:
        runge_table("table1_test_mse"),
        library=library_inputs("runge_plot_table1.py"),
    output: runge_report(runge_figure("table1_test_mse"), "runge_table1_figure", "Figures")
    log: f"{RUNGE_DIR}/logs/figures/runge_table1_test_mse.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_plot_table1")
    script: "../scripts/runge_plot_table1.py"


rule runge_plot_baselines:
    """Validation MSE of the polynomial baselines against degree (best lambda per degree)."""
    input:
        runge_table("baseline_selection"),
        library=library_inputs("runge_plot_baselines.py"),
    output: runge_report(runge_figure("baseline_selection"), "runge_baseline_selection_figure", "Figures")
    log: f"{RUNGE_DIR}/logs/figures/runge_baseline_selection.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("runge_plot_baselines")
    script: "../scripts/runge_plot_baselines.py"
