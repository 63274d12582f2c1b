"""Classification scores of a fitted model on a labelled set: Table V and the confusion matrices."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from ..data.fashion_mnist import N_CLASSES


def classification_scores(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int = N_CLASSES) -> dict:
    """Accuracy, macro precision/recall/F1, per-class scores and the confusion matrix.

    Parameters
    ----------
    y_true, y_pred : int ndarray of shape (n,)
        Labels in ``0..n_classes-1``.
    n_classes : int, default 10

    Returns
    -------
    dict
        ``accuracy``, ``precision``, ``recall``, ``f1`` (floats; macro averages over classes, as
        in Table V where recall equals accuracy on the balanced test set), ``per_class`` (dict of
        lists ``precision``, ``recall``, ``f1``, ``support``, one entry per class) and
        ``confusion`` (``n_classes x n_classes`` list of lists, rows true class, columns predicted).
        A class never predicted gets precision 0.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"y_true and y_pred must be 1-D of one length, got {y_true.shape} and {y_pred.shape}")
    labels = np.arange(n_classes)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    return {
        "accuracy": float(np.mean(y_true == y_pred)),
        "precision": float(precision.mean()),
        "recall": float(recall.mean()),
        "f1": float(f1.mean()),
        "per_class": {
            "precision": precision.tolist(),
            "recall": recall.tolist(),
            "f1": f1.tolist(),
            "support": support.tolist(),
        },
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
