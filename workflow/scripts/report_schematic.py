"""Snakemake glue: draw the Figure 1 network schematic from the configured layer sizes."""

from ffnn.plots.schematic import draw_network_schematic
from ffnn.plots.style import save_figure

save_figure(draw_network_schematic(snakemake.params.layer_sizes), snakemake.output[0])  # noqa: F821
