"""The studies' designs in ``ffnn.runge.design`` and ``ffnn.fashion.design``: the grids, sweeps, rows and
split sizes the workflow wires to jobs, read from the quick and full configs."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from ffnn.fashion import design as fashion_design
from ffnn.grids import cell_id, expand_grid
from ffnn.runge import design as runge_design

ROOT = Path(__file__).resolve().parents[1]
FULL = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())


def test_expand_grid_names_cells_by_their_varied_values_only():
    cells = expand_grid({"epochs": 5}, {"depth": [1, 2], "width": [8]})
    assert cells == {
        "depth-1_width-8": {"epochs": 5, "depth": 1, "width": 8},
        "depth-2_width-8": {"epochs": 5, "depth": 2, "width": 8},
    }
    assert cell_id({"lam": 1e-05}) == "lam-1e-05"


def test_runge_grids_cover_every_grid_the_tables_name():
    grids = runge_design.grids(FULL["runge"])
    assert tuple(grids) == runge_design.GRID_NAMES
    assert set(runge_design.GRID_COLUMNS) == set(grids)
    assert set(runge_design.SELECTED_GRIDS) | set(runge_design.INHERITS) <= set(grids)


def test_runge_uniform_cells_get_their_hidden_layers():
    cell = runge_design.grids(FULL["runge"])["depth_width"]["activation-relu_depth-3_width-32"]
    assert cell["hidden_layers"] == [32, 32, 32]


def test_runge_later_sweeps_vary_only_their_own_axis():
    grids = runge_design.grids(FULL["runge"])
    lambdas = FULL["runge"]["regularization"]["lambdas"]
    assert [cell["lam"] for cell in grids["l2_lambda"].values()] == lambdas
    assert all("lam" not in cell for cell in grids["l2_learning_rate"].values())
    assert all(
        set(cell) >= {"penalty", "batch_size"} and cell["penalty"] == "l1" for cell in grids["l1_batch_size"].values()
    )
    assert runge_design.INHERITS["l1_batch_size"] == ("l1_learning_rate", ["lam", "learning_rate"])


def test_runge_optimizer_cells_take_their_optimizers_schedule():
    grid = FULL["runge"]["optimizer_lr"]
    cells = runge_design.grids(FULL["runge"])["optimizer_lr"]
    for schedule in grid["optimizers"]:
        mine = [cell for cell in cells.values() if cell["optimizer"] == schedule["optimizer"]]
        assert len(mine) == len(grid["learning_rates"])
        assert all(
            cell["epochs"] == schedule["epochs"] and cell["batch_size"] == schedule["batch_size"] for cell in mine
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["depth_width"].update(curves_width=999), "curves_width=999 is not one of"),
        (
            lambda r: r["optimizer_lr"]["optimizers"].append(dict(r["optimizer_lr"]["optimizers"][0])),
            "names an optimizer twice",
        ),
    ],
)
def test_runge_design_refuses_a_contradictory_config(change, message):
    runge = copy.deepcopy(FULL["runge"])
    change(runge)
    with pytest.raises(ValueError, match=message):
        runge_design.grids(runge)


def test_table1_rows_are_final_networks_or_baselines_and_figures_draw_them():
    assert set(runge_design.TABLE1) == set(runge_design.FINAL_ROWS) | set(runge_design.BASELINE_ROWS)
    assert {row for rows in runge_design.FIT_FIGURES.values() for row in rows} <= set(runge_design.TABLE1)
    for row in runge_design.FINAL_ROWS.values():
        assert (row.fixed is None) != (row.selection is None)
        assert row.selection is None or row.selection in runge_design.SELECTED_GRIDS


def test_final_settings_are_the_configs_fixed_ones_or_none():
    assert runge_design.final_settings(FULL["runge"], "ffnn1_noise") == FULL["runge"]["final_models"]["ffnn1"]
    assert runge_design.final_settings(FULL["runge"], "l2") == {}


def test_noise_levels_and_their_tags():
    levels = runge_design.noise_levels(FULL["runge"])
    assert levels["clean"] == 0.0 and levels["noisy"] == FULL["runge"]["data"]["noise_std"]
    assert [runge_design.noise_tag(value) for value in (0.0, 0.01)] == ["0", "0.01"]


def test_fashion_split_sizes_follow_the_fraction_or_the_subsets():
    split = {"validation_fraction": 1 / 6, "train_samples": None, "validation_samples": None}
    assert fashion_design.split_sizes(split) == (50_000, 10_000)
    assert fashion_design.split_sizes({**split, "train_samples": 3000, "validation_samples": 1000}) == (3000, 1000)
    with pytest.raises(ValueError, match=r"fashion\.split\.validation_samples=10001 exceeds the 10000 images"):
        fashion_design.split_sizes({**split, "validation_samples": 10_001})


def test_a_subsample_larger_than_the_training_part_is_refused_by_its_key():
    split = {"validation_fraction": 1 / 6, "train_samples": 3000, "validation_samples": None}
    fashion_design.check_subsample("cnn.verify.float64.train_samples", 3000, split)
    fashion_design.check_subsample("cnn.verify.float64.train_samples", None, split)
    with pytest.raises(ValueError, match=r"cnn\.verify\.float64\.train_samples=3001 exceeds the 3000 images"):
        fashion_design.check_subsample("cnn.verify.float64.train_samples", 3001, split)


def test_fashion_grids_vary_the_study_model():
    grids = fashion_design.grids(FULL["fashion"])
    assert tuple(grids) == tuple(fashion_design.AXES)
    model = FULL["fashion"]["model"]
    for cells in grids.values():
        for cell in cells.values():
            varied = {key for key, value in cell["settings"].items() if model.get(key) != value}
            assert varied <= {
                *fashion_design.AXES["pyramid"],
                *fashion_design.AXES["uniform"],
                "hidden_layers",
                *fashion_design.AXES["lr_batch"],
                *fashion_design.AXES["optimizer_lambda"],
                "activation",
                "leaky_slope",
            }
    pyramid = next(iter(grids["pyramid"].values()))
    assert pyramid["settings"]["hidden_layers"][0] == pyramid["axes"]["first_width"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f["activation"].append(dict(f["activation"][0])), "every variant needs its own name"),
        (lambda f: f["lr_batch"].update(learning_rate=[1e-3], batch_size=[64]), "needs at least two"),
    ],
)
def test_fashion_design_refuses_a_contradictory_config(change, message):
    fashion = copy.deepcopy(FULL["fashion"])
    change(fashion)
    with pytest.raises(ValueError, match=message):
        fashion_design.grids(fashion)
