"""Where each number of the report came from: numbers that carry the table cells they were read from.

A table read through :meth:`ffnn.report_tables.Results.table` is a :class:`SourcedFrame`. A number
read out of it (``frame.loc[row, column]``, ``series[label]``, ``.iloc``, ``.item()``, ``.min()``,
``value_counts()[value]``, :func:`count_rows`) is a :class:`SourcedFloat` or :class:`SourcedInt`: a plain
``float`` or ``int`` that also knows its :class:`Source`; arithmetic on such numbers keeps the sources
of both sides. The report's formatters (``sci``, ``pct``, ``integer``, ...) hand the sources to
:func:`sourced_markdown`, which wraps the printed number in a pandoc span that names them; the HTML
shows them on hover or click, the PDF prints the number alone.

A source is checked against the table as it was read before it is shown: a cell is named only where
the table holds that value in that column (:meth:`TableSource.lines_holding`), so a number the report
computed (a mean, a difference) is shown as computed from its column, never as a cell it is not.
"""

from __future__ import annotations

import inspect
import json
import math
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

#: The CSV's first data row is its second line (the first holds the header).
FIRST_DATA_LINE = 2


@dataclass(eq=False)
class TableSource:
    """A result table as the build wrote it.

    Attributes
    ----------
    path : str
        Below ``results/``, e.g. ``"runge/tables/runge_table1_test_mse.csv"``.
    rule : str
        The Snakemake rule that wrote it.
    frame : DataFrame
        The table as read, rows in file order (row ``i`` is line ``i + 2`` of the CSV).
    link : str
        Where a reader of the rendered report opens the file (relative to the report), or ``""``
        for a file that does not travel with the results (the code, the study's typed-in numbers).
    """

    path: str
    rule: str
    frame: pd.DataFrame | None = field(default=None, repr=False)
    link: str = ""

    def lines_holding(self, column: str, value: float, row_hint: object = None) -> list[int]:
        """CSV lines whose ``column`` holds ``value`` (NaN matches NaN); narrowed to the lines whose
        cells include ``row_hint`` where that leaves any."""
        if self.frame is None or column not in self.frame.columns:
            return []
        cells = self.frame[column]
        try:
            held = cells.isna() if _is_nan(value) else cells == value
        except (TypeError, ValueError):
            return []
        positions = np.flatnonzero(held.to_numpy(dtype=bool, na_value=False))
        if isinstance(row_hint, int | np.integer) and row_hint in positions:  # a label that is the row's position
            positions = [row_hint]
        elif row_hint is not None and len(positions) > 1:
            hinted = [i for i in positions if _row_mentions(self.frame.iloc[i], row_hint)]
            positions = hinted or positions
        return [int(i) + FIRST_DATA_LINE for i in positions]

    def column_holding(self, value: object, row_hint: object = None) -> tuple[str | None, list[int]]:
        """The one column whose cells hold ``value`` (on lines that mention ``row_hint`` where given)
        and those lines; ``(None, [])`` where no column or more than one does."""
        if self.frame is None or not isinstance(value, int | float | np.number) or isinstance(value, bool):
            return None, []
        found = [(column, self.lines_holding(column, value, row_hint)) for column in self.frame.columns]
        found = [(column, lines) for column, lines in found if lines]
        return found[0] if len(found) == 1 else (None, [])

    def lines_where(self, column: str, value: object) -> list[int]:
        """CSV lines whose ``column`` equals ``value`` (none where the report computed the column)."""
        if self.frame is None or column not in self.frame.columns:
            return []
        held = (self.frame[column] == value).to_numpy(dtype=bool, na_value=False)
        return [int(i) + FIRST_DATA_LINE for i in np.flatnonzero(held)]


def _same(shown: object, read: object) -> bool:
    if isinstance(shown, list | tuple):  # several numbers shown as one (an architecture)
        return False
    if isinstance(shown, str) or isinstance(read, str):
        return str(shown) == str(read)
    return bool(shown == read) or (_is_nan(float(shown)) and _is_nan(float(read)))


def _is_nan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _row_mentions(row: pd.Series, hint: object) -> bool:
    hints = hint if isinstance(hint, tuple) else (hint,)
    values = set(row.astype(str))
    return all(str(item) in values for item in hints)


@dataclass(frozen=True, eq=False)
class Source:
    """Where one number came from: a cell of a table, a count of its rows, or a computation on a column.

    Attributes
    ----------
    table : TableSource
    column : str or None
        The column read; ``None`` for a count of rows.
    value : object
        The value read, before any arithmetic.
    how : str
        ``"cell"``, ``"count"``, ``"computed"`` (an aggregate of the column, e.g. a mean), ``"key"``
        (a value of a JSON record; ``column`` is its key path), ``"items"`` (the length of a list of a
        JSON record) or ``"code"`` (a constant of the method; ``column`` is its name in the code).
    row_hint : object
        The row's label where the code named one, used to pick among lines holding the same value.
    lines : tuple of int
        For a count, the CSV lines counted, where known.
    """

    table: TableSource
    column: str | None
    value: object
    how: str = "cell"
    row_hint: object = None
    lines: tuple[int, ...] = ()

    def describe(self) -> dict:
        """The source as shown to a reader: table, rule, lines and column, and how the number was read."""
        column = self.column
        if self.how == "cell":
            lines = self.table.lines_holding(column, self.value, self.row_hint)
            if not lines:  # a reshaped table (a pivot) names its columns otherwise: the value tells
                column, lines = self.table.column_holding(self.value, self.row_hint)
            how = "cell" if lines else "computed"
            column = column if lines else self.column
        else:
            lines, how = list(self.lines), self.how
        described = {
            "table": self.table.path,
            "link": self.table.link,
            "rule": self.table.rule,
            "column": column,
            "value": _shown(self.value),
            "lines": lines[:MAX_LINES_SHOWN],
            "more_lines": max(0, len(lines) - MAX_LINES_SHOWN),
            "how": how,
        }
        if how == "cell":
            row = self.table.frame.iloc[lines[0] - FIRST_DATA_LINE]
            described["row"] = {str(column): _shown(value) for column, value in row.items()}
        return described


def _shown(value: object) -> str:
    """A cell as its CSV holds it, near enough: ``repr`` of a float keeps every digit."""
    if isinstance(value, float | np.floating):
        return "" if math.isnan(value) else repr(float(value))
    return str(value)


#: A count of many rows names the first of them.
MAX_LINES_SHOWN = 12


class _Sourced:
    """A value of a built-in type that also knows the :class:`Source` s it was read or computed from."""

    sources: tuple[Source, ...]

    def __new__(cls, value, sources: Iterable[Source]):
        made = super().__new__(cls, value)
        made.sources = tuple(sources)
        return made


class SourcedFloat(_Sourced, float):
    """A ``float`` that knows its sources."""


class SourcedInt(_Sourced, int):
    """An ``int`` that knows its sources."""


class SourcedText(_Sourced, str):
    """Text read from a result table that holds a number (a setting such as ``"[512, 10]"``): shown
    inline, it names its source as a number does."""

    def _repr_markdown_(self) -> str:
        return sourced_markdown(str(self), self)


def sourced(value: object, sources: Iterable[Source]) -> object:
    """``value`` as a sourced number where it is one, or as :class:`SourcedText` where it is text with a
    digit in it (booleans and other text stay as they are)."""
    sources = tuple(sources)
    if sources and isinstance(value, str) and any(character.isdigit() for character in value):
        return SourcedText(value, sources)
    if not sources or isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        return value
    if isinstance(value, int | np.integer):
        return SourcedInt(int(value), sources)
    return SourcedFloat(float(value), sources)


def sources_of(*values: object) -> tuple[Source, ...]:
    """The sources of every sourced number among ``values``, each once, in order."""
    seen: dict[int, Source] = {}
    for value in values:
        found = sources_of(*value) if type(value) in (list, tuple) else getattr(value, "sources", ())
        for source in found:
            seen.setdefault(id(source), source)
    return tuple(seen.values())


class SourcedList(list):
    """A list of a JSON record that knows where it was read, so that its length names its source."""

    sources: tuple[Source, ...] = ()


class SourcedDict(dict):
    """A mapping of a JSON record that knows where it was read, so that its length names its source."""

    sources: tuple[Source, ...] = ()


def count_items(values: list | dict) -> object:
    """``len(values)``, sourced to the record's list or mapping where ``values`` is one (:func:`sourced_json`)."""
    return sourced(len(values), getattr(values, "sources", ()))


def labelled(frame: pd.DataFrame, column: str, value: object) -> object:
    """``value`` of ``column`` of ``frame``, where it labels a row or a column of a table reshaped from
    it (a pivot's header), sourced to the lines of ``frame``'s table that hold it."""
    table = getattr(frame, "table_source", None)
    return sourced(value, [Source(table, column, value)]) if table is not None else value


def whole(value: object) -> int:
    """``int(value)``, keeping the sources of a sourced number (``int`` drops them)."""
    # sourced() hands back the plain int where there are no sources
    return sourced(int(value), sources_of(value))


def constant(value: float, where: str, name: str) -> object:
    """``value``, a constant of the method defined in the code at ``where`` (a file below the
    repository) under ``name``, as a sourced number: the report names it like a result."""
    return sourced(value, [Source(TableSource(where, "code"), name, value, how="code")])


def _code_file(obj: object) -> str:
    path = Path(inspect.getsourcefile(obj)).resolve()
    return "/".join(path.parts[path.parts.index("ffnn") - 1 :]) if "ffnn" in path.parts else path.name


def module_constant(module: ModuleType, name: str) -> object:
    """The constant ``name`` of ``module`` (e.g. ``ffnn.stats``, ``"CONFIDENCE"``), sourced to its file;
    a tuple's items each so."""
    value, where, named = getattr(module, name), _code_file(module), f"{module.__name__}.{name}"
    if isinstance(value, tuple):
        return tuple(constant(item, where, f"{named}[{i}]") for i, item in enumerate(value))
    return constant(value, where, named)


def keyword_default(function: Callable, name: str) -> object:
    """The default of ``function``'s keyword ``name``, sourced to its file, so the text states what the code does."""
    value = inspect.signature(function).parameters[name].default
    return constant(value, _code_file(function), f"{function.__qualname__}({name}=...)")


def computed(value: object, frame: pd.DataFrame, column: str | None = None) -> object:
    """``value``, computed in the report from ``frame`` (``column`` of it where one), as a sourced number."""
    table = getattr(frame, "table_source", None)
    return sourced(value, [Source(table, column, value, how="computed")]) if table is not None else value


def _arithmetic(function: Callable, reflected: bool = False) -> Callable:
    def method(self, other):
        plain = float(self) if isinstance(self, float) else int(self)
        try:
            result = function(other, plain) if reflected else function(plain, other)
        except TypeError:
            return NotImplemented
        return sourced(result, sources_of(self, other))

    return method


def _unary(function: Callable) -> Callable:
    def method(self, *args):
        plain = float(self) if isinstance(self, float) else int(self)
        return sourced(function(plain, *args), self.sources)

    return method


for _name, _function in {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "pow": operator.pow,
}.items():
    for _cls in (SourcedFloat, SourcedInt):
        setattr(_cls, f"__{_name}__", _arithmetic(_function))
        setattr(_cls, f"__r{_name}__", _arithmetic(_function, reflected=True))
for _name, _function in {"neg": operator.neg, "pos": operator.pos, "abs": abs, "round": round}.items():
    for _cls in (SourcedFloat, SourcedInt):
        setattr(_cls, f"__{_name}__", _unary(_function))


class SourcedSeries(pd.Series):
    """A column or a row of a :class:`SourcedFrame`; the numbers read from it are sourced."""

    _metadata = [*pd.Series._metadata, "table_source"]
    table_source: TableSource | None = None

    @property
    def _constructor(self):
        return SourcedSeries

    @property
    def _constructor_expanddim(self):
        return SourcedFrame

    def _sourced_cell(self, label: object, value: object) -> object:
        table = self.table_source
        if table is None:
            return value
        columns = table.frame.columns
        if label in columns and self.name not in columns:  # a row: its labels are column names
            return sourced(value, [Source(table, label, value, row_hint=self.name)])
        return sourced(value, [Source(table, self.name, value, row_hint=label)])

    def _get_value(self, label, takeable: bool = False):
        value = super()._get_value(label, takeable)
        return self._sourced_cell(self.index[label] if takeable else label, value)

    def _ixs(self, i: int, axis: int = 0):
        return self._sourced_cell(self.index[i], super()._ixs(i, axis))

    def xs(self, key, *args, **kwargs):
        value = super().xs(key, *args, **kwargs)
        return value if isinstance(value, pd.Series) else self._sourced_cell(key, value)

    def item(self):
        return self._sourced_cell(self.index[0], super().item())

    def __iter__(self):
        if self.table_source is None or self.dtype.kind not in "iuf":
            return super().__iter__()
        return (self._sourced_cell(label, value) for label, value in zip(self.index, super().__iter__(), strict=True))

    def _computed(self, value: object) -> object:
        if self.table_source is None:
            return value
        return sourced(value, [Source(self.table_source, self.name, value, how="computed")])

    def min(self, *args, **kwargs):
        value = super().min(*args, **kwargs)
        return self._sourced_cell(self.idxmin(), value) if len(self) and self.notna().any() else value

    def max(self, *args, **kwargs):
        value = super().max(*args, **kwargs)
        return self._sourced_cell(self.idxmax(), value) if len(self) and self.notna().any() else value

    def sum(self, *args, **kwargs):
        if self.table_source is not None and self.dtype == bool:  # a count of the rows that hold
            return self._count(self[self].index)
        return self._computed(super().sum(*args, **kwargs))

    def mean(self, *args, **kwargs):
        return self._computed(super().mean(*args, **kwargs))

    def median(self, *args, **kwargs):
        return self._computed(super().median(*args, **kwargs))

    def std(self, *args, **kwargs):
        return self._computed(super().std(*args, **kwargs))

    def _count(self, labels: pd.Index, column: str | None = None, value: object = None) -> object:
        table = self.table_source
        lines = table.lines_where(column, value) if column is not None else _lines_of(table, labels)
        return sourced(len(labels), [Source(table, column, len(labels), how="count", lines=tuple(lines))])

    def value_counts(self, *args, **kwargs):
        counts = super().value_counts(*args, **kwargs)
        if self.table_source is None:
            return counts
        column = self.name
        return pd.Series(
            {value: self._count(self.index[self == value], column, value) for value in counts.index},
            dtype=object,
            name=counts.name,
        )


def _lines_of(table: TableSource, labels: pd.Index) -> list[int]:
    """CSV lines of rows labelled by their position in the file (a frame never re-indexed); else none."""
    if isinstance(labels, pd.RangeIndex) or (labels.dtype.kind == "i" and labels.name is None):
        return [int(label) + FIRST_DATA_LINE for label in labels if 0 <= int(label) < len(table.frame)]
    return []


class SourcedFrame(pd.DataFrame):
    """A result table whose numbers, read out one at a time, carry their :class:`Source`."""

    _metadata = ["table_source"]
    table_source: TableSource | None = None

    @property
    def _constructor(self):
        return SourcedFrame

    @property
    def _constructor_sliced(self):
        return SourcedSeries

    def _same_table(self, reshaped: pd.DataFrame) -> SourcedFrame:
        reshaped = SourcedFrame(reshaped)
        reshaped.table_source = self.table_source
        return reshaped

    def pivot(self, *args, **kwargs):
        return self._same_table(super().pivot(*args, **kwargs))

    def join(self, other, *args, **kwargs):
        """As :meth:`pandas.DataFrame.join`; the numbers keep their table where both sides come from it."""
        joined = super().join(other, *args, **kwargs)
        if getattr(other, "table_source", None) is not self.table_source:
            return joined
        return self._same_table(joined)

    def _get_value(self, index, col, takeable: bool = False):
        value = super()._get_value(index, col, takeable)
        if self.table_source is None:
            return value
        row, column = (self.index[index], self.columns[col]) if takeable else (index, col)
        return sourced(value, [Source(self.table_source, column, value, row_hint=row)])


def read_table(path: str, rule: str, file, link: str = "") -> SourcedFrame:
    """The CSV ``file`` as a :class:`SourcedFrame` whose numbers name ``path``, ``rule`` and ``link``."""
    return sourced_frame(pd.read_csv(file), path, rule, link)


def sourced_frame(frame: pd.DataFrame, path: str, rule: str, link: str = "") -> SourcedFrame:
    """``frame``, read from the CSV at ``path`` (written by ``rule``), as a :class:`SourcedFrame`."""
    table = SourcedFrame(frame)
    table.table_source = TableSource(path, rule, frame, link)
    return table


def sourced_json(record: object, path: str, rule: str, link: str = "") -> object:
    """A JSON ``record`` (dicts, lists, numbers) whose numbers name ``path``, ``rule``, ``link`` and their key path."""
    table = TableSource(path, rule, link=link)

    def walk(value: object, keys: str) -> object:
        if isinstance(value, dict):
            mapping = SourcedDict(
                {key: walk(item, f"{keys}.{key}" if keys else str(key)) for key, item in value.items()}
            )
            mapping.sources = (Source(table, keys, len(value), how="items"),)
            return mapping
        if isinstance(value, list):
            items = SourcedList(walk(item, f"{keys}[{i}]") for i, item in enumerate(value))
            items.sources = (Source(table, keys, len(value), how="items"),)
            return items
        return sourced(value, [Source(table, keys, value, how="key")])

    return walk(record, "")


def count_rows(frame: pd.DataFrame) -> object:
    """How many rows ``frame`` has, as a number sourced to the table they came from (``len`` drops it)."""
    table = getattr(frame, "table_source", None)
    if table is None:
        return len(frame)
    return sourced(
        len(frame), [Source(table, None, len(frame), how="count", lines=tuple(_lines_of(table, frame.index)))]
    )


def cell_markdown(frame: pd.DataFrame, column: str, position: int) -> object:
    """The cell of ``frame`` at ``position`` in ``column`` as a table shows it unformatted: text and
    whole numbers that hold a digit name their source where ``frame`` came from a result table;
    other cells are returned as they are."""
    value = frame[column].iloc[position]
    table = getattr(frame, "table_source", None)
    text = str(value)
    if isinstance(value, float | bool | np.floating | np.bool_) or "{.number-source" in text:
        return value
    if not any(character.isdigit() for character in text):
        return value
    if sources_of(value):  # a number the report computed and kept in an object column
        return sourced_markdown(text, value)
    if table is None:
        return value
    return sourced_markdown(text, sourced(text, [Source(table, column, value, row_hint=frame.index[position])]))


class SourceRegistry:
    """The sources of the numbers printed so far, numbered in order, for the page's script."""

    def __init__(self, git: dict | None = None):
        git = git or {}
        self.commit = str(git.get("commit", "unknown")) + (" with uncommitted changes" if git.get("dirty") else "")
        self.entries: list[list[dict]] = []
        self.keys: dict[str, int] = {}
        self.section = ""
        self.by_section: dict[str, dict[str, str]] = {}

    def enter(self, section: str) -> None:
        """Count the numbers printed from here on under ``section`` (a heading of the report)."""
        self.section = section

    def register(self, sources: Iterable[Source], derived: bool = False) -> int:
        """The key of ``sources`` (registered once); ``derived``: the number shown was computed from them."""
        described = [{**source.describe(), "derived": derived} for source in sources]
        tables = self.by_section.setdefault(self.section, {})
        for item in described:
            tables.setdefault(item["table"], item["rule"])
        key = json.dumps(described, sort_keys=True, default=str)
        if key not in self.keys:
            self.keys[key] = len(self.entries)
            self.entries.append(described)
        return self.keys[key]

    def tables_by_section(self) -> pd.DataFrame:
        """One row per section and result its numbers came from, in the order printed: columns
        ``section``, ``result`` (path below ``results/``) and ``rule``."""
        rows = [(section, table, rule) for section, tables in self.by_section.items() for table, rule in tables.items()]
        return pd.DataFrame(rows, columns=["section", "result", "rule"])

    def script(self) -> str:
        """The registry as a JSON script element the page's viewer reads."""
        data = json.dumps({"commit": self.commit, "sources": self.entries}, default=str)
        # a script element's text is not unescaped: only "</" could end it early, and JSON may write "<\/"
        data = data.replace("</", "<\\/")
        return f'<script type="application/json" id="number-sources">{data}</script>'


#: The report's registry: its setup cell sets it (:func:`start_registry`).
REGISTRY: SourceRegistry | None = None


def start_registry(git: dict | None = None) -> SourceRegistry:
    """A new :data:`REGISTRY` for a report built from ``git`` (the provenance record's ``commit`` and ``dirty``)."""
    global REGISTRY
    REGISTRY = SourceRegistry(git)
    return REGISTRY


def sourced_markdown(text: str, *values: object) -> str:
    """``text`` (a printed number) wrapped in a pandoc span naming the sources of ``values``; unchanged
    where none carries a source or no registry was started."""
    sources = sources_of(*values)
    if not sources or REGISTRY is None or not text:
        return text
    # shown as read only where one value stands for one source and is still the value read
    derived = not (len(values) == 1 and len(sources) == 1 and _same(values[0], sources[0].value))
    return f'[{text}]{{.number-source data-source="{REGISTRY.register(sources, derived)}"}}'
