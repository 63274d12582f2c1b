"""Tests of ffnn.data.runge: Runge's function and its train/validation/test split."""

import numpy as np
import pytest

from ffnn.data.runge import RungeSplit, make_runge_split, runge


def split(seed=6114, **kwargs):
    return make_runge_split(rng=np.random.default_rng(seed), **kwargs)


def all_x(s):
    return np.concatenate([s.x_train, s.x_val, s.x_test]).ravel()


def test_runge_values():
    np.testing.assert_allclose(runge([0.0, 1.0, -1.0, 0.2]), [1.0, 1 / 26, 1 / 26, 0.5], rtol=1e-15)
    assert runge(np.zeros((3, 1))).shape == (3, 1)


def test_default_sizes_and_shapes():
    s = split()
    assert (len(s.x_train), len(s.x_val), len(s.x_test)) == (64, 16, 20)
    for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test"):
        assert getattr(s, name).shape[1] == 1 and getattr(s, name).dtype == np.float64
    for z, x in ((s.z_train, s.x_train), (s.z_val, s.x_val), (s.z_test, s.x_test)):
        assert z.shape == x.shape


def test_other_sizes():
    s = split(n_points=50, test_fraction=0.3, validation_fraction=0.25)
    # 15 test; 0.25 of the remaining 35 rounds to 9 validation; 26 train
    assert (len(s.x_train), len(s.x_val), len(s.x_test)) == (26, 9, 15)


def test_parts_are_disjoint_and_cover_the_grid():
    s = split()
    x = all_x(s)
    assert len(np.unique(x)) == 100
    np.testing.assert_array_equal(np.sort(x), np.linspace(-1, 1, 100))


def test_noiseless_targets_are_runge():
    s = split()
    for x, y in ((s.x_train, s.y_train), (s.x_val, s.y_val), (s.x_test, s.y_test)):
        np.testing.assert_array_equal(y, runge(x))


def test_same_seed_same_split_other_seed_other_split():
    a, b, c = split(6114), split(6114), split(7)
    np.testing.assert_array_equal(all_x(a), all_x(b))
    assert not np.array_equal(a.x_test, c.x_test)


def test_partition_does_not_depend_on_noise():
    clean, noisy = split(noise_std=0.0), split(noise_std=0.01)
    np.testing.assert_array_equal(all_x(clean), all_x(noisy))


def test_noise_has_requested_scale():
    s = split(n_points=4000, noise_std=0.01)
    residuals = np.concatenate([s.y_train - runge(s.x_train), s.y_val - runge(s.x_val), s.y_test - runge(s.x_test)])
    assert abs(residuals.std() - 0.01) < 0.001
    assert abs(residuals.mean()) < 0.001


def test_noise_is_seeded():
    np.testing.assert_array_equal(split(3, noise_std=0.1).y_test, split(3, noise_std=0.1).y_test)
    assert not np.array_equal(split(3, noise_std=0.1).y_test, split(4, noise_std=0.1).y_test)


def test_scaler_is_fitted_on_training_inputs_only():
    s = split()
    np.testing.assert_allclose(s.scaler.mean_, [s.x_train.mean()])
    np.testing.assert_allclose(s.scaler.scale_, [s.x_train.std()])
    assert abs(s.z_train.mean()) < 1e-12 and abs(s.z_train.std() - 1) < 1e-12
    # validation inputs are a different sample, so they are not exactly standardised
    assert abs(s.z_val.mean()) > 1e-6
    np.testing.assert_allclose(s.scale(s.x_val[:, 0]), s.z_val)


def test_scale_dense_grid():
    s = split()
    grid = np.linspace(-1, 1, 7)
    np.testing.assert_allclose(s.scale(grid), ((grid - s.x_train.mean()) / s.x_train.std())[:, None])


def test_save_load_roundtrip(tmp_path):
    s = split(noise_std=0.01)
    path = tmp_path / "sub" / "runge.npz"
    s.save(path)
    loaded = RungeSplit.load(path)
    for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test", "z_train", "z_val", "z_test"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(s, name))
    assert [p.name for p in path.parent.iterdir()] == ["runge.npz"]  # no temp file left


def test_load_reports_missing_arrays(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, x_train=np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"bad\.npz.*y_train"):
        RungeSplit.load(path)


def test_load_reports_bad_shapes(tmp_path):
    path = tmp_path / "bad_shape.npz"
    arrays = {name: np.zeros((4, 1)) for name in ("x_train", "y_train", "x_val", "y_val", "x_test")}
    np.savez(path, y_test=np.zeros((3, 1)), **arrays)
    with pytest.raises(ValueError, match=r"bad_shape\.npz.*y_test"):
        RungeSplit.load(path)


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        RungeSplit.load(tmp_path / "absent.npz")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_points": 5}, "n_points"),
        ({"n_points": 20.5}, "n_points"),
        ({"noise_std": -0.1}, "noise_std"),
        ({"noise_std": float("nan")}, "noise_std"),
        ({"test_fraction": 0.0}, "test_fraction"),
        ({"test_fraction": 1.0}, "test_fraction"),
        ({"validation_fraction": 0.0}, "validation_fraction"),
        ({"validation_fraction": 1.5}, "validation_fraction"),
        ({"n_points": 10, "test_fraction": 0.01}, "need at least"),
        ({"n_points": 10, "test_fraction": 0.5, "validation_fraction": 0.9}, "need at least"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        split(**kwargs)


def test_rng_must_be_a_generator():
    with pytest.raises(TypeError, match="Generator"):
        make_runge_split(rng=6114)
