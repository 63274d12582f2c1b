# The audit: every number the study publishes (report/study_numbers.csv) beside ours, with a verdict.
from ffnn.audit import AUDITED_TABLES
from ffnn.claims import CLAIM_TABLES
from ffnn.parts import PARTS

AUDIT = config["audit"]
AUDIT_TABLE = PARTS["audit"].table("audit")
AUDIT_FIGURE = PARTS["audit"].figure("study_vs_ours")
CLAIMS_TABLE = PARTS["audit"].table("claims")


rule audit:
    """Join the study's numbers with our tables: ours as the runs behind each number, summarised on the
    metric's scale, and a verdict against the prediction interval of one run of ours (or a tolerance)."""
    input:
        study=AUDIT["study_numbers"],
        tables=list(AUDITED_TABLES.values()),
        library=library_inputs("audit.py"),
    output: report(AUDIT_TABLE, caption="../report/audit.rst", category="Audit")
    params:
        names=list(AUDITED_TABLES),
        relative_tolerance=AUDIT["relative_tolerance"],
        absolute_tolerance=AUDIT["absolute_tolerance"],
    log: "results/audit/logs/audit.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("audit")
    script: "../scripts/audit.py"


rule audit_figure:
    """Every comparable study number against ours with one run's interval, grouped by where it stands."""
    input:
        audit=AUDIT_TABLE,
        library=library_inputs("audit_plot.py"),
    output: report(AUDIT_FIGURE, caption="../report/audit_figure.rst", category="Audit")
    log: "results/audit/logs/audit_figure.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("audit_figure")
    script: "../scripts/audit_plot.py"


rule claims:
    """The study's qualitative findings (report/study_claims.csv), each tested against our tables: both
    sides' numbers, the paired difference over seeds and a verdict (held, did not hold, not testable)."""
    input:
        claims=AUDIT["study_claims"],
        tables=list(CLAIM_TABLES.values()),
        library=library_inputs("audit_claims.py"),
    output: CLAIMS_TABLE
    params:
        names=list(CLAIM_TABLES),
    log: "results/audit/logs/claims.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("claims")
    script: "../scripts/audit_claims.py"
