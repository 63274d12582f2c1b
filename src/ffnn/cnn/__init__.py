"""The convolutional network on FashionMNIST (beyond the study): the model, its grid cells and result tables.

Its figures are drawn by :mod:`ffnn.plots.cnn`; the fitting loop and the scores are the dense
network's (:mod:`ffnn.fashion.fitting`, :mod:`ffnn.fashion.metrics`).
"""
