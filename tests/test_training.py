"""The training loop: reproducibility, batching, learning curves and divergence."""

import numpy as np
import pytest

from ffnn.estimators import accuracy_from_logits
from ffnn.io import load_json, save_json
from ffnn.losses import get_loss
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.regularizers import get_regularizer
from ffnn.training import train


def runge(n, seed):
    x = np.random.default_rng(seed).uniform(-1, 1, (n, 1))
    return x, 1 / (1 + 25 * x**2)


def make_net(seed=1, sizes=(1, 16, 16, 1), activation="tanh", **kwargs):
    return Network(
        list(sizes), hidden_activation=activation, initializer="xavier", rng=np.random.default_rng(seed), **kwargs
    )


def fit(net_seed=1, shuffle_seed=2, epochs=5, batch_size=8, optimizer="adam", learning_rate=1e-2, **kwargs):
    X, y = runge(48, seed=0)
    net = make_net(net_seed)
    history = train(
        net,
        X,
        y,
        loss="mse",
        optimizer=get_optimizer(optimizer, learning_rate),
        epochs=epochs,
        rng=np.random.default_rng(shuffle_seed),
        batch_size=batch_size,
        **kwargs,
    )
    return net, history


# ----------------------------------------------------------------------------- reproducibility


def test_same_seeds_give_identical_weights_and_curves():
    (net_a, hist_a), (net_b, hist_b) = fit(), fit()
    for a, b in zip(net_a.params, net_b.params, strict=True):
        np.testing.assert_array_equal(a, b)
    assert hist_a.train_loss == hist_b.train_loss


def test_other_shuffle_seed_gives_other_weights():
    (net_a, hist_a), (net_b, hist_b) = fit(shuffle_seed=2), fit(shuffle_seed=3)
    assert not np.array_equal(net_a.weights[0], net_b.weights[0])
    assert hist_a.train_loss != hist_b.train_loss


def test_other_init_seed_gives_other_weights():
    (net_a, _), (net_b, _) = fit(net_seed=1), fit(net_seed=4)
    assert not np.array_equal(net_a.weights[0], net_b.weights[0])


# ----------------------------------------------------------------------------- batching


def test_full_batch_epoch_is_one_gradient_step():
    X, y = runge(30, seed=0)
    net, reference = make_net(), make_net()
    train(net, X, y, loss="mse", optimizer=get_optimizer("sgd", 0.1), epochs=1, rng=np.random.default_rng(0))
    _, grads = reference.loss_and_gradients(X, y, "mse")
    for param, before, g in zip(net.params, reference.params, grads, strict=True):
        np.testing.assert_allclose(param, before - 0.1 * g, rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("batch_size", [None, 30, 1000])
def test_full_batch_ignores_the_shuffle_seed(batch_size):
    X, y = runge(30, seed=0)
    results = []
    for seed in (0, 1):
        net = make_net()
        train(
            net,
            X,
            y,
            loss="mse",
            optimizer=get_optimizer("adam", 1e-2),
            epochs=3,
            batch_size=batch_size,
            rng=np.random.default_rng(seed),
        )
        results.append(net.params)
    for a, b in zip(*results, strict=True):
        np.testing.assert_array_equal(a, b)


def test_mini_batch_epoch_matches_manual_loop():
    X, y = runge(30, seed=0)
    net, reference = make_net(), make_net()
    train(
        net, X, y, loss="mse", optimizer=get_optimizer("sgd", 0.1), epochs=2, batch_size=8, rng=np.random.default_rng(5)
    )
    # The same updates by hand: a fresh permutation per epoch, batches of 8, 8, 8 and a last one of 6.
    shuffle = np.random.default_rng(5)
    for _ in range(2):
        order = shuffle.permutation(30)
        for first in range(0, 30, 8):
            batch = order[first : first + 8]
            _, grads = reference.loss_and_gradients(X[batch], y[batch], "mse")
            for param, g in zip(reference.params, grads, strict=True):
                param -= 0.1 * g
    for a, b in zip(net.params, reference.params, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-16)


def test_mini_batch_differs_from_full_batch():
    (net_full, _), (net_mini, _) = fit(batch_size=None), fit(batch_size=8)
    assert not np.allclose(net_full.weights[0], net_mini.weights[0])


def test_penalty_changes_the_fit_but_not_the_recorded_loss():
    X, y = runge(48, seed=0)
    reg = get_regularizer("l2", 1e-2)
    net_plain, plain = fit(batch_size=None)
    net_pen, penalised = fit(batch_size=None, regularizer=reg)
    assert not np.allclose(net_plain.weights[0], net_pen.weights[0])
    # The curves hold the data loss alone (Eq. 10), without lambda sum W^2.
    assert penalised.train_loss[-1] == pytest.approx(get_loss("mse")(net_pen.forward(X), y), rel=1e-12)
    assert sum(np.sum(W**2) for W in net_pen.weights) < sum(np.sum(W**2) for W in net_plain.weights)


# ----------------------------------------------------------------------------- curves


@pytest.mark.parametrize(
    ("epochs", "record_every", "recorded"),
    [(10, 1, list(range(1, 11))), (10, 3, [3, 6, 9, 10]), (10, 5, [5, 10]), (4, 10, [4])],
)
def test_history_lengths_follow_record_every(epochs, record_every, recorded):
    X_val, y_val = runge(10, seed=9)
    _, history = fit(epochs=epochs, record_every=record_every, validation=(X_val, y_val))
    assert history.epoch == recorded
    assert len(history.train_loss) == len(history.val_loss) == len(recorded)
    assert history.train_metric == [] and history.val_metric == []
    assert history.epochs_run == epochs and not history.diverged


def test_no_validation_leaves_val_curves_empty():
    _, history = fit(epochs=3)
    assert len(history.train_loss) == 3 and history.val_loss == [] and history.val_metric == []


def test_validation_curves_are_the_loss_on_validation_data():
    X_val, y_val = runge(20, seed=9)
    net, history = fit(epochs=4, validation=(X_val, y_val))
    assert len(history.val_loss) == 4
    assert history.val_loss[-1] == pytest.approx(get_loss("mse")(net.forward(X_val), y_val), rel=1e-12)
    assert len(set(history.val_loss)) == 4  # evaluated after every epoch, not copied


def test_test_curves_are_recorded_and_never_steer_training():
    X_val, y_val = runge(20, seed=9)
    X_test, y_test = runge(20, seed=10)
    net, history = fit(epochs=4, record_every=2, validation=(X_val, y_val), test=(X_test, y_test))
    assert history.test_loss[-1] == pytest.approx(get_loss("mse")(net.forward(X_test), y_test), rel=1e-12)
    assert len(history.test_loss) == 2 and history.test_metric == []
    # poisoned test data change nothing but the test curve
    blind_net, blind = fit(
        epochs=4, record_every=2, validation=(X_val, y_val), test=(X_test, np.full_like(y_test, np.nan))
    )
    assert blind.val_loss == history.val_loss and blind.train_loss == history.train_loss and not blind.diverged
    assert all(np.isnan(blind.test_loss))
    assert all(np.array_equal(a, b) for a, b in zip(blind_net.params, net.params, strict=True))


def test_classification_with_metric_and_validation():
    rng = np.random.default_rng(0)
    centers = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.5]])
    labels = rng.integers(0, 3, 240)
    X = centers[labels] + 0.5 * rng.standard_normal((240, 2))
    net = Network([2, 16, 3], hidden_activation="relu", initializer="he", rng=rng)
    history = train(
        net,
        X[:180],
        labels[:180],
        loss="softmax_ce",
        optimizer=get_optimizer("adam", 1e-2),
        epochs=15,
        batch_size=32,
        rng=rng,
        validation=(X[180:], labels[180:]),
        metric=accuracy_from_logits,
    )
    assert len(history.train_metric) == len(history.val_metric) == 15
    assert history.val_metric[-1] == accuracy_from_logits(labels[180:], net.forward(X[180:]))
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.val_metric[-1] > 0.9


def test_training_lowers_the_loss():
    X, y = runge(48, seed=0)
    initial = get_loss("mse")(make_net().forward(X), y)
    _, history = fit(epochs=60)
    assert history.train_loss[-1] < 0.1 * initial
    assert history.train_loss[-1] < history.train_loss[0]


def test_history_to_dict_roundtrips_through_json(tmp_path):
    _, history = fit(epochs=3, record_every=2)
    record = history.to_dict()
    assert set(record) == {
        "epoch",
        "train_loss",
        "val_loss",
        "test_loss",
        "train_metric",
        "val_metric",
        "test_metric",
        "diverged",
        "epochs_run",
        "seconds",
    }
    save_json(record, tmp_path / "h.json")
    assert load_json(tmp_path / "h.json") == record
    assert record["seconds"] > 0


def test_float32_training_keeps_float32():
    X, y = runge(32, seed=0)
    net = make_net(dtype=np.float32)
    history = train(
        net,
        X,
        y,
        loss="mse",
        optimizer=get_optimizer("adam", 1e-2),
        epochs=3,
        batch_size=8,
        rng=np.random.default_rng(0),
    )
    assert all(p.dtype == np.float32 for p in net.params)
    assert all(np.isfinite(history.train_loss))


# ----------------------------------------------------------------------------- divergence


@pytest.mark.parametrize("batch_size", [None, 16])
def test_huge_learning_rate_diverges_cleanly(batch_size):
    X, y = runge(64, seed=0)
    X_val, y_val = runge(16, seed=9)
    net = make_net(activation="relu")
    epochs = 200
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is the expected road to divergence
        history = train(
            net,
            X,
            y,
            loss="mse",
            optimizer=get_optimizer("sgd", 1e3),
            epochs=epochs,
            batch_size=batch_size,
            rng=np.random.default_rng(0),
            validation=(X_val, y_val),
        )
    assert history.diverged
    assert history.epochs_run < epochs
    assert history.epoch == list(range(1, len(history.epoch) + 1))
    assert len(history.epoch) in (history.epochs_run, history.epochs_run - 1)
    assert len(history.train_loss) == len(history.val_loss) == len(history.epoch)
    # Every recorded point before the stop is a finite number; only the point that revealed it may not be.
    assert np.all(np.isfinite(history.train_loss[:-1]))
    assert np.all(np.isfinite(history.val_loss[:-1]))


def test_stable_fit_does_not_report_divergence():
    _, history = fit(epochs=5)
    assert not history.diverged and history.epochs_run == 5


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"epochs": 0}, "epochs"),
        ({"record_every": 0}, "record_every"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    X, y = runge(10, seed=0)
    args = {
        "loss": "mse",
        "optimizer": get_optimizer("sgd", 0.1),
        "epochs": 2,
        "rng": np.random.default_rng(0),
    } | kwargs
    with pytest.raises(ValueError, match=match):
        train(make_net(), X, y, **args)


def test_mismatched_samples_raise():
    X, y = runge(10, seed=0)
    with pytest.raises(ValueError, match="samples"):
        train(
            make_net(),
            X,
            y[:9],
            loss="mse",
            optimizer=get_optimizer("sgd", 0.1),
            epochs=1,
            rng=np.random.default_rng(0),
        )
