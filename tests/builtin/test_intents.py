"""Intent choice and parameters for varied English and Chinese wording (no kernel needed)."""
# ruff: noqa: RUF001, E501 - Chinese questions; one case per line

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chatdata.chat.llm.builtin.intents import plan_question
from chatdata.chat.llm.builtin.plan import Condition
from chatdata.chat.llm.builtin.schema import Schema

SchemaOf = Callable[[str], Schema]

CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("penguins.csv", "Give me an overview of the data", "overview", {}),
    ("penguins.csv", "数据集概览", "overview", {}),
    ("penguins.csv", "summary statistics of flipper length", "describe",
     {"columns": ["flipper_length_mm"]}),
    ("penguins.csv", "How many nulls per column?", "missing_report", {}),
    ("penguins.csv", "impute missing body mass with the mean", "missing_fill",
     {"columns": ["body_mass_g"], "options": {"strategy": {"name": "mean"}}}),
    ("penguins.csv", "用众数填充 sex 的缺失值", "missing_fill",
     {"columns": ["sex"], "options": {"strategy": {"name": "mode"}}}),
    ("penguins.csv", "fill missing values with 0", "missing_fill",
     {"options": {"strategy": {"name": "constant", "value": 0}}}),
    ("penguins.csv", "drop rows with missing values in sex", "missing_drop", {"columns": ["sex"]}),
    ("tips.csv", "remove duplicate rows", "duplicates", {"options": {"action": "remove"}}),
    ("tips.csv", "are there duplicated values in total_bill?", "duplicates",
     {"columns": ["total_bill"], "options": {"action": "report"}}),
    ("tips.csv", "find outliers in tip with z-scores above 2.5", "outliers",
     {"columns": ["tip"], "options": {"method": "zscore", "threshold": 2.5, "action": "report"}}),
    ("wine.csv", "cap the outliers of magnesium (IQR)", "outliers",
     {"columns": ["magnesium"], "options": {"method": "iqr", "threshold": 1.5, "action": "cap"}}),
    ("wine.csv", "isolation forest anomalies on alcohol and proline", "outliers",
     {"columns": ["alcohol", "proline"], "options": {"method": "isolation_forest"}}),
    ("stocks.csv", "cast date as datetime", "convert", {"columns": ["date"], "options": {"to": "datetime"}}),
    ("penguins.csv", "把 year 转换为字符串", "convert", {"columns": ["year"], "options": {"to": "string"}}),
    ("penguins.csv", "list the distinct islands", "unique", {"columns": ["island"]}),
    ("penguins.csv", "what is the most common species?", "value_counts", {"columns": ["species"]}),
    ("tips.csv", "average tip per day", "groupby",
     {"columns": ["tip"], "group": "day", "stats": ["mean"]}),
    ("tips.csv", "median total bill for each time", "groupby",
     {"columns": ["total_bill"], "group": "time", "stats": ["median"]}),
    ("tips.csv", "top 2 days by total tip", "groupby",
     {"group": "day", "stats": ["sum"], "top_n": 2, "descending": True}),
    ("gapminder.csv", "bottom 3 continents by life expectancy in 2007", "groupby",
     {"group": "continent", "top_n": 3, "descending": False,
      "filters": [Condition("year", "==", 2007)]}),
    ("tips.csv", "max tip where total bill is over 40", "aggregate",
     {"columns": ["tip"], "stats": ["max"], "filters": [Condition("total_bill", ">", 40)]}),
    ("tips.csv", "how many rows have a tip between 2 and 3", "aggregate",
     {"stats": ["count"], "filters": [Condition("tip", "between", (2, 3))]}),
    ("tips.csv", "show rows where size >= 5", "filter", {"filters": [Condition("size", ">=", 5)]}),
    ("tips.csv", "share of tips by day", "percentage", {"group": "day", "columns": ["tip"]}),
    ("tips.csv", "ratio of total tip to total bill", "ratio", {"columns": ["tip", "total_bill"]}),
    ("tips.csv", "correlation between total bill and tip using spearman", "correlation",
     {"columns": ["total_bill", "tip"], "options": {"method": "spearman", "mode": "pair"}}),
    ("wine.csv", "which pairs of columns are most strongly correlated?", "correlation",
     {"options": {"mode": "strongest"}}),
    ("tips.csv", "histogram of tip", "chart", {"columns": ["tip"], "options": {"kind": "histogram"}}),
    ("tips.csv", "scatter plot of total bill against tip", "chart",
     {"columns": ["total_bill", "tip"], "options": {"kind": "scatter"}}),
    ("tips.csv", "pie chart of rows per day", "groupby", {"group": "day", "options": {"chart": "pie"}}),
    ("seattle_weather.csv", "monthly total precipitation", "resample",
     {"columns": ["precipitation"], "options": {"freq": "month", "agg": "sum"}}),
    ("seattle_weather.csv", "气温的变化趋势", "trend", {"options": {"freq": "month"}}),
    ("co2.csv", "seasonal decomposition of co2", "decompose", {"options": {"period": 12}}),
    ("co2.csv", "forecast co2 for the next 6 months", "forecast",
     {"columns": ["co2"], "options": {"horizon": 6, "freq": "month"}}),
    ("tips.csv", "Welch t-test of tip between Lunch and Dinner", "ttest",
     {"columns": ["tip"], "group": "time", "options": {"welch": True, "levels": ["Lunch", "Dinner"]}}),
    ("tips.csv", "chi-square test of day and time", "chi_square", {"columns": ["day", "time"]}),
    ("penguins.csv", "方差分析：不同岛屿的体重是否有差异？", "anova",
     {"columns": ["body_mass_g"], "group": "island"}),
    ("tips.csv", "is total bill normally distributed?", "normality", {"columns": ["total_bill"]}),
    ("diabetes.csv", "regress progression on bmi and bp", "linear_regression",
     {"columns": ["progression", "bmi", "bp"]}),
    ("penguins.csv", "predict species from bill length and bill depth", "logistic_regression",
     {"columns": ["species", "bill_length_mm", "bill_depth_mm"]}),
    ("iris.csv", "segment the flowers into 4 clusters", "clustering", {"options": {"k": 4}}),
    ("penguins.csv", "What is the meaning of life?", "unknown", {}),
    ("penguins.csv", "forecast body mass", "need_columns", {"options": {"kind": "datetime"}}),
]  # fmt: skip


@pytest.mark.parametrize(("file_name", "question", "intent", "expected"), CASES)
def test_intent(
    schema: SchemaOf, file_name: str, question: str, intent: str, expected: dict[str, Any]
) -> None:
    plan = plan_question(question, schema(file_name))
    assert plan.intent == intent, plan.describe()
    for name, value in expected.items():
        if name == "options":
            for key, option in value.items():
                assert plan.options.get(key) == option, (key, plan.options)
        else:
            assert getattr(plan, name) == value, (name, plan.describe())


def test_constraints_refine_but_never_change_the_intent(schema: SchemaOf) -> None:
    tips = schema("tips.csv")
    plan = plan_question("Compare tip between smokers and non-smokers with a t-test", tips)
    refined = plan_question(
        "Compare tip between smokers and non-smokers with a t-test",
        tips,
        "Use Welch's t-test at alpha 0.01.",
    )
    assert (plan.intent, plan.options["welch"], plan.options["alpha"]) == ("ttest", False, 0.05)
    assert (refined.intent, refined.options["welch"], refined.options["alpha"]) == (
        "ttest",
        True,
        0.01,
    )
    # Constraints that would change the intent ("ignore missing values") are not used.
    plan = plan_question("What is the average tip?", tips, "Ignore missing values.")
    assert (plan.intent, plan.columns, plan.stats) == ("aggregate", ["tip"], ["mean"])
