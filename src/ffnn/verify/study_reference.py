"""The study's published Tables II and III placed beside our verification tables.

The published numbers come from the configuration (``verify.study_reference``) and are only
copied into columns named ``study_*``; nothing is computed from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from . import network_label

#: The setting of our Table II that is the study's: each library its own initial weights.
STUDY_SETTING = "independent"

#: Our gradient table has a row per layer for W and one for b; the study gives one number per
#: layer without saying which, so it goes on the weight row (see workflow/report/verify_gradients_autograd.rst).
STUDY_PARAM = "W"


def with_study_parity(differences: pd.DataFrame, table2: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """Our Table II with the study's published differences beside it.

    Parameters
    ----------
    differences : DataFrame
        The differences table of :func:`ffnn.verify.sklearn_parity.parity_tables`: one row per
        ``setting`` and ``architecture``.
    table2 : mapping
        Architecture name (e.g. ``"Arch 1"``) -> ``{"l2_norm": float, "mad": float}``, as published.

    Returns
    -------
    DataFrame
        ``differences``, rows in their order, with ``study_l2_norm`` and ``study_mad``: filled on
        the rows of the study's setting (:data:`STUDY_SETTING`) whose architecture it names, NaN
        elsewhere.
    """
    reference = pd.DataFrame(
        [
            {"setting": STUDY_SETTING, "architecture": name, "study_l2_norm": row["l2_norm"], "study_mad": row["mad"]}
            for name, row in table2.items()
        ],
        columns=["setting", "architecture", "study_l2_norm", "study_mad"],
    )
    reference = reference.astype({"study_l2_norm": float, "study_mad": float})
    return differences.merge(reference, how="left", on=["setting", "architecture"])


def with_study_gradients(gradients: pd.DataFrame, table3: Sequence[Mapping]) -> pd.DataFrame:
    """Our Table III with the study's published per-layer differences from Autograd beside it.

    Parameters
    ----------
    gradients : DataFrame
        The table of :func:`ffnn.verify.gradients.gradient_table`: one row per ``network``,
        ``initializer``, ``layer`` and ``param``.
    table3 : sequence of mapping
        One per published network: ``hidden_layers``, ``activation``, ``initializer`` and
        ``l2_diff``, the published L2 norm of backpropagation's gradient minus Autograd's for
        each weight layer 0, 1, ... (one entry per layer, ``len(hidden_layers) + 1`` in all).

    Returns
    -------
    DataFrame
        ``gradients``, rows in their order, with ``study_l2_diff``: filled on the
        :data:`STUDY_PARAM` rows of the networks and initialisers the study reports, NaN elsewhere.

    Raises
    ------
    ValueError
        If an entry has a number of layers its network does not have, or a network and
        initialiser appear twice.
    """
    rows, seen = [], set()
    for entry in table3:
        network = network_label(entry["hidden_layers"], entry["activation"])
        key = (network, entry["initializer"])
        n_layers = len(entry["hidden_layers"]) + 1
        if len(entry["l2_diff"]) != n_layers:
            raise ValueError(
                f"verify.study_reference.table3: {network} has {n_layers} weight layers, "
                f"but its l2_diff lists {len(entry['l2_diff'])} values"
            )
        if key in seen:
            raise ValueError(f"verify.study_reference.table3 lists {network} with initializer {key[1]!r} twice")
        seen.add(key)
        rows += [
            {"network": network, "initializer": entry["initializer"], "layer": layer, "param": STUDY_PARAM,
             "study_l2_diff": value}
            for layer, value in enumerate(entry["l2_diff"])
        ]
    reference = pd.DataFrame(rows, columns=["network", "initializer", "layer", "param", "study_l2_diff"])
    reference = reference.astype({"layer": gradients["layer"].dtype, "study_l2_diff": float})
    return gradients.merge(reference, how="left", on=["network", "initializer", "layer", "param"])
