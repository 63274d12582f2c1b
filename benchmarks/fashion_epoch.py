"""Time one FashionMNIST training epoch of a [512-10] ReLU network: ours, scikit-learn, PyTorch.

All three train the same architecture on the same float32 data with mini-batches of 128, Adam
(learning rate 5e-4) and the same L2 penalty. A fourth runner times the five matrix products of our
epoch alone (same shapes, same BLAS, no gather, activation, loss or optimiser): the floor that no
NumPy implementation of this step can go below.

Every runner runs at each thread count of ``--threads`` (BLAS through threadpoolctl, PyTorch through
``torch.set_num_threads``), all interleaved round by round so that load from other processes hits
them alike. The script prints each runner's median and spread, a profile of one of our epochs per
phase, and the targets of issue 24: our epoch at most 1.25 times the products alone at every thread
count, and faster on two threads than on one. ``--csv PATH`` appends the same lines to a CSV.

Before the timed rounds it measures what the first training step of a fresh process costs for
the fused Numba kernels: compiling them (an empty kernel cache) and loading them from the cache.

Usage::

    .venv/bin/python benchmarks/fashion_epoch.py [--rounds 5] [--threads 1,2] [--data PATH] [--csv PATH]

The data file is written by the workflow's ``fashion_data`` rule
(``snakemake --cores 1 results/fashion/data/fashion_mnist.npz``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from blas_threads import DEFAULT_THREADS  # before NumPy: sets BLAS's thread count

import numpy as np
from layer_profile import print_profiles, profile_ours
from timing import Target, append_rows, at_threads, check_round_args, csv_rows, interleaved_rounds

from ffnn.data.fashion_mnist import load_fashion_mnist, scale_pixels
from ffnn.losses import get_loss
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.regularizers import get_regularizer
from ffnn.training import run_epoch

HIDDEN = 512
BATCH = 128
LEARNING_RATE = 5e-4
LAMBDA = 1e-5  # our L2 strength: lam * sum(W^2) added to the mean loss
SEED = 6114
DEFAULT_DATA = Path("results/fashion/data/fashion_mnist.npz")
# Multiply-adds of one epoch: forward X@W1, h@W2; backward h^T d2, d2 W2^T, X^T d1 (no input gradient).
FLOP_PER_SAMPLE = 2 * (784 * HIDDEN * 2 + HIDDEN * 10 * 3)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument(
        "--threads", default=DEFAULT_THREADS, help=f"thread counts for BLAS and PyTorch (default {DEFAULT_THREADS})"
    )
    parser.add_argument("--samples", type=int, default=50_000, help="training samples per epoch (default 50000)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"Fashion-MNIST npz (default {DEFAULT_DATA})")
    parser.add_argument("--csv", type=Path, help="append the medians, the profile and the targets to this CSV")
    parser.add_argument("--no-sklearn", action="store_true", help="leave scikit-learn out (it is the slowest runner)")
    args = parser.parse_args(argv)
    check_round_args(parser, args)
    if not args.data.is_file():
        parser.error(
            f"{args.data} not found; create it with "
            "`.venv/bin/snakemake --cores 1 results/fashion/data/fashion_mnist.npz`"
        )
    return args


def ours(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    """An epoch function of our network, which successive calls continue training, and its profile of one epoch."""
    network = Network([X.shape[1], HIDDEN, 10], "relu", rng=rng, dtype=np.float32)
    optimizer = get_optimizer("adam", LEARNING_RATE)
    loss, penalty = get_loss("softmax_ce"), get_regularizer("l2", LAMBDA)

    def epoch():
        run_epoch(network, X, y, loss, optimizer, rng, BATCH, penalty)

    return epoch, lambda: profile_ours(network, loss, optimizer, epoch)


def scikit_learn(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    """An epoch function of ``MLPClassifier``: a fresh fit with ``max_iter=1`` each call."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    # scikit-learn adds alpha * W / batch to the gradient of the mean loss; ours adds 2 lam W.
    model = MLPClassifier(
        hidden_layer_sizes=(HIDDEN,),
        activation="relu",
        solver="adam",
        learning_rate_init=LEARNING_RATE,
        alpha=2 * LAMBDA * BATCH,
        batch_size=BATCH,
        max_iter=1,
        shuffle=True,
        random_state=int(rng.integers(2**31)),
    )

    def epoch():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)

    return epoch


def pytorch(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    """An epoch function of the same network in PyTorch; successive calls continue training."""
    import torch

    torch.manual_seed(int(rng.integers(2**31)))
    model = torch.nn.Sequential(torch.nn.Linear(X.shape[1], HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 10))
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
    # weight_decay adds wd * W to the gradient: 2 lam W as in ours, on weights only.
    optimizer = torch.optim.Adam(
        [{"params": weights, "weight_decay": 2 * LAMBDA}, {"params": biases}], lr=LEARNING_RATE
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    generator = torch.Generator().manual_seed(int(rng.integers(2**31)))

    def epoch():
        order = torch.randperm(len(X_t), generator=generator)
        for first in range(0, len(X_t), BATCH):
            index = order[first : first + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(X_t[index]), y_t[index]).backward()
            optimizer.step()

    return epoch


def matrix_products(X: np.ndarray, rng: np.random.Generator):
    """An epoch function doing only the matrix products of ours: X_b W1, h W2, h^T d2, d2 W2^T, X_b^T d1."""
    W1 = 0.01 * rng.standard_normal((X.shape[1], HIDDEN), dtype=np.float32)  # the study's N(0, 0.01): no overflow
    W2 = 0.01 * rng.standard_normal((HIDDEN, 10), dtype=np.float32)
    z1, d1 = np.empty((2, BATCH, HIDDEN), dtype=np.float32)
    z2 = np.empty((BATCH, 10), dtype=np.float32)
    dW1, dW2 = np.empty_like(W1), np.empty_like(W2)

    def epoch():
        for first in range(0, len(X), BATCH):
            X_b = X[first : first + BATCH]
            h, logits, delta = z1[: len(X_b)], z2[: len(X_b)], d1[: len(X_b)]
            np.matmul(X_b, W1, out=h)
            np.matmul(h, W2, out=logits)
            np.matmul(h.T, logits, out=dW2)
            np.matmul(logits, W2.T, out=delta)
            np.matmul(X_b.T, delta, out=dW1)

    return epoch


# Times the first training step of a [784-512-10] float32 network in a fresh process: the fused
# kernels are compiled, or loaded from NUMBA_CACHE_DIR, on their first call.
FIRST_STEP = """
import time
import numpy as np
from ffnn.losses import get_loss
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.regularizers import get_regularizer
from ffnn.training import run_epoch

rng = np.random.default_rng(0)
X, y = rng.random((128, 784), dtype=np.float32), rng.integers(0, 10, 128)
network = Network([784, 512, 10], "relu", rng=rng, dtype=np.float32)
start = time.perf_counter()
run_epoch(network, X, y, get_loss("softmax_ce"), get_optimizer("adam", 1e-3), rng, 128, get_regularizer("l2", 1e-5))
print(time.perf_counter() - start)
"""


def first_step_seconds() -> tuple[float, float]:
    """Seconds of a fresh process's first training step with an empty kernel cache (compiling
    the kernels), then with that cache filled (loading them)."""
    with tempfile.TemporaryDirectory() as cache:
        environment = {**os.environ, "NUMBA_CACHE_DIR": cache}
        seconds = []
        for _ in range(2):
            child = subprocess.run(
                [sys.executable, "-c", FIRST_STEP], env=environment, capture_output=True, text=True, check=True
            )
            seconds.append(float(child.stdout))
        return seconds[0], seconds[1]


def blas_description() -> str:
    """Library, version, kernel and threads of NumPy's BLAS, which bounds our matrix products."""
    from threadpoolctl import threadpool_info

    blas = [info for info in threadpool_info() if info["user_api"] == "blas" and "numpy" in info["filepath"]]
    return (
        "; ".join(
            f"{info['internal_api']} {info['version']}, {info.get('architecture', '?')} kernels, "
            f"{info['num_threads']} threads"
            for info in blas
        )
        or "not found"
    )


def targets(threads: list[int]) -> list[Target]:
    """Issue 24's targets at these thread counts."""
    floor = [Target(f"ours@{n}", f"products@{n}", 1.25, "the products alone are the floor") for n in threads]
    more = [Target(f"ours@{n}", f"ours@{n - 1}", 0.99, "a thread more must help") for n in threads if n - 1 in threads]
    return floor + more


def main(argv=None) -> None:
    args = parse_args(argv)
    data = load_fashion_mnist(args.data)
    X = scale_pixels(data["x_train"][: args.samples])
    y = data["y_train"][: args.samples]
    compile_seconds, load_seconds = first_step_seconds()
    rng = np.random.default_rng(SEED)
    runners, profilers = {}, {}
    for n in args.threads:
        runners[f"ours@{n}"], profilers[n] = ours(X, y, rng)
        if not args.no_sklearn:
            runners[f"sklearn@{n}"] = scikit_learn(X, y, rng)
        runners[f"torch@{n}"] = pytorch(X, y, rng)
        runners[f"products@{n}"] = matrix_products(X, rng)
        for name in [name for name in runners if name.endswith(f"@{n}")]:
            runners[name] = at_threads(runners[name], n)
    for run in runners.values():  # warm-up: first-touch allocation, BLAS and PyTorch start-up
        run()
    rounds = interleaved_rounds(runners, args.rounds)
    bound = FLOP_PER_SAMPLE * len(X) / 1e9
    print(f"\none epoch of [784-{HIDDEN}-10] ReLU, float32, batch {BATCH}, Adam, {len(X)} samples")
    print(f"arithmetic: {bound:.0f} GFLOP per epoch (ours; no gradient with respect to the input)")
    print(f"NumPy's BLAS (ours and scikit-learn): {blas_description()}")
    for name, measured in rounds.items():
        print(f"{name:12s} {measured}  ({bound / measured.median:.0f} GFLOP/s)")
    print(
        f"first training step of a fresh process (fused kernels): {compile_seconds:.2f} s compiling them, "
        f"{load_seconds:.2f} s loading them from the cache"
    )
    phases = {}
    for n, profile in profilers.items():
        profiled = at_threads(profile, n)()
        print_profiles(profiled, title=f"ours on {n} thread{'s' if n > 1 else ''}")
        phases |= {f"ours@{n} {name}": seconds for name, seconds in profiled.items()}
    print()
    for n in args.threads:
        for other in ("sklearn", "torch"):
            if f"{other}@{n}" in rounds:
                print(f"ratio ours@{n}/{other}@{n}  {rounds[f'ours@{n}'].median / rounds[f'{other}@{n}'].median:.2f}")
    chosen = targets(args.threads)
    for target in chosen:
        print(target.line(rounds))
    if args.csv is not None:
        append_rows(args.csv, "fashion_epoch", max(args.threads), len(X), csv_rows(rounds, chosen, phases))
        print(f"appended to {args.csv}")


if __name__ == "__main__":
    main()
