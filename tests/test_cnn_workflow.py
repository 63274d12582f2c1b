"""The CNN part of the workflow: a bad `cnn:` config is refused by name before any job."""

from __future__ import annotations

import pytest
from test_workflow_config import assert_refused, dry_run


@pytest.mark.parametrize(
    "overrides, names",
    [
        ({"cnn": {"model": {"dropout": 1.0}}}, ["dropout"]),
        ({"cnn": {"grid": {"channels": [[]]}}}, ["channels"]),
        ({"cnn": {"grid": {"batch_norm": ["yes"]}}}, ["batch_norm"]),
        ({"cnn": {"model": {"max_shift": 1.5}}}, ["max_shift"]),
        ({"cnn": {"grid": {"kernel_size": [3, 5]}}}, ["kernel_size"]),
        ({"cnn": {"verify": {"float64": {"stepz": 3}}}}, ["stepz"]),
    ],
)
def test_bad_cnn_config_is_refused_by_name(tmp_path, overrides, names):
    assert_refused(dry_run(overrides, tmp_path), "cnn", *names)
