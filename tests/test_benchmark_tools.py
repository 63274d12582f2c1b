"""The benchmarks' own tools: rounds summed up, targets judged, CSV rows, and the per-layer profile."""

import csv
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from layer_profile import _timed_methods, profile_ours  # noqa: E402
from timing import Rounds, Target, append_rows, csv_rows  # noqa: E402

from ffnn.layers import Dense  # noqa: E402
from ffnn.losses import get_loss  # noqa: E402
from ffnn.network import Network  # noqa: E402
from ffnn.optimizers import get_optimizer  # noqa: E402
from ffnn.training import run_epoch  # noqa: E402


def test_rounds_give_their_median_and_slowest_over_fastest():
    rounds = Rounds((2.0, 1.0, 4.0))
    assert rounds.median == 2.0
    assert rounds.spread == 4.0


@pytest.mark.parametrize(("ours", "verdict"), [(1.2, "met"), (1.3, "NOT met")])
def test_a_target_is_met_only_at_or_below_its_ratio(ours, verdict):
    rounds = {"ours@2": Rounds((ours,)), "products@2": Rounds((1.0,))}
    line = Target("ours@2", "products@2", 1.25, "the floor").line(rounds)
    assert f"{ours:.2f}  (target <= 1.25: {verdict};" in line


def test_runs_append_to_one_csv_under_one_header(tmp_path):
    rounds = {"ours@1": Rounds((1.0, 3.0)), "torch@1": Rounds((2.0,))}
    rows = csv_rows(rounds, [Target("ours@1", "torch@1", 1.0, "pace")], {"ours@1 loss": 0.25})
    path = tmp_path / "benchmarks" / "epochs.csv"
    append_rows(path, "cnn_epoch", 1, 100, rows)
    append_rows(path, "cnn_epoch", 1, 100, rows)
    read = list(csv.DictReader(path.open()))
    assert len(read) == 2 * 4
    assert [(r["row"], r["name"]) for r in read[:4]] == [
        ("runner", "ours@1"),
        ("runner", "torch@1"),
        ("phase", "ours@1 loss"),
        ("target", "ours@1/torch@1"),
    ]
    assert float(read[0]["median_s"]) == 2.0 and float(read[0]["spread"]) == 3.0
    assert float(read[3]["ratio"]) == 1.0 and float(read[3]["target"]) == 1.0


def test_the_profile_adds_up_to_the_epoch_and_leaves_the_network_as_it_was():
    rng = np.random.default_rng(0)
    network = Network([6, 5, 3], "relu", rng=rng)
    X, y = rng.standard_normal((40, 6)), rng.integers(0, 3, 40)
    loss, optimizer = get_loss("softmax_ce"), get_optimizer("adam", 1e-3)
    phases = profile_ours(network, loss, optimizer, lambda: run_epoch(network, X, y, loss, optimizer, rng, 8))
    assert phases["epoch"] >= max(phases.values()) and phases["other"] >= 0
    assert {"0 Dense(6->5, ReLU()) forward", "0 ReLU() + bias forward", "loss", "optimiser"} <= set(phases)
    first = network.layers[0]
    assert "forward" not in vars(first) and "forward_with_bias" not in vars(first.activation)
    assert type(first).forward is Dense.forward


def test_a_call_inside_a_timed_call_counts_to_its_own_phase_only():
    class Layer:
        def inner(self):
            time.sleep(0.05)

        def outer(self):
            time.sleep(0.02)
            self.inner()

    layer, totals = Layer(), defaultdict(float)
    with _timed_methods([(layer, "outer", "outer"), (layer, "inner", "inner")], totals):
        layer.outer()
    assert totals["inner"] >= 0.05
    assert 0.02 <= totals["outer"] < 0.045  # counted with the inner call it would be >= 0.07
    assert "outer" not in vars(layer)


@pytest.mark.parametrize("script", ["fashion_epoch.py", "cnn_epoch.py"])
@pytest.mark.parametrize("threads", ["0", "1,x"])
def test_a_wrong_thread_count_is_named(script, threads):
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--threads", threads], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "--threads:" in result.stderr and "Traceback" not in result.stderr
