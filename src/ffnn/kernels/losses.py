"""Softmax cross-entropy on logits: value and gradient in one pass over each row."""

from __future__ import annotations

import numpy as np

from .compile import kernel


@kernel
def softmax_cross_entropy(logits, labels, grad):
    """Mean softmax cross-entropy of ``logits`` ``(n, K)`` with integer ``labels`` ``(n,)``.

    Writes the gradient with respect to the logits, ``(softmax(logits) - onehot(labels)) / n``,
    into ``grad`` ``(n, K)`` and returns the loss as a float64 (accumulated in float64).
    Raises ValueError for a label outside ``[0, K)``.
    """
    n, n_classes = logits.shape
    one = grad.dtype.type(1)
    n_samples = grad.dtype.type(n)
    total = 0.0
    for i in range(n):
        label = labels[i]
        if label < 0 or label >= n_classes:
            raise ValueError("softmax cross-entropy: a label is outside [0, n_classes)")
        top = logits[i, 0]
        for j in range(1, n_classes):
            top = max(top, logits[i, j])
        sum_exp = logits.dtype.type(0)
        for j in range(n_classes):
            sum_exp += np.exp(logits[i, j] - top)
        log_sum = np.log(sum_exp)
        for j in range(n_classes):
            probability = np.exp((logits[i, j] - top) - log_sum)
            if j == label:
                probability -= one
            grad[i, j] = probability / n_samples
        total += log_sum - (logits[i, label] - top)
    return total / n
