"""Where an epoch's time goes: ours per layer and direction, PyTorch's per operator.

:func:`profile_ours` times every layer's ``forward`` and ``backward``, the loss and the optimiser
step of one training epoch by wrapping them on the instances (the classes are not touched, and
the wrappers are removed afterwards); what is left of the epoch (the batch gather, the loop) is
reported as "other". :func:`profile_torch` runs one epoch under :mod:`torch.profiler` and sums
the self CPU time of its operators, grouped into the same phases as ours where the operator
names tell them apart.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# PyTorch operator name fragments -> our phase names, first match wins.
TORCH_PHASES = (
    ("convolution_backward", "conv backward"),
    ("convolution", "conv forward"),
    ("max_pool2d_with_indices_backward", "pool backward"),
    ("max_pool2d", "pool forward"),
    ("threshold_backward", "relu backward"),
    ("relu", "relu forward"),
    ("native_batch_norm_backward", "batch norm backward"),
    ("batch_norm", "batch norm forward"),
    ("dropout", "dropout"),
    ("bernoulli", "dropout"),
    ("addmm", "dense forward"),
    ("mm", "dense backward"),
    ("log_softmax", "loss"),
    ("nll_loss", "loss"),
    ("adam", "optimiser"),
    ("_foreach", "optimiser"),
)


@contextmanager
def _timed_methods(targets: list[tuple[object, str, str]], totals: dict[str, float]) -> Iterator[None]:
    """Wrap ``getattr(obj, method)`` for each ``(obj, method, phase)`` so that its seconds add to ``totals[phase]``.

    The seconds are exclusive: a timed call made inside another (a Dense layer's activation kernel
    inside its forward) counts to its own phase only, so that the phases add up to the epoch.
    """
    nested = [0.0]  # seconds of timed calls inside the call being timed, one entry per open call

    def timed(function: Callable, phase: str) -> Callable:
        def wrapper(*args, **kwargs):
            nested.append(0.0)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                totals[phase] += elapsed - nested.pop()
                nested[-1] += elapsed

        return wrapper

    targets = list({(id(obj), method): (obj, method, phase) for obj, method, phase in targets}.values())
    for obj, method, phase in targets:  # an object met twice (a shared activation) is timed once
        setattr(obj, method, timed(getattr(obj, method), phase))
    try:
        yield
    finally:
        for obj, method, _ in targets:
            delattr(obj, method)


def profile_ours(network, loss, optimizer, epoch: Callable[[], object]) -> dict[str, float]:
    """Seconds of one call of ``epoch`` per phase: ``"<i> <layer> forward|backward"`` (a fused layer's
    activation and bias apart), loss, optimiser, other (the batch gather, the loop), and the epoch."""
    totals: dict[str, float] = defaultdict(float)
    targets = [(loss, "value_and_gradient", "loss"), (optimizer, "step", "optimiser")]
    for index, layer in enumerate(network.layers):
        for direction in ("forward", "backward"):
            targets.append((layer, direction, f"{index} {layer!r} {direction}"))
        if hasattr(layer, "activation"):  # a fused layer: its products apart from its elementwise kernel
            targets.append((layer.activation, "forward_with_bias", f"{index} {layer.activation!r} + bias forward"))
            targets.append(
                (layer.activation, "backward_with_bias_gradient", f"{index} {layer.activation!r} + bias backward")
            )
    with _timed_methods(targets, totals):
        start = time.perf_counter()
        epoch()
        total = time.perf_counter() - start
    phases = dict(totals)
    phases["other"] = total - sum(totals.values())
    phases["epoch"] = total
    return phases


def profile_torch(epoch: Callable[[], object]) -> dict[str, float]:
    """Seconds of one call of ``epoch`` per phase, from the self CPU time of PyTorch's operators."""
    from torch.profiler import ProfilerActivity, profile

    start = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU]) as recorded:
        epoch()
    total = time.perf_counter() - start
    totals: dict[str, float] = defaultdict(float)
    for event in recorded.key_averages():
        phase = next((phase for fragment, phase in TORCH_PHASES if fragment in event.key), "other")
        totals[phase] += event.self_cpu_time_total / 1e6
    phases = dict(totals)
    phases["epoch"] = total
    return phases


def print_profiles(phases: dict[str, float], title: str) -> None:
    """Print the phases, largest first, each with its share of the epoch (the largest entry)."""
    total = max(phases.values())
    print(f"\nprofile of one epoch, {title} (seconds, share of the epoch):")
    for name, seconds in sorted(phases.items(), key=lambda item: -item[1]):
        print(f"  {seconds:8.3f} s  {100 * seconds / total:5.1f} %  {name}")
