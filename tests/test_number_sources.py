"""Numbers that name the table cells they came from (ffnn.number_sources) and the formatters that show them."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

import ffnn.number_sources as number_sources
import ffnn.stats
from ffnn.number_sources import (
    SourcedFloat,
    SourcedInt,
    SourcedText,
    computed,
    count_rows,
    keyword_default,
    module_constant,
    read_table,
    sourced_json,
    sources_of,
    start_registry,
    whole,
)
from ffnn.optimizers import Adam
from ffnn.report_tables import architecture, counted, integer, markdown_table, num, pct, sci

CSV = (
    "row,model,test_mse,epochs,verdict\n"
    "ols,OLS,0.25,0,worse\n"
    "net,[20-10-1],0.125,200,better\n"
    "wide,[50-1],0.125,100,worse\n"
)
SPAN = re.compile(r'\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\{\.number-source data-source="(?P<key>\d+)"\}')


@pytest.fixture
def table():
    return read_table("runge/tables/runge_example.csv", "runge_example", io.StringIO(CSV), link="../runge/x.csv")


@pytest.fixture
def registry():
    started = start_registry({"commit": "abc123", "dirty": False})
    yield started
    number_sources.REGISTRY = None


def described(value):
    (source,) = sources_of(value)
    return source.describe()


def test_a_cell_names_its_table_rule_line_and_column(table):
    indexed = table.set_index("row")
    for value in (
        indexed.loc["net", "test_mse"],
        indexed.at["net", "test_mse"],
        indexed["test_mse"]["net"],
        indexed["test_mse"].loc["net"],
        indexed["test_mse"].iloc[1],
        indexed.iloc[1, 1],
        indexed.loc["net"]["test_mse"],
        indexed.loc[indexed.index == "net", "test_mse"].item(),
    ):
        assert isinstance(value, SourcedFloat) and value == 0.125
        source = described(value)
        assert (source["table"], source["rule"], source["column"], source["how"]) == (
            "runge/tables/runge_example.csv",
            "runge_example",
            "test_mse",
            "cell",
        )
        assert source["lines"] == [3], "the row's label picks line 3 among the two lines holding 0.125"
        assert source["row"]["model"] == "[20-10-1]"


def test_a_line_named_holds_the_value_in_the_csv(table):
    lines = CSV.splitlines()
    header = lines[0].split(",")
    for row in ("ols", "net", "wide"):
        for column in ("test_mse", "epochs"):
            value = table.set_index("row").loc[row, column]
            (line,) = described(value)["lines"]
            assert float(lines[line - 1].split(",")[header.index(column)]) == value


def test_the_smallest_and_largest_name_their_rows(table):
    assert described(table["epochs"].max())["lines"] == [3]
    assert described(table["epochs"].min())["lines"] == [2]


def test_a_mean_is_computed_from_its_column_not_read_from_a_cell(table):
    source = described(table["test_mse"].mean())
    assert source["how"] == "computed" and source["column"] == "test_mse" and source["lines"] == []


def test_arithmetic_keeps_the_sources_of_both_sides(table):
    indexed = table.set_index("row")
    ratio = indexed.loc["ols", "test_mse"] / indexed.loc["net", "test_mse"]
    assert isinstance(ratio, SourcedFloat) and ratio == 2.0
    assert [source.describe()["lines"] for source in sources_of(ratio)] == [[2], [3]]
    assert sources_of(1 - indexed.loc["ols", "test_mse"]) and sources_of(round(indexed.loc["ols", "test_mse"], 1))


def test_counts_name_the_lines_they_count(table):
    worse = table["verdict"].value_counts()["worse"]
    assert worse == 2 and described(worse)["how"] == "count" and described(worse)["lines"] == [2, 4]
    assert described(count_rows(table[table["verdict"] == "better"]))["lines"] == [3]
    assert described((table["verdict"] == "worse").sum())["lines"] == [2, 4]
    assert described(whole(table["epochs"].max()))["lines"] == [3]


def test_a_number_computed_from_cells_is_not_shown_as_read_from_them(table, registry):
    indexed = table.set_index("row")
    for shown in (
        num(indexed.loc["ols", "test_mse"] / 2),
        num(SourcedFloat(0.5, sources_of(indexed.loc["ols", "test_mse"]))),
    ):
        assert all(source["derived"] for source in registry.entries[int(SPAN.fullmatch(shown).group("key"))])
    assert not registry.entries[int(SPAN.fullmatch(num(indexed.loc["ols", "test_mse"])).group("key"))][0]["derived"]


def test_text_with_a_number_and_a_reshaped_table_keep_their_sources(table):
    text = table.set_index("row").loc["net", "model"]
    assert isinstance(text, SourcedText) and described(text)["lines"] == [3]
    assert isinstance(table.set_index("row").loc["ols", "verdict"], str)  # no digit: plain text
    pivoted = table.pivot(index="row", columns="verdict", values="test_mse")
    source = described(pivoted.loc["ols", "worse"])
    assert source["column"] == "test_mse" and source["lines"] == [2]


def test_records_constants_and_computed_values_name_where_they_come_from(table):
    record = sourced_json(
        {"runge": {"repeats": 2, "flag": True, "layers": [20, 10]}}, "report/build.json", "report_build"
    )
    assert described(record["runge"]["repeats"])["column"] == "runge.repeats"
    assert described(record["runge"]["layers"][1])["column"] == "runge.layers[1]"
    assert record["runge"]["flag"] is True
    confidence = module_constant(ffnn.stats, "CONFIDENCE")
    assert confidence == ffnn.stats.CONFIDENCE and described(confidence)["table"].endswith("ffnn/stats.py")
    beta = keyword_default(Adam.__init__, "beta1")
    assert described(beta)["how"] == "code" and "beta1" in described(beta)["column"]
    assert described(computed(7, table, "epochs"))["how"] == "computed"


def test_formatters_wrap_a_sourced_number_once_and_leave_plain_numbers_alone(table, registry):
    value = table.set_index("row").loc["ols", "test_mse"]
    assert sci(0.25) == "$2.50 \\times 10^{-1}$" and num(0.25) == "0.25" and pct(0.25) == "25.0%"
    for formatter, text in ((sci, "$2.50 \\times 10^{-1}$"), (num, "0.25"), (pct, "25.0%"), (integer, "0")):
        shown = formatter(value)
        (match,) = SPAN.findall(shown)
        assert match[0] == text, (formatter, shown)
        assert registry.entries[int(match[1])][0]["lines"] == [2]
    assert SPAN.fullmatch(counted(table["epochs"].max(), "epoch")).group("text") == "200 epochs"
    assert SPAN.fullmatch(architecture([table["epochs"].max(), 1])).group("text") == "[200-1]"


def test_nothing_is_wrapped_without_a_registry(table):
    number_sources.REGISTRY = None
    assert sci(table.set_index("row").loc["ols", "test_mse"]) == "$2.50 \\times 10^{-1}$"


def test_a_result_tables_cells_name_their_lines(table, registry):
    shown = markdown_table(table[["model", "test_mse", "verdict"]], formats={"test_mse": num})
    spans = SPAN.findall(shown)
    assert [text for text, _ in spans] == ["0.25", "[20-10-1]", "0.125", "[50-1]", "0.125"]
    assert [registry.entries[int(key)][0]["lines"] for _, key in spans] == [[2], [3], [3], [4], [4]]
    assert "worse" in shown and "{.number-source" not in markdown_table(pd.DataFrame({"n": [1]}))


def test_the_registry_lists_each_sections_results_and_writes_a_script(table, registry):
    registry.enter("@sec-runge")
    integer(table["epochs"].max())
    registry.enter("@sec-fashion")
    integer(count_rows(table))
    by_section = registry.tables_by_section()
    assert by_section.to_dict("records") == [
        {"section": "@sec-runge", "result": "runge/tables/runge_example.csv", "rule": "runge_example"},
        {"section": "@sec-fashion", "result": "runge/tables/runge_example.csv", "rule": "runge_example"},
    ]
    script = registry.script()
    assert script.startswith('<script type="application/json" id="number-sources">') and "abc123" in script
    assert "</" not in script[len('<script type="application/json" id="number-sources">') : -len("</script>")]


def test_sourced_numbers_behave_as_numbers(table):
    epochs = table.set_index("row").loc["net", "epochs"]
    assert isinstance(epochs, SourcedInt) and f"{epochs}" == "200" and epochs + 1 == 201 and range(epochs)[-1] == 199
    assert f"{table.set_index('row').loc['ols', 'test_mse']:.2f}" == "0.25"
