# A convolutional network on FashionMNIST (beyond the study): the fashion part's data and split ->
# one job per grid cell -> grid table -> the chosen cell's epochs from its validation curve, refit
# on train + validation, test scores (a row of Table V) -> tables and figures beside the dense
# network; and a verification against an equal torch.nn CNN.
from ffnn.cnn import study as cnn_study
from ffnn.parts import PARTS, result

CNN = config["cnn"]
CNN_DIR = "results/cnn"
CNN_LOGS = f"{CNN_DIR}/logs"
CNN_CELL = f"{CNN_DIR}/cells/{{cell}}.json"
CNN_CHOSEN = f"{CNN_DIR}/models/chosen_cnn.json"
CNN_GRID = cnn_study.cnn_cells(CNN["model"], CNN["grid"])

for _precision in ("float64", "float32"):
    fashion_design.check_subsample(f"cnn.verify.{_precision}.train_samples", CNN["verify"][_precision]["train_samples"], FASHION["split"])
cnn_table = PARTS["cnn"].table
cnn_figure = PARTS["cnn"].figure


def cnn_report(path, name):
    return report(path, caption=f"../report/cnn_{name}.rst", category="Convolutional network")


rule cnn_cell:
    input:
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        library=library_inputs("cnn_cell.py"),
    output: CNN_CELL
    wildcard_constraints:
        cell="|".join(CNN_GRID),
    params:
        cell=lambda w: CNN_GRID[w.cell],
        seed=config["seed"],
        dtype=FASHION["dtype"],
        blas_threads=CNN["threads"],
    threads: CNN["threads"]
    log: f"{CNN_LOGS}/cells/{{cell}}.log"
    resources: **job_resources(mem_mb=2000, minutes=60)
    benchmark: benchmark_file("cnn_cell", "cell")
    script: "../scripts/cnn_cell.py"


rule cnn_grid_table:
    input:
        cells=cell_files(CNN_CELL, CNN_GRID),
        library=library_inputs("cnn_grid_table.py"),
    output:
        table=cnn_report(cnn_table("grid_accuracy"), "grid_accuracy_table"),
        curves=cnn_table("grid_curves"),
    log: f"{CNN_LOGS}/tables/grid.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("cnn_grid_table")
    script: "../scripts/cnn_grid_table.py"


rule cnn_chosen_model:
    """The selected cell's epochs from its validation curve, refit on train + validation, test scores."""
    input:
        grid=rules.cnn_grid_table.output.table,
        cells=cell_files(CNN_CELL, CNN_GRID),
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        library=library_inputs("cnn_chosen_model.py"),
    output:
        record=CNN_CHOSEN,
        architecture=cnn_table("architecture"),
    params:
        protocol=FASHION["chosen"],
        seed=config["seed"],
        dtype=FASHION["dtype"],
        blas_threads=CNN["model_threads"],
    threads: CNN["model_threads"]
    log: f"{CNN_LOGS}/chosen_cnn.log"
    resources: **job_resources(mem_mb=2000, minutes=60)
    benchmark: benchmark_file("cnn_chosen_model")
    script: "../scripts/cnn_chosen_model.py"


rule cnn_comparison_tables:
    """The chosen dense and convolutional networks side by side, on the same test images."""
    input:
        dense=fashion_model_file("chosen_ffnn", 0),  # the dense network of training seed 0, as in Table V
        cnn=CNN_CHOSEN,
        library=library_inputs("cnn_comparison_tables.py"),
    output:
        comparison=cnn_report(cnn_table("comparison"), "comparison_table"),
        per_class_f1=cnn_table("per_class_f1"),
        confusion=cnn_table("confusion_raw"),
    log: f"{CNN_LOGS}/tables/comparison.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("cnn_comparison_tables")
    script: "../scripts/cnn_comparison_tables.py"


rule cnn_verify_torch:
    """Ours and an equal torch.nn CNN of the selected cell's architecture from the same weights,
    batches, dropout masks and shifts."""
    input:
        grid=rules.cnn_grid_table.output.table,
        data=FASHION_DATA,
        splits=FASHION_SPLITS,
        library=library_inputs("cnn_verify_torch.py"),
    output:
        float64=cnn_report(cnn_table("torch_parity_float64"), "torch_parity_float64_table"),
        curves=cnn_table("torch_curves"),
        summary=cnn_report(cnn_table("torch_summary"), "torch_summary_table"),
        logits=cnn_table("torch_logits"),
    params:
        cells=CNN_GRID,
        run=CNN["verify"],
        seed=config["seed"],
        threads=CNN["model_threads"],  # torch's and BLAS's, fixed by the config whatever Snakemake grants
    threads: CNN["model_threads"]
    log: f"{CNN_LOGS}/verify_torch.log"
    resources: **job_resources(mem_mb=3000, minutes=90)
    benchmark: benchmark_file("cnn_verify_torch")
    script: "../scripts/cnn_verify_torch.py"


for _figure, (_tables, _function) in cnn_study.PLOTS.items():

    rule:
        name:
            f"cnn_plot_{_figure}"
        input:
            tables=[result(part, "table", name) for part, name in _tables],
            library=library_inputs("cnn_plot.py"),
        output: cnn_report(cnn_figure(_figure), _figure)
        params:
            function=_function,
        log: f"{CNN_LOGS}/figures/{_figure}.log"
        threads: 1
        resources: **job_resources(mem_mb=1000, minutes=5)
        benchmark: benchmark_file(f"cnn_plot_{_figure}")
        script: "../scripts/cnn_plot.py"
