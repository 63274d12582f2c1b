"""Our regression network against scikit-learn's ``MLPRegressor`` (Section III.A.3, Table II).

Two settings:

- *independent*: the study's comparison. Each library draws its own initial weights and both
  are trained with the same optimiser, learning rate, batch size and epochs; the predictions
  differ because the starting points differ.
- *shared*: our initial weights are copied into ``MLPRegressor`` and both take the same plain,
  full-batch gradient-descent steps, so their predictions agree to rounding. Both minimise the
  same ``1/(2n)`` squared error (Eq. 10), so no rescaling is needed.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

from ..data.runge import RungeSplit, runge
from ..network import Network
from ..optimizers import get_optimizer
from ..training import train
from . import layers_label

#: Our activation names and scikit-learn's for the same function.
SKLEARN_ACTIVATIONS = {"sigmoid": "logistic", "relu": "relu", "tanh": "tanh", "linear": "identity"}


def sklearn_activation(activation: str) -> str:
    """scikit-learn's name of our hidden activation ``activation`` (e.g. ``"sigmoid"`` -> ``"logistic"``)."""
    try:
        return SKLEARN_ACTIVATIONS[activation]
    except KeyError:
        raise ValueError(
            f"MLPRegressor has no activation {activation!r}; choose one of {sorted(SKLEARN_ACTIVATIONS)}"
        ) from None


def prediction_differences(ours: np.ndarray, theirs: np.ndarray) -> dict[str, float]:
    """Norms of the difference of two prediction vectors (Eqs. 3-5).

    Parameters
    ----------
    ours, theirs : ndarray of shape (n,) or (n, 1)

    Returns
    -------
    dict
        ``l2_norm`` (Eq. 3), ``l1_norm`` (Eq. 4), ``mad`` (mean absolute difference, Eq. 5)
        and ``max_abs_diff``.
    """
    ours, theirs = np.ravel(ours), np.ravel(theirs)
    if ours.shape != theirs.shape or ours.size == 0:
        raise ValueError(f"need two non-empty prediction vectors of one length, got {ours.shape} and {theirs.shape}")
    diff = np.abs(ours - theirs)
    return {
        "l2_norm": float(np.sqrt(np.sum(diff**2))),
        "l1_norm": float(np.sum(diff)),
        "mad": float(np.mean(diff)),
        "max_abs_diff": float(np.max(diff)),
    }


def _mlp(hidden_layers: Sequence[int], activation: str, epochs: int, **kwargs) -> MLPRegressor:
    # tol=0 and n_iter_no_change > epochs: both libraries run every epoch, no early stop.
    return MLPRegressor(
        hidden_layer_sizes=tuple(hidden_layers),
        activation=sklearn_activation(activation),
        alpha=0.0,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        early_stopping=False,
        **kwargs,
    )


def _fit_quietly(mlp: MLPRegressor, X: np.ndarray, y: np.ndarray) -> MLPRegressor:
    # A fixed epoch budget is the point here, so "max_iter reached" is expected, not a problem.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return mlp.fit(X, np.ravel(y))


def fit_independent(
    hidden_layers: Sequence[int],
    activation: str,
    X: np.ndarray,
    y: np.ndarray,
    *,
    optimizer: str,
    learning_rate: float,
    batch_size: int,
    epochs: int,
    initializer: str,
    rng: np.random.Generator,
) -> tuple[Network, MLPRegressor]:
    """Train our network and ``MLPRegressor`` side by side, each from its own initial weights.

    Parameters
    ----------
    hidden_layers : sequence of int
        Hidden widths, e.g. ``[50, 50]`` for the study's ``[50-50-1]``.
    activation : str
        Hidden activation, ``"sigmoid"``, ``"relu"`` or ``"tanh"``; the output is linear.
    X : ndarray of shape (n, n_features)
    y : ndarray of shape (n, 1)
    optimizer : {"adam", "sgd"}
        Solver of both libraries (``"sgd"`` is plain SGD, no momentum). ``"adam"`` relies on
        ``MLPRegressor``'s defaults ``beta_1=0.9, beta_2=0.999, epsilon=1e-8`` being ours (and the
        study's, Section II); ``tests/test_optimizers.py`` checks that they are.
    learning_rate, batch_size, epochs
        Shared settings; ``batch_size`` is clipped to ``n``.
    initializer : str
        Our initialiser (the study's ``"normal"``); scikit-learn always uses its Glorot uniform.
    rng : numpy.random.Generator
        Draws our weights and batches, and seeds scikit-learn's ``random_state``.

    Returns
    -------
    (Network, MLPRegressor), both trained.
    """
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd' (solvers of both libraries), got {optimizer!r}")
    net = Network(
        [X.shape[1], *hidden_layers, y.shape[1]], hidden_activation=activation, initializer=initializer, rng=rng
    )
    # scikit-learn's solver="sgd" defaults to momentum=0.9 with Nesterov's variant; ours "sgd" is
    # plain gradient descent (Eq. 23), so both are switched off. Adam passes no betas or eps: its
    # defaults are ours.
    sgd_settings = (
        {"momentum": 0.0, "nesterovs_momentum": False, "learning_rate": "constant"} if optimizer == "sgd" else {}
    )
    mlp = _mlp(
        hidden_layers,
        activation,
        epochs,
        solver=optimizer,
        learning_rate_init=learning_rate,
        batch_size=min(batch_size, len(X)),
        shuffle=True,
        random_state=int(rng.integers(2**31 - 1)),
        **sgd_settings,
    )
    train(
        net,
        X,
        y,
        loss="mse",
        optimizer=get_optimizer(optimizer, learning_rate),
        epochs=epochs,
        rng=rng,
        batch_size=batch_size,
    )
    _fit_quietly(mlp, X, y)
    return net, mlp


def mlp_from_network(
    network: Network, X: np.ndarray, y: np.ndarray, *, learning_rate: float, epochs: int
) -> MLPRegressor:
    """``MLPRegressor`` trained by full-batch plain gradient descent from ``network``'s current weights.

    scikit-learn has no public hook for initial weights. With ``warm_start=True`` a second
    ``fit`` continues from ``coefs_``/``intercepts_`` and resets neither, so a one-epoch fit
    creates them (and the internal state ``fit`` expects), they are overwritten in place with
    our weights, and the real fit follows. ``network`` is not changed.

    Parameters
    ----------
    network : Network
        Regression network with a linear output and a hidden activation scikit-learn knows.
    X : ndarray of shape (n, n_features)
    y : ndarray of shape (n, 1)
    learning_rate : float
        Constant step of plain gradient descent.
    epochs : int
        Full-batch steps.
    """
    if network.output_activation.name != "linear":
        raise ValueError(f"MLPRegressor's output is linear; the network's is {network.output_activation.name!r}")
    mlp = _mlp(
        network.layer_sizes[1:-1],
        network.hidden_activation.name,
        1,
        solver="sgd",
        learning_rate="constant",
        learning_rate_init=learning_rate,
        # scikit-learn's SGD defaults to momentum=0.9 with Nesterov's variant; ours is plain GD.
        momentum=0.0,
        nesterovs_momentum=False,
        batch_size=len(X),
        shuffle=False,
        warm_start=True,
        random_state=0,
    )
    _fit_quietly(mlp, X, y)
    for ours, theirs in zip(network.weights + network.biases, mlp.coefs_ + mlp.intercepts_, strict=True):
        theirs[...] = ours
    mlp.set_params(max_iter=epochs, n_iter_no_change=epochs + 1)
    return _fit_quietly(mlp, X, y)


def fit_shared(
    hidden_layers: Sequence[int],
    activation: str,
    X: np.ndarray,
    y: np.ndarray,
    *,
    learning_rate: float,
    epochs: int,
    initializer: str,
    rng: np.random.Generator,
) -> tuple[Network, MLPRegressor]:
    """Train our network and ``MLPRegressor`` from the same initial weights by full-batch plain GD.

    Parameters are those of :func:`fit_independent`; ``rng`` draws the shared initial weights.

    Returns
    -------
    (Network, MLPRegressor), both trained; their predictions agree to rounding.
    """
    net = Network(
        [X.shape[1], *hidden_layers, y.shape[1]], hidden_activation=activation, initializer=initializer, rng=rng
    )
    mlp = mlp_from_network(net, X, y, learning_rate=learning_rate, epochs=epochs)
    # Full batch: the generator is never asked for an order, the rows go in as given, as in scikit-learn.
    train(net, X, y, loss="mse", optimizer=get_optimizer("sgd", learning_rate), epochs=epochs, rng=rng, batch_size=None)
    return net, mlp


def parity_tables(
    split: RungeSplit,
    architectures: Sequence[dict],
    *,
    independent: dict,
    shared: dict,
    curve_points: int,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table II in both settings, and the predictions behind Figs. 5 and 19.

    Both libraries train on the standardised training inputs of ``split`` and predict its test
    inputs and an even grid of raw inputs on [-1, 1].

    Parameters
    ----------
    split : RungeSplit
    architectures : sequence of dict
        Each with ``name`` (e.g. ``"Arch 1"``), ``hidden_layers`` and ``activation``.
    independent : dict
        Keyword arguments of :func:`fit_independent`: ``optimizer``, ``learning_rate``,
        ``batch_size``, ``epochs``, ``initializer``.
    shared : dict
        Keyword arguments of :func:`fit_shared`: ``learning_rate``, ``epochs``, ``initializer``.
    curve_points : int
        Points of the grid on [-1, 1] for the fitted curves.
    rng : numpy.random.Generator
        Split into one child generator per architecture, so adding one leaves the others alone.

    Returns
    -------
    differences : DataFrame
        One row per setting (``"independent"``, ``"shared"``) and architecture: ``setting``,
        ``architecture``, ``layers``, ``activation``, the columns of
        :func:`prediction_differences` on the test inputs, and ``ours_test_mse`` /
        ``sklearn_test_mse`` (Eq. 1).
    predictions : DataFrame
        Long form: ``setting``, ``architecture``, ``part`` (``"test"`` or ``"curve"``), ``x`` (raw
        input), ``y_true`` (test target, or Runge's function on the grid), ``ours``, ``sklearn``.
    """
    fits = {"independent": (fit_independent, independent), "shared": (fit_shared, shared)}
    x_curve = np.linspace(-1.0, 1.0, curve_points)
    parts = {"test": (split.x_test.ravel(), split.y_test.ravel()), "curve": (x_curve, runge(x_curve))}
    differences, predictions = [], []
    for arch, arch_rng in zip(architectures, rng.spawn(len(architectures)), strict=True):
        for setting, (fit, settings) in fits.items():
            net, mlp = fit(
                arch["hidden_layers"], arch["activation"], split.z_train, split.y_train, rng=arch_rng, **settings
            )
            labels = {"setting": setting, "architecture": arch["name"]}
            frames = {
                part: pd.DataFrame(
                    {
                        **labels,
                        "part": part,
                        "x": x,
                        "y_true": y_true,
                        "ours": net.forward(split.scale(x)).ravel(),
                        "sklearn": mlp.predict(split.scale(x)),
                    }
                )
                for part, (x, y_true) in parts.items()
            }
            predictions.extend(frames.values())
            test = frames["test"]
            differences.append(
                {
                    **labels,
                    "layers": layers_label(arch["hidden_layers"]),
                    "activation": arch["activation"],
                    **prediction_differences(test["ours"], test["sklearn"]),
                    "ours_test_mse": float(np.mean((test["ours"] - test["y_true"]) ** 2)),
                    "sklearn_test_mse": float(np.mean((test["sklearn"] - test["y_true"]) ** 2)),
                }
            )
    return pd.DataFrame(differences), pd.concat(predictions, ignore_index=True)
