"""Snakemake glue: gather every job's benchmark file into the build-cost tables."""

from ffnn.build_cost import cost_by_part, job_costs
from ffnn.io import logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    jobs = job_costs(smk.params.benchmarks, exclude=smk.params.exclude)
    parts = cost_by_part(jobs)
    print(parts.to_string())
    save_table(jobs, smk.output.jobs)
    save_table(parts, smk.output.parts)
