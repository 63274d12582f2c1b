"""Losses (Eqs. 10, 12-15) against direct formulas, finite differences and PyTorch."""

import numpy as np
import pytest
import torch

from ffnn.losses import MeanSquaredError, get_loss


@pytest.fixture
def logits(rng):
    return rng.standard_normal((7, 4))


@pytest.fixture
def labels(rng):
    return np.array([0, 3, 1, 1, 2, 0, 3])


def one_hot(labels, k):
    return np.eye(k)[labels]


# ----------------------------------------------------------------------------- MSE


def test_mse_is_half_mean_square_eq10():
    output = np.array([[1.0], [2.0], [4.0]])
    y = np.array([[0.0], [2.0], [1.0]])
    # (1 + 0 + 9) / (2 * 3)
    assert get_loss("mse")(output, y) == pytest.approx(10 / 6, rel=1e-15)
    np.testing.assert_allclose(get_loss("mse").gradient(output, y), [[1 / 3], [0.0], [1.0]], rtol=1e-15)


def test_mse_is_half_of_eq1(rng):
    output, y = rng.standard_normal((20, 1)), rng.standard_normal((20, 1))
    assert get_loss("mse")(output, y) == pytest.approx(0.5 * np.mean((output - y) ** 2), rel=1e-14)


def test_mse_accepts_flat_targets(rng):
    output, y = rng.standard_normal((9, 1)), rng.standard_normal(9)
    mse = get_loss("mse")
    assert mse(output, y) == mse(output, y[:, None])
    np.testing.assert_array_equal(mse.gradient(output, y), mse.gradient(output, y[:, None]))


def test_mse_multi_output_sums_over_outputs(rng):
    output, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    assert get_loss("mse")(output, y) == pytest.approx(np.sum((output - y) ** 2) / (2 * 5), rel=1e-14)


# ----------------------------------------------------------------------------- BCE


def test_bce_matches_eq12_on_small_logits(rng):
    z = rng.standard_normal((8, 1))
    y = rng.integers(0, 2, (8, 1)).astype(float)
    p = 1 / (1 + np.exp(-z))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert get_loss("bce")(z, y) == pytest.approx(expected, rel=1e-13)
    np.testing.assert_allclose(get_loss("bce").gradient(z, y), (p - y) / len(z), rtol=1e-13)  # Eq. 13


def test_bce_matches_torch(rng):
    z = rng.standard_normal((8, 2)) * 5
    y = rng.integers(0, 2, (8, 2)).astype(float)
    z_t = torch.tensor(z, requires_grad=True)
    # The per-sample loss sums over output columns, then averages over samples.
    reference = torch.nn.functional.binary_cross_entropy_with_logits(z_t, torch.tensor(y), reduction="sum") / len(z)
    reference.backward()
    bce = get_loss("bce")
    assert bce(z, y) == pytest.approx(reference.item(), rel=1e-13)
    np.testing.assert_allclose(bce.gradient(z, y), z_t.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_bce_stable_on_huge_logits():
    z = np.array([[1e4], [-1e4], [1e4], [-1e4]])
    y = np.array([[1.0], [0.0], [0.0], [1.0]])
    bce = get_loss("bce")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, grad = bce(z, y), bce.gradient(z, y)
    # Two confident hits cost ~0, two confident misses cost 1e4 each.
    assert value == pytest.approx(2e4 / 4, rel=1e-12)
    np.testing.assert_allclose(grad, [[0.0], [0.0], [0.25], [-0.25]], atol=1e-15)


# ----------------------------------------------------------------------------- softmax CE


def test_softmax_ce_matches_eq15(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(p[np.arange(len(labels)), labels]))
    ce = get_loss("softmax_ce")
    assert ce(logits, labels) == pytest.approx(expected, rel=1e-13)
    np.testing.assert_allclose(ce.gradient(logits, labels), (p - one_hot(labels, 4)) / len(labels), rtol=1e-13)


def test_softmax_ce_matches_torch(logits, labels):
    z_t = torch.tensor(logits * 10, requires_grad=True)
    reference = torch.nn.functional.cross_entropy(z_t, torch.tensor(labels))
    reference.backward()
    ce = get_loss("softmax_ce")
    assert ce(logits * 10, labels) == pytest.approx(reference.item(), rel=1e-13)
    np.testing.assert_allclose(ce.gradient(logits * 10, labels), z_t.grad.numpy(), rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("form", ["labels", "column", "one_hot", "one_hot_float32"])
def test_softmax_ce_label_forms_agree(logits, labels, form):
    y = {
        "labels": labels,
        "column": labels[:, None],
        "one_hot": one_hot(labels, 4),
        "one_hot_float32": one_hot(labels, 4).astype(np.float32),
    }[form]
    ce = get_loss("softmax_ce")
    assert ce(logits, y) == pytest.approx(ce(logits, labels), rel=1e-7)
    np.testing.assert_allclose(ce.gradient(logits, y), ce.gradient(logits, labels), rtol=1e-7, atol=1e-16)


def test_softmax_ce_soft_targets(logits, rng):
    # Eq. 15 holds for any target distribution, not only one-hot rows.
    y = rng.dirichlet(np.ones(4), size=len(logits))
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    ce = get_loss("softmax_ce")
    assert ce(logits, y) == pytest.approx(-np.mean(np.sum(y * log_p, axis=1)), rel=1e-13)
    np.testing.assert_allclose(ce.gradient(logits, y), (np.exp(log_p) - y) / len(y), rtol=1e-12, atol=1e-16)


def test_softmax_ce_stable_on_huge_logits():
    z = np.array([[1e4, 0.0, -1e4], [1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]])
    labels = np.array([0, 2, 1])
    ce = get_loss("softmax_ce")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value, grad = ce(z, labels), ce.gradient(z, labels)
    assert value == pytest.approx((0.0 + 2e4 + np.log(3.0)) / 3, rel=1e-12)
    expected = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, -1.0], [1 / 3, -2 / 3, 1 / 3]]) / 3
    np.testing.assert_allclose(grad, expected, atol=1e-15)


def test_softmax_ce_gradient_does_not_modify_targets(logits, labels):
    y = one_hot(labels, 4)
    kept = y.copy()
    get_loss("softmax_ce").gradient(logits, y)
    np.testing.assert_array_equal(y, kept)


# ----------------------------------------------------------------------------- all losses


def _targets(name, rng):
    if name == "mse":
        return rng.standard_normal((6, 2))
    if name == "bce":
        return rng.integers(0, 2, (6, 2)).astype(float)
    return rng.integers(0, 3, 6)


@pytest.mark.parametrize("name", ["mse", "bce", "softmax_ce"])
def test_gradient_matches_central_differences(name, rng, numerical_gradient):
    loss = get_loss(name)
    output = rng.standard_normal((6, 3 if name == "softmax_ce" else 2)) * 2
    y = _targets(name, rng)
    expected = numerical_gradient(lambda: loss(output, y), output)
    np.testing.assert_allclose(loss.gradient(output, y), expected, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("name", ["mse", "bce", "softmax_ce"])
def test_loss_value_is_python_float_and_gradient_keeps_dtype(name, rng):
    loss = get_loss(name)
    output = rng.standard_normal((6, 3 if name == "softmax_ce" else 2)).astype(np.float32)
    y = _targets(name, rng)
    assert type(loss(output, y)) is float
    grad = loss.gradient(output, y)
    assert grad.shape == output.shape
    assert grad.dtype == np.float32


def test_get_loss_passes_instances_through():
    mse = MeanSquaredError()
    assert get_loss(mse) is mse


@pytest.mark.parametrize("spec", ["cross_entropy", "MSE", None])
def test_get_loss_unknown_name(spec):
    with pytest.raises(ValueError, match="unknown loss"):
        get_loss(spec)
