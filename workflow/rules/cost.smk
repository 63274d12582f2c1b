# What the build cost: every job's benchmark file (results/benchmarks/<rule>/<job>.tsv) gathered
# into one table per job and one per part of the study, for the report's appendix.


rule build_cost:
    """Wall and CPU seconds and peak memory of every job of the study, and their sums per part."""
    input:
        # Every job with a benchmark file comes before this one, so the table is complete.
        all_runge_outputs(),
        all_verify_outputs(),
        all_fashion_outputs(),
        REPORT_SCHEMATIC,
        REPORT_BUILD_CONFIG,
        library=library_inputs("build_cost.py"),
    output:
        jobs=report(BUILD_COST_JOBS, caption="../report/build_cost.rst", category="Build"),
        parts=report(BUILD_COST_PARTS, caption="../report/build_cost.rst", category="Build"),
    params:
        benchmarks=BENCHMARKS,
        # These run after the table is made, so their benchmark files would only be last build's.
        exclude=["build_cost", "report"],
    log:
        "results/report/logs/build_cost.log",
    threads: 1
    resources:
        **job_resources(mem_mb=1000, minutes=5),
    benchmark:
        benchmark_file("build_cost")
    script:
        "../scripts/build_cost.py"
