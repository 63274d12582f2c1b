import itertools

import numpy as np
import pytest

from ffnn.architectures import pyramid_widths, uniform_widths


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((512, 3, 0.5), [512, 256, 128]),
        ((512, 1, 0.5), [512]),
        ((10, 4, 0.5, 3), [10, 5, 3, 3]),  # ceil(2.5)=3, then max(ceil(1.25), 3)=3
        ((100, 3, 0.3), [100, 30, 9]),
        # floating point gives 100*0.2**2 = 4.000000000000001 and 50*0.8**2 = 32.00000000000001
        ((100, 3, 0.2), [100, 20, 4]),
        ((50, 3, 0.8), [50, 40, 32]),
        ((100, 3, 0.1, 1), [100, 10, 1]),
        ((7, 4, 0.5), [7, 4, 2, 1]),  # ceil(3.5)=4, ceil(1.75)=2, ceil(0.875)=1
        ((64, 3, 1.0), [64, 64, 64]),
        ((3, 5, 0.1, 2), [3, 2, 2, 2, 2]),
        ((8, 3, 0.5, 16), [8, 8, 8]),  # Algorithm 1 line 4: never wider than the previous layer
    ],
)
def test_pyramid_widths_hand_worked(args, expected):
    widths = pyramid_widths(*args)
    assert widths == expected
    assert all(type(w) is int for w in widths)


def test_pyramid_widths_default_ratio_halves():
    assert pyramid_widths(256, 4) == [256, 128, 64, 32]


def test_ratio_one_equals_uniform():
    assert pyramid_widths(50, 4, ratio=1.0) == uniform_widths(50, 4) == [50, 50, 50, 50]


def test_pyramid_widths_accepts_numpy_scalars():
    assert pyramid_widths(np.int64(12), np.int32(2), np.float64(0.5)) == [12, 6]


def test_pyramid_widths_is_non_increasing_and_floored():
    for first in (1, 5, 33, 100, 784):
        for ratio in (0.1, 0.3, 0.5, 0.7, 0.9, 1.0):
            widths = pyramid_widths(first, 6, ratio, min_width=2)
            assert widths[0] == first
            assert all(a >= b for a, b in itertools.pairwise(widths))
            assert all(w >= min(2, first) for w in widths)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"first_width": 0, "depth": 3}, "first_width"),
        ({"first_width": 10.0, "depth": 3}, "first_width"),
        ({"first_width": True, "depth": 3}, "first_width"),
        ({"first_width": 10, "depth": 0}, "depth"),
        ({"first_width": 10, "depth": 2.5}, "depth"),
        ({"first_width": 10, "depth": 3, "ratio": 0.0}, "ratio"),
        ({"first_width": 10, "depth": 3, "ratio": 1.5}, "ratio"),
        ({"first_width": 10, "depth": 3, "ratio": -0.5}, "ratio"),
        ({"first_width": 10, "depth": 3, "ratio": float("nan")}, "ratio"),
        ({"first_width": 10, "depth": 3, "ratio": "0.5"}, "ratio"),
        ({"first_width": 10, "depth": 3, "min_width": 0}, "min_width"),
    ],
)
def test_pyramid_widths_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pyramid_widths(**kwargs)


def test_uniform_widths():
    assert uniform_widths(32, 3) == [32, 32, 32]
    with pytest.raises(ValueError, match="width"):
        uniform_widths(0, 3)
    with pytest.raises(ValueError, match="depth"):
        uniform_widths(32, 0)
