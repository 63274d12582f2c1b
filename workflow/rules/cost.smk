# What the build cost: every job's benchmark file (results/benchmarks/<rule>/<job>.tsv) gathered
# into one table per job and one per part of the study, for the report's appendix.


rule build_cost:
    """Wall and CPU seconds and peak memory of every job of the study, and their sums per part."""
    input:
        # Every job with a benchmark file comes before this one, so the table is complete
        # (tests/test_parts.py checks it against the DAG).
        described_outputs(),
        library=library_inputs("build_cost.py"),
    output:
        jobs=report(REPORT_PART.table("build_cost_jobs"), caption="../report/build_cost.rst", category="Build"),
        parts=report(REPORT_PART.table("build_cost_parts"), caption="../report/build_cost.rst", category="Build"),
    params:
        benchmarks=BENCHMARKS,
        # These run after the table is made, so their benchmark files would only be last build's. The
        # provenance record reruns with every commit; waiting for it would rerun this table with it.
        # The seed record, like it, describes every job, so it comes after them, not before this table.
        exclude=["build_cost", "report", "report_provenance", "report_job_seeds"],
    log: "results/report/logs/build_cost.log"
    threads: 1
    resources: **job_resources(mem_mb=1000, minutes=5)
    benchmark: benchmark_file("build_cost")
    script: "../scripts/build_cost.py"
