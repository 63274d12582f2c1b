"""Figure 1 of the study: a fully connected network drawn as nodes and edges from its layer sizes."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from ffnn.plots.style import PALETTE, apply_style, figure_size


def architecture_label(layer_sizes: Sequence[int]) -> str:
    """The study's name of a network, its layer sizes without the input, e.g. ``[4-4-4-1]``.

    Parameters
    ----------
    layer_sizes : sequence of int
        Sizes of every layer, input first, output last (at least two layers).
    """
    return "[" + "-".join(str(size) for size in layer_sizes[1:]) + "]"


def layer_titles(n_layers: int) -> list[str]:
    """Axis labels of the layers: ``Input``, ``Hidden 1`` ... ``Hidden L``, ``Output``."""
    return ["Input"] + [f"Hidden {index}" for index in range(1, n_layers - 1)] + ["Output"]


def node_positions(layer_sizes: Sequence[int]) -> list[np.ndarray]:
    """Centres of the nodes, one ``(size, 2)`` array per layer; layers sit at x = 0, 1, ...

    Each layer is centred on y = 0 with unit spacing, so layers of different sizes line up.
    """
    return [
        np.column_stack([np.full(size, float(layer)), np.arange(size)[::-1] - (size - 1) / 2])
        for layer, size in enumerate(layer_sizes)
    ]


def draw_network_schematic(layer_sizes: Sequence[int]) -> plt.Figure:
    """Draw every node as a circle and every weight as a line between consecutive layers.

    Parameters
    ----------
    layer_sizes : sequence of int
        Sizes of every layer, input first and output last, e.g. ``[1, 4, 4, 4, 1]``; each at least 1,
        at least two layers. Layers above 12 nodes would be unreadable and are refused.

    Returns
    -------
    matplotlib.figure.Figure
        The schematic; the caller saves or shows it.
    """
    sizes = [int(size) for size in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least two layers of at least one node each, got {list(layer_sizes)}")
    if max(sizes) > 12:
        raise ValueError(f"layer_sizes {sizes}: a schematic with more than 12 nodes in a layer is unreadable")

    apply_style()
    positions = node_positions(sizes)
    tallest = max(sizes)
    width = min(1.0, (0.95 * len(sizes) + 0.6) / figure_size()[0])
    fig, ax = plt.subplots(figsize=(figure_size(width)[0], 0.42 * tallest + 0.9))

    for left, right in itertools.pairwise(positions):
        # every pair of nodes in consecutive layers is one weight: a dense layer
        for start in left:
            for end in right:
                ax.plot([start[0], end[0]], [start[1], end[1]], color="0.65", linewidth=0.8, zorder=1)

    colours = [PALETTE["ols"]] + [PALETTE["ffnn"]] * (len(sizes) - 2) + [PALETTE["relu"]]
    for points, colour in zip(positions, colours, strict=True):
        ax.scatter(points[:, 0], points[:, 1], s=200, color=colour, edgecolor="black", linewidth=0.8, zorder=2)

    # one arrow under the layers shows the direction in which the signal flows
    below = -(tallest / 2) - 0.35
    ax.annotate("", xy=(len(sizes) - 1.2, below), xytext=(0.2, below), arrowprops=dict(arrowstyle="->", color="0.3"))
    ax.text((len(sizes) - 1) / 2, below - 0.3, "forward pass", ha="center", va="top", color="0.3")

    ax.set_xticks(range(len(sizes)), layer_titles(len(sizes)))
    ax.tick_params(axis="x", length=0)
    ax.set_yticks([])
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(below - 0.8, tallest / 2 + 0.4)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(f"Fully connected network {architecture_label(sizes)}")
    return fig
