"""OpenBLAS's thread timeout: set on import of the package, before NumPy loads OpenBLAS, unless the user chose one."""

import os
import subprocess
import sys

import pytest

READ = "import ffnn, os, numpy; print(os.environ['OPENBLAS_THREAD_TIMEOUT'])"


@pytest.mark.parametrize(("chosen", "expected"), [(None, "18"), ("4", "4")], ids=["default", "the user's"])
def test_the_package_sets_the_thread_timeout_unless_the_user_did(chosen, expected):
    environment = {key: value for key, value in os.environ.items() if key != "OPENBLAS_THREAD_TIMEOUT"}
    if chosen is not None:
        environment["OPENBLAS_THREAD_TIMEOUT"] = chosen
    result = subprocess.run([sys.executable, "-c", READ], env=environment, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == expected
