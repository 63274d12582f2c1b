"""Layers and Sequential: gradients against PyTorch autograd and central differences (float64)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from conftest import central_difference
from ffnn.layers import (
    ActivationLayer,
    BatchNorm,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    RandomShift,
    Reshape,
    Sequential,
)
from ffnn.layers.conv import same_padding
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.regularizers import L2
from ffnn.training import train
from ffnn.verify.torch_twin import ours_layout, torch_twin

CONV_CASES = [
    # (batch, in_channels, out_channels, height, width, kernel, stride, padding)
    (3, 2, 5, 7, 9, 3, 1, "valid"),
    (2, 3, 4, 9, 7, 3, 2, "valid"),
    (3, 1, 3, 7, 8, 3, 1, "same"),
    (2, 3, 2, 9, 6, 3, 2, "same"),
    (2, 2, 3, 8, 7, (2, 4), 2, "same"),
    (1, 4, 3, 5, 5, 5, 1, "valid"),
]
POOL_CASES = [(3, 2, 7, 9, 2, None), (2, 3, 8, 8, 2, None), (2, 2, 9, 7, 3, 2), (1, 3, 6, 5, 3, 1)]


def layer_vs_torch(layer, x: np.ndarray, rng: np.random.Generator):
    """Our layer's output, input gradient and parameter gradients, and torch autograd's, for a random
    upstream gradient."""
    network = Sequential([layer], x.shape[1:])
    model = torch_twin(network)  # before our forward pass: a dropout twin copies the generator's state
    out = layer.forward(x, training=True)
    upstream = rng.standard_normal(out.shape)
    grads = network.gradient_buffers()
    grad_x = layer.backward(upstream, grads)

    x_torch = torch.from_numpy(x).requires_grad_(True)
    out_torch = model(x_torch)
    (out_torch * torch.from_numpy(upstream)).sum().backward()
    torch_grads = [p.grad.numpy().T if p.ndim == 2 else p.grad.numpy() for p in model.parameters()]
    return (out, grad_x, grads), (out_torch.detach().numpy(), x_torch.grad.numpy(), torch_grads)


def assert_same(ours, theirs):
    (out, grad_x, grads), (out_t, grad_x_t, grads_t) = ours, theirs
    np.testing.assert_allclose(out, out_t, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad_x, grad_x_t, rtol=1e-12, atol=1e-12)
    assert len(grads) == len(grads_t)
    for ours_grad, torch_grad in zip(grads, grads_t, strict=True):
        np.testing.assert_allclose(ours_grad, torch_grad, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_matches_torch_autograd(case, rng):
    n, c_in, c_out, height, width, kernel, stride, padding = case
    layer = Conv2D(c_in, c_out, kernel, rng, stride=stride, padding=padding)
    layer.b[...] = rng.standard_normal(c_out)
    assert_same(*layer_vs_torch(layer, rng.standard_normal((n, c_in, height, width)), rng))


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("case", [CONV_CASES[0], CONV_CASES[3]])
def test_conv2d_with_fused_activation_matches_torch_autograd(case, activation, rng):
    n, c_in, c_out, height, width, kernel, stride, padding = case
    layer = Conv2D(c_in, c_out, kernel, rng, stride=stride, padding=padding, activation=activation)
    layer.b[...] = rng.standard_normal(c_out)
    assert_same(*layer_vs_torch(layer, rng.standard_normal((n, c_in, height, width)), rng))


@pytest.mark.parametrize("case", CONV_CASES[:4])
def test_conv2d_gradients_match_central_differences(case, rng):
    n, c_in, c_out, height, width, kernel, stride, padding = case
    layer = Conv2D(c_in, c_out, kernel, rng, stride=stride, padding=padding)
    x = rng.standard_normal((n, c_in, height, width))
    upstream = rng.standard_normal((n, *layer.output_shape(x.shape[1:])))
    grads = [np.empty_like(p) for p in layer.params]
    layer.forward(x, training=True)
    grad_x = layer.backward(upstream, grads)

    def objective():
        return float(np.sum(layer.forward(x) * upstream))

    for ours, array in ((grad_x, x), (grads[0], layer.W), (grads[1], layer.b)):
        np.testing.assert_allclose(ours, central_difference(objective, array), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2])
def test_conv2d_output_shape_follows_the_docstring(padding, stride, rng):
    layer = Conv2D(2, 3, 3, rng, stride=stride, padding=padding)
    for height, width in ((7, 9), (8, 6)):
        shape = layer.output_shape((2, height, width))
        assert layer.forward(rng.standard_normal((4, 2, height, width))).shape == (4, *shape)
        if padding == "same":
            assert shape[1:] == (-(-height // stride), -(-width // stride))
        else:
            assert shape[1:] == ((height - 3) // stride + 1, (width - 3) // stride + 1)


def test_same_padding_matches_torch_for_stride_one():
    for size in (5, 8):
        for kernel in (1, 2, 3, 4, 5):
            assert sum(same_padding(size, kernel, 1)) == kernel - 1


@pytest.mark.parametrize("case", POOL_CASES)
def test_maxpool_matches_torch_autograd(case, rng):
    n, channels, height, width, size, stride = case
    x = rng.standard_normal((n, channels, height, width))
    assert_same(*layer_vs_torch(MaxPool2D(size, stride), x, rng))


@pytest.mark.parametrize("case", POOL_CASES)
def test_maxpool_gradient_matches_central_differences(case, rng):
    n, channels, height, width, size, stride = case
    layer = MaxPool2D(size, stride)
    x = rng.standard_normal((n, channels, height, width))
    upstream = rng.standard_normal((n, *layer.output_shape(x.shape[1:])))
    layer.forward(x, training=True)
    grad_x = layer.backward(upstream, [])
    numeric = central_difference(lambda: float(np.sum(layer.forward(x) * upstream)), x)
    np.testing.assert_allclose(grad_x, numeric, rtol=1e-6, atol=1e-7)


def test_dense_matches_torch_and_central_differences(rng):
    layer = Dense(7, 5, rng)
    layer.b[...] = rng.standard_normal(5)
    x = rng.standard_normal((6, 7))
    assert_same(*layer_vs_torch(layer, x, rng))
    upstream = rng.standard_normal((6, 5))
    grads = [np.empty_like(p) for p in layer.params]
    layer.forward(x, training=True)
    grad_x = layer.backward(upstream, grads)
    objective = lambda: float(np.sum(layer.forward(x) * upstream))  # noqa: E731
    for ours, array in ((grad_x, x), (grads[0], layer.W), (grads[1], layer.b)):
        np.testing.assert_allclose(ours, central_difference(objective, array), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_dense_with_its_activation_fused_matches_torch_and_the_unfused_pair(name, rng):
    fused = Dense(7, 5, rng, activation=name)
    fused.b[...] = rng.standard_normal(5)
    x = rng.standard_normal((6, 7))
    assert_same(*layer_vs_torch(fused, x, rng))
    affine = Dense(7, 5, rng)
    affine.W[...], affine.b[...] = fused.W, fused.b
    pair = Sequential([affine, ActivationLayer(name)], (7,))
    upstream = rng.standard_normal((6, 5))
    np.testing.assert_allclose(fused.forward(x), pair.forward(x), rtol=1e-15, atol=1e-16)
    grads, pair_grads = [np.empty_like(p) for p in fused.params], pair.gradient_buffers()
    fused.forward(x, training=True)
    pair._forward(x, training=True)
    grad_x = fused.backward(upstream, grads)
    pair_grad_x = pair.layers[0].backward(pair.layers[1].backward(upstream, []), pair_grads)
    for ours, unfused in zip([grad_x, *grads], [pair_grad_x, *pair_grads], strict=True):
        np.testing.assert_allclose(ours, unfused, rtol=1e-13, atol=1e-16)


def test_torch_twin_refuses_an_activation_without_a_counterpart(rng):
    with pytest.raises(ValueError, match="no torch counterpart"):
        torch_twin(Network([3, 4, 2], hidden_activation="leaky_relu", rng=rng))
    with pytest.raises(ValueError, match="no torch counterpart"):
        torch_twin(Network([3, 4, 2], output_activation="softmax", rng=rng))


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_activation_layer_matches_torch(name, rng):
    x = rng.standard_normal((3, 2, 5, 4))
    assert_same(*layer_vs_torch(ActivationLayer(name), x, rng))


def test_reshape_and_flatten_match_torch(rng):
    assert_same(*layer_vs_torch(Reshape((3, 5, 7)), rng.standard_normal((4, 105)), rng))
    assert_same(*layer_vs_torch(Flatten(), rng.standard_normal((4, 3, 5, 7)), rng))


def test_dropout_masks_in_training_only_and_matches_its_torch_twin(rng):
    x = rng.standard_normal((400, 3, 5))
    layer = Dropout(0.25, np.random.default_rng(3))
    np.testing.assert_array_equal(layer.forward(x), x)  # inference: identity
    ours, theirs = layer_vs_torch(layer, x, rng)
    assert_same(ours, theirs)  # the twin draws the same mask from a copy of the generator
    out = ours[0]
    dropped = np.mean(out == 0)
    assert 0.2 < dropped < 0.3
    np.testing.assert_allclose(out[out != 0], x[out != 0] / 0.75)


def test_dropout_masks_come_from_the_generator_passed_in():
    x = np.ones((50, 20))
    first = Dropout(0.5, np.random.default_rng(1)).forward(x, training=True)
    again = Dropout(0.5, np.random.default_rng(1)).forward(x, training=True)
    other = Dropout(0.5, np.random.default_rng(2)).forward(x, training=True)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("bad", [-0.1, 1.0])
def test_dropout_rejects_rates_outside_zero_one(bad, rng):
    with pytest.raises(ValueError, match="dropout rate"):
        Dropout(bad, rng)


def shifted_by_loops(image: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """``image`` ``(C, H, W)`` moved down ``dy`` and right ``dx`` pixels, zeros where nothing moved in."""
    out = np.zeros_like(image)
    _, height, width = image.shape
    for row in range(height):
        for col in range(width):
            if 0 <= row - dy < height and 0 <= col - dx < width:
                out[:, row, col] = image[:, row - dy, col - dx]
    return out


@pytest.mark.parametrize("shape, max_shift", [((7, 2, 5, 6), 1), ((9, 3, 6, 4), 2), ((4, 1, 3, 3), 3)])
def test_random_shift_moves_each_image_by_its_drawn_offset_and_matches_its_torch_twin(shape, max_shift, rng):
    x = rng.standard_normal(shape)
    layer = RandomShift(max_shift, np.random.default_rng(5))
    np.testing.assert_array_equal(layer.forward(x), x)  # inference: identity
    ours, theirs = layer_vs_torch(layer, x, rng)
    assert_same(ours, theirs)  # the twin draws the same offsets from a copy of the generator
    offsets = np.random.default_rng(5).integers(-max_shift, max_shift + 1, size=(2, shape[0]))
    for image, out, dy, dx in zip(x, ours[0], *offsets, strict=True):
        np.testing.assert_array_equal(out, shifted_by_loops(image, dy, dx))


def test_random_shift_gradient_is_the_shift_back(rng):
    """The input gradient is the adjoint: <shift(x), g> = <x, shift'(g)> for any x and g."""
    x, layer = rng.standard_normal((6, 2, 5, 5)), RandomShift(2, np.random.default_rng(8))
    out = layer.forward(x, training=True)
    upstream = rng.standard_normal(out.shape)
    np.testing.assert_allclose(np.sum(out * upstream), np.sum(x * layer.backward(upstream, [])), rtol=1e-12)


def test_random_shift_of_zero_pixels_is_the_identity_in_training_too(rng):
    x = rng.standard_normal((3, 1, 4, 4))
    layer = RandomShift(0, rng)
    assert layer.forward(x, training=True) is x and layer.backward(x, []) is x


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_random_shift_rejects_bad_settings_and_inputs_by_name(bad, rng):
    with pytest.raises(ValueError, match="max_shift"):
        RandomShift(bad, rng)
    with pytest.raises(ValueError, match="RandomShift takes images"):
        Sequential([RandomShift(1, rng)], (784,))


BATCHNORM_SHAPES = [(6, 3), (5, 4, 3, 7), (2, 3, 5, 4)]


def random_batchnorm(n_channels: int, rng: np.random.Generator) -> BatchNorm:
    layer = BatchNorm(n_channels, momentum=0.3)
    for array in (layer.gamma, layer.beta, layer.running_mean):
        array[...] = rng.standard_normal(n_channels)
    layer.running_var[...] = rng.uniform(0.5, 2.0, n_channels)
    return layer


@pytest.mark.parametrize("shape", BATCHNORM_SHAPES)
def test_batchnorm_matches_torch_in_training_and_inference(shape, rng):
    layer = random_batchnorm(shape[1], rng)
    x = 3 + 2 * rng.standard_normal(shape)
    network = Sequential([layer], shape[1:])
    model = torch_twin(network)
    assert_same(*layer_vs_torch(layer, x, rng))
    model(torch.from_numpy(x))  # the twin of layer_vs_torch's own copy: one training step of running estimates
    (norm,) = model
    np.testing.assert_allclose(layer.running_mean, norm.running_mean.numpy(), rtol=1e-13)
    np.testing.assert_allclose(layer.running_var, norm.running_var.numpy(), rtol=1e-13)
    model.eval()
    np.testing.assert_allclose(network.forward(x), model(torch.from_numpy(x)).detach().numpy(), rtol=1e-12, atol=1e-12)


def test_batchnorm_takes_channels_last_memory_without_changing_results(rng):
    layer = random_batchnorm(4, rng)
    channels_last = rng.standard_normal((3, 5, 6, 4))
    view = channels_last.transpose(0, 3, 1, 2)  # NCHW view, as the convolutions return
    out_view = layer.forward(view, training=True)
    layer_copy = random_batchnorm(4, np.random.default_rng(0))
    layer_copy.gamma[...], layer_copy.beta[...] = layer.gamma, layer.beta
    out_copy = layer_copy.forward(np.ascontiguousarray(view), training=True)
    np.testing.assert_allclose(out_view, out_copy, rtol=1e-14, atol=1e-14)
    assert out_view.transpose(0, 2, 3, 1).flags.c_contiguous  # keeps the channels-last memory order


@pytest.mark.parametrize("shape", BATCHNORM_SHAPES[:2])
def test_batchnorm_gradients_match_central_differences(shape, rng):
    layer = random_batchnorm(shape[1], rng)
    x = rng.standard_normal(shape)
    upstream = rng.standard_normal(shape)
    grads = [np.empty_like(p) for p in layer.params]
    layer.forward(x, training=True)
    grad_x = layer.backward(upstream, grads)

    def objective():
        return float(np.sum(layer.forward(x, training=True) * upstream))

    for ours, array in ((grad_x, x), (grads[0], layer.gamma), (grads[1], layer.beta)):
        np.testing.assert_allclose(ours, central_difference(objective, array), rtol=1e-6, atol=1e-7)


def test_batchnorm_rejects_bad_settings_and_inputs_by_name(rng):
    with pytest.raises(ValueError, match="n_channels"):
        BatchNorm(0)
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm(3, momentum=1.5)
    with pytest.raises(ValueError, match="eps"):
        BatchNorm(3, eps=0)
    with pytest.raises(ValueError, match="3 channels"):
        BatchNorm(3).forward(np.zeros((4, 2, 5, 5)))
    with pytest.raises(ValueError, match="more than one value per channel"):
        BatchNorm(3).forward(np.zeros((1, 3)), training=True)


def test_batchnorm_scales_are_trained_but_not_penalised(rng):
    layer = BatchNorm(3)
    network = Sequential([Dense(4, 3, rng), layer, Dense(3, 2, rng)], (4,))
    assert len(network.params) == 6
    assert network.penalised == [True, False, False, False, True, False]


def test_conv2d_rejects_bad_settings_by_name(rng):
    with pytest.raises(ValueError, match="padding"):
        Conv2D(1, 2, 3, rng, padding="full")
    with pytest.raises(ValueError, match="stride"):
        Conv2D(1, 2, 3, rng, stride=0)
    with pytest.raises(ValueError, match="input channels"):
        Conv2D(2, 2, 3, rng).forward(np.zeros((1, 3, 5, 5)))
    with pytest.raises(ValueError, match="does not fit"):
        Conv2D(1, 2, 5, rng).output_shape((1, 4, 4))


def small_cnn(rng, dtype=np.float64, dropout=0.0) -> Sequential:
    layers = [
        Reshape((1, 11, 9)),
        Conv2D(1, 3, 3, rng, padding="same", dtype=dtype),
        ActivationLayer("relu"),
        MaxPool2D(2),
        Conv2D(3, 4, 3, rng, stride=2, padding="same", dtype=dtype),
        ActivationLayer("tanh"),
        Flatten(),
        Dropout(dropout, rng),
        Dense(4 * 3 * 2, 6, rng, dtype=dtype),
        ActivationLayer("sigmoid"),
        Dense(6, 4, rng, dtype=dtype),
    ]
    return Sequential(layers, (99,), dtype=dtype)


def test_sequential_cnn_gradients_match_torch_autograd_with_penalty_and_dropout(rng):
    network = small_cnn(rng, dropout=0.3)
    X, y = rng.random((5, 99)), rng.integers(0, 4, 5)
    model = torch_twin(network)  # copies the dropout generator now: both draw the same mask next
    value, grads = network.loss_and_gradients(X, y, "softmax_ce", L2(0.01))
    logits = model(torch.from_numpy(X))
    penalty = sum((p**2).sum() for name, p in model.named_parameters() if name.endswith("weight"))
    torch_loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(y)) + 0.01 * penalty
    torch_loss.backward()
    assert value == pytest.approx(torch_loss.item(), rel=1e-12)
    torch_grads = [p.grad.numpy().T if p.ndim == 2 else p.grad.numpy() for p in model.parameters()]
    for ours, theirs in zip(grads, torch_grads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-13)
    for ours, theirs in zip(network.params, ours_layout(model), strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_sequential_loss_gradient_matches_central_differences(rng):
    network = small_cnn(rng)
    X, y = rng.random((4, 99)), rng.integers(0, 4, 4)
    _, grads = network.loss_and_gradients(X, y, "softmax_ce", L2(0.01))
    objective = lambda: network.loss_and_gradients(X, y, "softmax_ce", L2(0.01))[0]  # noqa: E731
    for ours, param in zip(grads, network.params, strict=True):
        np.testing.assert_allclose(ours, central_difference(objective, param), rtol=1e-5, atol=1e-8)


def test_sequential_of_dense_layers_is_the_dense_network(rng):
    network = Network([6, 8, 5, 3], hidden_activation="relu", rng=rng)
    layers = []
    for index, (W, b) in enumerate(zip(network.weights, network.biases, strict=True)):
        dense = Dense(*W.shape, rng)
        dense.W[...], dense.b[...] = W, b
        layers += [dense] + ([ActivationLayer("relu")] if index < network.n_layers - 1 else [])
    stacked = Sequential(layers, (6,))
    X, y = rng.standard_normal((9, 6)), rng.integers(0, 3, 9)
    np.testing.assert_array_equal(stacked.forward(X), network.forward(X))
    value, grads = stacked.loss_and_gradients(X, y, "softmax_ce", L2(0.1))
    dense_value, dense_grads = network.loss_and_gradients(X, y, "softmax_ce", L2(0.1))
    assert value == dense_value
    for ours, theirs in zip(grads, dense_grads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=1e-16)


def test_training_loop_trains_a_sequential_unchanged_and_fills_its_buffers(rng):
    network = small_cnn(rng, dtype=np.float32, dropout=0.2)
    X = rng.random((64, 99)).astype(np.float32)
    y = (X[:, :50].sum(axis=1) > X[:, 50:].sum(axis=1) * 50 / 49).astype(int)
    history = train(
        network,
        X,
        y,
        loss="softmax_ce",
        optimizer=get_optimizer("adam", 0.01),
        epochs=15,
        rng=rng,
        batch_size=16,
        regularizer=L2(1e-4),
    )
    assert not history.diverged
    assert history.train_loss[-1] < 0.8 * history.train_loss[0]
    assert all(p.dtype == np.float32 for p in network.params)
    assert network.forward(X).dtype == np.float32


def test_sequential_forward_is_chunked_without_changing_results(rng):
    network = small_cnn(rng)
    X = rng.random((10, 99))
    whole = network.forward(X)
    network.inference_batch = 3
    np.testing.assert_allclose(network.forward(X), whole, rtol=1e-14)


def test_sequential_rejects_layers_that_do_not_fit(rng):
    with pytest.raises(ValueError, match="Dense expects"):
        Sequential([Flatten(), Dense(10, 2, rng)], (3, 3))
    with pytest.raises(ValueError, match="dtype"):
        Sequential([Dense(3, 2, rng, dtype=np.float32)], (3,), dtype=np.float64)
