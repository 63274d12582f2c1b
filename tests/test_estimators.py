"""The scikit-learn estimators: the estimator contract, composition, and the study's metrics."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from ffnn.estimators import FFNNClassifier, FFNNRegressor, accuracy_from_logits
from ffnn.losses import get_loss
from ffnn.network import Network
from ffnn.optimizers import get_optimizer
from ffnn.training import train

FAST = {"hidden_layers": (16,), "activation": "tanh", "initializer": "xavier", "epochs": 30, "learning_rate": 1e-2}


@pytest.fixture
def runge(rng):
    x = rng.uniform(-1, 1, (80, 1))
    return x, (1 / (1 + 25 * x**2)).ravel()


@pytest.fixture
def blobs(rng):
    """Three well separated Gaussian blobs with string labels."""
    centers = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    index = rng.integers(0, 3, 150)
    X = centers[index] + 0.5 * rng.standard_normal((150, 2))
    return X, np.array(["coat", "dress", "sandal"])[index]


# ----------------------------------------------------------------------------- scikit-learn's own checks


# Default hyperparameters: the checks' "train" tests demand a decent score, which 100 epochs of
# Adam reach; every check runs, none is expected to fail.
@parametrize_with_checks([FFNNRegressor(random_state=0), FFNNClassifier(random_state=0)])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# ----------------------------------------------------------------------------- parameters


def test_get_params_lists_every_constructor_argument():
    params = FFNNRegressor().get_params()
    assert params == {
        "hidden_layers": (50,),
        "activation": "sigmoid",
        "leaky_slope": 0.01,
        "optimizer": "adam",
        "learning_rate": 1e-3,
        "batch_size": 32,
        "epochs": 100,
        "penalty": None,
        "lam": 0.0,
        "initializer": "normal",
        "dtype": "float64",
        "random_state": None,
    }
    assert FFNNClassifier().get_params() == params


def test_set_params_and_clone(runge):
    X, y = runge
    model = FFNNRegressor(**FAST, random_state=3).set_params(learning_rate=0.05, penalty="l2", lam=1e-4)
    assert model.learning_rate == 0.05 and model.penalty == "l2"
    model.fit(X, y)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "network_")  # clone is unfitted
    np.testing.assert_array_equal(copy.fit(X, y).predict(X), model.predict(X))


def test_same_random_state_same_model_other_differs(runge):
    X, y = runge
    a, b = (FFNNRegressor(**FAST, batch_size=16, random_state=7).fit(X, y) for _ in range(2))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    assert a.history_.train_loss == b.history_.train_loss
    c = FFNNRegressor(**FAST, batch_size=16, random_state=8).fit(X, y)
    assert not np.array_equal(a.predict(X), c.predict(X))


def test_fit_matches_network_and_train_directly(runge):
    """The estimator adds no hidden steps: the same seed through Network + train gives the same model."""
    X, y = runge
    model = FFNNRegressor(**FAST, optimizer="rmsprop", batch_size=10, random_state=11).fit(X, y)
    rng = np.random.default_rng(11)
    net = Network([1, 16, 1], hidden_activation="tanh", initializer="xavier", rng=rng)
    train(net, X, y[:, None], loss="mse", optimizer=get_optimizer("rmsprop", 1e-2), epochs=30, rng=rng, batch_size=10)
    np.testing.assert_array_equal(model.predict(X), net.forward(X).ravel())


# ----------------------------------------------------------------------------- regressor


def test_regressor_shapes_and_r2(runge):
    X, y = runge
    model = FFNNRegressor(**FAST, random_state=0).fit(X, y)
    assert model.predict(X).shape == (80,)
    assert model.n_features_in_ == 1
    assert model.score(X, y) == pytest.approx(r2_score(y, model.predict(X)), rel=1e-12)
    assert len(model.history_.train_loss) == FAST["epochs"]


def test_regressor_two_dimensional_targets(runge):
    X, y = runge
    Y = np.column_stack([y, -y])
    assert FFNNRegressor(**FAST, random_state=0).fit(X, Y).predict(X).shape == (80, 2)
    assert FFNNRegressor(**FAST, random_state=0).fit(X, y[:, None]).predict(X).shape == (80, 1)


def test_regressor_learns_runge(runge):
    X, y = runge
    model = FFNNRegressor(
        hidden_layers=(32, 32), activation="tanh", initializer="xavier", learning_rate=1e-2, epochs=150, random_state=0
    )
    assert model.fit(X, y).score(X, y) > 0.9


def test_regressor_validation_curves(runge):
    X, y = runge
    model = FFNNRegressor(**FAST, random_state=0).fit(X[:60], y[:60], validation_data=(X[60:], y[60:]))
    history = model.history_
    assert len(history.val_loss) == FAST["epochs"]
    half_mse = 0.5 * np.mean((model.predict(X[60:]) - y[60:]) ** 2)  # Eq. 10
    assert history.val_loss[-1] == pytest.approx(half_mse, rel=1e-10)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtype_reaches_the_network(runge, dtype):
    X, y = runge
    model = FFNNRegressor(**FAST, dtype=dtype, random_state=0).fit(X, y)
    assert all(p.dtype == np.dtype(dtype) for p in model.network_.params)
    assert model.predict(X).dtype == np.dtype(dtype)


def test_hyperparameters_reach_network_and_training(runge):
    X, y = runge
    model = FFNNRegressor(hidden_layers=(5, 4), activation="leaky_relu", leaky_slope=0.2, epochs=3, random_state=0).fit(
        X, y
    )
    assert model.network_.layer_sizes == [1, 5, 4, 1]
    assert model.network_.hidden_activation.alpha == 0.2
    assert model.history_.epochs_run == 3


def test_penalty_shrinks_weights(runge):
    X, y = runge
    plain = FFNNRegressor(**FAST, random_state=0).fit(X, y)
    ridge = FFNNRegressor(**FAST, penalty="l2", lam=0.05, random_state=0).fit(X, y)

    def norm(m):
        return sum(np.sum(W**2) for W in m.network_.weights)

    assert norm(ridge) < norm(plain)


# ----------------------------------------------------------------------------- classifier


def test_classifier_with_string_labels(blobs):
    X, y = blobs
    model = FFNNClassifier(**FAST, random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.classes_, ["coat", "dress", "sandal"])
    predicted = model.predict(X)
    assert predicted.shape == (150,) and set(predicted) <= set(model.classes_)
    proba = model.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(proba >= 0)
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], predicted)
    assert model.score(X, y) == accuracy_score(y, predicted)
    assert model.score(X, y) > 0.95


def test_classifier_logits_and_history(blobs):
    X, y = blobs
    model = FFNNClassifier(**FAST, random_state=0).fit(X[:100], y[:100], validation_data=(X[100:], y[100:]))
    logits = model.decision_function(X)
    assert logits.shape == (150, 3)
    np.testing.assert_allclose(
        model.predict_proba(X), np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True), rtol=1e-12
    )
    history = model.history_
    assert len(history.train_metric) == len(history.val_metric) == FAST["epochs"]
    assert history.val_metric[-1] == pytest.approx(model.score(X[100:], y[100:]))
    encoded = np.searchsorted(model.classes_, y[100:])
    assert history.val_loss[-1] == pytest.approx(
        get_loss("softmax_ce")(model.decision_function(X[100:]), encoded), rel=1e-10
    )


def test_binary_decision_function_is_log_odds(blobs):
    X, y = blobs
    keep = y != "sandal"
    model = FFNNClassifier(**FAST, random_state=0).fit(X[keep], y[keep])
    scores = model.decision_function(X[keep])
    assert scores.shape == (keep.sum(),)
    proba = model.predict_proba(X[keep])
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-scores)), rtol=1e-10)
    np.testing.assert_array_equal(model.predict(X[keep]), model.classes_[(scores > 0).astype(int)])


def test_accuracy_from_logits():
    logits = np.array([[0.1, 2.0], [3.0, -1.0], [0.0, 0.5], [1.0, 0.0]])
    assert accuracy_from_logits(np.array([1, 0, 0, 0]), logits) == 0.75
    assert accuracy_from_logits(np.array([[1], [0], [1], [0]]), logits) == 1.0


def test_classifier_rejects_unseen_validation_labels(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="not seen in training"):
        FFNNClassifier(**FAST).fit(X, y, validation_data=(X[:3], np.array(["coat", "boot", "coat"])))


def test_classifier_needs_two_classes(blobs):
    X, _ = blobs
    with pytest.raises(ValueError, match="two classes"):
        FFNNClassifier(**FAST).fit(X, np.full(len(X), "coat"))


# ----------------------------------------------------------------------------- composition


def test_pipeline_with_standard_scaler(runge):
    X, y = runge
    X_raw = 50 + 20 * X  # badly scaled input, as before Eq. 6
    pipe = make_pipeline(StandardScaler(), FFNNRegressor(**FAST, random_state=0)).fit(X_raw, y)
    direct = FFNNRegressor(**FAST, random_state=0).fit(StandardScaler().fit_transform(X_raw), y)
    np.testing.assert_allclose(
        pipe.predict(X_raw), direct.predict(StandardScaler().fit(X_raw).transform(X_raw)), rtol=1e-12
    )
    assert pipe.score(X_raw, y) == pytest.approx(direct.score(StandardScaler().fit_transform(X_raw), y), rel=1e-12)


def test_grid_search_over_learning_rate(runge):
    X, y = runge
    grid = GridSearchCV(
        make_pipeline(StandardScaler(), FFNNRegressor(**(FAST | {"epochs": 10}), random_state=0)),
        {"ffnnregressor__learning_rate": [1e-5, 1e-2]},
        cv=2,
    ).fit(X, y)
    assert list(grid.cv_results_["param_ffnnregressor__learning_rate"]) == [1e-5, 1e-2]
    # 10 epochs at 1e-5 barely move the network; 1e-2 fits.
    assert grid.best_params_ == {"ffnnregressor__learning_rate": 1e-2}
    assert grid.best_estimator_[-1].learning_rate == 1e-2


def test_grid_search_classifier_scores_accuracy(blobs):
    X, y = blobs
    grid = GridSearchCV(
        FFNNClassifier(**(FAST | {"epochs": 5}), random_state=0), {"hidden_layers": [(4,), (8,)]}, cv=2
    ).fit(X, y)
    assert grid.best_score_ > 0.5
    assert set(grid.predict(X)) <= set(y)


# ----------------------------------------------------------------------------- bad input


def test_predict_before_fit_raises():
    with pytest.raises(NotFittedError):
        FFNNRegressor().predict(np.zeros((2, 1)))


def test_wrong_number_of_features_raises(runge):
    X, y = runge
    model = FFNNRegressor(**(FAST | {"epochs": 1})).fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but FFNNRegressor is expecting 1"):
        model.predict(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="X has 2 features"):
        FFNNRegressor(**(FAST | {"epochs": 1})).fit(X, y, validation_data=(np.zeros((3, 2)), np.zeros(3)))


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.array([[0.0], [np.nan], [1.0]]), "NaN"),
        (np.array([[0.0], [np.inf], [1.0]]), "infinity"),
        (np.zeros(3), "2D array"),
    ],
)
def test_bad_X_raises(X, match):
    with pytest.raises(ValueError, match=match):
        FFNNRegressor(epochs=1).fit(X, np.zeros(3))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"optimizer": "lbfgs"}, "unknown optimizer"),
        ({"learning_rate": -1.0}, "learning_rate"),
        ({"activation": "swish"}, "unknown activation"),
        ({"penalty": "elasticnet"}, "unknown penalty"),
        ({"penalty": "l2", "lam": -1.0}, "lambda"),
        ({"hidden_layers": (0,)}, "layer_sizes"),
        ({"epochs": 0}, "epochs"),
        ({"initializer": "orthogonal"}, "unknown initializer"),
    ],
)
def test_bad_hyperparameters_raise_at_fit(runge, params, match):
    X, y = runge
    with pytest.raises(ValueError, match=match):
        FFNNRegressor(**params).fit(X, y)
