"""Tests of ffnn.baselines: polynomial OLS, Ridge and LASSO, and model selection."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, LinearRegression, Ridge

from ffnn.baselines import (
    LassoRegression,
    OLSRegression,
    PolynomialModel,
    RidgeRegression,
    polynomial_features,
    select_polynomial_model,
)
from ffnn.data.runge import RungeSplit, make_runge_split

CUBIC = np.array([0.7, 2.0, -3.0, 0.5])  # intercept, x, x^2, x^3


def cubic(x):
    return np.polyval(CUBIC[::-1], x)


@pytest.fixture
def noisy_data():
    rng = np.random.default_rng(6114)
    x = rng.uniform(-1.7, 1.7, size=(60, 1))
    y = np.sin(2 * x) + 0.1 * rng.normal(size=(60, 1))
    return x, y


def test_polynomial_features():
    x = np.array([[2.0], [-1.0], [0.5]])
    np.testing.assert_array_equal(polynomial_features(x, 3), [[2, 4, 8], [-1, 1, -1], [0.5, 0.25, 0.125]])
    np.testing.assert_array_equal(
        polynomial_features(x[:, 0], 2, intercept=True), [[1, 2, 4], [1, -1, 1], [1, 0.5, 0.25]]
    )


@pytest.mark.parametrize("degree", [0, 2.5])
def test_polynomial_features_rejects_bad_degree(degree):
    with pytest.raises(ValueError, match="degree"):
        polynomial_features(np.zeros(3), degree)


def test_polynomial_features_rejects_several_inputs():
    with pytest.raises(ValueError, match="shape"):
        polynomial_features(np.zeros((3, 2)), 2)


def test_ols_recovers_exact_cubic():
    x = np.linspace(-1.5, 1.5, 40)
    ols = OLSRegression().fit(polynomial_features(x, 3), cubic(x))
    np.testing.assert_allclose(ols.coef_, CUBIC[1:], atol=1e-10)
    assert abs(ols.intercept_ - CUBIC[0]) < 1e-10


def test_ols_matches_polyfit_and_sklearn(noisy_data):
    x, y = noisy_data
    model = PolynomialModel("ols", degree=6).fit(x, y)
    grid = np.linspace(-1.7, 1.7, 25)[:, None]
    prediction = model.predict(grid)
    assert prediction.shape == (25, 1)
    polyfit = np.polyval(np.polyfit(x[:, 0], y[:, 0], 6), grid)
    sklearn = LinearRegression().fit(polynomial_features(x, 6), y).predict(polynomial_features(grid, 6))
    np.testing.assert_allclose(prediction, polyfit, atol=1e-9)
    np.testing.assert_allclose(prediction, sklearn, atol=1e-9)


def test_prediction_shape_follows_targets(noisy_data):
    x, y = noisy_data
    for kind, lam in (("ols", 0.0), ("ridge", 0.1), ("lasso", 1e-3)):
        assert PolynomialModel(kind, 3, lam).fit(x, y).predict(x).shape == (60, 1)
        assert PolynomialModel(kind, 3, lam).fit(x, y[:, 0]).predict(x).shape == (60,)


@pytest.mark.parametrize("lam", [1e-5, 1e-2, 1.0, 30.0])
def test_ridge_matches_sklearn(noisy_data, lam):
    x, y = noisy_data
    X = polynomial_features(x, 7)
    ours = RidgeRegression(lam).fit(X, y[:, 0])
    theirs = Ridge(alpha=lam, fit_intercept=True, solver="cholesky").fit(X, y[:, 0])
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-8)


def test_ridge_shrinks_slopes_not_intercept():
    x = np.linspace(-1, 1, 30)
    y = 5.0 + 0.0 * x
    ridge = RidgeRegression(1e6).fit(polynomial_features(x, 2), y + 0.1 * x)
    assert np.all(np.abs(ridge.coef_) < 1e-4)
    assert abs(ridge.intercept_ - 5.0) < 1e-4


@pytest.mark.parametrize("lam", [0.0, 1e-12])
def test_ridge_without_penalty_is_ols(noisy_data, lam):
    x, y = noisy_data
    X = polynomial_features(x, 5)
    np.testing.assert_allclose(RidgeRegression(lam).fit(X, y).coef_, OLSRegression().fit(X, y).coef_, atol=1e-8)


def test_ridge_rejects_negative_penalty(noisy_data):
    x, y = noisy_data
    with pytest.raises(ValueError, match="lam"):
        RidgeRegression(-1.0).fit(polynomial_features(x, 2), y)


def test_lasso_with_tiny_penalty_is_close_to_ols(noisy_data):
    x, y = noisy_data
    X = polynomial_features(x, 3)
    lasso = LassoRegression(1e-9).fit(X, y)
    ols = OLSRegression().fit(X, y)
    assert lasso.converged_
    np.testing.assert_allclose(lasso.coef_, ols.coef_, atol=1e-5)
    np.testing.assert_allclose(lasso.predict(X), ols.predict(X), atol=1e-5)


def test_lasso_matches_sklearn_with_intercept(noisy_data):
    x, y = noisy_data
    X = polynomial_features(x, 4)
    ours = LassoRegression(1e-2).fit(X, y[:, 0])
    theirs = Lasso(alpha=1e-2, max_iter=1_000_000, tol=1e-8, fit_intercept=True).fit(X, y[:, 0])
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-10)
    assert ours.n_iter_ == theirs.n_iter_


def test_lasso_penalty_zeroes_coefficients(noisy_data):
    x, y = noisy_data
    lasso = LassoRegression(1.0).fit(polynomial_features(x, 5), y)
    np.testing.assert_array_equal(lasso.coef_, 0.0)
    assert abs(lasso.intercept_[0] - y.mean()) < 1e-12


def test_lasso_reports_non_convergence(noisy_data):
    x, y = noisy_data
    lasso = LassoRegression(1e-6, max_iter=3, tol=1e-12)
    with pytest.warns(ConvergenceWarning):
        lasso.fit(polynomial_features(x, 9), y)
    assert not lasso.converged_
    assert lasso.n_iter_ == 3


def test_lasso_rejects_zero_penalty(noisy_data):
    x, y = noisy_data
    with pytest.raises(ValueError, match="OLS"):
        LassoRegression(0.0).fit(polynomial_features(x, 2), y)


def test_polynomial_model_rejects_unknown_kind(noisy_data):
    x, y = noisy_data
    with pytest.raises(ValueError, match="kind"):
        PolynomialModel("elastic", 2).fit(x, y)


def test_polynomial_model_is_sklearn_estimator():
    model = PolynomialModel("ridge", degree=4, lam=0.1)
    assert model.get_params() == {"kind": "ridge", "degree": 4, "lam": 0.1}


def _cubic_split(test_y=None):
    rng = np.random.default_rng(1)
    x_train, x_val, x_test = rng.uniform(-1, 1, 40), rng.uniform(-1, 1, 15), rng.uniform(-1, 1, 10)
    y_test = cubic(x_test) if test_y is None else test_y
    return RungeSplit.from_arrays(x_train, cubic(x_train), x_val, cubic(x_val), x_test, y_test)


def test_selection_picks_true_degree_and_ignores_test():
    s = _cubic_split(test_y=np.full(10, np.nan))  # any read of the test targets would poison the MSEs
    best, grid = select_polynomial_model("ols", range(1, 9), None, s)
    assert best["degree"] == 3 and best["lam"] == 0.0
    assert best["val_mse"] < 1e-20
    assert list(grid.columns) == ["kind", "degree", "lam", "train_mse", "val_mse", "converged"]
    assert len(grid) == 8 and grid["val_mse"].notna().all()
    # lower degrees cannot fit a cubic
    assert (grid.loc[grid["degree"] < 3, "val_mse"] > 1e-3).all()


def test_ridge_selection_prefers_weak_penalty_on_noiseless_cubic():
    best, grid = select_polynomial_model("ridge", [2, 3, 4], [1e-10, 1e-2, 10.0], _cubic_split())
    assert len(grid) == 9
    assert best["degree"] == 3 and best["lam"] == 1e-10


def test_selection_uses_validation_mse():
    s = make_runge_split(noise_std=0.01, rng=np.random.default_rng(6114))
    best, grid = select_polynomial_model("ols", range(1, 16), [0], s)
    assert best["val_mse"] == grid["val_mse"].min()
    # training MSE keeps falling with degree; validation MSE decides
    assert grid["train_mse"].idxmin() == grid.index[-1]
    chosen = PolynomialModel("ols", best["degree"]).fit(s.z_train, s.y_train)
    assert np.mean((chosen.predict(s.z_val) - s.y_val) ** 2) == pytest.approx(best["val_mse"], rel=1e-12)


def test_selection_can_require_convergence():
    s = make_runge_split(rng=np.random.default_rng(6114))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        best, grid = select_polynomial_model("lasso", [8, 14], [1e-6], s, require_convergence=True)
    assert best["converged"]
    assert best["val_mse"] == grid.loc[grid["converged"], "val_mse"].min()
    # the requirement matters here: a fit stopped at max_iter validates better
    assert grid.loc[~grid["converged"], "val_mse"].min() < best["val_mse"]


@pytest.mark.parametrize(
    "kind, degrees, lambdas, message",
    [
        ("poly", [1], None, "kind"),
        ("ols", [], None, "degrees"),
        ("ols", [2], [0.1], "OLS"),
        ("ridge", [2], None, "lambdas"),
        ("lasso", [2], [], "lambdas"),
    ],
)
def test_selection_rejects_bad_arguments(kind, degrees, lambdas, message):
    with pytest.raises(ValueError, match=message):
        select_polynomial_model(kind, degrees, lambdas, _cubic_split())
