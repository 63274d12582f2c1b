"""Snakemake glue: fetch Fashion-MNIST and cache it as one npz (see ffnn.data.fashion_mnist)."""

import contextlib
import sys

from ffnn.data.fashion_mnist import prepare_fashion_mnist

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with open(smk.log[0], "w") if smk.log else contextlib.nullcontext(sys.stderr) as log:
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        out = prepare_fashion_mnist(smk.params.root, smk.output[0], smk.params.debian_dir)
        print(f"wrote {out}")
