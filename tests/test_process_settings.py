"""Settings the package makes for its process on import, unless the user chose them: OpenBLAS's thread
timeout and Numba's threading layer (before NumPy and Numba read them), and glibc's thresholds that
keep freed arrays' memory for the next batch."""

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


# Pages faulted in per 16 MB array, allocated, filled and freed ten times over after a first one.
COUNT_FAULTS = """
import resource, ffnn, numpy as np
np.ones(2**22, dtype=np.float32)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    np.ones(2**22, dtype=np.float32)
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10)
"""


def faults_per_array(environment: dict) -> float:
    result = subprocess.run(
        [sys.executable, "-c", COUNT_FAULTS], env=environment, capture_output=True, text=True, check=True
    )
    return float(result.stdout)


def test_freed_arrays_memory_is_reused_without_page_faults_unless_the_user_set_malloc():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MALLOC_")}
    assert faults_per_array(environment) < 10  # 16 MB is 4096 pages: none faulted in again
    # The user's own threshold stands: arrays above 1 MB are mapped afresh and faulted in again.
    assert faults_per_array({**environment, "MALLOC_MMAP_THRESHOLD_": str(2**20)}) > 100
