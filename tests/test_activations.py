"""Activations (Eqs. 18-22, softmax Eq. 14) against closed forms and finite differences."""

import numpy as np
import pytest

from ffnn.activations import Activation, LeakyReLU, get_activation

# Points kept away from the kink of relu/leaky_relu at 0, where finite differences straddle it.
Z = np.array([[-3.0, -1.2, -0.4, -0.05], [0.05, 0.3, 1.1, 4.0]])
H = 1e-6


def elementwise_difference(act: Activation, z: np.ndarray) -> np.ndarray:
    return (act.forward(z + H) - act.forward(z - H)) / (2 * H)


ELEMENTWISE = [
    ("sigmoid", {}),
    ("relu", {}),
    ("leaky_relu", {"alpha": 0.01}),
    ("leaky_relu", {"alpha": 0.05}),
    ("tanh", {}),
    ("linear", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), ELEMENTWISE)
def test_derivative_matches_central_differences(name, kwargs):
    act = get_activation(name, **kwargs)
    np.testing.assert_allclose(act.derivative(Z), elementwise_difference(act, Z), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(("name", "kwargs"), ELEMENTWISE)
def test_backward_is_chain_rule(name, kwargs, rng):
    act = get_activation(name, **kwargs)
    grad_a = rng.standard_normal(Z.shape)
    np.testing.assert_allclose(act.backward(Z, grad_a), grad_a * act.derivative(Z), rtol=1e-15, atol=0)


@pytest.mark.parametrize(("name", "kwargs"), ELEMENTWISE + [("softmax", {})])
def test_shape_and_dtype_preserved(name, kwargs, rng):
    act = get_activation(name, **kwargs)
    z = rng.standard_normal((5, 3)).astype(np.float32)
    grad_a = rng.standard_normal((5, 3)).astype(np.float32)
    for out in (act.forward(z), act.backward(z, grad_a)):
        assert out.shape == z.shape
        assert out.dtype == np.float32


def test_sigmoid_known_values():
    sigmoid = get_activation("sigmoid")
    z = np.array([[0.0, 1.0, -1.0, np.log(3.0)]])
    expected = np.array([[0.5, 1 / (1 + np.exp(-1.0)), 1 / (1 + np.e), 0.75]])
    np.testing.assert_allclose(sigmoid.forward(z), expected, rtol=1e-15)
    np.testing.assert_allclose(sigmoid.derivative(np.zeros((1, 1))), [[0.25]], rtol=1e-15)


def test_sigmoid_symmetry(rng):
    sigmoid = get_activation("sigmoid")
    z = 10 * rng.standard_normal((4, 6))
    np.testing.assert_allclose(sigmoid.forward(z) + sigmoid.forward(-z), 1.0, rtol=1e-15)


def test_sigmoid_stable_at_extremes():
    sigmoid = get_activation("sigmoid")
    z = np.array([[-1000.0, -50.0, 50.0, 1000.0]])
    # Underflow of exp(-1000) to 0 is the correct answer, not an error; overflow and NaN are.
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = sigmoid.forward(z)
        derivative = sigmoid.derivative(z)
    assert out[0, 0] == 0.0 and out[0, -1] == 1.0
    np.testing.assert_allclose(out[0, 1:3], [np.exp(-50.0), 1.0], rtol=1e-15)
    assert np.all(np.isfinite(derivative)) and np.all(derivative >= 0)
    assert derivative[0, 0] == 0.0 and derivative[0, -1] == 0.0


def test_relu_known_values_and_zero_convention():
    relu = get_activation("relu")
    z = np.array([[-2.0, 0.0, 3.5]])
    np.testing.assert_array_equal(relu.forward(z), [[0.0, 0.0, 3.5]])
    np.testing.assert_array_equal(relu.derivative(z), [[0.0, 0.0, 1.0]])  # documented: f'(0) = 0
    np.testing.assert_array_equal(relu.backward(z, np.full_like(z, 7.0)), [[0.0, 0.0, 7.0]])


@pytest.mark.parametrize("alpha", [0.01, 0.05])
def test_leaky_relu_known_values(alpha):
    leaky = get_activation("leaky_relu", alpha=alpha)
    z = np.array([[-2.0, 0.0, 3.5]])
    np.testing.assert_allclose(leaky.forward(z), [[-2.0 * alpha, 0.0, 3.5]], rtol=1e-15)
    np.testing.assert_allclose(leaky.derivative(z), [[alpha, 1.0, 1.0]], rtol=1e-15)


def test_leaky_relu_default_slope_is_the_studys():
    assert get_activation("leaky_relu").alpha == 0.01  # Eq. 22


def test_tanh_and_linear_known_values():
    z = np.array([[-1.0, 0.0, 2.0]])
    np.testing.assert_allclose(get_activation("tanh").forward(z), np.tanh(z), rtol=1e-15)
    np.testing.assert_allclose(get_activation("tanh").derivative(np.zeros((1, 1))), [[1.0]])
    np.testing.assert_array_equal(get_activation("linear").forward(z), z)
    np.testing.assert_array_equal(get_activation("linear").derivative(z), np.ones_like(z))


def test_softmax_forward_rows_are_probabilities(rng):
    softmax = get_activation("softmax")
    z = rng.standard_normal((6, 4))
    p = softmax.forward(z)
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(p, expected, rtol=1e-14)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)


def test_softmax_stable_on_huge_logits():
    softmax = get_activation("softmax")
    z = np.array([[1e4, 0.0, -1e4], [1000.0, 1000.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = softmax.forward(z)
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-15, atol=0)


def test_softmax_backward_is_jacobian_transpose_product(rng, numerical_gradient):
    softmax = get_activation("softmax")
    n, k = 3, 4
    z = rng.standard_normal((n, k))
    grad_a = rng.standard_normal((n, k))
    # Full Jacobian d softmax(z)_flat / d z_flat by central differences, one column per input entry.
    jacobian = np.empty((n * k, n * k))
    for row in range(n * k):
        jacobian[row] = numerical_gradient(lambda row=row: softmax.forward(z).reshape(-1)[row], z).reshape(-1)
    expected = (jacobian.T @ grad_a.reshape(-1)).reshape(n, k)
    np.testing.assert_allclose(softmax.backward(z, grad_a), expected, rtol=1e-7, atol=1e-9)
    # Rows do not interact: the Jacobian is block diagonal.
    blocks = jacobian.reshape(n, k, n, k)
    for i in range(n):
        for j in range(n):
            if i != j:
                np.testing.assert_allclose(blocks[i, :, j, :], 0.0, atol=1e-12)


def test_softmax_has_no_elementwise_derivative():
    with pytest.raises(NotImplementedError, match="backward"):
        get_activation("softmax").derivative(np.zeros((1, 2)))


def test_get_activation_passes_instances_through():
    leaky = LeakyReLU(alpha=0.2)
    assert get_activation(leaky) is leaky


@pytest.mark.parametrize("spec", ["swish", "", "Sigmoid", None, 3])
def test_get_activation_unknown_name(spec):
    with pytest.raises(ValueError, match="unknown activation"):
        get_activation(spec)


def test_get_activation_rejects_unexpected_keyword():
    with pytest.raises(TypeError):
        get_activation("sigmoid", alpha=0.1)


@pytest.mark.parametrize("alpha", [-0.1, float("nan")])
def test_leaky_relu_rejects_bad_slope(alpha):
    with pytest.raises(ValueError, match="alpha"):
        get_activation("leaky_relu", alpha=alpha)
