"""The audit figure draws exactly the comparable scores, each at ours relative to the study, counts
their verdicts for the caption, and prints at the report's size; built on small hand-made audit tables."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ffnn.plots import audit as plots
from ffnn.plots.style import MIN_FONT_PT, TEXT_WIDTH_IN, save_figure, smallest_printed_font

NAN = math.nan


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def row(id, location, better, scale, study, ours, verdict, pi=(NAN, NAN), model=None, repeats="", metric="test MSE"):
    return {
        "id": id,
        "location": location,
        "model": model or id,
        "metric": metric,
        "better": better,
        "scale": scale,
        "study_value": study,
        "ours_mean": ours,
        "ours_pi_low": pi[0],
        "ours_pi_high": pi[1],
        "ours_ci_low": NAN,
        "ours_ci_high": NAN,
        "verdict": verdict,
        "repeats": repeats,
    }


def small_audit() -> pd.DataFrame:
    """Three drawn rows (two log, one raw) and one row left out for each reason."""
    return pd.DataFrame(
        [
            row("t1-a", "Table I", "lower", "log", "1e-4", "2e-4", "reproduced", pi=(1e-4, 4e-4), model="NN"),
            row("t1-b", "Table I", "lower", "log", "0.01", "0.005", "better", model="OLS"),
            row("t1-optimizer", "Table I", "choice", NAN, "adam", "sgd", "different", metric="optimizer"),
            row("t1-degree", "Table I", "choice", NAN, "8", "8", "same", metric="degree"),
            row("t6-a", "Table VI", "lower", "log", "1e-3", "5e-3", "not comparable"),
            row("t5-acc", "Table V", "higher", "raw", "0.89", "0.87", "worse", pi=(0.86, 0.88), metric="accuracy"),
            row(
                "text-a",
                "Sec. III.A (text)",
                "lower",
                "log",
                "1.1e-4",
                "2e-4",
                "reproduced",
                pi=(1e-4, 4e-4),
                repeats="t1-a",
            ),
            row("t3-zero", "Table III", "lower", "log", "0.0", "1e-17", "worse"),
        ]
    )


def markers(fig) -> dict[str, plt.Line2D]:
    """Each drawn row's marker, by its id (the Line2D's gid)."""
    lines = [line for ax in fig.axes for line in ax.lines if line.get_gid() and "/" not in line.get_gid()]
    assert len({line.get_gid() for line in lines}) == len(lines), "a row is drawn twice"
    return {line.get_gid(): line for line in lines}


def intervals(fig) -> dict[str, plt.Line2D]:
    return {
        line.get_gid().split("/")[0]: line
        for ax in fig.axes
        for line in ax.lines
        if (line.get_gid() or "").endswith("/interval")
    }


def axes_of(fig, line) -> plt.Axes:
    return next(ax for ax in fig.axes if line in ax.lines)


def test_draws_exactly_the_comparable_scores_that_repeat_nothing_drawn():
    fig = plots.audit_figure(small_audit())
    assert set(markers(fig)) == {"t1-a", "t1-b", "t5-acc"}
    assert set(intervals(fig)) == {"t1-a", "t5-acc"}  # t1-b is one value: no interval
    assert list(plots.audit_figure_rows(small_audit())["id"]) == ["t1-a", "t1-b", "t5-acc"]


def test_a_log_row_sits_at_ours_over_the_study_on_a_log_axis():
    fig = plots.audit_figure(small_audit())
    marker, interval = markers(fig)["t1-a"], intervals(fig)["t1-a"]
    assert axes_of(fig, marker).get_xscale() == "log"
    assert marker.get_xdata()[0] == pytest.approx(2.0)  # 2e-4 / 1e-4, not its inverse
    assert list(interval.get_xdata()) == pytest.approx([1.0, 4.0])
    assert markers(fig)["t1-b"].get_xdata()[0] == pytest.approx(0.5)
    assert markers(fig)["t1-b"].get_markerfacecolor() != markers(fig)["t1-a"].get_markerfacecolor()  # hollow: one value


def test_a_raw_row_sits_at_ours_minus_the_study_on_a_linear_axis():
    fig = plots.audit_figure(small_audit())
    marker, interval = markers(fig)["t5-acc"], intervals(fig)["t5-acc"]
    assert axes_of(fig, marker).get_xscale() == "linear"
    assert axes_of(fig, marker) is not axes_of(fig, markers(fig)["t1-a"])
    assert marker.get_xdata()[0] == pytest.approx(-0.02)
    assert list(interval.get_xdata()) == pytest.approx([-0.03, -0.01])


def test_rows_are_coloured_by_verdict():
    fig = plots.audit_figure(small_audit())
    for name, verdict in (("t1-a", "reproduced"), ("t1-b", "better"), ("t5-acc", "worse")):
        assert markers(fig)[name].get_markeredgecolor() == pytest.approx(plots.VERDICT_COLORS[verdict])


@pytest.mark.parametrize(
    "change, left_out",
    [
        ({"better": "choice", "scale": NAN, "study_value": "adam", "ours_mean": "adam", "verdict": "same"}, "choice"),
        ({"verdict": "not comparable"}, "not comparable"),
        ({"ours_mean": "", "ours_pi_low": NAN, "ours_pi_high": NAN, "verdict": "worse"}, "every run diverged"),
        ({"study_value": "0"}, "study value not positive"),
        ({"repeats": "t1-b"}, "repeats a drawn row"),
    ],
)
def test_each_reason_leaves_a_row_out(change, left_out):
    audit = small_audit()
    for column, value in change.items():
        audit.loc[audit["id"] == "t1-a", column] = value
    assert "t1-a" not in markers(plots.audit_figure(audit))
    assert "t1-a" not in set(intervals(plots.audit_figure(audit)))
    assert plots.audit_figure_left_out(audit)[left_out] == plots.audit_figure_left_out(small_audit())[left_out] + 1


def test_a_row_repeating_a_row_not_drawn_is_drawn():
    audit = small_audit()
    audit.loc[audit["id"] == "t1-a", "verdict"] = "not comparable"
    assert "text-a" in markers(plots.audit_figure(audit))
    chain = small_audit()
    chain.loc[chain["id"] == "t1-a", "repeats"] = "t1-b"  # text-a -> t1-a -> t1-b: only t1-b is drawn
    assert set(markers(plots.audit_figure(chain))) == {"t1-b", "t5-acc"}


def test_caption_counts_verdicts_of_drawn_rows_only():
    assert plots.audit_figure_caption_counts(small_audit()) == {"reproduced": 1, "better": 1, "worse": 1}
    assert plots.audit_figure_left_out(small_audit()) == {
        "choice": 2,
        "not comparable": 1,
        "every run diverged": 0,
        "study value not positive": 1,
        "repeats a drawn row": 1,
    }


def test_reads_the_audit_as_text_from_its_csv(tmp_path):
    small_audit().to_csv(tmp_path / "audit.csv", index=False)
    audit = pd.read_csv(tmp_path / "audit.csv", dtype=str, keep_default_na=False)
    assert plots.audit_figure_rows(audit).equals(plots.audit_figure_rows(small_audit()))
    assert plots.audit_figure_caption_counts(audit) == {"reproduced": 1, "better": 1, "worse": 1}


def test_outliers_are_drawn_at_the_axis_edge_with_their_value():
    audit = small_audit()
    audit.loc[audit["id"] == "t1-a", ["ours_mean", "ours_pi_low", "ours_pi_high"]] = [
        "1e2",
        0.05,
        2e2,
    ]  # ours/study 1e6, 500 to 2e6
    audit.loc[audit["id"] == "t1-b", "ours_mean"] = "0"  # no place on a log axis
    fig = plots.audit_figure(audit)
    ax = axes_of(fig, markers(fig)["t1-a"])
    low, high = ax.get_xlim()
    right, left = markers(fig)["t1-a"].get_xdata()[0], markers(fig)["t1-b"].get_xdata()[0]
    assert markers(fig)["t1-a"].get_marker() == ">" and markers(fig)["t1-b"].get_marker() == "<"
    assert 1e3 < high < 2e3 and 1e2 < right <= high  # at the edge of the log axis, which ends near 1e3
    assert 0 < low <= left < 10 * low  # ours = 0 at the left edge
    assert list(intervals(fig)["t1-a"].get_xdata()) == pytest.approx([500, right])  # its interval cut at the edge
    notes = {text.get_text() for text in ax.texts}
    assert {"×1e+06", "×0"} <= notes


def test_groups_follow_the_order_locations_first_appear_in():
    audit = small_audit()
    audit = pd.concat([audit, pd.DataFrame([row("t5-f1", "Table V", "higher", "raw", "0.9", "0.9", "reproduced")])])
    audit = pd.concat([audit.iloc[[5]], audit.drop(index=5)])  # Table V first: its raw panel still comes second
    fig = plots.audit_figure(audit)
    headers = [
        [t.get_text() for t in sorted(ax.texts, key=lambda t: t.get_position()[1]) if t.get_fontweight() == "bold"]
        for ax in fig.axes
    ]
    assert headers == [["Table I"], ["Table V"]]
    audit.loc[audit["id"] == "text-a", "repeats"] = ""
    fig = plots.audit_figure(audit)
    bold = sorted((t for t in fig.axes[0].texts if t.get_fontweight() == "bold"), key=lambda t: t.get_position()[1])
    assert [t.get_text() for t in bold] == ["Table I", "Sec. III.A (text)"]


def test_rows_are_labelled_by_model_or_by_the_distinct_part_of_their_ids():
    audit = small_audit()
    audit = pd.concat(
        [audit, pd.DataFrame([row("t5-f1", "Table V", "higher", "raw", "0.9", "0.9", "reproduced", model="t5-acc")])]
    )
    fig = plots.audit_figure(audit)
    labels = [[label.get_text() for label in ax.get_yticklabels()] for ax in fig.axes]
    assert labels == [["NN", "OLS"], ["acc", "f1"]]  # Table V's models repeat: its ids less "t5-"


def big_audit(n_table6: int = 60) -> pd.DataFrame:
    """About as many rows as the study's audit, with one group of ``n_table6`` rows."""
    rng = np.random.default_rng(0)
    rows = []
    for location, n, scale in (
        ("Table I", 11, "log"),
        ("Sec. III.A.2, Fig. 3", 1, "log"),
        ("Table II", 8, "raw"),
        ("Table III", 7, "log"),
        ("Table VI", n_table6, "log"),
        ("Table V", 10, "raw"),
        ("Sec. III.B.5 (text)", 2, "raw"),
        ("Fig. 13", 1, "raw"),
    ):
        for i in range(n):
            study = 10.0 ** rng.uniform(-6, -2) if scale == "log" else rng.uniform(0.8, 0.9)
            ours = study * 10 ** rng.normal(0, 0.5) if scale == "log" else study + rng.normal(0, 0.01)
            pi = (ours / 2, ours * 2) if scale == "log" else (ours - 0.01, ours + 0.01)
            verdict = ["reproduced", "better", "worse"][i % 3]
            rows.append(
                row(
                    f"{location}-{i}",
                    location,
                    "lower",
                    scale,
                    str(study),
                    str(ours),
                    verdict,
                    pi=pi,
                    model=f"model {i}",
                )
            )
        rows.append(row(f"{location}-choice", location, "choice", NAN, "adam", "adam", "same"))
    return pd.DataFrame(rows)


def test_saved_figure_fits_the_page_with_legible_text(tmp_path):
    plots.audit_figure(small_audit())
    save_figure(plots.audit_figure(small_audit()), tmp_path / "small.png")
    fig = plots.audit_figure(big_audit())
    width, height = fig.get_size_inches()
    assert width <= TEXT_WIDTH_IN + 1e-9 and height <= 8.4
    fig.canvas.draw()
    assert smallest_printed_font(fig) >= MIN_FONT_PT - 0.05
    save_figure(fig, tmp_path / "audit.png")
    assert (tmp_path / "small.png").stat().st_size > 0 and (tmp_path / "audit.png").stat().st_size > 0
    assert len(markers(plots.audit_figure(big_audit()))) == 100


def test_a_table_too_tall_for_the_page_loses_row_labels_of_its_largest_groups_first():
    fig = plots.audit_figure(big_audit(n_table6=60), label_rows_up_to=100)
    assert fig.get_size_inches()[1] <= 8.4
    labels = [label.get_text() for ax in fig.axes for label in ax.get_yticklabels()]
    assert "model 0" in labels and len(labels) < 100  # small groups keep theirs


@pytest.mark.parametrize(
    "change, message",
    [
        ({"verdict": "same"}, "verdict"),
        ({"scale": ""}, "scale"),
        ({"study_value": "many"}, "study value"),
        ({"repeats": "nowhere"}, "repeat"),
    ],
)
def test_refuses_rows_it_cannot_draw(change, message):
    audit = small_audit()
    for column, value in change.items():
        audit.loc[audit["id"] == "t1-a", column] = value
    with pytest.raises(ValueError, match=message):
        plots.audit_figure(audit)


def test_refuses_a_table_without_its_columns_or_with_nothing_to_draw():
    with pytest.raises(ValueError, match="scale"):
        plots.audit_figure(small_audit().drop(columns="scale"))
    audit = small_audit()
    audit["verdict"] = "not comparable"
    with pytest.raises(ValueError, match="no row"):
        plots.audit_figure(audit)
