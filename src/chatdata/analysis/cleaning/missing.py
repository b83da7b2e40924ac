"""Missing-value steps: drop rows, drop columns, fill one column by a strategy."""

from __future__ import annotations

from typing import Any

import polars as pl

from chatdata.analysis.cleaning.plan import (
    StepOutcome,
    check_columns,
    collect_streaming,
    step_error,
)
from chatdata.analysis.cleaning.specs import DropColumns, DropMissing, FillMissing


def plan_drop_missing(lf: pl.LazyFrame, index: int, step: DropMissing) -> StepOutcome:
    """Drop rows missing a value in any (or all) of the chosen columns."""
    schema = lf.collect_schema()
    columns = step.columns or schema.names()
    check_columns(schema, columns, index, step)
    present = pl.col(columns).is_not_null()
    keep = pl.all_horizontal(present) if step.how == "any" else pl.any_horizontal(present)
    scope = "any column" if step.columns is None else ", ".join(columns)
    rule = "a missing value in" if step.how == "any" else "every value missing in"
    return StepOutcome(
        lf.filter(keep), f"drop rows with {rule} {scope}", details={"columns": columns}
    )


def plan_drop_columns(lf: pl.LazyFrame, index: int, step: DropColumns) -> StepOutcome:
    """Drop whole columns; counts the missing values they held."""
    check_columns(lf.collect_schema(), step.columns, index, step)
    counts = lf.select(
        pl.sum_horizontal(pl.col(step.columns).null_count()).alias("missing_dropped")
    )
    return StepOutcome(
        lf.drop(step.columns),
        f"drop column(s) {', '.join(step.columns)}",
        count_query=counts,
        details={"columns": step.columns},
    )


def _aggregate_fill_value(lf: pl.LazyFrame, index: int, step: FillMissing) -> Any:
    column = pl.col(step.column)
    aggregates = {
        "mean": column.mean(),
        "median": column.median(),
        "mode": column.drop_nulls().mode().sort().first(),
    }
    value = collect_streaming(lf.select(aggregates[step.strategy].alias("value"))).item()
    if value is None:
        raise step_error(
            index, step, f"column {step.column!r} has no values to take a {step.strategy}"
        )
    return value


def _constant_fill_value(dtype: pl.DataType, index: int, step: FillMissing) -> Any:
    try:
        return pl.Series([step.value]).cast(dtype, strict=True).item()
    except (pl.exceptions.PolarsError, TypeError, ValueError) as error:
        raise step_error(
            index, step, f"value {step.value!r} does not fit column {step.column!r} of type {dtype}"
        ) from error


def _fill_expression(lf: pl.LazyFrame, index: int, step: FillMissing) -> tuple[pl.Expr, Any]:
    """Return the filled column expression and the fill value (None for sequential strategies)."""
    dtype = lf.collect_schema()[step.column]
    numeric = dtype.is_numeric()
    column = pl.col(step.column)
    if step.strategy in ("mean", "median", "interpolate") and not numeric:
        raise step_error(
            index,
            step,
            f"strategy {step.strategy!r} needs a numeric column; {step.column!r} is {dtype}",
        )
    if step.strategy == "forward":
        return column.fill_null(strategy="forward"), None
    if step.strategy == "backward":
        return column.fill_null(strategy="backward"), None
    if step.strategy == "interpolate":
        return column.interpolate(), None
    if step.strategy == "constant":
        value = _constant_fill_value(dtype, index, step)
    else:
        value = _aggregate_fill_value(lf, index, step)
    return column.fill_null(pl.lit(value)), value


def plan_fill_missing(lf: pl.LazyFrame, index: int, step: FillMissing) -> StepOutcome:
    """Fill missing values of one column by statistic, constant, ffill/bfill or interpolation."""
    check_columns(lf.collect_schema(), [step.column], index, step)
    filled, value = _fill_expression(lf, index, step)
    counts = lf.select(
        (pl.col(step.column).is_null().sum() - filled.is_null().sum()).alias("filled"),
        filled.is_null().sum().alias("still_missing"),
    )
    how = step.strategy if value is None else f"{step.strategy} ({value})"
    return StepOutcome(
        lf.with_columns(filled.alias(step.column)),
        f"fill missing {step.column} with {how}",
        count_query=counts,
        details={"column": step.column, "strategy": step.strategy, "fill_value": value},
    )
