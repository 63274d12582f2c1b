"""Data sets of the study: one module each (``ffnn.data.fashion_mnist``, ...)."""
