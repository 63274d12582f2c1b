"""The FashionMNIST study's design (Section III.B), read from the config's ``fashion:`` section.

Its grids (one job per cell, each a variation of the study's model), the sizes of its data split,
the figure each grid reproduces and the figure drawn from each table. The rules in
``workflow/rules/fashion.smk`` only wire these to files.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..architectures import pyramid_widths, uniform_widths
from ..grids import expand_grid

#: The published training images, which the training and validation parts share.
TRAINING_IMAGES = 60_000

#: Grid name -> the settings it varies; the grid's config section lists their values.
AXES = {
    "pyramid": ["first_width", "depth"],
    "uniform": ["width", "depth"],
    "lr_batch": ["learning_rate", "batch_size"],
    "optimizer_lambda": ["optimizer", "lam"],
    "activation": ["activation"],
}

#: Grid name -> the study figure its table reproduces (a column of the selection table).
GRID_FIGURES = {
    "pyramid": "Fig. 13",
    "uniform": "Fig. 24",
    "lr_batch": "Fig. 25",
    "optimizer_lambda": "Fig. 26",
    "activation": "Fig. 28",
    "epochs": "Table V",  # the chosen model's epoch count, chosen on its validation curve
}

#: A grid's best cells by validation accuracy, each refitted with every training seed.
TOP_RANKS = (1, 2)

#: Figure name -> its drawing function in :mod:`ffnn.plots.fashion`; each figure is drawn from
#: the table of the same name.
PLOTS = {
    "class_samples": "class_samples",
    "pyramid_accuracy": "pyramid_heatmap",
    "uniform_accuracy": "uniform_heatmap",
    "lr_batch_accuracy": "lr_batch_heatmap",
    "optimizer_lambda_accuracy": "optimizer_lambda_curves",
    "activation_curves": "activation_curves",
    "confusion_normalised": "confusion_normalised",
    "confusion_raw": "confusion_raw",
    "chosen_curves": "learning_curves",
}

#: Every final table, by its name (``results/fashion/tables/fashion_<name>.csv``).
TABLES = (
    "split_sizes",
    "class_samples",
    *(f"{grid}_{kind}" for grid in AXES for kind in ("accuracy", "curves")),
    "selection",
    "table5_models",
    "chosen_seeds",
    "confusion_raw",
    "confusion_normalised",
    "per_class_scores",
    "chosen_curves",
)
#: Every figure, by its name (``results/fashion/figures/fashion_<name>.png``).
FIGURES = tuple(PLOTS)


def split_sizes(split: Mapping) -> tuple[int, int]:
    """Images ``(training, validation)`` a build fits and validates on, from ``fashion.split``.

    The validation part is ``validation_fraction`` of the 60,000 published training images and
    the training part the rest, unless ``train_samples``/``validation_samples`` ask for a subset.
    Raises ``ValueError`` naming the key when a subset is larger than its part, so the workflow
    fails before any job.
    """
    n_validation = round(split["validation_fraction"] * TRAINING_IMAGES)
    available = {"train_samples": TRAINING_IMAGES - n_validation, "validation_samples": n_validation}
    for key, n_available in available.items():
        if (split[key] or 0) > n_available:
            raise ValueError(
                f"fashion.split.{key}={split[key]} exceeds the {n_available} images "
                f"of that part (validation_fraction={split['validation_fraction']})"
            )
    return split["train_samples"] or available["train_samples"], split["validation_samples"] or n_validation


def check_subsample(key: str, n_images: int | None, split: Mapping) -> None:
    """Refuse a subsample of ``n_images`` (None: all) of the training part larger than the part.

    ``key`` names the config entry that asks for it in the message, e.g. ``verify.torch.float32.train_samples``.
    """
    n_train, _ = split_sizes(split)
    if n_images is not None and n_images > n_train:
        raise ValueError(
            f"{key}={n_images} exceeds the {n_train} images of the fashion part's training part (fashion.split), "
            "whose indices it subsamples"
        )


def _cells(model: Mapping, axes: Mapping, vary) -> dict[str, dict]:
    """``{cell id: {"axes": values, "settings": model settings with vary(values) applied}}``."""
    return {
        cell: {"axes": values, "settings": {**model, **vary(values)}} for cell, values in expand_grid({}, axes).items()
    }


def grids(fashion: Mapping) -> dict[str, dict[str, dict]]:
    """Every grid: ``{grid: {cell id: {"axes": ..., "settings": ...}}}``, in the order of :data:`AXES`.

    The activation grid's single axis names a variant of ``fashion.activation``. Raises
    ``ValueError`` when two variants share a name or a grid has fewer cells than :data:`TOP_RANKS`.
    """
    model = fashion["model"]
    variants = {variant["name"]: variant for variant in fashion["activation"]}
    if len(variants) != len(fashion["activation"]):
        raise ValueError("fashion.activation: every variant needs its own name")

    def values(grid):
        return {name: fashion[grid][name] for name in AXES[grid]}

    pyramid = fashion["pyramid"]
    made = {
        "pyramid": _cells(
            model,
            values("pyramid"),
            lambda v: {
                "hidden_layers": pyramid_widths(v["first_width"], v["depth"], pyramid["ratio"], pyramid["min_width"])
            },
        ),
        "uniform": _cells(
            model, values("uniform"), lambda v: {"hidden_layers": uniform_widths(v["width"], v["depth"])}
        ),
        "lr_batch": _cells(model, values("lr_batch"), dict),
        "optimizer_lambda": _cells(model, values("optimizer_lambda"), dict),
        "activation": _cells(
            model,
            {"activation": list(variants)},
            lambda v: {key: value for key, value in variants[v["activation"]].items() if key != "name"},
        ),
    }
    for grid, cells in made.items():
        if len(cells) < len(TOP_RANKS):
            raise ValueError(
                f"fashion.{grid}: the selection compares the two best cells, so the grid needs at least two"
            )
    return made
