"""Polynomial OLS, Ridge and LASSO regression: the linear baselines of the Runge study.

The study compares its networks with the best polynomial models of its "Project 1"
(Table I: OLS p=8, Ridge p=13 with lambda=1e-5, LASSO p=10 with lambda=1e-5). OLS and Ridge
are solved here in closed form; LASSO wraps scikit-learn's coordinate descent.

All three estimators fit an unpenalised intercept by centring the features and the targets
on the training data, solving for the slopes, and setting
``intercept = mean(y) - mean(X) @ coef``.

Penalty scales differ, as in scikit-learn:

* Ridge minimises ``||y - b - X w||^2 + lam ||w||^2`` (a sum, no 1/n);
* LASSO minimises ``1/(2n) ||y - b - X w||^2 + lam ||w||_1`` (scikit-learn's ``Lasso``).
"""

from __future__ import annotations

import warnings
from itertools import product
from collections.abc import Iterable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_squared_error
from sklearn.utils.validation import check_array, check_is_fitted, check_X_y

from ffnn.data.runge import RungeSplit

__all__ = [
    "polynomial_features",
    "OLSRegression",
    "RidgeRegression",
    "LassoRegression",
    "PolynomialModel",
    "select_polynomial_model",
]

KINDS = ("ols", "ridge", "lasso")


def polynomial_features(x: ArrayLike, degree: int, intercept: bool = False) -> np.ndarray:
    """Design matrix of powers of a single (standardised) input.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    degree : int
        Highest power p, at least 1.
    intercept : bool, default False
        Prepend a column of ones (x^0). Leave False for the estimators here, which fit
        the intercept by centring.

    Returns
    -------
    numpy.ndarray, shape (n, p), or (n, p + 1) with ``intercept``
        Columns x^1, ..., x^p (preceded by x^0 with ``intercept``).
    """
    if int(degree) != degree or degree < 1:
        raise ValueError(f"degree must be an integer >= 1, got {degree!r}")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"x must have shape (n,) or (n, 1), got {x.shape}")
    first_power = 0 if intercept else 1
    return x[:, None] ** np.arange(first_power, int(degree) + 1)


class _CenteredLinearRegression(RegressorMixin, BaseEstimator):
    """Linear model with an unpenalised intercept, fitted on centred data.

    Subclasses supply ``_solve(X_centered, y_centered) -> coef``.
    After ``fit``: ``coef_`` has shape (p,) for 1-D targets or (p, k) for targets of
    shape (n, k); ``intercept_`` is a float or shape (k,); ``predict`` returns the
    shape of the training targets, (n,) or (n, k).
    """

    def fit(self, X: ArrayLike, y: ArrayLike) -> _CenteredLinearRegression:
        """Fit on features ``X`` of shape (n, p) and targets ``y`` of shape (n,) or (n, k)."""
        X, y = check_X_y(X, y, multi_output=True, y_numeric=True, dtype=np.float64)
        self.n_features_in_ = X.shape[1]
        x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
        self.coef_ = self._solve(X - x_mean, y - y_mean)
        self.intercept_ = y_mean - x_mean @ self.coef_
        return self

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predictions for features ``X`` of shape (n, p)."""
        check_is_fitted(self, "coef_")
        X = check_array(X, dtype=np.float64)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, the model was fitted on {self.n_features_in_}")
        return X @ self.coef_ + self.intercept_

    def _solve(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class OLSRegression(_CenteredLinearRegression):
    """Ordinary least squares, solved with ``numpy.linalg.lstsq``.

    ``lstsq`` (an SVD) is stable for the ill-conditioned high-degree polynomial designs
    and returns the minimum-norm solution when the design is rank deficient.
    """

    def _solve(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.linalg.lstsq(X, y, rcond=None)[0]


class RidgeRegression(_CenteredLinearRegression):
    """Ridge regression, ``coef = (X^T X + lam I)^-1 X^T y`` on centred data.

    Parameters
    ----------
    lam : float, default 1.0
        Penalty lambda >= 0 on ``||w||^2`` (the intercept is not penalised). The loss is a
        sum of squares, as in ``sklearn.linear_model.Ridge(alpha=lam)``.
    """

    def __init__(self, lam: float = 1.0):
        self.lam = lam

    def _solve(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        if not self.lam >= 0:
            raise ValueError(f"lam must be >= 0, got {self.lam!r}")
        gram = X.T @ X + self.lam * np.eye(X.shape[1])
        return np.linalg.solve(gram, X.T @ y)


class LassoRegression(_CenteredLinearRegression):
    """LASSO by coordinate descent (``sklearn.linear_model.Lasso``) on centred data.

    Minimises ``1/(2n) ||y - b - X w||^2 + lam ||w||_1``, with an unpenalised intercept b.
    Note the 1/(2n): a given lambda penalises far more strongly than in
    :class:`RidgeRegression`, whose loss is a plain sum. Fitting ``Lasso(fit_intercept=False)``
    on centred data, as done here, is what ``Lasso(fit_intercept=True)`` does internally.

    Parameters
    ----------
    lam : float, default 1.0
        Penalty lambda > 0 (use :class:`OLSRegression` for lambda = 0).
    max_iter : int, default 1_000_000
        Coordinate-descent sweeps allowed; large because raw polynomial columns are
        strongly correlated, which makes coordinate descent slow.
    tol : float, default 1e-8
        scikit-learn's duality-gap tolerance (relative to ``||y - mean(y)||^2``).

    Attributes
    ----------
    n_iter_ : int (list for several targets)
        Sweeps run.
    dual_gap_ : float or numpy.ndarray
        Final duality gap, in scikit-learn's scaling.
    converged_ : bool
        False when scikit-learn reported a ``ConvergenceWarning`` (``max_iter`` reached);
        the warning is passed on to the caller, not silenced.
    """

    def __init__(self, lam: float = 1.0, max_iter: int = 1_000_000, tol: float = 1e-8):
        self.lam = lam
        self.max_iter = max_iter
        self.tol = tol

    def _solve(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        if not self.lam > 0:
            raise ValueError(f"lam must be > 0 for LASSO (use OLSRegression for 0), got {self.lam!r}")
        lasso = Lasso(alpha=self.lam, max_iter=self.max_iter, tol=self.tol, fit_intercept=False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lasso.fit(X, y)
        self.converged_ = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        self.n_iter_ = lasso.n_iter_
        self.dual_gap_ = lasso.dual_gap_
        # scikit-learn drops the target axis of a single-column y; keep y's shape
        return lasso.coef_.reshape(-1, X.shape[1]).T if y.ndim == 2 else lasso.coef_


class PolynomialModel(RegressorMixin, BaseEstimator):
    """Polynomial regression in one standardised input: powers x^1..x^p, then OLS, Ridge or LASSO.

    Parameters
    ----------
    kind : {"ols", "ridge", "lasso"}, default "ols"
    degree : int, default 1
        Polynomial degree p >= 1.
    lam : float, default 0.0
        Penalty lambda; ignored for "ols", >= 0 for "ridge", > 0 for "lasso".

    Attributes
    ----------
    regressor_ : OLSRegression, RidgeRegression or LassoRegression
        Fitted on the polynomial features.
    """

    def __init__(self, kind: str = "ols", degree: int = 1, lam: float = 0.0):
        self.kind = kind
        self.degree = degree
        self.lam = lam

    def _new_regressor(self) -> BaseEstimator:
        if self.kind == "ols":
            return OLSRegression()
        if self.kind == "ridge":
            return RidgeRegression(lam=self.lam)
        if self.kind == "lasso":
            return LassoRegression(lam=self.lam)
        raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    def fit(self, X: ArrayLike, y: ArrayLike) -> PolynomialModel:
        """Fit on standardised inputs ``X`` of shape (n, 1) or (n,) and targets of shape (n,) or (n, 1)."""
        self.regressor_ = self._new_regressor().fit(polynomial_features(X, self.degree), y)
        return self

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predictions for standardised inputs ``X``, shaped like the training targets."""
        check_is_fitted(self, "regressor_")
        return self.regressor_.predict(polynomial_features(X, self.degree))

    @property
    def converged(self) -> bool:
        """Whether the fit converged (always True for the closed-form OLS and Ridge)."""
        check_is_fitted(self, "regressor_")
        return getattr(self.regressor_, "converged_", True)


def select_polynomial_model(
    kind: str,
    degrees: Iterable[int],
    lambdas: Iterable[float] | None,
    split: RungeSplit,
    mse_tolerance: float = 1e-12,
    require_convergence: bool = False,
) -> tuple[dict, pd.DataFrame]:
    """Grid search over degree (and lambda) by validation MSE; the test part is never read.

    Each model is fitted on ``split.z_train`` and scored with the MSE of Eq. (1)
    (``1/n sum (y - y_pred)^2``) on the training and validation parts.

    Parameters
    ----------
    kind : {"ols", "ridge", "lasso"}
    degrees : iterable of int
        Polynomial degrees to try, each >= 1.
    lambdas : iterable of float or None
        Penalties to try for "ridge" / "lasso". For "ols" pass None (or zeros); the grid
        then records lam = 0.
    split : RungeSplit
    mse_tolerance : float, default 1e-12
        Models whose validation MSE is within this of the smallest count as tied; the
        simplest of them wins (lowest degree, then largest lambda). This keeps exact fits
        of noiseless data from being decided by rounding error.
    require_convergence : bool, default False
        Choose only among fits that converged. By default a LASSO fit stopped at
        ``max_iter`` competes too (it is still a well-defined, validated predictor), and
        its ``converged`` flag is reported with it.

    Returns
    -------
    best : dict
        Keys kind, degree, lam, train_mse, val_mse, converged of the chosen model.
    grid : pandas.DataFrame
        One row per model, columns kind, degree, lam, train_mse, val_mse, converged
        (False where LASSO hit ``max_iter``).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    degrees = list(degrees)
    if not degrees:
        raise ValueError("degrees must not be empty")
    lambdas = None if lambdas is None else [float(lam) for lam in lambdas]
    if kind == "ols":
        if lambdas is not None and any(lam != 0 for lam in lambdas):
            raise ValueError(f"OLS has no penalty: pass lambdas=None, got {lambdas!r}")
        lambdas = [0.0]
    elif not lambdas:
        raise ValueError(f"{kind} needs a non-empty list of lambdas, got {lambdas!r}")

    rows = []
    for degree, lam in product(degrees, lambdas):
        model = PolynomialModel(kind=kind, degree=degree, lam=lam).fit(split.z_train, split.y_train)
        rows.append(
            {
                "kind": kind,
                "degree": int(degree),
                "lam": lam,
                "train_mse": mean_squared_error(split.y_train, model.predict(split.z_train)),
                "val_mse": mean_squared_error(split.y_val, model.predict(split.z_val)),
                "converged": model.converged,
            }
        )
    grid = pd.DataFrame(rows)
    candidates = grid[grid["converged"]] if require_convergence else grid
    if candidates.empty:
        raise ValueError(f"no {kind} fit in the grid converged; try larger lambdas")
    tied = candidates[candidates["val_mse"] <= candidates["val_mse"].min() + mse_tolerance]
    simplest = tied.sort_values(["degree", "lam"], ascending=[True, False], kind="stable").iloc[0]
    best = {key: (value.item() if hasattr(value, "item") else value) for key, value in simplest.items()}
    return best, grid
