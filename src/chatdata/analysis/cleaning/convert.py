"""Type conversion step: to int/float/str/bool/date/datetime, reporting values that failed.

Conversion never raises on a bad value: a value that does not parse becomes missing, and the
step counts such failures (`failed`) and shows a few of them as examples.
"""

from __future__ import annotations

import polars as pl

from chatdata.analysis.cleaning.plan import StepOutcome, check_columns, step_error
from chatdata.analysis.cleaning.specs import Convert

TRUE_WORDS = ["true", "t", "yes", "y", "1"]
FALSE_WORDS = ["false", "f", "no", "n", "0"]
EXAMPLE_COUNT = 5


def _to_int(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String:
        text = column.str.strip_chars()
        direct = text.cast(pl.Int64, strict=False)
        return pl.coalesce(direct, _integral_float(text.cast(pl.Float64, strict=False)))
    if dtype.is_float():
        return _integral_float(column)
    return column.cast(pl.Int64, strict=False)


def _integral_float(values: pl.Expr) -> pl.Expr:
    """Whole floats as Int64; fractional or non-finite floats become missing."""
    whole = values.is_finite() & (values == values.floor())
    return pl.when(whole).then(values).otherwise(None).cast(pl.Int64, strict=False)


def _to_bool(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Boolean:
        return column
    if dtype == pl.String:
        word = column.str.strip_chars().str.to_lowercase()
        return (
            pl.when(word.is_in(TRUE_WORDS))
            .then(True)
            .when(word.is_in(FALSE_WORDS))
            .then(False)
            .otherwise(None)
        )
    if dtype.is_numeric():
        return pl.when(column == 1).then(True).when(column == 0).then(False).otherwise(None)
    return pl.lit(None, dtype=pl.Boolean)


def _to_temporal(column: pl.Expr, dtype: pl.DataType, to: str, fmt: str | None) -> pl.Expr:
    if dtype == pl.String:
        text = column.str.strip_chars()
        if to == "date":
            return text.str.to_date(fmt, strict=False)
        return text.str.to_datetime(fmt, strict=False)
    if dtype.is_temporal():
        return column.cast(pl.Date if to == "date" else pl.Datetime("us"))
    return pl.lit(None, dtype=pl.Date if to == "date" else pl.Datetime("us"))


def _to_str(column: pl.Expr, dtype: pl.DataType, fmt: str | None) -> pl.Expr:
    if fmt is not None and dtype.is_temporal():
        return column.dt.to_string(fmt)
    return column.cast(pl.String)


def conversion_expression(
    column_name: str, dtype: pl.DataType, to: str, fmt: str | None
) -> pl.Expr:
    """The expression converting `column_name` of `dtype` to the target type `to`."""
    column = pl.col(column_name)
    if to == "int":
        return _to_int(column, dtype)
    if to == "float":
        text = column.str.strip_chars() if dtype == pl.String else column
        return text.cast(pl.Float64, strict=False)
    if to == "bool":
        return _to_bool(column, dtype)
    if to in ("date", "datetime"):
        return _to_temporal(column, dtype, to, fmt)
    return _to_str(column, dtype, fmt)


def plan_convert(lf: pl.LazyFrame, index: int, step: Convert) -> StepOutcome:
    """Plan a conversion of one column; counts converted and failed values."""
    schema = lf.collect_schema()
    check_columns(schema, [step.column], index, step)
    dtype = schema[step.column]
    if step.format is not None and not (dtype == pl.String or dtype.is_temporal()):
        raise step_error(
            index, step, f"a format applies to text or dates; {step.column!r} is {dtype}"
        )
    converted = conversion_expression(step.column, dtype, step.to, step.format)
    original = pl.col(step.column)
    failed = original.is_not_null() & converted.is_null()
    counts = lf.select(
        (original.is_not_null() & converted.is_not_null()).sum().alias("converted"),
        failed.sum().alias("failed"),
    )
    examples = lf.filter(failed).select(original.cast(pl.String)).unique(maintain_order=True)
    return StepOutcome(
        lf.with_columns(converted.alias(step.column)),
        f"convert {step.column} from {dtype} to {step.to}"
        + (f" (format {step.format})" if step.format else ""),
        count_query=counts,
        details={"column": step.column, "from": str(dtype), "to": step.to, "format": step.format},
        examples=examples.head(EXAMPLE_COUNT),
    )
