"""Forward pass and backpropagation (Eqs. 8-9, 16-17) against autograd and finite differences."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from ffnn.network import Network
from ffnn.regularizers import get_regularizer

# ----------------------------------------------------------------------------- an independent reference

ANP_ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + anp.exp(-z)),
    "relu": lambda z: anp.maximum(z, 0.0),
    "leaky_relu": lambda z: anp.where(z >= 0, z, 0.01 * z),
    "tanh": anp.tanh,
    "linear": lambda z: z,
    "softmax": lambda z: (
        anp.exp(z - anp.max(z, axis=1, keepdims=True))
        / anp.sum(anp.exp(z - anp.max(z, axis=1, keepdims=True)), axis=1, keepdims=True)
    ),
}


def anp_loss(name, output, y):
    n = output.shape[0]
    if name == "mse":
        return anp.sum((output - y) ** 2) / (2 * n)
    if name == "bce":
        return anp.sum(anp.logaddexp(0.0, output) - y * output) / n
    # softmax_ce from integer labels
    log_p = output - anp.log(anp.sum(anp.exp(output), axis=1, keepdims=True))
    return -anp.sum(log_p * np.eye(output.shape[1])[y]) / n


def reference_objective(net, X, y, loss, penalty, lam):
    """The penalised loss written from Eqs. 8-11 in autograd.numpy, a function of [W0, b0, W1, b1, ...]."""
    hidden = ANP_ACTIVATIONS[net.hidden_activation.name]
    out_act = ANP_ACTIVATIONS[net.output_activation.name]

    def objective(params):
        weights, biases = params[0::2], params[1::2]
        a = X
        for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
            z = anp.dot(a, W) + b
            a = out_act(z) if layer == len(weights) - 1 else hidden(z)
        value = anp_loss(loss, a, y)
        if penalty == "l2":
            value = value + lam * sum(anp.sum(W**2) for W in weights)
        elif penalty == "l1":
            value = value + lam * sum(anp.sum(anp.abs(W)) for W in weights)
        return value

    return objective


def relative_error(actual, expected):
    return np.linalg.norm(actual - expected) / np.linalg.norm(expected)


def runge_data(rng, n=100):
    x = rng.uniform(-1, 1, (n, 1))
    return x, 1 / (1 + 25 * x**2)


# (layer sizes, hidden activation, output activation, loss, initializer)
CASES = {
    # The study's Table III architectures on Runge regression with its N(0, 0.01) initialisation.
    "table3_50_50_1_sigmoid": ([1, 50, 50, 1], "sigmoid", "linear", "mse", "normal"),
    "table3_20_20_20_1_relu": ([1, 20, 20, 20, 1], "relu", "linear", "mse", "normal"),
    # Larger initial weights so every layer carries a gradient of order one.
    "relu_he": ([1, 20, 20, 20, 1], "relu", "linear", "mse", "he"),
    "leaky_relu_he": ([3, 16, 16, 2], "leaky_relu", "linear", "mse", "he"),
    "tanh_xavier": ([3, 12, 2], "tanh", "linear", "mse", "xavier"),
    "softmax_ce_classifier": ([6, 16, 16, 4], "relu", "linear", "softmax_ce", "he"),
    "bce_classifier": ([4, 10, 1], "sigmoid", "linear", "bce", "xavier"),
    # Softmax as an output layer exercises Softmax.backward inside the network.
    "softmax_output_mse": ([4, 10, 3], "tanh", "softmax", "mse", "xavier"),
}


def make_problem(case, rng):
    sizes, hidden, output, loss, init = CASES[case]
    net = Network(sizes, hidden_activation=hidden, output_activation=output, initializer=init, rng=rng)
    n = 100 if sizes[0] == 1 else 40
    if sizes[0] == 1:
        X, y = runge_data(rng, n)
    else:
        X = rng.standard_normal((n, sizes[0]))
        if loss == "softmax_ce":
            y = rng.integers(0, sizes[-1], n)
        elif loss == "bce":
            y = rng.integers(0, 2, (n, sizes[-1])).astype(float)
        else:
            y = rng.standard_normal((n, sizes[-1]))
    return net, X, y, loss


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize(("penalty", "lam"), [(None, 0.0), ("l2", 1e-3), ("l1", 1e-3)])
def test_gradients_match_autograd(case, penalty, lam, rng):
    net, X, y, loss = make_problem(case, rng)
    regularizer = get_regularizer(penalty, lam)
    value, grads = net.loss_and_gradients(X, y, loss, regularizer)

    objective = reference_objective(net, X, y, loss, penalty, lam)
    params = [p.copy() for p in net.params]
    assert value == pytest.approx(objective(params), rel=1e-12)
    expected = grad(objective)(params)
    for layer, (actual, reference) in enumerate(zip(grads, expected, strict=True)):
        assert actual.shape == reference.shape
        assert relative_error(actual, reference) < 1e-12, f"parameter {layer}"


@pytest.mark.parametrize("case", ["leaky_relu_he", "tanh_xavier", "softmax_ce_classifier", "softmax_output_mse"])
@pytest.mark.parametrize("penalty", [None, "l2", "l1"])
def test_gradients_match_central_differences(case, penalty, rng, numerical_gradient):
    net, X, y, loss = make_problem(case, rng)
    regularizer = get_regularizer(penalty, 1e-2)
    _, grads = net.loss_and_gradients(X, y, loss, regularizer)
    for layer, param in enumerate(net.params):
        expected = numerical_gradient(lambda: net.loss_and_gradients(X, y, loss, regularizer)[0], param, h=1e-6)
        np.testing.assert_allclose(grads[layer], expected, rtol=1e-6, atol=1e-9, err_msg=f"parameter {layer}")


def test_forward_matches_explicit_formula(rng):
    net = Network([3, 5, 2], hidden_activation="tanh", initializer="xavier", rng=rng)
    X = rng.standard_normal((7, 3))
    expected = np.tanh(X @ net.weights[0] + net.biases[0]) @ net.weights[1] + net.biases[1]
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-14)
    # One Dense layer per weight matrix, its activation fused in, sharing the network's activations.
    assert [layer.activation for layer in net.layers] == [net.hidden_activation, net.output_activation]
    assert [layer.W for layer in net.layers] == net.weights and [layer.b for layer in net.layers] == net.biases


def test_shapes_of_params_and_grads(rng):
    sizes = [4, 7, 5, 3]
    net = Network(sizes, rng=rng)
    assert [W.shape for W in net.weights] == [(4, 7), (7, 5), (5, 3)]
    assert [b.shape for b in net.biases] == [(7,), (5,), (3,)]
    assert [p.shape for p in net.params] == [(4, 7), (7,), (7, 5), (5,), (5, 3), (3,)]
    assert net.n_layers == 3
    assert net.n_params == 4 * 7 + 7 + 7 * 5 + 5 + 5 * 3 + 3
    X = rng.standard_normal((11, 4))
    assert net.forward(X).shape == (11, 3)
    _, grads = net.loss_and_gradients(X, rng.standard_normal((11, 3)), "mse")
    assert [g.shape for g in grads] == [p.shape for p in net.params]


def test_params_are_the_live_arrays(rng):
    net = Network([2, 3, 1], rng=rng)
    net.params[0][0, 0] = 42.0
    net.params[-1][:] = -1.0
    assert net.weights[0][0, 0] == 42.0
    np.testing.assert_array_equal(net.biases[-1], [-1.0])


def test_study_initialisation(rng):
    net = Network([200, 300, 1], rng=rng)
    assert all(np.all(b == 0) for b in net.biases)
    W = net.weights[0]
    assert abs(W.mean()) < 1e-3
    assert W.std() == pytest.approx(0.01, rel=0.02)


def test_same_seed_same_weights():
    nets = [Network([3, 8, 2], rng=np.random.default_rng(6114)) for _ in range(2)]
    for a, b in zip(nets[0].params, nets[1].params, strict=True):
        np.testing.assert_array_equal(a, b)
    other = Network([3, 8, 2], rng=np.random.default_rng(6115))
    assert not np.array_equal(nets[0].weights[0], other.weights[0])


def test_leaky_slope_reaches_hidden_activation(rng):
    net = Network([2, 3, 1], hidden_activation="leaky_relu", leaky_slope=0.05, rng=rng)
    assert net.hidden_activation.alpha == 0.05


def test_penalty_leaves_biases_alone(rng):
    net, X, y, loss = make_problem("tanh_xavier", rng)
    for b in net.biases:
        b[:] = rng.standard_normal(b.shape)
    plain_value, plain = net.loss_and_gradients(X, y, loss)
    l2_value, penalised = net.loss_and_gradients(X, y, loss, get_regularizer("l2", 0.5))
    assert l2_value == pytest.approx(plain_value + 0.5 * sum(np.sum(W**2) for W in net.weights), rel=1e-14)
    for layer, W in enumerate(net.weights):
        np.testing.assert_allclose(penalised[2 * layer], plain[2 * layer] + W, rtol=1e-13)  # 2 * 0.5 * W
        np.testing.assert_array_equal(penalised[2 * layer + 1], plain[2 * layer + 1])


@pytest.mark.parametrize("case", ["table3_50_50_1_sigmoid", "softmax_ce_classifier"])
def test_float32_network(case, rng):
    net64, X, y, loss = make_problem(case, rng)
    sizes, hidden, output, _, init = CASES[case]
    net32 = Network(
        sizes, hidden_activation=hidden, output_activation=output, initializer=init, rng=rng, dtype="float32"
    )
    for p32, p64 in zip(net32.params, net64.params, strict=True):
        assert p32.dtype == np.float32
        p32[...] = p64
    out32 = net32.forward(X)  # float64 inputs are cast to the network's dtype
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, net64.forward(X), rtol=1e-4, atol=1e-6)
    value, grads32 = net32.loss_and_gradients(X, y, loss, get_regularizer("l2", 1e-3))
    _, grads64 = net64.loss_and_gradients(X, y, loss, get_regularizer("l2", 1e-3))
    assert np.isfinite(value)
    for g32, g64 in zip(grads32, grads64, strict=True):
        assert g32.dtype == np.float32
        assert relative_error(g32.astype(np.float64), g64) < 1e-4


@pytest.mark.parametrize("sizes", [[], [3], [3, 0, 1], [3, 4, -2], [0, 1]])
def test_bad_layer_sizes_raise(sizes, rng):
    with pytest.raises(ValueError, match="layer_sizes"):
        Network(sizes, rng=rng)


def test_fractional_layer_size_raises(rng):
    with pytest.raises(ValueError, match="layer_sizes"):
        Network([3, 2.5, 1], rng=rng)


def test_missing_rng_raises():
    with pytest.raises(ValueError, match="rng"):
        Network([2, 3, 1])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"hidden_activation": "swish"}, "unknown activation"),
        ({"output_activation": "gelu"}, "unknown activation"),
        ({"initializer": "orthogonal"}, "unknown initializer"),
    ],
)
def test_bad_components_raise(kwargs, match, rng):
    with pytest.raises(ValueError, match=match):
        Network([2, 3, 1], rng=rng, **kwargs)
