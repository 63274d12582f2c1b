# The "Neural Networking" study as one DAG: config -> cells -> tables -> figures -> report.
# Run `snakemake --cores 8` for the full study, `--configfile config/quick.yaml` for the CI-sized one.
from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

min_version("8.0")


configfile: "config/config.yaml"


# Validate before any job starts, so a typo in a key or a bad value names itself at once.
validate(config, "workflow/schemas/config.schema.yaml")
for part in ("runge", "verify", "fashion", "cnn", "report", "audit"):
    try:
        validate(config[part], f"workflow/schemas/{part}.schema.yaml")
    except WorkflowError as error:
        raise WorkflowError(f"in the config's `{part}:` section: {error}") from None


include: "workflow/rules/common.smk"
include: "workflow/rules/runge.smk"
include: "workflow/rules/verify.smk"
include: "workflow/rules/fashion.smk"
include: "workflow/rules/cnn.smk"
include: "workflow/rules/audit.smk"
include: "workflow/rules/report.smk"
report: "workflow/report/workflow.rst"


rule all:
    default_target: True
    input:
        all_runge_outputs(),
        all_verify_outputs(),
        all_fashion_outputs(),
        all_cnn_outputs(),
        all_report_outputs(),
        all_audit_outputs(),
