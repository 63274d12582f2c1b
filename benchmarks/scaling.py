"""How one training epoch of our network scales with hidden width, depth and number of samples.

Each sweep varies one of the three around the FashionMNIST base case (784 inputs, 10 classes,
ReLU, float32, batch 128, Adam, L2 penalty) on random data of that shape, so no data file is
needed: this measures the machine, not the study. Every point is the median of ``--repeats``
epochs. The script prints each epoch's time, its arithmetic (the FLOP of its matrix products)
and the achieved GFLOP/s, and draws both against the varied quantity.

Usage::

    .venv/bin/python benchmarks/scaling.py [--figure PATH] [--repeats 3] [--threads 2]
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import blas_threads  # noqa: F401  before NumPy: sets BLAS's thread count

import numpy as np

from ffnn.losses import get_loss
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.plots.style import apply_style, save_figure
from ffnn.regularizers import get_regularizer
from ffnn.training import run_epoch

N_INPUTS, N_CLASSES, BATCH = 784, 10, 128
BASE = {"width": 256, "depth": 1, "samples": 10_000}
SWEEPS = {
    "width": [32, 64, 128, 256, 512, 1024],
    "depth": [1, 2, 3, 4, 6],
    "samples": [2_500, 5_000, 10_000, 20_000, 40_000],
}
LABELS = {"width": "hidden width (units per layer)", "depth": "hidden layers", "samples": "samples per epoch"}
DEFAULT_FIGURE = Path("results/benchmarks/scaling.png")
SEED = 6114


def epoch_flop(width: int, depth: int, samples: int) -> float:
    """FLOP of one epoch's matrix products: per layer of ``fan_in x fan_out`` weights, 2 per
    multiply-add for the forward product and for the weight gradient, and for every layer but
    the first the gradient with respect to its input."""
    sizes = [N_INPUTS] + [width] * depth + [N_CLASSES]
    products = [fan_in * fan_out for fan_in, fan_out in itertools.pairwise(sizes)]
    return 2.0 * samples * (2 * sum(products) + sum(products[1:]))


def time_epoch(width: int, depth: int, samples: int, repeats: int, rng: np.random.Generator) -> float:
    """Median seconds of ``repeats`` epochs, after one untimed epoch (kernel loading, first touch)."""
    X = rng.random((samples, N_INPUTS), dtype=np.float32)
    y = rng.integers(0, N_CLASSES, size=samples)
    network = Network([N_INPUTS] + [width] * depth + [N_CLASSES], "relu", initializer="he", rng=rng, dtype=np.float32)
    optimizer, loss, penalty = get_optimizer("adam", 1e-3), get_loss("softmax_ce"), get_regularizer("l2", 1e-5)
    seconds = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        run_epoch(network, X, y, loss, optimizer, rng, BATCH, penalty)
        seconds.append(time.perf_counter() - start)
    return float(np.median(seconds[1:]))


def measure(repeats: int, rng: np.random.Generator) -> dict[str, list[tuple[int, float, float]]]:
    """Per sweep, ``(value, seconds, GFLOP)`` for each value; prints each as it is measured."""
    results: dict[str, list[tuple[int, float, float]]] = {}
    print(f"{'sweep':8s} {'value':>7s} {'seconds':>9s} {'GFLOP':>8s} {'GFLOP/s':>8s}")
    for sweep, values in SWEEPS.items():
        results[sweep] = []
        for value in values:
            case = {**BASE, sweep: value}
            seconds = time_epoch(**case, repeats=repeats, rng=rng)
            gflop = epoch_flop(**case) / 1e9
            results[sweep].append((value, seconds, gflop))
            print(f"{sweep:8s} {value:7d} {seconds:9.4f} {gflop:8.2f} {gflop / seconds:8.1f}", flush=True)
    return results


def draw(results: dict[str, list[tuple[int, float, float]]], path: Path, threads: int) -> None:
    """Seconds per epoch (top) and achieved GFLOP/s (bottom) against each swept quantity."""
    import matplotlib.pyplot as plt

    apply_style()
    fig, axes = plt.subplots(2, len(results), figsize=(11, 6), sharey="row")
    for column, (sweep, rows) in enumerate(results.items()):
        values, seconds, gflop = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
        top, bottom = axes[0, column], axes[1, column]
        top.plot(values, seconds, "o-", label="measured")
        # Time proportional to the arithmetic, through the middle point: where the measurements
        # bend away from it, fixed per-batch costs (not FLOP) dominate.
        middle = len(values) // 2
        top.plot(values, gflop * seconds[middle] / gflop[middle], "--", color="grey", label="proportional to FLOP")
        bottom.plot(values, gflop / seconds, "o-")
        for ax in (top, bottom):
            if sweep != "depth":
                ax.set_xscale("log", base=2)
            ax.set_xticks(values, [f"{v:,.0f}" for v in values])
            ax.minorticks_off()
        top.set_yscale("log")
        bottom.set_xlabel(LABELS[sweep])
        top.set_title(", ".join(f"{k} {v}" for k, v in BASE.items() if k != sweep))
    axes[0, 0].set_ylabel("seconds per epoch")
    axes[1, 0].set_ylabel("GFLOP/s achieved")
    axes[0, 0].legend()
    fig.suptitle(f"One epoch of a ReLU network, float32, batch {BATCH}, Adam, {threads} BLAS threads")
    save_figure(fig, path)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figure", type=Path, default=DEFAULT_FIGURE, help=f"PNG to write (default {DEFAULT_FIGURE})")
    parser.add_argument("--repeats", type=int, default=3, help="timed epochs per point, median kept (default 3)")
    parser.add_argument("--threads", type=int, default=2, help="threads for BLAS (default 2)")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.threads < 1:
        parser.error("--repeats and --threads must be >= 1")
    if args.figure.suffix != ".png":
        parser.error(f"--figure must be a .png path, got {args.figure}")
    results = measure(args.repeats, np.random.default_rng(SEED))
    draw(results, args.figure, args.threads)
    print(f"figure: {args.figure}")


if __name__ == "__main__":
    main()
