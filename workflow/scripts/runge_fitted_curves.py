"""Snakemake glue: the final models' predictions on a dense x grid, Runge's function, and the data points."""

import pandas as pd

from ffnn.data.runge import RungeSplit, runge
from ffnn.io import load_json, logged, save_table

smk = snakemake  # noqa: F821 -- injected by Snakemake's `script:` directive

with logged(smk.log):
    frames = []
    for spec, path in zip(smk.params.rows, smk.input.rows, strict=True):
        result = load_json(path)
        frame = pd.DataFrame({"x": result["x_dense"], "y": result["prediction"]})
        frame.insert(0, "noise_std", result["noise_std"])
        frame.insert(0, "model", spec["model"])
        frame.insert(0, "row", spec["row"])
        frames.append(frame)
    x_dense = frames[0]["x"].to_numpy()
    frames.append(
        pd.DataFrame({"row": "runge", "model": "Runge function", "noise_std": 0.0, "x": x_dense, "y": runge(x_dense)})
    )
    save_table(pd.concat(frames, ignore_index=True), smk.output.curves)

    points = []
    for noise_std, path in zip(smk.params.noise_levels, smk.input.data, strict=True):
        split = RungeSplit.load(path)
        for part in ("train", "val", "test"):
            x, y = getattr(split, f"x_{part}").ravel(), getattr(split, f"y_{part}").ravel()
            points.append(pd.DataFrame({"noise_std": noise_std, "part": part, "x": x, "y": y}))
    save_table(pd.concat(points, ignore_index=True), smk.output.points)
