"""Snakemake glue: fetch Fashion-MNIST and cache it as one npz (see ffnn.data.fashion_mnist)."""

from ffnn.data.fashion_mnist import prepare_fashion_mnist
from ffnn.io import logged

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    out = prepare_fashion_mnist(smk.params.root, smk.output[0], smk.params.debian_dir)
    print(f"wrote {out}")
