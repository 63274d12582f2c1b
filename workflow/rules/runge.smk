# The Runge regression study (Section III.A and its appendix) as a DAG:
#   data -> polynomial baselines and network grids (one job per cell) -> choices made on
#   validation MSE -> the final models of Table I -> CSV tables -> PNG figures drawn from the
#   tables only. Cells record their test MSE beside validation's, for the audit; no choice reads it.
# Every name defined here starts with `runge_`/`RUNGE_`, since all rule files share one namespace.

import re

RUNGE = config["runge"]
RUNGE_SEED = config["seed"]
RUNGE_DIR = "results/runge"
RUNGE_NOISE_LEVELS = {"clean": 0.0, "noisy": float(RUNGE["data"]["noise_std"])}


def runge_noise_tag(noise_std):
    """File-name form of a noise level: 0 -> "0", 0.01 -> "0.01"."""
    return f"{noise_std:g}"


def runge_data_file(noise_std):
    return f"{RUNGE_DIR}/data/runge_noise-{runge_noise_tag(noise_std)}.npz"


RUNGE_NOISE_TAGS = [runge_noise_tag(value) for value in RUNGE_NOISE_LEVELS.values()]
RUNGE_CLEAN_DATA = runge_data_file(RUNGE_NOISE_LEVELS["clean"])


# ---------------------------------------------------------------- grids of network settings


def runge_uniform_cells(cells):
    """Give cells with `depth` and `width` their `hidden_layers` ([width] * depth)."""
    return {cell: {**settings, "hidden_layers": [settings["width"]] * settings["depth"]} for cell, settings in cells.items()}


def runge_optimizer_cells(grid):
    """Figs. 3/17: optimiser x learning rate; epochs and batch size follow the optimiser."""
    schedules = {entry["optimizer"]: entry for entry in grid["optimizers"]}
    if len(schedules) < len(grid["optimizers"]):
        names = [entry["optimizer"] for entry in grid["optimizers"]]
        raise ValueError(f"runge.optimizer_lr.optimizers names an optimizer twice: {names}")
    base = {"hidden_layers": grid["hidden_layers"], "activation": grid["activation"]}
    cells = expand_grid(base, {"optimizer": list(schedules), "learning_rate": grid["learning_rates"]})
    return {cell: {**settings, **schedules[settings["optimizer"]]} for cell, settings in cells.items()}


def runge_regularization_grids(reg):
    """Figs. 8-10, 21-23: per penalty a lambda sweep, then learning rate, then batch size.

    A later sweep's cells hold only their own axis; the values chosen before them come from
    the previous sweep's selection file (RUNGE_INHERITS), so its cells are named by their value.
    """
    base = {key: reg[key] for key in ("hidden_layers", "activation", "optimizer", "epochs")}
    grids = {}
    for penalty in ("l2", "l1"):
        common = {**base, "penalty": penalty}
        grids[f"{penalty}_lambda"] = expand_grid({**common, **reg["start"]}, {"lam": reg["lambdas"]})
        grids[f"{penalty}_learning_rate"] = expand_grid(
            {**common, "batch_size": reg["start"]["batch_size"]}, {"learning_rate": reg["learning_rates"]}
        )
        grids[f"{penalty}_batch_size"] = expand_grid(common, {"batch_size": reg["batch_sizes"]})
    return grids


RUNGE_GRIDS = {
    "optimizer_lr": runge_optimizer_cells(RUNGE["optimizer_lr"]),
    "depth_activation": runge_uniform_cells(
        expand_grid(
            {**RUNGE["depth_activation"]["training"], "width": RUNGE["depth_activation"]["width"]},
            {"activation": RUNGE["depth_activation"]["activations"], "depth": RUNGE["depth_activation"]["depths"]},
        )
    ),
    "depth_width": runge_uniform_cells(
        expand_grid(
            RUNGE["depth_width"]["training"],
            {
                "activation": RUNGE["depth_width"]["activations"],
                "depth": RUNGE["depth_width"]["depths"],
                "width": RUNGE["depth_width"]["widths"],
            },
        )
    ),
    **runge_regularization_grids(RUNGE["regularization"]),
}

# Grid columns of each table (the settings that vary or that a reader needs beside them).
RUNGE_GRID_COLUMNS = {
    "optimizer_lr": ["optimizer", "learning_rate", "epochs", "batch_size"],
    "depth_activation": ["activation", "depth", "width"],
    "depth_width": ["activation", "depth", "width"],
    **{f"{p}_{s}": ["penalty", "lam", "learning_rate", "batch_size"] for p in ("l2", "l1") for s in ("lambda", "learning_rate", "batch_size")},
}

# Chained sweeps: which earlier selection a grid reads, and the settings it takes from it.
RUNGE_INHERITS = {
    **{f"{p}_learning_rate": (f"{p}_lambda", ["lam"]) for p in ("l2", "l1")},
    **{f"{p}_batch_size": (f"{p}_learning_rate", ["lam", "learning_rate"]) for p in ("l2", "l1")},
}

# Grids whose best cell (smallest median validation MSE) is chosen and used downstream.
RUNGE_SELECTED_GRIDS = ["optimizer_lr", *(f"{p}_{s}" for p in ("l2", "l1") for s in ("lambda", "learning_rate", "batch_size"))]

if RUNGE["depth_width"]["curves_width"] not in RUNGE["depth_width"]["widths"]:
    raise ValueError(
        f"runge.depth_width.curves_width={RUNGE['depth_width']['curves_width']} is not one of "
        f"runge.depth_width.widths={RUNGE['depth_width']['widths']}"
    )


def runge_cell_file(grid, cell):
    return f"{RUNGE_DIR}/cells/{grid}/{cell}.json"


def runge_grid_cell_files(grid):
    return [runge_cell_file(grid, cell) for cell in RUNGE_GRIDS[grid]]


def runge_selection_file(grid):
    return f"{RUNGE_DIR}/selection/{grid}.json"


def runge_cell_settings(wildcards):
    return RUNGE_GRIDS[wildcards.grid][wildcards.cell]


def runge_cell_inputs(wildcards):
    inputs = {"data": RUNGE_CLEAN_DATA}
    if wildcards.grid in RUNGE_INHERITS:
        inputs["selection"] = runge_selection_file(RUNGE_INHERITS[wildcards.grid][0])
    return inputs


def runge_regex(names):
    return "|".join(re.escape(name) for name in names)


# ---------------------------------------------------------------- Table I rows

# Final networks: (noise level, fixed settings from config, selection their settings come from).
RUNGE_FINAL_ROWS = {
    "untuned": ("clean", RUNGE["final_models"]["untuned"], None),
    "ffnn1": ("clean", RUNGE["final_models"]["ffnn1"], None),
    "ffnn2": ("clean", {}, "optimizer_lr"),
    "ffnn1_noise": ("noisy", RUNGE["final_models"]["ffnn1"], None),
    "ffnn2_noise": ("noisy", {}, "optimizer_lr"),
    "l2": ("clean", {}, "l2_batch_size"),
    "l1": ("clean", {}, "l1_batch_size"),
}
RUNGE_BASELINE_KINDS = ["ols", "ridge", "lasso"]
RUNGE_BASELINE_ROWS = {"ols": ("ols", "clean"), "ols_noise": ("ols", "noisy"), "ridge": ("ridge", "clean"), "lasso": ("lasso", "clean")}
# The study's Table I, in its order, with its labels.
RUNGE_TABLE1 = [
    ("untuned", "NN"),
    ("ols", "OLS"),
    ("ffnn1", "FFNN1"),
    ("ffnn2", "FFNN2"),
    ("ols_noise", "OLS (w/ noise)"),
    ("ffnn1_noise", "FFNN1 (noise)"),
    ("ffnn2_noise", "FFNN2 (noise)"),
    ("ridge", "Ridge"),
    ("lasso", "LASSO"),
    ("l2", "NN + L2 penalty"),
    ("l1", "NN + L1 penalty"),
]


def runge_final_file(row, training_seed):
    return f"{RUNGE_DIR}/final/{row}_seed-{training_seed}.json"


def runge_baseline_file(kind, noise_tag):
    return f"{RUNGE_DIR}/baselines/{kind}_noise-{noise_tag}.json"


def runge_row_files(row, training_seeds=TRAINING_SEEDS):
    """Result files of a Table I row: a final network's, one per training seed, or a chosen
    (deterministic) baseline's one file."""
    if row in RUNGE_FINAL_ROWS:
        return [runge_final_file(row, training_seed) for training_seed in training_seeds]
    kind, level = RUNGE_BASELINE_ROWS[row]
    return [runge_baseline_file(kind, runge_noise_tag(RUNGE_NOISE_LEVELS[level]))]


def runge_final_inputs(wildcards):
    level, _, selection = RUNGE_FINAL_ROWS[wildcards.row]
    inputs = {"data": runge_data_file(RUNGE_NOISE_LEVELS[level])}
    if selection is not None:
        inputs["selection"] = runge_selection_file(selection)
    return inputs


# Fitted-curve figures: name -> (Table I rows drawn, the study's figure).
RUNGE_FIT_FIGURES = {
    "untuned": ["untuned"],  # Fig. 2
    "ffnn_vs_ols": ["ols", "ffnn1", "ffnn2"],  # Fig. 4
    "overview": ["ols_noise", "ffnn1_noise", "ffnn2_noise"],  # Fig. 16 (truth on top; noisy data fits below)
    "l2_vs_ridge": ["ridge", "l2"],  # Fig. 11
    "l1_vs_lasso": ["lasso", "l1"],  # Fig. 20
}


def runge_table(name):
    return f"{RUNGE_DIR}/tables/runge_{name}.csv"


def runge_figure(name):
    return f"{RUNGE_DIR}/figures/runge_{name}.png"


def all_runge_outputs():
    """Every final Runge table and figure."""
    tables = [runge_table(f"{grid}_{kind}") for grid in RUNGE_GRIDS for kind in ("mse", "curves", "fits")]
    tables += [
        runge_table(name)
        for name in ("baseline_selection", "table1_test_mse", "table1_seeds", "table4_hyperparameters", "fitted_curves", "data_points")
    ]
    figures = [
        runge_figure(name)
        for name in (
            "optimizer_lr_curves",
            "depth_activation_mse",
            "depth_width_heatmaps",
            "depth_width_curves",
            "baseline_selection",
            "table1_test_mse",
        )
    ]
    figures += [runge_figure(f"{penalty}_{kind}") for penalty in ("l2", "l1") for kind in ("sweeps", "sweep_curves")]
    figures += [runge_figure(f"fit_{name}") for name in RUNGE_FIT_FIGURES]
    return tables + figures


# ---------------------------------------------------------------- rules


rule runge_all:
    """Every Runge table and figure: `snakemake runge_all`."""
    input:
        all_runge_outputs(),


rule runge_data:
    """100 points of Runge's function, split train/validation/test, at one noise level."""
    input:
        library=library_inputs("runge_data.py"),
    output:
        f"{RUNGE_DIR}/data/runge_noise-{{noise}}.npz",
    params:
        data=RUNGE["data"],
        seed=RUNGE_SEED,
    wildcard_constraints:
        noise=runge_regex(RUNGE_NOISE_TAGS),
    log:
        f"{RUNGE_DIR}/logs/data/runge_noise-{{noise}}.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_data", "noise")
    script:
        "../scripts/runge_data.py"


rule runge_baseline:
    """Polynomial OLS / Ridge / LASSO: degree and lambda chosen on validation MSE, then scored on test."""
    input:
        data=f"{RUNGE_DIR}/data/runge_noise-{{noise}}.npz",
        library=library_inputs("runge_baseline.py"),
    output:
        f"{RUNGE_DIR}/baselines/{{kind}}_noise-{{noise}}.json",
    params:
        degrees=RUNGE["baselines"]["degrees"],
        lambdas=lambda wildcards: RUNGE["baselines"].get(f"{wildcards.kind}_lambdas"),
        dense_points=RUNGE["dense_points"],
    wildcard_constraints:
        kind=runge_regex(RUNGE_BASELINE_KINDS),
        noise=runge_regex(RUNGE_NOISE_TAGS),
    log:
        f"{RUNGE_DIR}/logs/baselines/{{kind}}_noise-{{noise}}.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=10),
    benchmark:
        benchmark_file("runge_baseline", "kind", "noise")
    script:
        "../scripts/runge_baseline.py"


rule runge_cell:
    """One cell of a network grid: `repeats` fits of one setting, train and validation MSE and curves."""
    input:
        unpack(runge_cell_inputs),
        library=library_inputs("runge_cell.py"),
    output:
        f"{RUNGE_DIR}/cells/{{grid}}/{{cell}}.json",
    params:
        settings=runge_cell_settings,
        inherit=lambda wildcards: RUNGE_INHERITS.get(wildcards.grid, (None, []))[1],
        seed=RUNGE_SEED,
        repeats=RUNGE["repeats"],
        record_every=RUNGE["record_every"],
    wildcard_constraints:
        grid=runge_regex(RUNGE_GRIDS),
        cell="[^/]+",
    log:
        f"{RUNGE_DIR}/logs/cells/{{grid}}/{{cell}}.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=10),
    benchmark:
        benchmark_file("runge_cell", "grid", "cell")
    script:
        "../scripts/runge_cell.py"


rule runge_select:
    """The cell of a grid with the smallest median validation MSE; later sweeps and final models read it."""
    input:
        cells=lambda wildcards: runge_grid_cell_files(wildcards.grid),
        library=library_inputs("runge_select.py"),
    output:
        f"{RUNGE_DIR}/selection/{{grid}}.json",
    wildcard_constraints:
        grid=runge_regex(RUNGE_SELECTED_GRIDS),
    log:
        f"{RUNGE_DIR}/logs/selection/{{grid}}.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_select", "grid")
    script:
        "../scripts/runge_select.py"


rule runge_final:
    """A network of Table I with one training seed, restarted `repeats` times; the restart with the
    best validation MSE is scored on test."""
    input:
        unpack(runge_final_inputs),
        library=library_inputs("runge_final.py"),
    output:
        runge_final_file("{row}", "{training_seed}"),
    params:
        settings=lambda wildcards: RUNGE_FINAL_ROWS[wildcards.row][1],
        noise_std=lambda wildcards: RUNGE_NOISE_LEVELS[RUNGE_FINAL_ROWS[wildcards.row][0]],
        seed=RUNGE_SEED,
        repeats=RUNGE["repeats"],
        record_every=RUNGE["record_every"],
        dense_points=RUNGE["dense_points"],
    wildcard_constraints:
        row=runge_regex(RUNGE_FINAL_ROWS),
        training_seed=r"\d+",
    log:
        f"{RUNGE_DIR}/logs/final/{{row}}_seed-{{training_seed}}.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=10),
    benchmark:
        benchmark_file("runge_final", "row", "training_seed")
    script:
        "../scripts/runge_final.py"


# ---------------------------------------------------------------- tables


rule runge_grid_table:
    """Gather a grid's cells: median and range of the MSEs per cell, and each restart's scores and
    learning curves in long form (test scores recorded beside validation's, never chosen by)."""
    input:
        cells=lambda wildcards: runge_grid_cell_files(wildcards.grid),
        selection=lambda wildcards: [runge_selection_file(wildcards.grid)] if wildcards.grid in RUNGE_SELECTED_GRIDS else [],
        library=library_inputs("runge_grid_table.py"),
    output:
        mse=report(
            f"{RUNGE_DIR}/tables/runge_{{grid}}_mse.csv",
            caption="../report/runge_grid_mse.rst",
            category="Runge",
            subcategory="Tables",
        ),
        curves=report(
            f"{RUNGE_DIR}/tables/runge_{{grid}}_curves.csv",
            caption="../report/runge_grid_curves.rst",
            category="Runge",
            subcategory="Tables",
        ),
        fits=report(
            f"{RUNGE_DIR}/tables/runge_{{grid}}_fits.csv",
            caption="../report/runge_grid_fits.rst",
            category="Runge",
            subcategory="Tables",
        ),
    params:
        columns=lambda wildcards: RUNGE_GRID_COLUMNS[wildcards.grid],
        reference=lambda wildcards: RUNGE["study_reference"].get("table6", {}) if wildcards.grid == "depth_width" else {},
    wildcard_constraints:
        grid=runge_regex(RUNGE_GRIDS),
    log:
        f"{RUNGE_DIR}/logs/tables/runge_{{grid}}.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_grid_table", "grid")
    script:
        "../scripts/runge_grid_table.py"


rule runge_baseline_table:
    """Validation grid of the polynomial baselines, with the chosen model of each kind and noise level marked."""
    input:
        baselines=[runge_baseline_file(kind, tag) for kind in RUNGE_BASELINE_KINDS for tag in RUNGE_NOISE_TAGS],
        library=library_inputs("runge_baseline_table.py"),
    output:
        report(
            runge_table("baseline_selection"),
            caption="../report/runge_baseline_selection.rst",
            category="Runge",
            subcategory="Tables",
        ),
    log:
        f"{RUNGE_DIR}/logs/tables/runge_baseline_selection.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_baseline_table")
    script:
        "../scripts/runge_baseline_table.py"


rule runge_table1:
    """Table I: test MSE of every final model over training seeds, the study's published value beside ours."""
    input:
        **{row: runge_row_files(row) for row, _ in RUNGE_TABLE1},
        library=library_inputs("runge_table1.py"),
    output:
        table=report(runge_table("table1_test_mse"), caption="../report/runge_table1_test_mse.rst", category="Runge", subcategory="Tables"),
        seeds=report(runge_table("table1_seeds"), caption="../report/runge_table1_seeds.rst", category="Runge", subcategory="Tables"),
    params:
        rows=[{"row": row, "model": label} for row, label in RUNGE_TABLE1],
        reference=RUNGE["study_reference"]["table1"],
    log:
        f"{RUNGE_DIR}/logs/tables/runge_table1_test_mse.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_table1")
    script:
        "../scripts/runge_table1.py"


rule runge_table4:
    """Table IV: lambda, learning rate and batch size chosen on validation for the L2 and L1 networks."""
    input:
        l2=runge_selection_file("l2_batch_size"),
        l1=runge_selection_file("l1_batch_size"),
        library=library_inputs("runge_table4.py"),
    output:
        report(
            runge_table("table4_hyperparameters"),
            caption="../report/runge_table4_hyperparameters.rst",
            category="Runge",
            subcategory="Tables",
        ),
    params:
        reference=RUNGE["study_reference"]["table4"],
    log:
        f"{RUNGE_DIR}/logs/tables/runge_table4_hyperparameters.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_table4")
    script:
        "../scripts/runge_table4.py"


rule runge_fitted_curves:
    """Predictions of the final models (training seed 0) on a dense x grid, Runge's function itself, and the data points."""
    input:
        rows=[runge_row_files(row, training_seeds=[0])[0] for row, _ in RUNGE_TABLE1],
        data=[runge_data_file(level) for level in RUNGE_NOISE_LEVELS.values()],
        library=library_inputs("runge_fitted_curves.py"),
    output:
        curves=report(runge_table("fitted_curves"), caption="../report/runge_fitted_curves.rst", category="Runge", subcategory="Tables"),
        points=report(runge_table("data_points"), caption="../report/runge_data_points.rst", category="Runge", subcategory="Tables"),
    params:
        rows=[{"row": row, "model": label} for row, label in RUNGE_TABLE1],
        noise_levels=list(RUNGE_NOISE_LEVELS.values()),
    log:
        f"{RUNGE_DIR}/logs/tables/runge_fitted_curves.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_fitted_curves")
    script:
        "../scripts/runge_fitted_curves.py"


# ---------------------------------------------------------------- figures (from tables only)


rule runge_plot_optimizer_curves:
    """Figs. 3 and 17: validation learning curves by optimiser and learning rate."""
    input:
        curves=runge_table("optimizer_lr_curves"),
        mse=runge_table("optimizer_lr_mse"),
        library=library_inputs("runge_plot_optimizer.py"),
    output:
        report(runge_figure("optimizer_lr_curves"), caption="../report/runge_optimizer_lr_curves.rst", category="Runge", subcategory="Figures"),
    params:
        hidden_layers=RUNGE["optimizer_lr"]["hidden_layers"],
        activation=RUNGE["optimizer_lr"]["activation"],
    log:
        f"{RUNGE_DIR}/logs/figures/runge_optimizer_lr_curves.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_plot_optimizer_curves")
    script:
        "../scripts/runge_plot_optimizer.py"


rule runge_plot_depth_activation:
    """Fig. 6: validation MSE against depth for each activation."""
    input:
        runge_table("depth_activation_mse"),
        library=library_inputs("runge_plot_depth_activation.py"),
    output:
        report(runge_figure("depth_activation_mse"), caption="../report/runge_depth_activation_mse.rst", category="Runge", subcategory="Figures"),
    log:
        f"{RUNGE_DIR}/logs/figures/runge_depth_activation_mse.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_plot_depth_activation")
    script:
        "../scripts/runge_plot_depth_activation.py"


rule runge_plot_depth_width:
    """Fig. 7 (heatmaps of Table VI) and Fig. 18 (learning curves by depth at one width)."""
    input:
        mse=runge_table("depth_width_mse"),
        curves=runge_table("depth_width_curves"),
        library=library_inputs("runge_plot_depth_width.py"),
    output:
        heatmaps=report(runge_figure("depth_width_heatmaps"), caption="../report/runge_depth_width_heatmaps.rst", category="Runge", subcategory="Figures"),
        curves=report(runge_figure("depth_width_curves"), caption="../report/runge_depth_width_curves.rst", category="Runge", subcategory="Figures"),
    params:
        curves_width=RUNGE["depth_width"]["curves_width"],
    log:
        f"{RUNGE_DIR}/logs/figures/runge_depth_width.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_plot_depth_width")
    script:
        "../scripts/runge_plot_depth_width.py"


rule runge_plot_regularization:
    """Figs. 8-10 and 22 (MSE against lambda, eta, b) and Figs. 21 and 23 (their learning curves)."""
    input:
        mse=[runge_table(f"{{penalty}}_{stage}_mse") for stage in ("lambda", "learning_rate", "batch_size")],
        curves=[runge_table(f"{{penalty}}_{stage}_curves") for stage in ("lambda", "learning_rate", "batch_size")],
        library=library_inputs("runge_plot_regularization.py"),
    output:
        sweeps=report(runge_figure("{penalty}_sweeps"), caption="../report/runge_regularization_sweeps.rst", category="Runge", subcategory="Figures"),
        curves=report(
            runge_figure("{penalty}_sweep_curves"), caption="../report/runge_regularization_sweep_curves.rst", category="Runge", subcategory="Figures"
        ),
    wildcard_constraints:
        penalty="l1|l2",
    log:
        f"{RUNGE_DIR}/logs/figures/runge_{{penalty}}_sweeps.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_plot_regularization", "penalty")
    script:
        "../scripts/runge_plot_regularization.py"


rule runge_plot_fit:
    """Figs. 2, 4, 11, 16, 20: fitted curves of final models against Runge's function."""
    input:
        curves=runge_table("fitted_curves"),
        points=runge_table("data_points"),
        library=library_inputs("runge_plot_fit.py"),
    output:
        report(runge_figure("fit_{figure}"), caption="../report/runge_fit.rst", category="Runge", subcategory="Figures"),
    params:
        rows=lambda wildcards: RUNGE_FIT_FIGURES[wildcards.figure],
        truth_panel=lambda wildcards: wildcards.figure == "overview",
    wildcard_constraints:
        figure=runge_regex(RUNGE_FIT_FIGURES),
    log:
        f"{RUNGE_DIR}/logs/figures/runge_fit_{{figure}}.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_plot_fit", "figure")
    script:
        "../scripts/runge_plot_fit.py"


rule runge_plot_table1:
    """Table I as a bar chart: our test MSE beside the study's published one."""
    input:
        runge_table("table1_test_mse"),
        library=library_inputs("runge_plot_table1.py"),
    output:
        report(runge_figure("table1_test_mse"), caption="../report/runge_table1_figure.rst", category="Runge", subcategory="Figures"),
    log:
        f"{RUNGE_DIR}/logs/figures/runge_table1_test_mse.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_plot_table1")
    script:
        "../scripts/runge_plot_table1.py"


rule runge_plot_baselines:
    """Validation MSE of the polynomial baselines against degree (best lambda per degree)."""
    input:
        runge_table("baseline_selection"),
        library=library_inputs("runge_plot_baselines.py"),
    output:
        report(runge_figure("baseline_selection"), caption="../report/runge_baseline_selection_figure.rst", category="Runge", subcategory="Figures"),
    log:
        f"{RUNGE_DIR}/logs/figures/runge_baseline_selection.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("runge_plot_baselines")
    script:
        "../scripts/runge_plot_baselines.py"
