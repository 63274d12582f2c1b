"""The FashionMNIST study over training seeds: the two best cells of a grid compared seed by seed,
and the chosen model's fits, one row per seed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..stats import PAIRED_TEST, paired_comparison, spread


def top_cells_row(winner: Sequence[Mapping], runner_up: Sequence[Mapping]) -> dict:
    """Whether a grid's best cell beats its runner-up by more than their spread over seeds.

    Parameters
    ----------
    winner, runner_up : sequences of cell records
        One fit per training seed, in the same seed order (``training_seed`` keys), of the grid's
        best and second-best cells by validation accuracy.

    Returns
    -------
    dict
        ``winner_cell``, ``runner_up_cell``, ``{winner,runner_up}_val_accuracy_{mean,sd,ci_low,ci_high}``,
        ``n_seeds``, ``difference_{mean,sd,ci_low,ci_high}``, ``p_value``, ``winner_beats_runner_up``
        (the interval of the paired difference lies above zero) and ``paired_test`` (its name);
        where every fit recorded a test accuracy, also ``{winner,runner_up}_test_accuracy_{mean,sd}``:
        the run-to-run spread the audit borrows for the grid's single fits (no choice reads it).

    Raises
    ------
    ValueError
        If the two lists do not pair seed by seed, or a fit has no final validation accuracy.
    """
    seeds = [[record["training_seed"] for record in records] for records in (winner, runner_up)]
    if seeds[0] != seeds[1]:
        raise ValueError(f"winner and runner-up fits do not pair by seed: {seeds[0]} vs {seeds[1]}")
    row = {"winner_cell": winner[0]["cell"], "runner_up_cell": runner_up[0]["cell"]}
    accuracies = {}
    for name, records in (("winner", winner), ("runner_up", runner_up)):
        accuracies[name] = [record["summary"]["val_accuracy"] for record in records]
        if any(value is None for value in accuracies[name]):
            raise ValueError(f"a fit of {records[0]['cell']} diverged: no validation accuracy to compare")
        summary = spread(accuracies[name])
        row.update({f"{name}_val_accuracy_{key}": summary[key] for key in ("mean", "sd", "ci_low", "ci_high")})
    tested = [record["summary"].get("test_accuracy") for records in (winner, runner_up) for record in records]
    if all(value is not None for value in tested):
        for name, records in (("winner", winner), ("runner_up", runner_up)):
            summary = spread([record["summary"]["test_accuracy"] for record in records])
            row.update({f"{name}_test_accuracy_{key}": summary[key] for key in ("mean", "sd")})
    comparison = paired_comparison(accuracies["winner"], accuracies["runner_up"])
    row["n_seeds"] = comparison.pop("n")
    row["winner_beats_runner_up"] = comparison.pop("beats")
    return {**row, **comparison, "paired_test": PAIRED_TEST}


def chosen_seed_row(training_seed: int, chosen: Mapping, protocol: Mapping) -> dict:
    """One training seed of the chosen model: its epoch count chosen on validation, the refit's
    test scores and time, and the study protocol's test scores (the records the workflow writes)."""
    return {
        "training_seed": training_seed,
        "epochs": chosen["settings"]["epochs"],
        "selection_val_accuracy": chosen["selection_val_accuracy"],
        **{f"test_{key}": chosen["test"][key] for key in ("accuracy", "precision", "recall", "f1")},
        "seconds": chosen["summary"]["seconds"],
        **{f"protocol_test_{key}": protocol["test"][key] for key in ("accuracy", "precision", "recall", "f1")},
        "protocol_seconds": protocol["summary"]["seconds"],
    }
