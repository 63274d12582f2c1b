"""How a build's sizes compare with the full study's: read from the two configurations."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from ffnn.build_scale import SIZES, build_scale

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def full() -> dict:
    return yaml.safe_load((ROOT / "config" / "config.yaml").read_text())


@pytest.fixture(scope="module")
def quick(full) -> dict:
    """The quick build's configuration, merged over the full one key by key as Snakemake merges it."""

    def merge(base, update):
        for key, value in update.items():
            base[key] = (
                merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
            )
        return base

    return merge(copy.deepcopy(full), yaml.safe_load((ROOT / "config" / "quick.yaml").read_text()))


def test_the_full_build_differs_from_itself_in_nothing(full):
    assert build_scale(full, full).empty
    every = build_scale(full, full, only_differences=False)
    assert list(every["size"]) == list(SIZES) and (every["fraction"] == 1).all()


def test_every_size_reads_from_both_configurations(full, quick):
    for size, read in SIZES.items():
        assert read(full) > 0 and read(quick) > 0, size


def test_the_whole_fashion_part_is_counted_where_the_config_takes_every_image(full):
    sizes = {size: read(full) for size, read in SIZES.items()}
    assert sizes["FashionMNIST training images"] == 50_000 and sizes["FashionMNIST validation images"] == 10_000


def test_a_smaller_build_lists_what_it_cut_and_by_how_much(full):
    small = copy.deepcopy(full)
    small["fashion"]["split"]["train_samples"] = 5_000
    small["fashion"]["model"]["epochs"] = 6
    small["fashion"]["lr_batch"]["batch_size"] = [64, 128]  # 5 x 5 -> 5 x 2 cells
    table = build_scale(small, full).set_index("size")
    assert list(table.index) == [
        "FashionMNIST training images",
        "epochs of every FashionMNIST network",
        "cells of the FashionMNIST grids",
    ]
    assert table.loc["FashionMNIST training images", ["build", "full"]].tolist() == [5_000, 50_000]
    assert table.loc["epochs of every FashionMNIST network", "fraction"] == pytest.approx(0.1)
    assert (
        table.loc["cells of the FashionMNIST grids", "full"] - table.loc["cells of the FashionMNIST grids", "build"]
        == 15
    )


def test_grid_cells_count_every_axis_and_every_penalty(full):
    runge_cells = SIZES["cells of the Runge network grids"]
    wider = copy.deepcopy(full)
    wider["runge"]["regularization"]["lambdas"] = [*full["runge"]["regularization"]["lambdas"], 1.0]
    assert runge_cells(wider) - runge_cells(full) == 2  # one more lambda, swept for L2 and for L1
    deeper = copy.deepcopy(full)
    deeper["runge"]["depth_width"]["depths"] = [*full["runge"]["depth_width"]["depths"], 5]
    assert runge_cells(deeper) - runge_cells(full) == 5 * 3  # a depth: every width, every activation
    fashion_cells = SIZES["cells of the FashionMNIST grids"]
    more = copy.deepcopy(full)
    more["fashion"]["activation"] = full["fashion"]["activation"][:2]
    assert fashion_cells(full) - fashion_cells(more) == len(full["fashion"]["activation"]) - 2


def test_the_quick_build_is_smaller_in_the_sizes_the_report_names(full, quick):
    table = build_scale(quick, full).set_index("size")
    assert (table["fraction"] < 1).all()
    for size in (
        "FashionMNIST training images",
        "epochs of every FashionMNIST network",
        "training seeds of every headline network",
    ):
        assert size in table.index
