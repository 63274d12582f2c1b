"""Result files turned into what the Quarto report shows: tables, figures and numbers in the prose.

The report's Python cells run with ``report/`` as working directory, so results live in ``../results``.
Every number in the report's text passes through one of the formatters here, so a reader sees the
same digits in the prose and in the tables, and no number is ever typed by hand.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd
from IPython.display import Image

from ffnn.io import load_json
from ffnn.labels import value_label
from ffnn.number_sources import (
    SourcedFloat,
    SourcedInt,
    cell_markdown,
    read_table,
    sourced,
    sourced_json,
    sourced_markdown,
    sources_of,
)
from ffnn.parts import relative


class Md(str):
    """A string that Jupyter, and so Quarto's inline ``{python}`` expressions, shows as Markdown.

    It is an ordinary ``str`` everywhere else (table cells, f-strings), so math such as
    ``$3 \\times 10^{-5}$`` renders in HTML and Typst alike.
    """

    def _repr_markdown_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return str(self)


def _plain(value: object) -> object:
    if isinstance(value, SourcedFloat):
        return float(value)
    if isinstance(value, SourcedInt):
        return int(value)
    return value


def shows_sources(formatter: Callable[..., str]) -> Callable[..., Md]:
    """``formatter`` whose printed number names where its arguments came from
    (:func:`ffnn.number_sources.sourced_markdown`); the formatter itself sees plain numbers, so a
    formatter calling another wraps its number once."""

    @functools.wraps(formatter)
    def shown(*args, **options) -> Md:
        return Md(sourced_markdown(formatter(*map(_plain, args), **options), *args))

    return shown


def number_in(text: object) -> object:
    """The number a cell of text holds (``"7.77e-05"``, ``"32"``), with the cell's source; ``None`` where
    it holds a name (``"adam"``) or nothing."""
    number = pd.to_numeric(text, errors="coerce")
    return sourced(number, sources_of(text)) if number == number else None


def with_source(value: object) -> object:
    """``value`` as the page shows it, naming its source where it carries one (text read from a result,
    a number written as it is)."""
    return Md(sourced_markdown(str(value), value)) if sources_of(value) else value


@shows_sources
def sci(value: float, digits: int = 3) -> Md:
    """``value`` in scientific notation with ``digits`` significant digits, as inline math.

    ``sci(7.77e-5)`` gives ``$7.77 \\times 10^{-5}$``; zero gives ``$0$``; NaN gives an em dash
    (a missing entry, e.g. a diverged fit); infinities give ``$\\infty$``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Md("—")
    value = float(value)
    if math.isinf(value):
        return Md("$-\\infty$" if value < 0 else "$\\infty$")
    if value == 0:
        return Md("$0$")
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return Md(f"${mantissa} \\times 10^{{{int(exponent)}}}$")


@shows_sources
def num(value: float, digits: int = 3) -> Md:
    """``value`` with ``digits`` significant digits: plain between 0.001 and 10 000, else :func:`sci`."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or value == 0:
        return sci(value, digits)
    if 1e-3 <= abs(value) < 1e4:
        text = f"{float(value):.{digits}g}"
        return Md(text if "e" not in text else sci(value, digits))
    return sci(value, digits)


@shows_sources
def fixed(value: float, decimals: int = 3) -> Md:
    """``value`` with a fixed number of ``decimals``, so that a column of scores lines up:
    ``fixed(0.74)`` gives ``0.740``; NaN gives an em dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Md("—")
    return Md(f"{float(value):.{decimals}f}")


@shows_sources
def integer(value: float) -> Md:
    """A whole number; from 10 000 on, thousands are set off by a thin space (``60 000``, but ``6114``)."""
    whole = int(round(float(value)))
    return Md(f"{whole:,}".replace(",", "\u2009") if abs(whole) >= 10_000 else str(whole))


@shows_sources
def counted(value: float, noun: str) -> Md:
    """A whole number with its noun, plural unless one: ``counted(1, "epoch")`` gives ``1 epoch``,
    ``counted(15, "epoch")`` ``15 epochs``."""
    number = integer(value)
    return Md(f"{number} {noun}{'' if number == '1' else 's'}")


@shows_sources
def pct(fraction: float, digits: int = 1) -> Md:
    """A fraction as a percentage with ``digits`` decimals, e.g. ``pct(0.8953)`` gives ``89.5%``."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return Md("—")
    return Md(f"{100 * float(fraction):.{digits}f}%")


@shows_sources
def ratio(value: float, digits: int = 2) -> Md:
    """A factor such as a speed-up, e.g. ``ratio(2.345)`` gives ``2.35×``."""
    return Md(f"{float(value):.{digits}f}×")


def keeps_study_order(ours: tuple[float, float], study: tuple[float, float]) -> bool:
    """Whether our two scores ``(first, second)`` stand in the order the study's two did."""
    return (ours[0] < ours[1]) == (study[0] < study[1])


@shows_sources
def spread_factor(value: float) -> Md:
    """A factor between a largest and a smallest value, as a plain number in every range: ``spread_factor(1.234)``
    gives ``1.2``, ``spread_factor(140.4)`` ``140`` and ``spread_factor(12345)`` ``12,345``, never a power of ten
    (the factor stands beside a value written with one)."""
    return Md(f"{float(value):.2g}" if value < 10 else f"{float(value):,.0f}")


@shows_sources
def architecture(sizes: Sequence[int] | str) -> Md:
    """The study's name of a network from its hidden and output sizes: ``[20-10-1]``.

    Accepts a sequence of ints or a string already in a list-like form (``"[20, 10, 1]"``, ``"20-10-1"``).
    """
    if isinstance(sizes, str):
        sizes = [part for part in sizes.replace("[", " ").replace("]", " ").replace(",", " ").replace("-", " ").split()]
    return Md("[" + "-".join(str(int(size)) for size in sizes) + "]")


#: Font size of table text in the PDF (Typst), in points; the body text is 11 pt.
TABLE_FONT_PT = 9


def typst_table_style(font_pt: float = TABLE_FONT_PT) -> str:
    """A raw Typst block that sets the text of the table after it: ``font_pt`` points, no
    hyphenation and ragged lines, so a narrow column wraps between words, never inside one, with
    some room between columns.

    Placed in a table cell's output, it lands inside the table's figure, whose content block
    scopes the rules to that table; the caption keeps the body's size. HTML drops raw Typst.
    """
    rules = [
        f"#set text(size: {font_pt}pt, hyphenate: false)",
        "#set par(justify: false)",
        "#set table(inset: (x: 0.6em, y: 0.4em))",
    ]
    return "```{=typst}\n" + "\n".join(rules) + "\n```\n\n"


def markdown_table(
    frame: pd.DataFrame,
    formats: Mapping[str, Callable] | None = None,
    columns: Mapping[str, str] | None = None,
    font_pt: float = TABLE_FONT_PT,
) -> Md:
    """A pipe table of ``frame`` for both HTML and Typst output.

    Every table of the report goes through here, so all share one look: columns as wide as
    their content (``tbl-colwidths: auto`` in ``_quarto.yml``) and, in the PDF, text of
    ``font_pt`` points that wraps only between words (:func:`typst_table_style`). A table too
    wide for the page at :data:`TABLE_FONT_PT` should lose or shorten columns (units belong
    in the caption) or be split in two before its font is made smaller.

    Parameters
    ----------
    frame : DataFrame
        The rows to show, in order; the index is not shown.
    formats : mapping, optional
        Column name -> formatter (e.g. :func:`sci`), whose column is right-aligned as numbers are;
        other columns are shown as they are, left-aligned.
    columns : mapping, optional
        Column name -> header shown; columns not named here keep their names. Applied after formatting.
    font_pt : float, default :data:`TABLE_FONT_PT`
        Size of the table's text in the PDF; the HTML keeps the page's table style.
    """
    shown = frame.copy()
    for column, formatter in (formats or {}).items():
        # by position, so that each cell of a result table keeps its source
        shown[column] = [formatter(frame[column].iloc[i]) for i in range(len(frame))]
    for column in shown.columns.difference(list(formats or {}), sort=False):
        shown[column] = [cell_markdown(frame, column, i) for i in range(len(frame))]
    # formatted columns hold numbers: right-aligned, so their digits line up
    alignment = ["right" if column in (formats or {}) else "left" for column in shown.columns]
    shown = shown.rename(columns=dict(columns or {}))
    return Md(typst_table_style(font_pt) + shown.to_markdown(index=False, disable_numparse=True, colalign=alignment))


#: From the rendered report (results/report/) to the results it was built from.
REPORT_TO_RESULTS = ".."


class Results:
    """The build's result files, read by the report; a missing file is an error that says what to run.

    Parameters
    ----------
    root : path, default ``"../results"``
        The results folder, relative to the working directory (Quarto runs cells in ``report/``).
        The environment variable ``FFNN_RESULTS`` overrides it.
    """

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = Path(root or os.environ.get("FFNN_RESULTS", "../results"))
        self.used: list[Path] = []
        self._writers: dict[str, str] | None = None

    def path(self, part: str, kind: str, name: str) -> Path:
        """The file of one result (:func:`ffnn.parts.result`), checked to exist and remembered in :attr:`used`."""
        path = self.root / relative(part, kind, name)
        if not path.is_file():
            raise FileNotFoundError(
                f"the report needs {path}, which the build has not written; run `snakemake --cores 2` "
                "(or with `--configfile config/quick.yaml`) from the repository root first"
            )
        self.used.append(path)
        return path

    def table(self, part: str, name: str) -> pd.DataFrame:
        """A result table (CSV) as a DataFrame, e.g. ``table("runge", "table1_test_mse")``, whose numbers
        name the table, its rule and their row and column (:mod:`ffnn.number_sources`)."""
        path, below = self.path(part, "table", name), relative(part, "table", name)
        return read_table(below, self.writer(part, "table", name), path, link=f"{REPORT_TO_RESULTS}/{below}")

    def json(self, part: str, name: str):
        """A result record (JSON), e.g. ``json("report", "build_config")``, as Python objects whose
        numbers name the record, its rule and their key."""
        below = relative(part, "record", name)
        record = load_json(self.path(part, "record", name))
        return sourced_json(record, below, self.writer(part, "record", name), link=f"{REPORT_TO_RESULTS}/{below}")

    def writer(self, part: str, kind: str, name: str) -> str:
        """The rule that wrote a result, from the build's record of them (``report/result_writers.json``);
        ``"unknown"`` where a build wrote no such record."""
        return self._written(part, kind, name).get("rule", "unknown")

    def figure_source(self, part: str, name: str) -> Md:
        """The sentence that ends a figure's caption: the rule that drew it and the results it drew from
        (linked in the HTML), or the configuration where it read none."""
        written = self._written(part, "figure", name)
        inputs = [f"[{path}]({REPORT_TO_RESULTS}/{path})" for path in written.get("inputs", [])]
        drawn_from = " and ".join([", ".join(inputs[:-1]), inputs[-1]] if len(inputs) > 1 else inputs)
        return Md(f"Drawn by rule `{written.get('rule', 'unknown')}` from {drawn_from or 'the configuration'}.")

    def _written(self, part: str, kind: str, name: str) -> dict:
        if self._writers is None:
            record = self.root / relative("report", "record", "result_writers")
            self._writers = load_json(record) if record.is_file() else {}
        return self._writers.get(relative(part, kind, name), {})

    def figure(self, part: str, name: str) -> Image:
        """A figure (PNG) drawn by a plotting rule, as a Jupyter image output Quarto turns into a figure."""
        return Image(filename=str(self.path(part, "figure", name)))


def when(condition: bool, text: str) -> Md:
    """``text`` where ``condition`` holds, else nothing: for sentences only some builds need, such as
    those that describe a quick build's limits."""
    return Md(text if condition else "")


def compared(ours: float, other: float, lower: str = "lower than", higher: str = "higher than") -> Md:
    """The words for how ``ours`` stands to ``other`` ("lower than" / "higher than" by default), so a
    sentence stays true whichever way a rerun with other settings turns out."""
    return Md(lower if float(ours) < float(other) else higher)


@shows_sources
def factor(larger: float, smaller: float, digits: int = 2) -> Md:
    """How many times ``larger`` exceeds ``smaller`` (or falls short of it), e.g. ``12`` or ``0.35``."""
    return num(float(larger) / float(smaller), digits)


#: Readable names of the FashionMNIST grids and of the settings they vary, for tables.
GRID_NAMES = {
    "pyramid": "pyramid",
    "uniform": "equal width",
    "lr_batch": "learning rate, batch size",
    "optimizer_lambda": "optimiser, penalty",
    "activation": "activation",
    "epochs": "epochs",
}
SETTING_NAMES = {
    "first_width": "$W_1$",
    "learning_rate": "$\\eta$",
    "batch_size": "$b$",
    "lam": "$\\lambda$",
    "optimizer": "optimiser",
}
_SETTING_KEYS = ("first_width", "depth", "width", "learning_rate", "batch_size", "optimizer", "lam", "activation")


def readable_setting(setting: str) -> Md:
    """'learning_rate=0.005, batch_size=64' as '$\\eta$ = 0.005, $b$ = 64': numbers formatted as in the text,
    names as :func:`ffnn.labels.value_label` writes them."""
    shown = []
    for pair in setting.split(", "):
        name, _, value = pair.partition("=")
        try:
            value = num(float(value))
        except ValueError:
            value = value_label(value)
        shown.append(f"{SETTING_NAMES.get(name, name)}\u00a0=\u00a0{value}")  # no line break inside a pair
    return Md(", ".join(shown))


#: Optimisers and activations as a sentence names them.
OPTIMIZER_WORDS = {"adam": "Adam", "rmsprop": "RMSProp", "sgd": "plain gradient descent", "momentum": "momentum"}
ACTIVATION_WORDS = {"sigmoid": "sigmoid", "relu": "ReLU", "leaky_relu": "leaky ReLU", "linear": "linear"}


def network_in_words(settings: Mapping, output_size: int = 1) -> Md:
    r"""A network's settings as a sentence names them, e.g. ``[20-10-1] sigmoid network trained with Adam at
    $\eta$ = 0.01 in batches of 32 for 200 epochs``.

    Parameters
    ----------
    settings : mapping
        ``hidden_layers``, ``activation``, ``optimizer``, ``learning_rate``, ``epochs`` and
        ``batch_size`` (``None``: full batch).
    output_size : int, default 1
        The width of the output layer, the last of the network's name.
    """
    activation = ACTIVATION_WORDS.get(settings["activation"], settings["activation"])
    optimizer = OPTIMIZER_WORDS.get(settings["optimizer"], settings["optimizer"])
    batches = (
        "on the full batch"
        if settings.get("batch_size") is None
        else f"in batches of {integer(settings['batch_size'])}"
    )
    return Md(
        f"{architecture([*settings['hidden_layers'], output_size])} {activation} network trained with {optimizer} "
        f"at $\\eta$\u00a0=\u00a0{num(settings['learning_rate'])} {batches} for {counted(settings['epochs'], 'epoch')}"
    )


def cell_setting(cell: str) -> Md:
    """A grid cell's id, e.g. 'learning_rate-0.0001_batch_size-32', as :func:`readable_setting` shows it."""
    keys = "|".join(_SETTING_KEYS)  # first_width before width, so the longer name wins
    pairs = re.findall(rf"(?:^|_)({keys})-(.+?)(?=_(?:{keys})-|$)", cell)
    return readable_setting(", ".join(f"{name}={value}" for name, value in pairs))


def one_notation(values: Sequence[float], digits: int = 3) -> list[Md]:
    """``values`` (one row of a table) in a single notation, so that a row never mixes ``0.0013`` with
    ``$1.3 \\times 10^{-4}$``: plain (as :func:`num`) when every finite, nonzero value reads plain
    there, else all in :func:`sci`. Missing values (NaN, None) give an empty string."""
    present = [float(value) for value in values if value is not None and value == value]
    plain = all(num(value, digits) == f"{value:.{digits}g}" for value in present if value != 0 and math.isfinite(value))
    shown = num if plain else sci
    return [shown(value, digits) if value is not None and value == value else Md("") for value in values]
