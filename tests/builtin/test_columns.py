"""Column resolution: exact names, case, spaces and underscores, plurals, abbreviations,
synonyms, Chinese wording, misspellings, ambiguity, and category values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chatdata.chat.llm.builtin.columns import resolve
from chatdata.chat.llm.builtin.intents import plan_question
from chatdata.chat.llm.builtin.schema import Schema, schema_from_context
from chatdata.evaluation.direct import prepare_table

SchemaOf = Callable[[str], Schema]


def columns(question: str, schema: Schema) -> list[str]:
    return resolve(question, schema).columns()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("average body_mass_g", ["body_mass_g"]),
        ("average Body Mass", ["body_mass_g"]),
        ("mean of body-mass", ["body_mass_g"]),
        ("mean bodymass per species", ["body_mass_g", "species"]),
        ("flipper lenght by island", ["flipper_length_mm", "island"]),
        ("bill depths of the penguins", ["bill_depth_mm"]),
        ("flipper vs bill depth", ["flipper_length_mm", "bill_depth_mm"]),
        ("企鹅的平均体重", ["body_mass_g"]),
        ("按岛屿分组的鳍长", ["island", "flipper_length_mm"]),
    ],
)
def test_penguin_columns(schema: SchemaOf, question: str, expected: list[str]) -> None:
    assert columns(question, schema("penguins.csv")) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("life expectancy by continent", ["lifeExp", "continent"]),
        ("GDP per capita in Asia", ["gdpPercap"]),
        ("total population", ["pop"]),
        ("lifeExp and gdpPercap", ["lifeExp", "gdpPercap"]),
    ],
)
def test_camel_case_and_abbreviations(schema: SchemaOf, question: str, expected: list[str]) -> None:
    assert columns(question, schema("gapminder.csv")) == expected


def test_names_with_spaces_and_units(schema: SchemaOf) -> None:
    iris = schema("iris.csv")
    assert columns("mean sepal length (cm)", iris) == ["sepal length (cm)"]
    assert columns("petal width per species", iris) == ["petal width (cm)", "species"]
    assert columns("花瓣长度和花萼宽度", iris) == ["petal length (cm)", "sepal width (cm)"]


def test_ambiguous_word_asks_which_column(schema: SchemaOf) -> None:
    penguins = schema("penguins.csv")
    resolution = resolve("compare the length", penguins)
    assert resolution.columns() == []
    assert [(a.term, a.candidates) for a in resolution.ambiguous] == [
        ("length", ("bill_length_mm", "flipper_length_mm"))
    ]
    plan = plan_question("what is the average length?", penguins)
    assert plan.intent == "clarify"
    assert plan.options == {
        "term": "length",
        "candidates": ["bill_length_mm", "flipper_length_mm"],
    }
    # Naming the full column removes the ambiguity.
    assert plan_question("average bill length", penguins).columns == ["bill_length_mm"]


def test_category_values_and_weekday_names(schema: SchemaOf) -> None:
    tips = schema("tips.csv")
    resolution = resolve("average tip on Sundays at dinner", tips)
    assert resolution.columns() == ["tip"]
    assert [(v.column, v.value) for v in resolution.values] == [
        ("day", "Sun"),
        ("time", "Dinner"),
    ]
    # The dataset's own name is not a column: "the tips data" means the whole table.
    assert columns("how many duplicated rows are in the tips data", tips) == []


def test_synonyms_abbreviations_and_chinese_headers(tmp_path: Path) -> None:
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "order_date,region,order_qty,unit_price,revenue,客户,销售额\n"
        "2024-01-05,north,3,9.5,28.5,a,10\n"
        "2024-02-11,south,1,20.0,20.0,b,20\n"
        "2024-02-19,north,2,15.0,30.0,c,30\n"
        "2024-03-02,south,2,15.0,30.0,a,30\n"
        "2024-03-09,north,5,4.0,20.0,b,20\n"
        "2024-03-30,south,1,9.5,9.5,a,10\n",
        encoding="utf-8",
    )
    orders = schema_from_context(prepare_table(csv, tmp_path / "work").context)
    assert [c.kind for c in orders.columns[:5]] == [
        "datetime",
        "categorical",
        "numeric",
        "numeric",
        "numeric",
    ]
    assert columns("total quantity by area", orders) == ["order_qty", "region"]
    assert columns("mean qty", orders) == ["order_qty"]
    assert columns("average price", orders) == ["unit_price"]
    assert columns("total sales per region", orders) == ["revenue", "region"]
    assert columns("每个客户的销售额", orders) == ["客户", "销售额"]
    assert columns("Unit Price over time", orders) == ["unit_price"]
