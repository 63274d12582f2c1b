# The "Neural Networking" study as one DAG: config -> cells -> tables -> figures -> report.
# Run `snakemake --cores 8` for the full study, `--configfile config/quick.yaml` for the CI-sized one.
import tempfile
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

from ffnn import study_numbers

min_version("8.0")


# The full study's configuration; a smaller build (--configfile) is merged over it, and the report
# measures such a build against it.
FULL_CONFIG = "config/config.yaml"


configfile: FULL_CONFIG


# Validate before any job starts, so a typo in a key or a bad value names itself at once.
validate(config, "workflow/schemas/config.schema.yaml")
for part in ("runge", "verify", "fashion", "cnn", "report", "audit"):
    try:
        validate(config[part], f"workflow/schemas/{part}.schema.yaml")
    except WorkflowError as error:
        raise WorkflowError(f"in the config's `{part}:` section: {error}") from None

# What a schema cannot check: the paths this machine has.
if config["fashion"]["debian_dir"] is not None and not Path(config["fashion"]["debian_dir"]).is_dir():
    raise WorkflowError(
        f"in the config's `fashion:` section: debian_dir={config['fashion']['debian_dir']!r} is not a folder. "
        "Install Debian's dataset-fashion-mnist (`make` does, run as root), point debian_dir at its files, "
        "or set `debian_dir: null` (config/torchvision.yaml) to download FashionMNIST through torchvision."
    )
# The study's published numbers, read and checked once from their file: a bad row names itself
# before any job. Each table's rule passes the numbers it shows as params, so a corrected number
# reruns the tables that show it and no other (as an input, the file would rerun them all).
try:
    STUDY_NUMBERS = study_numbers.load_study_numbers(config["audit"]["study_numbers"])
except ValueError as error:
    raise WorkflowError(f"in the study's numbers (config `audit: study_numbers:`): {error}") from None
try:
    Path("results").mkdir(exist_ok=True)
    tempfile.TemporaryFile(dir="results").close()
except OSError as error:
    raise WorkflowError(f"results/ is not writable ({error}); every result goes there, so fix its permissions or free it") from None


include: "workflow/rules/common.smk"
include: "workflow/rules/runge.smk"
include: "workflow/rules/verify.smk"
include: "workflow/rules/fashion.smk"
include: "workflow/rules/cnn.smk"
include: "workflow/rules/audit.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/cost.smk"
report: "workflow/report/workflow.rst"


# Targets that only gather files run where snakemake runs, never as cluster jobs; so does the seed
# record, which reads the whole DAG (a cluster job's Snakemake plans only that job).
localrules:
    all,
    runge_all,
    report_job_seeds,


rule all:
    default_target: True
    input:
        all_outputs(render=render_report_in_all()),
