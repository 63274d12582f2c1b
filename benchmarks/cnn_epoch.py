"""Time one FashionMNIST training epoch of the CNN: ours against an equal torch.nn CNN.

Both train the same architecture (by default the config's `cnn.model`; `--chosen` takes the
settings of a build's chosen CNN instead) from the same initial weights on the same float32 data,
mini-batches and dropout masks, with Adam, at each thread count of ``--threads``. The runs are
interleaved (ours, PyTorch, ours, ...) so that load from other processes hits them alike; the script
prints the median and spread of each, a profile of one epoch of each per layer and direction (ours)
and per operator (PyTorch's), and the target of issue 24: ours at most 1.0 times PyTorch's at every
thread count. ``--csv PATH`` appends the same lines to a CSV.

Usage::

    .venv/bin/python benchmarks/cnn_epoch.py [--rounds 3] [--threads 1,2] [--samples 50000] [--chosen PATH] [--csv PATH]

The data file is written by the workflow's ``fashion_data`` rule
(``snakemake --cores 1 results/fashion/data/fashion_mnist.npz``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from blas_threads import DEFAULT_THREADS  # before NumPy: sets BLAS's thread count

import numpy as np
import torch
import yaml
from layer_profile import print_profiles, profile_ours, profile_torch
from timing import Target, append_rows, at_threads, check_round_args, csv_rows, interleaved_rounds

from ffnn.data.fashion_mnist import N_PIXELS, load_fashion_mnist, scale_pixels
from ffnn.cnn.model import build_cnn, cnn_label
from ffnn.io import load_json
from ffnn.losses import get_loss
from ffnn.optimizers import get_optimizer
from ffnn.regularizers import get_regularizer
from ffnn.training import epoch_batches, run_epoch
from ffnn.verify.torch_parity import torch_adam
from ffnn.verify.torch_twin import torch_twin

SEED = 6114
DEFAULT_DATA = Path("results/fashion/data/fashion_mnist.npz")
CONFIG = Path("config/config.yaml")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument(
        "--threads", default=DEFAULT_THREADS, help=f"thread counts for BLAS and PyTorch (default {DEFAULT_THREADS})"
    )
    parser.add_argument("--samples", type=int, default=50_000, help="training samples per epoch (default 50000)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"Fashion-MNIST npz (default {DEFAULT_DATA})")
    parser.add_argument("--chosen", type=Path, help="a build's chosen CNN record (results/cnn/models/chosen_cnn.json)")
    parser.add_argument("--csv", type=Path, help="append the medians, the profiles and the targets to this CSV")
    args = parser.parse_args(argv)
    check_round_args(parser, args)
    for path in (args.data, args.chosen):
        if path is not None and not path.is_file():
            parser.error(f"{path} not found; the workflow writes it (`.venv/bin/snakemake --cores 1 {path}`)")
    return args


def settings_of(args: argparse.Namespace) -> dict:
    """The CNN's settings: the chosen record's, else the config's ``cnn.model``."""
    if args.chosen is not None:
        return load_json(args.chosen)["settings"]
    return yaml.safe_load(CONFIG.read_text())["cnn"]["model"]


def runners(settings: dict, X: np.ndarray, y: np.ndarray) -> tuple[dict, dict, object]:
    """Epoch functions of our CNN and its torch twin, from the same weights (each call trains one more
    epoch), the same functions run under a profiler, and our network."""
    rng = np.random.default_rng(SEED)
    network = build_cnn(settings, N_PIXELS, rng, np.float32)
    model = torch_twin(network)  # before any training: it copies the dropout generator's state
    lam = settings["lam"] if settings["penalty"] == "l2" else 0.0
    batch = settings["batch_size"]

    optimizer = get_optimizer("adam", settings["learning_rate"])
    loss, penalty = get_loss("softmax_ce"), get_regularizer(settings["penalty"], lam)
    torch_rng = np.random.default_rng(SEED + 1)
    ours_rng = np.random.default_rng(SEED + 1)

    torch_optimizer = torch_adam(model, settings["learning_rate"], lam)
    loss_fn = torch.nn.CrossEntropyLoss()
    X_torch, y_torch = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))

    def torch_epoch():
        for index in epoch_batches(len(X), batch, torch_rng):
            torch_optimizer.zero_grad()
            loss_fn(model(X_torch[index]), y_torch[index]).backward()
            torch_optimizer.step()

    def ours_epoch():
        run_epoch(network, X, y, loss, optimizer, ours_rng, batch, penalty)

    epochs = {"ours": ours_epoch, "torch": torch_epoch}
    profiles = {
        "ours": lambda: profile_ours(network, loss, optimizer, ours_epoch),
        "torch": lambda: profile_torch(torch_epoch),
    }
    return epochs, profiles, network


def main(argv=None) -> None:
    args = parse_args(argv)
    settings = settings_of(args)
    data = load_fashion_mnist(args.data)
    X = scale_pixels(data["x_train"][: args.samples])
    y = data["y_train"][: args.samples]
    epochs, profiles, network = runners(settings, X, y)
    timed = {f"{name}@{n}": at_threads(run, n) for n in args.threads for name, run in epochs.items()}
    rounds = interleaved_rounds(timed, args.rounds)

    print(
        f"\none epoch of the CNN ({cnn_label(settings)}; {network.n_params} parameters), float32, "
        f"batch {settings['batch_size']}, Adam, {len(X)} samples"
    )
    for name, measured in rounds.items():
        print(f"{name:9s} {measured}  ({len(X) / measured.median:.0f} images/s)")
    phases = {}
    for n in args.threads:
        for name, profile in profiles.items():
            profiled = at_threads(profile, n)()
            print_profiles(profiled, title=f"{name} on {n} thread{'s' if n > 1 else ''}")
            phases |= {f"{name}@{n} {phase}": seconds for phase, seconds in profiled.items()}
    print()
    targets = [Target(f"ours@{n}", f"torch@{n}", 1.0, "PyTorch's pace") for n in args.threads]
    for target in targets:
        print(target.line(rounds))
    if args.csv is not None:
        append_rows(args.csv, "cnn_epoch", max(args.threads), len(X), csv_rows(rounds, targets, phases))
        print(f"appended to {args.csv}")


if __name__ == "__main__":
    main()
