"""Checks of the from-scratch network against reference implementations.

- :mod:`ffnn.verify.sklearn_parity`: predictions against scikit-learn's ``MLPRegressor``
  (Table II, Figs. 5 and 19), from independent and from shared initial weights.
- :mod:`ffnn.verify.gradients`: backpropagation against ``autograd`` and central finite
  differences, layer by layer (Table III).
- :mod:`ffnn.verify.torch_parity`: training against an equal ``torch.nn`` model from the same
  initial weights and mini-batches (Fig. 15).
- :mod:`ffnn.verify.study_reference`: the study's published Tables II and III
  (:mod:`ffnn.study_numbers`) beside ours.

Importing this package alone loads none of the reference libraries; each module loads its own.
"""

from __future__ import annotations

from collections.abc import Sequence


def layers_label(hidden_layers: Sequence[int], n_outputs: int = 1) -> str:
    """The study's architecture notation, input width omitted: ``layers_label([50, 50])`` is ``"[50-50-1]"``."""
    return "[" + "-".join(str(width) for width in [*hidden_layers, n_outputs]) + "]"


def network_label(hidden_layers: Sequence[int], activation: str) -> str:
    """A regression network's name in the tables: ``network_label([50, 50], "sigmoid")`` is ``"[50-50-1] sigmoid"``."""
    return f"{layers_label(hidden_layers)} {activation}"
