"""The study's parts and the result files each delivers: the one list that the workflow's ``all``
target, the build-cost table, the provenance record, the audit and the report read.

A result is named by its part and its name, e.g. ``("runge", "table1_test_mse")``; its file is
``results/runge/tables/runge_table1_test_mse.csv``. A name no part delivers is refused by name, so
a typo in a rule, the audit or the report fails where it is written, not as a missing file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .cnn import study as cnn_study
from .fashion import design as fashion_design
from .runge import design as runge_design

RESULTS = "results"
KINDS = ("table", "figure", "record", "document")


@dataclass(frozen=True)
class Part:
    """One part of the study and its final results.

    Attributes
    ----------
    name : str
        The part, which is also the first word of its rules' names.
    files : mapping of (kind, name) to str
        Each result's path below ``results/``; ``kind`` is one of :data:`KINDS`.
    """

    name: str
    files: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def path(self, kind: str, name: str) -> str:
        """``results/...`` path of the part's result ``name`` of ``kind``; see :meth:`relative`."""
        return f"{RESULTS}/{self.relative(kind, name)}"

    def relative(self, kind: str, name: str) -> str:
        """Path below ``results/`` of the part's result ``name`` of ``kind``.

        ``name`` may hold Snakemake wildcards (``"{grid}_mse"``) when it names some of the part's
        results; the path then holds them too.
        """
        if (kind, name) in self.files:
            return self.files[kind, name]
        pattern = re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(name)))
        example = next((n for k, n in self.files if k == kind and pattern.fullmatch(n)), None)
        if "{" not in name or example is None:
            known = sorted(n for k, n in self.files if k == kind)
            raise KeyError(f"the {self.name} part has no {kind} {name!r}; its {kind}s: {known}")
        return self.files[kind, example].replace(example, name)

    def table(self, name: str) -> str:
        return self.path("table", name)

    def figure(self, name: str) -> str:
        return self.path("figure", name)

    def outputs(self, kinds: Iterable[str] = KINDS) -> list[str]:
        """Paths of every result of the given kinds, in the order they were listed."""
        return [f"{RESULTS}/{path}" for (kind, _), path in self.files.items() if kind in kinds]


def _conventional(part: str, tables: Iterable[str] = (), figures: Iterable[str] = ()) -> dict[tuple[str, str], str]:
    """Files named the usual way: ``<part>/tables/<part>_<name>.csv`` and ``<part>/figures/<part>_<name>.png``."""
    files = {("table", name): f"{part}/tables/{part}_{name}.csv" for name in tables}
    files.update({("figure", name): f"{part}/figures/{part}_{name}.png" for name in figures})
    return files


VERIFY_TABLES = (
    "sklearn_predictions",
    "sklearn_parity",
    "gradients_autograd",
    "torch_parity_float64",
    "torch_curves",
    "torch_summary",
    "torch_logits",
    "torch_seeds",
    "torch_seed_spread",
)
VERIFY_FIGURES = ("sklearn_parity", "sklearn_curves", "torch_parity_float64", "torch_curves", "torch_logits")

#: Every part, in the order the report tells them.
PARTS = {
    part.name: part
    for part in (
        Part("runge", _conventional("runge", runge_design.TABLES, runge_design.FIGURES)),
        Part("verify", _conventional("verify", VERIFY_TABLES, VERIFY_FIGURES)),
        Part(
            "fashion",
            {
                **_conventional("fashion", fashion_design.TABLES, fashion_design.FIGURES),
                ("record", "validation_choice"): "fashion/models/validation_choice_settings.json",
            },
        ),
        Part("cnn", _conventional("cnn", cnn_study.TABLES, cnn_study.PLOTS)),
        Part(
            "audit",
            {
                ("table", "audit"): "audit/audit.csv",
                ("table", "claims"): "audit/claims.csv",
                ("figure", "study_vs_ours"): "audit/figures/audit_study_vs_ours.png",
            },
        ),
        Part(
            "report",
            {
                ("figure", "network_schematic"): "report/figures/network_schematic.png",
                ("record", "build_config"): "report/build_config.json",
                ("record", "provenance"): "report/provenance.json",
                ("record", "result_writers"): "report/result_writers.json",
                ("record", "job_seeds"): "report/job_seeds.json",
                ("table", "build_cost_jobs"): "report/build_cost_jobs.csv",
                ("table", "build_cost_parts"): "report/build_cost_parts.csv",
                ("document", "html"): "report/report.html",
                ("document", "pdf"): "report/report.pdf",
            },
        ),
    )
}
#: The parts that compute the study's results (the report part describes them).
STUDY_PARTS = ("runge", "verify", "fashion", "cnn", "audit")
#: The report's results that sum up or render the rest, so they come after every other job.
FINISHING = (
    ("record", "provenance"),
    ("record", "job_seeds"),
    ("table", "build_cost_jobs"),
    ("table", "build_cost_parts"),
)


def result(part: str, kind: str, name: str) -> str:
    """``results/...`` path of one result, e.g. ``result("runge", "table", "table1_test_mse")``."""
    return _part(part).path(kind, name)


def relative(part: str, kind: str, name: str) -> str:
    """Path of one result below ``results/``, e.g. ``runge/tables/runge_table1_test_mse.csv``."""
    return _part(part).relative(kind, name)


def _part(name: str) -> Part:
    if name not in PARTS:
        raise KeyError(f"no part {name!r}; the parts: {list(PARTS)}")
    return PARTS[name]


def table_paths(qualified: Iterable[str]) -> dict[str, str]:
    """``{"<part>_<name>": results path}`` for tables named with their part, e.g. ``runge_table1_test_mse``."""
    paths = {}
    for name in qualified:
        part, _, table = name.partition("_")
        paths[name] = result(part, "table", table)
    return paths


def study_outputs() -> list[str]:
    """Every result of the parts that compute the study (:data:`STUDY_PARTS`)."""
    return [path for name in STUDY_PARTS for path in PARTS[name].outputs()]


def described_outputs() -> list[str]:
    """What the provenance record and the build cost describe: every result but the report's own
    summaries (:data:`FINISHING`) and its rendered documents."""
    report = PARTS["report"]
    own = {report.path(kind, name) for kind, name in FINISHING} | set(report.outputs(["document"]))
    return study_outputs() + [path for path in report.outputs() if path not in own]


def all_outputs(render: bool) -> list[str]:
    """Every result of the build; with ``render``, the rendered report too."""
    kinds = KINDS if render else tuple(kind for kind in KINDS if kind != "document")
    return [path for part in PARTS.values() for path in part.outputs(kinds)]
