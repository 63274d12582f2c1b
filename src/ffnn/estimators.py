"""scikit-learn style estimators around :class:`Network` and :func:`train`.

They follow the estimator contract (constructor stores parameters unchanged, ``fit``
sets trailing-underscore attributes), so ``clone``, ``Pipeline`` and ``GridSearchCV``
work with them. Their parameters carry the names of :mod:`ffnn.settings`, as the config files
and the fitting code do, not scikit-learn's: ``hidden_layers`` for ``hidden_layer_sizes``, and
``lam`` rather than ``alpha``, whose penalty ``MLPRegressor`` scales differently.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, check_X_y

from .losses import SoftmaxCrossEntropy
from .settings import NETWORK_KEYS, TRAINING_KEYS, dense_network, train_with_settings
from .training import History


def accuracy_from_logits(y_true: np.ndarray, logits: np.ndarray) -> float:
    """Share of rows whose largest logit is at the integer label ``y_true``."""
    return float(np.mean(np.argmax(logits, axis=1) == y_true.reshape(-1)))


class _FFNNBase(BaseEstimator):
    """Shared parameters and fitting; subclasses set the loss and the target encoding.

    Parameters
    ----------
    hidden_layers : tuple of int, default (50,)
    activation : {"sigmoid", "relu", "leaky_relu", "tanh", "linear"}, default "sigmoid"
    leaky_slope : float, default 0.01
    optimizer : {"sgd", "momentum", "rmsprop", "adam", "adagrad"}, default "adam"
    learning_rate : float, default 1e-3
    batch_size : int or None, default 32
        ``None`` trains full-batch.
    epochs : int, default 100
    penalty : {None, "l1", "l2"}, default None
    lam : float, default 0.0
        Penalty strength lambda of Eq. 11.
    initializer : {"normal", "xavier", "he"}, default "normal"
    dtype : {"float64", "float32"}, default "float64"
    random_state : int, numpy.random.Generator or None, default None
        Seeds the initial weights and the mini-batch order.
    """

    _loss: str
    _multi_output: bool  # whether y may have several columns
    _curve_metric = None  # callable(y_true, output) -> float recorded in history_, or None

    def __init__(
        self,
        hidden_layers=(50,),
        activation="sigmoid",
        leaky_slope=0.01,
        optimizer="adam",
        learning_rate=1e-3,
        batch_size=32,
        epochs=100,
        penalty=None,
        lam=0.0,
        initializer="normal",
        dtype="float64",
        random_state=None,
    ):
        self.hidden_layers = hidden_layers
        self.activation = activation
        self.leaky_slope = leaky_slope
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.penalty = penalty
        self.lam = lam
        self.initializer = initializer
        self.dtype = dtype
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = self._multi_output
        return tags

    def _encode_targets(self, y: np.ndarray, fitting: bool = True) -> np.ndarray:
        raise NotImplementedError

    def fit(self, X, y, validation_data=None):
        """Train on ``X`` of shape (n_samples, n_features) and ``y``; returns ``self``.

        ``validation_data=(X_val, y_val)`` adds validation curves to ``history_``.
        """
        # Rejects NaN/inf, complex, sparse, empty and non-2-D X (and NaN/inf regression y) by name.
        X, y = check_X_y(
            X, y, dtype=np.dtype(self.dtype), multi_output=self._multi_output, y_numeric=self._multi_output
        )
        self.n_features_in_ = X.shape[1]
        targets = self._encode_targets(y)
        rng = np.random.default_rng(self.random_state)
        settings = {key: getattr(self, key) for key in NETWORK_KEYS + TRAINING_KEYS}
        self.network_ = dense_network(settings, self.n_features_in_, self._n_outputs, rng, np.dtype(self.dtype))
        validation = None
        if validation_data is not None:
            X_val, y_val = validation_data
            validation = (self._check_X(X_val), self._encode_targets(np.asarray(y_val), fitting=False))
        self.history_: History = train_with_settings(
            self.network_,
            settings,
            X,
            targets,
            loss=self._loss,
            rng=rng,
            validation=validation,
            metric=self._curve_metric,
        )
        return self

    def _check_X(self, X) -> np.ndarray:
        X = check_array(X, dtype=np.dtype(self.dtype))
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input"
            )
        return X

    def _output(self, X) -> np.ndarray:
        check_is_fitted(self, "network_")
        return self.network_.forward(self._check_X(X))


class FFNNRegressor(RegressorMixin, _FFNNBase):
    """Feed-forward network regressor trained on the MSE of Eq. 10; ``score`` is R^2."""

    _loss = "mse"
    _multi_output = True

    def _encode_targets(self, y, fitting=True):
        if fitting:
            self._y_was_1d = y.ndim == 1
            self._n_outputs = 1 if y.ndim == 1 else y.shape[1]
        return y.reshape(len(y), -1).astype(np.dtype(self.dtype), copy=False)

    def predict(self, X) -> np.ndarray:
        """Predictions of shape (n_samples,) for 1-D targets, else (n_samples, n_outputs)."""
        output = self._output(X)
        return output.ravel() if self._y_was_1d else output


class FFNNClassifier(ClassifierMixin, _FFNNBase):
    """Feed-forward network classifier on softmax cross-entropy (Eq. 15); ``score`` is accuracy."""

    _loss = "softmax_ce"
    _multi_output = False

    def _encode_targets(self, y, fitting=True):
        if fitting:
            check_classification_targets(y)  # a continuous y is a regression problem
            self.classes_, encoded = np.unique(y, return_inverse=True)
            self._n_outputs = len(self.classes_)
            if self._n_outputs < 2:
                raise ValueError(f"FFNNClassifier needs at least two classes in y, got one class: {self.classes_}")
            return encoded
        unknown = ~np.isin(y, self.classes_)
        if unknown.any():
            raise ValueError(f"validation labels {np.unique(y[unknown])} were not seen in training")
        return np.searchsorted(self.classes_, y)

    _curve_metric = staticmethod(accuracy_from_logits)

    def decision_function(self, X) -> np.ndarray:
        """Logits of shape (n_samples, n_classes); with two classes, scikit-learn's convention of
        shape (n_samples,): the log-odds of ``classes_[1]``, logit 1 minus logit 0."""
        logits = self._output(X)
        return logits[:, 1] - logits[:, 0] if logits.shape[1] == 2 else logits

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities of shape (n_samples, n_classes): softmax of the logits."""
        return np.exp(SoftmaxCrossEntropy._log_softmax(self._output(X)))

    def predict(self, X) -> np.ndarray:
        logits = self._output(X)
        return self.classes_[np.argmax(logits, axis=1)]
