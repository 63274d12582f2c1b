"""Thread settings the package makes on import, before NumPy and Numba read them, unless the user chose them:
OpenBLAS's thread timeout and Numba's threading layer."""

import os
import subprocess
import sys

import pytest

SETTINGS = {"OPENBLAS_THREAD_TIMEOUT": ("18", "4"), "NUMBA_THREADING_LAYER": ("workqueue", "omp")}


@pytest.mark.parametrize("variable", SETTINGS)
@pytest.mark.parametrize("users_choice", [False, True], ids=["default", "the user's"])
def test_the_package_sets_the_thread_settings_unless_the_user_did(variable, users_choice):
    default, chosen = SETTINGS[variable]
    environment = {key: value for key, value in os.environ.items() if key != variable}
    if users_choice:
        environment[variable] = chosen
    read = f"import ffnn, os, numpy, numba; print(os.environ['{variable}'])"
    result = subprocess.run([sys.executable, "-c", read], env=environment, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == (chosen if users_choice else default)


def test_the_parallel_kernels_run_on_the_workqueue_layer():
    environment = {key: value for key, value in os.environ.items() if key != "NUMBA_THREADING_LAYER"}
    run = (
        "import ffnn, numpy as np, numba; from ffnn.layers import MaxPool2D;"
        "MaxPool2D(2).forward(np.ones((2, 1, 4, 4))); print(numba.threading_layer())"
    )
    result = subprocess.run([sys.executable, "-c", run], env=environment, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "workqueue"
