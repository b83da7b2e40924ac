"""Generate the notebook cell for a plan: readable pandas/DuckDB/Polars/scipy/statsmodels/
scikit-learn code that prints one `__RESULT__{json}` line with the key numbers."""

from __future__ import annotations

from collections.abc import Callable

from chatdata.chat.llm.builtin.codegen import (
    aggregates,
    charts,
    models,
    overview,
    quality,
    statistics,
    timeseries,
)
from chatdata.chat.llm.builtin.codegen.common import RESULT_MARKER
from chatdata.chat.llm.builtin.plan import Plan
from chatdata.chat.llm.builtin.schema import Schema

Generator = Callable[[Plan, Schema], str]

GENERATORS: dict[str, Generator] = {
    "overview": overview.overview_code,
    "describe": overview.describe_code,
    "missing_report": quality.missing_report_code,
    "missing_fill": quality.missing_fill_code,
    "missing_drop": quality.missing_drop_code,
    "duplicates": quality.duplicates_code,
    "outliers": quality.outliers_code,
    "convert": quality.convert_code,
    "aggregate": aggregates.aggregate_code,
    "groupby": aggregates.groupby_code,
    "filter": aggregates.filter_code,
    "unique": aggregates.unique_code,
    "value_counts": aggregates.value_counts_code,
    "percentage": aggregates.percentage_code,
    "ratio": aggregates.ratio_code,
    "chart": charts.chart_code,
    "correlation": statistics.correlation_code,
    "ttest": statistics.ttest_code,
    "anova": statistics.anova_code,
    "chi_square": statistics.chi_square_code,
    "normality": statistics.normality_code,
    "linear_regression": models.linear_regression_code,
    "logistic_regression": models.logistic_regression_code,
    "clustering": models.clustering_code,
    "trend": timeseries.trend_code,
    "resample": timeseries.resample_code,
    "decompose": timeseries.decompose_code,
    "forecast": timeseries.forecast_code,
}

CLEANING_INTENTS = frozenset({"missing_fill", "missing_drop", "convert"})

__all__ = ["GENERATORS", "RESULT_MARKER", "generate_code", "is_cleaning"]


def generate_code(plan: Plan, schema: Schema) -> str:
    """The cell that carries out `plan` (KeyError for intents without code)."""
    return GENERATORS[plan.intent](plan, schema)


def is_cleaning(plan: Plan) -> bool:
    """True when the plan writes a cleaned table to propose as a new version."""
    if plan.intent in CLEANING_INTENTS:
        return True
    action = plan.options.get("action")
    return plan.intent in {"duplicates", "outliers"} and action in {"remove", "cap"}
