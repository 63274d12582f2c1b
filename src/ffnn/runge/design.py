"""The Runge study's design (Section III.A and its appendix), read from the config's ``runge:`` section.

What the workflow runs and in which order: the grids of network settings (one job per cell), the
chained regularisation sweeps, the networks and baselines of Table I, and which figure draws which
rows. The rules in ``workflow/rules/runge.smk`` only wire these to files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..grids import expand_grid

PENALTIES = ("l2", "l1")
#: The stages of each penalty's chained sweep, in order: lambda, then learning rate, then batch size.
SWEEP_STAGES = ("lambda", "learning_rate", "batch_size")
#: Every grid, in the order of the study's figures.
GRID_NAMES = (
    "optimizer_lr",
    "depth_activation",
    "depth_width",
    *(f"{penalty}_{stage}" for penalty in PENALTIES for stage in SWEEP_STAGES),
)

#: Grid columns of each grid's tables: the settings that vary, or that a reader needs beside them.
GRID_COLUMNS = {
    "optimizer_lr": ["optimizer", "learning_rate", "epochs", "batch_size"],
    "depth_activation": ["activation", "depth", "width"],
    "depth_width": ["activation", "depth", "width"],
    **{f"{p}_{s}": ["penalty", "lam", "learning_rate", "batch_size"] for p in PENALTIES for s in SWEEP_STAGES},
}

#: Chained sweeps: grid -> (the earlier grid whose selection it reads, the settings it takes from it).
INHERITS = {
    **{f"{p}_learning_rate": (f"{p}_lambda", ["lam"]) for p in PENALTIES},
    **{f"{p}_batch_size": (f"{p}_learning_rate", ["lam", "learning_rate"]) for p in PENALTIES},
}

#: Grids whose best cell (smallest median validation MSE) is chosen and used downstream.
SELECTED_GRIDS = ["optimizer_lr", *(f"{p}_{s}" for p in PENALTIES for s in SWEEP_STAGES)]

BASELINE_KINDS = ("ols", "ridge", "lasso")


@dataclass(frozen=True)
class BaselineRow:
    """A polynomial baseline of Table I: its ``kind`` and the noise level (``"clean"``/``"noisy"``) it is fitted to."""

    kind: str
    noise: str


@dataclass(frozen=True)
class FinalRow:
    """A network of Table I.

    Attributes
    ----------
    noise : str
        ``"clean"`` or ``"noisy"``: the data it is trained on.
    fixed : str or None
        Name of its fixed settings in ``runge.final_models``, or None when they are chosen.
    selection : str or None
        The grid whose validation choice gives its settings, or None for fixed settings.
    """

    noise: str
    fixed: str | None = None
    selection: str | None = None


FINAL_ROWS = {
    "untuned": FinalRow("clean", fixed="untuned"),
    "ffnn1": FinalRow("clean", fixed="ffnn1"),
    "ffnn2": FinalRow("clean", selection="optimizer_lr"),
    "ffnn1_noise": FinalRow("noisy", fixed="ffnn1"),
    "ffnn2_noise": FinalRow("noisy", selection="optimizer_lr"),
    "l2": FinalRow("clean", selection="l2_batch_size"),
    "l1": FinalRow("clean", selection="l1_batch_size"),
}
BASELINE_ROWS = {
    "ols": BaselineRow("ols", "clean"),
    "ols_noise": BaselineRow("ols", "noisy"),
    "ridge": BaselineRow("ridge", "clean"),
    "lasso": BaselineRow("lasso", "clean"),
}
#: The study's Table I, in its order, with its labels: row -> label.
TABLE1 = {
    "untuned": "NN",
    "ols": "OLS",
    "ffnn1": "FFNN1",
    "ffnn2": "FFNN2",
    "ols_noise": "OLS (w/ noise)",
    "ffnn1_noise": "FFNN1 (noise)",
    "ffnn2_noise": "FFNN2 (noise)",
    "ridge": "Ridge",
    "lasso": "LASSO",
    "l2": "NN + L2 penalty",
    "l1": "NN + L1 penalty",
}

#: Fitted-curve figures: name -> the Table I rows it draws.
FIT_FIGURES = {
    "untuned": ["untuned"],  # Fig. 2
    "ffnn_vs_ols": ["ols", "ffnn1", "ffnn2"],  # Fig. 4
    "overview": ["ols_noise", "ffnn1_noise", "ffnn2_noise"],  # Fig. 16 (truth on top; noisy data fits below)
    "l2_vs_ridge": ["ridge", "l2"],  # Fig. 11
    "l1_vs_lasso": ["lasso", "l1"],  # Fig. 20
}

#: Every final table, by its name (``results/runge/tables/runge_<name>.csv``).
TABLES = (
    *(f"{grid}_{kind}" for grid in GRID_NAMES for kind in ("mse", "curves", "fits")),
    "baseline_selection",
    "table1_test_mse",
    "table1_seeds",
    "table4_hyperparameters",
    "fitted_curves",
    "data_points",
)
#: Every figure, by its name (``results/runge/figures/runge_<name>.png``).
FIGURES = (
    "optimizer_lr_curves",
    "depth_activation_mse",
    "depth_width_heatmaps",
    "depth_width_curves",
    "baseline_selection",
    "table1_test_mse",
    *(f"{penalty}_{kind}" for penalty in PENALTIES for kind in ("sweeps", "sweep_curves")),
    *(f"fit_{name}" for name in FIT_FIGURES),
)


def noise_levels(runge: Mapping) -> dict[str, float]:
    """``{"clean": 0.0, "noisy": runge.data.noise_std}``."""
    return {"clean": 0.0, "noisy": float(runge["data"]["noise_std"])}


def noise_tag(noise_std: float) -> str:
    """File-name form of a noise level: 0 -> ``"0"``, 0.01 -> ``"0.01"``."""
    return f"{noise_std:g}"


def _uniform_cells(cells: Mapping[str, dict]) -> dict[str, dict]:
    """Give cells with ``depth`` and ``width`` their ``hidden_layers`` (``[width] * depth``)."""
    return {
        cell: {**settings, "hidden_layers": [settings["width"]] * settings["depth"]} for cell, settings in cells.items()
    }


def _optimizer_cells(grid: Mapping) -> dict[str, dict]:
    """Figs. 3/17: optimiser x learning rate; epochs and batch size follow the optimiser."""
    schedules = {entry["optimizer"]: entry for entry in grid["optimizers"]}
    if len(schedules) < len(grid["optimizers"]):
        names = [entry["optimizer"] for entry in grid["optimizers"]]
        raise ValueError(f"runge.optimizer_lr.optimizers names an optimizer twice: {names}")
    base = {"hidden_layers": grid["hidden_layers"], "activation": grid["activation"]}
    cells = expand_grid(base, {"optimizer": list(schedules), "learning_rate": grid["learning_rates"]})
    return {cell: {**settings, **schedules[settings["optimizer"]]} for cell, settings in cells.items()}


def _regularization_grids(reg: Mapping) -> dict[str, dict]:
    """Figs. 8-10, 21-23: per penalty a lambda sweep, then learning rate, then batch size.

    A later sweep's cells hold only their own axis; the values chosen before them come from the
    previous sweep's selection (:data:`INHERITS`), so its cells are named by their value.
    """
    base = {key: reg[key] for key in ("hidden_layers", "activation", "optimizer", "epochs")}
    grids = {}
    for penalty in PENALTIES:
        common = {**base, "penalty": penalty}
        grids[f"{penalty}_lambda"] = expand_grid({**common, **reg["start"]}, {"lam": reg["lambdas"]})
        grids[f"{penalty}_learning_rate"] = expand_grid(
            {**common, "batch_size": reg["start"]["batch_size"]}, {"learning_rate": reg["learning_rates"]}
        )
        grids[f"{penalty}_batch_size"] = expand_grid(common, {"batch_size": reg["batch_sizes"]})
    return grids


def grids(runge: Mapping) -> dict[str, dict[str, dict]]:
    """Every grid of the study: ``{grid: {cell id: settings}}``, in the order of :data:`GRID_NAMES`.

    Raises ``ValueError`` naming the key when the config contradicts itself (an optimiser listed
    twice, a curves width that is not one of the grid's widths).
    """
    depth_width = runge["depth_width"]
    if depth_width["curves_width"] not in depth_width["widths"]:
        raise ValueError(
            f"runge.depth_width.curves_width={depth_width['curves_width']} is not one of "
            f"runge.depth_width.widths={depth_width['widths']}"
        )
    depth_activation = runge["depth_activation"]
    return {
        "optimizer_lr": _optimizer_cells(runge["optimizer_lr"]),
        "depth_activation": _uniform_cells(
            expand_grid(
                {**depth_activation["training"], "width": depth_activation["width"]},
                {"activation": depth_activation["activations"], "depth": depth_activation["depths"]},
            )
        ),
        "depth_width": _uniform_cells(
            expand_grid(
                depth_width["training"],
                {
                    "activation": depth_width["activations"],
                    "depth": depth_width["depths"],
                    "width": depth_width["widths"],
                },
            )
        ),
        **_regularization_grids(runge["regularization"]),
    }


def final_settings(runge: Mapping, row: str) -> dict:
    """The fixed settings of a Table I network (``{}`` when a selection gives them)."""
    fixed = FINAL_ROWS[row].fixed
    return dict(runge["final_models"][fixed]) if fixed is not None else {}
