"""The FashionMNIST study (Section III.B): splits, one fit per grid cell, result tables."""
