"""The study's published Tables II and III placed beside our verification tables.

The published numbers come from ``report/study_numbers.csv`` (:mod:`ffnn.study_numbers`) and are
only copied into columns named ``study_*``; nothing is computed from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

#: The setting of our Table II that is the study's: each library its own initial weights.
STUDY_SETTING = "independent"

#: Our gradient table has a row per layer for W and one for b; the study gives one number per
#: layer without saying which, so it goes on the weight row (see workflow/report/verify_gradients_autograd.rst).
STUDY_PARAM = "W"

#: The study's Table III is at its N(0, 0.01) initial weights, our ``normal`` initializer.
STUDY_INITIALIZER = "normal"


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


def with_study_gradients(gradients: pd.DataFrame, table3: Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """Our Table III with the study's published per-layer differences from Autograd beside it.

    Parameters
    ----------
    gradients : DataFrame
        The table of :func:`ffnn.verify.gradients.gradient_table`: one row per ``network``,
        ``initializer``, ``layer`` and ``param``.
    table3 : mapping
        Network name (e.g. ``"[50-50-1] sigmoid"``) -> the published L2 norm of backpropagation's
        gradient minus Autograd's for each weight layer 0, 1, ...
        (:func:`ffnn.study_numbers.table3_reference`).

    Returns
    -------
    DataFrame
        ``gradients``, rows in their order, with ``study_l2_diff``: filled on the
        :data:`STUDY_PARAM` rows of the networks the study reports at its initialisation
        (:data:`STUDY_INITIALIZER`), NaN elsewhere.
    """
    reference = pd.DataFrame(
        [
            {
                "network": network,
                "initializer": STUDY_INITIALIZER,
                "layer": layer,
                "param": STUDY_PARAM,
                "study_l2_diff": value,
            }
            for network, l2_diff in table3.items()
            for layer, value in enumerate(l2_diff)
        ],
        columns=["network", "initializer", "layer", "param", "study_l2_diff"],
    )
    reference = reference.astype({"layer": gradients["layer"].dtype, "study_l2_diff": float})
    return gradients.merge(reference, how="left", on=["network", "initializer", "layer", "param"])
