"""The validation choice: each grid's validation winner gives the settings that grid varies."""

from __future__ import annotations

import pandas as pd
import pytest

from ffnn.fashion.validation_choice import validation_choice

BASE = {
    "hidden_layers": [512],
    "activation": "relu",
    "leaky_slope": 0.01,
    "optimizer": "adam",
    "learning_rate": 5e-4,
    "batch_size": 128,
    "lam": 1e-5,
    "penalty": "l2",
    "epochs": 3,
    "initializer": "normal",
}
CELLS = {
    "pyramid": {"p-best": {**BASE, "hidden_layers": [256, 128]}, "p-second": {**BASE, "hidden_layers": [64]}},
    "uniform": {"u-best": {**BASE, "hidden_layers": [32, 32]}, "u-second": {**BASE, "hidden_layers": [128]}},
    "lr_batch": {
        "lr-best": {**BASE, "learning_rate": 5e-3, "batch_size": 64},
        "lr-second": {**BASE, "learning_rate": 1e-4, "batch_size": 32},
    },
    "optimizer_lambda": {
        "o-best": {**BASE, "optimizer": "momentum", "lam": 1e-2},
        "o-second": {**BASE, "optimizer": "sgd", "lam": 1e-7},
    },
    "activation": {
        "a-best": {**BASE, "activation": "leaky_relu", "leaky_slope": 0.05},
        "a-second": {**BASE, "activation": "sigmoid"},
    },
}


def selection(pyramid_score=0.80, uniform_score=0.75):
    rows = [
        ("pyramid", "p-best", pyramid_score),
        ("uniform", "u-best", uniform_score),
        ("lr_batch", "lr-best", 0.7),
        ("optimizer_lambda", "o-best", 0.7),
        ("activation", "a-best", 0.7),
        ("epochs", None, None),
    ]
    table = pd.DataFrame(rows, columns=["grid", "winner_cell", "winner_val_accuracy_mean"])
    # every grid's runner-up, which the choice must not take
    table["runner_up_cell"] = [*(f"{cell.split('-')[0]}-second" for cell in table["winner_cell"][:-1]), None]
    # test scores that would choose otherwise: the choice must not read them
    table["winner_test_accuracy_mean"] = [0.1, 0.9, 0.1, 0.1, 0.1, None]
    return table


def test_every_grid_gives_the_settings_it_varies_from_its_validation_winner():
    settings, sources = validation_choice(selection(), CELLS, BASE)
    assert settings == {
        **BASE,
        "hidden_layers": [256, 128],
        "learning_rate": 5e-3,
        "batch_size": 64,
        "optimizer": "momentum",
        "lam": 1e-2,
        "activation": "leaky_relu",
        "leaky_slope": 0.05,
    }
    assert sources["hidden_layers"] == "pyramid: p-best" and sources["leaky_slope"] == "activation: a-best"
    assert sources["batch_size"] == "lr_batch: lr-best" and "epochs" not in sources


def test_the_architecture_comes_from_the_grid_whose_winner_validates_better():
    settings, sources = validation_choice(selection(pyramid_score=0.70, uniform_score=0.75), CELLS, BASE)
    assert settings["hidden_layers"] == [32, 32] and sources["hidden_layers"] == "uniform: u-best"


def test_the_base_settings_are_left_as_they_were():
    before = dict(BASE)
    validation_choice(selection(), CELLS, BASE)
    assert before == BASE


def test_a_missing_grid_or_winner_is_named():
    with pytest.raises(ValueError, match="activation"):
        validation_choice(selection()[lambda t: t["grid"] != "activation"], CELLS, BASE)
    stray = selection().assign(winner_cell=lambda t: t["winner_cell"].replace("o-best", "o-gone"))
    with pytest.raises(ValueError, match="o-gone"):
        validation_choice(stray, CELLS, BASE)
