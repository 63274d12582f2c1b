"""The fast training path: gradients into preallocated buffers, penalty value optional, and
activations whose mask-free formulas give exactly the numbers of the plain np.where forms."""

from __future__ import annotations

import numpy as np
import pytest

from ffnn.activations import get_activation
from ffnn.losses import get_loss
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.regularizers import get_regularizer
from ffnn.training import run_epoch


@pytest.fixture
def network(rng):
    return Network([6, 5, 4, 3], hidden_activation="relu", rng=rng)


@pytest.fixture
def batch(rng):
    return rng.normal(size=(8, 6)), rng.integers(0, 3, size=8)


def test_gradients_into_buffers_equal_fresh_ones(network, batch):
    X, y = batch
    penalty = get_regularizer("l2", 1e-2)
    value, fresh = network.loss_and_gradients(X, y, "softmax_ce", penalty)
    buffers = network.gradient_buffers()
    assert [b.shape for b in buffers] == [p.shape for p in network.params]
    value_out, into = network.loss_and_gradients(X, y, "softmax_ce", penalty, out=buffers)
    assert into is buffers and value_out == value
    for a, b in zip(fresh, into, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-16)


def test_run_epoch_matches_a_plain_loop_of_fresh_gradients(rng):
    X, y = rng.normal(size=(40, 6)), rng.integers(0, 3, size=40)
    nets = [Network([6, 5, 3], hidden_activation="relu", rng=np.random.default_rng(1)) for _ in range(2)]
    loss, penalty = get_loss("softmax_ce"), get_regularizer("l2", 1e-3)
    optimizers = [get_optimizer("adam", 1e-2) for _ in range(2)]
    run_epoch(nets[0], X, y, loss, optimizers[0], np.random.default_rng(2), 16, penalty)
    order = np.random.default_rng(2).permutation(40)
    for first in range(0, 40, 16):
        index = order[first : first + 16]
        _, grads = nets[1].loss_and_gradients(X[index], y[index], loss, penalty)
        optimizers[1].step(nets[1].params, grads)
    for a, b in zip(nets[0].params, nets[1].params, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_adam_keeps_float32_parameters_float32(rng):
    param = rng.normal(size=(4, 3)).astype(np.float32)
    optimizer = get_optimizer("adam", 1e-3, beta1=np.float64(0.9))
    optimizer.step([param], [np.ones_like(param)])
    # A NumPy float64 scalar would make every pass over float32 arrays compute in float64.
    assert param.dtype == np.float32 and type(optimizer.beta1) is float


@pytest.fixture(params=[np.float32, np.float64], ids=["float32", "float64"])
def pre_activations(request, rng):
    """Wide-ranging z with exact zeros of both signs and values whose exp() over- or underflows."""
    z = (rng.standard_normal((40, 30)) * 30).astype(request.param)
    z[0, :6] = [0.0, -0.0, 1e3, -1e3, 1e-30, -1e-30]
    return z, rng.standard_normal(z.shape).astype(request.param)


def test_sigmoid_equals_the_sign_split_formula(pre_activations):
    z, _ = pre_activations
    expected = np.empty_like(z)
    positive = z >= 0
    expected[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    expected[~positive] = exp_z / (1.0 + exp_z)
    actual = get_activation("sigmoid").forward(z)
    assert actual.dtype == z.dtype
    np.testing.assert_array_equal(actual, expected)


def test_relu_backward_equals_where(pre_activations):
    z, grad = pre_activations
    actual = get_activation("relu").backward(z, grad)
    assert actual.dtype == z.dtype
    np.testing.assert_array_equal(actual, np.where(z > 0, grad, 0))


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.05, 1.0, 2.5])
def test_leaky_relu_equals_where(alpha, pre_activations):
    z, grad = pre_activations
    leaky = get_activation("leaky_relu", alpha=alpha)
    for actual, expected in [
        (leaky.forward(z), np.where(z >= 0, z, alpha * z)),
        (leaky.derivative(z), np.where(z >= 0, 1.0, alpha).astype(z.dtype)),
        (leaky.backward(z, grad), np.where(z >= 0, grad, alpha * grad)),
    ]:
        assert actual.dtype == z.dtype
        np.testing.assert_array_equal(actual, expected)
