# Verification (Sections III.A.3-4, III.B.4): our network against scikit-learn, autograd and
# PyTorch. One rule per check writes its tables; one plotting rule per figure reads a table.
# Tables II and III get the study's published numbers (report/study_numbers.csv) in a rule of their
# own, so that changing those reruns that rule alone and never a check.
from ffnn.fashion import design as fashion_design
from ffnn.parts import PARTS

VERIFY = config["verify"]
VERIFY_CHECKS = "results/verify/checks"
VERIFY_TABLES = "results/verify/tables"
VERIFY_LOGS = "results/verify/logs"
VERIFY_FASHION_DATA = "results/fashion/data/fashion_mnist.npz"
# The fashion part's training/validation indices: the PyTorch comparison trains on the same images.
VERIFY_FASHION_SPLITS = "results/fashion/data/splits.npz"

# A subsample larger than the fashion part's training part fails here, before any job.
_fashion_n_train, _ = fashion_design.split_sizes(config["fashion"]["split"])
for _precision in ("float64", "float32"):
    fashion_design.check_subsample(f"verify.torch.{_precision}.train_samples", VERIFY["torch"][_precision]["train_samples"], config["fashion"]["split"])

# The float32 subsample is drawn from the training stream, so further seeds would change its images.
if config["seeds"] > 1 and VERIFY["torch"]["float32"]["train_samples"] is not None:
    raise ValueError(
        "verify.torch.float32.train_samples must be null (the fashion part's whole training part) when "
        f"seeds={config['seeds']} > 1: a seed may redraw weights and batches, never the images"
    )

# Ours and PyTorch each train the fashion part's model for `float32.epochs` (see fashion.smk).
VERIFY_TORCH_MINUTES = 2 * fashion_fit_minutes(
    {**config["fashion"]["model"], "epochs": VERIFY["torch"]["float32"]["epochs"], "batch_size": VERIFY["torch"]["batch_size"]},
    VERIFY["torch"]["float32"]["train_samples"] or _fashion_n_train,
)

def verify_runge_data(noise):
    """The Runge split the runge part writes for noise level `noise` (one it is configured to make)."""
    if runge_design.noise_tag(noise) not in RUNGE_NOISE_TAGS:
        raise ValueError(
            f"verify: runge_noise {noise} is not a noise level of the runge part's data "
            f"(runge.data.noise_std and 0 give {sorted(RUNGE_NOISE_LEVELS.values())})"
        )
    return runge_data_file(noise)


def verify_report(path, name):
    return report(path, caption=f"../report/verify_{name}.rst", category="Verification")


rule verify_sklearn_fit:
    input:
        data=verify_runge_data(VERIFY["sklearn"]["runge_noise"]),
        library=library_inputs("verify_sklearn.py"),
    output:
        differences=f"{VERIFY_CHECKS}/verify_sklearn_parity.csv",
        predictions=verify_report(f"{VERIFY_TABLES}/verify_sklearn_predictions.csv", "sklearn_predictions"),
    params:
        settings=VERIFY["sklearn"],
        seed=config["seed"],
    log: f"{VERIFY_LOGS}/verify_sklearn_fit.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=15)
    benchmark: benchmark_file("verify_sklearn_fit")
    script: "../scripts/verify_sklearn.py"


rule verify_sklearn_parity:
    """Table II: our prediction differences, the study's published ones beside them."""
    input:
        table=rules.verify_sklearn_fit.output.differences,
        library=library_inputs("verify_study_columns.py"),
    output: table=verify_report(f"{VERIFY_TABLES}/verify_sklearn_parity.csv", "sklearn_parity_table")
    params:
        table="sklearn_parity",
        reference=study_numbers.table2_reference(STUDY_NUMBERS),
    log: f"{VERIFY_LOGS}/verify_sklearn_parity.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("verify_sklearn_parity")
    script: "../scripts/verify_study_columns.py"


rule verify_gradients_check:
    input:
        data=verify_runge_data(VERIFY["gradients"]["runge_noise"]),
        library=library_inputs("verify_gradients.py"),
    output: table=f"{VERIFY_CHECKS}/verify_gradients_autograd.csv"
    params:
        settings=VERIFY["gradients"],
        seed=config["seed"],
    log: f"{VERIFY_LOGS}/verify_gradients_check.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("verify_gradients_check")
    script: "../scripts/verify_gradients.py"


rule verify_gradients:
    """Table III: our per-layer gradient differences, the study's published ones beside them."""
    input:
        table=rules.verify_gradients_check.output.table,
        library=library_inputs("verify_study_columns.py"),
    output: table=verify_report(f"{VERIFY_TABLES}/verify_gradients_autograd.csv", "gradients_autograd")
    params:
        table="gradients",
        reference=study_numbers.table3_reference(STUDY_NUMBERS),
    log: f"{VERIFY_LOGS}/verify_gradients.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("verify_gradients")
    script: "../scripts/verify_study_columns.py"


rule verify_torch_float64:
    input:
        data=VERIFY_FASHION_DATA,
        splits=VERIFY_FASHION_SPLITS,
        library=library_inputs("verify_torch_float64.py"),
    output: table=verify_report(f"{VERIFY_TABLES}/verify_torch_parity_float64.csv", "torch_parity_float64_table")
    params:
        settings=VERIFY["torch"],
        seed=config["seed"],
    threads: VERIFY["torch"]["threads"]
    log: f"{VERIFY_LOGS}/verify_torch_float64.log"
    resources: **job_resources(mem_mb=2500, minutes=10)
    benchmark: benchmark_file("verify_torch_float64")
    script: "../scripts/verify_torch_float64.py"


rule verify_torch_float32:
    input:
        data=VERIFY_FASHION_DATA,
        splits=VERIFY_FASHION_SPLITS,
        library=library_inputs("verify_torch_float32.py"),
    output:
        curves=verify_report(f"{VERIFY_TABLES}/verify_torch_curves.csv", "torch_curves_table"),
        summary=verify_report(f"{VERIFY_TABLES}/verify_torch_summary.csv", "torch_summary"),
        logits=verify_report(f"{VERIFY_TABLES}/verify_torch_logits.csv", "torch_logits_table"),
    params:
        settings=VERIFY["torch"],
        seed=config["seed"],
        training_seed=0,
    threads: VERIFY["torch"]["threads"]
    log: f"{VERIFY_LOGS}/verify_torch_float32.log"
    resources: **job_resources(mem_mb=2500, minutes=VERIFY_TORCH_MINUTES)
    benchmark: benchmark_file("verify_torch_float32")
    script: "../scripts/verify_torch_float32.py"


def verify_torch_seed_summary(training_seed):
    """Final accuracies of the float32 comparison with one training seed (seed 0: the tables above)."""
    if int(training_seed) == 0:
        return rules.verify_torch_float32.output.summary
    return f"{VERIFY_CHECKS}/torch_float32/summary_seed-{training_seed}.csv"


rule verify_torch_float32_seed:
    """The float32 comparison with a further training seed: new starting weights and batch order for both."""
    input:
        data=VERIFY_FASHION_DATA,
        splits=VERIFY_FASHION_SPLITS,
        library=library_inputs("verify_torch_float32.py"),
    output: summary=f"{VERIFY_CHECKS}/torch_float32/summary_seed-{{training_seed}}.csv"
    params:
        settings=VERIFY["torch"],
        seed=config["seed"],
        training_seed=lambda wildcards: int(wildcards.training_seed),
    wildcard_constraints:
        training_seed=r"[1-9]\d*",
    threads: VERIFY["torch"]["threads"]
    log: f"{VERIFY_LOGS}/verify_torch_float32_seed-{{training_seed}}.log"
    resources: **job_resources(mem_mb=2500, minutes=VERIFY_TORCH_MINUTES)
    benchmark: benchmark_file("verify_torch_float32_seed", "training_seed")
    script: "../scripts/verify_torch_float32.py"


rule verify_torch_seeds:
    """Ours minus PyTorch per training seed, against the spread of either over seeds."""
    input:
        summaries=[verify_torch_seed_summary(training_seed) for training_seed in TRAINING_SEEDS],
        library=library_inputs("verify_torch_seeds.py"),
    output:
        seeds=verify_report(f"{VERIFY_TABLES}/verify_torch_seeds.csv", "torch_seeds"),
        spread=verify_report(f"{VERIFY_TABLES}/verify_torch_seed_spread.csv", "torch_seed_spread"),
    params:
        training_seeds=TRAINING_SEEDS,
    log: f"{VERIFY_LOGS}/verify_torch_seeds.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("verify_torch_seeds")
    script: "../scripts/verify_torch_seeds.py"


# Figure rule -> (its figure's name in the verify part, the table it draws, the drawing function
# ffnn.plots.verify.<function>_figure).
VERIFY_PLOTS = {
    "sklearn_parity": ("sklearn_parity", rules.verify_sklearn_fit.output.predictions, "sklearn_parity"),
    "sklearn_curves": ("sklearn_curves", rules.verify_sklearn_fit.output.predictions, "sklearn_curves"),
    "torch_float64": ("torch_parity_float64", rules.verify_torch_float64.output.table, "torch_drift"),
    "torch_curves": ("torch_curves", rules.verify_torch_float32.output.curves, "torch_curves"),
    "torch_logits": ("torch_logits", rules.verify_torch_float32.output.logits, "torch_logits"),
}

for _plot, (_figure, _table, _function) in VERIFY_PLOTS.items():

    rule:
        name:
            f"verify_plot_{_plot}"
        input:
            table=_table,
            library=library_inputs("verify_plot.py"),
        output: figure=verify_report(PARTS["verify"].figure(_figure), _figure)
        params:
            figure=_function,
        log: f"{VERIFY_LOGS}/figures/{_figure}.log"
        threads: 1
        resources: **job_resources(mem_mb=1000, minutes=5)
        benchmark: benchmark_file(f"verify_plot_{_plot}")
        script: "../scripts/verify_plot.py"
