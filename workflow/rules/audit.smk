# The audit: every number the study publishes (report/study_numbers.csv) beside ours, with a verdict.
from ffnn.audit import AUDITED_TABLES

AUDIT = config["audit"]


rule audit:
    """Join the study's numbers with our tables: ours as mean +- sd over seeds or one value, and a verdict."""
    input:
        study=AUDIT["study_numbers"],
        tables=[f"results/{path}" for path in AUDITED_TABLES.values()],
        library=library_inputs("audit.py"),
    output:
        report("results/audit/audit.csv", caption="../report/audit.rst", category="Audit"),
    params:
        names=list(AUDITED_TABLES),
        relative_tolerance=AUDIT["relative_tolerance"],
        absolute_tolerance=AUDIT["absolute_tolerance"],
    log:
        "results/audit/logs/audit.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("audit")
    script:
        "../scripts/audit.py"


def all_audit_outputs():
    return ["results/audit/audit.csv"]
