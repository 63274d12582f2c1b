"""The fused Numba kernels against the NumPy reference they replace, on random shapes.

float64 must agree to rounding (relative 1e-12); float32 to a few units in the last place,
stated as relative 1e-5. Each comparison also allows an absolute error of the same relative
size times the largest magnitude, since sums over a column can cancel to near zero.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest

from ffnn import kernels
from ffnn.activations import get_activation
from ffnn.kernels.activations import KERNELS
from ffnn.kernels.pooling import max_pool_backward, max_pool_forward
from ffnn.layers import MaxPool2D
from ffnn.losses import get_loss
from ffnn.network import Network
from ffnn.optimizers import OPTIMIZERS, get_optimizer
from ffnn.regularizers import get_regularizer
from ffnn.training import run_epoch

TOLERANCE = {np.float64: 1e-12, np.float32: 1e-5}
DTYPES = pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])


def assert_matches_reference(actual, expected, dtype):
    tol = TOLERANCE[dtype]
    assert actual.dtype == expected.dtype == dtype
    scale = float(np.max(np.abs(expected), initial=0.0))
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * scale)


def random_shape(rng):
    return tuple(int(n) for n in rng.integers(1, 60, size=2))


def twice(fn):
    """``fn()`` with the fused kernels, then inside ``numpy_reference()``."""
    fused = fn()
    with kernels.numpy_reference():
        reference = fn()
    return fused, reference


def test_numpy_reference_switches_off_and_restores():
    assert kernels.fused_enabled()
    with pytest.raises(RuntimeError), kernels.numpy_reference():
        assert not kernels.fused_enabled()
        raise RuntimeError
    assert kernels.fused_enabled()


# ----------------------------------------------------------------------------- optimisers


@DTYPES
@pytest.mark.parametrize("penalty", [None, "l2", "l1"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_fused_optimizer_steps_match_reference(name, penalty, dtype, rng):
    params0 = [rng.standard_normal(random_shape(rng)).astype(dtype), rng.standard_normal(7).astype(dtype)]
    penalties = [get_regularizer(penalty, 0.05), None]
    grad_steps = [[rng.standard_normal(p.shape).astype(dtype) for p in params0] for _ in range(5)]

    def trajectory():
        optimizer, params = get_optimizer(name, 0.01), [p.copy() for p in params0]
        for grads in grad_steps:
            optimizer.step(params, grads, penalties)
        return params

    for fused, reference in zip(*twice(trajectory), strict=True):
        assert_matches_reference(fused, reference, dtype)


def test_penalty_in_step_equals_penalty_in_gradient(rng):
    W, grad = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    l2 = get_regularizer("l2", 0.1)
    folded, added = W.copy(), W.copy()
    get_optimizer("adam", 0.01).step([folded], [grad], [l2])
    get_optimizer("adam", 0.01).step([added], [grad + l2.gradient(W)])
    np.testing.assert_allclose(folded, added, rtol=1e-14)


def test_non_contiguous_parameter_is_updated_in_place_by_the_reference(rng):
    W = np.asfortranarray(rng.standard_normal((4, 3)))
    expected = W - 0.1 * np.ones((4, 3))
    get_optimizer("sgd", 0.1).step([W], [np.ones((4, 3))])
    np.testing.assert_allclose(W, expected, rtol=1e-15)


def test_penalty_list_of_the_wrong_length_raises():
    with pytest.raises(ValueError, match="2 parameters, 2 gradients and 1 penalties"):
        get_optimizer("sgd", 0.1).step([np.zeros(2), np.zeros(1)], [np.zeros(2), np.zeros(1)], [None])


def test_gradient_of_the_wrong_shape_raises():
    with pytest.raises(ValueError, match=r"gradient 0 has shape \(3,\), its parameter \(2,\)"):
        get_optimizer("adam", 0.1).step([np.zeros(2)], [np.zeros(3)])


# ----------------------------------------------------------------------------- activations


@DTYPES
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_fused_layer_forward_and_backward_match_reference(name, dtype, rng):
    activation = get_activation(name)
    shape = random_shape(rng)
    z0 = (5 * rng.standard_normal(shape)).astype(dtype)
    z0[0, 0] = 0.0  # the derivative's convention at 0
    b = rng.standard_normal(shape[1]).astype(dtype)
    b[0] = 0.0
    grad_a = rng.standard_normal(shape).astype(dtype)

    def layer():
        z, bias_grad = z0.copy(), np.empty_like(b)
        a = activation.forward_with_bias(z, b)
        delta = activation.backward_with_bias_gradient(z, grad_a, bias_grad)
        return z, a, delta, bias_grad

    (z, *fused), (z_ref, *reference) = twice(layer)
    np.testing.assert_array_equal(z, z_ref)  # z + b, kept for backprop
    for actual, expected in zip(fused, reference, strict=True):
        assert_matches_reference(actual, expected, dtype)


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_fused_activations_keep_nan(name):
    z = np.array([[np.nan, 1.0]])
    a = get_activation(name).forward_with_bias(z, np.zeros(2))
    delta = get_activation(name).backward_with_bias_gradient(z, np.array([[np.nan, 1.0]]), np.empty(2))
    assert np.isnan(a[0, 0]) and np.isnan(delta[0, 0])


# ----------------------------------------------------------------------------- loss


@DTYPES
def test_fused_softmax_cross_entropy_matches_reference(dtype, rng):
    n_samples, n_classes = (int(n) for n in rng.integers(2, 40, size=2))
    logits = (10 * rng.standard_normal((n_samples, n_classes))).astype(dtype)
    labels = rng.integers(0, n_classes, size=n_samples).astype(np.uint8)
    (value, grad), (value_ref, grad_ref) = twice(lambda: get_loss("softmax_ce").value_and_gradient(logits, labels))
    assert value == pytest.approx(value_ref, rel=TOLERANCE[dtype])
    assert_matches_reference(grad, grad_ref, dtype)


def test_fused_softmax_cross_entropy_rejects_a_label_out_of_range():
    with pytest.raises(ValueError, match="label is outside"):
        get_loss("softmax_ce").value_and_gradient(np.zeros((2, 3)), np.array([0, 3]))


# ----------------------------------------------------------------------------- whole network


@DTYPES
@pytest.mark.parametrize("hidden", ["relu", "sigmoid"])
def test_training_epochs_match_reference(hidden, dtype, rng):
    X = rng.standard_normal((300, 12)).astype(dtype)
    y = rng.integers(0, 4, size=300)

    def fit():
        network = Network([12, 16, 8, 4], hidden, rng=np.random.default_rng(1), dtype=dtype)
        optimizer, loss, penalty = get_optimizer("adam", 1e-2), get_loss("softmax_ce"), get_regularizer("l2", 1e-3)
        for seed in range(3):
            assert run_epoch(network, X, y, loss, optimizer, np.random.default_rng(seed), 32, penalty)
        return network.params

    for fused, reference in zip(*twice(fit), strict=True):
        # 30 steps of Adam can amplify rounding differences a little: ten times the tolerance.
        np.testing.assert_allclose(fused, reference, rtol=10 * TOLERANCE[dtype], atol=10 * TOLERANCE[dtype])


@DTYPES
@pytest.mark.parametrize(
    ("pool_size", "stride"), [(2, None), (3, None), (2, 1), (3, 2)], ids=["2", "3", "2-overlap", "3-overlap"]
)
def test_fused_max_pooling_equals_reference_exactly(pool_size, stride, dtype, rng):
    # Small integers make ties, where the first largest entry of a window must win in both.
    x = rng.integers(-2, 3, size=(3, 4, 11, 9)).astype(dtype)
    grad = rng.standard_normal(MaxPool2D(pool_size, stride).output_shape(x.shape[1:])).astype(dtype)

    def both_passes():
        pool = MaxPool2D(pool_size, stride)
        out = pool.forward(x, training=True)
        return out, pool.backward(np.broadcast_to(grad, out.shape), [])

    (out, grad_x), (ref_out, ref_grad_x) = twice(both_passes)
    np.testing.assert_array_equal(out, ref_out)
    np.testing.assert_array_equal(grad_x, ref_grad_x)


def test_fused_max_pooling_keeps_nan_and_sends_it_no_gradient():
    x = np.array([[[[1.0, np.nan], [0.0, 2.0]], [[5.0, 4.0], [3.0, 2.0]]]])  # (1, 2, 2, 2): a NaN in channel 0
    (out, grad_x), (ref_out, ref_grad_x) = twice(lambda: _pool_both_ways(x))
    np.testing.assert_array_equal(out, ref_out)
    assert np.isnan(out[0, 0, 0, 0]) and out[0, 1, 0, 0] == 5.0
    np.testing.assert_array_equal(grad_x, ref_grad_x)
    assert grad_x[0, 0].sum() == 0 and grad_x[0, 1, 0, 0] == 1.0


def _pool_both_ways(x):
    pool = MaxPool2D(2)
    out = pool.forward(x, training=True)
    return out, pool.backward(np.ones_like(out), [])


@pytest.mark.parametrize(("pool_size", "stride"), [(2, 2), (3, 1)], ids=["disjoint", "overlapping"])
def test_pooling_backward_overwrites_what_its_output_held(pool_size, stride, rng):
    image = rng.standard_normal((2, 7, 7, 3))
    pool = MaxPool2D(pool_size, stride)
    out = np.empty((2, *pool.output_shape((3, 7, 7))[1:], 3))
    first_max = np.empty(out.shape, dtype=np.int32)
    max_pool_forward(image, pool_size, stride, out, first_max)
    grad_out = rng.standard_normal(out.shape)
    fresh, stale = np.zeros(image.shape), np.full(image.shape, np.nan)
    for grad_image in (fresh, stale):
        max_pool_backward(grad_out, first_max, pool_size, stride, grad_image)
    np.testing.assert_array_equal(stale, fresh)


def test_pooling_gives_the_same_numbers_on_one_thread_and_on_all(rng):
    x = rng.standard_normal((16, 8, 12, 12)).astype(np.float32)
    grad = rng.standard_normal((16, 8, 6, 6)).astype(np.float32)

    def both_passes():
        pool = MaxPool2D(2)
        return pool.forward(x, training=True), pool.backward(grad, [])

    with kernels.threads(1):
        one = both_passes()
    every = both_passes()
    for ours, reference in zip(every, one, strict=True):
        np.testing.assert_array_equal(ours, reference)


def test_threads_sets_the_kernels_thread_count_and_restores_it():
    before = numba.get_num_threads()
    with kernels.threads(1):
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == before
    with kernels.threads(10_000):  # more than the machine has: all of them
        assert numba.get_num_threads() == numba.config.NUMBA_NUM_THREADS
    assert numba.get_num_threads() == before
    with pytest.raises(ValueError, match="threads must be >= 1, got 0"), kernels.threads(0):
        pass
