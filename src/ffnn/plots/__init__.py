"""Figures of the study, drawn from result tables only (one module per family of figures)."""
