"""The audit at a glance: every comparable number of the study against ours, in one figure.

:func:`audit_figure` draws one row per number of the audit table (``results/audit/audit.csv``)
that can be set against ours, grouped by where it stands in the study (``location``), with our
value relative to the study's and the 95 % prediction interval of one run of ours;
:func:`audit_figure_caption_counts` and :func:`audit_figure_left_out` count what it draws and what
it leaves out, for the report's caption; :func:`audit_figure_rows` lists the drawn rows with the
values they are drawn at.

Which rows are drawn
--------------------
A row is left out, for the first of these reasons that applies (:data:`LEFT_OUT_REASONS`):

``choice``
    ``better == "choice"``: a chosen hyperparameter, not a score.
``not comparable``
    ``verdict == "not comparable"``.
``every run diverged``
    our value is not a finite number: no run of ours has a score to draw (the audit calls it worse).
``study value not positive``
    a ``scale == "log"`` row whose study value is 0 or negative has no ratio to draw.
``repeats a drawn row``
    ``repeats`` names another row that is drawn (or would be, but for its own ``repeats``): the
    number of ours it repeats appears once, at that row. A row repeating a row that is not drawn
    is drawn itself.

Every other row is drawn, and must be a score (``better`` ``lower`` or ``higher``) with a verdict of
:data:`DRAWN_VERDICTS`, a ``scale`` of ``log`` or ``raw`` and numeric study and our values;
anything else raises ``ValueError`` naming the rows, since the audit table is made by code and such
a row is a bug there.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from ..number_sources import whole
from .style import FONT_PT, TEXT_WIDTH_IN, apply_style, tidy_log_axes

__all__ = [
    "DRAWN_VERDICTS",
    "LEFT_OUT_REASONS",
    "VERDICT_COLORS",
    "audit_figure",
    "audit_figure_caption_counts",
    "audit_figure_left_out",
    "audit_figure_rows",
]

#: Verdicts of the rows the figure draws, in the order of its legend and of the caption counts.
DRAWN_VERDICTS = ("reproduced", "better", "worse")
#: Why a row of the audit is not drawn, in the order they are tested (see the module's docstring).
LEFT_OUT_REASONS = ("choice", "not comparable", "every run diverged", "study value not positive", "repeats a drawn row")
_COLORBLIND = sns.color_palette("colorblind")
#: One colour per verdict, the same in every figure.
VERDICT_COLORS = {"reproduced": _COLORBLIND[0], "better": _COLORBLIND[2], "worse": _COLORBLIND[3]}
#: Columns the figure reads (``repeats`` is optional: without it no row repeats another).
REQUIRED_COLUMNS = (
    "id",
    "location",
    "model",
    "better",
    "scale",
    "study_value",
    "ours_mean",
    "ours_pi_low",
    "ours_pi_high",
    "verdict",
)
#: Panels of the figure: the scale of the rows it holds, and how ours is set against the study.
_PANELS = {
    "log": {
        "title": "Numbers spanning decades: ours ÷ study",
        "xlabel": "our value ÷ the study's (log scale; 1 = the study's value)",
        "reference": 1.0,
    },
    "raw": {
        "title": "Accuracies, shares and norms: ours − study",
        "xlabel": "our value − the study's (the metric's units; 0 = the study's value)",
        "reference": 0.0,
    },
}
# Vertical layout, in inches on the printed page: the pitch of a labelled row (and of a group's
# header line) between its roomiest and its tightest for 7.5-point labels, the pitch of a row of a
# group too large to label row by row, the space between groups (in labelled rows), and what each
# panel needs beside its rows (title, x axis) and the legend below them.
_ROW_IN = (9.5 / 72, 8.0 / 72)
_DENSE_ROW_IN = 1.6 / 72
_GROUP_GAP = 0.2
_PANEL_EXTRA_IN = 0.62
_LEGEND_IN = 0.4
_LABEL_CHARS = 28


def _text(series: pd.Series) -> pd.Series:
    """Strings with NaN and surrounding blanks turned into ``""``."""
    return series.fillna("").astype(str).str.strip()


def _classify(audit: pd.DataFrame) -> pd.DataFrame:
    """``audit`` with numeric ``study``, ``ours``, ``pi_low``, ``pi_high`` and the ``left_out`` reason
    (``""`` for a drawn row); raises ``ValueError`` on a table the figure cannot draw."""
    missing = [column for column in REQUIRED_COLUMNS if column not in audit.columns]
    if missing:
        raise ValueError(f"audit figure: the audit table lacks columns {missing}; has {list(audit.columns)}")
    table = audit.reset_index(drop=True).copy()
    table["id"] = _text(table["id"])
    duplicated = sorted(set(table.loc[table["id"].duplicated(), "id"]))
    if duplicated:
        raise ValueError(f"audit figure: ids used twice: {duplicated}")
    for column in ("location", "model", "better", "scale", "verdict"):
        table[column] = _text(table[column])
    table["metric"] = _text(table["metric"]) if "metric" in table else ""
    table["repeats"] = _text(table["repeats"]) if "repeats" in table else ""
    for name, column in (
        ("study", "study_value"),
        ("ours", "ours_mean"),
        ("pi_low", "ours_pi_low"),
        ("pi_high", "ours_pi_high"),
    ):
        table[name] = pd.to_numeric(table[column], errors="coerce").astype(float)

    reason = pd.Series("", index=table.index, dtype=object)
    reason[table["better"] == "choice"] = "choice"
    reason[(reason == "") & (table["verdict"] == "not comparable")] = "not comparable"
    scores = reason == ""
    problems = {
        "`better` not lower/higher": scores & ~table["better"].isin(["lower", "higher"]),
        f"verdict not one of {DRAWN_VERDICTS}": scores & ~table["verdict"].isin(DRAWN_VERDICTS),
        "`scale` not log/raw": scores & ~table["scale"].isin(list(_PANELS)),
        "study value not a finite number": scores & ~np.isfinite(table["study"]),
    }
    for what, rows in problems.items():
        if rows.any():
            raise ValueError(f"audit figure: {what} on rows {table.loc[rows, 'id'].tolist()}")
    reason[scores & ~np.isfinite(table["ours"])] = "every run diverged"
    reason[(reason == "") & (table["scale"] == "log") & (table["study"] <= 0)] = "study value not positive"

    unknown = table.loc[(table["repeats"] != "") & ~table["repeats"].isin(table["id"]), ["id", "repeats"]]
    if not unknown.empty:
        raise ValueError(f"audit figure: rows repeat ids the table lacks: {dict(unknown.itertuples(index=False))}")
    drawable = set(table.loc[reason == "", "id"])
    target = dict(zip(table["id"], table["repeats"], strict=True))
    for start in drawable:
        seen, current = {start}, target[start]
        while current in drawable:  # a chain of repeats must end at a row that is drawn
            if current in seen:
                raise ValueError(f"audit figure: rows repeat each other in a circle: {sorted(seen)}")
            seen.add(current)
            current = target[current]
    repeating = (reason == "") & table["repeats"].isin(drawable)
    reason[repeating] = "repeats a drawn row"
    table["left_out"] = reason
    return table


def audit_figure_rows(audit: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`audit_figure` draws, in the audit's order, with the values they are drawn at.

    Parameters
    ----------
    audit : DataFrame
        The audit table (columns :data:`REQUIRED_COLUMNS`, optionally ``metric`` and ``repeats``);
        ``study_value``, ``ours_mean`` and the interval may be text, as read from the CSV.

    Returns
    -------
    DataFrame
        ``id``, ``location``, ``model``, ``metric``, ``verdict``, ``panel`` (the row's ``scale``:
        ``log`` or ``raw``), ``x`` (ours / study on a ``log`` row, ours - study on a ``raw`` one),
        ``x_low`` and ``x_high`` (the same of our one-run prediction interval; NaN where our number
        is a single value) and ``interval`` (whether it has one).
    """
    table = _classify(audit)
    drawn = table[table["left_out"] == ""].copy()
    log = drawn["scale"] == "log"
    study = drawn["study"]
    for name, column in (("x", "ours"), ("x_low", "pi_low"), ("x_high", "pi_high")):
        drawn[name] = np.where(log, drawn[column] / study, drawn[column] - study)
    drawn["interval"] = np.isfinite(drawn["x_low"]) & np.isfinite(drawn["x_high"])
    drawn.loc[~drawn["interval"], ["x_low", "x_high"]] = math.nan
    drawn["panel"] = drawn["scale"]
    columns = ["id", "location", "model", "metric", "verdict", "panel", "x", "x_low", "x_high", "interval"]
    return drawn[columns].reset_index(drop=True)


def audit_figure_caption_counts(audit: pd.DataFrame) -> dict[str, int]:
    """How many rows :func:`audit_figure` draws with each verdict of :data:`DRAWN_VERDICTS` (zeros kept).

    Rows the figure leaves out (chosen settings, ``not comparable`` rows, repeats, log rows with a
    study value of zero; :func:`audit_figure_left_out` counts them) are not counted.
    """
    verdicts = audit_figure_rows(audit)["verdict"]
    return {name: whole((verdicts == name).sum()) for name in DRAWN_VERDICTS}


def audit_figure_left_out(audit: pd.DataFrame) -> dict[str, int]:
    """How many rows of the audit :func:`audit_figure` leaves out, by reason (:data:`LEFT_OUT_REASONS`,
    zeros kept); each row is counted once, under the first reason that applies."""
    reasons = _classify(audit)["left_out"]
    return {name: whole((reasons == name).sum()) for name in LEFT_OUT_REASONS}


# ------------------------------------------------------------------ layout


def _groups(rows: pd.DataFrame, order: Sequence[str]) -> list[pd.DataFrame]:
    """``rows`` split by ``location``, the locations in ``order`` (their first appearance in the audit)."""
    return [rows[rows["location"] == location] for location in order if (rows["location"] == location).any()]


def _row_labels(group: pd.DataFrame) -> list[str]:
    """Each row's ``model`` where the models of the group differ, else its id less the prefix the
    group's ids share (``table5-network-accuracy`` -> ``network-accuracy``); shortened to
    :data:`_LABEL_CHARS` characters."""
    if group["model"].is_unique and (group["model"] != "").all():
        labels = list(group["model"])
    else:
        ids = list(group["id"])
        prefix = os.path.commonprefix(ids) if len(ids) > 1 else ""
        prefix = prefix[: prefix.rfind("-") + 1]
        labels = [name[len(prefix) :] or name for name in ids]
    return [label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…" for label in labels]


def _group_height(n_rows: int, labelled: bool, row_in: float) -> float:
    """Inches a group takes: its header line, its rows, the space before the next group."""
    rows = n_rows * row_in if labelled else max(n_rows * _DENSE_ROW_IN, row_in)
    return (1 + _GROUP_GAP) * row_in + rows


def _panel_heights(panels: dict[str, list[pd.DataFrame]], labelled: dict, row_in: float) -> list[float]:
    return [
        sum(_group_height(len(group), labelled[(panel, i)], row_in) for i, group in enumerate(groups))
        for panel, groups in panels.items()
    ]


def _figure_height(heights: list[float]) -> float:
    return _LEGEND_IN + sum(height + _PANEL_EXTRA_IN for height in heights)


def _layout(panels: dict[str, list[pd.DataFrame]], label_rows_up_to: int, max_height: float) -> tuple[float, dict]:
    """The pitch of a labelled row in inches, and whether each group's rows are labelled one by one.

    Groups of at most ``label_rows_up_to`` rows are labelled, at the roomiest pitch of
    :data:`_ROW_IN` that keeps the figure within ``max_height``; where even the tightest does not,
    the largest labelled groups lose their row labels (and are drawn tight) until it does.
    """
    labelled = {
        (panel, i): len(group) <= label_rows_up_to for panel, groups in panels.items() for i, group in enumerate(groups)
    }
    roomy, tight = _ROW_IN
    for row_in in np.linspace(roomy, tight, 7):
        if _figure_height(_panel_heights(panels, labelled, row_in)) <= max_height:
            return float(row_in), labelled
    while _figure_height(_panel_heights(panels, labelled, tight)) > max_height:
        candidates = [
            (len(panels[key[0]][key[1]]), key) for key, on in labelled.items() if on and len(panels[key[0]][key[1]]) > 1
        ]
        if not candidates:
            break
        labelled[max(candidates)[1]] = False
    return tight, labelled


def _limits(
    rows: pd.DataFrame, panel: str, log_limits: tuple[float, float], raw_limit: float | None
) -> tuple[float, float]:
    """x limits of a panel: every point and interval end with a margin, the reference value inside,
    cut to ``log_limits`` (log panel) or to +-``raw_limit`` (raw panel, when given)."""
    values = pd.concat([rows["x"], rows["x_low"], rows["x_high"]]).to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if panel == "log":
        values = values[values > 0]
        low, high = (float(values.min()), float(values.max())) if values.size else (1.0, 1.0)
        low, high = min(low, 0.5), max(high, 2.0)
        low, high = low / 10**0.15, high * 10**0.15
        return max(low, log_limits[0]), min(high, log_limits[1])
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    low, high = min(low, 0.0), max(high, 0.0)
    pad = 0.06 * (high - low) or 0.01
    low, high = low - pad, high + pad
    if raw_limit is not None:
        low, high = max(low, -raw_limit), min(high, raw_limit)
    return low, high


def _value_text(value: float, panel: str) -> str:
    if panel == "log":
        return "×0" if value == 0 else f"×{value:.2g}"
    return f"{value:+.3g}"


def _draw_panel(
    ax, groups: list[pd.DataFrame], panel: str, labelled: list[bool], limits: tuple[float, float], row_in: float
) -> None:
    """Rows top to bottom (y in inches from the panel's top), one Line2D per marker and per interval,
    with the row's id as ``gid`` (``"{id}/interval"`` for its interval); values beyond ``limits`` are
    drawn at them, as triangles."""
    low, high = limits
    ticks, tick_labels = [], []
    text_transform = blended_transform_factory(ax.transAxes, ax.transData)
    cursor = 0.0
    last_note = {"left": -np.inf, "right": -np.inf}
    for index, (group, label_rows) in enumerate(zip(groups, labelled, strict=True)):
        if index:
            ax.axhline(cursor, color="0.55", lw=0.6, zorder=1)
        header = f"{group['location'].iloc[0]}"
        if not label_rows:
            header += f"  ({len(group)} numbers)"
        ax.text(
            0.006,
            cursor + 0.55 * row_in,
            header,
            transform=text_transform,
            ha="left",
            va="center",
            fontsize=FONT_PT["small"],
            fontweight="bold",
            color="0.15",
        )
        cursor += row_in
        pitch = row_in if label_rows else _DENSE_ROW_IN
        block = len(group) * pitch if label_rows else max(len(group) * pitch, row_in)
        start = cursor + (block - len(group) * pitch) / 2
        size = 4.0 if label_rows else 2.8
        names = _row_labels(group) if label_rows else [""] * len(group)
        for position, (row, name) in enumerate(zip(group.itertuples(index=False), names, strict=True)):
            y = start + (position + 0.5) * pitch
            color = VERDICT_COLORS[row.verdict]
            if label_rows:
                ticks.append(y)
                tick_labels.append(name)
            if row.interval:
                left, right = max(row.x_low, low), min(row.x_high, high)
                if left < right:
                    ax.plot(
                        [left, right],
                        [y, y],
                        color=color,
                        lw=1.3 if label_rows else 0.9,
                        alpha=0.75,
                        solid_capstyle="butt",
                        gid=f"{row.id}/interval",
                        zorder=2,
                    )
            inside = low <= row.x <= high
            if inside:
                ax.plot(
                    [row.x],
                    [y],
                    ls="none",
                    marker="o",
                    ms=size,
                    mew=0.9,
                    mec=color,
                    mfc=color if row.interval else "white",
                    gid=row.id,
                    zorder=3,
                )
                continue
            side = "left" if row.x < low else "right"
            edge = low if side == "left" else high
            ax.plot(
                [edge],
                [y],
                ls="none",
                marker="<" if side == "left" else ">",
                ms=size + 1.5,
                color=color,
                gid=row.id,
                zorder=4,
            )
            if y - last_note[side] >= row_in:
                ax.annotate(
                    _value_text(row.x, panel),
                    (edge, y),
                    xytext=(6 if side == "left" else -6, 0),
                    textcoords="offset points",
                    ha=side,
                    va="center",
                    fontsize=FONT_PT["small"],
                    color=color,
                )
                last_note[side] = y
        cursor += block + _GROUP_GAP * row_in
    ax.axvline(_PANELS[panel]["reference"], color="0.2", ls="--", lw=0.8, zorder=1)
    ax.set_xscale("log" if panel == "log" else "linear")
    # The axis reaches a little beyond the clipping bounds, so that a triangle at a bound lies inside it.
    if panel == "log":
        margin = (high / low) ** 0.02
        ax.set_xlim(low / margin, high * margin)
    else:
        margin = 0.02 * (high - low)
        ax.set_xlim(low - margin, high + margin)
    ax.set_ylim(cursor, 0.0)
    ax.set_yticks(ticks, tick_labels)
    ax.tick_params(axis="y", length=0, pad=2)
    ax.grid(axis="y", visible=False)
    ax.set_title(_PANELS[panel]["title"], loc="left")
    ax.set_xlabel(_PANELS[panel]["xlabel"])
    if panel == "log":
        tidy_log_axes(ax)


def audit_figure(
    audit: pd.DataFrame,
    label_rows_up_to: int = 12,
    log_limits: tuple[float, float] = (1e-3, 1e3),
    raw_limit: float | None = None,
    max_height: float = 8.4,
) -> plt.Figure:
    """Every comparable number of the study against ours, grouped by where it stands in the study.

    One row per drawn number (which rows are drawn: the module's docstring; the rows and their
    values: :func:`audit_figure_rows`), grouped by ``location`` in the order the locations first
    appear in ``audit``, each group under its bold header and a thin line. Rows of ``scale ==
    "log"`` (MSEs, gradient norms: numbers spanning decades) go to the upper panel at ours / study
    on a log axis, rows of ``scale == "raw"`` (accuracies, shares, norms) to the lower one at ours -
    study on a linear axis; a panel without rows is not drawn. A dashed line marks the study's value
    (1 or 0). The point is our number (the mean over seeds, or the single value), coloured by its
    verdict (:data:`VERDICT_COLORS`); the bar is the 95 % prediction interval of one run of ours
    (``ours_pi_low`` to ``ours_pi_high``, relative to the study the same way); a hollow point without
    a bar is a single value with no spread (judged by a tolerance). The interval of our mean
    (``ours_ci_*``) is not drawn. A point beyond the axis limits (or at ours = 0 on the log axis)
    is drawn as a triangle at the edge it lies beyond (just inside the axis), its value written
    beside it (where no other note at that edge is closer than a row).

    Each row's marker is a ``Line2D`` whose ``gid`` is the row's ``id``, and its interval one with
    ``gid`` ``"{id}/interval"``.

    Parameters
    ----------
    audit : DataFrame
        The audit table, columns :data:`REQUIRED_COLUMNS` (``study_value``, ``ours_mean`` and the
        interval may be text, as read from the CSV), optionally ``metric`` and ``repeats``.
    label_rows_up_to : int, default 12
        Groups of at most this many rows have each row labelled (with its ``model`` where those
        differ within the group, else with its id less the prefix the group's ids share); larger
        groups are drawn tighter and only their header names them.
    log_limits : (float, float), default (1e-3, 1e3)
        The log axis spans the ratios drawn, but no further than these: ratios beyond are clipped.
    raw_limit : float or None, default None
        Where given, the linear axis ends at +- ``raw_limit`` and differences beyond are clipped;
        by default it spans every difference and interval.
    max_height : float, default 8.4
        Tallest figure in inches (a page of the report, less room for its caption); where the labelled
        rows would not fit, the largest labelled groups are drawn tight and unlabelled until they do.

    Returns
    -------
    Figure
        ``TEXT_WIDTH_IN`` wide, as tall as its rows need.

    Raises
    ------
    ValueError
        On a table lacking columns, with repeated ids or rows the figure cannot draw (see the module's
        docstring), or with no row to draw.
    """
    rows = audit_figure_rows(audit)
    if rows.empty:
        raise ValueError("audit figure: no row of the audit can be drawn (all are choices, not comparable or repeats)")
    apply_style()
    order = list(dict.fromkeys(_text(audit["location"])))
    panels = {
        panel: _groups(rows[rows["panel"] == panel], order) for panel in _PANELS if (rows["panel"] == panel).any()
    }
    row_in, labelled = _layout(panels, label_rows_up_to, max_height)
    heights = _panel_heights(panels, labelled, row_in)
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(TEXT_WIDTH_IN, _figure_height(heights)),
        layout="constrained",
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    clipped = False
    for ax, (panel, groups) in zip(axes[:, 0], panels.items(), strict=True):
        drawn = rows[rows["panel"] == panel]
        low, high = _limits(drawn, panel, log_limits, raw_limit)
        clipped |= bool(((drawn["x"] < low) | (drawn["x"] > high)).any())
        _draw_panel(ax, groups, panel, [labelled[(panel, i)] for i in range(len(groups))], (low, high), row_in)
    _legend(fig, rows, clipped)
    return fig


def _legend(fig: plt.Figure, rows: pd.DataFrame, clipped: bool) -> None:
    """The verdicts in the legend's first line, what the marks mean in its second."""
    verdicts = [
        (Line2D([], [], ls="none", marker="o", ms=5, color=VERDICT_COLORS[v]), v)
        for v in DRAWN_VERDICTS
        if (rows["verdict"] == v).any()
    ]
    marks = []
    if rows["interval"].any():
        marks.append(
            (Line2D([], [], color="0.4", lw=1.3, marker="o", ms=4), "ours, one run's 95 % prediction interval")
        )
    if (~rows["interval"]).any():
        marks.append(
            (Line2D([], [], ls="none", marker="o", ms=4, mec="0.4", mfc="white"), "ours, one value (no spread)")
        )
    if clipped:
        marks.append((Line2D([], [], ls="none", marker=">", ms=5, color="0.4"), "beyond the axis (value written)"))
    ncol = max(len(verdicts), len(marks))
    blank = (Line2D([], [], alpha=0.0), "")
    lines = [entries + [blank] * (ncol - len(entries)) for entries in (verdicts, marks) if entries]
    entries = [entry for column in zip(*lines, strict=True) for entry in column]  # the legend fills column by column
    handles, labels = zip(*entries, strict=True)
    fig.legend(handles, labels, loc="outside lower center", ncol=ncol, frameon=False, columnspacing=1.5)
