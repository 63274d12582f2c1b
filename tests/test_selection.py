"""The shared verbs of both studies: training streams, summaries over restarts, choosing on validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ffnn.selection import as_score, best_of, choose_best, ranked, training_rng


def test_training_seed_zero_is_the_study_stream():
    assert np.array_equal(training_rng(6114).random(4), np.random.default_rng(6114).random(4))
    assert np.array_equal(training_rng(6114, 0, 2).random(4), np.random.default_rng([6114, 2]).random(4))


def test_each_training_seed_is_its_own_stream():
    draws = [training_rng(6114, seed, 1).random(4) for seed in range(3)]
    assert not np.array_equal(draws[0], draws[1])
    assert not np.array_equal(draws[1], draws[2])
    assert np.array_equal(draws[2], training_rng(6114, 2, 1).random(4))
    with pytest.raises(ValueError, match="training_seed"):
        training_rng(6114, -1)


def test_ranking_puts_non_finite_scores_last_in_either_direction():
    scores = {"a": 0.5, "b": math.nan, "c": 0.9, "d": 0.5}
    assert ranked(scores, lower_is_better=True) == ["a", "d", "c", "b"]
    assert ranked(scores, lower_is_better=False) == ["c", "a", "d", "b"]
    assert choose_best(scores, lower_is_better=False) == "c"
    assert as_score(None) == math.inf and as_score(math.nan, lower_is_better=False) == -math.inf


def test_best_of_skips_a_diverged_restart():
    fits = [
        {"val_mse": 1e-9, "diverged": True},
        {"val_mse": 2e-3, "diverged": False},
        {"val_mse": 1e-3, "diverged": False},
    ]
    assert best_of(fits, "val_mse") is fits[2]
